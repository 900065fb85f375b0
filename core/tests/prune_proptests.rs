//! The prune plan against a plain model of its rules: it never deletes one of the newest `N`
//! `Ready` backups, one still being taken, one a running restore uses, one younger than the
//! age given, one whose age is unknown; it deletes everything else; running it again on what
//! is left deletes nothing.

use std::collections::BTreeSet;
use std::time::Duration;

use pinecone_restore_core::{
    Backup, BackupStatus, JobStatus, OffsetDateTime, RestoreJob, Retention, plan_prune,
};
use proptest::prelude::*;

const DAY: i64 = 86_400;

fn status() -> impl Strategy<Value = BackupStatus> {
    prop_oneof![
        4 => Just(BackupStatus::Ready),
        1 => Just(BackupStatus::Initializing),
        1 => Just(BackupStatus::Failed),
        1 => Just(BackupStatus::InitializationFailed),
        1 => Just(BackupStatus::Scheduled),
        1 => Just(BackupStatus::Other("Deleting".into())),
    ]
}

fn job_status() -> impl Strategy<Value = JobStatus> {
    prop_oneof![
        Just(JobStatus::Pending),
        Just(JobStatus::Running),
        Just(JobStatus::Completed),
        Just(JobStatus::Failed),
        Just(JobStatus::Cancelled),
    ]
}

/// Up to 12 backups of one index, ids `b0`…, created on day 0..40 (a few on the same day, a
/// few undated).
fn backups() -> impl Strategy<Value = Vec<Backup>> {
    proptest::collection::vec((status(), proptest::option::weighted(0.9, 0i64..40)), 0..12)
        .prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (status, day))| {
                    Backup::new(&format!("b{i}"), "docs", "ix", status, "aws", "us-east-1")
                        .with_created_at(day.and_then(|d| at(d * DAY)))
                })
                .collect()
        })
}

fn at(secs: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// Restore jobs from some of the backups (`b0`…`b11`), in any status.
fn restores() -> impl Strategy<Value = Vec<RestoreJob>> {
    proptest::collection::vec((0usize..12, job_status()), 0..4).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (backup, status))| {
                RestoreJob::new(
                    &format!("rj{i}"),
                    &format!("b{backup}"),
                    "n",
                    "i",
                    status,
                    None,
                )
            })
            .collect()
    })
}

/// The model: the ids a prune may delete, from the rules read plainly.
fn model(
    backups: &[Backup],
    restores: &[RestoreJob],
    keep: usize,
    older_than: Option<Duration>,
    now: Option<OffsetDateTime>,
) -> BTreeSet<String> {
    if older_than.is_some() && now.is_none() {
        return BTreeSet::new();
    }
    let mut ready: Vec<&Backup> = backups
        .iter()
        .filter(|b| *b.status() == BackupStatus::Ready && b.created_at().is_some())
        .collect();
    ready.sort_by(|a, b| (b.created_at(), b.backup_id()).cmp(&(a.created_at(), a.backup_id())));
    let newest: BTreeSet<&str> = ready.iter().take(keep).map(|b| b.backup_id()).collect();
    let in_use: BTreeSet<&str> = restores
        .iter()
        .filter(|j| {
            !matches!(
                j.status(),
                JobStatus::Completed | JobStatus::Failed | JobStatus::Cancelled
            )
        })
        .map(|j| j.backup_id())
        .collect();
    backups
        .iter()
        .filter(|b| {
            let status = b.status();
            let settled = matches!(
                status,
                BackupStatus::Ready | BackupStatus::Failed | BackupStatus::InitializationFailed
            );
            let young = match (b.created_at(), older_than, now) {
                (Some(created), Some(age), Some(now)) => {
                    created + time::Duration::try_from(age).unwrap() > now
                        || created + time::Duration::try_from(age).unwrap() == now
                }
                _ => false,
            };
            !newest.contains(b.backup_id())
                && settled
                && !in_use.contains(b.backup_id())
                && b.created_at().is_some()
                && !young
        })
        .map(|b| b.backup_id().to_owned())
        .collect()
}

proptest! {
    #[test]
    fn the_plan_deletes_exactly_what_the_rules_allow_and_never_twice(
        backups in backups(),
        restores in restores(),
        keep in 0usize..5,
        age_days in proptest::option::of(0u64..30),
        now_day in proptest::option::weighted(0.9, 0i64..60),
    ) {
        let older_than = age_days.map(|d| Duration::from_secs(d * DAY as u64));
        let now = now_day.and_then(|d| at(d * DAY));
        let mut retention = Retention::newest(keep);
        if let Some(age) = older_than {
            retention = retention.older_than(age);
        }
        let plan = plan_prune(&backups, &restores, &retention, now);
        let deleted: BTreeSet<String> = plan.to_delete().map(|b| b.backup_id().to_owned()).collect();
        prop_assert_eq!(&deleted, &model(&backups, &restores, keep, older_than, now));
        prop_assert_eq!(plan.decisions.len(), backups.len());
        prop_assert_eq!(plan.refused, older_than.is_some() && now.is_none());
        // every decision says why, and a kept one never carries a delete reason
        for decision in &plan.decisions {
            prop_assert!(!decision.reasons.is_empty());
            prop_assert_eq!(decision.keep, !deleted.contains(decision.backup.backup_id()));
        }
        // what is left holds no more to delete
        let left: Vec<Backup> = backups
            .iter()
            .filter(|b| !deleted.contains(b.backup_id()))
            .cloned()
            .collect();
        let again = plan_prune(&left, &restores, &retention, now);
        prop_assert_eq!(again.to_delete().count(), 0);
        // and the newest `keep` Ready are all still there
        let kept_ready = left
            .iter()
            .filter(|b| *b.status() == BackupStatus::Ready && b.created_at().is_some())
            .count();
        let all_ready = backups
            .iter()
            .filter(|b| *b.status() == BackupStatus::Ready && b.created_at().is_some())
            .count();
        prop_assert!(kept_ready >= keep.min(all_ready));
    }
}
