//! Liveness and readiness.

use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;

/// The process is up.
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// Whether to send traffic here, read from the state of the token, the circuit breaker and the
/// last call: it is public, so it costs France Travail nothing (no call, no budget).
pub(crate) async fn readyz(
    State(state): State<AppState>,
) -> (StatusCode, axum::Json<crate::upstream::Readiness>) {
    let readiness = state.upstream.readiness();
    let status = if readiness.ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, axum::Json(readiness))
}

/// Prometheus metrics.
pub(crate) async fn metrics(
    State(state): State<AppState>,
) -> ([(axum::http::HeaderName, &'static str); 1], String) {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
