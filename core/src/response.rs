//! Responses as plain data, and what an error response says.

use std::time::{Duration, SystemTime};

use time::{Date, Month, PrimitiveDateTime, Time};

use crate::error::{ApiError, ErrorCode};
use crate::parse::parse_error_body;
use crate::text::{self, Secrets};

/// The most characters of an HTML title or body excerpt quoted in an error.
const SNIPPET_CHARS: usize = 200;
/// The most characters of a request id kept.
const REQUEST_ID_CHARS: usize = 200;
/// The most bytes of an error body looked at for a snippet or a plain-text message.
const TEXT_BYTES: usize = 4096;
/// The most bytes of `details`, as JSON, kept.
const DETAILS_BYTES: usize = 4096;

/// A response as any transport sees it: status, headers and the body bytes. Adapters hand this
/// to an operation's `handle`.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and raw values, in any case, in the order received.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The body (already decoded from any content encoding).
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

    /// What an error response says: code, message and details from a JSON error body, a
    /// `text/plain` body as the message (API 2026-07 answers 401 so, and so do proxies), or a
    /// bounded snippet of any other body; the request id; the `Location` of a redirect; the
    /// `Retry-After` (an HTTP date is read against the response's `Date`, else `now`).
    ///
    /// Never fails: an HTML page, an empty body or bytes that are not UTF-8 still make an
    /// [`ApiError`] with the status. Every text in it is escaped, bounded and has `secrets`
    /// scrubbed.
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use pinecone_restore_core::{ErrorCode, Response, text::Secrets};
    ///
    /// let headers = [("X-Pinecone-Request-Id", &b"req-7"[..])];
    /// let body = br#"{"status":401,"error":{"code":"UNAUTHENTICATED","message":"Invalid API key."}}"#;
    /// let err = Response { status: 401, headers: &headers, body }
    ///     .api_error(&Secrets::none(), SystemTime::now());
    /// assert_eq!(err.code(), Some(&ErrorCode::Unauthenticated));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "API error: status 401 Unauthorized, code UNAUTHENTICATED: Invalid API key. (request id req-7)"
    /// );
    /// ```
    pub fn api_error(&self, secrets: &Secrets, now: SystemTime) -> ApiError {
        let header_text = |name: &str, max: usize| {
            self.header(name)
                .map(|v| text::shown(&String::from_utf8_lossy(v), max, secrets))
                .filter(|v| !v.is_empty())
        };
        let mut error = ApiError {
            status: self.status,
            code: None,
            message: None,
            details: None,
            request_id: header_text("x-pinecone-request-id", REQUEST_ID_CHARS)
                .or_else(|| header_text("x-request-id", REQUEST_ID_CHARS)),
            body_snippet: None,
            location: None,
            retry_after: self.retry_after(now),
        };
        if (300..400).contains(&self.status) {
            error.location = header_text("location", text::MESSAGE_CHARS);
        }
        if let Some(body) = parse_error_body(self.body) {
            error.code = body
                .code
                .map(|c| ErrorCode::from_text(&text::quote(&c, secrets)));
            error.message = body
                .message
                .map(|m| text::shown(&fold_whitespace(&m), text::MESSAGE_CHARS, secrets))
                .filter(|m| !m.is_empty());
            error.details = body.details.filter(|d| {
                let json = d.to_string();
                json.len() <= DETAILS_BYTES && !secrets.found_in(&json)
            });
        } else if self.is_plain_text() {
            let body = String::from_utf8_lossy(self.body.get(..TEXT_BYTES).unwrap_or(self.body));
            error.message = Some(text::shown(
                &fold_whitespace(&body),
                text::MESSAGE_CHARS,
                secrets,
            ))
            .filter(|m| !m.is_empty());
        }
        if error.code.is_none() && error.message.is_none() {
            error.body_snippet = snippet(self.body, secrets);
        }
        error
    }

    fn is_plain_text(&self) -> bool {
        self.header("content-type")
            .is_some_and(|v| v.len() >= 10 && v[..10].eq_ignore_ascii_case(b"text/plain"))
    }

    /// The server's `Date` (an IMF-fixdate, cut to the second), when it has a usable one.
    pub(crate) fn date(&self) -> Option<time::OffsetDateTime> {
        let text = std::str::from_utf8(self.header("date")?).ok()?;
        http_date(text.trim())
    }

    /// `Retry-After` as delay-seconds or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
    /// a date read against the response's own `Date` when it has one (the server's clock
    /// against the server's clock), else against `now`; a date in the past means "now".
    pub(crate) fn retry_after(&self, now: SystemTime) -> Option<Duration> {
        let text = std::str::from_utf8(self.header("retry-after")?)
            .ok()?
            .trim();
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Duration::from_secs(text.parse().unwrap_or(u64::MAX)));
        }
        let at = SystemTime::from(http_date(text)?);
        let reference = self.date().map_or(now, SystemTime::from);
        Some(at.duration_since(reference).unwrap_or(Duration::ZERO))
    }
}

/// Runs of white space become one space; the ends are trimmed.
fn fold_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A short, printable excerpt of a body: an HTML page's `<title>`, or its first characters with
/// white space folded. `None` for an empty body.
fn snippet(body: &[u8], secrets: &Secrets) -> Option<String> {
    let text = String::from_utf8_lossy(body.get(..TEXT_BYTES).unwrap_or(body));
    let lower = text.to_ascii_lowercase();
    let title = lower
        .find("<title>")
        .map(|start| start + "<title>".len())
        .and_then(|start| {
            let end = start + lower.get(start..)?.find("</title>")?;
            text.get(start..end)
        });
    let shown = text::shown(
        &fold_whitespace(title.unwrap_or(&text)),
        SNIPPET_CHARS,
        secrets,
    );
    (!shown.is_empty()).then_some(shown)
}

