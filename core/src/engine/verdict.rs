//! The one table of what is retried: every retry decision of core (a call's own retries,
//! [`Error::is_retryable`](crate::Error::is_retryable), whether a failed walk can be resumed)
//! reads [`classify`].
//!
//! A leaf: it knows statuses and transport kinds, nothing of errors or policies.

use crate::status::{is_refusal, is_retryable_status};
use crate::transport::TransportKind;

/// What an attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The server answered with this status.
    Status(u16),
    /// No (whole) answer arrived.
    Transport(TransportKind),
}

/// Who would send the request again, and what sending it twice does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryRule {
    /// The call itself, for a `GET` or a `PATCH` of absolute values: any transient failure.
    Idempotent,
    /// The call itself, for a `DELETE`: any transient failure, as [`RetryRule::Idempotent`];
    /// a failure where the request may have taken effect (timeout, reset, 408, any 5xx)
    /// is marked ambiguous, so a later 404 can be read as "gone".
    Removal,
    /// The call itself, for a create whose owner resolves an ambiguous attempt: a failure
    /// where the request surely did not take effect (connect failure, 429) is retried; one
    /// where it may have (timeout, reset, 408, any 5xx, anything unclassified) is retried too,
    /// but marked ambiguous so the owner can look for what it made.
    Create,
    /// The call itself, for a create nobody resolves: only where it surely did not take
    /// effect; an attempt that may have is final, and marked ambiguous.
    Once,
    /// A person, later, with a new walk from the page that failed: anything but an answer
    /// that would be refused again (a body too large or undecodable).
    Later,
}

/// Whether an outcome is worth sending again under a rule, and whether the failed attempt may
/// have taken effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Sending again may succeed.
    pub(crate) retry: bool,
    /// The failed attempt may have taken effect (never under [`RetryRule::Idempotent`] or
    /// [`RetryRule::Later`]).
    pub(crate) ambiguous: bool,
}

/// The verdict on `outcome` under `rule`.
pub(crate) fn classify(outcome: Outcome, rule: RetryRule) -> Verdict {
    use RetryRule::{Create, Idempotent, Later, Once, Removal};
    let (retry, ambiguous) = match (outcome, rule) {
        (Outcome::Status(status), Idempotent) => (is_retryable_status(status), false),
        (Outcome::Status(status), Removal | Create | Once) => {
            let refused = is_refusal(status);
            let unknown = !refused && is_retryable_status(status);
            let retry = match rule {
                Once => refused,
                _ => refused || unknown,
            };
            (retry, unknown)
        }
        (Outcome::Status(status), Later) => (status >= 300, false),
        (Outcome::Transport(kind), rule) => match (kind, rule) {
            // nothing was sent
            (TransportKind::Resolve | TransportKind::Connect, _) => (true, false),
            (TransportKind::BodyTooLarge | TransportKind::Undecodable, Later) => (false, false),
            (_, Later) => (true, false),
            (TransportKind::Tls, _) => (false, false),
            (TransportKind::Timeout | TransportKind::Closed, Idempotent) => (true, false),
            (_, Idempotent) => (false, false),
            (TransportKind::Timeout | TransportKind::Closed, Removal) => (true, true),
            (_, Removal | Once) => (false, true),
            (_, Create) => (true, true),
        },
    };
    Verdict { retry, ambiguous }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The design's table, row by row: what each rule does with each outcome.
    #[test]
    fn the_one_table() {
        use Outcome::{Status, Transport};
        use RetryRule::{Create, Idempotent, Later, Once, Removal};
        let verdict = |outcome, rule| {
            let v = classify(outcome, rule);
            (v.retry, v.ambiguous)
        };
        for s in [408, 429, 500, 502, 503, 504] {
            assert_eq!(verdict(Status(s), Idempotent), (true, false), "{s}");
            assert_eq!(verdict(Status(s), Later), (true, false), "{s}");
        }
        for rule in [Create, Removal, Once] {
            assert_eq!(verdict(Status(429), rule), (true, false), "{rule:?}");
        }
        // a 503 may be a proxy's answer after the service had the request
        for s in [408, 500, 502, 503, 504] {
            assert_eq!(verdict(Status(s), Create), (true, true), "{s}");
            assert_eq!(verdict(Status(s), Removal), (true, true), "{s}");
            assert_eq!(verdict(Status(s), Once), (false, true), "{s}");
        }
        for s in [200, 202, 204, 301, 400, 401, 403, 404, 409, 412, 501] {
            for rule in [Idempotent, Create, Removal, Once] {
                assert_eq!(verdict(Status(s), rule), (false, false), "{s} {rule:?}");
            }
        }
        for s in [301, 400, 401, 403, 404, 409, 501] {
            assert_eq!(verdict(Status(s), Later), (true, false), "{s}");
        }
        assert_eq!(verdict(Status(200), Later), (false, false));
        for k in [TransportKind::Resolve, TransportKind::Connect] {
            for rule in [Idempotent, Create, Removal, Once] {
                assert_eq!(verdict(Transport(k), rule), (true, false), "{k:?} {rule:?}");
            }
        }
        let k = TransportKind::Tls;
        for rule in [Idempotent, Create, Removal, Once] {
            assert_eq!(verdict(Transport(k), rule), (false, false), "{rule:?}");
        }
        for k in [TransportKind::Timeout, TransportKind::Closed] {
            assert_eq!(verdict(Transport(k), Idempotent), (true, false), "{k:?}");
            assert_eq!(verdict(Transport(k), Create), (true, true), "{k:?}");
            assert_eq!(verdict(Transport(k), Removal), (true, true), "{k:?}");
            assert_eq!(verdict(Transport(k), Once), (false, true), "{k:?}");
        }
        let other = Transport(TransportKind::Other);
        assert_eq!(verdict(other, Idempotent), (false, false));
        assert_eq!(verdict(other, Create), (true, true));
        assert_eq!(verdict(other, Removal), (false, true));
        assert_eq!(verdict(other, Once), (false, true));
        for k in [TransportKind::BodyTooLarge, TransportKind::Undecodable] {
            assert_eq!(verdict(Transport(k), Later), (false, false), "{k:?}");
        }
        for k in [
            TransportKind::Connect,
            TransportKind::Tls,
            TransportKind::Timeout,
        ] {
            assert_eq!(verdict(Transport(k), Later), (true, false), "{k:?}");
        }
    }
}
