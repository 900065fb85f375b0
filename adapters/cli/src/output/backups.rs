//! How backups are written on stdout: the table a user picks a backup from, one backup's
//! fields, and the JSON and NDJSON of programs.
//!
//! JSON backup objects are core's `Serialize` for [`Backup`] (the API's field names, in the
//! spec's order; timestamps in RFC 3339, UTC; absent fields left out), then escaped for a
//! terminal with [`text::json_safe`] as every JSON this command writes. Text cells go through
//! [`cell`], as the restore jobs' do.

use std::io;

use pinecone_restore_core::Backup;
use pinecone_restore_core::text::{self, Secrets};

use super::{Fields, Line, MISSING, Render, cell, column_time, timestamp};

/// A row is what a user picks a backup by; its JSON is core's `Serialize` of it.
impl Render for Backup {
    const HEADERS: &'static [&'static str] = &[
        "ID", "NAME", "INDEX", "STATUS", "CREATED", "RECORDS", "SIZE",
    ];

    fn row(&self, secrets: &Secrets) -> Vec<String> {
        vec![
            cell(self.backup_id(), secrets),
            optional(self.name(), secrets),
            cell(self.source_index_name(), secrets),
            status(self, secrets),
            created_column(self, secrets),
            count(self.record_count()),
            size(self.size_bytes()),
        ]
    }

    fn push_json(&self, line: &mut Line) -> io::Result<()> {
        let json = serde_json::to_string(self).map_err(io::Error::from)?;
        line.bytes
            .extend_from_slice(text::json_safe(&json).as_bytes());
        Ok(())
    }
}

/// A field the server did not send (or this API version does not have) shows `-`.
impl Fields for Backup {
    fn fields(&self, secrets: &Secrets) -> Vec<(&'static str, String)> {
        let tags = self.tags().map(|tags| {
            tags.iter()
                .map(|(key, value)| format!("{key}={value}"))
                .collect::<Vec<_>>()
                .join(", ")
        });
        vec![
            ("backup_id", cell(self.backup_id(), secrets)),
            ("name", optional(self.name(), secrets)),
            ("description", optional(self.description(), secrets)),
            ("source_index_name", cell(self.source_index_name(), secrets)),
            ("source_index_id", cell(self.source_index_id(), secrets)),
            ("status", cell(self.status().as_str(), secrets)),
            ("cloud", cell(self.cloud(), secrets)),
            ("region", cell(self.region(), secrets)),
            ("dimension", count(self.dimension().map(i64::from))),
            ("metric", optional(self.metric(), secrets)),
            ("schema", optional(self.schema(), secrets)),
            ("record_count", count(self.record_count())),
            ("namespace_count", count(self.namespace_count())),
            ("size_bytes", bytes_and_size(self.size_bytes())),
            ("tags", optional(tags.as_deref(), secrets)),
            ("created_at", created(self, secrets)),
            (
                "source_index_deleted_at",
                timestamp(self.source_index_deleted_at()),
            ),
        ]
    }
}

/// When `backup` was taken, as the tables show it: the time in UTC, or the server's text when
/// it is not a time (a version that types `created_at` as a plain string sent it), or `-`.
pub(crate) fn created(backup: &Backup, secrets: &Secrets) -> String {
    match (backup.created_at(), backup.created_at_text()) {
        (None, Some(text)) => cell(text, secrets),
        (at, _) => timestamp(at),
    }
}

/// The status, and for a backup a schedule plans (its history's `Scheduled` rows) when it
/// runs: `Scheduled (runs 2026-04-04T06:00:00Z)`.
fn status(backup: &Backup, secrets: &Secrets) -> String {
    let status = cell(backup.status().as_str(), secrets);
    match backup.scheduled_execution_at() {
        Some(at) => format!("{status} (runs {})", column_time(Some(at))),
        None => status,
    }
}

/// [`created`] in a table's column: a time to the second.
pub(crate) fn created_column(backup: &Backup, secrets: &Secrets) -> String {
    match (backup.created_at(), backup.created_at_text()) {
        (None, Some(text)) => cell(text, secrets),
        (at, _) => column_time(at),
    }
}

fn optional(value: Option<&str>, secrets: &Secrets) -> String {
    value.map_or_else(|| MISSING.to_owned(), |v| cell(v, secrets))
}

/// A count as the API sent it, `-` when absent.
fn count(value: Option<i64>) -> String {
    value.map_or_else(|| MISSING.to_owned(), |n| n.to_string())
}

/// A size for people, in binary units with one decimal (`412 B`, `1.5 KiB`, `2.4 GiB`); a
/// negative size (the spec sets no minimum) as sent.
fn size(bytes: Option<i64>) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let Some(bytes) = bytes else {
        return MISSING.to_owned();
    };
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    // stop one short of the end: i64::MAX is 8 EiB
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    // `unit` stays in 0..UNITS.len() by the loop's bound
    format!("{value:.1} {}", UNITS[unit])
}

