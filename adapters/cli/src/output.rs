//! How jobs are written on stdout: aligned tables for people, JSON and NDJSON for programs.
//!
//! JSON job objects are core's `Serialize` for [`RestoreJob`] (the API's field names,
//! timestamps in RFC 3339, UTC; an absent percent stays absent); in NDJSON and JSON lists they
//! are written field by field to the same bytes (a test compares them). Text cells go through core's
//! text module: control and format characters escaped, length bounded, secrets scrubbed.

use std::io::{self, Write};

use pinecone_restore_core::text::{self, Secrets};
use pinecone_restore_core::{OffsetDateTime, Percent, RestoreJob, StartedRestore, format_utc};

pub(crate) mod backups;

/// What a missing value looks like in a table.
const MISSING: &str = "-";

const LIST_HEADERS: [&str; 6] = [
    "ID",
    "STATUS",
    "TARGET INDEX",
    "CREATED",
    "COMPLETED",
    "PERCENT",
];

/// The columns of one `list` table row.
fn row(job: &RestoreJob, secrets: &Secrets) -> [String; 6] {
    [
        cell(job.restore_job_id(), secrets),
        cell(job.status().as_str(), secrets),
        cell(job.target_index_name(), secrets),
        timestamp(job.created_at()),
        timestamp(job.completed_at()),
        percent(job.percent_complete()),
    ]
}

/// Writes `jobs` as a table with a header and columns aligned over these rows.
pub(crate) fn write_table(
    out: &mut impl Write,
    jobs: &[RestoreJob],
    secrets: &Secrets,
) -> io::Result<()> {
    let rows: Vec<[String; 6]> = jobs.iter().map(|job| row(job, secrets)).collect();
    write_aligned(out, &LIST_HEADERS, &rows)
}

/// Writes `headers` and `rows` with each column as wide as its widest cell.
fn write_aligned<const N: usize>(
    out: &mut impl Write,
    headers: &[&str; N],
    rows: &[[String; N]],
) -> io::Result<()> {
    let mut widths = headers.map(width);
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(c));
        }
    }
    write_row(out, headers, &widths)?;
    for r in rows {
        write_row(out, r, &widths)?;
    }
    Ok(())
}

fn write_row(out: &mut impl Write, cells: &[impl AsRef<str>], widths: &[usize]) -> io::Result<()> {
    let last = cells.len().saturating_sub(1);
    for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
        let c = c.as_ref();
        if i == last {
            writeln!(out, "{c}")?;
        } else {
            let pad = w.saturating_sub(width(c));
            write!(out, "{c}{:pad$}  ", "")?;
        }
    }
    Ok(())
}

/// Writes one job as `field  value` lines, with the API's field names.
pub(crate) fn write_job_fields(
    out: &mut impl Write,
    job: &RestoreJob,
    secrets: &Secrets,
) -> io::Result<()> {
    write_fields(
        out,
        &[
            ("restore_job_id", cell(job.restore_job_id(), secrets)),
            ("backup_id", cell(job.backup_id(), secrets)),
            ("target_index_name", cell(job.target_index_name(), secrets)),
            ("target_index_id", cell(job.target_index_id(), secrets)),
            ("status", cell(job.status().as_str(), secrets)),
            ("created_at", timestamp(job.created_at())),
            ("completed_at", timestamp(job.completed_at())),
            ("percent_complete", percent(job.percent_complete())),
        ],
    )
}

/// Writes a started restore as `field  value` lines: the API's two fields, and whether it was
/// recovered after a retry.
pub(crate) fn write_started_fields(
    out: &mut impl Write,
    started: &StartedRestore,
    secrets: &Secrets,
) -> io::Result<()> {
    write_fields(
        out,
        &[
            ("restore_job_id", cell(started.restore_job_id(), secrets)),
            ("index_id", cell(started.index_id(), secrets)),
            ("recovered", started.recovered().to_string()),
        ],
    )
}

fn write_fields(out: &mut impl Write, fields: &[(&str, String)]) -> io::Result<()> {
    let name_width = fields.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, value) in fields {
        writeln!(out, "{name:name_width$}  {value}")?;
    }
    Ok(())
}

