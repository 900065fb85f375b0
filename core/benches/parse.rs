//! Parsing a realistic 100-job page: this crate's validating parser next to serde_json's bare
//! borrowed parse of the same bytes (the floor), reported as a ratio; and the fast path's share:
//! the page and one job (a describe) by the parser in use (the fast path) and by the reference
//! parser alone (serde visitors), which the fast path defers to for what it cannot vouch for;
//! and one timestamp read in place at the cursor next to scanning it as a string and parsing
//! that, the path the in-place reader saves.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput};
use pinecone_restore_core::ApiVersion;
use pinecone_restore_core::differential as d;
use pinecone_restore_core::text::Secrets;
use serde::Deserialize;

#[path = "../tests/support/page.rs"]
mod page;

/// The floor: serde_json into borrowed structs, no validation, no timestamp parsing.
#[derive(Deserialize)]
#[allow(dead_code)] // fields exist to be parsed, not read
struct BarePage<'a> {
    #[serde(borrow)]
    data: Vec<BareJob<'a>>,
    #[serde(borrow)]
    pagination: Option<BarePagination<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BareJob<'a> {
    restore_job_id: &'a str,
    backup_id: &'a str,
    target_index_name: &'a str,
    target_index_id: &'a str,
    status: &'a str,
    created_at: Option<&'a str>,
    completed_at: Option<&'a str>,
    percent_complete: Option<f64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BarePagination<'a> {
    next: Option<&'a str>,
}

/// One parse of `body` by `which`, the only function callgrind counts in `PARSE_ONCE` mode.
#[inline(never)]
fn once(which: &str, body: &[u8]) -> bool {
    match which {
        "ours" => pinecone_restore_core::parse_list_page(body, &ApiVersion::V2025_04).is_ok(),
        "floor" => serde_json::from_slice::<BarePage<'_>>(body).is_ok(),
        "reference" => {
            d::reference_list_page(body, &ApiVersion::V2025_04, &Secrets::none()).is_ok()
        }
        // a describe: `body` is then the page's first job
        "job" => pinecone_restore_core::parse_job(body, &ApiVersion::V2025_04).is_ok(),
        "job/reference" => d::reference_job(body, &ApiVersion::V2025_04, &Secrets::none()).is_ok(),
        _ => panic!("PARSE_ONCE={which}: expected ours, floor, reference, job or job/reference"),
    }
}

