//! How often a failed request is sent again, and how long to wait in between.

use std::time::Duration;

use crate::error::{Error, InvalidArgument};

/// When and how long to retry a failed request, within bounds in attempts and in time.
///
/// A `GET` is retried after a name resolution or connect failure, a timeout, a connection
/// closed early, and statuses 408, 429, 500, 502, 503 and 504 (never after a TLS failure); starting a restore (a `POST`) is retried only
/// where that is safe (see [`Start`](crate::Start)). Between attempts the wait is a jittered
/// exponential backoff, or what a `Retry-After` header asks (seconds or an HTTP date) if that is
/// at most [`max_retry_after`](Self::max_retry_after) — beyond it, the call gives up at once with
/// the server's answer. No wait is shorter than [`min_delay`](Self::min_delay), so even
/// `Retry-After: 0` uses up time. Everything one request takes, all attempts and waits
/// included, stays within [`budget`](Self::budget).
///
/// ```
/// use std::time::Duration;
/// use pinecone_restore_core::RetryPolicy;
///
/// let mut patient = RetryPolicy::default();
/// patient.max_retries = 10;
/// patient.budget = Duration::from_secs(300);
/// assert_eq!(RetryPolicy::never().max_retries, 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 3, at most [`RetryPolicy::MAX_RETRIES`]).
    pub max_retries: u32,
    /// The first backoff step (default 250 ms); each retry doubles it.
    pub base_delay: Duration,
    /// The most one backoff step waits (default 8 s).
    pub max_delay: Duration,
    /// The least any retry waits, whatever the server asks (default 100 ms).
    pub min_delay: Duration,
    /// The most a `Retry-After` header makes us wait; a longer one ends the call at once
    /// (default 30 s).
    pub max_retry_after: Duration,
    /// The most time one request may take, every attempt and wait included (default 120 s).
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            min_delay: Duration::from_millis(100),
            max_retry_after: Duration::from_secs(30),
            budget: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// The most retries a policy may ask for: with backoff capped at 8 s that is already minutes
    /// of trying, and a bound in attempts must exist however short the waits.
    pub const MAX_RETRIES: u32 = 20;

    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Checks the bounds: at most [`RetryPolicy::MAX_RETRIES`] retries, a budget above zero.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.max_retries > RetryPolicy::MAX_RETRIES {
            return Err(InvalidArgument::new(
                "max retries",
                format!(
                    "expected at most {}, found {}",
                    RetryPolicy::MAX_RETRIES,
                    self.max_retries
                ),
            )
            .into());
        }
        if self.budget.is_zero() {
            return Err(InvalidArgument::new("retry budget", "expected more than zero").into());
        }
        Ok(())
    }

    /// How long to wait before retry number `retries + 1`: what the server asked for, or a
    /// backoff; never less than [`RetryPolicy::min_delay`]. `None` when no retry is allowed:
    /// the retries are used up, or the server asked for more than
    /// [`RetryPolicy::max_retry_after`].
    pub(crate) fn delay(
        &self,
        retries: u32,
        retry_after: Option<Duration>,
        random: u64,
    ) -> Option<Duration> {
        if retries >= self.max_retries {
            return None;
        }
        let delay = match retry_after {
            Some(asked) if asked > self.max_retry_after => return None,
            Some(asked) => asked,
            None => self.backoff(retries, random),
        };
        Some(delay.max(self.min_delay))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let p = RetryPolicy {
            max_retries: 20,
            ..RetryPolicy::default()
        };
        assert_eq!(p.delay(0, None, 0), Some(ms(125)));
        assert_eq!(
            p.delay(0, None, u64::MAX),
            Some(ms(125) + Duration::from_nanos(u64::MAX % 125_000_001))
        );
        let jittered = p.delay(0, None, 12345).unwrap();
        assert!(jittered >= ms(125) && jittered <= ms(250));
        assert_eq!(p.delay(1, None, 0), Some(ms(250)));
        assert_eq!(p.delay(2, None, 0), Some(ms(500)));
        let capped = p.delay(19, None, u64::MAX).unwrap();
        assert!(capped <= Duration::from_secs(8) && capped >= Duration::from_secs(4));
    }

    #[test]
    fn retry_after_is_honoured_floored_and_capped() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(3)), 0),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            p.delay(0, Some(Duration::ZERO), 0),
            Some(ms(100)),
            "0 s still costs"
        );
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(30)), 0),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(31)), 0),
            None,
            "beyond the cap: give up, do not retry early"
        );
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(1_000_000_000_000)), 0),
            None
        );
    }

    #[test]
    fn attempts_are_bounded() {
        let p = RetryPolicy::default();
        assert!(p.delay(2, None, 0).is_some());
        assert_eq!(p.delay(3, None, 0), None);
        assert_eq!(RetryPolicy::never().delay(0, None, 0), None);
        let too_many = RetryPolicy {
            max_retries: RetryPolicy::MAX_RETRIES + 1,
            ..RetryPolicy::default()
        };
        assert!(too_many.check().unwrap_err().is_invalid_argument());
        let no_budget = RetryPolicy {
            budget: Duration::ZERO,
            ..RetryPolicy::default()
        };
        assert!(no_budget.check().is_err());
        assert!(RetryPolicy::default().check().is_ok());
    }
}
