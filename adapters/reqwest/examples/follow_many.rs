//! Follows several restore jobs at once with `Client::wait_all`: one deadline for all, one
//! progress line per snapshot as it arrives, then each job's end. (The blocking client's
//! `wait_all` does the same on one thread.)
//!
//! ```sh
//! cargo run -p pinecone-restore-reqwest --example follow_many               # demo: starts 5 restores
//! cargo run -p pinecone-restore-reqwest --example follow_many -- ID1 ID2 …  # real jobs
//! ```
//!
//! With no ids it serves the built-in demo control plane on 127.0.0.1, starts five restores
//! there and follows them; with ids it follows those, reading `PINECONE_API_KEY` (and
//! `PINECONE_CONTROLLER_HOST`) from the environment.

use std::time::{Duration, Instant};

use pinecone_restore_fake::{DEMO_BACKUP_ID, FakeControlPlane};
use pinecone_restore_reqwest::core::text;
use pinecone_restore_reqwest::prelude::*;
use pinecone_restore_reqwest::{
    ApiKey, BackupId, Client, CreateIndexFromBackup, IndexName, JobId, WaitOptions, WaitOutcome,
};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // the message, as the command prints it, not the error's Debug
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let ids: Vec<String> = std::env::args().skip(1).collect();
    // the demo server lives until the end of main
    let (client, ids, interval, _demo) = if ids.is_empty() {
        let demo = FakeControlPlane::demo().start()?;
        let client = Client::builder(ApiKey::new("demo-api-key")?)
            .base_url(demo.base_url())
            .build()?;
        let mut started = Vec::new();
        for n in 1..=5 {
            let request = CreateIndexFromBackup::new(IndexName::new(format!("restored-{n}"))?);
            let restore = client
                .create_index_from_backup(&BackupId::new(DEMO_BACKUP_ID)?, &request)
                .await?;
            started.push(restore.restore_job_id().to_owned());
        }
        (client, started, Duration::from_millis(300), Some(demo))
    } else {
        (Client::from_env()?, ids, Duration::from_secs(5), None)
    };

    let start = Instant::now();
    let ids = ids
        .into_iter()
        .map(JobId::new)
        .collect::<Result<Vec<_>, _>>()?;
    let options = WaitOptions::default().interval(interval);
    let secrets = client.config().secrets();
    // server text reaches the terminal through core's text module
    let shown = |s: &str| text::shown(s, 40, secrets);
    let ends = client
        .wait_all(&ids, &options, |n, job| {
            let percent = job
                .percent_complete()
                .map_or_else(|| "-".to_owned(), |p| format!("{p}%"));
            println!(
                "[{}] {:<40} {:<10} {:>5}  {:.1}s",
                n + 1,
                shown(job.restore_job_id()),
                shown(job.status().as_str()),
                percent,
                start.elapsed().as_secs_f64()
            );
        })
        .await;
    for (n, end) in ends.iter().enumerate() {
        let ended = match end {
            Ok(WaitOutcome::Completed(_)) => "completed".to_owned(),
            Ok(WaitOutcome::Ended(_)) => "ended without completing".to_owned(),
            Ok(WaitOutcome::DeadlinePassed(_)) => "still running at the deadline".to_owned(),
            Ok(_) => "ended".to_owned(),
            // core's errors are already escaped and scrubbed
            Err(e) => format!("could not be followed: {e}"),
        };
        println!("[{}] {ended}", n + 1);
    }
    Ok(())
}
