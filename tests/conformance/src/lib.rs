//! The conformance kit: one set of scenarios, written once, that every adapter of
//! `pinecone-restore-core` passes.
//!
//! An adapter implements [`Adapter`] (build a client from a core [`Config`], run any
//! operation with its generic driver, walk any listing with its walk type) and calls
//! [`scenarios!`] in one test file; every scenario becomes one `#[test]`. The scenarios reach
//! every endpoint through those drivers ([`api`]), so a new endpoint needs no new trait method
//! and no new adapter impl. The scenarios run against mockito (exact headers,
//! statuses, pagination, retries), raw `TcpListener` servers for what mockito cannot do
//! (stalls, drips, resets, truncated, endless and corrupt bodies, redirects to a second
//! listener that records whether the key arrived) and the fake control plane (whole walks,
//! waits, every API version, starting restores and recovering them).
//!
//! A scenario that fits one adapter only says why in one line where it is skipped.
//!
//! Every server binds `127.0.0.1` on port 0.

#![forbid(unsafe_code)]

use std::time::Duration;

use pinecone_restore_core::{
    ApiKey, Config, ConfigBuilder, Error, Limit, Listing, Operation, PaginationToken, RetryPolicy,
};

pub mod api;
pub mod backups;
pub mod fake;
pub mod hostile;
pub mod lifecycle;
pub mod mock;
pub mod raw;
pub mod schedules;
pub mod several;
pub mod start;
pub mod support;
pub mod tls;
pub mod versions;

pub use api::*;

/// A key distinctive enough that finding it in any output is certainly a leak.
pub const KEY: &str = "pcsk_conformance-key_0123456789";

/// What a walk gave: every item until the walk ended (or until the items asked for), how it
/// ended, and the walk's counters.
#[derive(Debug)]
pub struct Walked<T> {
    /// The items yielded, in order.
    pub items: Vec<T>,
    /// The error that ended the walk, if any.
    pub error: Option<Error>,
    /// Pages fetched.
    pub pages: u64,
    /// Items left out because an earlier page had them.
    pub duplicates: u64,
    /// Where a new walk would resume.
    pub resume_token: Option<PaginationToken>,
}

/// One transport, as the scenarios drive it: how its client is built, and its two generic
/// drivers. Every endpoint, walk, wait and create reaches the adapter through these, so a new
/// endpoint needs nothing here (see [`api`] for the scenarios' helpers).
pub trait Adapter {
    /// The adapter's client.
    type Client: std::fmt::Debug;

    /// A client for `config`, with this adapter's other settings at their defaults, or what
    /// the adapter refuses when building it (a CA file it cannot use, …).
    ///
    /// # Errors
    ///
    /// What the adapter refuses.
    fn try_client(config: Config) -> Result<Self::Client, Error>;

    /// A client built through the adapter's own builder, with an explicit proxy.
    ///
    /// # Errors
    ///
    /// What the builder refuses.
    fn client_with_proxy(config: ConfigBuilder, proxy: &str) -> Result<Self::Client, Error>;

    /// The client's configuration, which operations are made from.
    fn config(client: &Self::Client) -> &Config;

    /// Drives `op` to its end with the adapter's generic driver: its result and every item
    /// it handed out.
    fn run<O>(client: &Self::Client, op: &mut O) -> (Result<O::Output, Error>, Vec<O::Item>)
    where
        O: Operation + Send,
        O::Output: Send,
        O::Item: Send;

    /// Walks `listing` from `from` with the adapter's own walk type (its iterator or stream),
    /// `limit` a page, until it ends or `take` items were yielded; the walk is then dropped.
    fn walk<L: Listing>(
        client: &Self::Client,
        listing: L,
        limit: Option<Limit>,
        from: Option<&PaginationToken>,
        take: Option<usize>,
    ) -> Walked<L::Item>;
}

/// A client of adapter `A` for `config`, which it must take.
pub fn build<A: Adapter>(config: Config) -> A::Client {
    A::try_client(config).unwrap_or_else(|e| panic!("{e}"))
}

/// A configuration for `base` with quick retries (10 ms base delay, 50 ms cap, 10 ms floor).
pub fn config(base: &str) -> ConfigBuilder {
    let mut policy = RetryPolicy::default();
    policy.base_delay = Duration::from_millis(10);
    policy.max_delay = Duration::from_millis(50);
    policy.min_delay = Duration::from_millis(10);
    Config::builder(ApiKey::new(KEY).unwrap_or_else(|e| panic!("{e}")))
        .base_url(base)
        .retry_policy(policy)
}

