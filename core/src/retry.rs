//! When to send a failed request again, and after how long; sans IO.

use std::time::{Duration, SystemTime};

use time::{Date, Month, PrimitiveDateTime, Time};

use crate::response::Response;

/// `true` for the statuses worth retrying: 408, 429, 500, 502, 503 and 504.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// How a request failed below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportFailure {
    /// The connection could not be opened (refused, DNS, unreachable).
    Connect,
    /// A timeout passed.
    Timeout,
    /// Anything else (TLS, a reset mid-body, a body too large). Not retried: it may not be
    /// transient.
    Other,
}

/// What happened to one attempt.
#[derive(Debug, Clone, Copy)]
pub enum Failure<'a> {
    /// The server answered with this response.
    Status(&'a Response<'a>),
    /// No usable answer arrived.
    Transport(TransportFailure),
}

/// The answer of a [`RetryPolicy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Send the request again after this delay.
    RetryAfter(Duration),
    /// Stop and report the failure.
    GiveUp,
}

/// Which failures to retry, how often, and how long to wait in between.
///
/// Only idempotent `GET`s are sent by this crate, so retrying is always safe; it is done on
/// statuses 408, 429, 500, 502, 503, 504 and on connect failures and timeouts, with jittered
/// exponential backoff. A `Retry-After` header (seconds or an HTTP date) replaces the backoff,
/// capped at [`RetryPolicy::max_retry_after`]. The sum of all delays stays within
/// [`RetryPolicy::budget`].
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use pinecone_restore_core::{Failure, Response, RetryDecision, RetryPolicy};
///
/// let policy = RetryPolicy::default();
/// let busy = Response { status: 429, headers: &[("Retry-After", b"2")], body: b"" };
/// let decision = policy.decide(0, Duration::ZERO, Failure::Status(&busy), SystemTime::now(), 7);
/// assert_eq!(decision, RetryDecision::RetryAfter(Duration::from_secs(2)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 3).
    pub max_retries: u32,
    /// The first backoff step (default 250 ms); each retry doubles it.
    pub base_delay: Duration,
    /// The most one backoff step waits (default 8 s).
    pub max_delay: Duration,
    /// The most a `Retry-After` header makes us wait (default 30 s).
    pub max_retry_after: Duration,
    /// The most all delays of one call add up to (default 60 s).
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            budget: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Decides about the failure of attempt `retries + 1`, given the delays already spent on
    /// this call, the wall-clock `now` (for `Retry-After` dates) and a random number for jitter.
    pub fn decide(
        &self,
        retries: u32,
        delayed: Duration,
        failure: Failure<'_>,
        now: SystemTime,
        random: u64,
    ) -> RetryDecision {
        if retries >= self.max_retries {
            return RetryDecision::GiveUp;
        }
        let delay = match failure {
            Failure::Transport(TransportFailure::Connect | TransportFailure::Timeout) => {
                self.backoff(retries, random)
            }
            Failure::Transport(_) => return RetryDecision::GiveUp,
            Failure::Status(r) if !is_retryable_status(r.status) => return RetryDecision::GiveUp,
            Failure::Status(r) => match r.header("retry-after").and_then(|v| retry_after(v, now)) {
                Some(wait) => wait.min(self.max_retry_after),
                None => self.backoff(retries, random),
            },
        };
        if delayed.saturating_add(delay) > self.budget {
            return RetryDecision::GiveUp;
        }
        RetryDecision::RetryAfter(delay)
    }

    /// Exponential backoff with "equal jitter": half the step fixed, half random.
    fn backoff(&self, retries: u32, random: u64) -> Duration {
        let step = self
            .base_delay
            .saturating_mul(1u32.checked_shl(retries).unwrap_or(u32::MAX))
            .min(self.max_delay);
        let half = step / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(random % nanos.saturating_add(1))
    }
}

/// Tracks the retries of one call: feed it each failure, sleep as it says.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use pinecone_restore_core::{Failure, Retry, RetryDecision, RetryPolicy, TransportFailure};
///
/// let mut retry = Retry::new(RetryPolicy::default());
/// let refused = Failure::Transport(TransportFailure::Connect);
/// let mut sleeps = 0;
/// while let RetryDecision::RetryAfter(_) = retry.next(refused, SystemTime::now(), 42) {
///     sleeps += 1;
/// }
/// assert_eq!(sleeps, 3);
/// ```
#[derive(Debug, Clone)]
pub struct Retry {
    policy: RetryPolicy,
    retries: u32,
    delayed: Duration,
}

impl Retry {
    /// A fresh call under `policy`.
    pub fn new(policy: RetryPolicy) -> Retry {
        Retry {
            policy,
            retries: 0,
            delayed: Duration::ZERO,
        }
    }

    /// Decides about the latest failure and counts the retry it allows.
    pub fn next(&mut self, failure: Failure<'_>, now: SystemTime, random: u64) -> RetryDecision {
        let decision = self
            .policy
            .decide(self.retries, self.delayed, failure, now, random);
        if let RetryDecision::RetryAfter(d) = decision {
            self.retries += 1;
            self.delayed += d;
        }
        decision
    }

    /// Retries allowed so far.
    pub fn retries(&self) -> u32 {
        self.retries
    }
}

