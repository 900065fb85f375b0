//! Walking every page of a listing, sans IO.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, DefaultHasher, Hasher};

use crate::config::Config;
use crate::error::{Error, InvalidResponse, InvalidResponseKind, quote};
use crate::model::{ListPage, RestoreJob};
use crate::request::{Limit, Request};
use crate::response::Response;

/// A set keyed by 128-bit fingerprints. The hasher is std's SipHash with fixed keys: core
/// draws no randomness, so a walk behaves the same on every run.
type Fingerprints = HashSet<u128, BuildHasherDefault<DefaultHasher>>;

/// A 128-bit fingerprint of `text`: two SipHash-1-3 values under different prefixes. Two
/// distinct ids share one with probability about n² / 2¹²⁹ (for a million ids, 1 in 10²⁷).
fn fingerprint(text: &str) -> u128 {
    let half = |salt: u64| {
        let mut h = DefaultHasher::new();
        h.write_u64(salt);
        h.write(text.as_bytes());
        h.finish()
    };
    u128::from(half(0x243f_6a88_85a3_08d3)) << 64 | u128::from(half(0x1319_8a2e_0370_7344))
}

/// Walks all pages of `GET /restore-jobs`: hands out each request, takes each response, and
/// yields every `restore_job_id` once even when pages overlap.
///
/// Memory stays small however long the walk: ids and tokens already seen are remembered as
/// 16-byte fingerprints, not as text (about 30 bytes a job with the set's overhead).
///
/// The page size stays the same for the whole walk (a token carries its page size). A token
/// the server hands back a second time stops the walk with an error rather than looping, and
/// an optional page cap bounds it. After any error, [`Pager::resume_token`] says where a new
/// walk can pick up.
///
/// ```
/// use pinecone_restore_core::{ApiKey, Config, Limit, Pager, Response};
///
/// let config = Config::builder(ApiKey::new("k")?).build()?;
/// let mut pager = Pager::new(Some(Limit::new(2)?));
/// let pages: [&[u8]; 2] = [
///     br#"{"data":[{"restore_job_id":"a","backup_id":"b","target_index_name":"n",
///          "target_index_id":"i","status":"Completed","created_at":null}],
///          "pagination":{"next":"dG9r+/="}}"#,
///     br#"{"data":[],"pagination":null}"#,
/// ];
/// let mut seen = Vec::new();
/// for body in pages {
///     let request = pager.next_request(&config)?.expect("a page remains");
///     let jobs = pager.handle_response(&Response { status: 200, headers: &[], body })?;
///     seen.extend(jobs.into_iter().map(|j| j.restore_job_id().to_owned()));
/// }
/// assert_eq!(seen, ["a"]);
/// assert!(pager.next_request(&config)?.is_none());
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Pager {
    limit: Option<Limit>,
    /// The token of the page to fetch next; `None` is the first page.
    token: Option<String>,
    state: State,
    /// Fingerprints of the tokens requested (the first page counts as the empty token).
    visited: Fingerprints,
    seen_ids: Fingerprints,
    pages: u64,
    max_pages: Option<u64>,
    duplicates: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Ready,
    Done,
    Failed,
}

impl Pager {
    /// A walk from the first page with page size `limit` (`None`: the server's default).
    pub fn new(limit: Option<Limit>) -> Pager {
        Pager {
            limit,
            token: None,
            state: State::Ready,
            visited: Fingerprints::default(),
            seen_ids: Fingerprints::default(),
            pages: 0,
            max_pages: None,
            duplicates: 0,
        }
    }

    /// Starts at the page of `token` instead of the first (an empty token is the first page).
    pub fn starting_at(mut self, token: impl Into<String>) -> Pager {
        self.token = Some(token.into()).filter(|t| !t.is_empty());
        self
    }

    /// Stops with an error of kind [`InvalidResponseKind::PageLimit`] rather than fetch more
    /// than `pages` pages.
    pub fn max_pages(mut self, pages: u64) -> Pager {
        self.max_pages = Some(pages);
        self
    }

