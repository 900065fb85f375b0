//! An endpoint of the API as one value: what to send, which answers mean success, how the
//! body is read and how a failed attempt may be sent again.
//!
//! Every endpoint core knows is made by one function in its resource's module
//! ([`restore_jobs`](crate::restore_jobs), [`backups`](crate::backups)) returning an
//! [`Endpoint`]; a [`Call`](crate::Call) runs any of them, so an endpoint never re-decides
//! retries, statuses, deadlines or scrubbing. The builder is public: an endpoint core does not
//! know yet is made the same way and runs through the same call.

use std::fmt;

use crate::config::{API_KEY_HEADER, API_VERSION_HEADER, Config};
use crate::error::{Error, InvalidArgument};
use crate::request::{Limit, Method, PaginationToken, Request, encode_component};
use crate::version::ApiVersion;

/// How a call reads an answer its endpoint takes: the configuration (its version's rules, its
/// secrets), the status and the body. A bodyless success (`202`, `204`) is a parser like any
/// other: it reads the status.
pub type Parser<T> = fn(&Config, u16, &[u8]) -> Result<T, Error>;

/// How a failed attempt at an endpoint may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Retry {
    /// Sending it twice does what sending it once does (`GET`, a `PATCH` of absolute
    /// values): sent again after any transient failure.
    Idempotent,
    /// A `DELETE`: sent again after any transient failure like a `GET`; an attempt that may
    /// have taken effect is remembered, so a `404` after it can be read as "gone" (see
    /// [`Endpoint::gone_after_ambiguous`]).
    Removal,
    /// A create: sent again only where it surely did not take effect (nothing sent, 429);
    /// an attempt that may have taken effect is resolved by a lookup (see
    /// [`Create`](crate::Create)). A plain [`Call`](crate::Call) of it resolves nothing: it
    /// ends with the ambiguous failure.
    Create,
}

/// Which statuses mean success.
#[derive(Clone, Copy)]
enum Success {
    Always(&'static [u16]),
    ByVersion(fn(&ApiVersion) -> &'static [u16]),
}

/// An API version an endpoint, or one of its options, needs.
#[derive(Clone, Copy)]
struct Gate {
    /// What needs it, as an invalid argument names it.
    argument: &'static str,
    /// The first version that has it.
    since: &'static str,
    /// Whether a version has it.
    allows: fn(&ApiVersion) -> bool,
}

/// One endpoint of the API, filled in for one request: its method, path and query, body,
/// the statuses that mean success, the parser of its answer and how it may be retried.
///
/// Made by the functions of each resource ([`restore_jobs::describe`](crate::restore_jobs::describe),
/// [`backups::list`](crate::backups::list), …), run by a [`Call`](crate::Call)
/// ([`Config::call`]) or, for a [`Retry::Create`], by a [`Create`](crate::Create). Its name is
/// the operation's in events, spans and the adapters' methods.
///
/// ```
/// use pinecone_restore_core::{ApiKey, BackupId, Config, Method, Retry, backups};
///
/// let endpoint = backups::describe(&BackupId::new("bk 1")?);
/// assert_eq!(endpoint.name(), "describe_backup");
/// assert_eq!(endpoint.method(), Method::Get);
/// assert_eq!(endpoint.path(), "/backups/bk%201");
/// assert_eq!(endpoint.retry(), Retry::Idempotent);
/// let config = Config::builder(ApiKey::new("k")?).build()?;
/// assert_eq!(endpoint.request(&config)?.url, "https://api.pinecone.io/backups/bk%201");
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
///
/// One core does not know, built the same way:
///
/// ```
/// use pinecone_restore_core::{ApiKey, Config, Endpoint, Method, encode_component};
///
/// // `DELETE /collections/{name}`: 202, no body to read
/// let name = "old docs";
/// let path = format!("/collections/{}", encode_component(name));
/// let endpoint = Endpoint::new("delete_collection", Method::Delete, path, &[202], |_, status, _| Ok(status))
///     .gone_after_ambiguous();
/// let config = Config::builder(ApiKey::new("k")?).build()?;
/// assert_eq!(endpoint.request(&config)?.url, "https://api.pinecone.io/collections/old%20docs");
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
#[must_use = "an endpoint does nothing until a call runs it"]
pub struct Endpoint<T> {
    name: &'static str,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    success: Success,
    parse: Parser<T>,
    gone_after_ambiguous: bool,
    gates: Vec<Gate>,
}

impl<T> Clone for Endpoint<T> {
    fn clone(&self) -> Self {
        Endpoint {
            name: self.name,
            method: self.method,
            path: self.path.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            success: self.success,
            parse: self.parse,
            gone_after_ambiguous: self.gone_after_ambiguous,
            gates: self.gates.clone(),
        }
    }
}

impl<T> fmt::Debug for Endpoint<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("name", &self.name)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("retry", &self.retry())
            .finish_non_exhaustive()
    }
}