fn main() {
    // bench/run passes the fake control plane's own 100-job page here, so that this bench and
    // the Python SDK's decoder time identical bytes; otherwise the generator's page is used.
    let body = match std::env::var_os("PARSE_BENCH_PAGE") {
        Some(path) => std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("PARSE_BENCH_PAGE={}: {e}", PathBuf::from(&path).display())),
        None => page::realistic_page(100, Some("eyJvZmZzZXQiOjEwMH0+/w==")),
    };
    assert_eq!(
        pinecone_restore_core::parse_list_page(body.as_bytes(), &ApiVersion::V2025_04)
            .map(|p| p.jobs.len()),
        Ok(100)
    );
    // `PARSE_ONCE=ours|floor|reference` (or `job|job/reference`: the page's first job, as a
    // describe): one parse and nothing else, for counting instructions (`valgrind
    // --tool=callgrind --toggle-collect='*parse*once*'`), which hold on a loaded machine where
    // wall times do not.
    if let Ok(which) = std::env::var("PARSE_ONCE") {
        let body = match which.as_str() {
            "job" | "job/reference" => first_job(&body),
            _ => body,
        };
        assert!(once(&which, body.as_bytes()), "PARSE_ONCE={which}");
        eprintln!("{which}: {} bytes", body.len());
        return;
    }
    let out_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion");
    let mut c = Criterion::default()
        .output_directory(&out_dir)
        .configure_from_args();
    let mut group = c.benchmark_group("parse_100_jobs");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("pinecone_restore_core", |b| {
        b.iter(|| {
            pinecone_restore_core::parse_list_page(
                black_box(body.as_bytes()),
                &ApiVersion::V2025_04,
            )
        })
    });
    group.bench_function("serde_json_borrowed_floor", |b| {
        b.iter(|| {
            serde_json::from_slice::<BarePage<'_>>(black_box(body.as_bytes())).map(|p| p.data.len())
        })
    });
    let none = Secrets::none();
    group.bench_function("reference", |b| {
        b.iter(|| d::reference_list_page(black_box(body.as_bytes()), &ApiVersion::V2025_04, &none))
    });
    group.finish();

    // a describe: the page's first job alone (the job the fake serves is of the same shape)
    let job = first_job(&body);
    assert!(d::fast_job(job.as_bytes(), &ApiVersion::V2025_04, &none).is_some());
    let mut group = c.benchmark_group("parse_one_job");
    group.throughput(Throughput::Bytes(job.len() as u64));
    group.bench_function("pinecone_restore_core", |b| {
        b.iter(|| {
            pinecone_restore_core::parse_job(black_box(job.as_bytes()), &ApiVersion::V2025_04)
        })
    });
    group.bench_function("reference", |b| {
        b.iter(|| d::reference_job(black_box(job.as_bytes()), &ApiVersion::V2025_04, &none))
    });
    group.finish();

    // one timestamp of the page as a job's reading takes it: read in place at the cursor, and
    // scanned as a string and then parsed, the path the in-place reader saves
    let stamp = first_timestamp(&body);
    let quoted = format!("\"{stamp}\"");
    let in_place = d::scan_timestamp(&quoted, true);
    assert!(in_place.is_some());
    assert_eq!(in_place, d::scan_timestamp(&quoted, false));
    let mut group = c.benchmark_group("parse_timestamp");
    group.throughput(Throughput::Bytes(quoted.len() as u64));
    group.bench_function("in_place", |b| {
        b.iter(|| d::scan_timestamp(black_box(&quoted), true))
    });
    group.bench_function("string", |b| {
        b.iter(|| d::scan_timestamp(black_box(&quoted), false))
    });
    group.finish();
    c.final_summary();

    // The median, not the mean: on a shared machine a few scheduler stalls drag the mean of
    // whichever function they hit, and the ratio with it.
    let median_of = |group: &str, name: &str| -> Option<f64> {
        let path = out_dir.join(group).join(name).join("new/estimates.json");
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        json["median"]["point_estimate"].as_f64()
    };
    let median = |name: &str| median_of("parse_100_jobs", name);
    if let (Some(ours), Some(floor)) = (
        median("pinecone_restore_core"),
        median("serde_json_borrowed_floor"),
    ) {
        eprintln!(
            "page: {} bytes, 100 jobs; median ours {:.1} us, serde_json bare borrowed {:.1} us; ratio {:.2}x (goal <= 0.80x)",
            body.len(),
            ours / 1000.0,
            floor / 1000.0,
            ours / floor
        );
    }
    if let (Some(fast), Some(string)) = (
        median_of("parse_timestamp", "in_place"),
        median_of("parse_timestamp", "string"),
    ) {
        eprintln!(
            "timestamp ({stamp}): median read in place {fast:.1} ns, scanned as a string and parsed {string:.1} ns; in place/string {:.2}x",
            fast / string
        );
    }
    for (group, what, bytes) in [
        ("parse_100_jobs", "page", body.len()),
        ("parse_one_job", "one job", job.len()),
    ] {
        if let (Some(fast), Some(reference)) = (
            median_of(group, "pinecone_restore_core"),
            median_of(group, "reference"),
        ) {
            eprintln!(
                "fast path, {what} ({bytes} bytes): median {:.2} us ({:.0} MB/s), the reference parser {:.2} us ({:.0} MB/s); fast/reference {:.2}x",
                fast / 1000.0,
                bytes as f64 / fast * 1e3,
                reference / 1000.0,
                bytes as f64 / reference * 1e3,
                fast / reference
            );
        }
    }
}

/// The first job object of a page written by the generator or the fake (no nested objects in
/// a job, so the first `}` ends it).
fn first_job(page: &str) -> String {
    let start = page.find("[{").map_or(0, |i| i + 1);
    let end = page[start..]
        .find('}')
        .map_or(page.len(), |i| start + i + 1);
    page[start..end].to_owned()
}

/// The page's first `created_at` value (the generator and the fake both send one).
fn first_timestamp(page: &str) -> String {
    let key = "\"created_at\":\"";
    let start = page.find(key).expect("a created_at") + key.len();
    let len = page[start..].find('"').expect("its closing quote");
    page[start..start + len].to_owned()
}
