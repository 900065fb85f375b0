//! Where requests go: scheme, host, port and an optional path prefix.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::{Error, InvalidArgument};
use crate::text::{self, Secrets};

/// The longest base URL accepted: with the longest path and token, a request line stays well
/// within what servers and proxies take.
pub(crate) const MAX_BASE_URL_LEN: usize = 1024;

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
    /// [`ConfigBuilder::build`]: crate::ConfigBuilder::build
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a scheme other than `http`/`https`, user credentials in
    /// the URL (never quoted), a missing or malformed host or port, a query or fragment, a path
    /// with characters that are not allowed in a URL path or with empty, `.` or `..` segments,
    /// or more than 1024 characters.
    ///
    /// ```
    /// use pinecone_restore_core::BaseUrl;
    ///
    /// let base = BaseUrl::parse("https://gw.example.com/pinecone/").unwrap();
    /// assert_eq!(base.to_string(), "https://gw.example.com/pinecone");
    /// assert!(BaseUrl::parse("ftp://example.com").is_err());
    /// let err = BaseUrl::parse("http://user:hunter2@127.0.0.1/x?y=1").unwrap_err();
    /// assert!(!err.to_string().contains("hunter2"));
    /// ```
    pub fn parse(url: &str) -> Result<BaseUrl, Error> {
        let bad = |reason: String| Error::from(InvalidArgument::new("base URL", reason));
        // Every quote of the URL goes through the text module: credentials in it are scrubbed.
        let shown = || format!("`{}`", text::quote(url, &Secrets::none()));
        if url.len() > MAX_BASE_URL_LEN {
            return Err(bad(format!(
                "expected at most {MAX_BASE_URL_LEN} characters, found {}",
                url.len()
            )));
        }
        let (scheme, rest) = match url.split_once("://") {
            Some((s, rest)) if s.eq_ignore_ascii_case("https") => (Scheme::Https, rest),
            Some((s, rest)) if s.eq_ignore_ascii_case("http") => (Scheme::Http, rest),
            Some((s, _)) => {
                return Err(bad(format!(
                    "expected an `https://` or `http://` URL, found scheme `{}`",
                    text::quote(s, &Secrets::none())
                )));
            }
            // without a scheme, user-info is not recognisable as such: quote nothing
            None if url.contains('@') => {
                return Err(bad(
                    "expected an `https://` or `http://` URL without user credentials".to_owned(),
                ));
            }
            None => {
                return Err(bad(format!(
                    "expected an `https://` or `http://` URL, found {}",
                    shown()
                )));
            }
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err(bad(
                "expected no user credentials in the URL; pass the API key separately".to_owned(),
            ));
        }
        if path.contains(['?', '#']) {
            return Err(bad(format!(
                "expected no query or fragment, found {}",
                shown()
            )));
        }
        let (host, port) = split_host_port(authority).map_err(bad)?;
        let prefix = path.trim_end_matches('/');
        let path_char = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@%/".contains(c);
        if let Some(c) = prefix.chars().find(|&c| !path_char(c)) {
            return Err(bad(format!(
                "expected a URL path, found `{}` in {}",
                text::quote(c.encode_utf8(&mut [0; 4]), &Secrets::none()),
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

    /// The same URL with scheme `scheme` (the port stays as written).
    pub(crate) fn with_scheme(&self, scheme: Scheme) -> BaseUrl {
        BaseUrl {
            scheme,
            ..self.clone()
        }
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
    let none = Secrets::none();
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let end = inner.find(']').ok_or_else(|| {
            format!(
                "expected `]` closing the IPv6 address in `{}`",
                text::quote(authority, &none)
            )
        })?;
        let (address, after) = inner.split_at(end);
        if address.parse::<Ipv6Addr>().is_err() {
            return Err(format!(
                "expected an IPv6 address, found `{}`",
                text::quote(address, &none)
            ));
        }
        let host = authority.get(..end + 2).unwrap_or(authority);
        let after = after.get(1..).unwrap_or("");
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => {
                return Err(format!(
                    "expected `:port` after `{}`, found `{}`",
                    text::quote(host, &none),
                    text::quote(after, &none)
                ));
            }
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
            text::quote(host, &none)
        ));
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => {
                return Err(format!(
                    "expected a port from 1 to 65535, found `{}`",
                    text::quote(p, &none)
                ));
            }
        },
    };
    Ok((host.to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
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
            ("http://[::1]", "http://[::1]"),
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
            "https://h?q=1",
            "https://h#f",
            "https://h/a b",
            "https://h/a//b",
            "https://h/../x",
            "https://[::1",
            "https://[nope]",
            "https://[::1]x",
            "https://h\n",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad:?}");
        }
        assert!(BaseUrl::parse(&format!("https://h/{}", "a".repeat(2000))).is_err());
    }

    #[test]
    fn credentials_are_never_quoted() {
        for url in [
            "http://user:secret@127.0.0.1:1/x?y=1",
            "https://user:secret@h/\u{1b}",
            "https://user:secret@[::1",
            "https://user:secret@h:99999",
        ] {
            let err = BaseUrl::parse(url).unwrap_err().to_string();
            assert!(!err.contains("secret"), "{url}: {err}");
        }
        let err = BaseUrl::parse("ftp://user:secret@h")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("secret"), "{err}");
        let err = BaseUrl::parse("user:secret@127.0.0.1:1")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("secret"), "{err}");
    }
}
