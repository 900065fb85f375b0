//! Name resolution that does not start a thread for every request.
//!
//! ureq resolves the host before every request, pooled connection or not, and with a timeout
//! set it does so on a new thread. On a busy machine each of those threads waits for a CPU:
//! a 100-page walk measured 48-424 ms instead of 32-38 ms. This resolver answers IP
//! literals directly and reuses a looked-up address for a short while.
//!
//! It plugs in through ureq's `unversioned` API, which may change between minor versions;
//! Cargo.toml pins ureq to 3.5.x for that reason.

use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a looked-up address is reused: long enough for a walk, short enough to follow a
/// DNS change soon.
const TTL: Duration = Duration::from_secs(30);

/// Answers IP literals without a lookup and caches the last host looked up for [`TTL`].
#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    inner: DefaultResolver,
    last: Mutex<Option<Cached>>,
}

#[derive(Debug)]
struct Cached {
    host_port: String,
    addrs: ResolvedSocketAddrs,
    at: Instant,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        self.resolve_with(uri, || {
            // ureq's resolver reports a failed lookup as the I/O error of `to_socket_addrs`,
            // which says nothing typed; `HostNotFound` says that the name did not resolve
            self.inner
                .resolve(uri, config, timeout)
                .map_err(|e| match e {
                    ureq::Error::Io(_) => ureq::Error::HostNotFound,
                    other => other,
                })
        })
    }
}

impl CachingResolver {
    /// Resolves `uri`, calling `lookup` only when neither a literal nor a fresh cache entry
    /// answers.
    fn resolve_with(
        &self,
        uri: &Uri,
        lookup: impl FnOnce() -> Result<ResolvedSocketAddrs, ureq::Error>,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some(authority) = uri.authority() else {
            return lookup();
        };
        let port = authority.port_u16().unwrap_or(match uri.scheme_str() {
            Some("https") => 443,
            _ => 80,
        });
        let host = authority.host();
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = literal.parse::<IpAddr>() {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let host_port = format!("{host}:{port}");
        // A poisoned lock only means another thread panicked mid-update: look up afresh.
        if let Ok(last) = self.last.lock()
            && let Some(cached) = last.as_ref()
            && cached.host_port == host_port
            && cached.at.elapsed() < TTL
        {
            return Ok(cached.addrs.clone());
        }
        let addrs = lookup()?;
        if let Ok(mut last) = self.last.lock() {
            *last = Some(Cached {
                host_port,
                addrs: addrs.clone(),
                at: Instant::now(),
            });
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::net::Ipv4Addr;

    use super::*;

    /// Resolves `url`, counting the lookups that were needed; every host is 10.0.0.1.
    fn resolve(r: &CachingResolver, lookups: &Cell<usize>, url: &str) -> Vec<SocketAddr> {
        let uri: Uri = url.parse().unwrap();
        let port = uri.port_u16().unwrap_or(443);
        let addrs = r
            .resolve_with(&uri, || {
                lookups.set(lookups.get() + 1);
                let mut addrs = r.empty();
                addrs.push(SocketAddr::new(
                    IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
                    port,
                ));
                Ok(addrs)
            })
            .unwrap();
        addrs.iter().copied().collect()
    }

    fn addr(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn literals_need_no_lookup_and_hosts_are_looked_up_once() {
        let (r, lookups) = (CachingResolver::default(), Cell::new(0));
        assert_eq!(
            resolve(&r, &lookups, "http://127.0.0.1:8080/x"),
            [addr("127.0.0.1:8080")]
        );
        assert_eq!(resolve(&r, &lookups, "http://[::1]/x"), [addr("[::1]:80")]);
        assert_eq!(
            resolve(&r, &lookups, "https://[::1]/x"),
            [addr("[::1]:443")]
        );
        assert_eq!(lookups.get(), 0);
        for _ in 0..3 {
            assert_eq!(
                resolve(&r, &lookups, "https://api.example.com/x"),
                [addr("10.0.0.1:443")]
            );
        }
        assert_eq!(lookups.get(), 1, "one lookup for three requests");
        resolve(&r, &lookups, "https://api.example.com:8443/x");
        resolve(&r, &lookups, "https://other.example.com/x");
        assert_eq!(lookups.get(), 3, "another port or host is looked up");
    }
}
