//! Integration tests of the ureq adapter: against mockito, against raw `TcpListener` servers
//! for what mockito cannot do, and against the fake control plane.
//!
//! Every server binds `127.0.0.1` on port 0.

mod fake;
mod mock;
mod raw;
mod support;
