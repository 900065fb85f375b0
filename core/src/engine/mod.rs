//! The engine: what every endpoint and operation is run by, whatever the resource.
//!
//! - [`call`]: [`Operation`](call::Operation) and [`Step`](call::Step), the loop every
//!   adapter drives; the exchange (one request, its retries and deadline) and
//!   [`Call`](call::Call), which runs one [`Endpoint`](endpoint::Endpoint).
//! - [`endpoint`]: an endpoint as one value (method, path and query, body, success statuses,
//!   parser, retry rule).
//! - [`walk`]: [`Listing`](walk::Listing) and the [`Walk`](walk::Walk) over its pages.
//! - [`wait`] and [`wait_all`]: following one job, or many, to their ends.
//! - [`create`]: a create made safe to retry by a lookup; [`candidate`] names what a lookup
//!   found and did not claim; [`clock`] bounds the server's clock from its `Date` headers.
//! - [`verdict`]: the one table of what is retried; [`retry`] the policy (how often, how
//!   long); [`jitter`] the random numbers the backoff takes.
//! - [`drive`]: the loop over a transport, and the methods every adapter gets from it.
//! - [`fingerprint`]: the ids and tokens a walk has seen, kept small.

pub(crate) mod call;
pub(crate) mod candidate;
pub(crate) mod clock;
pub(crate) mod create;
pub mod drive;
pub(crate) mod endpoint;
pub(crate) mod fingerprint;
pub(crate) mod jitter;
pub(crate) mod retry;
pub(crate) mod verdict;
pub(crate) mod wait;
pub(crate) mod wait_all;
pub(crate) mod walk;
