//! Issue 30: a wait on many jobs polls in rounds that walk the listing, on the simulated clock
//! against the `wait_rounds` fuzz target's model control plane (ground truth: when each job
//! was created, listed and ended). Each scenario also passes every check of that target.

#[allow(unreachable_pub, dead_code, unused_imports)]
#[path = "../../fuzz/src/checks/mod.rs"]
mod checks;

use checks::{FaultSpec, JobSpec, RoundsInput, RoundsRan, run_rounds};
use pinecone_restore_core::WaitOutcome;

/// `n` jobs created one ms apart before the wait (the last the newest), listed at once, the
/// k-th running `runs(k)` ms from its creation, all to Completed.
fn jobs(n: usize, runs: impl Fn(usize) -> u32) -> Vec<JobSpec> {
    (0..n)
        .map(|k| JobSpec {
            created_ms: -(n as i32) + k as i32,
            listed_after_ms: 0,
            runs_ms: runs(k),
            ending: 0,
        })
        .collect()
}

fn input(jobs: Vec<JobSpec>) -> RoundsInput {
    RoundsInput {
        jobs,
        twice: Vec::new(),
        unknown: 0,
        others_before: 0,
        others_every_ms: 0,
        interval_ms: 2_000,
        timeout_s: None,
        tolerance: 3,
        latency_ms: 50,
        retries: 2,
        faults: Vec::new(),
    }
}

fn all_completed(ran: &RoundsRan) {
    assert!(
        ran.ends
            .iter()
            .all(|e| matches!(e, Ok(WaitOutcome::Completed(_)))),
        "{:?}",
        ran.ends
    );
}

#[test]
fn a_thousand_jobs_listed_first_cost_a_page_per_hundred_and_one_more_a_round() {
    let ran = run_rounds(&input(jobs(1_000, |k| 5_000 + (k as u32 % 20) * 500)));
    all_completed(&ran);
    // the bound: ceil(N/100) + 1 requests a round for N jobs followed, all of them on
    // the first pages (the finished ones stay listed among those still followed)
    let bound = 1_000u64.div_ceil(100) + 1;
    let mut following = 1_000usize;
    for &(pages, listed, described, left) in &ran.rounds {
        assert!(
            pages + described as u64 <= bound,
            "{pages} pages and {described} describes (bound {bound}): {:?}",
            ran.rounds
        );
        assert_eq!(listed, following, "every job still followed was listed");
        following = left;
    }
    assert_eq!(ran.describes, 0);
}

#[test]
fn two_hundred_jobs_at_50_ms_an_answer_take_under_60_requests_and_end_within_the_interval() {
    // ending over 15 s: about 8 rounds of 2 pages
    let ran = run_rounds(&input(jobs(200, |k| 3_000 + k as u32 * 60)));
    all_completed(&ran);
    let requests = ran.listings + ran.describes;
    assert!(requests <= 60, "{requests} requests: {:?}", ran.rounds);
    let lag = ran.ended_at - ran.last_end.unwrap();
    assert!(lag <= 2_000 + 1_000, "lag {lag} ms");
}

#[test]
fn one_job_is_one_describe_a_round() {
    let ran = run_rounds(&input(jobs(1, |_| 7_000)));
    all_completed(&ran);
    assert_eq!(ran.listings, 0);
    assert_eq!(ran.describes, ran.rounds.len());
    assert!(ran.rounds.iter().all(|&(pages, ..)| pages == 0));
}

#[test]
fn jobs_not_listed_yet_are_described_until_the_listing_shows_them() {
    let mut specs = jobs(50, |_| 10_000);
    for spec in specs.iter_mut().take(5) {
        spec.listed_after_ms = 4_999;
    }
    let ran = run_rounds(&input(specs));
    all_completed(&ran);
    // the first rounds describe the five; once listed, rounds are one page
    let (first_pages, _, first_described, _) = ran.rounds[0];
    assert_eq!((first_pages, first_described), (1, 5));
    let last = ran.rounds.last().unwrap();
    assert_eq!(last.2, 0, "listed at last: {:?}", ran.rounds);
}

