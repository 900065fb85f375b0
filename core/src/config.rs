//! Connection settings: base URL, API key, API version, `User-Agent` and extra headers.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::{Error, InvalidArgument};

/// The production control plane.
pub const DEFAULT_BASE_URL: &str = "https://api.pinecone.io";

/// The API version this crate implements, sent as `X-Pinecone-Api-Version`.
pub const DEFAULT_API_VERSION: &str = "2025-04";

/// The name of the header that carries the API key.
pub const API_KEY_HEADER: &str = "Api-Key";

/// The name of the header that carries the API version.
pub const API_VERSION_HEADER: &str = "X-Pinecone-Api-Version";

/// Header names that [`ConfigBuilder::header`] refuses, because a dedicated setting or the
/// transport owns them.
const RESERVED_HEADERS: [&str; 7] = [
    "api-key",
    "x-pinecone-api-version",
    "user-agent",
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
];

/// A Pinecone API key, checked to be safe in an HTTP header.
///
/// Its `Debug` output is redacted and it has no `Display`, so it cannot end up in a log line by
/// accident. Read it with [`ApiKey::expose_secret`] where it must be sent.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Checks `key` and wraps it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when the key is empty, has whitespace around it, or contains
    /// anything but printable ASCII. The message says which rule failed and never quotes the key.
    ///
    /// ```
    /// use pinecone_restore_core::ApiKey;
    ///
    /// assert!(ApiKey::new("pcsk_abc123").is_ok());
    /// let err = ApiKey::new("pcsk_abc123\n").unwrap_err();
    /// assert!(!err.to_string().contains("abc123"));
    /// ```
    pub fn new(key: impl Into<String>) -> Result<ApiKey, Error> {
        let key = key.into();
        check_header_value("API key", &key, false)?;
        Ok(ApiKey(key))
    }

    /// The key itself, for the one place that sends it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// Checks that `value` can be sent as an HTTP header value unchanged: not empty, no whitespace
/// around it, printable ASCII only. When `quote` is false the message never shows the value.
pub(crate) fn check_header_value(
    what: &'static str,
    value: &str,
    quote: bool,
) -> Result<(), InvalidArgument> {
    if value.is_empty() {
        return Err(InvalidArgument::new(what, "expected a non-empty value"));
    }
    if let Some((at, c)) = value
        .char_indices()
        .find(|&(_, c)| !(c == ' ' || c.is_ascii_graphic()))
    {
        let found = if c.is_control() {
            format!("a control character (U+{:04X})", u32::from(c))
        } else {
            "a non-ASCII character".to_owned()
        };
        let shown = if quote {
            format!(" in `{}`", value.escape_debug())
        } else {
            String::new()
        };
        return Err(InvalidArgument::new(
            what,
            format!("expected printable ASCII, found {found} at byte {at}{shown}"),
        ));
    }
    if value.trim() != value {
        return Err(InvalidArgument::new(
            what,
            "expected no whitespace at the start or end",
        ));
    }
    Ok(())
}

fn check_header_name(name: &str) -> Result<(), InvalidArgument> {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(tchar) {
        return Err(InvalidArgument::new(
            "header name",
            format!("expected an HTTP token, found `{}`", name.escape_debug()),
        ));
    }
    if RESERVED_HEADERS
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(name))
    {
        return Err(InvalidArgument::new(
            "header name",
            format!("`{name}` is set by the client itself and cannot be overridden"),
        ));
    }
    Ok(())
}

/// URL scheme of a base URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `https://`
    Https,
    /// `http://`, allowed for loopback hosts or with an explicit opt-in.
    Http,
}

/// A parsed base URL: scheme, host, optional port and optional path prefix (kept without a
/// trailing slash, so joining never doubles one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
    prefix: String,
}