    /// The request for the next page, or `None` once the last page was handled.
    ///
    /// Calling it again before [`Pager::handle_response`] returns the same request, so a
    /// transport can resend it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidResponse`] of kind [`InvalidResponseKind::PaginationLoop`] when the next
    /// token was already visited, or [`InvalidResponseKind::PageLimit`] when the page cap is
    /// reached and more pages remain. The walk is then over.
    pub fn next_request(&mut self, config: &Config) -> Result<Option<Request>, Error> {
        match self.state {
            State::Done | State::Failed => return Ok(None),
            State::Ready => {}
        }
        if self.pages > 0 && self.visited.contains(&self.token_fingerprint()) {
            self.state = State::Failed;
            return Err(InvalidResponse::new(
                InvalidResponseKind::PaginationLoop,
                "pagination.next",
                format!(
                    "expected a token not seen before, found `{}` again after {} pages \
                     (the server is looping)",
                    quote(self.token.as_deref().unwrap_or("")),
                    self.pages
                ),
            )
            .into());
        }
        if self.max_pages.is_some_and(|max| self.pages >= max) {
            self.state = State::Failed;
            return Err(InvalidResponse::new(
                InvalidResponseKind::PageLimit,
                "pagination.next",
                format!(
                    "stopped at the cap of {} pages; more pages remain (resume with token `{}`)",
                    self.pages,
                    quote(self.token.as_deref().unwrap_or(""))
                ),
            )
            .into());
        }
        Ok(Some(config.list_request(self.limit, self.token.as_deref())))
    }

    /// Takes the response to the last request and returns the jobs on it not yielded before.
    ///
    /// # Errors
    ///
    /// As [`Response::list_page`]; the walk is then over, and [`Pager::resume_token`] names the
    /// page that failed.
    pub fn handle_response(&mut self, response: &Response<'_>) -> Result<Vec<RestoreJob>, Error> {
        match response.list_page() {
            Ok(page) => Ok(self.handle_page(page)),
            Err(e) => {
                self.state = State::Failed;
                Err(e)
            }
        }
    }

    /// Takes a page parsed elsewhere; returns its jobs not yielded before.
    pub fn handle_page(&mut self, page: ListPage) -> Vec<RestoreJob> {
        if self.state != State::Ready {
            return Vec::new();
        }
        self.pages += 1;
        self.visited.insert(self.token_fingerprint());
        self.token = None;
        let before = page.jobs.len();
        let fresh: Vec<RestoreJob> = page
            .jobs
            .into_iter()
            .filter(|job| self.seen_ids.insert(fingerprint(job.restore_job_id())))
            .collect();
        self.duplicates += (before - fresh.len()) as u64;
        match page.next {
            Some(next) => self.token = Some(next),
            None => self.state = State::Done,
        }
        fresh
    }

    /// The first page has no token; `next` is never empty (the parser reads an empty `next`
    /// as "no more pages"), so the empty text stands for it.
    fn token_fingerprint(&self) -> u128 {
        fingerprint(self.token.as_deref().unwrap_or(""))
    }

    /// `true` once the last page was handled.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// The token of the page to fetch next: after an error, where a new walk can resume with
    /// [`Pager::starting_at`]. `None` means the first page.
    pub fn resume_token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The page size used for every request of this walk.
    pub fn limit(&self) -> Option<Limit> {
        self.limit
    }

