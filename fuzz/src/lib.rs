//! Shared bodies of the `pinecone-restore-core` fuzz targets.
//!
//! The checks live in `checks.rs` so that `core/tests/fuzz_replay.rs` can include the very same
//! file and replay the committed corpus and regressions with plain `cargo test` on stable.
#![forbid(unsafe_code)]

mod checks;

pub use checks::*;
