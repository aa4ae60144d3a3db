//! France Travail misbehaving while traffic flows, driven by the sandbox's knobs: the proxy
//! answers with fresh or stale results or a clear error, never a bare 5xx or a raw 429, never
//! past its deadline, and recovers without a restart.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use axum::http::{StatusCode, header};
use common::{Answer, TestApp};
use emploi_proxy::config::CircuitSettings;
use emploi_sandbox::{Faults, SandboxConfig};
use emploi_types::api::{ApiError, ApiErrorCode, SearchResponse};

fn assert_clear_503(answer: &Answer) {
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    let secs: u32 = answer.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    let err: ApiError = answer.json();
    assert_eq!(err.code, ApiErrorCode::UpstreamUnavailable);
    assert_eq!(err.retry_after, Some(secs));
    assert!(err.message.contains("France Travail"), "{}", err.message);
}

#[tokio::test]
async fn a_slow_france_travail_gets_a_503_within_the_deadline() {
    let app = TestApp::build(SandboxConfig::default(), |c| {
        c.upstream_deadline = Duration::from_secs(1);
    })
    .await;
    app.sandbox.state().set_faults(Faults { latency_ms: 5_000, ..Faults::default() });
    let started = Instant::now();
    let answer = app.get("/api/v1/search?departement=35").await;
    let took = started.elapsed();
    assert_clear_503(&answer);
    // A bound on behaviour (the deadline is honoured), not a speed goal: 1 s plus slack.
    assert!(took < Duration::from_secs(4), "answered after {took:?}");
}

#[tokio::test]
async fn france_travail_429s_are_waited_out_and_never_passed_through() {
    let app = TestApp::new().await;
    let faults = Faults { force_429: true, retry_after_secs: Some(1), ..Faults::default() };
    app.sandbox.state().set_faults(faults.clone());
    // Lasting 429s: a 503 with Retry-After once the deadline's retries are spent.
    let answer = app.get("/api/v1/search?departement=29").await;
    assert_clear_503(&answer);
    // A 429 that clears: the proxy waits as told and answers.
    let sandbox = app.sandbox.state().clone();
    let clear = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        sandbox.set_faults(Faults::default());
    });
    let answer = app.get("/api/v1/search?departement=56").await;
    clear.await.unwrap();
    assert_eq!(answer.status, StatusCode::OK);
    assert!(app.sandbox.state().stats().rate_limited == 0, "forced 429s are counted as faults");
    assert!(app.sandbox.state().stats().faulted >= 2);
}

#[tokio::test]
async fn garbage_from_france_travail_is_a_clear_error_or_a_stale_answer() {
    let ttl = Duration::from_millis(100);
    let app = TestApp::with_ttl(SandboxConfig::default(), ttl).await;
    let cached = "/api/v1/search?commune=35238&rayon=5";
    assert_eq!(app.get(cached).await.status, StatusCode::OK);
    app.sandbox.state().set_faults(Faults { garbage_json: true, ..Faults::default() });
    tokio::time::sleep(ttl * 3).await;
    // Past its fresh life: served at once while a refresh runs behind; the refresh meets the
    // garbage, and from then on the answer says it is stale.
    let first: SearchResponse = app.get(cached).await.json();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stale: SearchResponse = app.get(cached).await.json();
    assert!(stale.stale);
    assert_eq!(stale.offres, first.offres);
    assert_clear_503(&app.get("/api/v1/search?commune=35288").await);
}

#[tokio::test]
async fn tokens_expiring_mid_traffic_are_renewed_without_errors() {
    let app = TestApp::new().await;
    app.sandbox.state().set_faults(Faults { token_lifetime_secs: Some(1), ..Faults::default() });
    let until = Instant::now() + Duration::from_millis(2_500);
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        // A new 150-offer window each time (pages of 50: every third page), so each is a call.
        let (dep, page) = (["35", "29", "56"][n / 20 % 3], (n % 20) * 3 + 1);
        let answer = app
            .get(&format!("/api/v1/search?departement={dep}&q=vente&par_page=50&page={page}"))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "search {n}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stats = app.sandbox.state().stats();
    assert!(stats.token_calls >= 3, "tokens renewed: {stats:?}");
}