    /// Pages handled so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Jobs dropped because an earlier page already had them.
    pub fn duplicates_skipped(&self) -> u64 {
        self.duplicates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ApiKey;

    fn config() -> Config {
        Config::builder(ApiKey::new("k").unwrap()).build().unwrap()
    }

    fn page(ids: &[&str], next: Option<&str>) -> String {
        let jobs: Vec<String> = ids
            .iter()
            .map(|id| {
                format!(
                    r#"{{"restore_job_id":"{id}","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"Completed","created_at":"2024-01-01T00:00:00Z"}}"#
                )
            })
            .collect();
        let pagination = match next {
            Some(t) => format!(r#"{{"next":"{t}"}}"#),
            None => "null".to_owned(),
        };
        format!(
            r#"{{"data":[{}],"pagination":{pagination}}}"#,
            jobs.join(",")
        )
    }

    /// Feeds `pages` in order; returns the ids yielded and the requests' URLs.
    fn walk(pager: &mut Pager, pages: &[String]) -> (Vec<String>, Vec<String>, Option<Error>) {
        let config = config();
        let (mut ids, mut urls) = (Vec::new(), Vec::new());
        for body in pages {
            match pager.next_request(&config) {
                Ok(Some(r)) => urls.push(r.url),
                Ok(None) => break,
                Err(e) => return (ids, urls, Some(e)),
            }
            let response = Response {
                status: 200,
                headers: &[],
                body: body.as_bytes(),
            };
            match pager.handle_response(&response) {
                Ok(jobs) => ids.extend(jobs.iter().map(|j| j.restore_job_id().to_owned())),
                Err(e) => return (ids, urls, Some(e)),
            }
        }
        let tail = pager.next_request(&config).err();
        (ids, urls, tail)
    }

    #[test]
    fn overlapping_pages_yield_each_id_once_and_keep_the_limit() {
        let mut pager = Pager::new(Some(Limit::new(3).unwrap()));
        let pages = [
            page(&["a", "b", "c"], Some("t+1=")),
            page(&["c", "d", "e"], Some("t/2")),
            page(&["e", "f"], None),
        ];
        let (ids, urls, err) = walk(&mut pager, &pages);
        assert!(err.is_none());
        assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
        assert_eq!(pager.duplicates_skipped(), 2);
        assert!(pager.is_done());
        assert_eq!(
            urls,
            [
                "https://api.pinecone.io/restore-jobs?limit=3",
                "https://api.pinecone.io/restore-jobs?limit=3&paginationToken=t%2B1%3D",
                "https://api.pinecone.io/restore-jobs?limit=3&paginationToken=t%2F2",
            ]
        );
    }

    #[test]
    fn a_repeated_token_stops_the_walk() {
        let mut pager = Pager::new(None);
        let pages = [
            page(&["a"], Some("t1")),
            page(&["b"], Some("t2")),
            page(&["c"], Some("t1")),
            page(&["never"], None),
        ];
        let (ids, _, err) = walk(&mut pager, &pages);
        assert_eq!(ids, ["a", "b", "c"], "jobs before the loop are kept");
        let err = err.unwrap();
        assert!(
            matches!(&err, Error::InvalidResponse(e) if e.kind() == InvalidResponseKind::PaginationLoop)
        );
        assert!(
            err.to_string().contains("`t1` again after 3 pages"),
            "{err}"
        );
        assert_eq!(pager.resume_token(), Some("t1"));
        assert!(pager.next_request(&config()).unwrap().is_none());
    }

    #[test]
    fn a_token_pointing_back_to_the_start_is_a_loop() {
        let mut pager = Pager::new(None).starting_at("s");
        let (_, urls, err) = walk(&mut pager, &[page(&["a"], Some("s"))]);
        assert_eq!(
            urls,
            ["https://api.pinecone.io/restore-jobs?paginationToken=s"]
        );
        assert!(err.unwrap().to_string().contains("`s` again"));
    }

    #[test]
    fn tokens_in_messages_are_escaped() {
        let mut pager = Pager::new(None);
        let pages = [
            page(&["a"], Some(r"\u001b[2J")),
            page(&["b"], Some(r"\u001b[2J")),
        ];
        let (_, _, err) = walk(&mut pager, &pages);
        let shown = err.unwrap().to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert_eq!(
            pager.resume_token(),
            Some("\u{1b}[2J"),
            "the raw token stays available"
        );
    }

    #[test]
    fn page_cap() {
        let mut pager = Pager::new(None).max_pages(2);
        let pages = [
            page(&["a"], Some("t1")),
            page(&["b"], Some("t2")),
            page(&["c"], None),
        ];
        let (ids, _, err) = walk(&mut pager, &pages);
        assert_eq!(ids, ["a", "b"]);
        let err = err.unwrap();
        assert!(err.to_string().contains("cap of 2 pages"), "{err}");
        assert_eq!(pager.resume_token(), Some("t2"));
        let mut exact = Pager::new(None).max_pages(2);
        let (_, _, err) = walk(&mut exact, &[page(&["a"], Some("t1")), page(&["b"], None)]);
        assert!(err.is_none(), "reaching the cap on the last page is fine");
    }

    #[test]
    fn an_error_page_says_where_to_resume() {
        let mut pager = Pager::new(None);
        let (ids, _, err) = walk(&mut pager, &[page(&["a"], Some("t1")), "{".to_owned()]);
        assert_eq!(ids, ["a"]);
        assert!(err.unwrap().is_invalid_response());
        assert_eq!(pager.resume_token(), Some("t1"));
        let config = config();
        let resumed = Pager::new(None)
            .starting_at("t1")
            .next_request(&config)
            .unwrap()
            .unwrap();
        assert!(resumed.url.ends_with("paginationToken=t1"));
    }

    #[test]
    fn same_request_until_handled() {
        let config = config();
        let mut pager = Pager::new(None);
        let a = pager.next_request(&config).unwrap();
        let b = pager.next_request(&config).unwrap();
        assert_eq!(a, b);
    }
}
