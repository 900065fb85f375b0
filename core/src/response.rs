//! Responses as plain data, and what each status means.

use crate::error::{ApiError, Error, ErrorCode, InvalidResponse, InvalidResponseKind};
use crate::model::{ListPage, RestoreJob};
use crate::parse::{parse_job, parse_list_page};

/// The most bytes of a non-JSON error body quoted in an error.
const SNIPPET_CHARS: usize = 200;
/// The most characters kept of a message, request id or location taken from a response.
const TEXT_CHARS: usize = 1000;

/// A response as any transport sees it: status, headers and the body bytes.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and raw values, in any case, in the order received.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The body.
    pub body: &'a [u8],
}

impl<'a> Response<'a> {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a [u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// Checks that the status is `200`.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for any 3xx, 4xx or 5xx (redirects are never followed); an
    /// [`Error::InvalidResponse`] of kind [`InvalidResponseKind::UnexpectedStatus`] for a 2xx
    /// other than 200 and for anything outside `200..=599`.
    pub fn expect_ok(&self) -> Result<(), Error> {
        match self.status {
            200 => Ok(()),
            300..=599 => Err(self.api_error().into()),
            other => Err(InvalidResponse::new(
                InvalidResponseKind::UnexpectedStatus,
                "",
                format!("expected status 200, found {other}"),
            )
            .into()),
        }
    }

    /// Parses a list page, after [`Response::expect_ok`].
    ///
    /// # Errors
    ///
    /// As [`Response::expect_ok`], then as [`parse_list_page`].
    ///
    /// ```
    /// use pinecone_restore_core::Response;
    ///
    /// let headers = [("X-Pinecone-Request-Id", &b"req-7"[..])];
    /// let body = br#"{"status":401,"error":{"code":"UNAUTHENTICATED","message":"Invalid API key."}}"#;
    /// let err = Response { status: 401, headers: &headers, body }.list_page().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "API error: status 401 Unauthorized, code UNAUTHENTICATED: Invalid API key. (request id req-7)"
    /// );
    /// ```
    pub fn list_page(&self) -> Result<ListPage, Error> {
        self.expect_ok()?;
        parse_list_page(self.body)
    }

    /// Parses one job, after [`Response::expect_ok`].
    ///
    /// # Errors
    ///
    /// As [`Response::expect_ok`], then as [`parse_job`].
    pub fn job(&self) -> Result<RestoreJob, Error> {
        self.expect_ok()?;
        parse_job(self.body)
    }

    /// What an error response says: code, message and details from a JSON error body, or a
    /// bounded snippet of any other body; the request id; the `Location` of a redirect.
    ///
    /// Never fails: an HTML page, an empty body or bytes that are not UTF-8 still make an
    /// [`ApiError`] with the status.
    pub fn api_error(&self) -> ApiError {
        let mut error = ApiError {
            status: self.status,
            code: None,
            message: None,
            details: None,
            request_id: self
                .header("x-pinecone-request-id")
                .or_else(|| self.header("x-request-id"))
                .map(|v| clean(&String::from_utf8_lossy(v), TEXT_CHARS))
                .filter(|v| !v.is_empty()),
            body_snippet: None,
            location: None,
        };
        if (300..400).contains(&self.status) {
            error.location = self
                .header("location")
                .map(|v| clean(&String::from_utf8_lossy(v), TEXT_CHARS));
        }
        if let Ok(serde_json::Value::Object(body)) = serde_json::from_slice(self.body) {
            let text = |v: Option<&serde_json::Value>| {
                v.and_then(serde_json::Value::as_str)
                    .map(|s| clean(s, TEXT_CHARS))
            };
            match body.get("error") {
                Some(serde_json::Value::Object(inner)) => {
                    error.code = text(inner.get("code")).map(|c| ErrorCode::from_text(&c));
                    error.message = text(inner.get("message"));
                    error.details = inner.get("details").filter(|d| !d.is_null()).cloned();
                }
                Some(serde_json::Value::String(s)) => error.message = Some(clean(s, TEXT_CHARS)),
                _ => error.message = text(body.get("message")),
            }
        }
        if error.code.is_none() && error.message.is_none() {
            error.body_snippet = snippet(self.body);
        }
        error
    }
}

/// A short, printable excerpt of a body: an HTML page's `<title>`, or its first characters with
/// white space folded. `None` for an empty body.
fn snippet(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body.get(..4096).unwrap_or(body));
    let lower = text.to_ascii_lowercase();
    let title = lower
        .find("<title>")
        .map(|start| start + "<title>".len())
        .and_then(|start| {
            let end = start + lower.get(start..)?.find("</title>")?;
            text.get(start..end)
        });
    let shown = clean(title.unwrap_or(&text), SNIPPET_CHARS);
    (!shown.is_empty()).then_some(shown)
}

/// Folds white space, replaces control characters (a terminal escape sequence from a hostile
/// server stays inert) and bounds the length, marking a cut with `…`.
fn clean(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if count >= max_chars {
            out.push('…');
            return out;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(if c.is_control() { '\u{FFFD}' } else { c });
        count += 1;
    }
    out
}

