//! The `tracing` feature is off by default: without it, neither core, nor the blocking
//! adapter, nor the command has `tracing` in its dependency tree; with it, the adapter does.
//! The async adapter has `tracing` either way (reqwest's hyper-util brings it); the feature
//! adds no other crate there.

use std::process::Command;

/// The crates in the normal (not dev, not build) dependency tree of `package`.
fn tree(package: &str, features: &[&str]) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.args([
        "tree",
        "--locked",
        "--offline",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--format",
        "{p}",
        "-p",
        package,
    ]);
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let output = command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut crates: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split(' ').next())
        .map(str::to_owned)
        .collect();
    crates.sort();
    crates.dedup();
    crates
}

fn has_tracing(crates: &[String]) -> bool {
    crates.iter().any(|c| c.starts_with("tracing"))
}

#[test]
fn a_default_build_has_no_tracing() {
    for package in [
        "pinecone-restore-core",
        "pinecone-restore-ureq",
        "pinecone-restore",
    ] {
        let crates = tree(package, &[]);
        assert!(crates.len() > 1, "{package}: {crates:?}");
        assert!(!has_tracing(&crates), "{package} pulls tracing: {crates:?}");
    }
}

#[test]
fn the_feature_brings_tracing_and_nothing_else_to_the_async_adapter() {
    assert!(has_tracing(&tree("pinecone-restore-ureq", &["tracing"])));
    let without = tree("pinecone-restore-reqwest", &[]);
    let with = tree("pinecone-restore-reqwest", &["tracing"]);
    let added: Vec<&String> = with.iter().filter(|c| !without.contains(c)).collect();
    assert_eq!(added, ["pinecone-restore-tracing"], "{added:?}");
}
