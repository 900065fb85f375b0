//! API versions, and everything about a response that differs between them.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, InvalidArgument};
use crate::text::{self, Secrets};

/// A value of the `X-Pinecone-Api-Version` header, and the rules its answers are checked by.
///
/// Four versions are known: [`2025-04`](ApiVersion::V2025_04) (the default),
/// [`2025-10`](ApiVersion::V2025_10), [`2026-04`](ApiVersion::V2026_04) and
/// [`2026-07`](ApiVersion::V2026_07). Any other well-formed value (`YYYY-MM`, optionally with a
/// suffix such as `.alpha`) is sent as given and its answers are checked by the rules of the
/// newest known version.
///
/// What differs for restore jobs:
///
/// | | 2025-04, 2025-10, 2026-04 | 2026-07 and later |
/// |---|---|---|
/// | `percent_complete` | a number in `0..=100` | an integer in `0..=100`, absent while pending |
/// | default page size | 10 | 100 |
///
/// In every version `percent_complete` may be absent, `created_at` and `completed_at` may be
/// `null`, `pagination` may be `null` or absent, and a `text/plain` error body is taken as the
/// error's message.
///
/// What differs for backups ([`Backup`](crate::Backup)); a key a version does not define is
/// ignored as any unknown key is:
///
/// | | 2025-04 | 2025-10, 2026-04 | 2026-07 and later |
/// |---|---|---|---|
/// | `dimension`, `metric` | read | read | not defined |
/// | `schema` | not defined | read | read |
/// | `source_index_deleted_at` | not defined | not defined | read |
/// | `include_deleted` on the per-index listing | refused | refused | sent |
/// | a delete while a restore from the backup runs | refused (`412`) | refused (`412`) | done: the client checks |
///
/// ```
/// use pinecone_restore_core::ApiVersion;
///
/// let v: ApiVersion = "2026-07".parse()?;
/// assert_eq!(v, ApiVersion::V2026_07);
/// assert!(!v.reports_intermediate_progress());
/// let later: ApiVersion = "2027-01".parse()?;
/// assert!(!later.is_known());
/// assert_eq!(later.as_str(), "2027-01");
/// assert!("latest".parse::<ApiVersion>().is_err());
/// # Ok::<(), pinecone_restore_core::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApiVersion(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Known(Known),
    Unknown(Box<str>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Known {
    V2025_04,
    V2025_10,
    V2026_04,
    V2026_07,
}

impl Known {
    const ALL: [Known; 4] = [
        Known::V2025_04,
        Known::V2025_10,
        Known::V2026_04,
        Known::V2026_07,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Known::V2025_04 => "2025-04",
            Known::V2025_10 => "2025-10",
            Known::V2026_04 => "2026-04",
            Known::V2026_07 => "2026-07",
        }
    }

    /// The one place that says which rules a version's answers follow.
    fn rules(self) -> &'static Rules {
        match self {
            Known::V2025_04 => &Rules::V2025_04,
            Known::V2025_10 | Known::V2026_04 => &Rules::V2025_10,
            Known::V2026_07 => &Rules::V2026_07,
        }
    }
}

/// How `percent_complete` is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PercentRule {
    /// Any number in `0..=100`.
    Number,
    /// A whole number in `0..=100` (`42.0` counts as whole; `42.5` does not).
    Integer,
}

/// Everything about an answer that depends on the version asked for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Rules {
    pub(crate) percent: PercentRule,
    /// The page size the server uses when the request names none.
    pub(crate) default_page_size: u8,
    /// Whether a running job reports how far it is.
    pub(crate) reports_intermediate_progress: bool,
    /// Which keys of a backup this version defines.
    pub(crate) backups: BackupRules,
    /// Backup schedules exist (2026-07).
    pub(crate) schedules: bool,
}

/// What a version's `BackupModel` holds, and what its backup listings take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BackupRules {
    /// `dimension` and `metric` (removed in 2026-07).
    pub(crate) dimension_and_metric: bool,
    /// `schema` (from 2025-10).
    pub(crate) schema: bool,
    /// `source_index_deleted_at` on a backup and `include_deleted` on the per-index listing
    /// (from 2026-07).
    pub(crate) deleted_sources: bool,
    /// `created_at` is a date-time (2026-07); before, a plain string.
    pub(crate) created_at_is_date_time: bool,
    /// A create answers `200` (2026-07); before, `201`.
    pub(crate) created_with_200: bool,
    /// A delete is refused (`412`) while a restore from the backup runs (before 2026-07).
    pub(crate) delete_refused_in_use: bool,
}