#[tokio::test]
async fn the_circuit_opens_on_a_failing_france_travail_and_closes_when_it_is_back() {
    let app = TestApp::build(SandboxConfig::default(), |c| {
        c.circuit = CircuitSettings { failures: 3, open_for: Duration::from_millis(1_500) };
    })
    .await;
    let failing = Faults { error_rate: 1.0, error_status: Some(502), ..Faults::default() };
    app.sandbox.state().set_faults(failing);
    for dep in ["22", "29", "35"] {
        assert_clear_503(&app.get(&format!("/api/v1/search?departement={dep}")).await);
    }
    let calls_when_open = app.sandbox.state().stats().faulted;
    // Open: answers come at once, France Travail is left alone.
    for dep in ["44", "56", "49"] {
        assert_clear_503(&app.get(&format!("/api/v1/search?departement={dep}")).await);
    }
    assert_eq!(app.sandbox.state().stats().faulted, calls_when_open);
    let metrics = String::from_utf8(app.admin("/metrics").await.body).unwrap();
    assert!(metrics.contains("emploi_upstream_circuit_open 1"), "{metrics}");
    // France Travail is back: after the pause one probe goes through and closes the circuit.
    app.sandbox.state().set_faults(Faults::default());
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    assert_eq!(app.get("/api/v1/search?departement=44").await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/search?departement=56").await.status, StatusCode::OK);
    let metrics = String::from_utf8(app.admin("/metrics").await.body).unwrap();
    assert!(metrics.contains("emploi_upstream_circuit_open 0"), "{metrics}");
}

/// Opens the circuit (threshold 1) with one failing search, then waits out the pause.
async fn open_then_wait(app: &TestApp, open_for: Duration) {
    let failing = Faults { error_rate: 1.0, error_status: Some(502), ..Faults::default() };
    app.sandbox.state().set_faults(failing);
    assert_clear_503(&app.get("/api/v1/search?departement=22").await);
    let health: serde_json::Value = app.admin("/healthz").await.json();
    assert_eq!(health["france_travail"]["circuit"], "open", "{health}");
    assert_eq!(health["france_travail"]["up"], false, "{health}");
    // Issue 25, point 7: France Travail failing does not make the instance unready: its
    // files, plain pages and stale answers stay reachable behind a load balancer.
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "an open circuit leaves the instance ready");
    tokio::time::sleep(open_for + Duration::from_millis(50)).await;
}

/// Service is back within one open period once France Travail answers again.
async fn assert_back_within(app: &TestApp, open_for: Duration) {
    app.sandbox.state().set_faults(Faults::default());
    let until = Instant::now() + open_for + Duration::from_millis(500);
    let mut n = 0;
    loop {
        n += 1;
        let answer = app.get(&format!("/api/v1/search?departement=35&page={n}")).await;
        if answer.status == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < until, "still {} after one open period", answer.status);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let health: serde_json::Value = app.admin("/healthz").await.json();
    assert_eq!(health["france_travail"]["circuit"], "closed", "{health}");
}

fn circuit_app(
    open_for: Duration,
    deadline: Duration,
) -> impl FnOnce(&mut emploi_proxy::config::Config) {
    move |c| {
        c.circuit = CircuitSettings { failures: 1, open_for };
        c.upstream_deadline = deadline;
    }
}

/// Issue 13, point 2: a probe that met a 429 left the breaker half-open, and every search then
/// answered "circuit open" until a restart.
#[tokio::test]
async fn a_rate_limited_probe_does_not_leave_the_circuit_half_open() {
    let open_for = Duration::from_millis(400);
    let app = TestApp::build(
        SandboxConfig::default(),
        circuit_app(open_for, Duration::from_millis(1_500)),
    )
    .await;
    open_then_wait(&app, open_for).await;
    let limited = Faults { force_429: true, retry_after_secs: Some(1), ..Faults::default() };
    app.sandbox.state().set_faults(limited);
    assert_clear_503(&app.get("/api/v1/search?departement=29").await);
    assert_back_within(&app, open_for).await;
}

#[tokio::test]
async fn a_probe_whose_resident_left_still_closes_the_circuit() {
    let open_for = Duration::from_millis(400);
    let app =
        TestApp::build(SandboxConfig::default(), circuit_app(open_for, Duration::from_secs(8)))
            .await;
    open_then_wait(&app, open_for).await;
    app.sandbox.state().set_faults(Faults { latency_ms: 1_000, ..Faults::default() });
    // The resident goes away while the probe is on its way. The call runs in its own task
    // (issue 26: a paid-for answer is kept), so it still ends, closes the circuit, and its
    // answer is cached.
    let gone =
        tokio::time::timeout(Duration::from_millis(200), app.get("/api/v1/search?departement=29"))
            .await;
    assert!(gone.is_err(), "the probe should still be on its way");
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    let health: serde_json::Value = app.admin("/healthz").await.json();
    assert_eq!(health["france_travail"]["circuit"], "closed", "{health}");
    let calls = app.upstream_searches();
    assert_eq!(app.get("/api/v1/search?departement=29").await.status, StatusCode::OK);
    assert_eq!(app.upstream_searches(), calls, "the probe's answer was kept");
}

#[tokio::test]
async fn a_probe_slower_than_the_deadline_reopens_then_service_returns() {
    let open_for = Duration::from_millis(400);
    let app =
        TestApp::build(SandboxConfig::default(), circuit_app(open_for, Duration::from_millis(500)))
            .await;
    open_then_wait(&app, open_for).await;
    app.sandbox.state().set_faults(Faults { latency_ms: 2_000, ..Faults::default() });
    let started = Instant::now();
    assert_clear_503(&app.get("/api/v1/search?departement=29").await);
    assert!(started.elapsed() < Duration::from_secs(2), "the probe's deadline was not kept");
    tokio::time::sleep(open_for).await;
    assert_back_within(&app, open_for).await;
}
