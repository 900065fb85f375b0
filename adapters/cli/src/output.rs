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
pub(crate) mod prune;
pub(crate) mod schedules;

/// What a missing value looks like in a table.
const MISSING: &str = "-";

/// An item a listing shows (a restore job, a backup): its row of a table and its compact
/// JSON, the same whichever listing holds it.
pub(crate) trait Render {
    /// The table's column headers.
    const HEADERS: &'static [&'static str];

    /// Its row of a table, one cell per header, every server text through [`cell`].
    fn row(&self, secrets: &Secrets) -> Vec<String>;

    /// Appends it to `line` as compact JSON, every control and format character escaped.
    fn push_json(&self, line: &mut Line) -> io::Result<()>;
}

impl Render for RestoreJob {
    const HEADERS: &'static [&'static str] = &[
        "ID",
        "STATUS",
        "TARGET INDEX",
        "CREATED",
        "COMPLETED",
        "PERCENT",
    ];

    fn row(&self, secrets: &Secrets) -> Vec<String> {
        vec![
            cell(self.restore_job_id(), secrets),
            cell(self.status().as_str(), secrets),
            cell(self.target_index_name(), secrets),
            column_time(self.created_at()),
            column_time(self.completed_at()),
            percent(self.percent_complete()),
        ]
    }

    fn push_json(&self, line: &mut Line) -> io::Result<()> {
        line.job(self)
    }
}

/// Writes `items` as a table with a header and columns aligned over these rows.
pub(crate) fn write_table<T: Render>(
    out: &mut impl Write,
    items: &[T],
    secrets: &Secrets,
) -> io::Result<()> {
    let rows: Vec<Vec<String>> = items.iter().map(|item| item.row(secrets)).collect();
    write_aligned(out, T::HEADERS, &rows)
}

/// A column added to a table from outside the items: for each item's id, its cell (`-` for
/// none). `backups list --index` under 2026-07 names the schedule that took each backup.
pub(crate) struct Marks {
    /// The column's header.
    pub(crate) header: &'static str,
    /// The cell of each id that has one, already through [`cell`].
    pub(crate) cells: std::collections::HashMap<String, String>,
}

/// Writes `items` as [`write_table`] does, with the column `marks` last (found by `id`).
pub(crate) fn write_marked_table<T: Render>(
    out: &mut impl Write,
    items: &[T],
    id: impl Fn(&T) -> &str,
    marks: &Marks,
    secrets: &Secrets,
) -> io::Result<()> {
    let mut headers: Vec<&str> = T::HEADERS.to_vec();
    headers.push(marks.header);
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|item| {
            let mut row = item.row(secrets);
            row.push(
                marks
                    .cells
                    .get(id(item))
                    .cloned()
                    .unwrap_or_else(|| MISSING.to_owned()),
            );
            row
        })
        .collect();
    write_aligned(out, &headers, &rows)
}