impl Rules {
    const V2025_04: Rules = Rules {
        percent: PercentRule::Number,
        default_page_size: 10,
        reports_intermediate_progress: true,
        backups: BackupRules {
            dimension_and_metric: true,
            schema: false,
            deleted_sources: false,
            created_at_is_date_time: false,
            created_with_200: false,
            delete_refused_in_use: true,
        },
        schedules: false,
    };
    const V2025_10: Rules = Rules {
        backups: BackupRules {
            schema: true,
            ..Rules::V2025_04.backups
        },
        ..Rules::V2025_04
    };
    const V2026_07: Rules = Rules {
        percent: PercentRule::Integer,
        default_page_size: 100,
        reports_intermediate_progress: false,
        backups: BackupRules {
            dimension_and_metric: false,
            schema: true,
            deleted_sources: true,
            created_at_is_date_time: true,
            created_with_200: true,
            delete_refused_in_use: false,
        },
        schedules: true,
    };
}

/// The longest version text accepted.
const MAX_LEN: usize = 64;

impl ApiVersion {
    /// `2025-04`, the version this crate sends unless told otherwise.
    pub const V2025_04: ApiVersion = ApiVersion(Repr::Known(Known::V2025_04));
    /// `2025-10`.
    pub const V2025_10: ApiVersion = ApiVersion(Repr::Known(Known::V2025_10));
    /// `2026-04`.
    pub const V2026_04: ApiVersion = ApiVersion(Repr::Known(Known::V2026_04));
    /// `2026-07`, the newest version known.
    pub const V2026_07: ApiVersion = ApiVersion(Repr::Known(Known::V2026_07));
    /// The default: [`ApiVersion::V2025_04`].
    pub const DEFAULT: ApiVersion = ApiVersion::V2025_04;
    /// Every known version, oldest first.
    pub const KNOWN: [ApiVersion; 4] = [
        ApiVersion::V2025_04,
        ApiVersion::V2025_10,
        ApiVersion::V2026_04,
        ApiVersion::V2026_07,
    ];

    /// Checks `text`: a known version, or any `YYYY-MM` optionally followed by a suffix that
    /// starts with `.` or `-` (such as `2026-10.alpha`), at most 64 characters of ASCII letters,
    /// digits, `.` and `-`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for anything else, naming the expected form.
    ///
    /// ```
    /// use pinecone_restore_core::ApiVersion;
    ///
    /// assert_eq!(ApiVersion::parse("2025-10")?, ApiVersion::V2025_10);
    /// assert!(ApiVersion::parse("2026-10.alpha").is_ok());
    /// assert!(ApiVersion::parse("2025-13").is_err());
    /// assert!(ApiVersion::parse("2025-04\n").is_err());
    /// # Ok::<(), pinecone_restore_core::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<ApiVersion, Error> {
        if let Some(known) = Known::ALL.into_iter().find(|k| k.as_str() == text) {
            return Ok(ApiVersion(Repr::Known(known)));
        }
        if well_formed(text) {
            return Ok(ApiVersion(Repr::Unknown(text.into())));
        }
        Err(InvalidArgument::new(
            "API version",
            format!(
                "expected `YYYY-MM` such as `2025-04`, optionally with a suffix such as \
                 `.alpha`, found `{}`",
                text::quote(text, &Secrets::none())
            ),
        )
        .into())
    }

    /// The header value, exactly as it is sent.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Known(k) => k.as_str(),
            Repr::Unknown(text) => text,
        }
    }

    /// `true` for the four versions this crate knows.
    pub fn is_known(&self) -> bool {
        matches!(self.0, Repr::Known(_))
    }

    /// The page size the server uses when a listing names none: 10 before 2026-07, 100 from it.
    pub fn default_page_size(&self) -> u8 {
        self.rules().default_page_size
    }

    /// `false` from 2026-07 on, where a running job reports no `percent_complete` ("intermediate
    /// progress is not reported"); a progress display then shows a spinner, not a bar.
    pub fn reports_intermediate_progress(&self) -> bool {
        self.rules().reports_intermediate_progress
    }

    /// `true` from 2026-07 on, where the per-index backup listing takes `include_deleted` and a
    /// backup reports `source_index_deleted_at`.
    pub fn lists_deleted_sources(&self) -> bool {
        self.rules().backups.deleted_sources
    }

    /// `true` from 2026-07 on, where an index can have backup schedules.
    pub fn has_backup_schedules(&self) -> bool {
        self.rules().schedules
    }

    /// `true` before 2026-07, where the server refuses `DELETE /backups/{backup_id}` (`412`)
    /// while a restore from the backup is running. From 2026-07 it deletes it: a client that
    /// retires backups checks the running restore jobs itself
    /// ([`RestoreJob::running_from`](crate::RestoreJob::running_from)).
    ///
    /// ```
    /// use pinecone_restore_core::ApiVersion;
    ///
    /// assert!(ApiVersion::V2026_04.refuses_deleting_backups_in_use());
    /// assert!(!ApiVersion::V2026_07.refuses_deleting_backups_in_use());
    /// ```
    pub fn refuses_deleting_backups_in_use(&self) -> bool {
        self.rules().backups.delete_refused_in_use
    }

    /// The rules this version's answers are checked by; an unknown version follows the newest.
    pub(crate) fn rules(&self) -> &'static Rules {
        match &self.0 {
            Repr::Known(k) => k.rules(),
            Repr::Unknown(_) => Known::V2026_07.rules(),
        }
    }
}