/// Writes a value (a job, a started restore) as a pretty JSON object and a newline.
pub(crate) fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    let json = serde_json::to_string_pretty(value).map_err(io::Error::from)?;
    writeln!(out, "{}", text::json_safe(&json))
}

/// Writes one job as one line of JSON.
pub(crate) fn write_ndjson(out: &mut impl Write, job: &RestoreJob) -> io::Result<()> {
    write_compact(out, job)?;
    out.write_all(b"\n")
}

/// Writes one job as compact JSON, every control and format character escaped (`\u202e`):
/// the same value the server sent, safe in a terminal, and byte for byte what
/// `serde_json::to_string` of the job's `Serialize` gives after [`text::json_safe`]. Written
/// straight to `out`, field by field: no intermediate value, no copy of the line.
fn write_compact(out: &mut impl Write, job: &RestoreJob) -> io::Result<()> {
    out.write_all(b"{\"restore_job_id\":")?;
    write_string(out, job.restore_job_id())?;
    out.write_all(b",\"backup_id\":")?;
    write_string(out, job.backup_id())?;
    out.write_all(b",\"target_index_name\":")?;
    write_string(out, job.target_index_name())?;
    out.write_all(b",\"target_index_id\":")?;
    write_string(out, job.target_index_id())?;
    out.write_all(b",\"status\":")?;
    write_string(out, job.status().as_str())?;
    out.write_all(b",\"created_at\":")?;
    match job.created_at() {
        Some(at) => write_timestamp(out, at)?,
        None => out.write_all(b"null")?,
    }
    if let Some(at) = job.completed_at() {
        out.write_all(b",\"completed_at\":")?;
        write_timestamp(out, at)?;
    }
    match job.percent_complete() {
        // whole numbers as integers, as the API writes them (`100`, not `100.0`)
        Some(p) if p.is_whole() => {
            out.write_all(b",\"percent_complete\":")?;
            // a whole percentage is 0..=100
            let n = p.get() as u8;
            let digits = [b'0' + n / 100, b'0' + n / 10 % 10, b'0' + n % 10];
            let skip = if n >= 100 {
                0
            } else if n >= 10 {
                1
            } else {
                2
            };
            out.write_all(&digits[skip..])?;
        }
        Some(p) => {
            out.write_all(b",\"percent_complete\":")?;
            serde_json::to_writer(&mut *out, &p.get()).map_err(io::Error::from)?;
        }
        None => {}
    }
    out.write_all(b"}")
}

/// A JSON string: as it is when nothing in it needs an escape (nearly always), else
/// `serde_json`'s escapes and then [`text::json_safe`]'s.
fn write_string(out: &mut impl Write, s: &str) -> io::Result<()> {
    if !s.bytes().any(|b| NOT_AS_IS[usize::from(b)]) {
        out.write_all(b"\"")?;
        out.write_all(s.as_bytes())?;
        return out.write_all(b"\"");
    }
    let json = serde_json::to_string(s).map_err(io::Error::from)?;
    out.write_all(text::json_safe(&json).as_bytes())
}

/// The bytes [`write_string`] cannot copy as they are: outside printable ASCII, `"` and `\`.
const NOT_AS_IS: [bool; 256] = {
    let mut table = [true; 256];
    let mut b = 0x20;
    while b < 0x7f {
        table[b] = b == b'"' as usize || b == b'\\' as usize;
        b += 1;
    }
    table
};

