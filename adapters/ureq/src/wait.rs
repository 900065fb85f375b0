//! What [`Client::wait`](crate::Client::wait) takes and returns.

use std::time::Duration;

use pinecone_restore_core::RestoreJob;

/// How [`Client::wait`](crate::Client::wait) polls.
#[derive(Debug, Clone)]
pub struct WaitOptions {
    /// Time between two describes. Default 5 s.
    pub interval: Duration,
    /// Give up after this long; `None` (the default) waits until the job finishes.
    pub timeout: Option<Duration>,
    /// How many 404s to tolerate before the job has been seen once (the API answers 404 for a
    /// short while after a restore starts). Default 3.
    pub not_found_tolerance: u32,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            interval: Duration::from_secs(5),
            timeout: None,
            not_found_tolerance: 3,
        }
    }
}

/// How a wait ended, when it did not fail.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WaitOutcome {
    /// The job finished `Completed`.
    Completed(RestoreJob),
    /// The job finished without completing: `Failed` or `Cancelled`.
    Ended(RestoreJob),
    /// The timeout passed first; the last snapshot seen, if any.
    DeadlinePassed(Option<RestoreJob>),
}
