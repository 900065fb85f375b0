//! How a prune is written: its plan as a table (each backup: keep or delete, and why) for
//! people, and the whole prune (the plan, what was deleted, what failed, what was not tried)
//! as one JSON document for programs.

use std::io::{self, Write};

use pinecone_restore_core::text::Secrets;
use pinecone_restore_core::{Backup, Decision, IndexName, PrunePlan, PruneReport, format_utc};
use serde_json::{Value, json};

use super::backups::created_column;
use super::{cell, write_aligned};
use crate::exit;

/// The plan's columns.
const HEADERS: [&str; 6] = ["ACTION", "ID", "NAME", "STATUS", "CREATED", "WHY"];

/// `keep` or `delete`.
fn action(decision: &Decision) -> &'static str {
    if decision.keep { "keep" } else { "delete" }
}

/// Why, every reason through [`cell`] (a reason can name a job id the server sent).
fn why(decision: &Decision, secrets: &Secrets) -> String {
    let reasons: Vec<String> = decision
        .reasons
        .iter()
        .map(|r| cell(&r.to_string(), secrets))
        .collect();
    reasons.join("; ")
}

/// Writes `plan` as a table, newest first.
pub(crate) fn write_plan(
    out: &mut impl Write,
    plan: &PrunePlan,
    secrets: &Secrets,
) -> io::Result<()> {
    let rows: Vec<Vec<String>> = plan
        .decisions
        .iter()
        .map(|d| {
            vec![
                action(d).to_owned(),
                cell(d.backup.backup_id(), secrets),
                d.backup
                    .name()
                    .map_or_else(|| "-".to_owned(), |n| cell(n, secrets)),
                cell(d.backup.status().as_str(), secrets),
                created_column(&d.backup, secrets),
                why(d, secrets),
            ]
        })
        .collect();
    write_aligned(out, &HEADERS, &rows)
}

/// What a prune came to, for its JSON document.
pub(crate) struct Pruned<'a> {
    pub(crate) index: &'a IndexName,
    pub(crate) plan: &'a PrunePlan,
    pub(crate) dry_run: bool,
    /// The deletes' report; `None` when none was tried (a dry run, a refused plan, nothing to
    /// delete).
    pub(crate) report: Option<&'a PruneReport>,
}

impl Pruned<'_> {
    /// The document: `{"index", "server_time", "dry_run", "refused", "plan": [{"action",
    /// "reasons", "backup"}], "deleted": [{"backup_id", "outcome"}], "failed": {"backup_id",
    /// "error"} | null, "not_tried": ["id"]}`. Backups are core's JSON of them; every text
    /// this command adds goes through core's text module.
    pub(crate) fn document(&self, secrets: &Secrets) -> Value {
        let plan: Vec<Value> = self
            .plan
            .decisions
            .iter()
            .map(|d| {
                let reasons: Vec<String> = d.reasons.iter().map(ToString::to_string).collect();
                json!({"action": action(d), "reasons": reasons, "backup": &d.backup})
            })
            .collect();
        let ids = |backups: &mut dyn Iterator<Item = &Backup>| -> Vec<String> {
            backups.map(|b| b.backup_id().to_owned()).collect()
        };
        let (deleted, failed, not_tried) = match self.report {
            Some(report) => (
                report
                    .deleted
                    .iter()
                    .map(|(b, deletion)| {
                        json!({"backup_id": b.backup_id(), "outcome": outcome(*deletion)})
                    })
                    .collect(),
                report.failed.as_ref().map_or(Value::Null, |(b, e)| {
                    json!({"backup_id": b.backup_id(), "error": exit::error_line(e, secrets)})
                }),
                ids(&mut report.not_tried.iter()),
            ),
            None => (Vec::new(), Value::Null, Vec::new()),
        };
        json!({
            "index": self.index.as_str(),
            "server_time": self.plan.server_now.and_then(|t| format_utc(t).ok()),
            "dry_run": self.dry_run,
            "refused": self.plan.refused,
            "plan": plan,
            "deleted": deleted,
            "failed": failed,
            "not_tried": not_tried,
        })
    }
}

/// A delete's outcome as the document names it.
fn outcome(deletion: pinecone_restore_core::Deletion) -> &'static str {
    match deletion {
        pinecone_restore_core::Deletion::AlreadyGone => "already_gone",
        _ => "deleted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pinecone_restore_core::{BackupStatus, OffsetDateTime, Retention, plan_prune};

    fn backup(id: &str, status: BackupStatus, day: i64) -> Backup {
        Backup::new(id, "docs", "ix", status, "aws", "us-east-1")
            .with_name(Some(format!("n-{id}")))
            .with_created_at(OffsetDateTime::from_unix_timestamp(day * 86_400).ok())
    }

    fn plan() -> PrunePlan {
        let backups = [
            backup("a", BackupStatus::Ready, 1),
            backup("b\u{1b}", BackupStatus::Failed, 2),
            backup("c", BackupStatus::Ready, 3),
            backup("d", BackupStatus::Initializing, 4),
        ];
        plan_prune(
            &backups,
            &[],
            &Retention::newest(1),
            OffsetDateTime::from_unix_timestamp(5 * 86_400).ok(),
        )
    }

    #[test]
    fn the_plan_table_says_what_goes_and_why_newest_first() {
        let mut out = Vec::new();
        write_plan(&mut out, &plan(), &Secrets::none()).unwrap();
        let table = String::from_utf8(out).unwrap();
        let expected = "\
ACTION  ID       NAME       STATUS        CREATED               WHY
keep    d        n-d        Initializing  1970-01-05T00:00:00Z  not taken yet
keep    c        n-c        Ready         1970-01-04T00:00:00Z  newest Ready #1
delete  b\\u{1b}  n-b\\u{1b}  Failed        1970-01-03T00:00:00Z  taking it failed
delete  a        n-a        Ready         1970-01-02T00:00:00Z  older than the newest Ready kept
";
        assert_eq!(table, expected);
    }

    #[test]
    fn the_document_holds_the_plan_and_what_came_of_it() {
        let plan = plan();
        let index = IndexName::new("docs").unwrap();
        let dry = Pruned {
            index: &index,
            plan: &plan,
            dry_run: true,
            report: None,
        }
        .document(&Secrets::none());
        assert_eq!(dry["index"], "docs");
        assert_eq!(dry["server_time"], "1970-01-06T00:00:00Z");
        assert_eq!(dry["dry_run"], true);
        assert_eq!(dry["plan"][3]["action"], "delete");
        assert_eq!(dry["plan"][3]["backup"]["backup_id"], "a");
        assert_eq!(dry["plan"][1]["reasons"][0], "newest Ready #1");
        assert_eq!(dry["deleted"], json!([]));
        assert!(dry["failed"].is_null());
    }
}