fn http_date(s: &str) -> Option<time::OffsetDateTime> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let b = s.as_bytes();
    if b.len() != 29 || b.get(3) != Some(&b',') || !s.ends_with(" GMT") {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u16>().ok();
    let month = match s.get(8..11)? {
        "Jan" => Month::January,
        "Feb" => Month::February,
        "Mar" => Month::March,
        "Apr" => Month::April,
        "May" => Month::May,
        "Jun" => Month::June,
        "Jul" => Month::July,
        "Aug" => Month::August,
        "Sep" => Month::September,
        "Oct" => Month::October,
        "Nov" => Month::November,
        "Dec" => Month::December,
        _ => return None,
    };
    let date = Date::from_calendar_date(
        i32::from(num(12..16)?),
        month,
        u8::try_from(num(5..7)?).ok()?,
    )
    .ok()?;
    let time = Time::from_hms(
        u8::try_from(num(17..19)?).ok()?,
        u8::try_from(num(20..22)?).ok()?,
        u8::try_from(num(23..25)?).ok()?,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, headers: &[(&str, &[u8])], body: &[u8]) -> ApiError {
        Response {
            status,
            headers,
            body,
        }
        .api_error(&Secrets::none(), SystemTime::UNIX_EPOCH)
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
            "SERVICE_UNAVAILABLE",
            "PAYLOAD_TOO_LARGE",
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
            Some("\u{FFFD}\u{FFFD} oops \\u{1b}[31m red")
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
    fn plain_text_bodies_are_the_message() {
        let text = [("Content-Type", &b"text/plain; charset=utf-8"[..])];
        let e = api(401, &text, b"Invalid API key.\n");
        assert_eq!(e.message(), Some("Invalid API key."));
        assert_eq!(e.code(), None);
        assert_eq!(
            e.to_string(),
            "API error: status 401 Unauthorized: Invalid API key."
        );
        let e = api(401, &text, "bad\u{1b}[2J \u{202e}key\n\n".as_bytes());
        assert_eq!(e.message(), Some(r"bad\u{1b}[2J \u{202e}key"));
        let e = api(403, &text, &vec![b'y'; 10_000]);
        assert_eq!(
            e.message().unwrap().chars().count(),
            text::MESSAGE_CHARS + 1
        );
        let e = api(401, &[("content-type", b"TEXT/PLAIN")], b"");
        assert_eq!(e.message(), None);
        assert_eq!(e.body_snippet(), None);
    }

    #[test]
    fn hostile_text_is_escaped_and_secrets_scrubbed() {
        const KEY: &str = "pcsk_SECRET_abcdef";
        let secrets = Secrets::of([KEY]);
        let response = Response {
            status: 307,
            headers: &[
                ("x-pinecone-request-id", b"id\x1b]0;pwned\x07 pcsk_SECRET_abcdef"),
                ("location", b"https://user:pw@evil/?k=pcsk_SECRET_abcdef"),
            ],
            body: br#"{"error":{"code":"pcsk_SECRET_abcdef","message":"bad\u001b[2J pcsk_SECRET_abcdef","details":{"k":"pcsk_SECRET_abcdef"}}}"#,
        };
        let e = response.api_error(&secrets, SystemTime::UNIX_EPOCH);
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains(KEY), "{shown}");
        assert!(!shown.contains("pw@"), "{shown}");
        assert!(!shown.contains('\u{1b}'), "{shown}");
        assert_eq!(e.message(), Some(r"bad\u{1b}[2J <redacted>"));
        assert_eq!(e.details(), None);
        assert_eq!(e.location(), Some("https://<redacted>@evil/?k=<redacted>"));
        let snippet = Response {
            status: 500,
            headers: &[],
            body: b"<p>pcsk_SECRET_abcdef</p>",
        }
        .api_error(&secrets, SystemTime::UNIX_EPOCH);
        assert!(!format!("{snippet:?}").contains(KEY));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let at = |headers: &[(&str, &[u8])], now| {
            Response {
                status: 503,
                headers,
                body: b"",
            }
            .retry_after(now)
        };
        let epoch = SystemTime::UNIX_EPOCH;
        assert_eq!(
            at(&[("Retry-After", b"3")], epoch),
            Some(Duration::from_secs(3))
        );
        assert_eq!(at(&[("retry-after", b" 0 ")], epoch), Some(Duration::ZERO));
        assert_eq!(
            at(&[("Retry-After", b"99999999999999999999")], epoch),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(at(&[("Retry-After", b"soon")], epoch), None);
        assert_eq!(at(&[("Retry-After", b"-5")], epoch), None);
        let now = epoch + Duration::from_secs(784_111_767); // 1994-11-06 08:49:27 UTC
        let date: &[u8] = b"Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(
            at(&[("Retry-After", date)], now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            at(&[("Retry-After", date)], now + Duration::from_secs(60)),
            Some(Duration::ZERO)
        );
        // the server's own Date wins over a skewed local clock
        let with_date = [
            ("Retry-After", date),
            ("Date", &b"Sun, 06 Nov 1994 08:49:07 GMT"[..]),
        ];
        assert_eq!(at(&with_date, epoch), Some(Duration::from_secs(30)));
        assert_eq!(http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
        assert_eq!(http_date("Sun, 31 Feb 1994 08:49:37 GMT"), None);
        let e = Response {
            status: 429,
            headers: &[("Retry-After", b"1000000000000")],
            body: b"",
        }
        .api_error(&Secrets::none(), epoch);
        assert!(
            e.to_string()
                .contains("(the server asked to retry after 1000000000000 s)"),
            "{e}"
        );
    }
}