/// A timestamp as [`format_utc`] writes it (RFC 3339 in UTC, the fraction without trailing
/// zeros), formatted by hand into one buffer and written at once: this runs twice per job.
fn write_timestamp(out: &mut impl Write, at: OffsetDateTime) -> io::Result<()> {
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z; outside, `format_utc` says why not
    const FIRST: i64 = -62_167_219_200;
    const LAST: i64 = 253_402_300_799;
    let seconds = at.unix_timestamp();
    if !(FIRST..=LAST).contains(&seconds) {
        let text = format_utc(at).map_err(io::Error::other)?;
        return write!(out, "\"{text}\"");
    }
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    // every number here is non-negative and fits its width (checked above)
    let two = |n: i64| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    let [y0, y1] = two(year / 100);
    let [y2, y3] = two(year % 100);
    let [mo0, mo1] = two(month);
    let [d0, d1] = two(day);
    let [h0, h1] = two(second_of_day / 3600);
    let [mi0, mi1] = two(second_of_day / 60 % 60);
    let [s0, s1] = two(second_of_day % 60);
    let mut text = [
        b'"', y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':', s0,
        s1, b'.', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'Z', b'"',
    ];
    let mut nanos = at.nanosecond();
    let mut len = 20;
    if nanos != 0 {
        let mut digits = 9;
        while nanos.is_multiple_of(10) {
            nanos /= 10;
            digits -= 1;
        }
        // the fraction's digits, last first, after the dot at 20
        for slot in text.iter_mut().skip(21).take(digits).rev() {
            *slot = b'0' + (nanos % 10) as u8;
            nanos /= 10;
        }
        len = 21 + digits;
    }
    // `len` is at most 30, so the closing `Z"` fits
    text[len] = b'Z';
    text[len + 1] = b'"';
    out.write_all(&text[..len + 2])
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Writes `{"data": [...], "pagination": ...}` one item (job, backup) at a time, so a listing
/// of any length is never held whole.
#[derive(Debug, Default)]
pub(crate) struct JsonList {
    written: u64,
}

impl JsonList {
    /// Opens the object and the `data` array.
    pub(crate) fn begin(out: &mut impl Write) -> io::Result<JsonList> {
        out.write_all(b"{\"data\":[")?;
        Ok(JsonList { written: 0 })
    }

    /// Writes one job as an element of `data`, on its own line.
    pub(crate) fn job(&mut self, out: &mut impl Write, job: &RestoreJob) -> io::Result<()> {
        self.element(out, |out| write_compact(out, job))
    }

    /// Writes one element of `data`, on its own line: `write` writes its compact JSON.
    fn element<W: Write>(
        &mut self,
        out: &mut W,
        write: impl FnOnce(&mut W) -> io::Result<()>,
    ) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
        write(out)?;
        self.written += 1;
        Ok(())
    }

    /// Closes `data` and writes `pagination`: `{"next": token}`, or `null` on the last page.
    pub(crate) fn end(self, out: &mut impl Write, next: Option<&str>) -> io::Result<()> {
        if self.written > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(b"],\"pagination\":")?;
        match next {
            Some(token) => {
                let token = serde_json::to_string(token).map_err(io::Error::from)?;
                write!(out, "{{\"next\":{}}}", text::json_safe(&token))?;
            }
            None => out.write_all(b"null")?,
        }
        out.write_all(b"}\n")
    }
}

fn timestamp(at: Option<OffsetDateTime>) -> String {
    at.and_then(|at| format_utc(at).ok())
        .unwrap_or_else(|| MISSING.to_owned())
}

fn percent(p: Option<Percent>) -> String {
    p.map_or_else(|| MISSING.to_owned(), |p| format!("{}%", p.get()))
}

/// `text` for a table cell: `-` when empty; otherwise through core's text module, so a
/// server cannot send terminal escapes or bidi overrides, nor an endless cell.
pub(crate) fn cell(text: &str, secrets: &Secrets) -> String {
    if text.is_empty() {
        MISSING.to_owned()
    } else {
        text::shown(text, text::CELL_CHARS, secrets)
    }
}

