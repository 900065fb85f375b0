//! The iterator over every job of a listing.

use pinecone_restore_core::{Error, Limit, PaginationToken, RestoreJob, Step, Walk};

use crate::client::Client;

/// Every restore job across all pages, from [`Client::list_all`].
///
/// Fetches one page at a time as it is advanced, so memory is bounded by one page plus the set
/// of ids already yielded. Each `restore_job_id` is yielded once even when pages overlap. After
/// an `Err` it yields `None`; [`Jobs::resume_token`] then says where a new walk could start.
/// Core's [`Walk`] decides everything; this only runs it.
#[derive(Debug)]
pub struct Jobs<'c> {
    client: &'c Client,
    walk: Walk,
    buffered: std::vec::IntoIter<RestoreJob>,
    ended: bool,
}

impl<'c> Jobs<'c> {
    pub(crate) fn new(client: &'c Client, walk: Walk) -> Jobs<'c> {
        Jobs {
            client,
            walk,
            buffered: Vec::new().into_iter(),
            ended: false,
        }
    }

    /// Pages fetched so far.
    pub fn pages(&self) -> u64 {
        self.walk.pages()
    }

    /// The pagination token of the next page to fetch: after an error, the page that failed.
    /// `None` before the second page and once the walk is done.
    pub fn resume_token(&self) -> Option<&PaginationToken> {
        self.walk.resume_token()
    }

    /// Jobs left out because an earlier page had already yielded their id.
    pub fn duplicates_skipped(&self) -> u64 {
        self.walk.duplicates_skipped()
    }

    /// The page size of this walk.
    pub fn limit(&self) -> Option<Limit> {
        self.walk.limit()
    }
}

impl Iterator for Jobs<'_> {
    type Item = Result<RestoreJob, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(job) = self.buffered.next() {
                return Some(Ok(job));
            }
            if self.ended {
                return None;
            }
            match self.client.advance(&mut self.walk) {
                Step::Yield(jobs) => self.buffered = jobs.into_iter(),
                Step::Done(result) => {
                    self.ended = true;
                    return result.err().map(Err);
                }
                Step::Send(_) | Step::Sleep(_) => {}
            }
        }
    }
}
