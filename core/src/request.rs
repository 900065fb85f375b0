//! Requests as plain data: method, full URL and headers, ready for any transport.

use std::fmt;
use std::str::FromStr;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::config::{API_KEY_HEADER, API_VERSION_HEADER, Config};
use crate::error::{Error, InvalidArgument};

/// Everything but RFC 3986 unreserved characters is encoded, in query values and path
/// segments alike: a base64 token's `+`, `/` and `=` survive, and so do `&`, `#`, `?` and
/// spaces.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `text` as one URL component (a query value or a path segment).
pub fn encode_component(text: &str) -> impl fmt::Display + '_ {
    utf8_percent_encode(text, COMPONENT)
}

/// The HTTP method of a [`Request`]. The restore-job API is read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
}

impl Method {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
        }
    }
}

/// A request to send: method, full URL and headers, all plain data.
///
/// `Debug` shows the `Api-Key` header redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The absolute URL, already percent-encoded.
    pub url: String,
    /// Header names and values, each checked header-safe.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let shown = if n.eq_ignore_ascii_case(API_KEY_HEADER) {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                (n.as_str(), shown)
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .finish()
    }
}

/// A page size, always in `1..=100`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Limit(u8);

impl Limit {
    /// The largest page the API serves.
    pub const MAX: Limit = Limit(100);

    /// Checks `n` is in `1..=100`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] naming the value when it is out of range.
    ///
    /// ```
    /// use pinecone_restore_core::Limit;
    ///
    /// assert_eq!(Limit::new(25)?.get(), 25);
    /// assert!(Limit::new(0).is_err());
    /// assert!(Limit::new(101).is_err());
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn new(n: u64) -> Result<Limit, Error> {
        match u8::try_from(n) {
            Ok(v @ 1..=100) => Ok(Limit(v)),
            _ => Err(InvalidArgument::new(
                "limit",
                format!("expected a number in 1..=100, found `{n}`"),
            )
            .into()),
        }
    }

    /// The page size.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl FromStr for Limit {
    type Err = Error;

