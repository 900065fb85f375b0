//! The API key, and the header-safety rule every sent value follows.

use std::fmt;

use crate::error::{Error, InvalidArgument};
use crate::text::{self, Secrets};

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
        check_header_value("API key", &key, Shown::Never)?;
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

/// Whether a refused header value may be quoted in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    /// Quoted (escaped, bounded): a tag, a version.
    Quoted,
    /// Never shown: a key, a header that may be a credential.
    Never,
}

/// Checks that `value` can be sent as an HTTP header value unchanged: not empty, no whitespace
/// around it, printable ASCII only.
pub(crate) fn check_header_value(
    what: &'static str,
    value: &str,
    shown: Shown,
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
        let quoted = match shown {
            Shown::Quoted => format!(" in `{}`", text::quote(value, &Secrets::none())),
            Shown::Never => String::new(),
        };
        return Err(InvalidArgument::new(
            what,
            format!("expected printable ASCII, found {found} at byte {at}{quoted}"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        for bad in ["", " k", "k ", "a\nb", "a\rb", "a\0b", "ключ", "a\tb"] {
            let err = ApiKey::new(bad).unwrap_err();
            assert!(err.is_invalid_argument(), "{bad:?}");
        }
        let err = ApiKey::new("secret\n").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
        assert!(err.contains("control character"), "{err}");
        assert_eq!(
            format!("{:?}", ApiKey::new("k").unwrap()),
            "ApiKey(<redacted>)"
        );
        let quoted = check_header_value("tag", "a\u{1b}b", Shown::Quoted).unwrap_err();
        assert!(quoted.reason().ends_with(r"in `a\u{1b}b`"), "{quoted}");
    }
}
