//! The server's clock as the answers' `Date` headers show it, and the window of server time in
//! which a restore job can have been started by one of our attempts.
//!
//! Every answer carries `Date`: the server's time when it made the answer, cut to the second
//! (`S` in `Date ..< Date + 1 s`). The answer was made between the instant the request was
//! sent and the instant its answer was read, on our clock; so the offset `server - ours` lies
//! within `Date - receive ..= Date - send + 1 s`. Each answer narrows the bound;
//! [`ServerClock`] keeps the tightest one seen. A window built on it is widened by [`MARGIN`]
//! on each side, for a server that rounds `Date` instead of cutting it (half a second) and for
//! a `created_at` stamped by another host of the service than the one that wrote `Date`. Answers that contradict each other (our clock jumped, or two
//! servers behind one name disagree) leave no bound at all: no guess is better than a wrong one.
//!
//! Pure functions of what was observed; core reads no clock.

use std::time::{Duration, SystemTime};

use time::OffsetDateTime;

/// How far a job's `created_at` may fall outside the window computed from the offset bound
/// and still count: one `Date` resolution step, for a server that rounds `Date` rather than
/// cutting it and for a `created_at` stamped by another host of the service than `Date`.
pub(crate) const MARGIN: Duration = Duration::from_secs(1);

/// `Date` is cut to the second.
const DATE_RESOLUTION_NANOS: i128 = 1_000_000_000;

/// What the answers so far tell of `server clock - our clock`, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum ServerClock {
    /// No answer with a usable `Date` yet.
    #[default]
    Unknown,
    /// The offset lies within `low..=high`.
    Bounded { low: i128, high: i128 },
    /// Two answers gave bounds that do not overlap: the clocks cannot be compared.
    Inconsistent,
}

/// The server-time span in which one of our attempts can have started a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    /// Unix nanoseconds, server clock, inclusive.
    earliest: i128,
    /// Unix nanoseconds, server clock, inclusive.
    latest: i128,
}

impl ServerClock {
    /// Narrows the bound with one answer: sent at `send`, read at `receive` (our clock), with
    /// the server's `date`. An answer read before it was sent says nothing and is ignored.
    pub(crate) fn observe(&mut self, send: SystemTime, receive: SystemTime, date: OffsetDateTime) {
        let (send, receive) = (nanos(send), nanos(receive));
        if receive < send {
            return;
        }
        let date = date.unix_timestamp_nanos();
        let low = date - receive;
        let high = date - send + DATE_RESOLUTION_NANOS;
        *self = match *self {
            ServerClock::Unknown => ServerClock::Bounded { low, high },
            ServerClock::Bounded {
                low: was_low,
                high: was_high,
            } => {
                let (low, high) = (low.max(was_low), high.min(was_high));
                if low <= high {
                    ServerClock::Bounded { low, high }
                } else {
                    ServerClock::Inconsistent
                }
            }
            ServerClock::Inconsistent => ServerClock::Inconsistent,
        };
    }

    /// How wide the bound is, when there is one.
    #[cfg(test)]
    pub(crate) fn width(&self) -> Option<Duration> {
        match *self {
            ServerClock::Bounded { low, high } => Some(Duration::from_nanos(
                u64::try_from(high - low).unwrap_or(u64::MAX),
            )),
            ServerClock::Unknown | ServerClock::Inconsistent => None,
        }
    }

    /// The server-time window of a job started by an attempt sent at `first_send` or later
    /// and answered (or given up on) by `last_receive`, both on our clock: from the earliest
    /// server time `first_send` can be to the latest `last_receive` can be, each widened by
    /// [`MARGIN`]. `None` without a bound: then nothing can be told to be ours.
    pub(crate) fn window(
        &self,
        first_send: SystemTime,
        last_receive: SystemTime,
    ) -> Option<Window> {
        let ServerClock::Bounded { low, high } = *self else {
            return None;
        };
        let margin = i128::try_from(MARGIN.as_nanos()).unwrap_or(i128::MAX);
        Some(Window {
            earliest: nanos(first_send) + low - margin,
            latest: nanos(last_receive).max(nanos(first_send)) + high + margin,
        })
    }
}

impl Window {
    /// `true` when a job created at `at` (server clock) falls within the window.
    pub(crate) fn contains(&self, at: OffsetDateTime) -> bool {
        (self.earliest..=self.latest).contains(&at.unix_timestamp_nanos())
    }
}

