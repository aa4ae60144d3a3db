//! Issue 29: which of France Travail's events and labour-market APIs the application reaches
//! is found out once, at start, and an API it cannot reach is simply not offered.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;

use common::TestApp;
use emploi_proxy::config::FranceTravailConfig;
use emploi_proxy::upstream::{Apis, Reach, TokenProvider};
use emploi_sandbox::{SandboxConfig, Subscriptions};
use secrecy::ExposeSecret;

#[tokio::test]
async fn the_apis_the_application_reaches_are_found_once_at_start() {
    let app = TestApp::build(SandboxConfig::default(), |_| {}).await;
    let before = app.sandbox.state().stats().api_calls;
    assert_eq!(app.state.upstream.apis(), Apis::default(), "unknown before");
    let apis = app.state.upstream.discover().await;
    assert_eq!(apis, Apis { evenements: Reach::Yes, marche: Reach::Yes });
    assert_eq!(app.state.upstream.apis(), apis);
    assert_eq!(app.sandbox.state().stats().api_calls - before, 2, "one small call each");

    let unsubscribed = SandboxConfig {
        subscriptions: Subscriptions { evenements: false, marche: true },
        ..SandboxConfig::default()
    };
    let app = TestApp::build(unsubscribed, |_| {}).await;
    let apis = app.state.upstream.discover().await;
    assert_eq!(apis, Apis { evenements: Reach::Refused, marche: Reach::Yes });
    // A refusal is an answer: France Travail is up, the offers go on.
    assert!(app.state.upstream.health().up);
    assert_eq!(app.get("/api/v1/search?q=boulanger").await.status, 200);
}

/// A token endpoint that refuses the scopes of APIs the application is not subscribed to
/// (`invalid_scope`, as older reports say) still gives the offers' token.
#[tokio::test]
async fn a_token_endpoint_refusing_the_scopes_gives_the_offers_token() {
    let sandbox = emploi_sandbox::start(
        SandboxConfig { offers: 300, ..SandboxConfig::default() },
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let mut config = FranceTravailConfig::at(
        &sandbox.base_url(),
        "PAR_sandbox".to_owned(),
        "sandbox-secret".to_owned(),
    );
    // A scope the sandbox does not know stands for one the real endpoint refuses.
    config.scope = format!("{} api_inconnuev1", config.scope);
    let http = reqwest::Client::new();
    let tokens = TokenProvider::new(http.clone(), config, None);
    let token = tokens.token().await.expect("the offers' token");
    let offers = http
        .get(format!("{}/partenaire/offresdemploi/v2/offres/search", sandbox.base_url()))
        .bearer_auth(token.expose_secret())
        .send()
        .await
        .unwrap();
    assert!(offers.status().is_success(), "{}", offers.status());
    let events = http
        .post(format!("{}/partenaire/evenements/v1/mee/evenements", sandbox.base_url()))
        .bearer_auth(token.expose_secret())
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 403, "the narrowed token has the offers' scopes only");
}