impl<T> Endpoint<T> {
    /// An endpoint called `name` (the operation's name), `method` on `path` (below the base
    /// URL, starting with `/`, each segment already percent-encoded with
    /// [`encode_component`]), taking the statuses of `success` and read by `parse`; retried as
    /// its method says (`GET` and `PATCH` [idempotent](Retry::Idempotent), `DELETE` a
    /// [removal](Retry::Removal), `POST` a [create](Retry::Create)).
    pub fn new(
        name: &'static str,
        method: Method,
        path: String,
        success: &'static [u16],
        parse: Parser<T>,
    ) -> Endpoint<T> {
        Endpoint {
            name,
            method,
            path,
            query: Vec::new(),
            body: None,
            success: Success::Always(success),
            parse,
            gone_after_ambiguous: false,
            gates: Vec::new(),
        }
    }

    /// A `GET` of `path`, `200` its success.
    pub fn get(name: &'static str, path: String, parse: Parser<T>) -> Endpoint<T> {
        Endpoint::new(name, Method::Get, path, &[200], parse)
    }

    /// Adds query parameter `name`, its value percent-encoded.
    pub fn query(mut self, name: &'static str, value: &str) -> Endpoint<T> {
        self.query.push((name, encode_component(value).to_string()));
        self
    }

    /// A page's query: `limit` and `paginationToken`, each when given.
    pub fn page(mut self, limit: Option<Limit>, token: Option<&PaginationToken>) -> Endpoint<T> {
        if let Some(limit) = limit {
            self = self.query("limit", &limit.to_string());
        }
        if let Some(token) = token {
            self = self.query("paginationToken", token.as_str());
        }
        self
    }

    /// Sends `body`, JSON, with its `Content-Type`.
    pub fn body(mut self, body: Vec<u8>) -> Endpoint<T> {
        self.body = Some(body);
        self
    }

    /// The statuses that mean success depend on the version (a create that answers `201`
    /// until one version and `200` from it on).
    pub fn success_by_version(mut self, success: fn(&ApiVersion) -> &'static [u16]) -> Endpoint<T> {
        self.success = Success::ByVersion(success);
        self
    }

    /// A `404` after an attempt that may have taken effect is handed to the parser as a
    /// success: what a `DELETE` whose first answer was lost finds (the thing is gone, most
    /// likely by that attempt). A `404` to the first attempt stays an error.
    pub fn gone_after_ambiguous(mut self) -> Endpoint<T> {
        self.gone_after_ambiguous = true;
        self
    }

    /// Only versions that `allows` may be asked: another is refused before anything is sent,
    /// naming `argument` and the first version that has it (`since`).
    pub fn needs(
        mut self,
        argument: &'static str,
        since: &'static str,
        allows: fn(&ApiVersion) -> bool,
    ) -> Endpoint<T> {
        self.gates.push(Gate {
            argument,
            since,
            allows,
        });
        self
    }

    /// The operation's name: `describe`, `list_backups`, …
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The path below the base URL, percent-encoded.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query parameters, their values percent-encoded.
    pub fn query_pairs(&self) -> &[(&'static str, String)] {
        &self.query
    }

    /// The JSON body, if any.
    pub fn json_body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// How a failed attempt may be sent again: as its method says.
    pub fn retry(&self) -> Retry {
        match self.method {
            Method::Post => Retry::Create,
            Method::Delete => Retry::Removal,
            _ => Retry::Idempotent,
        }
    }

    /// The statuses that mean success under `version`.
    pub fn success(&self, version: &ApiVersion) -> &'static [u16] {
        match self.success {
            Success::Always(statuses) => statuses,
            Success::ByVersion(of) => of(version),
        }
    }

    /// Whether a `404` after an attempt that may have taken effect is a success.
    pub fn is_gone_after_ambiguous(&self) -> bool {
        self.gone_after_ambiguous
    }

    /// The request to send under `config`: its base URL, headers and version.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when the endpoint, or an option it was asked with, needs a
    /// later API version than `config`'s.
    pub fn request(&self, config: &Config) -> Result<Request, Error> {
        let version = config.api_version();
        if let Some(gate) = self.gates.iter().find(|g| !(g.allows)(version)) {
            return Err(InvalidArgument::new(
                gate.argument,
                format!(
                    "expected API version {} or later, found `{}`",
                    gate.since,
                    version.as_str()
                ),
            )
            .into());
        }
        let mut url = format!("{}{}", config.base_url(), self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            url.push_str(value);
        }
        Ok(request(config, self.method, url, self.body.clone()))
    }

    /// Reads an answer the endpoint takes.
    pub(crate) fn read(&self, config: &Config, status: u16, body: &[u8]) -> Result<T, Error> {
        (self.parse)(config, status, body)
    }
}

/// The request `method` `url` with `body`, and the headers every request carries: the key,
/// the version, the user agent, `Accept`, `Content-Type` for a body, and the configured extra
/// headers.
fn request(config: &Config, method: Method, url: String, body: Option<Vec<u8>>) -> Request {
    let mut headers = Vec::with_capacity(5 + config.extra_headers().len());
    headers.push((
        API_KEY_HEADER.to_owned(),
        config.api_key().expose_secret().to_owned(),
    ));
    headers.push((
        API_VERSION_HEADER.to_owned(),
        config.api_version().as_str().to_owned(),
    ));
    headers.push(("User-Agent".to_owned(), config.user_agent().to_owned()));
    headers.push(("Accept".to_owned(), "application/json".to_owned()));
    if body.is_some() {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    headers.extend(config.extra_headers().iter().cloned());
    Request {
        method,
        url,
        headers,
        body,
    }
}
