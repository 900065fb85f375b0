//! A TCP listener that counts the connections it accepts, and hands out connections that the
//! request handler can cut before an answer is written.
//!
//! An axum handler cannot close its own connection: whatever it returns, hyper writes. So every
//! connection carries a [`Cutoff`], which the handler reaches through axum's `ConnectInfo`.
//! Once it is cut, every write and flush on the connection fails, so hyper gives up on the
//! connection and drops it without a byte of the answer in progress reaching the client.
//!
//! An HTTPS fake does each TLS handshake on a task of its own, so a client that connects and
//! says nothing holds up no other; a handshake that fails (a client that does not trust the
//! certificate, or speaks plain HTTP) ends its connection and nothing else.

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
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// The most a client may take over its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) struct CountingListener {
    pub(crate) inner: TcpListener,
    pub(crate) accepted: Arc<AtomicU64>,
    /// For HTTPS: the acceptor, and the handshakes under way.
    pub(crate) tls: Option<TlsAcceptor>,
    pub(crate) handshakes: JoinSet<Option<(TlsStream<TcpStream>, SocketAddr)>>,
}

impl axum::serve::Listener for CountingListener {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        loop {
            tokio::select! {
                accepted = self.inner.accept() => match accepted {
                    Ok((stream, addr)) => {
                        self.accepted.fetch_add(1, Ordering::Relaxed);
                        // Small responses must not wait on Nagle's algorithm; failure only
                        // costs latency.
                        let _ = stream.set_nodelay(true);
                        let Some(acceptor) = &self.tls else {
                            return (Connection::new(Stream::Plain(stream)), addr);
                        };
                        let handshake = acceptor.accept(stream);
                        self.handshakes.spawn(async move {
                            let stream = tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake)
                                .await
                                .ok()?
                                .ok()?;
                            Some((stream, addr))
                        });
                    }
                    // Out of file descriptors and the like: back off briefly, as axum does.
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                },
                Some(done) = self.handshakes.join_next(), if !self.handshakes.is_empty() => {
                    if let Ok(Some((stream, addr))) = done {
                        return (Connection::new(Stream::Tls(Box::new(stream))), addr);
                    }
                }
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

/// An accepted TCP connection, plain or after its TLS handshake, with its [`Cutoff`].
pub(crate) struct Connection {
    stream: Stream,
    cutoff: Cutoff,
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Connection {
    fn new(stream: Stream) -> Connection {
        Connection {
            stream,
            cutoff: Cutoff::default(),
        }
    }

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
        self.get_mut().stream.pin().poll_read(cx, buf)
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
        this.stream.pin().poll_write(cx, buf)
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
        this.stream.pin().poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        match &self.stream {
            Stream::Plain(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.cutoff.is_cut() {
            return Poll::Ready(Err(Connection::cut_error()));
        }
        this.stream.pin().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().stream.pin().poll_shutdown(cx)
    }
}

impl Stream {
    /// The stream as one pinned reader and writer, whichever it is.
    fn pin(&mut self) -> Pin<&mut (dyn AsyncReadWrite + Send + Unpin)> {
        match self {
            Stream::Plain(s) => Pin::new(s),
            Stream::Tls(s) => Pin::new(s.as_mut()),
        }
    }
}

/// Both halves of a stream, as one trait object.
trait AsyncReadWrite: AsyncRead + AsyncWrite {}

impl<T: AsyncRead + AsyncWrite> AsyncReadWrite for T {}