    fn from_str(s: &str) -> Result<Limit, Error> {
        s.parse::<u64>().map_or_else(
            |_| {
                Err(InvalidArgument::new(
                    "limit",
                    format!("expected a number in 1..=100, found `{}`", s.escape_debug()),
                )
                .into())
            },
            Limit::new,
        )
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A restore job id that can stand as one URL path segment: not empty, not `.` or `..`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JobId(String);

impl JobId {
    /// Checks `id`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `id` is empty, `.` or `..` (which would address another
    /// path, not a job). Every other character is percent-encoded when sent.
    ///
    /// ```
    /// use pinecone_restore_core::JobId;
    ///
    /// assert!(JobId::new("670e8400-e29b-41d4-a716-446655440001").is_ok());
    /// assert!(JobId::new("..").is_err());
    /// ```
    pub fn new(id: impl Into<String>) -> Result<JobId, Error> {
        let id = id.into();
        if id.is_empty() || id == "." || id == ".." {
            return Err(InvalidArgument::new(
                "job id",
                format!("expected a restore job id, found `{id}`"),
            )
            .into());
        }
        Ok(JobId(id))
    }

    /// The id as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for JobId {
    type Err = Error;

    fn from_str(s: &str) -> Result<JobId, Error> {
        JobId::new(s)
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Config {
    /// `GET /restore-jobs`, one page.
    ///
    /// `limit` of `None` leaves the page size to the server (10). An empty `token` means the
    /// first page, as an empty `pagination.next` means "no more pages".
    ///
    /// ```
    /// use pinecone_restore_core::{ApiKey, Config, Limit};
    ///
    /// let config = Config::builder(ApiKey::new("k")?).build()?;
    /// let request = config.list_request(Some(Limit::new(50)?), Some("dXNl+cl8=/"));
    /// assert_eq!(
    ///     request.url,
    ///     "https://api.pinecone.io/restore-jobs?limit=50&paginationToken=dXNl%2Bcl8%3D%2F"
    /// );
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn list_request(&self, limit: Option<Limit>, token: Option<&str>) -> Request {
        let mut url = format!("{}/restore-jobs", self.base_url());
        let mut sep = '?';
        if let Some(limit) = limit {
            url.push(sep);
            url.push_str("limit=");
            url.push_str(&limit.to_string());
            sep = '&';
        }
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            url.push(sep);
            url.push_str("paginationToken=");
            url.push_str(&encode_component(token).to_string());
        }
        self.request(url)
    }

    /// `GET /restore-jobs/{id}`, the id percent-encoded as one path segment.
    ///
    /// ```
    /// use pinecone_restore_core::{ApiKey, Config, JobId};
    ///
    /// let config = Config::builder(ApiKey::new("k")?).base_url("https://h/gw/").build()?;
    /// let request = config.describe_request(&JobId::new("a/b c")?);
    /// assert_eq!(request.url, "https://h/gw/restore-jobs/a%2Fb%20c");
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn describe_request(&self, id: &JobId) -> Request {
        let url = format!(
            "{}/restore-jobs/{}",
            self.base_url(),
            encode_component(id.as_str())
        );
        self.request(url)
    }

    fn request(&self, url: String) -> Request {
        let mut headers = Vec::with_capacity(4 + self.extra_headers().len());
        headers.push((
            API_KEY_HEADER.to_owned(),
            self.api_key().expose_secret().to_owned(),
        ));
        headers.push((API_VERSION_HEADER.to_owned(), self.api_version().to_owned()));
        headers.push(("User-Agent".to_owned(), self.user_agent().to_owned()));
        headers.push(("Accept".to_owned(), "application/json".to_owned()));
        headers.extend(self.extra_headers().iter().cloned());
        Request {
            method: Method::Get,
            url,
            headers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ApiKey;

    fn config(base: &str) -> Config {
        Config::builder(ApiKey::new("secret-key").unwrap())
            .base_url(base)
            .build()
            .unwrap()
    }

    #[test]
    fn list_urls() {
        let c = config("https://api.pinecone.io/");
        assert_eq!(
            c.list_request(None, None).url,
            "https://api.pinecone.io/restore-jobs"
        );
        assert_eq!(
            c.list_request(None, Some("")).url,
            "https://api.pinecone.io/restore-jobs"
        );
        assert_eq!(
            c.list_request(None, Some("a b&c=d")).url,
            "https://api.pinecone.io/restore-jobs?paginationToken=a%20b%26c%3Dd"
        );
        assert_eq!(
            c.list_request(Some(Limit::MAX), None).url,
            "https://api.pinecone.io/restore-jobs?limit=100"
        );
        let prefixed = config("https://gw.example.com/pinecone/");
        assert_eq!(
            prefixed.list_request(None, None).url,
            "https://gw.example.com/pinecone/restore-jobs"
        );
    }

    #[test]
    fn headers_sent() {
        let c = Config::builder(ApiKey::new("secret-key").unwrap())
            .api_version("2025-10")
            .header("X-Trace", "t1")
            .build()
            .unwrap();
        let r = c.describe_request(&JobId::new("j1").unwrap());
        assert_eq!(r.method.as_str(), "GET");
        assert_eq!(r.header("api-key"), Some("secret-key"));
        assert_eq!(r.header("X-PINECONE-API-VERSION"), Some("2025-10"));
        assert_eq!(r.header("x-trace"), Some("t1"));
        assert!(
            r.header("user-agent")
                .unwrap()
                .starts_with("pinecone-restore-core/0.")
        );
        let shown = format!("{r:?}");
        assert!(!shown.contains("secret-key"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn job_ids() {
        for bad in ["", ".", ".."] {
            assert!(
                JobId::new(bad).unwrap_err().is_invalid_argument(),
                "{bad:?}"
            );
        }
        let c = config("https://h");
        for (id, encoded) in [
            ("...", "..."),
            ("a.b", "a.b"),
            ("%2e", "%252e"),
            ("a?b#c", "a%3Fb%23c"),
            ("ü", "%C3%BC"),
        ] {
            assert_eq!(
                c.describe_request(&JobId::new(id).unwrap()).url,
                format!("https://h/restore-jobs/{encoded}")
            );
        }
    }

    #[test]
    fn limits() {
        assert!(Limit::new(0).is_err());
        assert!(Limit::new(101).is_err());
        assert!(Limit::new(u64::MAX).is_err());
        assert_eq!(Limit::new(1).unwrap().get(), 1);
        assert_eq!("100".parse::<Limit>().unwrap(), Limit::MAX);
        let err = "-1".parse::<Limit>().unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid limit: expected a number in 1..=100, found `-1`"
        );
    }
}
