//! What an HTTP status means to this client: its reason phrase, and whether a request that got
//! it may be sent again.

/// `true` for the statuses after which an idempotent request (a `GET`) is sent again: 408, 429,
/// 500, 502, 503 and 504.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// `true` for the statuses after which a request that is not idempotent (a create, a delete)
/// surely did not take effect: 429, the rate limiter's "not now", answered before the request
/// reaches the service. Not 503: a proxy answers 503 when the service reset the connection
/// after it had the request (Envoy's "upstream connect error or disconnect/reset before
/// headers"), so a 503 may come after the work was done.
pub(crate) fn is_refusal(status: u16) -> bool {
    status == 429
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
        413 => "Payload Too Large",
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

    #[test]
    fn classes() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [200, 301, 400, 401, 403, 404, 409, 412, 422, 501, 505] {
            assert!(!is_retryable_status(s), "{s}");
        }
        assert!(is_refusal(429) && !is_refusal(503));
        assert!(!is_refusal(500) && !is_refusal(502) && !is_refusal(504) && !is_refusal(408));
        assert_eq!(reason_phrase(412), Some("Precondition Failed"));
        assert_eq!(reason_phrase(599), None);
    }
}