#[test]
fn jobs_pushed_to_later_pages_by_new_ones_are_still_followed() {
    let mut input = input(jobs(150, |k| 4_000 + k as u32 * 80));
    // someone else's restore every 25 ms: 80 newer jobs each 2 s round
    input.others_every_ms = 25;
    let ran = run_rounds(&input);
    all_completed(&ran);
    // each round's walk reaches them however far down they were pushed (80 more jobs above
    // them each round), and is never dearer than describing them
    let mut following = 150;
    for (round, &(pages, listed, described, left)) in ran.rounds.iter().enumerate() {
        let above = 80 * round as u64;
        let furthest = (above + 150).div_ceil(100);
        assert!(pages <= furthest + 1, "round {round}: {:?}", ran.rounds);
        assert!(
            pages + described as u64 <= following as u64,
            "{:?}",
            ran.rounds
        );
        assert_eq!(listed + described, following, "{:?}", ran.rounds);
        following = left;
    }
}

#[test]
fn a_failed_page_is_described_that_round_and_walked_the_next() {
    let mut input = input(jobs(30, |_| 5_000));
    input.retries = 0;
    input.faults = vec![FaultSpec::Status(0, 0)];
    let ran = run_rounds(&input);
    all_completed(&ran);
    assert_eq!(ran.rounds[0], (0, 0, 30, 30), "{:?}", ran.rounds);
    assert_eq!(ran.rounds[1].0, 1, "{:?}", ran.rounds);
    assert_eq!(ran.rounds[1].2, 0, "{:?}", ran.rounds);
    // an answer that is not a page: the same
    let mut garbage = self::input(jobs(30, |_| 5_000));
    garbage.faults = vec![FaultSpec::Garbage(0)];
    let ran = run_rounds(&garbage);
    all_completed(&ran);
    assert_eq!(ran.rounds[0].2, 30, "{:?}", ran.rounds);
}

#[test]
fn a_job_that_404s_before_it_is_created_is_followed_once_it_is() {
    let mut specs = jobs(10, |_| 3_000);
    specs[0].created_ms = 1_500;
    let mut input = input(specs);
    input.interval_ms = 1_000;
    let ran = run_rounds(&input);
    all_completed(&ran);
    assert!(ran.describes >= 1, "it was described while unlisted");
}

#[test]
fn jobs_all_finished_before_the_wait_take_one_round_of_pages() {
    let ran = run_rounds(&input(jobs(250, |_| 0)));
    all_completed(&ran);
    assert_eq!(ran.rounds, [(3, 250, 0, 0)]);
    assert_eq!((ran.listings, ran.describes), (3, 0));
}

#[test]
fn a_zero_timeout_checks_once() {
    let mut input = input(jobs(120, |k| if k < 60 { 0 } else { 29_000 }));
    input.timeout_s = Some(0);
    let ran = run_rounds(&input);
    assert_eq!(ran.rounds.len(), 1);
    let late = ran
        .ends
        .iter()
        .filter(|e| matches!(e, Ok(WaitOutcome::DeadlinePassed(Some(_)))))
        .count();
    assert_eq!(late, 60);
}

#[test]
fn ids_given_twice_and_unknown_ones_each_end_their_own_way() {
    let mut input = input(jobs(20, |_| 2_000));
    input.twice = vec![3, 7];
    input.unknown = 2;
    input.tolerance = 1;
    let ran = run_rounds(&input);
    assert_eq!(ran.ends.len(), 24);
    assert!(
        ran.ends[..22]
            .iter()
            .all(|e| matches!(e, Ok(WaitOutcome::Completed(_))))
    );
    assert!(
        ran.ends[22..]
            .iter()
            .all(|e| e.as_ref().is_err_and(|e| e.is_not_found()))
    );
}
