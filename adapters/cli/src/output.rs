//! How jobs are written on stdout: aligned tables for people, JSON and NDJSON for programs.
//!
//! JSON job objects come from core's `Serialize` for [`RestoreJob`] (the API's field names,
//! timestamps in RFC 3339, UTC). Text cells are made safe for a terminal: control characters
//! sent by a server are shown escaped, never written raw.

use std::borrow::Cow;
use std::io::{self, Write};

use pinecone_restore_core::{OffsetDateTime, Percent, RestoreJob, format_utc};

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
fn row(job: &RestoreJob) -> [String; 6] {
    [
        cell(job.restore_job_id()).into_owned(),
        cell(job.status().as_str()).into_owned(),
        cell(job.target_index_name()).into_owned(),
        timestamp(job.created_at()),
        timestamp(job.completed_at()),
        percent(job.percent_complete()),
    ]
}

/// Writes `jobs` as a table with a header and columns aligned over these rows.
pub(crate) fn write_table(out: &mut impl Write, jobs: &[RestoreJob]) -> io::Result<()> {
    let rows: Vec<[String; 6]> = jobs.iter().map(row).collect();
    let mut widths = LIST_HEADERS.map(width);
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(c));
        }
    }
    write_row(out, &LIST_HEADERS, &widths)?;
    for r in &rows {
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
pub(crate) fn write_job_fields(out: &mut impl Write, job: &RestoreJob) -> io::Result<()> {
    let fields: [(&str, String); 8] = [
        ("restore_job_id", cell(job.restore_job_id()).into_owned()),
        ("backup_id", cell(job.backup_id()).into_owned()),
        (
            "target_index_name",
            cell(job.target_index_name()).into_owned(),
        ),
        ("target_index_id", cell(job.target_index_id()).into_owned()),
        ("status", cell(job.status().as_str()).into_owned()),
        ("created_at", timestamp(job.created_at())),
        ("completed_at", timestamp(job.completed_at())),
        ("percent_complete", percent(job.percent_complete())),
    ];
    let name_width = fields.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, value) in &fields {
        writeln!(out, "{name:name_width$}  {value}")?;
    }
    Ok(())
}

/// Writes one job as a pretty JSON object and a newline.
pub(crate) fn write_job_json(out: &mut impl Write, job: &RestoreJob) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, job).map_err(io::Error::from)?;
    writeln!(out)
}

/// Writes one job as one line of JSON.
pub(crate) fn write_ndjson(out: &mut impl Write, job: &RestoreJob) -> io::Result<()> {
    serde_json::to_writer(&mut *out, job).map_err(io::Error::from)?;
    writeln!(out)
}

/// Writes `{"data": [...], "pagination": ...}` one job at a time, so a listing of any length
/// is never held whole.
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

    /// Writes one element of `data`, on its own line.
    pub(crate) fn job(&mut self, out: &mut impl Write, job: &RestoreJob) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, job).map_err(io::Error::from)?;
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
                out.write_all(b"{\"next\":")?;
                serde_json::to_writer(&mut *out, token).map_err(io::Error::from)?;
                out.write_all(b"}")?;
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

/// `text` for a table cell: `-` when empty, control characters escaped so a server cannot
/// send terminal escape sequences.
pub(crate) fn cell(text: &str) -> Cow<'_, str> {
    if text.is_empty() {
        Cow::Borrowed(MISSING)
    } else if text.chars().any(char::is_control) {
        Cow::Owned(
            text.chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

fn width(text: impl AsRef<str>) -> usize {
    text.as_ref().chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pinecone_restore_core::{JobStatus, Response};

    fn jobs() -> Vec<RestoreJob> {
        let body = br#"{"data": [
            {"restore_job_id": "rj-1", "backup_id": "b-1", "target_index_name": "my-index",
             "target_index_id": "idx-1", "status": "Completed", "percent_complete": 100,
             "created_at": "2024-03-15T12:30:00+02:00", "completed_at": "2024-03-15T10:35:00.5Z"},
            {"restore_job_id": "restore-two", "backup_id": "b-2", "target_index_name": "i",
             "target_index_id": "idx-2", "status": "Pending", "percent_complete": 42.5,
             "created_at": null}
        ], "pagination": null}"#;
        Response {
            status: 200,
            headers: &[],
            body,
        }
        .list_page()
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
        let table = text(|out| write_table(out, &jobs));
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
            text(|out| write_table(out, &[])),
            "ID  STATUS  TARGET INDEX  CREATED  COMPLETED  PERCENT\n"
        );
    }

    #[test]
    fn job_fields() {
        let job = &jobs()[1];
        let fields = text(|out| write_job_fields(out, job));
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
    fn cells_escape_control_characters() {
        assert_eq!(cell("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(cell(""), "-");
        let job = RestoreJob::new("x\ny", "", "", "", JobStatus::Other("\t".into()), None);
        let fields = text(|out| write_job_fields(out, &job));
        assert_eq!(fields.lines().count(), 8);
        assert!(fields.contains("x\\ny") && fields.contains("status             \\t"));
    }
}
