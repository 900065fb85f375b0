//! Replays every committed fuzz input (the seed corpus and the regressions) through the fuzz
//! targets' own checks, so plain `cargo test` on stable keeps them passing.
//!
//! The checks are `fuzz/src/checks/`, included here as the fuzz targets use them. A new crash
//! found by `cargo +nightly fuzz run <target>` becomes a regression by copying the minimized
//! input into `fuzz/regressions/<target>/`, in the same commit as the fix.

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

#[allow(unreachable_pub, dead_code, unused_imports)]
#[path = "../../fuzz/src/checks/mod.rs"]
mod checks;

const TARGETS: [&str; 13] = [
    "list_page",
    "job",
    "error_response",
    "request_build",
    "walk",
    "started_restore",
    "create_request",
    "operations",
    "shape",
    "differential",
    "backup",
    "wait_rounds",
    "schedule",
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The input files of every target in `fuzz/<kind>/<target>/`, sorted; a README is not
/// an input.
fn inputs(kind: &str) -> Vec<(&'static str, PathBuf)> {
    let mut found = Vec::new();
    for target in TARGETS {
        let dir = fuzz_dir().join(kind).join(target);
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_file() && !name.starts_with("README") && !name.starts_with('.') {
                found.push((target, path));
            }
        }
    }
    found.sort();
    found
}

/// Replays one input: `true` when every check passed.
fn passes(target: &str, path: &Path) -> bool {
    let data = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match panic::catch_unwind(|| checks::replay(target, &data)) {
        Ok(known) => {
            assert!(known, "{}: unknown target {target}", path.display());
            true
        }
        Err(_) => false,
    }
}