/// The reason phrase of common statuses, for messages.
pub(crate) fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        412 => "Precondition Failed",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, headers: &[(&str, &[u8])], body: &[u8]) -> ApiError {
        match (Response {
            status,
            headers,
            body,
        })
        .list_page()
        .unwrap_err()
        {
            Error::Api(e) => *e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn spec_error_examples() {
        let e = api(
            404,
            &[("x-request-id", b"abc")],
            br#"{"error":{"code":"NOT_FOUND","message":"Restore job 670e8400-e29b-41d4-a716-446655440002 not found."},"status":404}"#,
        );
        assert_eq!(e.code(), Some(&ErrorCode::NotFound));
        assert_eq!(e.request_id(), Some("abc"));
        let e = api(
            500,
            &[],
            br#"{"error":{"code":"UNKNOWN","message":"Internal server error"},"status":500}"#,
        );
        assert_eq!(e.code(), Some(&ErrorCode::Unknown));
        assert_eq!(
            e.to_string(),
            "API error: status 500 Internal Server Error, code UNKNOWN: Internal server error"
        );
        let e = api(
            429,
            &[],
            br#"{"error":{"code":"QUOTA_EXCEEDED","message":"m","details":{"a":1}},"status":429}"#,
        );
        assert_eq!(e.details(), Some(&serde_json::json!({"a": 1})));
    }

    #[test]
    fn every_spec_code_round_trips() {
        for code in [
            "OK",
            "UNKNOWN",
            "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED",
            "QUOTA_EXCEEDED",
            "NOT_FOUND",
            "ALREADY_EXISTS",
            "PERMISSION_DENIED",
            "UNAUTHENTICATED",
            "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION",
            "ABORTED",
            "OUT_OF_RANGE",
            "UNIMPLEMENTED",
            "INTERNAL",
            "UNAVAILABLE",
            "DATA_LOSS",
            "FORBIDDEN",
            "UNPROCESSABLE_ENTITY",
            "PAYMENT_REQUIRED",
        ] {
            let parsed = ErrorCode::from_text(code);
            assert!(!matches!(parsed, ErrorCode::Other(_)), "{code}");
            assert_eq!(parsed.as_str(), code);
        }
        assert_eq!(
            ErrorCode::from_text("TEAPOT"),
            ErrorCode::Other("TEAPOT".into())
        );
    }

    #[test]
    fn non_json_error_bodies() {
        let html =
            b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>";
        let e = api(502, &[], html);
        assert_eq!(e.body_snippet(), Some("502 Bad Gateway"));
        assert_eq!(
            e.to_string(),
            "API error: status 502 Bad Gateway: body `502 Bad Gateway`"
        );
        let e = api(503, &[], b"");
        assert_eq!(e.to_string(), "API error: status 503 Service Unavailable");
        let e = api(500, &[], b"\xff\xfe oops \x1b[31m red");
        assert_eq!(
            e.body_snippet(),
            Some("\u{FFFD}\u{FFFD} oops \u{FFFD}[31m red")
        );
        let long = vec![b'x'; 10_000];
        let e = api(500, &[], &long);
        assert_eq!(e.body_snippet().unwrap().chars().count(), SNIPPET_CHARS + 1);
        let e = api(400, &[], br#"{"error":"bad token"}"#);
        assert_eq!(e.message(), Some("bad token"));
        let e = api(400, &[], br#"{"message":"plain"}"#);
        assert_eq!(e.message(), Some("plain"));
        let e = api(418, &[], br#"[1,2]"#);
        assert_eq!(e.body_snippet(), Some("[1,2]"));
    }

    #[test]
    fn statuses() {
        let ok = |status| {
            Response {
                status,
                headers: &[],
                body: br#"{"data":[]}"#,
            }
            .list_page()
        };
        assert!(ok(200).is_ok());
        for status in [201, 204, 299, 100, 101, 0, 600, 999] {
            let e = ok(status).unwrap_err();
            assert!(e.is_invalid_response(), "{status}");
            assert_eq!(
                e.to_string(),
                format!("invalid response: expected status 200, found {status}")
            );
        }
        let redirect = Response {
            status: 307,
            headers: &[("Location", b"https://evil.example/x")],
            body: b"",
        };
        let e = redirect.list_page().unwrap_err();
        assert_eq!(e.status(), Some(307));
        assert_eq!(
            e.to_string(),
            "API error: status 307 Temporary Redirect: redirect to `https://evil.example/x` not followed"
        );
    }

    #[test]
    fn hostile_text_is_cleaned() {
        let e = api(
            401,
            &[("x-pinecone-request-id", b"id\x1b]0;pwned\x07")],
            "{\"error\":{\"code\":\"UNAUTHENTICATED\",\"message\":\"bad\\u001b[2J key\"}}"
                .as_bytes(),
        );
        assert_eq!(e.message(), Some("bad\u{FFFD}[2J key"));
        assert_eq!(e.request_id(), Some("id\u{FFFD}]0;pwned\u{FFFD}"));
    }
}
