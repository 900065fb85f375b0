//! A TCP listener that counts the connections it accepts, and hands out connections that the
//! request handler can cut before an answer is written.
//!
//! An axum handler cannot close its own connection: whatever it returns, hyper writes. So every
//! connection carries a [`Cutoff`], which the handler reaches through axum's `ConnectInfo`.
//! Once it is cut, every write and flush on the connection fails, so hyper gives up on the
//! connection and drops it without a byte of the answer in progress reaching the client.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

pub(crate) struct CountingListener {
    pub(crate) inner: TcpListener,
    pub(crate) accepted: Arc<AtomicU64>,
}

impl axum::serve::Listener for CountingListener {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    self.accepted.fetch_add(1, Ordering::Relaxed);
                    // Small responses must not wait on Nagle's algorithm; failure only costs
                    // latency.
                    let _ = stream.set_nodelay(true);
                    let connection = Connection {
                        stream,
                        cutoff: Cutoff::default(),
                    };
                    return (connection, addr);
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

/// The switch of one connection; cloned into each of its requests.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cutoff(Arc<AtomicBool>);

impl Cutoff {
    /// From now on the connection writes nothing: the answer in progress is never sent and
    /// the connection closes.
    pub(crate) fn cut(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn is_cut(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl Connected<IncomingStream<'_, CountingListener>> for Cutoff {
    fn connect_info(stream: IncomingStream<'_, CountingListener>) -> Cutoff {
        stream.io().cutoff.clone()
    }
}

/// An accepted TCP connection with its [`Cutoff`].
pub(crate) struct Connection {
    stream: TcpStream,
    cutoff: Cutoff,
}

impl Connection {
    fn cut_error() -> io::Error {
        io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "the fake cut this connection",
        )
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.cutoff.is_cut() {
            return Poll::Ready(Err(Connection::cut_error()));
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.cutoff.is_cut() {
            return Poll::Ready(Err(Connection::cut_error()));
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.cutoff.is_cut() {
            return Poll::Ready(Err(Connection::cut_error()));
        }
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