/// A client of adapter `A` for `base` with quick retries.
pub fn client<A: Adapter>(base: &str) -> A::Client {
    build::<A>(config(base).build().unwrap_or_else(|e| panic!("{e}")))
}

/// A client of adapter `A` for `config`.
pub fn client_with<A: Adapter>(config: ConfigBuilder) -> A::Client {
    build::<A>(config.build().unwrap_or_else(|e| panic!("{e}")))
}

/// Asserts that `e` shows the key nowhere.
pub fn no_key_in(e: &Error) {
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(KEY), "the key shows: {shown}");
}

/// One `#[test]` per scenario, for adapter `$adapter`.
#[macro_export]
macro_rules! scenarios {
    ($adapter:ty) => {
        $crate::scenarios!(@each $adapter;
            mock: every_request_carries_key_version_and_user_agent,
            mock: tokens_and_ids_are_percent_encoded,
            mock: a_walk_over_overlapping_pages_yields_each_job_once,
            mock: a_server_that_hands_back_a_visited_token_is_caught,
            mock: a_503_with_retry_after_is_retried_after_that_long,
            mock: retries_stop_at_the_policy_limit_with_the_last_answer,
            mock: client_errors_are_never_retried,
            mock: an_html_error_page_from_a_proxy_is_an_api_error,
            mock: a_200_with_an_empty_body_is_an_invalid_response,
            mock: a_server_echoing_the_key_does_not_get_it_into_errors,
            mock: retry_after_zero_with_the_most_retries_sends_a_bounded_number_of_requests,
            mock: a_retry_after_beyond_the_cap_gives_up_at_once,
            raw: sends_exactly_the_headers_core_built,
            raw: a_redirect_is_not_followed_and_the_key_stays_home,
            raw: a_server_that_never_answers_hits_the_request_timeout,
            raw: a_timeout_is_retried_and_the_retry_succeeds,
            raw: a_body_dripping_a_byte_a_second_hits_the_request_timeout,
            raw: a_reset_in_the_middle_of_the_body_is_closed_early,
            raw: a_reset_on_a_get_is_retried,
            raw: a_body_shorter_than_its_content_length_is_closed_early,
            raw: an_endless_body_stops_at_the_cap,
            raw: a_corrupt_gzip_body_is_an_invalid_response,
            raw: the_cap_applies_to_the_decompressed_size,
            raw: a_gzip_body_is_decompressed,
            raw: a_refused_connection_is_a_connect_error,
            hostile: the_key_sent_back_as_a_token_never_shows,
            hostile: fresh_tokens_forever_stop_the_walk,
            hostile: a_growing_token_is_refused_before_it_is_sent,
            hostile: a_wait_against_a_stalling_server_ends_at_its_deadline,
            hostile: a_reset_during_a_wait_is_retried,
            fake: a_walk_over_overlapping_pages_sees_every_job_once_on_one_connection,
            fake: a_base_url_with_a_path_prefix_is_kept,
            fake: waiting_on_a_progressing_job_sees_every_snapshot_until_completed,
            fake: waiting_tolerates_early_not_found,
            fake: waiting_on_a_failing_job_ends_without_an_error,
            fake: waiting_past_the_deadline_returns_the_last_snapshot,
            fake: waiting_on_an_unknown_job_fails_after_the_tolerated_404s,
            fake: a_429_is_retried_after_its_retry_after,
            fake: an_html_502_then_an_empty_503_are_retried,
            fake: a_wrong_key_is_a_401_sent_once,
            fake: describing_an_unknown_job_is_not_found,
            fake: dropping_a_walk_sends_no_more_requests,
            fake: debug_output_never_shows_the_key,
            fake: a_bad_proxy_is_refused_before_anything_is_sent,
            several: several_waits_end_completed_failed_and_past_the_deadline,
            several: a_job_that_cannot_be_described_does_not_stop_the_others,
            several: several_waits_over_no_job_send_nothing,
            several: several_backups_of_one_index_are_followed_by_its_listing,
            versions: every_version_lists_describes_and_waits_by_its_own_rules,
            versions: a_401_in_plain_text_is_the_error_message,
            versions: an_unknown_version_is_sent_as_given,
            start: a_restore_starts_and_a_second_start_with_the_name_conflicts,
            start: the_body_and_its_content_type_arrive,
            start: every_documented_refusal_is_an_api_error,
            start: a_refusal_to_process_is_retried_safely,
            start: a_lost_answer_is_recovered_through_the_409,
            start: a_5xx_after_the_restore_started_is_recovered,
            start: a_timeout_after_the_restore_started_is_recovered,
            start: a_dropped_request_that_did_not_start_is_retried,
            start: a_restore_started_and_waited_on,
            start: someone_elses_earlier_restore_into_the_name_is_not_claimed,
            start: the_old_restore_of_a_deleted_index_is_not_claimed,
            start: a_lost_answer_is_recovered_whatever_the_server_clock,
            tls: a_walk_and_a_wait_run_over_https,
            tls: a_start_and_its_recovery_run_over_https,
            tls: https_through_a_connect_proxy_arrives_and_the_proxy_never_sees_the_key,
            tls: the_system_store_is_used_when_asked_and_extra_roots_join_it,
            tls: a_bad_ca_file_is_refused_before_anything_is_sent,
            tls: every_failure_is_named_by_what_happened,
            backups: both_listings_walk_every_page_each_backup_once,
            backups: an_unknown_index_is_a_404_with_the_servers_message,
            backups: include_deleted_is_refused_before_2026_07_and_sent_after,
            backups: a_backup_is_described_by_its_encoded_id,
            backups: the_newest_ready_backup_is_picked_across_pages,
            backups: an_index_without_a_ready_backup_picks_none,
            backups: a_backup_listing_is_retried_and_bounded_like_any_walk,
            backups: fake_backup_walks_cover_the_project_and_one_index_over_pages,
            backups: fake_unknown_index_is_not_found_with_its_message,
            backups: fake_describe_backup_in_every_version,
            backups: fake_restore_from_the_newest_ready_backup_of_an_index,
            backups: fake_include_deleted_lists_a_deleted_indexs_backups,
            lifecycle: a_backup_create_sends_its_body_and_takes_each_versions_status,
            lifecycle: a_lost_create_answer_is_claimed_and_never_makes_two,
            lifecycle: a_backup_of_the_name_not_surely_ours_is_not_claimed,
            lifecycle: new_backups_are_waited_on_to_their_ends,
            lifecycle: a_delete_is_deleted_gone_not_found_or_in_use,
            lifecycle: a_prune_deletes_what_its_plan_deletes_and_then_nothing,
            lifecycle: a_prune_without_complete_listings_or_a_clock_deletes_nothing,
            schedules: a_schedule_create_sends_its_body_and_takes_200,
            schedules: an_update_sends_only_what_changes_and_a_delete_takes_204,
            schedules: schedule_listings_and_history_walk_encoded_tokens,
            schedules: every_schedule_operation_is_refused_before_2026_07,
            schedules: a_server_echoing_the_key_does_not_get_it_into_schedule_errors,
            schedules: a_schedule_is_created_described_listed_changed_and_deleted,
            schedules: schedule_refusals_are_403_for_the_plan_and_404_for_the_unknown,
            schedules: a_lost_delete_is_already_gone_and_a_lost_update_is_sent_again,
            schedules: a_lost_schedule_create_is_recovered_and_never_makes_two,
            schedules: a_lost_schedule_create_is_claimed_on_the_servers_clock_only,
            schedules: someone_elses_schedule_of_the_name_is_not_claimed,
            schedules: a_schedules_history_grows_as_the_clock_passes_its_runs,
        );
    };
    (@each $adapter:ty; $($module:ident: $name:ident,)*) => {
        $(
            #[test]
            fn $name() {
                $crate::$module::$name::<$adapter>();
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    /// Every public scenario function is listed in `scenarios!`, so none is forgotten.
    #[test]
    fn every_scenario_is_registered() {
        let lib = include_str!("lib.rs");
        for (module, source) in [
            ("mock", include_str!("mock.rs")),
            ("raw", include_str!("raw.rs")),
            ("hostile", include_str!("hostile.rs")),
            ("fake", include_str!("fake.rs")),
            ("several", include_str!("several.rs")),
            ("versions", include_str!("versions.rs")),
            ("start", include_str!("start.rs")),
            ("tls", include_str!("tls.rs")),
            ("backups", include_str!("backups.rs")),
            ("lifecycle", include_str!("lifecycle.rs")),
            ("schedules", include_str!("schedules.rs")),
        ] {
            for line in source.lines() {
                if let Some(rest) = line.strip_prefix("pub fn ") {
                    let name = rest.split('<').next().unwrap_or(rest);
                    assert!(
                        lib.contains(&format!("{module}: {name},")),
                        "scenario {module}::{name} is not in scenarios!"
                    );
                }
            }
        }
    }
}