/// `Retry-After` as delay-seconds or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`); a date in
/// the past means "now".
fn retry_after(value: &[u8], now: SystemTime) -> Option<Duration> {
    let text = std::str::from_utf8(value).ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(text.parse().unwrap_or(u64::MAX)));
    }
    let at = SystemTime::from(http_date(text)?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
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

    fn status(code: u16, headers: &[(&str, &[u8])]) -> RetryDecision {
        let r = Response {
            status: code,
            headers,
            body: b"",
        };
        RetryPolicy::default().decide(
            0,
            Duration::ZERO,
            Failure::Status(&r),
            SystemTime::UNIX_EPOCH,
            0,
        )
    }

    #[test]
    fn which_statuses_are_retried() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(
                matches!(status(code, &[]), RetryDecision::RetryAfter(_)),
                "{code}"
            );
        }
        for code in [200, 301, 307, 400, 401, 403, 404, 409, 422, 501, 505] {
            assert_eq!(status(code, &[]), RetryDecision::GiveUp, "{code}");
        }
    }

    #[test]
    fn which_transport_failures_are_retried() {
        let p = RetryPolicy::default();
        let t = |f| {
            p.decide(
                0,
                Duration::ZERO,
                Failure::Transport(f),
                SystemTime::UNIX_EPOCH,
                0,
            )
        };
        assert!(matches!(
            t(TransportFailure::Connect),
            RetryDecision::RetryAfter(_)
        ));
        assert!(matches!(
            t(TransportFailure::Timeout),
            RetryDecision::RetryAfter(_)
        ));
        assert_eq!(t(TransportFailure::Other), RetryDecision::GiveUp);
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let p = RetryPolicy::default();
        let connect = Failure::Transport(TransportFailure::Connect);
        let d = |retries, random| match p.decide(
            retries,
            Duration::ZERO,
            connect,
            SystemTime::UNIX_EPOCH,
            random,
        ) {
            RetryDecision::RetryAfter(d) => d,
            RetryDecision::GiveUp => panic!("gave up"),
        };
        assert_eq!(d(0, 0), Duration::from_millis(125));
        assert_eq!(
            d(0, u64::MAX),
            Duration::from_millis(125) + Duration::from_nanos(u64::MAX % 125_000_001)
        );
        assert!(
            d(0, 12345) >= Duration::from_millis(125) && d(0, 12345) <= Duration::from_millis(250)
        );
        assert_eq!(d(1, 0), Duration::from_millis(250));
        assert_eq!(d(2, 0), Duration::from_millis(500));
        let big = RetryPolicy {
            max_retries: 100,
            ..RetryPolicy::default()
        };
        let capped = big.decide(
            60,
            Duration::ZERO,
            connect,
            SystemTime::UNIX_EPOCH,
            u64::MAX,
        );
        assert!(
            matches!(capped, RetryDecision::RetryAfter(d) if d <= Duration::from_secs(8) && d >= Duration::from_secs(4))
        );
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            status(429, &[("Retry-After", b"3")]),
            RetryDecision::RetryAfter(Duration::from_secs(3))
        );
        assert_eq!(
            status(503, &[("retry-after", b" 0 ")]),
            RetryDecision::RetryAfter(Duration::ZERO)
        );
        assert_eq!(
            status(429, &[("Retry-After", b"99999999999999999999")]),
            RetryDecision::RetryAfter(Duration::from_secs(30))
        );
        // Unparseable: fall back to backoff.
        assert_eq!(
            status(429, &[("Retry-After", b"soon")]),
            RetryDecision::RetryAfter(Duration::from_millis(125))
        );
        assert_eq!(
            status(429, &[("Retry-After", b"-5")]),
            RetryDecision::RetryAfter(Duration::from_millis(125))
        );
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_767); // 1994-11-06 08:49:27 UTC
        let r = Response {
            status: 503,
            headers: &[("Retry-After", b"Sun, 06 Nov 1994 08:49:37 GMT")],
            body: b"",
        };
        let p = RetryPolicy::default();
        assert_eq!(
            p.decide(0, Duration::ZERO, Failure::Status(&r), now, 0),
            RetryDecision::RetryAfter(Duration::from_secs(10))
        );
        let later = now + Duration::from_secs(60);
        assert_eq!(
            p.decide(0, Duration::ZERO, Failure::Status(&r), later, 0),
            RetryDecision::RetryAfter(Duration::ZERO)
        );
        assert_eq!(http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
        assert_eq!(http_date("Sun, 31 Feb 1994 08:49:37 GMT"), None);
    }

    #[test]
    fn attempts_and_budget_are_bounded() {
        let r = Response {
            status: 429,
            headers: &[("Retry-After", b"25")],
            body: b"",
        };
        let mut retry = Retry::new(RetryPolicy::default());
        let now = SystemTime::UNIX_EPOCH;
        assert_eq!(
            retry.next(Failure::Status(&r), now, 0),
            RetryDecision::RetryAfter(Duration::from_secs(25))
        );
        assert_eq!(
            retry.next(Failure::Status(&r), now, 0),
            RetryDecision::RetryAfter(Duration::from_secs(25))
        );
        assert_eq!(
            retry.next(Failure::Status(&r), now, 0),
            RetryDecision::GiveUp,
            "75 s would exceed the 60 s budget"
        );
        assert_eq!(retry.retries(), 2);
        let mut never = Retry::new(RetryPolicy::never());
        assert_eq!(
            never.next(Failure::Transport(TransportFailure::Timeout), now, 0),
            RetryDecision::GiveUp
        );
    }
}
