//! The fast path: one pass over the bytes by a parser that knows the schema.
//!
//! Known keys are dispatched as they are read, strings are borrowed from the body unless they
//! hold an escape, numbers of `percent_complete` are read digit by digit, ignored values are
//! skipped without building anything, and unknown keys are checked for duplicates as the
//! reference does (sorted once per object), so the time stays linear in the body.
//!
//! It answers `None` whenever it is not sure: for every body the rules refuse, and for the few
//! accepted forms it leaves alone (a number with an exponent, a lone surrogate in an escape,
//! a key written with escapes, a body that holds a secret). The caller then runs the
//! reference parser (the `serde` visitors of this module's siblings), which decides and words
//! every error. So the errors are the reference's by construction; what must hold here is that
//! every `Some` is exactly what the reference returns for the same bytes, which the
//! `differential` fuzz target checks.

use std::borrow::Cow;

use time::OffsetDateTime;

use crate::parse::keys::Field as _;
use crate::parse::scan::{KEY_WORDS, KeyWords, Scan, no_duplicates};
use crate::resources::restore_jobs::model::{JobStatus, ListPage, Percent, RestoreJob};
use crate::resources::restore_jobs::restore::StartedRestore;
use crate::text::Secrets;
use crate::timestamp::{parse_rfc3339, quoted_at};
use crate::version::{PercentRule, Rules};

use super::job::JobField;

/// Exact powers of ten: `10^k` for `k <= 22` is a whole `f64`, so one division by it rounds
/// once, correctly, as `serde_json` does.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The required keys of a job, as bits of [`JobField::index`].
const JOB_REQUIRED: u32 = {
    let mut mask = 0;
    let mut i = 0;
    while i < JobField::REQUIRED.len() {
        mask |= 1 << JobField::REQUIRED[i] as u32;
        i += 1;
    }
    mask
};

/// A list page, or `None` for "ask the reference".
pub(super) fn list_page(text: &str, rules: &Rules, secrets: &Secrets) -> Option<ListPage> {
    let mut s = Scan::new(text, rules, secrets)?;
    let page = s.page()?;
    s.end()?;
    Some(page)
}

/// One job, or `None` for "ask the reference".
pub(super) fn job(text: &str, rules: &Rules, secrets: &Secrets) -> Option<RestoreJob> {
    let mut s = Scan::new(text, rules, secrets)?;
    s.ws();
    let job = s.job()?;
    s.end()?;
    Some(job)
}

/// One timestamp string at the start of `text` as a job's reading takes it (`in_place`: read
/// at the cursor where it can be, as always; otherwise as a string and then parsed, the path
/// the in-place reader saves): the value and the bytes taken, or `None` for "ask the
/// reference". For the benches' share of the in-place reader.
pub(super) fn timestamp(text: &str, in_place: bool) -> Option<(OffsetDateTime, usize)> {
    let rules = crate::version::ApiVersion::DEFAULT.rules();
    let none = Secrets::none();
    let mut s = Scan::new(text, rules, &none)?;
    let at = if in_place {
        s.timestamp()??
    } else {
        s.timestamp_string()?
    };
    Some((at, s.at))
}

/// The answer to starting a restore, or `None` for "ask the reference".
pub(super) fn started_restore(text: &str, secrets: &Secrets) -> Option<StartedRestore> {
    let rules = crate::version::ApiVersion::DEFAULT.rules();
    let mut s = Scan::new(text, rules, secrets)?;
    let mut restore_job_id = None;
    let mut index_id = None;
    let mut unknown = Vec::new();
    s.ws();
    s.object(|s, key| {
        let slot = match key {
            "restore_job_id" => &mut restore_job_id,
            "index_id" => &mut index_id,
            _ => return s.unknown(key, &mut unknown),
        };
        let value = s.text()?;
        // a key seen twice, or an empty id, is the reference's to word
        if slot.is_some() || value.is_empty() {
            return None;
        }
        *slot = Some(value);
        Some(())
    })?;
    s.end()?;
    no_duplicates(&mut unknown)?;
    Some(StartedRestore {
        restore_job_id: restore_job_id?.into_owned(),
        index_id: index_id?.into_owned(),
        recovered: false,
    })
}

/// The words of each known job key, by [`JobField::index`] (the order of its declaration; a
/// test checks each entry against [`JobField`]'s names).
const KNOWN_KEYS: [KeyWords; 8] = [
    KeyWords::new("restore_job_id"),
    KeyWords::new("backup_id"),
    KeyWords::new("target_index_name"),
    KeyWords::new("target_index_id"),
    KeyWords::new("status"),
    KeyWords::new("created_at"),
    KeyWords::new("completed_at"),
    KeyWords::new("percent_complete"),
];