/// The exact byte count a script would want, and the size a person reads.
fn bytes_and_size(bytes: Option<i64>) -> String {
    match bytes {
        Some(n) if n >= 1024 => format!("{n} ({})", size(Some(n))),
        other => count(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{JsonList, Ndjson, write_fields_of, write_table};
    use pinecone_restore_core::{ApiVersion, BackupStatus, parse_backup_page};

    fn none() -> Secrets {
        Secrets::none()
    }

    fn text(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn backups() -> Vec<Backup> {
        let body = br#"{"data": [
            {"backup_id": "bk-1", "source_index_name": "docs", "source_index_id": "ix-1",
             "name": "nightly", "status": "Ready", "cloud": "aws", "region": "us-east-1",
             "dimension": 768, "metric": "cosine", "record_count": 61950,
             "namespace_count": 2, "size_bytes": 2541000000,
             "tags": {"env": "prod", "type": "manual"},
             "created_at": "2025-06-27T20:30:00+02:00"},
            {"backup_id": "bk-two", "source_index_name": "support", "source_index_id": "ix-2",
             "status": "Initializing", "cloud": "gcp", "region": "us-central1"}
        ], "pagination": null}"#;
        parse_backup_page(body, &ApiVersion::V2025_04)
            .unwrap()
            .backups
    }

    #[test]
    fn table_is_aligned_with_sizes_for_people_and_dashes() {
        let table = text(|out| write_table(out, &backups(), &none()));
        let expected = "\
ID      NAME     INDEX    STATUS        CREATED               RECORDS  SIZE
bk-1    nightly  docs     Ready         2025-06-27T18:30:00Z  61950    2.4 GiB
bk-two  -        support  Initializing  -                     -        -
";
        assert_eq!(table, expected);
        assert_eq!(
            text(|out| write_table::<Backup>(out, &[], &none())),
            "ID  NAME  INDEX  STATUS  CREATED  RECORDS  SIZE\n"
        );
    }

    #[test]
    fn fields_name_every_field_the_api_has() {
        let fields = text(|out| write_fields_of(out, &backups()[0], &none()));
        assert!(
            fields.starts_with("backup_id                bk-1\n"),
            "{fields}"
        );
        assert!(fields.contains("\ntags                     env=prod, type=manual\n"));
        assert!(fields.contains("\nsize_bytes               2541000000 (2.4 GiB)\n"));
        assert!(fields.contains("\nschema                   -\n"));
        assert!(fields.ends_with("source_index_deleted_at  -\n"), "{fields}");
        assert_eq!(fields.lines().count(), 17);
    }

    #[test]
    fn cells_escape_what_a_server_sends() {
        let backup = Backup::new(
            "a\u{1b}[31m",
            "i\u{202e}x",
            "ii",
            BackupStatus::Other("\t".into()),
            "aws",
            "r",
        )
        .with_tags(Some(vec![("k\n".into(), "pcsk_secret_value".into())]));
        let secrets = Secrets::of(["pcsk_secret_value"]);
        for written in [
            text(|out| write_table(out, std::slice::from_ref(&backup), &secrets)),
            text(|out| write_fields_of(out, &backup, &secrets)),
        ] {
            assert!(!written.contains('\u{1b}') && !written.contains('\u{202e}'));
            assert!(!written.contains('\t') && !written.contains("pcsk_secret_value"));
        }
        let line = text(|out| Ndjson::default().item(out, &backup));
        assert!(!line.chars().filter(|c| *c != '\n').any(text::needs_escape));
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["backup_id"], "a\u{1b}[31m");
    }

    #[test]
    fn json_is_the_api_page_shape() {
        let all = backups();
        for next in [None, Some("a+b/c=")] {
            let json = text(|out| {
                let mut list = JsonList::begin(out)?;
                for backup in &all {
                    list.item(out, backup)?;
                }
                list.end(out, next)
            });
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(value["data"][0]["backup_id"], "bk-1");
            assert_eq!(value["data"][0]["created_at"], "2025-06-27T18:30:00Z");
            assert_eq!(value["data"][0]["tags"]["type"], "manual");
            assert!(value["data"][1].get("name").is_none());
            match next {
                Some(token) => assert_eq!(value["pagination"]["next"], token),
                None => assert!(value["pagination"].is_null()),
            }
            // each element is the backup's own serialization
            assert_eq!(value["data"][0], serde_json::to_value(&all[0]).unwrap());
        }
        let empty = text(|out| JsonList::begin(out)?.end(out, None));
        assert_eq!(empty, "{\"data\":[],\"pagination\":null}\n");
    }

    #[test]
    fn sizes() {
        assert_eq!(size(None), "-");
        assert_eq!(size(Some(0)), "0 B");
        assert_eq!(size(Some(1023)), "1023 B");
        assert_eq!(size(Some(1536)), "1.5 KiB");
        assert_eq!(size(Some(5 * 1024 * 1024)), "5.0 MiB");
        assert_eq!(size(Some(i64::MAX)), "8.0 EiB");
        assert_eq!(size(Some(-5)), "-5 B");
        assert_eq!(bytes_and_size(Some(10)), "10");
    }
}
