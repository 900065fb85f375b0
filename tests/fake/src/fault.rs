//! Faults: answers the fake gives instead of the real one, queued with [`FakeServer::inject`]
//! (any request) or [`FakeServer::inject_on`] (requests to one endpoint).
//!
//! [`FakeServer::inject`]: crate::FakeServer::inject
//! [`FakeServer::inject_on`]: crate::FakeServer::inject_on

use std::collections::VecDeque;
use std::time::Duration;

/// One abnormal answer, given to a coming request instead of the normal one.
///
/// Faults are queued in order; each one is used up by exactly one request. Those queued with
/// [`FakeServer::inject`](crate::FakeServer::inject) go to the next request whatever its path;
/// those queued with [`FakeServer::inject_on`](crate::FakeServer::inject_on) wait for a request
/// to their [`Endpoint`], and come before the first kind.
///
/// A fault comes before every check, the API key and the version included; the variants named
/// `ProcessThen...` run the normal handling first (with its checks and its effects, such as a
/// started restore), then replace its answer. A JSON error body is in the version the request
/// asked for (in 2025-04 when that version is unknown), so a 401 is `text/plain` in 2026-07.
///
/// The request body is read before the fault applies (so that it is recorded): a client that
/// sends `Expect: 100-continue` still gets the interim `100 Continue`, even before a
/// [`Fault::Drop`].
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
    /// 401 for a rejected API key: JSON, or `text/plain` in 2026-07.
    Unauthorized,
    /// This status with an empty body and no `content-type`. A number that is not a valid
    /// HTTP status is served as 500.
    EmptyBody(u16),
    /// This status with the API's JSON error body carrying exactly this code and message, in
    /// every version: e.g. 402 `PAYMENT_REQUIRED`, 403 `FORBIDDEN` (index quota) or 403
    /// `PERMISSION_DENIED`. A number that is not a valid HTTP status is served as 500.
    Error {
        /// The HTTP status, also written as the body's `status`.
        status: u16,
        /// `error.code`.
        code: String,
        /// `error.message`.
        message: String,
    },
    /// Closes the connection without answering anything; the request is not processed (a
    /// create-index starts nothing).
    Drop,
    /// Processes the request normally (a create-index does start its restore and create its
    /// index), then closes the connection without sending a byte of the answer: the call took
    /// effect but the client never hears of it.
    ProcessThenDrop,
    /// Processes the request normally, then answers this status with the API's error body for
    /// it (as [`Fault::Status`]) instead of the real answer: e.g. a 502 or 504 after the index
    /// was created.
    ProcessThenStatus(u16),
    /// Answers nothing for this long, then closes the connection; the request is not
    /// processed.
    Stall(Duration),
    /// Processes the request normally, then answers nothing for this long, then closes the
    /// connection.
    ProcessThenStall(Duration),
    /// 401 with `text/plain; charset=utf-8` and the bare body `Invalid API key.`, whatever the
    /// version.
    TextUnauthorized,
}

/// One endpoint of the fake, to aim a fault at with
/// [`FakeServer::inject_on`](crate::FakeServer::inject_on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// `GET {prefix}/restore-jobs`.
    List,
    /// `GET {prefix}/restore-jobs/{id}`.
    Describe,
    /// `POST {prefix}/backups/{backup_id}/create-index`.
    CreateIndex,
    /// `GET {prefix}/backups` (the project's backups).
    ListBackups,
    /// `GET {prefix}/indexes/{index_name}/backups` (one index's backups).
    ListIndexBackups,
    /// `GET {prefix}/backups/{backup_id}`.
    DescribeBackup,
    /// `POST {prefix}/indexes/{index_name}/backups` (a new backup).
    CreateBackup,
    /// `DELETE {prefix}/backups/{backup_id}`.
    DeleteBackup,
    /// `GET {prefix}/indexes/{index_name}/backup-schedules` (2026-07).
    ListSchedules,
    /// `POST {prefix}/indexes/{index_name}/backup-schedules` (2026-07).
    CreateSchedule,
    /// `GET {prefix}/backup-schedules/{schedule_id}` (2026-07).
    DescribeSchedule,
    /// `PATCH {prefix}/backup-schedules/{schedule_id}` (2026-07).
    UpdateSchedule,
    /// `DELETE {prefix}/backup-schedules/{schedule_id}` (2026-07).
    DeleteSchedule,
    /// `GET {prefix}/backup-schedules/{schedule_id}/history` (2026-07).
    ScheduleHistory,
}

