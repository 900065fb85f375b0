//! A TCP listener that counts the connections it accepts.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};

pub(crate) struct CountingListener {
    pub(crate) inner: TcpListener,
    pub(crate) accepted: Arc<AtomicU64>,
}

impl axum::serve::Listener for CountingListener {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    self.accepted.fetch_add(1, Ordering::Relaxed);
                    // Small responses must not wait on Nagle's algorithm; failure only costs
                    // latency.
                    let _ = stream.set_nodelay(true);
                    return (stream, addr);
                }
                // Out of file descriptors and the like: back off briefly, as axum does.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }

    fn local_addr(&self) -> tokio::io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}
