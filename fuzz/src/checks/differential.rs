//! `differential`: the fast parser against the reference, on the same bytes.
//!
//! Core parses a page, a job and the answer to starting a restore twice over: a fast path that
//! knows the schema, and the reference (`serde_json` driven by visitors) that decides every
//! body the fast path defers and words every error. This check requires, for every body:
//!
//! - what the fast path accepts, the reference accepts, as the same value;
//! - the parser the operations use (fast, then reference) answers exactly as the reference:
//!   the same value, or the same error (kind, path and message);
//! - an error body cut down by the fast path to the members its reading keeps reads as the
//!   whole body does.
//!
//! The first byte picks the mode; the rest is the input of that mode:
//!
//! - bits 0-1: what the body is parsed as (page, job, started restore, error body);
//! - bits 2-4: the API version; bit 5: parse with a secret to refuse;
//! - bits 6-7: `0` or `1` the rest is the body as is, `2` a structured page built from it
//!   (keys, strings with and without escapes, numbers, timestamps, white space), `3` a shape
//!   (the `shape` target's generator: bodies of megabytes).

use std::fmt::Write as _;

use arbitrary::{Arbitrary, Unstructured};
use pinecone_restore_core::differential as d;
use pinecone_restore_core::text::Secrets;

use super::shape::{ShapeInput, build_body};
use super::versions;

/// The secret a `secret` run refuses; seeds hold it so that the path is taken.
pub const SECRET: &str = "pcsk_fuzz_SECRET_0123";

/// Checks one input (see the module docs).
pub fn differential(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let all = versions();
    let version = &all[usize::from(mode >> 2 & 7) % all.len()];
    let secrets = if mode & 0x20 != 0 {
        Secrets::of([SECRET])
    } else {
        Secrets::none()
    };
    let body = match mode >> 6 {
        0 | 1 => rest.to_vec(),
        2 => match StructuredPage::arbitrary_take_rest(Unstructured::new(rest)) {
            Ok(page) => page.write(mode & 3 == 1).into_bytes(),
            Err(_) => return,
        },
        _ => match ShapeInput::arbitrary_take_rest(Unstructured::new(rest)) {
            Ok(shape) => build_body(&scaled_down(shape)),
            Err(_) => return,
        },
    };
    match mode & 3 {
        1 => same(
            d::fast_job(&body, version, &secrets),
            d::reference_job(&body, version, &secrets),
            d::job(&body, version, &secrets),
            &body,
        ),
        2 => same(
            d::fast_started_restore(&body, &secrets),
            d::reference_started_restore(&body, &secrets),
            d::started_restore(&body, &secrets),
            &body,
        ),
        3 => {
            let cut = d::fast_error_body(&body);
            if let Some(reading) = &cut {
                assert!(reading.is_some(), "a cut-down error body does not read");
            }
            same::<_, ()>(
                cut,
                Ok(d::reference_error_body(&body)),
                Ok(d::error_body(&body)),
                &body,
            );
        }
        _ => same(
            d::fast_list_page(&body, version, &secrets),
            d::reference_list_page(&body, version, &secrets),
            d::list_page(&body, version, &secrets),
            &body,
        ),
    }
}

/// A shape of at most a few hundred kilobytes: the same forms as the `shape` target's, small
/// enough that the three parses of each run keep the fuzzer at hundreds of runs a second (the
/// `shape` target itself covers the sizes).
fn scaled_down(mut shape: ShapeInput) -> ShapeInput {
    shape.jobs %= 300;
    shape.unknown_keys %= 3000;
    shape.string_len %= 100_000;
    shape.depth %= 500;
    shape.duplicate_at = shape.duplicate_at.map(|d| d % 3000);
    shape
}

fn same<T: PartialEq + std::fmt::Debug, E: PartialEq + std::fmt::Debug>(
    fast: Option<T>,
    reference: Result<T, E>,
    used: Result<T, E>,
    body: &[u8],
) {
    let shown = || String::from_utf8_lossy(&body[..body.len().min(2000)]).into_owned();
    if let Some(fast) = &fast {
        match &reference {
            Ok(value) => assert_eq!(fast, value, "fast and reference differ on {}", shown()),
            Err(e) => panic!(
                "fast path accepted what the reference refuses ({e:?}): {}",
                shown()
            ),
        }
    }
    assert_eq!(
        used,
        reference,
        "the parser in use differs from the reference on {}",
        shown()
    );
}

