//! [`serve`]: HTTP/1 on hyper with the limits a public server needs, which `axum::serve` does
//! not offer: a deadline for a request's head (which also closes a keep-alive connection left
//! idle), a deadline for its body, a cap on open connections, and a graceful shutdown that waits
//! for the requests in flight only up to a deadline.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

use crate::connection_timer::ConnectionTimer;

/// The limits [`serve`] runs with. The defaults suit a public server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    header_read_timeout: Duration,
    body_read_timeout: Duration,
    max_connections: usize,
    shutdown_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
            shutdown_timeout: Duration::from_secs(30),
        }
    }
}

impl ServeOptions {
    /// Limits with the defaults: 10 s for a request's head, 30 s for its body, 1,024 open
    /// connections, 30 s to drain at shutdown.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long a client may take to send a request's head, from the moment the connection waits
    /// for it: a connection that sends nothing, trickles its headers, or sits idle between
    /// keep-alive requests that long is closed.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// How long a client may take to send a request's body once its head arrived; a slower body
    /// is refused with `400 InvalidStructure`.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// How many connections are open at once. Past it the server accepts no more until one
    /// closes: new clients wait in the listener's backlog, and the admitted ones are served as
    /// before.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// How long shutdown waits for the requests in flight before it closes their connections.
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting, lets the
/// requests in flight finish for at most [`ServeOptions::shutdown_timeout`], and returns.
///
/// ```ignore
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// scalr_endpoints::serve(listener, router, ServeOptions::new(), async { ctrl_c().await.ok(); }).await?;
/// ```
///
/// Errors that hyper answers itself, before the router sees a request, cannot be envelopes: a
/// request head over hyper's buffer (about 400 KB) or a malformed request line close the
/// connection with hyper's bare `431` or `400`. Everything the router answers is an envelope.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(options.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.header_read_timeout(options.header_read_timeout).keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait a little rather than spin.
                    tracing::warn!(%error, "a connection could not be accepted");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = connection_service(router.clone(), options.body_read_timeout);
        let connection = http.clone().timer(ConnectionTimer::new()).serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                log_connection_end(peer, &error);
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(options.shutdown_timeout, graceful.shutdown()).await.is_err() {
        tracing::warn!(
            timeout_ms = u64::try_from(options.shutdown_timeout.as_millis()).unwrap_or(u64::MAX),
            "shutdown deadline passed; the remaining connections are closed"
        );
    }
    Ok(())
}

/// The router as one connection's hyper service, its request bodies under the body deadline.
fn connection_service(
    router: Router,
    body_read_timeout: Duration,
) -> impl hyper::service::Service<Request<Incoming>, Response = axum::response::Response, Error = Infallible, Future: Send>
+ Clone {
    hyper::service::service_fn(move |request: Request<Incoming>| {
        let request = request.map(|body| Body::new(TimeoutBody::new(body_read_timeout, body)));
        router.clone().oneshot(request)
    })
}

/// A connection that ended in an error: a timeout is the limit at work (debug level); anything
/// else is worth a line at info level.
fn log_connection_end(peer: SocketAddr, error: &hyper::Error) {
    if error.is_timeout() {
        tracing::debug!(%peer, "connection closed: the request head did not arrive in time");
    } else {
        tracing::info!(%peer, %error, "connection ended with an error");
    }
}
