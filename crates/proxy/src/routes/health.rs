//! Liveness, readiness and the operations endpoints.
//!
//! The public listener answers `/healthz` (the process is up) and `/readyz` (this instance can
//! serve: its configuration is loaded and its listener up, and it is not draining), neither of
//! which depends on France Travail: during an outage the widget's files, plain pages and stale
//! answers must stay reachable. France Travail's and Redis' state, and the metrics (per-commune
//! usage among them), are on the operations listener only (`EMPLOI_ADMIN_ADDR`).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::AppState;
use crate::upstream::UpstreamHealth;

/// The process is up.
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// What `/readyz` answers.
#[derive(Debug, Serialize)]
pub(crate) struct Ready {
    /// Whether to send traffic here.
    ready: bool,
}

/// Whether to send traffic here: yes until the instance starts draining at shutdown.
pub(crate) async fn readyz(State(state): State<AppState>) -> (StatusCode, axum::Json<Ready>) {
    let ready = !state.draining.is_on();
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, axum::Json(Ready { ready }))
}

/// What the operations listener's `/healthz` answers.
#[derive(Debug, Serialize)]
pub(crate) struct Details {
    /// This instance's readiness.
    ready: bool,
    /// France Travail as this instance sees it.
    france_travail: UpstreamHealth,
    /// `up`, `down` or `off` (no Redis configured).
    redis: &'static str,
}

/// The instance's details for operators: readiness, France Travail, Redis. It costs France
/// Travail nothing.
pub(crate) async fn details(State(state): State<AppState>) -> axum::Json<Details> {
    let redis = match state.upstream.redis_up() {
        None => "off",
        Some(true) => "up",
        Some(false) => "down",
    };
    axum::Json(Details {
        ready: !state.draining.is_on(),
        france_travail: state.upstream.health(),
        redis,
    })
}

/// Prometheus metrics.
pub(crate) async fn metrics(
    State(state): State<AppState>,
) -> ([(axum::http::HeaderName, &'static str); 1], String) {
    state.metrics.state(&state.upstream.health(), state.upstream.redis_up());
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