/// Unix nanoseconds of `t`, negative before 1970.
fn nanos(t: SystemTime) -> i128 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `secs` after a fixed instant of our clock.
    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
    }

    /// `secs` after (or before) `at(0)`.
    fn later(secs: i64) -> SystemTime {
        if secs >= 0 {
            at(0) + Duration::from_secs(secs.unsigned_abs())
        } else {
            at(0) - Duration::from_secs(secs.unsigned_abs())
        }
    }

    fn server(t: SystemTime) -> OffsetDateTime {
        // `Date` is cut to the second
        let secs = t
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        OffsetDateTime::from_unix_timestamp(i64::try_from(secs).unwrap()).unwrap()
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn one_answer_bounds_the_offset_within_its_round_trip_and_two_seconds() {
        for offset in [-3600, -90, 0, 90, 3600] {
            let mut clock = ServerClock::default();
            let send = at(0) + ms(250);
            let receive = send + ms(300);
            let date = server(later(offset) + ms(400));
            clock.observe(send, receive, date);
            let ServerClock::Bounded { low, high } = clock else {
                panic!("no bound from an answer with a Date");
            };
            let true_offset = i128::from(offset) * 1_000_000_000;
            assert!(
                (low..=high).contains(&true_offset),
                "{offset}: {low}..{high}"
            );
            assert_eq!(clock.width(), Some(ms(300) + Duration::from_secs(1)));
        }
    }

    #[test]
    fn more_answers_only_narrow_the_bound() {
        let mut clock = ServerClock::default();
        let send = at(0);
        clock.observe(send, send + ms(900), server(later(90) + ms(500)));
        let first = clock.width().unwrap();
        clock.observe(at(5), at(5) + ms(10), server(later(95) + ms(5)));
        let second = clock.width().unwrap();
        assert!(second < first, "{second:?} < {first:?}");
        // a slow answer afterwards does not widen it
        clock.observe(at(10), at(40), server(later(120)));
        assert_eq!(clock.width(), Some(second));
        let ServerClock::Bounded { low, high } = clock else {
            panic!()
        };
        assert!((low..=high).contains(&90_000_000_000));
    }

    #[test]
    fn contradicting_answers_leave_no_bound_and_no_window() {
        let mut clock = ServerClock::default();
        clock.observe(at(0), at(0) + ms(10), server(later(0)));
        // our clock jumped by an hour between the two answers
        clock.observe(at(3600), at(3600) + ms(10), server(later(5)));
        assert_eq!(clock, ServerClock::Inconsistent);
        assert_eq!(clock.window(at(0), at(1)), None);
        clock.observe(at(0), at(1), server(later(0)));
        assert_eq!(clock, ServerClock::Inconsistent, "for good");
    }

    #[test]
    fn an_answer_read_before_it_was_sent_is_ignored() {
        let mut clock = ServerClock::default();
        clock.observe(at(1), at(0), server(at(0)));
        assert_eq!(clock, ServerClock::Unknown);
        assert_eq!(clock.window(at(0), at(1)), None);
    }

    #[test]
    fn the_window_spans_our_attempts_on_the_server_clock_and_a_margin() {
        for offset in [-3600_i64, -90, 0, 90, 3600] {
            let mut clock = ServerClock::default();
            let first_send = at(0);
            let receive = at(0) + ms(40);
            clock.observe(first_send, receive, server(later(offset) + ms(20)));
            let window = clock.window(first_send, receive).unwrap();
            let created = |secs_after_first: i64, extra: Duration| {
                OffsetDateTime::from(later(offset + secs_after_first) + extra)
            };
            // a job started while our attempt was in flight is in
            assert!(window.contains(created(0, ms(20))), "{offset}");
            // 2 s, 20 s and 200 s before it: out (the bound is 1.04 s wide, plus the margin)
            for before in [-3, -20, -200] {
                assert!(
                    !window.contains(created(before, ms(0))),
                    "{offset} {before}"
                );
            }
            // after our last answer, with more than the bound and margin: out
            assert!(!window.contains(created(5, ms(0))), "{offset}");
        }
    }

    #[test]
    fn the_window_is_never_narrower_than_what_the_clocks_allow() {
        // the job was stamped at the very first instant the server can have seen our request
        let mut clock = ServerClock::default();
        let send = at(0) + ms(999);
        let receive = send + ms(2);
        // server 90 s ahead; answered at server time 90.9995 s -> Date says 90
        clock.observe(send, receive, server(later(90) + ms(999)));
        let window = clock.window(send, receive).unwrap();
        assert!(window.contains(OffsetDateTime::from(later(90) + ms(999))));
        assert!(window.contains(OffsetDateTime::from(later(90) + ms(1001))));
    }
}
