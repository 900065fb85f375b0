//! The resources of the API and their endpoints, one folder each: what is sent, what comes
//! back and how it is read.
//!
//! - [`restore_jobs`]: list, describe and start restores (and the job model and its parsers);
//! - [`backups`]: list and describe backups, and pick the one a restore starts from.
//!
//! A resource defines each endpoint once, as a function returning an
//! [`Endpoint`](crate::Endpoint); its listings ([`Listing`](crate::Listing)) and retry-safe
//! creates ([`Creation`](crate::Creation)) next to them; and the [`Config`](crate::Config)
//! methods that name its operations. The engine runs them all.

pub mod backups;
pub mod restore_jobs;
pub mod schedules;