/// Replays each input, collecting every failure rather than stopping at the first.
fn replay_all(kind: &str) -> usize {
    let inputs = inputs(kind);
    let mut failures = Vec::new();
    for (target, path) in &inputs {
        if !passes(target, path) {
            failures.push(format!("{target}: {}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs failed (messages above):\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
    inputs.len()
}

#[test]
fn seed_corpus() {
    let replayed = replay_all("corpus");
    for target in TARGETS {
        assert!(
            inputs("corpus").iter().any(|(t, _)| *t == target),
            "no seed for {target} in fuzz/corpus/{target}/"
        );
    }
    assert!(replayed >= TARGETS.len());
}

/// Every `[[bin]]` of `fuzz/Cargo.toml` is in [`TARGETS`], so its corpus and regressions are
/// replayed here, and every name in [`TARGETS`] is a target.
#[test]
fn every_fuzz_target_is_replayed() {
    let manifest = fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    let mut bins: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|section| {
            let line = section
                .lines()
                .find(|l| l.trim_start().starts_with("name"))?;
            line.split('"').nth(1)
        })
        .collect();
    bins.sort_unstable();
    let mut targets = TARGETS.to_vec();
    targets.sort_unstable();
    assert_eq!(
        bins, targets,
        "fuzz/Cargo.toml's targets and TARGETS differ"
    );
}

#[test]
fn regressions() {
    replay_all("regressions");
}

// ---- the operations check on the scenarios ----------------------------------------
//
// Byte mutation reaches a start's lookup rarely; these scenarios drive the `operations` check
// through the false claims it exists to catch, so that a start that claimed them would fail
// here too (with the old five-minute window, the first two do).

mod start_scenarios {
    use pinecone_restore_core::{Error, StartedRestore};

    use super::checks::{
        BodyInput, JobInput, OpKind, OperationsInput, OutcomeInput, PolicyInput, run_operations,
    };

    /// Index of a status in the check's `STATUSES`.
    const S200: u8 = 0;
    const S409: u8 = 11;
    const S500: u8 = 15;
    /// Index of `Closed` in the check's transport kinds.
    const CLOSED: u8 = 3;

    fn answer(status: u8, body: BodyInput, took_effect: bool) -> OutcomeInput {
        OutcomeInput::Answer {
            status,
            retry_after: None,
            body,
            hostile_headers: false,
            latency_ms: 40,
            took_effect,
        }
    }

    fn conflict() -> OutcomeInput {
        let body = BodyInput::ApiError {
            code: 0, // ALREADY_EXISTS
            key_in_message: false,
        };
        answer(S409, body, false)
    }

    /// A listing of one other client's job for the start's backup and name, created `secs`
    /// after the simulation began on the server's clock (the start's own jobs are listed too).
    fn listing(secs: Option<i16>, status: u8) -> OutcomeInput {
        let theirs = JobInput {
            id: 7,
            our_backup: true,
            our_name: true,
            created: secs,
            status,
        };
        let body = BodyInput::Page {
            jobs: vec![theirs],
            next: None,
        };
        answer(S200, body, false)
    }

    fn start(
        script: Vec<OutcomeInput>,
        max_retries: u8,
        server_ahead_ms: i32,
        dates: bool,
    ) -> Result<StartedRestore, Error> {
        let input = OperationsInput {
            op: OpKind::Start,
            version: 0,
            policy: PolicyInput {
                max_retries,
                base_delay_ms: 100,
                max_delay_ms: 1000,
                min_delay_ms: 100,
                max_retry_after_s: 30,
                budget_ms: 120_000,
            },
            request_timeout_ms: 29_999,
            interval_ms: 0,
            wait_timeout_ms: None,
            not_found_tolerance: 0,
            max_pages: None,
            script,
            random: 0,
            server_ahead_ms,
            dates,
            date_at: 128,
        };
        run_operations(input)
            .started
            .expect("a start gives its result")
    }

    const OFFSETS: [i32; 5] = [-3_600_000, -90_000, 0, 90_000, 3_600_000];

    #[test]
    fn someone_elses_restore_from_before_our_first_attempt_is_not_claimed() {
        for ahead in OFFSETS {
            for before in [200, 20, 2] {
                let script = vec![
                    answer(S500, BodyInput::Empty, false),
                    conflict(),
                    listing(Some(-before), 0),
                ];
                let result = start(script, 3, ahead, true);
                let e = result.expect_err("not ours");
                assert_eq!(e.status(), Some(409), "{ahead} {before}: {e}");
            }
        }
    }

    #[test]
    fn the_old_restore_of_a_deleted_index_is_not_claimed() {
        for ahead in OFFSETS {
            let reset = OutcomeInput::Fail {
                kind: CLOSED,
                latency_ms: 30,
                took_effect: false,
            };
            let script = vec![reset.clone(), reset, listing(Some(-3600), 2)];
            let e = start(script, 1, ahead, true).expect_err("not ours");
            assert!(e.is_transport(), "{ahead}: {e:?}");
        }
    }

    #[test]
    fn our_own_lost_restore_is_recovered_and_without_a_date_only_named() {
        for ahead in OFFSETS {
            for dates in [true, false] {
                let lost = OutcomeInput::Fail {
                    kind: CLOSED,
                    latency_ms: 30,
                    took_effect: true,
                };
                let script = vec![lost, conflict(), listing(Some(-200), 0)];
                let result = start(script, 3, ahead, dates);
                if dates {
                    let started = result.unwrap_or_else(|e| panic!("{ahead}: {e}"));
                    assert!(started.recovered());
                    assert_eq!(started.restore_job_id(), "rj-ours-0");
                } else {
                    assert_eq!(result.unwrap_err().status(), Some(409), "{ahead}");
                }
            }
        }
    }

    #[test]
    fn a_job_no_client_can_tell_from_ours_is_the_one_allowed_exception() {
        // another client's restore of the same backup into the same name, started while our
        // lost attempt was in flight: claimed, and the check recognises the case
        let stall = OutcomeInput::Stall { took_effect: false };
        let script = vec![stall, conflict(), listing(Some(10), 1)];
        let started = start(script, 3, 90_000, true).unwrap_or_else(|e| panic!("{e}"));
        assert!(started.recovered());
        assert_eq!(started.restore_job_id(), "rj-7");
    }
}

// ---- the operations check on waits over several jobs --------------------------------------
//
// The fuzzer reaches a wait on three jobs from any input; these scripts make sure the check's
// promises for it (one end per job, whatever the others' were; one deadline for all) are
// replayed on stable too, on a mix of every kind of end.

mod wait_all_scenarios {
    use super::checks::{
        BodyInput, JobInput, OpKind, OperationsInput, OutcomeInput, PolicyInput, run_operations,
    };

    /// Index of a status in the check's `STATUSES`.
    const S200: u8 = 0;
    const S404: u8 = 9;
    const S503: u8 = 17;

    fn answer(status: u8, body: BodyInput) -> OutcomeInput {
        OutcomeInput::Answer {
            status,
            retry_after: None,
            body,
            hostile_headers: true,
            latency_ms: 40,
            took_effect: false,
        }
    }

    /// A job answer; `status` 0 Completed, 1 Pending, 2 Failed, 3 Cancelled.
    fn job(status: u8) -> OutcomeInput {
        let job = JobInput {
            id: 1,
            our_backup: false,
            our_name: false,
            created: None,
            status,
        };
        answer(S200, BodyInput::Job(job))
    }

    fn refused(status: u8) -> OutcomeInput {
        let body = BodyInput::ApiError {
            code: 3,
            key_in_message: true,
        };
        answer(status, body)
    }

    fn wait_all(script: Vec<OutcomeInput>, wait_timeout_ms: Option<u32>) {
        let input = OperationsInput {
            op: OpKind::WaitAll,
            version: 0,
            policy: PolicyInput {
                max_retries: 2,
                base_delay_ms: 100,
                max_delay_ms: 1000,
                min_delay_ms: 100,
                max_retry_after_s: 30,
                budget_ms: 20_000,
            },
            request_timeout_ms: 4_999,
            interval_ms: 1_000,
            wait_timeout_ms,
            not_found_tolerance: 1,
            max_pages: None,
            script,
            random: 7,
            server_ahead_ms: 0,
            dates: true,
            date_at: 128,
        };
        assert!(
            run_operations(input).started.is_none(),
            "a wait gives no start result"
        );
    }

    #[test]
    fn every_kind_of_end_under_one_deadline_passes_the_check() {
        let stall = OutcomeInput::Stall { took_effect: false };
        let script = vec![
            job(1),
            refused(S404),
            stall.clone(),
            job(1),
            refused(S404),
            refused(S503),
            job(2),
            stall,
            job(1),
            job(0),
        ];
        for timeout in [None, Some(0), Some(2_500), Some(9_000), Some(60_000)] {
            wait_all(script.clone(), timeout);
        }
    }
}

// ---- the operations check on a backup's create and a prune ---------------------------------
//
// The paths the fuzzer must keep honest, replayed on stable: a lost create found and claimed
// (and never made twice), one that did nothing sent again once, another client's backup of our
// name never claimed; a prune whose listing fails deletes nothing.

mod backup_scenarios {
    use super::checks::{
        BodyInput, JobInput, OpKind, OperationsInput, OutcomeInput, PolicyInput, Ran,
        run_operations,
    };

    const S200: u8 = 0;
    const S202: u8 = 2;
    const S500: u8 = 15;
    const S503: u8 = 17;
    const CLOSED: u8 = 3;

    fn answer(status: u8, body: BodyInput, took_effect: bool) -> OutcomeInput {
        OutcomeInput::Answer {
            status,
            retry_after: None,
            body,
            hostile_headers: false,
            latency_ms: 40,
            took_effect,
        }
    }

    /// A page of the index's backups (the create's own are listed first): `theirs`, each one
    /// of our name or not, created `secs` after the simulation began on the server's clock.
    fn listing(theirs: &[(u8, bool, i16, u8)]) -> OutcomeInput {
        let jobs = theirs
            .iter()
            .map(|&(id, our_name, secs, status)| JobInput {
                id,
                our_backup: false,
                our_name,
                created: Some(secs),
                status,
            })
            .collect();
        answer(S200, BodyInput::Page { jobs, next: None }, false)
    }

    fn run(op: OpKind, script: Vec<OutcomeInput>, keep: u8, age_days: Option<u32>) -> Ran {
        run_operations(OperationsInput {
            op,
            version: 0,
            policy: PolicyInput {
                max_retries: 3,
                base_delay_ms: 100,
                max_delay_ms: 1000,
                min_delay_ms: 100,
                max_retry_after_s: 30,
                budget_ms: 120_000,
            },
            request_timeout_ms: 29_999,
            interval_ms: 0,
            wait_timeout_ms: age_days,
            not_found_tolerance: keep,
            max_pages: None,
            script,
            random: 0,
            server_ahead_ms: 90_000,
            dates: true,
            date_at: 128,
        })
    }

    #[test]
    fn a_lost_create_that_made_a_backup_is_claimed_and_never_made_twice() {
        let lost = OutcomeInput::Fail {
            kind: CLOSED,
            latency_ms: 30,
            took_effect: true,
        };
        let ran = run(
            OpKind::CreateBackup,
            vec![lost, listing(&[(3, false, -50, 0)])],
            0,
            None,
        );
        let backup = ran.backup.expect("a create's result").expect("claimed");
        assert_eq!(backup.backup_id(), "bk-ours-0");
        assert_eq!(ran.backups_made, 1);
    }

    #[test]
    fn a_lost_create_that_did_nothing_is_sent_again_once() {
        let lost = answer(S500, BodyInput::Empty, false);
        let made = answer(S200 + 1, BodyInput::Started(0), false); // 201 with the backup
        let ran = run(
            OpKind::CreateBackup,
            vec![lost, listing(&[]), made],
            0,
            None,
        );
        let backup = ran
            .backup
            .expect("a create's result")
            .expect("made on the retry");
        assert_eq!(backup.backup_id(), "bk-ours-0");
        assert_eq!(ran.backups_made, 1);
    }

    #[test]
    fn another_clients_backup_of_our_name_from_before_is_named_not_claimed() {
        let stall = OutcomeInput::Stall { took_effect: false };
        let ran = run(
            OpKind::CreateBackup,
            vec![stall, listing(&[(4, true, -3600, 0)])],
            0,
            None,
        );
        let error = ran
            .backup
            .expect("a create's result")
            .expect_err("not ours");
        assert_eq!(error.candidate().map(|c| c.id()), Some("bk-4"));
        assert_eq!(ran.backups_made, 0, "and nothing was sent again");
    }

    #[test]
    fn a_prune_whose_listing_fails_deletes_nothing() {
        let failed = answer(S503, BodyInput::Empty, false);
        let old = [(1, false, -30_000, 0), (2, false, -10, 0)];
        // the backups list, then the restore jobs fail past every retry
        let ran = run(
            OpKind::Prune,
            vec![
                listing(&old),
                failed.clone(),
                failed.clone(),
                failed.clone(),
                failed,
            ],
            0,
            None,
        );
        assert!(!ran.planned);
        assert!(ran.deletes.is_empty());
    }

    #[test]
    fn a_prune_deletes_only_what_its_plan_deletes() {
        let backups = [
            (1, false, -300, 0),
            (2, false, -200, 0),
            (3, false, -100, 0),
        ];
        let jobs = answer(
            S200,
            BodyInput::Page {
                jobs: vec![],
                next: None,
            },
            false,
        );
        let deleted = answer(S202, BodyInput::Empty, false);
        let ran = run(
            OpKind::Prune,
            vec![listing(&backups), jobs, deleted.clone(), deleted],
            1,
            None,
        );
        assert!(ran.planned);
        assert_eq!(
            ran.deletes,
            [
                "http://127.0.0.1:9/backups/bk-2",
                "http://127.0.0.1:9/backups/bk-1"
            ]
        );
    }
}
