//! Faults: answers the fake gives instead of the real one, queued with [`FakeServer::inject`].
//!
//! [`FakeServer::inject`]: crate::FakeServer::inject

/// One abnormal answer, given to the next request instead of the normal one.
///
/// Faults are queued in order; each one is used up by exactly one request, whatever its path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// 429 with a `Retry-After` header carrying this exact text (seconds or an HTTP date) and a
    /// JSON error body with code `RESOURCE_EXHAUSTED`.
    TooManyRequests {
        /// The `Retry-After` header value, sent as is (left out if it is not a valid header
        /// value).
        retry_after: String,
    },
    /// This status with a JSON error body and a code that fits it (500 `UNKNOWN`,
    /// 503 `UNAVAILABLE`, 403 `PERMISSION_DENIED`, ...). A number that is not a valid HTTP
    /// status is served as 500.
    Status(u16),
    /// 502 with `content-type: text/html` and nginx's error page, as a load balancer sends it.
    HtmlBadGateway,
    /// 401 with the JSON body of a rejected API key.
    Unauthorized,
    /// This status with an empty body and no `content-type`. A number that is not a valid
    /// HTTP status is served as 500.
    EmptyBody(u16),
}

/// The `error.code` the API uses for a status.
pub(crate) fn code_for_status(status: u16) -> &'static str {
    match status {
        200..=299 => "OK",
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        402 => "PAYMENT_REQUIRED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        408 | 504 => "DEADLINE_EXCEEDED",
        409 => "ALREADY_EXISTS",
        412 => "FAILED_PRECONDITION",
        413 => "INVALID_ARGUMENT",
        422 => "UNPROCESSABLE_ENTITY",
        429 => "RESOURCE_EXHAUSTED",
        501 => "UNIMPLEMENTED",
        502 | 503 => "UNAVAILABLE",
        500 => "UNKNOWN",
        505..=599 => "INTERNAL",
        _ => "UNKNOWN",
    }
}

/// The page nginx sends for a 502.
pub(crate) const NGINX_BAD_GATEWAY: &str = "<html>\r\n\
<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n\
<hr><center>nginx</center>\r\n\
</body>\r\n\
</html>\r\n";
