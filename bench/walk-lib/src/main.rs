//! Walks every restore-job page through the `pinecone-restore-ureq` library.
//!
//! usage: walk-lib BASE_URL [--first-page]
//!
//! Reads the API key from PINECONE_API_KEY. Default: `Client::list_all(Some(100))` to the end
//! (the library de-duplicates by restore_job_id), then prints `jobs N pages P`.
//! With --first-page: one `list_page(Some(100), None)`, one line per job id, then exit.

use std::io::{self, Write};
use std::process::ExitCode;

use pinecone_restore_ureq::{ApiKey, Client, Limit};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("walk-lib: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let base_url = args.next().ok_or("usage: walk-lib BASE_URL [--first-page]")?;
    let first_page = args.any(|a| a == "--first-page");
    let key = std::env::var("PINECONE_API_KEY")?;
    let client = Client::builder(ApiKey::new(key)?).base_url(base_url).build()?;
    let limit = Some(Limit::new(100)?);
    let mut out = io::stdout().lock();
    if first_page {
        let page = client.list_page(limit, None)?;
        for job in &page.jobs {
            writeln!(out, "{}", job.restore_job_id())?;
        }
        out.flush()?;
        return Ok(());
    }
    let mut jobs = client.list_all(limit);
    let mut count = 0u64;
    for job in jobs.by_ref() {
        let job = job?;
        std::hint::black_box(&job);
        count += 1;
    }
    writeln!(out, "jobs {count} pages {}", jobs.pages())?;
    Ok(())
}
