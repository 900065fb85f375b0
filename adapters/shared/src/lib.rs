//! What every transport adapter of [`pinecone-restore-core`](pinecone_restore_core) shares,
//! so that `pinecone-restore-ureq` (blocking) and `pinecone-restore-reqwest` (async) write
//! none of it twice.
//!
//! - [`Hooks`]: core's [`drive::Hooks`](pinecone_restore_core::drive::Hooks) for a client
//!   (its configuration, the clocks, the jitter source, the event observer and, with the
//!   `tracing` feature, one span per operation).
//! - [`client!`]: a client's constructors (`builder`, `from_env`, `new`'s builder), its
//!   `on_event` and its `Debug` without the key, written once.
//! - [`tls`]: the root certificates TLS trusts (Mozilla's or the system's, plus a PEM file,
//!   checked when the client is built) and the name of a TLS failure from rustls's typed error.
//!
//! An adapter then holds its HTTP stack and a [`Hooks`], implements core's `Transport` (send
//! and sleep) and gets every endpoint's method from core's `Api` or `AsyncApi`.
//!
//! ```
//! use pinecone_restore_adapter::Hooks;
//! use pinecone_restore_core::drive::Hooks as _;
//! use pinecone_restore_core::{ApiKey, Config};
//!
//! let config = Config::builder(ApiKey::new("k")?).rng_seed(7).build()?;
//! let hooks = Hooks::new(config);
//! assert!(!hooks.listens(), "nobody listens until `observe` or a tracing subscriber");
//! assert_eq!(hooks.config().api_version().as_str(), "2025-04");
//! # Ok::<(), pinecone_restore_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod client;
mod hooks;
pub mod tls;

pub use hooks::{Hooks, Scope};

#[doc(hidden)]
pub use pinecone_restore_core as __core;