/// Writes `headers` and `rows` with each column as wide as its widest cell.
pub(crate) fn write_aligned(
    out: &mut impl Write,
    headers: &[&str],
    rows: &[Vec<String>],
) -> io::Result<()> {
    let mut widths: Vec<usize> = headers.iter().map(width).collect();
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

/// One thing a command shows on its own (a job, a backup, a started restore): as `field
/// value` lines with the API's field names for people, as its JSON object for programs.
pub(crate) trait Fields: serde::Serialize {
    /// Its fields, named as the API names them, every server text through [`cell`].
    fn fields(&self, secrets: &Secrets) -> Vec<(&'static str, String)>;
}

/// Writes `item` as `field  value` lines.
pub(crate) fn write_fields_of(
    out: &mut impl Write,
    item: &impl Fields,
    secrets: &Secrets,
) -> io::Result<()> {
    write_fields(out, &item.fields(secrets))
}

impl Fields for RestoreJob {
    fn fields(&self, secrets: &Secrets) -> Vec<(&'static str, String)> {
        vec![
            ("restore_job_id", cell(self.restore_job_id(), secrets)),
            ("backup_id", cell(self.backup_id(), secrets)),
            ("target_index_name", cell(self.target_index_name(), secrets)),
            ("target_index_id", cell(self.target_index_id(), secrets)),
            ("status", cell(self.status().as_str(), secrets)),
            ("created_at", timestamp(self.created_at())),
            ("completed_at", timestamp(self.completed_at())),
            ("percent_complete", percent(self.percent_complete())),
        ]
    }
}

/// The API's two fields, and whether it was recovered after a retry.
impl Fields for StartedRestore {
    fn fields(&self, secrets: &Secrets) -> Vec<(&'static str, String)> {
        vec![
            ("restore_job_id", cell(self.restore_job_id(), secrets)),
            ("index_id", cell(self.index_id(), secrets)),
            ("recovered", self.recovered().to_string()),
        ]
    }
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

/// Writes one item as one line of JSON.
pub(crate) fn write_ndjson(out: &mut impl Write, item: &impl Render) -> io::Result<()> {
    Ndjson::default().item(out, item)
}

/// Writes items (jobs, backups) as NDJSON: each line is built in one buffer, reused from line
/// to line, and written with one call.
#[derive(Debug, Default)]
pub(crate) struct Ndjson {
    line: Line,
}

impl Ndjson {
    /// Writes one item as one line of JSON.
    pub(crate) fn item(&mut self, out: &mut impl Write, item: &impl Render) -> io::Result<()> {
        self.line
            .write(out, b"", |line| item.push_json(line), b"\n")
    }
}

/// One line of output being built, reused from line to line.
#[derive(Debug, Default)]
pub(crate) struct Line {
    pub(crate) bytes: Vec<u8>,
    /// The UTC year and day of the year of the last timestamp written, and its `YYYY-MM-DD`:
    /// jobs listed together were mostly created and completed on the same few days, so most
    /// timestamps skip the calendar arithmetic.
    date: Option<((i32, u16), [u8; 10])>,
}

impl Line {
    /// Builds `before`, what `push` appends, and `after` in the buffer, and writes them with
    /// one call.
    #[inline(always)]
    fn write(
        &mut self,
        out: &mut impl Write,
        before: &[u8],
        push: impl FnOnce(&mut Line) -> io::Result<()>,
        after: &[u8],
    ) -> io::Result<()> {
        self.bytes.clear();
        self.bytes.extend_from_slice(before);
        push(self)?;
        self.bytes.extend_from_slice(after);
        out.write_all(&self.bytes)
    }

    /// Appends one job as compact JSON, every control and format character escaped
    /// (`\u202e`): the same value the server sent, safe in a terminal, and byte for byte what
    /// `serde_json::to_string` of the job's `Serialize` gives after [`text::json_safe`].
    /// Appended field by field: no intermediate value.
    fn job(&mut self, job: &RestoreJob) -> io::Result<()> {
        // each string's quotes are written with the text around it
        let line = &mut self.bytes;
        line.extend_from_slice(b"{\"restore_job_id\":\"");
        push_unquoted(line, job.restore_job_id())?;
        line.extend_from_slice(b"\",\"backup_id\":\"");
        push_unquoted(line, job.backup_id())?;
        line.extend_from_slice(b"\",\"target_index_name\":\"");
        push_unquoted(line, job.target_index_name())?;
        line.extend_from_slice(b"\",\"target_index_id\":\"");
        push_unquoted(line, job.target_index_id())?;
        line.extend_from_slice(b"\",\"status\":\"");
        push_unquoted(line, job.status().as_str())?;
        line.extend_from_slice(b"\",\"created_at\":");
        match job.created_at() {
            Some(at) => self.timestamp(at)?,
            None => self.bytes.extend_from_slice(b"null"),
        }
        if let Some(at) = job.completed_at() {
            self.bytes.extend_from_slice(b",\"completed_at\":");
            self.timestamp(at)?;
        }
        let line = &mut self.bytes;
        match job.percent_complete() {
            // whole numbers as integers, as the API writes them (`100`, not `100.0`)
            Some(p) if p.is_whole() => {
                line.extend_from_slice(b",\"percent_complete\":");
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
                line.extend_from_slice(&digits[skip..]);
            }
            Some(p) => {
                line.extend_from_slice(b",\"percent_complete\":");
                serde_json::to_writer(&mut *line, &p.get()).map_err(io::Error::from)?;
            }
            None => {}
        }
        line.push(b'}');
        Ok(())
    }

    /// Appends a timestamp as [`format_utc`] writes it (RFC 3339 in UTC, the fraction without
    /// trailing zeros), formatted from the instant's UTC calendar fields: this runs twice per
    /// job.
    fn timestamp(&mut self, at: OffsetDateTime) -> io::Result<()> {
        let Some(utc) = at
            .checked_to_utc()
            .filter(|utc| (0..=9999).contains(&utc.year()))
        else {
            // outside 0000..=9999 in UTC: `format_utc` says why not
            let text = format_utc(at).map_err(io::Error::other)?;
            self.bytes
                .extend_from_slice(format!("\"{text}\"").as_bytes());
            return Ok(());
        };
        let day = utc.to_ordinal_date();
        let date = match self.date {
            Some((last, date)) if last == day => date,
            _ => {
                let (year, month, day_of_month) = utc.to_calendar_date();
                // 0..=9999, checked above
                let year = year.unsigned_abs() as usize;
                let [y0, y1] = two_digits(year / 100);
                let [y2, y3] = two_digits(year % 100);
                let [m0, m1] = two_digits(usize::from(month as u8));
                let [d0, d1] = two_digits(usize::from(day_of_month));
                let date = [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1];
                self.date = Some((day, date));
                date
            }
        };
        let (hour, minute, second, nanos) = utc.time().as_hms_nano();
        let [h0, h1] = two_digits(usize::from(hour));
        let [mi0, mi1] = two_digits(usize::from(minute));
        let [s0, s1] = two_digits(usize::from(second));
        let [y0, y1, y2, y3, _, mo0, mo1, _, d0, d1] = date;
        let mut text = [
            b'"', y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':',
            s0, s1, b'.', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'Z', b'"',
        ];
        let mut nanos = nanos;
        let mut len = 20;
        if nanos % 1_000_000 == 0 && nanos != 0 {
            // whole milliseconds, as the API writes them: three digits less their trailing zeros
            let millis = nanos / 1_000_000;
            let digits = [
                b'0' + (millis / 100) as u8,
                b'0' + (millis / 10 % 10) as u8,
                b'0' + (millis % 10) as u8,
            ];
            text[21..24].copy_from_slice(&digits);
            len = if millis % 10 != 0 {
                24
            } else if millis % 100 != 0 {
                23
            } else {
                22
            };
        } else if nanos != 0 {
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
        // all of `text` and then back to its end: a copy of a known length is a few moves,
        // one of a varying length a call
        self.bytes.extend_from_slice(&text);
        self.bytes
            .truncate(self.bytes.len() - (text.len() - (len + 2)));
        Ok(())
    }
}

/// Appends a JSON string without its quotes: as it is when nothing in it needs an escape
/// (nearly always), else `serde_json`'s escapes and then [`text::json_safe`]'s.
// five calls a job: inlined, each saves saving and restoring the registers the word check uses
#[inline(always)]
fn push_unquoted(line: &mut Vec<u8>, s: &str) -> io::Result<()> {
    if as_is(s.as_bytes()) {
        line.extend_from_slice(s.as_bytes());
        Ok(())
    } else {
        push_escaped(line, s)
    }
}

/// [`push_unquoted`] of a string with something to escape.
#[cold]
fn push_escaped(line: &mut Vec<u8>, s: &str) -> io::Result<()> {
    let json = serde_json::to_string(s).map_err(io::Error::from)?;
    let json = text::json_safe(&json);
    // serde_json's string is quoted, and json_safe keeps the quotes
    let unquoted = json
        .strip_prefix('"')
        .and_then(|json| json.strip_suffix('"'))
        .ok_or_else(|| io::Error::other("a JSON string without its quotes"))?;
    line.extend_from_slice(unquoted.as_bytes());
    Ok(())
}

/// Whether every byte of `bytes` can be copied into a JSON string as it is: printable ASCII
/// but `"` and `\`. Eight bytes at a time; the last eight overlap the word before them
/// rather than being looked at one by one.
fn as_is(bytes: &[u8]) -> bool {
    let word = |at: usize| {
        let mut eight = [0; 8];
        eight.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(eight)
    };
    if bytes.len() < 8 {
        return !bytes
            .iter()
            .any(|&b| !(0x20..0x7f).contains(&b) || b == b'"' || b == b'\\');
    }
    let last = bytes.len() - 8;
    let mut at = 0;
    // two words a turn, one branch for both
    while at + 8 < last {
        if not_as_is(word(at)) | not_as_is(word(at + 8)) != 0 {
            return false;
        }
        at += 16;
    }
    if at < last && not_as_is(word(at)) != 0 {
        return false;
    }
    not_as_is(word(last)) == 0
}

/// The high bit of each byte of `word` that cannot be copied as it is: below 0x20, 0x7f and
/// above, `"` and `\`. Zero exactly when there is none (the lowest flag is always a true one;
/// a borrow can only carry upwards from a byte that is flagged).
fn not_as_is(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // a byte of `v` below `n` (n <= 0x80): its high bit, exact for the lowest such byte
    let below = |v: u64, n: u8| v.wrapping_sub(ONES * u64::from(n)) & !v & HIGH;
    let equal = |b: u8| below(word ^ (ONES * u64::from(b)), 1);
    // 0x7f and above: the high bit, or a low seven bits that overflow into it when one is
    // added (no carry crosses a byte: each is at most 0x7f + 1)
    let high = (word | ((word & !HIGH) + ONES)) & HIGH;
    high | below(word, 0x20) | equal(b'"') | equal(b'\\')
}

/// `n` (below 100) as two decimal digits, from a table.
fn two_digits(n: usize) -> [u8; 2] {
    const PAIRS: &[u8; 200] = b"\
        0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let at = 2 * (n % 100);
    [PAIRS[at], PAIRS[at + 1]]
}

/// Writes `{"data": [...], "pagination": ...}` one item (job, backup) at a time, so a listing
/// of any length is never held whole. Each element is built in one reused buffer and written
/// with one call.
#[derive(Debug, Default)]
pub(crate) struct JsonList {
    written: u64,
    line: Line,
}

impl JsonList {
    /// Opens the object and the `data` array.
    pub(crate) fn begin(out: &mut impl Write) -> io::Result<JsonList> {
        out.write_all(b"{\"data\":[")?;
        Ok(JsonList::default())
    }

    /// Writes one item as an element of `data`, on its own line: a page of any listing has
    /// the API's page shape.
    pub(crate) fn item(&mut self, out: &mut impl Write, item: &impl Render) -> io::Result<()> {
        let before: &[u8] = if self.written == 0 { b"\n" } else { b",\n" };
        self.line
            .write(out, before, |line| item.push_json(line), b"")?;
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

/// A timestamp in a table's column: to the second, in UTC (`2025-06-29T11:05:37Z`), so every
/// row has the same width whatever fraction the server sent; `describe` and JSON keep it
/// whole.
fn column_time(at: Option<OffsetDateTime>) -> String {
    let second = at.and_then(|at| at.replace_nanosecond(0).ok());
    timestamp(second)
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
    fn table_is_aligned_in_utc_to_the_second_with_dashes() {
        let jobs = jobs();
        let table = text(|out| write_table(out, &jobs, &none()));
        // completed_at is 10:35:00.5: a column shows it to the second, describe whole
        let expected = "\
ID           STATUS     TARGET INDEX  CREATED               COMPLETED             PERCENT
rj-1         Completed  my-index      2024-03-15T10:30:00Z  2024-03-15T10:35:00Z  100%
restore-two  Pending    i             -                     -                     42.5%
";
        assert_eq!(table, expected);
        let fields = text(|out| write_fields_of(out, &jobs[0], &none()));
        assert!(
            fields.contains("completed_at       2024-03-15T10:35:00.5Z\n"),
            "{fields}"
        );
    }

    #[test]
    fn empty_table_has_the_header() {
        assert_eq!(
            text(|out| write_table::<RestoreJob>(out, &[], &none())),
            "ID  STATUS  TARGET INDEX  CREATED  COMPLETED  PERCENT\n"
        );
    }

    #[test]
    fn job_fields() {
        let job = &jobs()[1];
        let fields = text(|out| write_fields_of(out, job, &none()));
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
                    list.item(out, job)?;
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
        let fields = text(|out| write_fields_of(out, &job, &none()));
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
        let fields = text(|out| write_fields_of(out, &started, &none()));
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
                list.item(out, &job)?;
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

    /// Characters that must be escaped, or are copied as they are, at the edges of what
    /// [`as_is`] tells apart.
    const PROBES: [char; 16] = [
        '\u{0}',
        '\u{1f}',
        ' ',
        '"',
        '\\',
        '/',
        '~',
        '\u{7f}',
        '\u{80}',
        '\u{85}',
        '\u{a0}',
        'ñ',
        '\u{2028}',
        '\u{202e}',
        '\u{feff}',
        '\u{1f600}',
    ];

    #[test]
    fn only_printable_ascii_but_quote_and_backslash_is_copied_as_is() {
        // every byte at every position of a word and of the tail after it
        for len in 1..=17 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    let plain = (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
                    assert_eq!(as_is(&bytes), plain, "{b:#04x} at {at} of {len}");
                }
            }
        }
        assert!(as_is(b""));
    }

    #[test]
    fn a_string_is_written_as_its_serialization_with_any_character_anywhere() {
        let old = |s: &str| text::json_safe(&serde_json::to_string(s).unwrap()).into_owned();
        for len in 1..=17 {
            for at in 0..len {
                for probe in PROBES.iter().copied().chain(('\0'..='\u{7f}').step_by(1)) {
                    let s: String = (0..len)
                        .map(|i| if i == at { probe } else { 'x' })
                        .collect();
                    let mut line = b"\"".to_vec();
                    push_unquoted(&mut line, &s).unwrap();
                    line.push(b'"');
                    assert_eq!(String::from_utf8(line).unwrap(), old(&s), "{s:?}");
                }
            }
        }
    }

    /// The instant of `stamp`, parsed as a job's `created_at`.
    fn instant(stamp: &str) -> Option<OffsetDateTime> {
        pinecone_restore_core::parse_job(
            format!(
                r#"{{"restore_job_id":"r","backup_id":"b","target_index_name":"n","target_index_id":"i","status":"s","created_at":"{stamp}"}}"#
            )
            .as_bytes(),
            &pinecone_restore_core::ApiVersion::V2025_04,
        )
        .unwrap_or_else(|e| panic!("{stamp}: {e}"))
        .created_at()
    }

    #[test]
    fn timestamps_are_written_as_format_utc_writes_them() {
        // one line for every instant, so the date of one is the cached date of the next
        let mut line = Line::default();
        let mut same = |at: OffsetDateTime| {
            line.bytes.clear();
            match (line.timestamp(at), format_utc(at)) {
                (Ok(()), Ok(text)) => {
                    assert_eq!(line.bytes, format!("\"{text}\"").as_bytes());
                }
                (Err(_), Err(_)) => {}
                (new, old) => panic!("{at}: {new:?} but format_utc gave {old:?}"),
            }
        };
        let mut stamps = vec![
            "0000-01-01T00:00:00Z".to_owned(),
            "0000-01-01T00:30:00+00:30".to_owned(),
            "9999-12-31T23:59:59.999999999Z".to_owned(),
            "9999-12-31T22:00:00-01:59".to_owned(),
            "2024-02-29T23:59:59-23:59".to_owned(),
            "2024-03-01T00:00:00+23:59".to_owned(),
            "1969-12-31T23:59:59.999999999Z".to_owned(),
            // the same day of the year in two years, one after the other
            "2023-03-01T00:00:00Z".to_owned(),
            "2024-02-29T00:00:00Z".to_owned(),
            "2024-02-29T23:00:00-01:00".to_owned(),
        ];
        // a fraction of every length, with and without trailing zeros, in UTC and not
        for digits in 1..=9 {
            for fraction in ["1", "9", "10", "05", "123456789", "000000001"] {
                let fraction: String = fraction.chars().cycle().take(digits).collect();
                for offset in ["Z", "+05:45", "-00:01"] {
                    stamps.push(format!("2001-09-09T01:46:40.{fraction}{offset}"));
                }
            }
        }
        for stamp in &stamps {
            same(instant(stamp).unwrap());
        }
        // outside 0000..=9999 in UTC, with a UTC offset and without: an error, as before
        let year_minus_one = OffsetDateTime::from_unix_timestamp(-62_167_219_201).unwrap();
        let mut line = Line::default();
        assert!(line.timestamp(year_minus_one).is_err());
        assert!(format_utc(year_minus_one).is_err());
        let offset = |stamp| instant(stamp).unwrap().offset();
        let first = OffsetDateTime::from_unix_timestamp(-62_167_219_200).unwrap();
        let last = OffsetDateTime::from_unix_timestamp(253_402_300_799).unwrap();
        for (at, stamp) in [
            (first, "2000-01-01T00:00:00+00:01"),
            (last, "2000-01-01T00:00:00-00:01"),
        ] {
            // 0000-01-01T00:00:00+00:01 and 9999-12-31T23:59:59-00:01
            let at = at.replace_offset(offset(stamp));
            assert!(line.timestamp(at).is_err(), "{at}");
            same(at);
        }
        assert!(line.bytes.is_empty());
        // every second of a day around the turn of two leap years, and every day of them
        for start in [946_684_800_i64 - 86_400 * 60, 4_107_542_400] {
            for s in (0..86_400 * 800).step_by(3_607) {
                same(OffsetDateTime::from_unix_timestamp(start + s).unwrap());
            }
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
    /// Generated jobs (a fixed-seed xorshift, so a failure is repeatable): strings of any
    /// length mixing plain text with [`PROBES`], timestamps with any offset and fraction,
    /// whole and fractional percents. Each NDJSON line and each JSON list element is, byte
    /// for byte, the serialization it replaced.
    #[test]
    fn generated_jobs_are_written_as_their_serialization() {
        let old =
            |job: &RestoreJob| text::json_safe(&serde_json::to_string(job).unwrap()).into_owned();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let string = |next: &mut dyn FnMut(u64) -> u64| -> String {
            (0..next(24))
                .map(|_| match next(4) {
                    0 => PROBES[next(PROBES.len() as u64) as usize],
                    _ => char::from(b'!' + next(94) as u8),
                })
                .collect()
        };
        let mut lines = Ndjson::default();
        let mut list = JsonList::default();
        let (mut ndjson, mut json) = (Vec::new(), Vec::new());
        for _ in 0..3000 {
            let stamp = |next: &mut dyn FnMut(u64) -> u64| -> Option<OffsetDateTime> {
                if next(8) == 0 {
                    return None;
                }
                let fraction = match next(10) {
                    0 => String::new(),
                    digits => format!(
                        ".{:0width$}",
                        next(10u64.pow(digits as u32)),
                        width = digits as usize
                    ),
                };
                let offset = match next(3) {
                    0 => "Z".to_owned(),
                    _ => format!(
                        "{}{:02}:{:02}",
                        if next(2) == 0 { '+' } else { '-' },
                        next(24),
                        next(60)
                    ),
                };
                instant(&format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}{offset}",
                    1 + next(9998),
                    1 + next(12),
                    1 + next(28),
                    next(24),
                    next(60),
                    next(60)
                ))
            };
            let percent = match next(4) {
                0 => None,
                1 => Percent::new(next(101) as f64),
                _ => Percent::new(next(1_000_001) as f64 / 10_000.0),
            };
            let job = RestoreJob::new(
                &string(&mut next),
                &string(&mut next),
                &string(&mut next),
                &string(&mut next),
                JobStatus::from_text(&string(&mut next)),
                stamp(&mut next),
            )
            .with_completed_at(stamp(&mut next))
            .with_percent_complete(percent);
            ndjson.clear();
            lines.item(&mut ndjson, &job).unwrap();
            assert_eq!(String::from_utf8(ndjson.clone()).unwrap(), old(&job) + "\n");
            json.clear();
            list.item(&mut json, &job).unwrap();
            let element = String::from_utf8(json.clone()).unwrap();
            assert_eq!(
                element.trim_start_matches(',').trim_start(),
                old(&job),
                "{job:?}"
            );
        }
    }
}