/// `YYYY-MM` with a month in 1..=12, then nothing or a suffix of `.`/`-` and
/// `[A-Za-z0-9.-]+`.
fn well_formed(text: &str) -> bool {
    if text.len() > MAX_LEN {
        return false;
    }
    let b = text.as_bytes();
    let Some((head, rest)) = b.split_first_chunk::<7>() else {
        return false;
    };
    let [y0, y1, y2, y3, b'-', m0, m1] = *head else {
        return false;
    };
    let digits = [y0, y1, y2, y3, m0, m1].iter().all(u8::is_ascii_digit);
    let month = (m0.wrapping_sub(b'0')) * 10 + m1.wrapping_sub(b'0');
    if !digits || !(1..=12).contains(&month) {
        return false;
    }
    match rest.split_first() {
        None => true,
        Some((b'.' | b'-', suffix)) => {
            !suffix.is_empty()
                && suffix
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'-')
        }
        Some(_) => false,
    }
}

impl Default for ApiVersion {
    fn default() -> Self {
        ApiVersion::DEFAULT
    }
}

impl FromStr for ApiVersion {
    type Err = Error;

    fn from_str(s: &str) -> Result<ApiVersion, Error> {
        ApiVersion::parse(s)
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiVersion({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_versions_and_their_rules() {
        for v in ApiVersion::KNOWN {
            assert!(v.is_known());
            assert_eq!(ApiVersion::parse(v.as_str()).unwrap(), v);
        }
        for v in [
            ApiVersion::V2025_04,
            ApiVersion::V2025_10,
            ApiVersion::V2026_04,
        ] {
            assert_eq!(v.rules().percent, PercentRule::Number);
            assert_eq!(v.default_page_size(), 10);
            assert!(v.reports_intermediate_progress());
            assert!(v.refuses_deleting_backups_in_use());
        }
        assert!(!ApiVersion::V2026_07.refuses_deleting_backups_in_use());
        assert_eq!(ApiVersion::V2026_07.rules().percent, PercentRule::Integer);
        assert_eq!(ApiVersion::V2026_07.default_page_size(), 100);
        assert_eq!(ApiVersion::default(), ApiVersion::V2025_04);
    }

    #[test]
    fn unknown_but_well_formed_follows_the_newest() {
        for text in [
            "2027-01",
            "2026-10.alpha",
            "2025-04.rc-1",
            "2026-07-beta",
            "1999-12",
        ] {
            let v = ApiVersion::parse(text).unwrap();
            assert!(!v.is_known(), "{text}");
            assert_eq!(v.as_str(), text);
            assert_eq!(v.rules(), ApiVersion::V2026_07.rules());
        }
    }

    #[test]
    fn malformed_values_are_refused_and_quoted_safely() {
        for text in [
            "",
            "2025",
            "2025-4",
            "2025-00",
            "2025-13",
            "25-04",
            "2025/04",
            "2025-04.",
            "2025-04x",
            "2025-04 ",
            " 2025-04",
            "2025-04\n",
            "latest",
            "unstable",
            "2025-04.a b",
        ] {
            let err = ApiVersion::parse(text).unwrap_err();
            assert!(err.is_invalid_argument(), "{text:?}");
            assert!(!err.to_string().contains('\n'), "{err}");
        }
        assert!(ApiVersion::parse(&format!("2025-04.{}", "a".repeat(60))).is_err());
        assert_eq!(
            ApiVersion::parse("\u{202e}x").unwrap_err().to_string(),
            "invalid API version: expected `YYYY-MM` such as `2025-04`, optionally with a suffix \
             such as `.alpha`, found `\\u{202e}x`"
        );
    }
}
