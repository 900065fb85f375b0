//! Follows several restore jobs at once: one task per job on one client, one progress line per
//! job as its snapshots arrive. Blocking, this would take a thread per wait.
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
use pinecone_restore_reqwest::{
    ApiKey, BackupId, Client, CreateIndexFromBackup, IndexName, JobId, WaitOptions, WaitOutcome,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
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
    let options = WaitOptions::default().interval(interval);
    let mut tasks = tokio::task::JoinSet::new();
    for (n, id) in ids.into_iter().enumerate() {
        let (client, options) = (client.clone(), options.clone());
        tasks.spawn(async move {
            let id = JobId::new(id)?;
            let secrets = client.config().secrets();
            let outcome = client
                .wait(&id, &options, |job| {
                    // server text reaches the terminal through core's text module
                    let shown = |s: &str| text::shown(s, 40, secrets);
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
                .await?;
            Ok::<_, pinecone_restore_reqwest::Error>((n, outcome))
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (n, outcome) = joined??;
        let ended = match outcome {
            WaitOutcome::Completed(_) => "completed",
            WaitOutcome::Ended(_) => "ended without completing",
            WaitOutcome::DeadlinePassed(_) => "still running at the deadline",
            _ => "ended",
        };
        println!("[{}] {ended}", n + 1);
    }
    Ok(())
}
