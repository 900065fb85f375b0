//! Walks every restore-job page through the `pinecone-restore-ureq` library.
//!
//! usage: walk-lib BASE_URL [--first-page]
//!
//! Reads the API key from PINECONE_API_KEY. Default: `Client::list_all(Some(100))` to the end
//! (the library de-duplicates by restore_job_id), then prints `jobs N pages P`.
//! With --first-page: one `list_page(Some(100), None)`, one line per job id, then exit.
//!
//! Built with `--features tracing` and run with `WALK_SUBSCRIBER=1`, a subscriber takes every
//! event at every level and formats its fields (as a logging subscriber would, into a buffer
//! that is then dropped): the cost of the feature with a subscriber listening.

use std::io::{self, Write};
use std::process::ExitCode;

use pinecone_restore_ureq::prelude::*;
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
    #[cfg(feature = "tracing")]
    if std::env::var_os("WALK_SUBSCRIBER").is_some() {
        tracing::subscriber::set_global_default(formatting::Formatting)?;
    }
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

#[cfg(feature = "tracing")]
mod formatting {
    use std::fmt::{Debug, Write};
    use std::sync::atomic::{AtomicU64, Ordering};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// Accepts everything and formats each event's fields into a fresh `String`.
    pub(crate) struct Formatting;

    static NEXT_SPAN: AtomicU64 = AtomicU64::new(1);

    struct Line(String);

    impl Visit for Line {
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    impl Subscriber for Formatting {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut line = Line(String::new());
            span.record(&mut line);
            std::hint::black_box(&line.0);
            Id::from_u64(NEXT_SPAN.fetch_add(1, Ordering::Relaxed))
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut line = Line(String::with_capacity(256));
            event.record(&mut line);
            std::hint::black_box(&line.0);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}
