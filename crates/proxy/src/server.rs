//! Serving connections within bounds, so that slow or idle clients cannot hold the instance:
//! a header-read timeout (which also closes keep-alive connections left idle), a deadline per
//! request, a cap on open connections, and a graceful shutdown that drains in-flight requests
//! within a deadline.
//!
//! `axum::serve` sets none of these (it gives hyper no timer, so hyper's header timeout never
//! fires), hence this accept loop over hyper-util's connection builder.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::error::AppError;

/// The bounds of one listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerLimits {
    /// Time for a client to send a request's headers, and for an idle keep-alive connection to
    /// start its next request. Defaults to 10 seconds.
    pub header_read: Duration,
    /// Time for a request to be answered, France Travail's wait included (the upstream deadline
    /// and the budget's wait are shorter). Defaults to 30 seconds.
    pub request: Duration,
    /// Connections open at once; past it, new ones wait in the kernel's backlog. Defaults to
    /// 10,000 (the proxy held 1,000 at a peak of 63 MB in `load_bench`, 150 searches cached).
    pub max_connections: usize,
    /// Time given to in-flight requests at shutdown. Defaults to 20 seconds.
    pub drain: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
            max_connections: 10_000,
            drain: Duration::from_secs(20),
        }
    }
}

/// Whether the instance is shutting down, for its readiness.
#[derive(Debug, Default)]
pub struct Draining(AtomicBool);

impl Draining {
    /// Whether shutdown has begun.
    pub fn is_on(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    fn start(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Middleware: a request that is not answered within `limit` gets a 503 with the error
/// envelope. The timer starts only if the answer is not ready at once: a cache hit, ready on
/// its first poll, costs no timer (the deadline then runs from that first poll, a few
/// microseconds after the request arrived).
pub async fn deadline(limit: Duration, request: Request, next: Next) -> Response {
    let mut answer = std::pin::pin!(next.run(request));
    let first = std::future::poll_fn(|cx| match answer.as_mut().poll(cx) {
        std::task::Poll::Ready(response) => std::task::Poll::Ready(Some(response)),
        std::task::Poll::Pending => std::task::Poll::Ready(None),
    })
    .await;
    if let Some(response) = first {
        return response;
    }
    match tokio::time::timeout(limit, answer).await {
        Ok(response) => response,
        Err(_) => AppError::UpstreamUnavailable {
            retry_after: Some(5),
            detail: format!("no answer within the request deadline ({limit:?})"),
        }
        .into_response(),
    }
}

/// Whether a connection's first bytes may be HTTP/2's preface (`PRI * HTTP/2.0…`).
fn may_be_http2(first: &[u8]) -> bool {
    b"PRI".starts_with(first)
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then drains the
/// in-flight requests for at most `limits.drain` (marking `draining` first) and returns.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &ServerLimits,
    draining: Arc<Draining>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let timeout = limits.request;
    let app =
        app.layer(axum::middleware::from_fn(move |request, next| deadline(timeout, request, next)));
    let mut make = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_read);
    // HTTP/2 connections are kept alive by pings, and dropped when a ping goes unanswered.
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.header_read)
        .keep_alive_timeout(limits.header_read);
    // An HTTP/1 connection is served by hyper's HTTP/1 code at once. Through the auto builder,
    // hyper-util first reads up to 24 bytes to look for HTTP/2's preface and hands them back
    // ahead of the socket; hyper then reserves its 8 kB read buffer with those bytes in it, which
    // doubles it to 16 kB for the life of the connection (8 MB at 1,000 connections).
    // Both shared by every connection (one `Arc` each, the chosen builder cloned once by
    // `into_owned`).
    let builders = Arc::new((builder.clone().http1_only(), builder));
    let graceful = GracefulShutdown::new();
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut connections = tokio::task::JoinSet::new();
    let header_read = limits.header_read;
    tokio::pin!(shutdown);
    loop {
        // Finished connections leave the set as they go.
        while connections.try_join_next().is_some() {}
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = match tower::Service::call(&mut make, peer).await {
            Ok(service) => service,
            Err(e) => match e {},
        };
        let service = hyper::service::service_fn(move |request: hyper::Request<_>| {
            let mut service = service.clone();
            async move {
                let response: Result<Response, Infallible> =
                    tower::Service::call(&mut service, request.map(axum::body::Body::new)).await;
                response
            }
        });
        let (builders, watcher) = (Arc::clone(&builders), graceful.watcher());
        connections.spawn(async move {
            // hyper's header timer starts with the first byte: a connection that sends nothing
            // is closed here instead of holding its place under the cap.
            // (`peek`, not `readable`: readiness may be reported before any byte is there.)
            let mut first = [0u8; 3];
            if let Ok(Ok(n @ 1..)) =
                tokio::time::timeout(header_read, stream.peek(&mut first)).await
            {
                // Only HTTP/2 with prior knowledge starts with "PRI"; whatever else can begin
                // that way goes through the auto builder, which reads the whole preface.
                let (http1, auto) = &*builders;
                let builder = if may_be_http2(&first[..n]) { auto } else { http1 };
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let _ = watcher.watch(connection.into_owned()).await;
            }
            drop(permit);
        });
    }
    draining.start();
    drop(listener);
    tracing::info!(deadline = ?limits.drain, "draining in-flight requests");
    if tokio::time::timeout(limits.drain, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still in flight at the drain deadline: closing them");
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
    Ok(())
}
