//! Backup schedules over generated inputs: model -> JSON -> parse == model, for one schedule,
//! a page of them, and the bodies a create or an update sends.

use pinecone_restore_core::{
    ApiVersion, BackupSchedule, CreateSchedule, Frequency, PaginationToken, RetainDays,
    ScheduleName, UpdateSchedule, parse_schedule, parse_schedule_page,
};
use proptest::prelude::*;

#[path = "support/strategies.rs"]
mod strategies;
use strategies::instant;

const V: ApiVersion = ApiVersion::V2026_07;

fn frequency() -> impl Strategy<Value = Frequency> {
    prop_oneof![
        Just(Frequency::Daily),
        Just(Frequency::Weekly),
        Just(Frequency::Monthly),
        ".{0,12}".prop_map(|s| Frequency::from_text(&s)),
    ]
}

fn schedule() -> impl Strategy<Value = BackupSchedule> {
    (
        ("[^\u{0}]{1,40}", ".{0,40}", ".{0,40}", ".{0,40}"),
        frequency(),
        1u32..=i32::MAX as u32,
        any::<bool>(),
        proptest::option::of(instant()),
        instant(),
    )
        .prop_map(
            |((id, name, index, project), frequency, days, enabled, next, created)| {
                BackupSchedule::new(&id, &name, &index, &project, frequency, days, created)
                    .with_state(enabled, next)
            },
        )
}

proptest! {
    #[test]
    fn a_schedule_reads_back_as_written(schedule in schedule()) {
        let json = serde_json::to_vec(&schedule).unwrap();
        prop_assert_eq!(parse_schedule(&json, &V).unwrap(), schedule);
    }

    #[test]
    fn a_page_reads_back_as_written(
        schedules in proptest::collection::vec(schedule(), 0..5),
        next in proptest::option::of("[A-Za-z0-9+/=]{1,64}"),
    ) {
        let data: Vec<serde_json::Value> =
            schedules.iter().map(|s| serde_json::to_value(s).unwrap()).collect();
        let body = serde_json::json!({
            "data": data,
            "pagination": next.as_ref().map(|t| serde_json::json!({ "next": t })),
        });
        let page = parse_schedule_page(body.to_string().as_bytes(), &V).unwrap();
        prop_assert_eq!(&page.schedules, &schedules);
        prop_assert_eq!(page.next, next.map(|t| PaginationToken::new(t).unwrap()));
    }

    #[test]
    fn a_create_and_an_update_send_what_they_were_given(
        name in "[^\\p{C}]{1,60}".prop_filter("shown as typed", |n| {
            !n.chars().any(pinecone_restore_core::text::needs_escape)
        }),
        known in 0usize..3,
        days in 1u32..=i32::MAX as u32,
        enabled in proptest::option::of(any::<bool>()),
        frequency in proptest::option::of(0usize..3),
        retain in proptest::option::of(1u32..100_000),
    ) {
        let frequency_of = |k: usize| Frequency::KNOWN[k].clone();
        let create = CreateSchedule::new(
            ScheduleName::new(name.clone()).unwrap(),
            frequency_of(known),
            RetainDays::new(days).unwrap(),
        );
        let sent: serde_json::Value = serde_json::from_slice(&create.to_json()).unwrap();
        prop_assert_eq!(&sent["name"], &serde_json::json!(name));
        prop_assert_eq!(&sent["schedule"]["type"], "time-based");
        let chosen = frequency_of(known);
        prop_assert_eq!(sent["schedule"]["frequency"].as_str(), Some(chosen.as_str()));
        prop_assert_eq!(sent["retention"]["expire_after_days"].as_u64(), Some(u64::from(days)));

        let mut update = UpdateSchedule::new();
        if let Some(e) = enabled { update = update.enabled(e); }
        if let Some(f) = frequency { update = update.frequency(frequency_of(f)); }
        if let Some(r) = retain { update = update.retain(RetainDays::new(r).unwrap()); }
        let sent: serde_json::Value = serde_json::from_slice(&update.to_json()).unwrap();
        let object = sent.as_object().unwrap();
        prop_assert_eq!(object.len(), usize::from(enabled.is_some()) + usize::from(frequency.is_some()) + usize::from(retain.is_some()));
        prop_assert_eq!(object.get("enabled").and_then(|v| v.as_bool()), enabled);
        prop_assert_eq!(
            object.get("retention").and_then(|r| r["expire_after_days"].as_u64()),
            retain.map(u64::from)
        );
        prop_assert_eq!(update.is_empty(), object.is_empty());
    }
}