/// A page made of parts: most of it well formed, so that the fast path's accepting side is
/// what gets explored.
#[derive(Debug, Arbitrary)]
struct StructuredPage {
    jobs: Vec<StructuredJob>,
    pagination: Option<Option<Value>>,
    extra: Vec<(Key, Value)>,
    space: u8,
}

#[derive(Debug, Arbitrary)]
struct StructuredJob {
    /// Which of the eight known keys are written, and in which order.
    order: Vec<u8>,
    values: [Value; 8],
    /// Bit `i` set: known key `i` gets a value of the type it needs, made from `values[i]`.
    fitting: u8,
    extra: Vec<(Key, Value)>,
}

#[derive(Debug, Arbitrary)]
enum Key {
    Known(u8),
    Text(String),
    Escaped(String),
}

#[derive(Debug, Arbitrary)]
enum Value {
    Text(String),
    /// Every character as a `\u` escape (pairs beyond the BMP).
    Escaped(String),
    Status(u8),
    Null,
    Bool(bool),
    Int(i64),
    Decimal(u32, u8),
    Float(f64),
    /// Year, month, day, hour, minute, second; their high bits pick the fraction, the
    /// offset and the letters.
    Timestamp([u16; 6]),
    Raw(String),
    Nested(u8, bool),
}

const KNOWN: [&str; 10] = [
    "restore_job_id",
    "backup_id",
    "target_index_name",
    "target_index_id",
    "status",
    "created_at",
    "completed_at",
    "percent_complete",
    "data",
    "next",
];

fn escaped(out: &mut String, s: &str) {
    out.push('"');
    let mut units = [0u16; 2];
    for c in s.chars() {
        for unit in c.encode_utf16(&mut units) {
            let _ = write!(out, "\\u{unit:04x}");
        }
    }
    out.push('"');
}

impl Key {
    fn write(&self, out: &mut String) {
        match self {
            Key::Known(i) => {
                let _ = write!(out, "\"{}\"", KNOWN[usize::from(*i) % KNOWN.len()]);
            }
            Key::Text(s) => out.push_str(&serde_json::Value::from(s.as_str()).to_string()),
            Key::Escaped(s) => escaped(out, s),
        }
    }
}

impl Value {
    fn write(&self, out: &mut String) {
        match self {
            Value::Text(s) => out.push_str(&serde_json::Value::from(s.as_str()).to_string()),
            Value::Escaped(s) => escaped(out, s),
            Value::Status(i) => {
                let all = ["Pending", "Running", "Completed", "Failed", "Cancelled", ""];
                let _ = write!(out, "\"{}\"", all[usize::from(*i) % all.len()]);
            }
            Value::Null => out.push_str("null"),
            Value::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            Value::Int(n) => {
                let _ = write!(out, "{}", n % 202 - 50);
            }
            Value::Decimal(n, scale) => {
                let n = n % 100_000_000;
                let scale = usize::from(scale % 9);
                let digits = format!("{n:0>width$}", width = scale + 1);
                let (int, frac) = digits.split_at(digits.len() - scale);
                if frac.is_empty() {
                    out.push_str(int);
                } else {
                    let _ = write!(out, "{int}.{frac}");
                }
            }
            Value::Float(f) if f.is_finite() => {
                let _ = write!(out, "{f}");
            }
            Value::Float(_) => out.push_str("1e999"),
            Value::Timestamp(parts) => {
                let [y, mo, d, h, mi, sec] = *parts;
                let _ = write!(
                    out,
                    "\"{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}",
                    y % 10_000,
                    mo % 13,
                    d % 32,
                    if sec & 0x8000 == 0 { 'T' } else { 't' },
                    h % 25,
                    mi % 61,
                    sec % 61
                );
                let fraction = usize::from(y >> 14 | mo >> 14 << 2) % 8;
                if fraction > 0 {
                    let digits = format!("{:05}{:05}{:05}", h, mi, d);
                    let _ = write!(out, ".{}", &digits[..fraction * 2]);
                }
                let offset = i32::from(d >> 5) % (24 * 60) - 720;
                if mo & 0x1000 != 0 {
                    out.push(if mo & 0x2000 == 0 { 'Z' } else { 'z' });
                } else {
                    let sign = if offset < 0 { '-' } else { '+' };
                    let m = offset.unsigned_abs();
                    let _ = write!(out, "{sign}{:02}:{:02}", m / 60, m % 60);
                }
                out.push('"');
            }
            Value::Raw(s) => out.push_str(s),
            Value::Nested(depth, objects) => {
                for _ in 0..*depth % 80 {
                    out.push_str(if *objects { "{\"a\":" } else { "[" });
                }
                out.push('1');
                for _ in 0..*depth % 80 {
                    out.push(if *objects { '}' } else { ']' });
                }
            }
        }
    }
}

