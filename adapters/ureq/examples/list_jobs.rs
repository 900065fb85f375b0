//! Lists every restore job of a local fake control plane, page by page, and reports what the
//! walk cost: wall time, requests sent and connections opened.
//!
//! ```text
//! cargo run --release -p pinecone-restore-ureq --example list_jobs -- [JOBS] [PAGE_SIZE]
//! ```
//!
//! Defaults: 10,000 jobs in pages of 100.

use std::time::Instant;

use pinecone_restore_fake::FakeControlPlane;
use pinecone_restore_ureq::prelude::*;
use pinecone_restore_ureq::{ApiKey, Client, Limit};

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // the message, as the command prints it, not the error's Debug
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let jobs: usize = args.next().map_or(Ok(10_000), |a| a.parse())?;
    let page_size = Limit::new(args.next().map_or(Ok(100), |a| a.parse())?)?;

    let server = FakeControlPlane::builder().jobs(jobs).start()?;
    let client = Client::builder(ApiKey::new("demo-key")?)
        .base_url(server.base_url())
        .build()?;

    let started = Instant::now();
    let mut walk = client.list_all(Some(page_size));
    let mut count = 0u64;
    let mut completed = 0u64;
    for job in walk.by_ref() {
        let job = job?;
        count += 1;
        completed += u64::from(job.status().as_str() == "Completed");
    }
    let elapsed = started.elapsed();
    let stats = server.stats();

    println!("jobs listed:         {count} ({completed} completed)");
    println!("pages:               {} of up to {page_size}", walk.pages());
    println!("wall time:           {:.1} ms", elapsed.as_secs_f64() * 1e3);
    println!("requests sent:       {}", stats.requests);
    println!("connections opened:  {}", stats.connections);
    Ok(())
}
