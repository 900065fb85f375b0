//! Parsing a realistic 100-job page: this crate's validating parser next to serde_json's bare
//! borrowed parse of the same bytes (the floor), reported as a ratio.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput};
use pinecone_restore_core::ApiVersion;
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
    group.finish();
    c.final_summary();

    // The median, not the mean: on a shared machine a few scheduler stalls drag the mean of
    // whichever function they hit, and the ratio with it.
    let median = |name: &str| -> Option<f64> {
        let path = out_dir
            .join("parse_100_jobs")
            .join(name)
            .join("new/estimates.json");
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        json["median"]["point_estimate"].as_f64()
    };
    if let (Some(ours), Some(floor)) = (
        median("pinecone_restore_core"),
        median("serde_json_borrowed_floor"),
    ) {
        eprintln!(
            "page: {} bytes, 100 jobs; median ours {:.1} us, serde_json bare borrowed {:.1} us; ratio {:.2}x (goal <= 1.20x)",
            body.len(),
            ours / 1000.0,
            floor / 1000.0,
            ours / floor
        );
    }
}