impl Endpoint {
    /// How many endpoints there are: the length of a per-endpoint array.
    pub(crate) const COUNT: usize = Endpoint::ALL.len();

    /// Every endpoint once, in [`Endpoint::index`] order.
    pub(crate) const ALL: [Endpoint; 14] = [
        Endpoint::List,
        Endpoint::Describe,
        Endpoint::CreateIndex,
        Endpoint::ListBackups,
        Endpoint::ListIndexBackups,
        Endpoint::DescribeBackup,
        Endpoint::CreateBackup,
        Endpoint::DeleteBackup,
        Endpoint::ListSchedules,
        Endpoint::CreateSchedule,
        Endpoint::DescribeSchedule,
        Endpoint::UpdateSchedule,
        Endpoint::DeleteSchedule,
        Endpoint::ScheduleHistory,
    ];

    /// This endpoint's slot in a per-endpoint `[T; Endpoint::COUNT]`: its position in
    /// [`Endpoint::ALL`] (a test checks it), hence below `COUNT`, so indexing with it cannot
    /// panic. A new variant does not compile until it has a slot here; give it the next
    /// number and add it at the end of `ALL`, whose length is written out.
    pub(crate) const fn index(self) -> usize {
        match self {
            Endpoint::List => 0,
            Endpoint::Describe => 1,
            Endpoint::CreateIndex => 2,
            Endpoint::ListBackups => 3,
            Endpoint::ListIndexBackups => 4,
            Endpoint::DescribeBackup => 5,
            Endpoint::CreateBackup => 6,
            Endpoint::DeleteBackup => 7,
            Endpoint::ListSchedules => 8,
            Endpoint::CreateSchedule => 9,
            Endpoint::DescribeSchedule => 10,
            Endpoint::UpdateSchedule => 11,
            Endpoint::DeleteSchedule => 12,
            Endpoint::ScheduleHistory => 13,
        }
    }
}

/// The queued faults: one queue per endpoint, and one for any request.
#[derive(Debug, Default)]
pub(crate) struct FaultQueues {
    any: VecDeque<Fault>,
    /// Indexed by [`Endpoint::index`].
    endpoints: [VecDeque<Fault>; Endpoint::COUNT],
}

impl FaultQueues {
    /// Queues `fault` for the next request to `endpoint`, or to any route with `None`.
    pub(crate) fn push(&mut self, endpoint: Option<Endpoint>, fault: Fault) {
        match endpoint {
            Some(endpoint) => self.endpoints[endpoint.index()].push_back(fault),
            None => self.any.push_back(fault),
        }
    }

    /// The fault for a request to `endpoint` (`None` for an unknown route): the endpoint's
    /// queue first, then the one for any request.
    pub(crate) fn next(&mut self, endpoint: Option<Endpoint>) -> Option<Fault> {
        endpoint
            .and_then(|endpoint| self.endpoints[endpoint.index()].pop_front())
            .or_else(|| self.any.pop_front())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_each_endpoint_once_in_index_order() {
        for (position, endpoint) in Endpoint::ALL.into_iter().enumerate() {
            assert_eq!(endpoint.index(), position, "{endpoint:?}");
        }
    }

    #[test]
    fn each_endpoint_has_its_own_queue() {
        let mut queues = FaultQueues::default();
        for endpoint in Endpoint::ALL {
            queues.push(Some(endpoint), Fault::Status(500 + endpoint.index() as u16));
        }
        for endpoint in Endpoint::ALL.into_iter().rev() {
            let expected = Fault::Status(500 + endpoint.index() as u16);
            assert_eq!(queues.next(Some(endpoint)), Some(expected), "{endpoint:?}");
            assert_eq!(queues.next(Some(endpoint)), None, "{endpoint:?}");
        }
    }

    #[test]
    fn an_endpoint_queue_comes_before_the_queue_for_any_request() {
        let mut queues = FaultQueues::default();
        queues.push(None, Fault::Status(500));
        queues.push(Some(Endpoint::List), Fault::Status(503));
        queues.push(Some(Endpoint::CreateIndex), Fault::Drop);
        assert_eq!(queues.next(Some(Endpoint::List)), Some(Fault::Status(503)));
        assert_eq!(queues.next(None), Some(Fault::Status(500)));
        assert_eq!(queues.next(Some(Endpoint::List)), None);
        assert_eq!(queues.next(Some(Endpoint::Describe)), None);
        assert_eq!(queues.next(Some(Endpoint::CreateIndex)), Some(Fault::Drop));
    }
}
