//! `shape`: a large body built from a small structured *shape*, so that libFuzzer's `-timeout`
//! catches parsing that is not linear in the body size.
//!
//! Byte mutation never grows inputs to the sizes where superlinear cost shows (millions of runs
//! at `-max_len=300000` missed a quadratic duplicate-key check that 100,000 unknown keys turn
//! into 10 s). Here the input says how many keys, jobs, nesting levels and characters, and the
//! check writes a body of up to [`MAX_BODY`] bytes from it.

use std::fmt::Write as _;

use arbitrary::Arbitrary;
use pinecone_restore_core::text::{MESSAGE_CHARS, Secrets};
use pinecone_restore_core::{
    Error, InvalidResponseKind, Response, parse_backup_page, parse_job, parse_list_page,
    parse_started_restore,
};

use super::{error_text_is_safe, now, versions};

/// The largest body built: 6 MiB, under the default 8 MiB cap.
pub const MAX_BODY: usize = 6 * 1024 * 1024;

/// What the body is parsed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub enum Sink {
    /// A list page (`parse_list_page`).
    Page,
    /// One job (`parse_job`).
    Job,
    /// A 202 answer (`parse_started_restore`).
    Started,
    /// An error answer (`Response::api_error`).
    ErrorBody,
    /// A backup page (`parse_backup_page`): the unknown keys go into the first backup's
    /// `tags` (with `keys_in_job`) or beside its known keys, the nesting into its `schema`.
    Backups,
}

/// One backup of a [`Sink::Backups`] page; the first carries the shape's parts.
fn backup(
    out: &mut String,
    shape: &ShapeInput,
    i: usize,
    first: bool,
    sizes: (usize, usize, usize),
) -> bool {
    let (string_len, depth, reserve) = sizes;
    let mut duplicated = false;
    let _ = write!(out, "{{\"backup_id\":\"bk-{i}\",\"source_index_name\":");
    if first && !shape.string_ignored && string_len > 0 {
        long_string(out, string_len, shape.string_escaped);
    } else {
        out.push_str("\"n\"");
    }
    out.push_str(
        ",\"source_index_id\":\"i\",\"status\":\"Ready\",\"cloud\":\"aws\",\
         \"region\":\"us-east-1\",\"created_at\":\"2024-03-15T10:30:00.000Z\"",
    );
    if first {
        if shape.duplicate_known {
            out.push_str(",\"status\":\"Failed\"");
            duplicated = true;
        }
        if shape.keys_in_job {
            // the keys as tags: `"u…": "x"`, one possibly repeated
            out.push_str(",\"tags\":{\"t\":\"v\"");
            let pad = usize::from(shape.key_len % 64);
            let dup = shape.duplicate_at.map(|d| d as usize);
            for k in 0..shape.unknown_keys as usize % 650_001 {
                if !room(out, pad + 24, reserve) {
                    break;
                }
                let n = if dup == Some(k) && k > 0 {
                    duplicated = true;
                    0
                } else {
                    k
                };
                let _ = write!(out, ",\"u{n:0>pad$}\":\"x\"");
            }
            out.push('}');
        } else {
            duplicated |= unknown_members(out, shape, reserve);
        }
        if shape.depth_objects && depth > 0 {
            out.push_str(",\"schema\":");
            nested(out, depth, true);
        } else {
            ignored_parts(out, shape, string_len, depth);
        }
        if shape.string_ignored && string_len > 0 && shape.depth_objects && depth > 0 {
            out.push_str(",\"long\":");
            long_string(out, string_len, shape.string_escaped);
        }
    }
    out.push('}');
    duplicated
}

/// The shape of a body.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct ShapeInput {
    /// What the body is parsed as.
    pub sink: Sink,
    /// Picks the API version.
    pub version: u8,
    /// Jobs on a page (up to 25,000).
    pub jobs: u16,
    /// Unknown keys in one object (up to about 650,000).
    pub unknown_keys: u32,
    /// Put the unknown keys in the first job rather than the outer object.
    pub keys_in_job: bool,
    /// Extra length of each unknown key (0 to 63).
    pub key_len: u8,
    /// Length of one long string value (up to [`MAX_BODY`]).
    pub string_len: u32,
    /// The long string as an unknown key's value rather than a known field's.
    pub string_ignored: bool,
    /// Write the long string with escapes (so it cannot be borrowed).
    pub string_escaped: bool,
    /// Nesting depth of an ignored value.
    pub depth: u16,
    /// Arrays (`[[…]]`) or objects (`{"a":{…}}`) for the nesting.
    pub depth_objects: bool,
    /// An unknown key repeated at this position among the unknown keys.
    pub duplicate_at: Option<u32>,
    /// A known key (`status`) given twice.
    pub duplicate_known: bool,
}

