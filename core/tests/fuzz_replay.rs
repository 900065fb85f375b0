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

const TARGETS: [&str; 9] = [
    "list_page",
    "job",
    "error_response",
    "request_build",
    "walk",
    "started_restore",
    "create_request",
    "operations",
    "shape",
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
