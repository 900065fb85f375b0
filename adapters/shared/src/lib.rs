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

use std::error::Error as StdError;

use pinecone_restore_core::{TlsProblem, TransportError, TransportKind};

/// What a transport failure was, as an adapter finds it in its stack's typed errors: a kind,
/// or a TLS failure with its problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// A failure of this kind.
    Kind(TransportKind),
    /// A TLS failure, this way.
    Tls(TlsProblem),
}

impl Failure {
    /// The transport error for core, with the stack's own error as its cause (core scrubs it
    /// before it is shown).
    pub fn caused_by(self, source: Box<dyn StdError + Send + Sync>) -> TransportError {
        match self {
            Failure::Tls(problem) => TransportError::tls(problem, Some(source)),
            Failure::Kind(kind) => TransportError::new(kind, Some(source)),
        }
    }
}

/// What a blocking adapter re-exports beside its own `Client`: the names its users need, core's
/// [`Api`](pinecone_restore_core::drive::Api) (where the client's methods come from) and a
/// `prelude` that brings it into scope.
pub mod blocking {
    pub use crate::export::*;
    pub use pinecone_restore_core as core;
    pub use pinecone_restore_core::drive::Api;

    /// What a program using the client imports: the trait its methods come from.
    pub mod prelude {
        pub use pinecone_restore_core::drive::Api;
    }
}

/// What an async adapter re-exports beside its own `Client`: the names its users need, core's
/// [`AsyncApi`](pinecone_restore_core::drive::AsyncApi) and a `prelude` that brings it into
/// scope.
pub mod asynchronous {
    pub use crate::export::*;
    pub use pinecone_restore_core as core;
    pub use pinecone_restore_core::drive::AsyncApi;

    /// What a program using the client imports: the trait its methods come from.
    pub mod prelude {
        pub use pinecone_restore_core::drive::AsyncApi;
    }
}

/// The names an adapter's users need, the same in every adapter.
pub mod export {
    pub use pinecone_restore_core::event::{self, Event};
    pub use pinecone_restore_core::{
        ApiKey, ApiVersion, Backup, BackupId, BackupPage, BackupStatus, Candidate,
        CreateIndexFromBackup, DeletionProtection, Error, ErrorCode, IndexBackups, IndexName,
        JobId, JobStatus, Limit, ListPage, PaginationToken, Percent, ProjectBackups, RestoreJob,
        RestoreJobs, RetryPolicy, RootStore, StartedRestore, Tag, Tags, TlsProblem, TransportKind,
        WaitEnd, WaitOptions, WaitOutcome, newest_ready,
    };
}

#[doc(hidden)]
pub use pinecone_restore_core as __core;
