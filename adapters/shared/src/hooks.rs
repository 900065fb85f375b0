//! A client's hooks: what it does beside sending.

use std::fmt;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use pinecone_restore_core::event::Event;
use pinecone_restore_core::{Config, Jitter, Now};

/// The scope an operation runs in: its `tracing` span with the `tracing` feature, nothing
/// without it.
#[cfg(feature = "tracing")]
pub type Scope = pinecone_restore_tracing::OperationSpan;

/// The scope an operation runs in: its `tracing` span with the `tracing` feature, nothing
/// without it.
#[cfg(not(feature = "tracing"))]
pub type Scope = ();

/// What [`Hooks::observe`] calls.
type Observer = Arc<dyn Fn(&Event) + Send + Sync>;

/// Core's [`drive::Hooks`](pinecone_restore_core::drive::Hooks) for a client: its
/// configuration, the clocks, one jitter source (shared by the client's clones, seeded from
/// the configuration's `rng_seed` or the clock and process id), the observer set with
/// [`Hooks::observe`], and with the `tracing` feature every event as a `tracing` event and one
/// span per operation.
///
/// Cloning is cheap; clones share the jitter source and the observer. `Debug` shows the
/// configuration, whose `Debug` redacts the key.
#[derive(Clone)]
pub struct Hooks {
    config: Config,
    jitter: Arc<Jitter>,
    observer: Option<Observer>,
}

impl Hooks {
    /// The hooks of a client of `config`.
    pub fn new(config: Config) -> Hooks {
        Hooks {
            jitter: Arc::new(config.jitter(SystemTime::now(), std::process::id())),
            config,
            observer: None,
        }
    }

    /// Calls `observer` with every decision core makes from now on (see [`Event`]).
    pub fn observe(&mut self, observer: impl Fn(&Event) + Send + Sync + 'static) {
        self.observer = Some(Arc::new(observer));
    }
}

impl pinecone_restore_core::drive::Hooks for Hooks {
    type Scope = Scope;

    fn config(&self) -> &Config {
        &self.config
    }

    fn now(&self) -> Now {
        Now {
            instant: Instant::now(),
            wall: SystemTime::now(),
        }
    }

    fn random(&self) -> u64 {
        self.jitter.next_u64()
    }

    fn listens(&self) -> bool {
        #[cfg(feature = "tracing")]
        if pinecone_restore_tracing::listening() {
            return true;
        }
        self.observer.is_some()
    }

    fn event(&self, event: Event) {
        #[cfg(feature = "tracing")]
        pinecone_restore_tracing::emit(&event);
        if let Some(observer) = &self.observer {
            observer(&event);
        }
    }

    fn scope(&self, name: &'static str) -> Scope {
        #[cfg(feature = "tracing")]
        return pinecone_restore_tracing::OperationSpan::new(name);
        #[cfg(not(feature = "tracing"))]
        let _ = name;
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("config", &self.config) // core redacts the key, header values and proxy
            .field("observer", &self.observer.is_some())
            .finish_non_exhaustive()
    }
}