/// The statuses the API documents, with their closing quotes, in the order
/// [`Scan::status`] maps them to [`JobStatus`] (a test checks each against its spelling).
const KNOWN_STATUSES: [KeyWords; 5] = [
    KeyWords::new("Pending"),
    KeyWords::new("Running"),
    KeyWords::new("Completed"),
    KeyWords::new("Failed"),
    KeyWords::new("Cancelled"),
];

/// A key of a job object.
enum JobKey<'a> {
    Known(JobField),
    Unknown(&'a str),
}

impl<'a> Scan<'a, '_> {
    /// A job's key: a known one spelled plainly is recognised from its bytes (its first
    /// letter names the candidate, one comparison confirms it) without looking for the string's
    /// end; anything else is read as a string.
    #[inline]
    fn job_key(&mut self) -> Option<JobKey<'a>> {
        let (&b'"', rest) = self.bytes.get(self.at..)?.split_first()? else {
            return None;
        };
        let field = match *rest.first()? {
            b'r' => Some(JobField::RestoreJobId),
            b'b' => Some(JobField::BackupId),
            b's' => Some(JobField::Status),
            b'p' => Some(JobField::PercentComplete),
            // `target_index_` is 13 bytes
            b't' if rest.get(13) == Some(&b'n') => Some(JobField::TargetIndexName),
            b't' => Some(JobField::TargetIndexId),
            b'c' if rest.get(1) == Some(&b'r') => Some(JobField::CreatedAt),
            b'c' => Some(JobField::CompletedAt),
            _ => None,
        };
        // the name and its closing quote compared as two words, loaded once: no memcmp call
        if let Some(field) = field
            && let Some(words) = rest.first_chunk::<KEY_WORDS>()
        {
            let (low, high) = words.split_at(16);
            let low = u128::from_le_bytes(low.try_into().ok()?);
            let high = u16::from_le_bytes(high.try_into().ok()?);
            let key = &KNOWN_KEYS[field.index() as usize];
            if low & key.low_mask == key.low && high & key.high_mask == key.high {
                self.at += key.len + 1;
                return Some(JobKey::Known(field));
            }
        }
        let key = self.key()?;
        Some(match JobField::from_key(key) {
            Some(field) => JobKey::Known(field),
            None => JobKey::Unknown(key),
        })
    }

    /// A job's status: one the API documents, spelled plainly, is recognised by comparing
    /// the bytes after the opening quote with it and its closing quote as one word; any other
    /// string is read as text.
    #[inline]
    fn status(&mut self) -> Option<JobStatus> {
        if let Some((&b'"', rest)) = self.bytes.get(self.at..).and_then(<[u8]>::split_first)
            && let Some(word) = rest.first_chunk::<16>()
        {
            let word = u128::from_le_bytes(*word);
            for (i, known) in KNOWN_STATUSES.iter().enumerate() {
                if word & known.low_mask == known.low {
                    self.at += known.len + 1;
                    return Some(match i {
                        0 => JobStatus::Pending,
                        1 => JobStatus::Running,
                        2 => JobStatus::Completed,
                        3 => JobStatus::Failed,
                        _ => JobStatus::Cancelled,
                    });
                }
            }
        }
        Some(JobStatus::from_text(&self.text()?))
    }

    /// `null`, or an RFC 3339 timestamp.
    #[inline]
    fn timestamp(&mut self) -> Option<Option<OffsetDateTime>> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(None);
        }
        // the common shape read in place; anything else as a string, as the reference does
        if self.peek()? == b'"'
            && let Some((at, len)) = quoted_at(self.bytes.get(self.at + 1..)?)
        {
            self.at += 1 + len;
            return Some(Some(at));
        }
        self.timestamp_string().map(Some)
    }

    /// A timestamp read as a string and then parsed: what [`timestamp`](Self::timestamp) does
    /// when the in-place reader declines.
    #[inline]
    fn timestamp_string(&mut self) -> Option<OffsetDateTime> {
        let s = self.string()?;
        parse_rfc3339(&s)
    }

    /// `null`, or a percentage the version allows. Only the plain forms: a negative number
    /// (only `-0` passes) or one with an exponent goes to the reference.
    #[inline]
    fn percent(&mut self) -> Option<Option<Percent>> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(None);
        }
        let mut significand = 0u64;
        let int_start = self.at;
        let int_digits = self.digits();
        match int_digits {
            0 => return None,
            1 => {}
            _ if self.bytes.get(int_start) == Some(&b'0') => return None,
            _ => {}
        }
        let mut scale = 0;
        if self.peek() == Some(b'.') {
            self.at += 1;
            scale = self.digits();
            if scale == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            return None;
        }
        let all = int_digits + scale + usize::from(scale > 0);
        if int_digits + scale > 15 {
            return None; // beyond 2^53 the division below might round twice
        }
        for &d in self.bytes.get(self.at - all..self.at)? {
            if d != b'.' {
                significand = significand * 10 + u64::from(d - b'0');
            }
        }
        let value = significand as f64 / POW10.get(scale)?;
        let percent = Percent::new(value)?;
        match self.percent {
            PercentRule::Number => Some(Some(percent)),
            PercentRule::Integer => percent.is_whole().then_some(Some(percent)),
        }
    }

    /// One job object at the cursor.
    fn job(&mut self) -> Option<RestoreJob> {
        let mut seen = 0u32;
        let mut unknown = Vec::new();
        let mut restore_job_id = Cow::Borrowed("");
        let mut backup_id = Cow::Borrowed("");
        let mut target_index_name = Cow::Borrowed("");
        let mut target_index_id = Cow::Borrowed("");
        let mut status = JobStatus::Pending;
        let mut created_at = None;
        let mut completed_at = None;
        let mut percent = None;
        self.object_with(Self::job_key, |s, key| {
            let field = match key {
                JobKey::Known(field) => field,
                JobKey::Unknown(key) => return s.unknown(key, &mut unknown),
            };
            let bit = 1 << field.index();
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            match field {
                JobField::RestoreJobId => restore_job_id = s.text()?,
                JobField::BackupId => backup_id = s.text()?,
                JobField::TargetIndexName => target_index_name = s.text()?,
                JobField::TargetIndexId => target_index_id = s.text()?,
                JobField::Status => status = s.status()?,
                JobField::CreatedAt => created_at = s.timestamp()?,
                JobField::CompletedAt => completed_at = s.timestamp()?,
                JobField::PercentComplete => percent = s.percent()?,
            }
            Some(())
        })?;
        no_duplicates(&mut unknown)?;
        if seen & JOB_REQUIRED != JOB_REQUIRED || restore_job_id.is_empty() {
            return None;
        }
        Some(
            RestoreJob::new(
                &restore_job_id,
                &backup_id,
                &target_index_name,
                &target_index_id,
                status,
                created_at,
            )
            .with_completed_at(completed_at)
            .with_percent_complete(percent),
        )
    }

    /// The page object.
    fn page(&mut self) -> Option<ListPage> {
        let mut jobs = None;
        let mut next = None;
        let mut seen_pagination = false;
        let mut unknown = Vec::new();
        self.ws();
        self.object(|s, key| match key {
            "data" if jobs.is_none() => {
                jobs = Some(s.data()?);
                Some(())
            }
            "pagination" if !seen_pagination => {
                seen_pagination = true;
                next = s.pagination()?;
                Some(())
            }
            "data" | "pagination" => None,
            _ => s.unknown(key, &mut unknown),
        })?;
        no_duplicates(&mut unknown)?;
        Some(ListPage { jobs: jobs?, next })
    }

    /// The `data` array.
    fn data(&mut self) -> Option<Vec<RestoreJob>> {
        if self.peek()? != b'[' {
            return None;
        }
        self.at += 1;
        let mut jobs = Vec::new();
        self.ws();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(jobs);
        }
        // a job takes at least ~150 bytes: room for what the rest of the body can hold, as
        // the reference reserves at most 128
        jobs.reserve((self.bytes.len().saturating_sub(self.at) / 150 + 1).min(128));
        loop {
            jobs.push(self.job()?);
            self.ws();
            match self.peek()? {
                b',' => {
                    self.at += 1;
                    self.ws();
                }
                b']' => {
                    self.at += 1;
                    return Some(jobs);
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::ApiVersion;

    fn scan(text: &str) -> Scan<'_, 'static> {
        static NONE: std::sync::OnceLock<Secrets> = std::sync::OnceLock::new();
        let secrets = NONE.get_or_init(Secrets::none);
        Scan::new(text, ApiVersion::V2025_04.rules(), secrets).expect("no secrets")
    }

    /// Every key a job has.
    const JOB_KEYS: [&str; 8] = [
        "restore_job_id",
        "backup_id",
        "target_index_name",
        "target_index_id",
        "status",
        "created_at",
        "completed_at",
        "percent_complete",
    ];

    #[test]
    fn known_key_words_are_each_fields_name() {
        for name in JOB_KEYS {
            let field = JobField::from_key(name).expect(name);
            assert_eq!(field.name(), name);
            assert_eq!(
                KNOWN_KEYS[field.index() as usize],
                KeyWords::new(name),
                "{name}"
            );
            assert!(name.len() < KEY_WORDS);
        }
    }

    /// The key `job_key` reads at the start of `body`, and where the cursor is after it.
    fn job_key_of(body: &str) -> (Option<Result<JobField, String>>, usize) {
        let mut s = scan(body);
        let key = s.job_key().map(|key| match key {
            JobKey::Known(field) => Ok(field),
            JobKey::Unknown(key) => Err(key.to_owned()),
        });
        (key, s.at)
    }

    #[test]
    fn known_keys_are_told_from_keys_that_share_their_bytes() {
        for name in JOB_KEYS {
            let field = JobField::from_key(name).expect(name);
            // followed by a value, by white space before the colon, and at the body's very end
            for after in [":\"x\",\"y\":1}", " \t\n:1}", ":", ""] {
                let body = format!("\"{name}\"{after}");
                assert_eq!(
                    job_key_of(&body),
                    (Some(Ok(field)), name.len() + 2),
                    "{body:?}"
                );
            }
            // a prefix of the name, the name and more, one byte changed: unknown keys
            let mut others = vec![
                name[..name.len() - 1].to_owned(),
                format!("{name}x"),
                format!("{name}_"),
                format!("{name} "),
                format!("x{name}"),
            ];
            for at in 0..name.len() {
                let mut changed = name.as_bytes().to_vec();
                changed[at] ^= 0x20;
                others.push(String::from_utf8(changed).expect("ASCII"));
            }
            for other in others {
                let body = format!("\"{other}\":1,\"abcdefghijklmnopqrstuvwxyz\":2}}");
                let expected = match JobField::from_key(&other) {
                    Some(field) => Ok(field),
                    None => Err(other.clone()),
                };
                assert_eq!(
                    job_key_of(&body),
                    (Some(expected), other.len() + 2),
                    "{body:?}"
                );
            }
        }
        // an unterminated key is not a key
        assert_eq!(job_key_of("\"status").0, None);
        assert_eq!(job_key_of("\"percent_complete").0, None);
    }

    #[test]
    fn statuses_are_recognised_exactly() {
        let status_of = |body: &str| {
            let mut s = scan(body);
            let status = s.status();
            (status, s.at)
        };
        for known in ["Pending", "Running", "Completed", "Failed", "Cancelled"] {
            for after in [",\"restore_job_id\":\"x\"}", "}", ""] {
                let body = format!("\"{known}\"{after}");
                let expected = JobStatus::from_text(known);
                assert!(!matches!(expected, JobStatus::Other(_)), "{known}");
                assert_eq!(
                    status_of(&body),
                    (Some(expected), known.len() + 2),
                    "{body:?}"
                );
            }
            // sharing bytes with a known status: any other string is kept as it is
            let mut others = vec![
                known[..known.len() - 1].to_owned(),
                format!("{known}x"),
                format!("{known} "),
                known.to_lowercase(),
                format!(" {known}"),
            ];
            for at in 0..known.len() {
                let mut changed = known.as_bytes().to_vec();
                changed[at] ^= 0x20;
                others.push(String::from_utf8(changed).expect("ASCII"));
            }
            for other in others {
                let body = format!("\"{other}\",\"restore_job_id\":\"x\"}}");
                assert_eq!(
                    status_of(&body),
                    (Some(JobStatus::Other(other.clone())), other.len() + 2),
                    "{body:?}"
                );
            }
        }
        // an escape is decoded before the status is known
        assert_eq!(
            status_of("\"Pend\\u0069ng\",\"restore_job_id\":\"x\"}").0,
            Some(JobStatus::Pending)
        );
    }

    #[test]
    fn a_timestamp_read_in_place_is_what_the_string_path_reads() {
        for stamp in [
            "\"2025-06-30T11:48:19.237Z\"",
            "\"2025-06-30T11:48:19Z\",",
            "\"2024-02-29T23:59:59.123456789+05:30\"}",
            "\"2025-06-30t11:48:19Z\"", // lower-case t: the string path alone
            "\"2016-12-31T23:59:60Z\"", // a leap second: the string path alone
            "\"2025-06-30T11:48:19.1234567891Z\"", // ten digits: the string path alone
        ] {
            let string = timestamp(stamp, false);
            assert!(string.is_some(), "{stamp}");
            assert_eq!(timestamp(stamp, true), string, "{stamp}");
            let taken = string.map(|(_, taken)| taken);
            assert_eq!(taken, stamp.rfind('"').map(|quote| quote + 1), "{stamp}");
        }
        for bad in [
            "\"2025-02-29T11:48:19Z\"",
            "\"2025-06-30 11:48:19Z\"",
            "\"2025-06-30T11:48:19Z",
            "null",
            "\"\"",
        ] {
            assert_eq!(timestamp(bad, true), None, "{bad}");
            assert_eq!(timestamp(bad, false), None, "{bad}");
        }
    }
}
