//! What a create's lookup found and did not claim: a [`Candidate`], and why
//! ([`Unclaimed`]).
//!
//! A leaf, so the error type can carry a candidate (see
//! [`Error::candidate`](crate::Error::candidate)) without depending on the create engine.

use std::fmt;

use time::OffsetDateTime;

/// Something a [`Create`](crate::Create)'s lookup found after an attempt that may have taken
/// effect, which that attempt could have made, and which was not claimed: someone else's, or
/// ours where that cannot be shown. A person can decide; code can read its id.
///
/// Its `Display` names it for a person, every server text escaped and scrubbed: for a restore,
/// ``an index named `idx` is being restored from `B` by job `J`, started at T (not claimed:
/// ...)``; for a backup, ``backup `B` named `n` of index `idx` (Ready), created at T (not
/// claimed: ...)``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    id: String,
    created_at: Option<OffsetDateTime>,
    why: Unclaimed,
    /// The sentence, with every server text escaped and scrubbed.
    shown: String,
}

/// The candidate of a restore start: a restore job. (Its id is [`Candidate::id`].)
pub type UnclaimedJob = Candidate;

/// Why a candidate found by a lookup was not claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unclaimed {
    /// No answer carried a usable `Date`: the server's clock is unknown.
    NoServerClock,
    /// The answers' `Date` headers contradict each other (a clock jumped).
    InconsistentServerClock,
    /// It was created outside the time our attempts were in flight, on the server's clock.
    OutsideOurAttempts,
    /// It has no `created_at`.
    NoCreationTime,
}

impl Candidate {
    pub(crate) fn new(
        id: String,
        created_at: Option<OffsetDateTime>,
        why: Unclaimed,
        shown: String,
    ) -> Candidate {
        Candidate {
            id,
            created_at,
            why,
            shown,
        }
    }

    /// Its id as the server sent it (a restore job's, a backup's; escape it before showing
    /// it).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// When it was created, by the server's clock.
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        self.created_at
    }

    /// Why it was not claimed.
    pub fn why(&self) -> Unclaimed {
        self.why
    }
}

impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Display for Unclaimed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unclaimed::NoServerClock => {
                "the server sent no usable `Date`, so its clock cannot be compared with ours"
            }
            Unclaimed::InconsistentServerClock => {
                "the server's `Date` headers contradict each other"
            }
            Unclaimed::OutsideOurAttempts => {
                "it was created outside the time our attempts were in flight, on the server's clock"
            }
            Unclaimed::NoCreationTime => "it has no `created_at`",
        })
    }
}