fn width(text: impl AsRef<str>) -> usize {
    text.as_ref().chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pinecone_restore_core::JobStatus;

    fn none() -> Secrets {
        Secrets::none()
    }

    fn jobs() -> Vec<RestoreJob> {
        let body = br#"{"data": [
            {"restore_job_id": "rj-1", "backup_id": "b-1", "target_index_name": "my-index",
             "target_index_id": "idx-1", "status": "Completed", "percent_complete": 100,
             "created_at": "2024-03-15T12:30:00+02:00", "completed_at": "2024-03-15T10:35:00.5Z"},
            {"restore_job_id": "restore-two", "backup_id": "b-2", "target_index_name": "i",
             "target_index_id": "idx-2", "status": "Pending", "percent_complete": 42.5,
             "created_at": null}
        ], "pagination": null}"#;
        pinecone_restore_core::parse_list_page(body, &pinecone_restore_core::ApiVersion::V2025_04)
            .unwrap()
            .jobs
    }

    fn text(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn table_is_aligned_in_utc_with_dashes() {
        let jobs = jobs();
        let table = text(|out| write_table(out, &jobs, &none()));
        let expected = "\
ID           STATUS     TARGET INDEX  CREATED               COMPLETED               PERCENT
rj-1         Completed  my-index      2024-03-15T10:30:00Z  2024-03-15T10:35:00.5Z  100%
restore-two  Pending    i             -                     -                       42.5%
";
        assert_eq!(table, expected);
    }

    #[test]
    fn empty_table_has_the_header() {
        assert_eq!(
            text(|out| write_table(out, &[], &none())),
            "ID  STATUS  TARGET INDEX  CREATED  COMPLETED  PERCENT\n"
        );
    }

    #[test]
    fn job_fields() {
        let job = &jobs()[1];
        let fields = text(|out| write_job_fields(out, job, &none()));
        assert!(fields.starts_with("restore_job_id     restore-two\n"));
        assert!(fields.contains("\ncreated_at         -\n"));
        assert!(fields.ends_with("percent_complete   42.5%\n"));
    }

    #[test]
    fn json_list_round_trips_with_api_names() {
        let jobs = jobs();
        for next in [None, Some("a+b/c=")] {
            let json = text(|out| {
                let mut list = JsonList::begin(out)?;
                for job in &jobs {
                    list.job(out, job)?;
                }
                list.end(out, next)
            });
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(value["data"][0]["restore_job_id"], "rj-1");
            assert_eq!(value["data"][0]["created_at"], "2024-03-15T10:30:00Z");
            assert_eq!(value["data"][1]["created_at"], serde_json::Value::Null);
            assert_eq!(value["data"][1]["percent_complete"], 42.5);
            match next {
                Some(token) => assert_eq!(value["pagination"]["next"], token),
                None => assert!(value["pagination"].is_null()),
            }
        }
        let empty = text(|out| JsonList::begin(out)?.end(out, None));
        assert_eq!(empty, "{\"data\":[],\"pagination\":null}\n");
    }

    #[test]
    fn ndjson_is_one_object_per_line() {
        let jobs = jobs();
        let lines = text(|out| jobs.iter().try_for_each(|j| write_ndjson(out, j)));
        let ids: Vec<String> = lines
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|v| v["restore_job_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, ["rj-1", "restore-two"]);
    }

    #[test]
    fn cells_escape_control_and_bidi_characters_and_scrub_secrets() {
        assert_eq!(cell("a\u{1b}[31mb", &none()), "a\\u{1b}[31mb");
        assert_eq!(cell("evil\u{202e}gpj.exe", &none()), "evil\\u{202e}gpj.exe");
        assert_eq!(cell("\u{2066}x\u{2069}", &none()), "\\u{2066}x\\u{2069}");
        assert_eq!(cell("", &none()), "-");
        assert_eq!(
            cell(&"x".repeat(1000), &none()).chars().count(),
            text::CELL_CHARS + 1
        );
        let secrets = Secrets::of(["pcsk_secret_value"]);
        assert_eq!(cell("a pcsk_secret_value b", &secrets), "a <redacted> b");
        let job = RestoreJob::new("x\ny", "", "", "", JobStatus::Other("\t".into()), None);
        let fields = text(|out| write_job_fields(out, &job, &none()));
        assert_eq!(fields.lines().count(), 8);
        assert!(fields.contains("x\\ny") && fields.contains("status             \\t"));
    }

    #[test]
    fn percents_show_what_the_server_sent_and_minus_zero_as_zero() {
        assert_eq!(percent(Percent::new(-0.0)), "0%");
        assert_eq!(percent(Percent::new(42.5)), "42.5%");
        assert_eq!(percent(Percent::new(100.0)), "100%");
        assert_eq!(percent(None), "-");
    }

    #[test]
    fn a_started_restore() {
        let started = pinecone_restore_core::parse_started_restore(
            br#"{"restore_job_id":"rj-1","index_id":"ix-1"}"#,
        )
        .unwrap();
        let fields = text(|out| write_started_fields(out, &started, &none()));
        assert_eq!(
            fields,
            "restore_job_id  rj-1\nindex_id        ix-1\nrecovered       false\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&text(|out| write_json(out, &started))).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"restore_job_id": "rj-1", "index_id": "ix-1", "recovered": false})
        );
    }

    #[test]
    fn json_output_escapes_format_characters_and_keeps_the_value() {
        let job = RestoreJob::new(
            "a\u{202e}b",
            "\u{2066}x\u{2069}",
            "n",
            "i",
            JobStatus::Pending,
            None,
        );
        for written in [
            text(|out| write_ndjson(out, &job)),
            text(|out| write_json(out, &job)),
            text(|out| {
                let mut list = JsonList::begin(out)?;
                list.job(out, &job)?;
                list.end(out, Some("t\u{202e}"))
            }),
        ] {
            assert!(
                !written
                    .chars()
                    .filter(|c| *c != '\n')
                    .any(text::needs_escape),
                "{written:?}"
            );
            assert!(written.contains(r"a\u202eb"), "{written}");
        }
        let back: serde_json::Value =
            serde_json::from_str(&text(|out| write_ndjson(out, &job))).unwrap();
        assert_eq!(back["restore_job_id"], "a\u{202e}b");
    }

    /// The line written field by field is, byte for byte, what serializing the job with
    /// serde_json and then escaping it for a terminal gives (how it was written before).
    #[test]
    fn only_printable_ascii_but_quote_and_backslash_is_copied_as_is() {
        for b in 0..=255u8 {
            let as_is = (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
            assert_eq!(!NOT_AS_IS[usize::from(b)], as_is, "{b:#04x}");
        }
    }

    #[test]
    fn a_job_is_written_as_its_serialization() {
        let old = |job: &RestoreJob| {
            let json = serde_json::to_string(job).unwrap();
            format!("{}\n", text::json_safe(&json))
        };
        let stamps = [
            "2024-03-15T12:30:00+02:00",
            "2024-03-15T10:35:00.5Z",
            "2024-02-29T23:59:59.000000001-00:30",
            "1969-12-31T23:59:59.999999999Z",
            "0000-01-01T00:30:00+00:30",
            "0000-03-01T00:00:00Z",
            "1900-02-28T12:00:00.12Z",
            "2000-02-29T00:00:00.1200Z",
            "9999-12-31T23:59:59.999Z",
            "2100-03-01T00:00:00.010203Z",
        ];
        let texts = [
            "rj-1",
            "",
            "a\"b\\c/d",
            "tab\there\u{1}\u{1f}\u{7f}",
            "ñame \u{202e}gpj \u{1f600} \u{e0041} \u{85}",
        ];
        let statuses = ["Pending", "Completed", "Paus\"ed\u{2066}"];
        let percents = [
            None,
            Some(0.0),
            Some(-0.0),
            Some(7.0),
            Some(42.0),
            Some(100.0),
            Some(42.5),
            Some(0.1),
            Some(99.99999999999999),
        ];
        let mut count = 0;
        for (i, stamp) in stamps.iter().enumerate() {
            let body = format!(r#"{{"t":"{stamp}"}}"#);
            let at = pinecone_restore_core::parse_job(
                format!(
                    r#"{{"restore_job_id":"r","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"s","created_at":"{stamp}"}}"#
                )
                .as_bytes(),
                &pinecone_restore_core::ApiVersion::V2025_04,
            )
            .unwrap_or_else(|e| panic!("{body}: {e}"))
            .created_at();
            for (j, id) in texts.iter().enumerate() {
                let job = RestoreJob::new(
                    id,
                    texts[(j + 1) % texts.len()],
                    texts[(j + i) % texts.len()],
                    "idx",
                    JobStatus::from_text(statuses[(i + j) % statuses.len()]),
                    if j == 1 { None } else { at },
                )
                .with_completed_at(if j % 2 == 0 { at } else { None })
                .with_percent_complete(percents[(i + j) % percents.len()].and_then(Percent::new));
                assert_eq!(text(|out| write_ndjson(out, &job)), old(&job), "{job:?}");
                count += 1;
            }
        }
        for job in jobs() {
            assert_eq!(text(|out| write_ndjson(out, &job)), old(&job));
        }
        assert_eq!(count, stamps.len() * texts.len());
    }
}