/// The body, and what is known of it.
struct Built {
    body: String,
    jobs: usize,
    duplicated: bool,
    depth: usize,
    string_len: usize,
}

/// Room left in the body for a part of `len` bytes, keeping `reserve` for what follows.
fn room(body: &str, len: usize, reserve: usize) -> bool {
    body.len() + len + reserve <= MAX_BODY
}

fn long_string(out: &mut String, len: usize, escaped: bool) {
    out.push('"');
    if escaped {
        // `\u00e9` is 6 bytes of JSON for one character
        for i in 0..len / 6 {
            out.push_str(if i % 2 == 0 { "\\u00e9" } else { "\\n\\t\\\"" });
        }
    } else {
        out.extend(std::iter::repeat_n('x', len));
    }
    out.push('"');
}

fn nested(out: &mut String, depth: usize, objects: bool) {
    for _ in 0..depth {
        out.push_str(if objects { "{\"a\":" } else { "[" });
    }
    out.push('0');
    for _ in 0..depth {
        out.push(if objects { '}' } else { ']' });
    }
}

/// The unknown keys, the long string (if ignored) and the nested value, as members of an
/// object already opened with at least one member; returns whether a duplicate was written.
fn unknown_members(out: &mut String, shape: &ShapeInput, reserve: usize) -> bool {
    let pad = usize::from(shape.key_len % 64);
    let keys = shape.unknown_keys as usize % 650_001;
    let mut duplicated = false;
    let dup = shape.duplicate_at.map(|d| d as usize);
    for i in 0..keys {
        if !room(out, pad + 24, reserve) {
            break;
        }
        let n = if dup == Some(i) && i > 0 {
            duplicated = true;
            0
        } else {
            i
        };
        let _ = write!(out, ",\"u{n:0>pad$}\":{}", i % 10);
    }
    duplicated
}

fn ignored_parts(out: &mut String, shape: &ShapeInput, string_len: usize, depth: usize) {
    if shape.string_ignored && string_len > 0 {
        out.push_str(",\"long\":");
        long_string(out, string_len, shape.string_escaped);
    }
    if depth > 0 {
        out.push_str(",\"deep\":");
        nested(out, depth, shape.depth_objects);
    }
}