impl StructuredPage {
    /// The body: a page, or (for `job`) its first job alone.
    fn write(&self, job_only: bool) -> String {
        let spaces = [" ", "", "\n", "\t", "\r\n  "];
        let sp = spaces[usize::from(self.space) % spaces.len()];
        let mut out = String::new();
        if job_only {
            match self.jobs.first() {
                Some(job) => job.write(&mut out, sp),
                None => out.push_str("{}"),
            }
            return out;
        }
        let _ = write!(out, "{sp}{{{sp}\"data\"{sp}:{sp}[");
        for (i, job) in self.jobs.iter().enumerate() {
            if i > 0 {
                let _ = write!(out, "{sp},{sp}");
            }
            job.write(&mut out, sp);
        }
        out.push(']');
        match &self.pagination {
            None => {}
            Some(None) => out.push_str(",\"pagination\":null"),
            Some(Some(next)) => {
                let _ = write!(out, ",{sp}\"pagination\":{sp}{{\"next\":{sp}");
                next.write(&mut out);
                out.push('}');
            }
        }
        for (key, value) in &self.extra {
            out.push(',');
            key.write(&mut out);
            let _ = write!(out, "{sp}:");
            value.write(&mut out);
        }
        let _ = write!(out, "{sp}}}{sp}");
        out
    }
}

impl StructuredJob {
    fn write(&self, out: &mut String, sp: &str) {
        out.push('{');
        let mut first = true;
        let mut comma = |out: &mut String| {
            if !first {
                let _ = write!(out, ",{sp}");
            }
            first = false;
        };
        // the known keys in the order given (each index is a key; repeats make duplicates)
        let order: Vec<usize> = if self.order.is_empty() {
            (0..8).collect()
        } else {
            self.order.iter().map(|i| usize::from(*i) % 9).collect()
        };
        for i in order {
            if i == 8 {
                continue; // leaves the key out
            }
            comma(out);
            let _ = write!(out, "\"{}\"{sp}:{sp}", KNOWN[i]);
            if self.fitting & (1 << i) == 0 {
                self.values[i].write(out);
            } else {
                fitting(i, &self.values[i], out);
            }
        }
        for (key, value) in &self.extra {
            comma(out);
            key.write(out);
            out.push(':');
            value.write(out);
        }
        out.push('}');
    }
}

/// A value of the type known key `i` needs, made from `value`.
fn fitting(i: usize, value: &Value, out: &mut String) {
    match (i, value) {
        (0..=4, Value::Text(_) | Value::Escaped(_) | Value::Status(_)) => value.write(out),
        (0..=4, _) => out.push_str("\"x\""),
        (5 | 6, Value::Timestamp(_) | Value::Null) => value.write(out),
        (5 | 6, _) => out.push_str("\"2024-03-15T10:30:00.000Z\""),
        (_, Value::Decimal(..) | Value::Null) => value.write(out),
        (_, Value::Int(n)) => {
            let _ = write!(out, "{}", n.rem_euclid(101));
        }
        _ => out.push_str("100"),
    }
}
