//! The iterator over every job of a listing.

use pinecone_restore_core::{Pager, RestoreJob};

use crate::client::Client;
use crate::error::Error;

/// Every restore job across all pages, from [`Client::list_all`].
///
/// Fetches one page at a time as it is advanced, so memory is bounded by one page plus the set
/// of ids already yielded. Each `restore_job_id` is yielded once even when pages overlap. After
/// an `Err` it yields `None`; [`Jobs::resume_token`] then says where a new walk could start.
#[derive(Debug)]
pub struct Jobs<'c> {
    client: &'c Client,
    pager: Pager,
    buffered: std::vec::IntoIter<RestoreJob>,
    failed: bool,
}

impl<'c> Jobs<'c> {
    pub(crate) fn new(client: &'c Client, pager: Pager) -> Jobs<'c> {
        Jobs {
            client,
            pager,
            buffered: Vec::new().into_iter(),
            failed: false,
        }
    }

    /// Pages fetched so far.
    pub fn pages(&self) -> u64 {
        self.pager.pages()
    }

    /// The pagination token of the next page to fetch: after an error, the page that failed.
    /// `None` before the second page and once the walk is done.
    pub fn resume_token(&self) -> Option<&str> {
        self.pager.resume_token()
    }

    /// Jobs left out because an earlier page had already yielded their id.
    pub fn duplicates_skipped(&self) -> u64 {
        self.pager.duplicates_skipped()
    }

    fn fetch_page(&mut self) -> Result<bool, Error> {
        let Some(request) = self.pager.next_request(self.client.config())? else {
            return Ok(false);
        };
        let pager = &mut self.pager;
        let jobs = self
            .client
            .execute(&request, |response| pager.handle_response(response))?;
        self.buffered = jobs.into_iter();
        Ok(true)
    }
}

impl Iterator for Jobs<'_> {
    type Item = Result<RestoreJob, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(job) = self.buffered.next() {
                return Some(Ok(job));
            }
            if self.failed {
                return None;
            }
            // a page whose jobs were all seen before is empty: fetch the next one
            match self.fetch_page() {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}