/// Builds the body of `shape`: a few MiB at most.
fn build(shape: &ShapeInput) -> Built {
    let depth = usize::from(shape.depth) % 20_000;
    let string_len = (shape.string_len as usize % (MAX_BODY / 2)).min(MAX_BODY / 2);
    let known_string = !shape.string_ignored && string_len > 0;
    // what comes after the unknown keys: the long string, the nesting, a job or two, the end
    let reserve = string_len + depth * 6 + 512;
    let mut out = String::with_capacity(MAX_BODY / 4);
    let mut duplicated = false;
    let mut jobs = 0;
    let mut job = |out: &mut String, i: usize, first: bool| {
        let _ = write!(
            out,
            "{{\"restore_job_id\":\"rj-{i}\",\"backup_id\":\"b\",\"target_index_name\":"
        );
        if first && known_string {
            long_string(out, string_len, shape.string_escaped);
        } else {
            out.push_str("\"n\"");
        }
        out.push_str(
            ",\"target_index_id\":\"i\",\"status\":\"Completed\",\
             \"created_at\":\"2024-03-15T10:30:00.000Z\",\"percent_complete\":100",
        );
        if first && shape.duplicate_known {
            out.push_str(",\"status\":\"Failed\"");
            duplicated = true;
        }
        if first && (shape.keys_in_job || shape.sink == Sink::Job) {
            duplicated |= unknown_members(out, shape, reserve);
            ignored_parts(out, shape, string_len, depth);
        }
        out.push('}');
    };
    match shape.sink {
        Sink::Page => {
            out.push_str("{\"data\":[");
            let count = usize::from(shape.jobs) % 25_001;
            for i in 0..count {
                if !room(&out, 300, reserve) {
                    break;
                }
                if i > 0 {
                    out.push(',');
                }
                job(&mut out, i, i == 0);
                jobs += 1;
            }
            out.push_str("],\"pagination\":null");
            if !shape.keys_in_job || jobs == 0 {
                duplicated |= unknown_members(&mut out, shape, reserve);
                ignored_parts(&mut out, shape, string_len, depth);
            }
            if known_string && jobs == 0 {
                // nowhere to put it: the long string goes unknown instead
                out.push_str(",\"long_known\":");
                long_string(&mut out, string_len, shape.string_escaped);
            }
            out.push('}');
        }
        Sink::Job => {
            job(&mut out, 0, true);
            jobs = 1;
        }
        Sink::Started => {
            out.push_str("{\"restore_job_id\":");
            if known_string {
                long_string(&mut out, string_len, shape.string_escaped);
            } else {
                out.push_str("\"rj\"");
            }
            out.push_str(",\"index_id\":\"ix\"");
            if shape.duplicate_known {
                out.push_str(",\"index_id\":\"again\"");
                duplicated = true;
            }
            duplicated |= unknown_members(&mut out, shape, reserve);
            ignored_parts(&mut out, shape, string_len, depth);
            out.push('}');
        }
        Sink::Backups => {
            out.push_str("{\"data\":[");
            let count = usize::from(shape.jobs) % 25_001;
            for i in 0..count {
                if !room(&out, 300, reserve) {
                    break;
                }
                if i > 0 {
                    out.push(',');
                }
                duplicated |= backup(&mut out, shape, i, i == 0, (string_len, depth, reserve));
                jobs += 1;
            }
            out.push_str("],\"pagination\":null}");
        }
        Sink::ErrorBody => {
            out.push_str("{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":");
            if known_string {
                long_string(&mut out, string_len, shape.string_escaped);
            } else {
                out.push_str("\"busy\"");
            }
            if shape.keys_in_job {
                duplicated |= unknown_members(&mut out, shape, reserve);
            }
            out.push_str("},\"status\":503");
            if !shape.keys_in_job {
                duplicated |= unknown_members(&mut out, shape, reserve);
            }
            ignored_parts(&mut out, shape, string_len, depth);
            out.push('}');
        }
    }
    assert!(out.len() <= MAX_BODY + 64, "built {} bytes", out.len());
    Built {
        body: out,
        jobs,
        duplicated,
        depth,
        string_len,
    }
}

/// The body `shape` builds, for other checks that want large bodies.
pub fn build_body(shape: &ShapeInput) -> Vec<u8> {
    build(shape).body.into_bytes()
}

/// A refusal of a well-formed body for a duplicate key or a nesting too deep is fine; nothing
/// else may be refused.
fn refusal_is_explained(e: &Error, built: &Built) {
    error_text_is_safe(e);
    assert!(e.is_invalid_response(), "{e:?}");
    let explained = built.duplicated || built.depth > 64;
    assert!(
        explained,
        "a well-formed body of {} bytes refused: {e}",
        built.body.len()
    );
    if built.duplicated && built.depth <= 64 {
        assert_eq!(
            e.invalid_response_kind(),
            Some(InvalidResponseKind::Malformed),
            "{e}"
        );
        assert!(e.to_string().contains("expected each key once"), "{e}");
    }
}

/// Builds the body of `shape` and parses it: never panics; takes time linear in the body
/// (libFuzzer's `-timeout` is the judge); a body with a duplicate key is refused for it; one
/// without, nested no deeper than 64, is accepted with every job; an error body keeps its
/// status and a bounded message.
pub fn shape(shape: ShapeInput) {
    let built = build(&shape);
    let body = built.body.as_bytes();
    let all = versions();
    let version = &all[usize::from(shape.version) % all.len()];
    match shape.sink {
        Sink::Page => match parse_list_page(body, version) {
            Ok(page) => {
                assert!(!built.duplicated, "a duplicate key accepted");
                assert_eq!(page.jobs.len(), built.jobs, "jobs parsed");
                if !shape.string_ignored && built.jobs > 0 && built.string_len > 0 {
                    let name = page.jobs[0].target_index_name();
                    assert!(!name.is_empty(), "the long string was lost");
                }
            }
            Err(e) => refusal_is_explained(&e, &built),
        },
        Sink::Backups => match parse_backup_page(body, version) {
            Ok(page) => {
                assert!(!built.duplicated, "a duplicate key accepted");
                assert_eq!(page.backups.len(), built.jobs, "backups parsed");
                if !shape.string_ignored && built.jobs > 0 && built.string_len > 0 {
                    let name = page.backups[0].source_index_name();
                    assert!(!name.is_empty(), "the long string was lost");
                }
            }
            Err(e) => refusal_is_explained(&e, &built),
        },
        Sink::Job => match parse_job(body, version) {
            Ok(_) => assert!(!built.duplicated, "a duplicate key accepted"),
            Err(e) => refusal_is_explained(&e, &built),
        },
        Sink::Started => match parse_started_restore(body) {
            Ok(_) => assert!(!built.duplicated, "a duplicate key accepted"),
            Err(e) => refusal_is_explained(&e, &built),
        },
        Sink::ErrorBody => {
            let headers = [("content-type", &b"application/json"[..])];
            let api = Response {
                status: 503,
                headers: &headers,
                body,
            }
            .api_error(&Secrets::none(), now().wall);
            assert_eq!(api.status(), 503);
            if let Some(message) = api.message() {
                assert!(
                    message.chars().count() <= MESSAGE_CHARS + 1,
                    "a message of {} characters",
                    message.chars().count()
                );
            }
            error_text_is_safe(&Error::from(api));
        }
    }
}
