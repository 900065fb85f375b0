//! Walks every restore-job page through the async `pinecone-restore-reqwest` library.
//!
//! usage: walk-async BASE_URL [--first-page]
//!
//! Reads the API key from PINECONE_API_KEY. Default: the `Client::list_all(Some(100))` stream
//! to the end on a current-thread tokio runtime (the library de-duplicates by
//! restore_job_id), then prints `jobs N pages P`. With --first-page: one
//! `list_page(Some(100), None)`, one line per job id, then exit.

use std::future::poll_fn;
use std::io::{self, Write};
use std::pin::Pin;
use std::process::ExitCode;

use futures_core::Stream;
use pinecone_restore_reqwest::prelude::*;
use pinecone_restore_reqwest::{ApiKey, Client, Limit};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("walk-async: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let base_url = args.next().ok_or("usage: walk-async BASE_URL [--first-page]")?;
    let first_page = args.any(|a| a == "--first-page");
    let key = std::env::var("PINECONE_API_KEY")?;
    let client = Client::builder(ApiKey::new(key)?).base_url(base_url).build()?;
    let limit = Some(Limit::new(100)?);
    if first_page {
        let page = client.list_page(limit, None).await?;
        let mut out = io::stdout().lock();
        for job in &page.jobs {
            writeln!(out, "{}", job.restore_job_id())?;
        }
        out.flush()?;
        return Ok(());
    }
    let mut jobs = client.list_all(limit);
    let mut count = 0u64;
    while let Some(job) = poll_fn(|cx| Pin::new(&mut jobs).poll_next(cx)).await {
        let job = job?;
        std::hint::black_box(&job);
        count += 1;
    }
    writeln!(io::stdout().lock(), "jobs {count} pages {}", jobs.pages())?;
    Ok(())
}
