//! Backups over generated inputs: model -> JSON -> parse == model under every version, and the
//! newest-Ready pick against a plain model of it.

use pinecone_restore_core::{
    ApiVersion, Backup, BackupPage, BackupStatus, OffsetDateTime, PaginationToken, newest_ready,
    parse_backup, parse_backup_page,
};
use proptest::prelude::*;

#[path = "support/strategies.rs"]
mod strategies;
use strategies::instant;

fn status() -> impl Strategy<Value = BackupStatus> {
    prop_oneof![
        Just(BackupStatus::Initializing),
        Just(BackupStatus::Ready),
        Just(BackupStatus::Failed),
        Just(BackupStatus::Scheduled),
        "[A-Za-z ]{0,12}".prop_map(|s| BackupStatus::from_text(&s)),
    ]
}

/// A schema object as JSON text: field names with a `filterable` flag.
fn schema() -> impl Strategy<Value = String> {
    proptest::collection::btree_map(".{0,12}", any::<bool>(), 0..4).prop_map(|fields| {
        let fields: serde_json::Map<String, serde_json::Value> = fields
            .into_iter()
            .map(|(name, filterable)| (name, serde_json::json!({ "filterable": filterable })))
            .collect();
        serde_json::json!({ "fields": fields }).to_string()
    })
}

fn tags() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::btree_map(".{0,12}", ".{0,12}", 0..5)
        .prop_map(|tags| tags.into_iter().rev().collect())
}

/// Backups holding only what `version` defines.
fn backup(version: &ApiVersion) -> impl Strategy<Value = Backup> + use<> {
    let dimension_and_metric = !version.lists_deleted_sources();
    let has_schema = *version != ApiVersion::V2025_04;
    let deleted = version.lists_deleted_sources();
    let required = (
        "[^\u{0}]{1,40}",
        ".{0,40}",
        ".{0,40}",
        status(),
        ".{0,10}",
        ".{0,20}",
    );
    let optional = (
        proptest::option::of(".{0,40}"),
        proptest::option::of(".{0,40}"),
        proptest::option::of((1u32..=20_000, proptest::option::of("[a-z]{0,12}"))),
        proptest::option::of(schema()),
        proptest::option::of((any::<i64>(), any::<i64>(), any::<i64>())),
        proptest::option::of(tags()),
        // a date-time from 2026-07; before, a plain string that may not be one
        proptest::option::of(prop_oneof![
            instant().prop_map(Ok),
            "[a-z][a-z ]{0,20}".prop_map(Err),
        ]),
        proptest::option::of(instant()),
    );
    (required, optional).prop_map(
        move |(
            (id, index, index_id, status, cloud, region),
            (name, description, dimension, schema, counts, tags, created, deleted_at),
        )| {
            let (dimension, metric) = match dimension.filter(|_| dimension_and_metric) {
                Some((d, metric)) => (Some(d), metric),
                None => (None, None),
            };
            let (records, namespaces, size) = match counts {
                Some((r, n, s)) => (Some(r), Some(n), Some(s)),
                None => (None, None, None),
            };
            Backup::new(&id, &index, &index_id, status, &cloud, &region)
                .with_name(name)
                .with_description(description)
                .with_dimension_and_metric(dimension, metric)
                .with_schema(schema.filter(|_| has_schema))
                .with_counts(records, namespaces, size)
                .with_tags(tags)
                .with_created_at(created.clone().and_then(Result::ok))
                .with_created_at_text(created.and_then(Result::err).filter(|_| !deleted))
                .with_source_index_deleted_at(deleted_at.filter(|_| deleted))
        },
    )
}

fn any_version() -> impl Strategy<Value = ApiVersion> {
    prop_oneof![
        Just(ApiVersion::V2025_04),
        Just(ApiVersion::V2025_10),
        Just(ApiVersion::V2026_04),
        Just(ApiVersion::V2026_07),
    ]
}

/// A version and backups of its shape.
fn backups_of_a_version() -> impl Strategy<Value = (ApiVersion, Vec<Backup>)> {
    any_version().prop_flat_map(|version| {
        let backups = proptest::collection::vec(backup(&version), 0..6);
        (Just(version), backups)
    })
}

/// The page as the API writes it (by hand: a `serde_json::Value` would sort the tags).
fn page_json(backups: &[Backup], next: Option<&str>) -> Vec<u8> {
    let data: Vec<String> = backups
        .iter()
        .map(|b| serde_json::to_string(b).unwrap())
        .collect();
    let next =
        serde_json::to_string(&next.map(|next| serde_json::json!({ "next": next }))).unwrap();
    format!(r#"{{"data":[{}],"pagination":{next}}}"#, data.join(",")).into_bytes()
}

proptest! {
    #[test]
    fn model_to_json_to_model_under_every_version(
        (version, backups) in backups_of_a_version(),
        next in proptest::option::of("[A-Za-z0-9+/=]{1,30}"),
    ) {
        let body = page_json(&backups, next.as_deref());
        let page: BackupPage = parse_backup_page(&body, &version).unwrap();
        prop_assert_eq!(&page.backups, &backups);
        prop_assert_eq!(page.next.as_ref().map(PaginationToken::as_str), next.as_deref());
        for backup in &backups {
            let body = serde_json::to_vec(backup).unwrap();
            prop_assert_eq!(&parse_backup(&body, &version).unwrap(), backup);
        }
    }

    #[test]
    fn the_pick_is_the_newest_ready_whatever_the_order(
        mut backups in proptest::collection::vec(
            (0u8..4, proptest::option::of(0i64..5), "[a-c]{1,2}"), 0..8),
        seed in any::<u64>(),
    ) {
        let backups: Vec<Backup> = backups
            .drain(..)
            .map(|(status, at, id)| {
                let status = [BackupStatus::Ready, BackupStatus::Failed,
                    BackupStatus::Initializing, BackupStatus::Scheduled][usize::from(status)].clone();
                Backup::new(&id, "i", "ii", status, "aws", "r")
                    .with_created_at(at.map(|s| OffsetDateTime::from_unix_timestamp(s).unwrap()))
            })
            .collect();
        // the model: among Ready, the greatest (created_at, id), undated below every date
        let ready: Vec<&Backup> =
            backups.iter().filter(|b| b.status() == &BackupStatus::Ready).collect();
        let best = ready.iter().map(|b| (b.created_at(), b.backup_id())).max();
        let picked = newest_ready(&backups).map(|b| (b.created_at(), b.backup_id()));
        prop_assert_eq!(picked, best);
        // the same pick in any other order
        let mut shuffled: Vec<&Backup> = backups.iter().collect();
        let len = shuffled.len().max(1);
        shuffled.rotate_left(usize::try_from(seed).unwrap_or(0) % len);
        shuffled.reverse();
        let again = newest_ready(shuffled).map(|b| (b.created_at(), b.backup_id()));
        prop_assert_eq!(again, best);
        if let Some(undated) = ready.iter().find(|b| b.created_at().is_none())
            && ready.iter().any(|b| b.created_at().is_some())
        {
            prop_assert_ne!(newest_ready(&backups), Some(*undated));
        }
    }
}
