//! Parsing worst-case shapes of about 7.5 MiB each (under the 8 MiB default body cap), reported
//! in MB/s: the design promises parsing linear in the body size whatever its shape, so every
//! shape should run at a throughput of the same order as a realistic page. Each page and job
//! shape is also parsed by the reference parser alone (`…/reference`), to show the fast path's
//! share; for the error body, the reference is `serde_json` reading the whole body, where the
//! fast path first cuts it down to the members the reading keeps.
//!
//! Quick run: `cargo bench -p pinecone-restore-core --bench shapes -- --warm-up-time 0.5
//! --measurement-time 2 --sample-size 10`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::SystemTime;

use criterion::{Criterion, Throughput};
use pinecone_restore_core::differential as d;
use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{ApiVersion, Response, parse_job, parse_list_page};

#[path = "../tests/support/page.rs"]
mod page;

/// The size each body is built to.
const TARGET: usize = 7 * 1024 * 1024 + 512 * 1024;

const JOB: &str = r#"{"restore_job_id":"rj-1","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Completed","created_at":"2024-03-15T10:30:00.000Z","percent_complete":100"#;

/// How a body is parsed.
#[derive(Clone, Copy)]
enum Parse {
    Page,
    Job,
    ErrorBody,
}

/// One object with about 650,000 unknown keys (`"u000001":1`).
fn unknown_keys() -> String {
    let mut out = String::with_capacity(TARGET + 64);
    out.push_str(r#"{"data":[],"pagination":null"#);
    let mut i = 0u32;
    while out.len() + 14 < TARGET {
        let _ = write!(out, ",\"u{i:06}\":{}", i % 10);
        i += 1;
    }
    out.push('}');
    out
}

/// A page of as many realistic jobs as fit (about 28,000 of 270 bytes).
fn many_jobs() -> String {
    let one = page::realistic_page(1, None).len();
    page::realistic_page(TARGET / (one - 30), Some("eyJvZmZzZXQiOjEwMH0+/w=="))
}

/// One job with three huge strings: a known field, an unknown key's value, and an unknown
/// value written with escapes (which cannot be borrowed from the body).
fn long_strings() -> String {
    let third = TARGET / 3;
    let mut out = String::with_capacity(TARGET + 64);
    out.push_str(r#"{"restore_job_id":"rj-1","backup_id":"b","target_index_name":""#);
    out.extend(std::iter::repeat_n('n', third));
    out.push_str(r#"","target_index_id":"i","status":"Completed","created_at":null,"note":""#);
    out.extend(std::iter::repeat_n('x', third));
    out.push_str(r#"","escaped":""#);
    while out.len() + 8 < TARGET {
        out.push_str("\\u00e9\\n");
    }
    out.push_str("\"}");
    out
}

/// One job whose unknown key holds nests 100 levels deep, one after another (serde_json
/// refuses nesting past 128 levels at once, so depth is bounded; width is not).
fn deep_nesting() -> String {
    let nest = format!("{}0{}", "[".repeat(50), "]".repeat(50));
    let nest = format!(
        "{{\"a\":{}}}",
        nest.replace('0', &format!("{{\"b\":{nest}}}"))
    );
    let mut out = String::with_capacity(TARGET + nest.len() + 64);
    out.push_str(JOB);
    out.push_str(",\"deep\":[");
    out.push_str(&nest);
    while out.len() + nest.len() + 2 < TARGET {
        out.push(',');
        out.push_str(&nest);
    }
    out.push_str("]}");
    out
}

/// An error body with about 650,000 unknown keys around the API's error object.
fn error_unknown_keys() -> String {
    let mut out = String::with_capacity(TARGET + 64);
    out.push_str(r#"{"error":{"code":"UNAVAILABLE","message":"busy"},"status":503"#);
    let mut i = 0u32;
    while out.len() + 14 < TARGET {
        let _ = write!(out, ",\"u{i:06}\":{}", i % 10);
        i += 1;
    }
    out.push('}');
    out
}

/// The reference parser alone (for an error body: `serde_json` reading the whole body, not
/// the body cut down to the members read).
fn reference(how: Parse, body: &[u8]) -> bool {
    let none = Secrets::none();
    match how {
        Parse::Page => d::reference_list_page(body, &ApiVersion::V2025_04, &none).is_ok(),
        Parse::Job => d::reference_job(body, &ApiVersion::V2025_04, &none).is_ok(),
        Parse::ErrorBody => d::reference_error_body(body).is_some(),
    }
}

fn parse(how: Parse, body: &[u8]) -> bool {
    match how {
        Parse::Page => parse_list_page(body, &ApiVersion::V2025_04).is_ok(),
        Parse::Job => parse_job(body, &ApiVersion::V2025_04).is_ok(),
        Parse::ErrorBody => {
            let headers = [("content-type", &b"application/json"[..])];
            let api = Response {
                status: 503,
                headers: &headers,
                body,
            }
            .api_error(&Secrets::none(), SystemTime::UNIX_EPOCH);
            api.message() == Some("busy")
        }
    }
}

/// One parse, the only function callgrind counts in `SHAPES_ONCE` mode.
#[inline(never)]
fn once(how: Parse, body: &[u8], by_reference: bool) -> bool {
    if by_reference {
        reference(how, body)
    } else {
        parse(how, body)
    }
}

fn main() {
    let shapes: [(&str, Parse, String); 5] = [
        ("unknown_keys", Parse::Page, unknown_keys()),
        ("many_jobs", Parse::Page, many_jobs()),
        ("long_strings", Parse::Job, long_strings()),
        ("deep_nesting", Parse::Job, deep_nesting()),
        ("error_unknown_keys", Parse::ErrorBody, error_unknown_keys()),
    ];
    // `SHAPES_ONCE=NAME` (or `NAME/reference`): one parse of one shape and nothing else, for
    // counting instructions (`valgrind --tool=callgrind --toggle-collect='*once*'`), which hold
    // on a loaded machine where wall times do not.
    if let Ok(only) = std::env::var("SHAPES_ONCE") {
        let (name, by_reference) = match only.strip_suffix("/reference") {
            Some(name) => (name, true),
            None => (only.as_str(), false),
        };
        let Some((_, how, body)) = shapes.iter().find(|(n, _, _)| *n == name) else {
            panic!("SHAPES_ONCE={only}: no such shape");
        };
        assert!(once(*how, body.as_bytes(), by_reference), "{only}: refused");
        eprintln!("{only}: {} bytes", body.len());
        return;
    }
    for (name, how, body) in &shapes {
        assert!(
            body.len() <= 8 * 1024 * 1024,
            "{name}: {} bytes",
            body.len()
        );
        assert!(parse(*how, body.as_bytes()), "{name}: refused");
    }
    let out_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion");
    let mut c = Criterion::default()
        .output_directory(&out_dir)
        .configure_from_args();
    let mut group = c.benchmark_group("worst_case_shapes");
    for (name, how, body) in &shapes {
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| parse(*how, black_box(body.as_bytes())))
        });
        group.bench_function(format!("{name}/reference"), |b| {
            b.iter(|| reference(*how, black_box(body.as_bytes())))
        });
    }
    group.finish();
    c.final_summary();

    // One line per shape, from the median (see parse.rs: robust to a few scheduler stalls).
    let median = |name: &str| {
        // criterion names the directory of `a/b` `a_b`
        let path = out_dir
            .join("worst_case_shapes")
            .join(name.replace('/', "_"))
            .join("new/estimates.json");
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .and_then(|json| json["median"]["point_estimate"].as_f64())
    };
    for (name, _, body) in &shapes {
        if let Some(ns) = median(name) {
            let reference = median(&format!("{name}/reference"))
                .map(|r| {
                    format!(
                        "; reference {:.1} ms, {:.0} MB/s",
                        r / 1e6,
                        body.len() as f64 / r * 1e3
                    )
                })
                .unwrap_or_default();
            eprintln!(
                "{name}: {} bytes; median {:.1} ms; {:.0} MB/s{reference}",
                body.len(),
                ns / 1e6,
                body.len() as f64 / ns * 1e3
            );
        }
    }
}