impl BaseUrl {
    /// Parses `url`, such as `https://api.pinecone.io` or `https://gw.example.com/pinecone/`.
    ///
    /// This does not apply the plain-`http://` rule; [`ConfigBuilder::build`] does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a scheme other than `http`/`https`, a missing or malformed
    /// host or port, user credentials in the URL, a query or fragment, or a path with characters
    /// that are not allowed in a URL path or with `.`/`..` segments.
    ///
    /// ```
    /// use pinecone_restore_core::BaseUrl;
    ///
    /// let base = BaseUrl::parse("https://gw.example.com/pinecone/").unwrap();
    /// assert_eq!(base.to_string(), "https://gw.example.com/pinecone");
    /// assert!(BaseUrl::parse("ftp://example.com").is_err());
    /// ```
    pub fn parse(url: &str) -> Result<BaseUrl, Error> {
        let bad = |reason: String| Error::from(InvalidArgument::new("base URL", reason));
        let shown = || format!("`{}`", url.escape_debug());
        let (scheme, rest) = match url.split_once("://") {
            Some((s, rest)) if s.eq_ignore_ascii_case("https") => (Scheme::Https, rest),
            Some((s, rest)) if s.eq_ignore_ascii_case("http") => (Scheme::Http, rest),
            Some((s, _)) => {
                return Err(bad(format!(
                    "expected an `https://` or `http://` URL, found scheme `{}`",
                    s.escape_debug()
                )));
            }
            None => {
                return Err(bad(format!(
                    "expected an `https://` or `http://` URL, found {}",
                    shown()
                )));
            }
        };
        if rest.contains(['?', '#']) {
            return Err(bad(format!(
                "expected no query or fragment, found {}",
                shown()
            )));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err(bad(
                "expected no user credentials in the URL; pass the API key separately".to_owned(),
            ));
        }
        let (host, port) = split_host_port(authority).map_err(bad)?;
        let prefix = path.trim_end_matches('/');
        let path_char = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@%/".contains(c);
        if let Some(c) = prefix.chars().find(|&c| !path_char(c)) {
            return Err(bad(format!(
                "expected a URL path, found `{}` in {}",
                c.escape_debug(),
                shown()
            )));
        }
        if prefix
            .split('/')
            .skip(1)
            .any(|seg| seg.is_empty() || seg == "." || seg == "..")
        {
            return Err(bad(format!(
                "expected a path without empty, `.` or `..` segments, found {}",
                shown()
            )));
        }
        Ok(BaseUrl {
            scheme,
            host,
            port,
            prefix: prefix.to_owned(),
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host, lower-cased; IPv6 literals keep their brackets.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The explicit port, if any.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The path prefix without a trailing slash (empty for none).
    pub fn path_prefix(&self) -> &str {
        &self.prefix
    }

    /// `true` for `localhost`, `127.0.0.0/8` and `[::1]`.
    pub fn is_loopback(&self) -> bool {
        if self.host == "localhost" {
            return true;
        }
        if let Ok(v4) = self.host.parse::<Ipv4Addr>() {
            return v4.is_loopback();
        }
        self.host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .and_then(|h| h.parse::<Ipv6Addr>().ok())
            .is_some_and(|v6| v6.is_loopback())
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.scheme {
            Scheme::Https => "https",
            Scheme::Http => "http",
        };
        write!(f, "{scheme}://{}", self.host)?;
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        f.write_str(&self.prefix)
    }
}

fn split_host_port(authority: &str) -> Result<(String, Option<u16>), String> {
    let (host, port) = if authority.starts_with('[') {
        let end = authority
            .find(']')
            .ok_or_else(|| format!("expected `]` closing the IPv6 address in `{authority}`"))?;
        let (host, after) = authority.split_at(end + 1);
        if host[1..end].parse::<Ipv6Addr>().is_err() {
            return Err(format!("expected an IPv6 address, found `{host}`"));
        }
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err(format!("expected `:port` after `{host}`, found `{after}`")),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("expected a host name, found none".to_owned());
    }
    let host_char = |c: char| c.is_ascii_alphanumeric() || "-._[]:".contains(c);
    if !host.chars().all(host_char) {
        return Err(format!(
            "expected a host name, found `{}`",
            host.escape_debug()
        ));
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => {
                return Err(format!(
                    "expected a port in 1..=65535, found `{}`",
                    p.escape_debug()
                ));
            }
        },
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// Everything needed to build requests: where to send them and what to send with them.
///
/// Build one with [`Config::builder`]. `Debug` shows the key and extra header values redacted.
#[derive(Clone)]
pub struct Config {
    base: BaseUrl,
    api_key: ApiKey,
    api_version: String,
    user_agent: String,
    extra_headers: Vec<(String, String)>,
}

impl Config {
    /// A builder with the defaults: [`DEFAULT_BASE_URL`], [`DEFAULT_API_VERSION`], no caller tag
    /// in the `User-Agent`, no extra headers.
    pub fn builder(api_key: ApiKey) -> ConfigBuilder {
        ConfigBuilder {
            api_key,
            base_url: None,
            allow_insecure_http: false,
            api_version: None,
            user_agent_tag: None,
            headers: Vec::new(),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base
    }

    /// The API key.
    pub fn api_key(&self) -> &ApiKey {
        &self.api_key
    }

    /// The value of `X-Pinecone-Api-Version`.
    pub fn api_version(&self) -> &str {
        &self.api_version
    }

    /// The value of `User-Agent`.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// Extra headers sent with every request.
    pub fn extra_headers(&self) -> &[(String, String)] {
        &self.extra_headers
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.extra_headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Config")
            .field("base", &self.base.to_string())
            .field("api_key", &self.api_key)
            .field("api_version", &self.api_version)
            .field("user_agent", &self.user_agent)
            .field("extra_headers (values redacted)", &names)
            .finish()
    }
}

/// Builds a [`Config`]; every value is checked in [`ConfigBuilder::build`].
///
/// `Debug` shows the key and extra header values redacted, as [`Config`]'s does.
#[derive(Clone)]
pub struct ConfigBuilder {
    api_key: ApiKey,
    base_url: Option<String>,
    allow_insecure_http: bool,
    api_version: Option<String>,
    user_agent_tag: Option<String>,
    headers: Vec<(String, String)>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("ConfigBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("api_version", &self.api_version)
            .field("user_agent_tag", &self.user_agent_tag)
            .field("extra_headers (values redacted)", &names)
            .finish()
    }
}

impl ConfigBuilder {
    /// The base URL, with an optional path prefix that is kept.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Allows a plain `http://` base URL to a host that is not loopback. Off by default: the
    /// key would cross the network in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The API version header value.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// A tag naming the calling tool, appended to the `User-Agent`.
    pub fn user_agent_tag(mut self, tag: impl Into<String>) -> Self {
        self.user_agent_tag = Some(tag.into());
        self
    }

    /// An extra header sent with every request (for a gateway, say). Its value is redacted in
    /// `Debug`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Checks every setting and builds the [`Config`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a base URL that [`BaseUrl::parse`] refuses, a plain
    /// `http://` base to a non-loopback host without [`ConfigBuilder::allow_insecure_http`], and
    /// an API version, tag or extra header that is not header-safe or names a reserved header.
    ///
    /// ```
    /// use pinecone_restore_core::{ApiKey, Config};
    ///
    /// let key = ApiKey::new("my-key")?;
    /// let local = Config::builder(key.clone()).base_url("http://127.0.0.1:8080/").build()?;
    /// assert_eq!(local.base_url().to_string(), "http://127.0.0.1:8080");
    ///
    /// let err = Config::builder(key).base_url("http://example.com").build().unwrap_err();
    /// assert!(err.is_invalid_argument());
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn build(self) -> Result<Config, Error> {
        let base = BaseUrl::parse(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        if base.scheme() == Scheme::Http && !base.is_loopback() && !self.allow_insecure_http {
            return Err(InvalidArgument::new(
                "base URL",
                format!(
                    "refusing plain `http://` to non-loopback host `{}`: the API key would be sent \
                     unencrypted; use `https://` or opt in to insecure HTTP",
                    base.host()
                ),
            )
            .into());
        }
        let api_version = self
            .api_version
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        check_header_value("API version", &api_version, true)?;
        let mut user_agent =
            concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned();
        if let Some(tag) = &self.user_agent_tag {
            check_header_value("user agent tag", tag, true)?;
            user_agent.push(' ');
            user_agent.push_str(tag);
        }
        for (name, value) in &self.headers {
            check_header_name(name)?;
            check_header_value("header value", value, false)?;
        }
        Ok(Config {
            base,
            api_key: self.api_key,
            api_version,
            user_agent,
            extra_headers: self.headers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ApiKey {
        ApiKey::new("secret-key-123").unwrap()
    }

    #[test]
    fn api_key_rules() {
        for bad in ["", " k", "k ", "a\nb", "a\rb", "a\0b", "ключ", "a\tb"] {
            let err = ApiKey::new(bad).unwrap_err();
            assert!(err.is_invalid_argument(), "{bad:?}");
        }
        let err = ApiKey::new("secret\n").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
        assert!(err.contains("control character"), "{err}");
        assert_eq!(format!("{:?}", key()), "ApiKey(<redacted>)");
    }

    #[test]
    fn debug_of_config_hides_secrets() {
        let builder = Config::builder(key()).header("X-Gateway-Token", "gw-secret");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("secret-key-123"), "{shown}");
        assert!(!shown.contains("gw-secret"), "{shown}");
        let config = builder.build().unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("secret-key-123"), "{shown}");
        assert!(!shown.contains("gw-secret"), "{shown}");
        assert!(shown.contains("X-Gateway-Token"), "{shown}");
    }

    #[test]
    fn base_url_forms() {
        let cases = [
            ("https://api.pinecone.io", "https://api.pinecone.io"),
            ("https://api.pinecone.io/", "https://api.pinecone.io"),
            ("HTTPS://API.Pinecone.IO", "https://api.pinecone.io"),
            (
                "https://gw.example.com/pinecone/",
                "https://gw.example.com/pinecone",
            ),
            ("https://gw.example.com/a/b//", "https://gw.example.com/a/b"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://[::1]:9/x", "http://[::1]:9/x"),
        ];
        for (input, shown) in cases {
            assert_eq!(BaseUrl::parse(input).unwrap().to_string(), shown, "{input}");
        }
        for bad in [
            "api.pinecone.io",
            "ftp://x",
            "https://",
            "https://:80",
            "https://h:0",
            "https://h:65536",
            "https://h:+1",
            "https://user:pw@h",
            "https://h/?q=1",
            "https://h#f",
            "https://h/a b",
            "https://h/a//b",
            "https://h/../x",
            "https://[::1",
            "https://[nope]",
            "https://h\n",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn plain_http_only_for_loopback_or_opt_in() {
        for ok in [
            "http://localhost:1",
            "http://127.0.0.1",
            "http://127.9.9.9:5",
            "http://[::1]:80",
        ] {
            assert!(Config::builder(key()).base_url(ok).build().is_ok(), "{ok}");
        }
        for refused in [
            "http://example.com",
            "http://10.0.0.1",
            "http://128.0.0.1",
            "http://[::2]",
        ] {
            let err = Config::builder(key())
                .base_url(refused)
                .build()
                .unwrap_err();
            assert!(err.to_string().contains("plain `http://`"), "{err}");
            assert!(
                Config::builder(key())
                    .base_url(refused)
                    .allow_insecure_http(true)
                    .build()
                    .is_ok()
            );
        }
    }

    #[test]
    fn headers_are_checked() {
        assert!(
            Config::builder(key())
                .header("Api-Key", "x")
                .build()
                .is_err()
        );
        assert!(
            Config::builder(key())
                .header("user-agent", "x")
                .build()
                .is_err()
        );
        assert!(
            Config::builder(key())
                .header("bad name", "x")
                .build()
                .is_err()
        );
        assert!(
            Config::builder(key())
                .header("X-Ok", "a\r\nb")
                .build()
                .is_err()
        );
        assert!(Config::builder(key()).api_version("").build().is_err());
        assert!(
            Config::builder(key())
                .user_agent_tag("tool\n")
                .build()
                .is_err()
        );
        let c = Config::builder(key())
            .user_agent_tag("my-tool/1.2")
            .build()
            .unwrap();
        assert!(c.user_agent().starts_with("pinecone-restore-core/"));
        assert!(c.user_agent().ends_with(" my-tool/1.2"));
        assert_eq!(c.api_version(), "2025-04");
    }
}
