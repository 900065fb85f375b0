//! Requests as plain data (method, full URL, headers, body), and the typed values that go into
//! them, each checked before anything is sent.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::config::is_credential_header;
use crate::error::{Error, InvalidArgument};
use crate::text::{self, Secrets};

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

/// The HTTP method of a [`Request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`: listing and describing; idempotent, so retried after any transient failure.
    Get,
    /// `POST`: a create (a restore, a backup); retried only where it surely did not take
    /// effect, or resolved by a lookup.
    Post,
    /// `PATCH`: a change of absolute values; idempotent, so retried after any transient
    /// failure.
    Patch,
    /// `DELETE`: retried after any transient failure; a `404` after an attempt that may have
    /// taken effect can mean "gone".
    Delete,
}

impl Method {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request to send: method, full URL, headers and body, all plain data. Adapters send
/// exactly this.
///
/// `Debug` shows the `Api-Key` header redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The absolute URL, already percent-encoded.
    pub url: String,
    /// Header names and values, each checked header-safe; `Content-Type` among them when
    /// there is a body.
    pub headers: Vec<(String, String)>,
    /// The body, for a `POST`.
    pub body: Option<Vec<u8>>,
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
                // the key, and every header Config counts as a credential
                let shown = if is_credential_header(n) {
                    text::REDACTED
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
            .field(
                "body",
                &self.body.as_ref().map(|b| String::from_utf8_lossy(b)),
            )
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
                format!("expected a number from 1 to 100, found `{n}`"),
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
                    format!(
                        "expected a number from 1 to 100, found `{}`",
                        text::quote(s, &Secrets::none())
                    ),
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

/// The longest id that goes into a URL path segment; real ids are 36-character UUIDs.
pub const MAX_ID_LEN: usize = 256;

/// Checks `id` can stand as one URL path segment naming one thing: not empty, not `.` or `..`
/// (which would address another path), at most [`MAX_ID_LEN`] bytes. Every other character is
/// percent-encoded when sent.
fn check_segment(what: &'static str, id: &str) -> Result<(), Error> {
    if id.is_empty() || id == "." || id == ".." {
        return Err(InvalidArgument::new(
            what,
            format!(
                "expected an id other than empty, `.` or `..`, found `{}`",
                text::quote(id, &Secrets::none())
            ),
        )
        .into());
    }
    if id.len() > MAX_ID_LEN {
        return Err(InvalidArgument::new(
            what,
            format!(
                "expected at most {MAX_ID_LEN} bytes, found {} (`{}`)",
                id.len(),
                text::quote(id, &Secrets::none())
            ),
        )
        .into());
    }
    Ok(())
}

macro_rules! segment_id {
    ($(#[$doc:meta])* $name:ident, $what:literal, $example:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// Checks `id`.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidArgument`] when `id` is empty, `.` or `..` (which would address
            /// another path), or longer than [`MAX_ID_LEN`] bytes. Every other character is
            /// percent-encoded when sent.
            ///
            /// ```
            #[doc = concat!("use pinecone_restore_core::", stringify!($name), ";")]
            ///
            #[doc = concat!("assert!(", stringify!($name), "::new(\"", $example, "\").is_ok());")]
            #[doc = concat!("assert!(", stringify!($name), "::new(\"..\").is_err());")]
            /// ```
            pub fn new(id: impl Into<String>) -> Result<$name, Error> {
                let id = id.into();
                check_segment($what, &id)?;
                Ok($name(id))
            }

            /// The id as given.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(s: &str) -> Result<$name, Error> {
                $name::new(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

segment_id!(
    /// A restore job id that can stand as one URL path segment.
    JobId,
    "job id",
    "670e8400-e29b-41d4-a716-446655440001"
);

segment_id!(
    /// A backup id that can stand as one URL path segment.
    BackupId,
    "backup id",
    "670e8400-e29b-41d4-a716-446655440000"
);

segment_id!(
    /// A backup schedule id that can stand as one URL path segment.
    ScheduleId,
    "schedule id",
    "e88f7273-42aa-47e9-af73-593827136867"
);

/// The longest pagination token accepted, from a server or a caller. Real tokens are a few
/// dozen bytes; this bound keeps every request line far below what servers and proxies take
/// (8 KiB is common), even with each byte percent-encoded.
pub const MAX_TOKEN_LEN: usize = 2048;

/// A pagination token (`pagination.next` of a page), at most [`MAX_TOKEN_LEN`] bytes and never
/// empty (an empty `next` means "no more pages").
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PaginationToken(String);

impl PaginationToken {
    /// Checks `token`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `token` is empty or longer than [`MAX_TOKEN_LEN`]
    /// bytes: nothing is sent with it.
    ///
    /// ```
    /// use pinecone_restore_core::PaginationToken;
    ///
    /// assert!(PaginationToken::new("dXNlcl9pZD11c2VyXzE=").is_ok());
    /// assert!(PaginationToken::new("").is_err());
    /// assert!(PaginationToken::new("x".repeat(100_000)).is_err());
    /// ```
    pub fn new(token: impl Into<String>) -> Result<PaginationToken, Error> {
        let token = token.into();
        match PaginationToken::rule(&token) {
            Ok(()) => Ok(PaginationToken(token)),
            Err(TokenProblem::Empty) => Err(InvalidArgument::new(
                "pagination token",
                "expected a token, found nothing",
            )
            .into()),
            Err(TokenProblem::TooLong(len)) => Err(InvalidArgument::new(
                "pagination token",
                format!("expected at most {MAX_TOKEN_LEN} bytes, found {len} bytes"),
            )
            .into()),
        }
    }

    /// The token rules, stated once: not empty, at most [`MAX_TOKEN_LEN`] bytes. A caller's
    /// token and a server's `pagination.next` are both held to them; each says in its own
    /// words what a broken one means.
    pub(crate) fn rule(token: &str) -> Result<(), TokenProblem> {
        if token.is_empty() {
            Err(TokenProblem::Empty)
        } else if token.len() > MAX_TOKEN_LEN {
            Err(TokenProblem::TooLong(token.len()))
        } else {
            Ok(())
        }
    }

    /// A token that [`PaginationToken::rule`] accepted.
    pub(crate) fn from_checked(token: String) -> PaginationToken {
        debug_assert!(PaginationToken::rule(&token).is_ok());
        PaginationToken(token)
    }

    /// The token, exactly as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a would-be token breaks [`PaginationToken::rule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    /// It is empty.
    Empty,
    /// It is this many bytes, more than [`MAX_TOKEN_LEN`].
    TooLong(usize),
}

impl FromStr for PaginationToken {
    type Err = Error;

    fn from_str(s: &str) -> Result<PaginationToken, Error> {
        PaginationToken::new(s)
    }
}

impl fmt::Debug for PaginationToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PaginationToken({:?})",
            text::quote(&self.0, &Secrets::none())
        )
    }
}

/// The name rule of indexes, and of backups in 2026-07 (which applies it to every version):
/// 1 to 45 characters, lower-case ASCII letters, digits and `-`, starting and ending with a
/// letter or digit. The error names `what` and the rule broken.
fn check_name(what: &'static str, name: &str) -> Result<(), Error> {
    let bad = |reason: String| Err(InvalidArgument::new(what, reason).into());
    let chars = name.chars().count();
    if chars == 0 || chars > IndexName::MAX_LEN {
        return bad(format!(
            "expected 1 to {} characters, found {chars}",
            IndexName::MAX_LEN
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return bad(format!(
            "expected lower-case letters, digits and `-`, found `{}` in `{}`",
            text::quote(c.encode_utf8(&mut [0; 4]), &Secrets::none()),
            text::quote(name, &Secrets::none())
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return bad(format!(
            "expected a letter or digit at the start and the end, found `{}`",
            text::quote(name, &Secrets::none())
        ));
    }
    Ok(())
}

/// The name of the index a backup is restored into: 1 to 45 characters, lower-case ASCII
/// letters, digits and `-`, starting and ending with a letter or digit.
///
/// The name is also what makes starting a restore safe to retry: a second request with the
/// same name is answered 409, so success is detectable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndexName(String);

impl IndexName {
    /// The longest index name.
    pub const MAX_LEN: usize = 45;

    /// Checks `name`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] saying which rule `name` breaks.
    ///
    /// ```
    /// use pinecone_restore_core::IndexName;
    ///
    /// assert!(IndexName::new("products-2025").is_ok());
    /// let err = IndexName::new("Products").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid index name: expected lower-case letters, digits and `-`, found `P` in `Products`"
    /// );
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn new(name: impl Into<String>) -> Result<IndexName, Error> {
        let name = name.into();
        check_name("index name", &name)?;
        Ok(IndexName(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for IndexName {
    type Err = Error;

    fn from_str(s: &str) -> Result<IndexName, Error> {
        IndexName::new(s)
    }
}

impl fmt::Display for IndexName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name of a backup: 1 to 45 characters, lower-case ASCII letters, digits and `-`,
/// starting and ending with a letter or digit. API 2026-07 states this rule (and answers 400
/// otherwise); this crate applies it in every version, so a name is refused before anything is
/// sent.
///
/// The name is also how a backup whose create answer was lost is found again: names are not
/// unique, so a retry-safe create sends one unique to the run ([`BackupName::generate`] when
/// the user gives none).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BackupName(String);

impl BackupName {
    /// Checks `name`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] saying which rule `name` breaks.
    ///
    /// ```
    /// use pinecone_restore_core::BackupName;
    ///
    /// assert!(BackupName::new("nightly-2026-12-06").is_ok());
    /// assert_eq!(
    ///     BackupName::new("Nightly").unwrap_err().to_string(),
    ///     "invalid backup name: expected lower-case letters, digits and `-`, found `N` in `Nightly`"
    /// );
    /// ```
    pub fn new(name: impl Into<String>) -> Result<BackupName, Error> {
        let name = name.into();
        check_name("backup name", &name)?;
        Ok(BackupName(name))
    }

    /// A name unique to one run, for a backup of `index` taken at `now` (the adapter's clock,
    /// UTC) with `random` bits: the index name, cut to leave room, then the time and six hex
    /// digits, `docs-search-20261206-210930-3fa9c1`. Always within the rule.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use pinecone_restore_core::{BackupName, IndexName};
    ///
    /// let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_591_370);
    /// let index = IndexName::new("docs-search")?;
    /// let name = BackupName::generate(&index, at, 0x3fa9c1);
    /// assert_eq!(name.as_str(), "docs-search-20261206-210930-3fa9c1");
    /// let long = IndexName::new("a-very-long-index-name-for-a-product-catalog")?;
    /// let name = BackupName::generate(&long, at, u64::MAX);
    /// assert_eq!(name.as_str(), "a-very-long-index-name-20261206-210930-ffffff");
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn generate(index: &IndexName, now: SystemTime, random: u64) -> BackupName {
        // `-YYYYMMDD-HHMMSS-xxxxxx` is 23 characters; the index name takes the rest
        const TAIL: usize = 23;
        let prefix: String = index
            .as_str()
            .chars()
            .take(IndexName::MAX_LEN - TAIL)
            .collect();
        let prefix = prefix.trim_end_matches('-');
        let name = format!("{prefix}-{}-{:06x}", stamp(now), random & 0xff_ffff);
        // the prefix starts with a letter or digit (an index name does), the tail is digits
        BackupName(name)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `now` in UTC as a name holds it: `20261206-210930` (the year kept to four digits).
pub(crate) fn stamp(now: SystemTime) -> String {
    let at = time::OffsetDateTime::from(now);
    let (date, clock) = (at.date(), at.time());
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        at.year().clamp(0, 9999),
        u8::from(date.month()),
        date.day(),
        clock.hour(),
        clock.minute(),
        clock.second()
    )
}

impl FromStr for BackupName {
    type Err = Error;

    fn from_str(s: &str) -> Result<BackupName, Error> {
        BackupName::new(s)
    }
}

impl fmt::Display for BackupName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ApiKey, Config};
    use crate::engine::endpoint::Endpoint;
    use crate::resources::restore_jobs::{self as jobs, restore::CreateIndexFromBackup};

    /// The request `endpoint` makes under `config`.
    fn req<T>(config: &Config, endpoint: Endpoint<T>) -> Request {
        endpoint.request(config).unwrap()
    }

    #[test]
    fn debug_hides_every_credential_header_config_knows() {
        let c = Config::builder(ApiKey::new("secret-key").unwrap())
            .header("X-Gateway-Token", "gw-secret-value")
            .header("Authorization", "Bearer bearer-secret")
            .header("X-Project", "products-2024")
            .build()
            .unwrap();
        let shown = format!("{:?}", req(&c, jobs::describe(&JobId::new("j1").unwrap())));
        for secret in ["secret-key", "gw-secret-value", "bearer-secret"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("products-2024"), "{shown}");
    }

    fn config(base: &str) -> Config {
        Config::builder(ApiKey::new("secret-key").unwrap())
            .base_url(base)
            .build()
            .unwrap()
    }

    fn token(t: &str) -> PaginationToken {
        PaginationToken::new(t).unwrap()
    }

    #[test]
    fn list_urls() {
        let c = config("https://api.pinecone.io/");
        assert_eq!(
            req(&c, jobs::list(None, None)).url,
            "https://api.pinecone.io/restore-jobs"
        );
        assert_eq!(
            req(&c, jobs::list(None, Some(&token("a b&c=d")))).url,
            "https://api.pinecone.io/restore-jobs?paginationToken=a%20b%26c%3Dd"
        );
        assert_eq!(
            req(&c, jobs::list(Some(Limit::MAX), None)).url,
            "https://api.pinecone.io/restore-jobs?limit=100"
        );
        let prefixed = config("https://gw.example.com/pinecone/");
        assert_eq!(
            req(&prefixed, jobs::list(None, None)).url,
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
        let r = req(&c, jobs::describe(&JobId::new("j1").unwrap()));
        assert_eq!(r.method.as_str(), "GET");
        assert_eq!(r.header("api-key"), Some("secret-key"));
        assert_eq!(r.header("X-PINECONE-API-VERSION"), Some("2025-10"));
        assert_eq!(r.header("x-trace"), Some("t1"));
        assert_eq!(r.header("content-type"), None);
        assert!(r.body.is_none());
        assert!(
            r.header("user-agent")
                .unwrap()
                .starts_with("pinecone-restore-core/0.")
        );
        let shown = format!("{r:?}");
        assert!(!shown.contains("secret-key"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        let restore = CreateIndexFromBackup::new(IndexName::new("x").unwrap());
        let post = req(
            &c,
            jobs::create_index_from_backup(&BackupId::new("b/1").unwrap(), &restore),
        );
        assert_eq!(post.method, Method::Post);
        assert_eq!(
            post.url,
            "https://api.pinecone.io/backups/b%2F1/create-index"
        );
        assert_eq!(post.header("content-type"), Some("application/json"));
        assert_eq!(post.body.as_deref(), Some(&br#"{"name":"x"}"#[..]));
    }

    #[test]
    fn ids() {
        for bad in ["", ".", ".."] {
            assert!(
                JobId::new(bad).unwrap_err().is_invalid_argument(),
                "{bad:?}"
            );
            assert!(BackupId::new(bad).is_err(), "{bad:?}");
        }
        let long = JobId::new("x".repeat(MAX_ID_LEN + 1))
            .unwrap_err()
            .to_string();
        assert!(long.len() < 200, "{long}");
        assert!(JobId::new("x".repeat(MAX_ID_LEN)).is_ok());
        let escaped = JobId::new("\u{1b}]0;x").map(|_| ()).err();
        assert!(
            escaped.is_none(),
            "control characters are encoded, not refused"
        );
        let c = config("https://h");
        for (id, encoded) in [
            ("...", "..."),
            ("a.b", "a.b"),
            ("%2e", "%252e"),
            ("a?b#c", "a%3Fb%23c"),
            ("ü", "%C3%BC"),
        ] {
            assert_eq!(
                req(&c, jobs::describe(&JobId::new(id).unwrap())).url,
                format!("https://h/restore-jobs/{encoded}")
            );
        }
    }

    #[test]
    fn tokens() {
        assert!(PaginationToken::new("x".repeat(MAX_TOKEN_LEN)).is_ok());
        let err = PaginationToken::new("x".repeat(100_000)).unwrap_err();
        assert!(err.is_invalid_argument());
        assert!(err.to_string().len() < 100, "{err}");
        assert!(!format!("{:?}", token("\u{1b}[2J")).contains('\u{1b}'));
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
            "invalid limit: expected a number from 1 to 100, found `-1`"
        );
    }
}
