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
use emploi_types::api::{Evenements, Indicateurs};
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

/// A test app whose sandbox agenda is around today, as the proxy's events window is.
async fn app_today(
    config: SandboxConfig,
    tweak: impl FnOnce(&mut emploi_proxy::config::Config),
) -> TestApp {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    let now = i64::try_from(now.as_secs()).unwrap();
    TestApp::build(SandboxConfig { now: Some(now), ..config }, tweak).await
}

fn api_calls(app: &TestApp) -> u64 {
    app.sandbox.state().stats().api_calls
}

#[tokio::test]
async fn events_near_a_commune_are_listed_soonest_first_and_shared_by_the_departement() {
    let app = app_today(SandboxConfig::default(), |_| {}).await;
    let referentiel = emploi_territory::Referentiel::load();
    let before = api_calls(&app);
    let answer = app.get("/api/v1/evenements?commune=35238&rayon=15").await;
    assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.body));
    let list: Evenements = answer.json();
    assert_eq!(api_calls(&app) - before, 1, "one page of the département's events");
    assert!(!list.evenements.is_empty(), "Rennes has coming events");
    assert!(list.evenements.len() <= 20);
    assert!(list.mis_a_jour.is_some() && !list.stale);
    let rennes = referentiel.commune("35238").unwrap().coords().unwrap();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    for pair in list.evenements.windows(2) {
        assert!(pair[0].debut <= pair[1].debut, "soonest first");
    }
    for e in &list.evenements {
        assert!(e.debut[..10] >= *today, "{} is past", e.debut);
        assert!(e.inscription.starts_with("https://"), "{}", e.inscription);
        assert!(e.sur_place || e.en_ligne);
        // Every event's commune is within the radius (plus the commune's own extent).
        let near = referentiel
            .communes()
            .iter()
            .filter(|c| c.codes_postaux.iter().any(|p| *p == e.code_postal))
            .any(|c| c.coords().is_some_and(|p| emploi_territory::distance_km(rennes, p) <= 20.0));
        assert!(near, "{} {} is not near Rennes", e.code_postal, e.ville);
    }
    // Bruz, 10 km around, is in the same département: the same cached page, no new call.
    let before = api_calls(&app);
    let bruz: Evenements = app.get("/api/v1/evenements?commune=35047&rayon=5").await.json();
    assert_eq!(api_calls(&app), before, "the département's page is shared");
    assert!(bruz.evenements.len() <= list.evenements.len() + 20);
    // Fougères with 30 km reaches over the border (Manche, Mayenne): one call per département
    // not asked yet, Ille-et-Vilaine's page shared; and its list is soonest first across them.
    let before = api_calls(&app);
    let fougeres: Evenements = app.get("/api/v1/evenements?commune=35115&rayon=30").await.json();
    let calls = api_calls(&app) - before;
    assert!((1..=3).contains(&calls), "{calls} calls: one per département other than 35");
    for pair in fougeres.evenements.windows(2) {
        assert!(pair[0].debut <= pair[1].debut, "soonest first across départements");
    }
    let before = api_calls(&app);
    let _: Evenements = app.get("/api/v1/evenements?departement=50").await.json();
    assert_eq!(api_calls(&app), before, "Manche's page, asked for Fougères, is shared");

    // Filters are applied to that page, without another call.
    let forums: Evenements = app.get("/api/v1/evenements?departement=35&type=14").await.json();
    assert!(forums.evenements.iter().all(|e| e.genre == "Forum"));
    let online: Evenements =
        app.get("/api/v1/evenements?departement=35&modalite=en-ligne").await.json();
    assert!(!online.evenements.is_empty() && online.evenements.iter().all(|e| e.en_ligne));
    assert_eq!(api_calls(&app), before);

    // Bad filters are told, with the parameter at fault.
    for (query, status, param) in [
        ("type=12", 400, "type"),
        ("modalite=partout", 400, "modalite"),
        ("du=2026-02-30x", 400, "du"),
        ("du=2026-12-10&au=2026-12-01", 422, "au"),
        ("commune=35238&epci=243500139", 422, "epci"),
        ("couleur=bleu", 400, "couleur"),
        // A broken value is told before a conflict, wherever each stands.
        ("commune=35238&epci=243500139&du=", 400, "du"),
        ("du=2026-12-10&au=2026-12-01&type=x", 400, "type"),
        // A filter given twice is refused, as a search's parameters are.
        ("type=14&type=15", 400, "type"),
        ("du=2026-12-07&du=2026-12-08", 400, "du"),
    ] {
        let answer = app.get(&format!("/api/v1/evenements?{query}")).await;
        assert_eq!(answer.status, status, "{query}");
        let error: serde_json::Value = answer.json();
        assert_eq!(error["parametre"], param, "{query}: {error}");
    }
}

#[tokio::test]
async fn an_epcis_events_are_in_its_communes_and_the_calendar_reads_back() {
    use icalendar::Component;
    let app = app_today(SandboxConfig::default(), |_| {}).await;
    let referentiel = emploi_territory::Referentiel::load();
    // Rennes Métropole.
    let epci = referentiel.epci("243500139").unwrap();
    let list: Evenements = app.get("/api/v1/evenements?epci=243500139").await.json();
    assert!(!list.evenements.is_empty());
    for e in &list.evenements {
        let member = epci
            .membres
            .iter()
            .filter_map(|m| referentiel.commune(m))
            .any(|c| c.codes_postaux.iter().any(|p| *p == e.code_postal));
        assert!(member, "{} {} is not in the EPCI", e.code_postal, e.ville);
    }

    // The same list as an iCalendar feed, read back by a parser.
    let answer = app.send("/api/v1/evenements.ics?site=demo&epci=243500139", &[]).await;
    assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.body));
    assert!(answer.headers["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let text = String::from_utf8(answer.body).unwrap();
    let calendar: icalendar::Calendar = text.parse().unwrap();
    let events: Vec<&icalendar::Event> =
        calendar.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), list.evenements.len());
    let first = &list.evenements[0];
    assert_eq!(events[0].get_summary(), Some(first.titre.as_str()));
    assert_eq!(events[0].get_url(), Some(first.inscription.as_str()));
    assert!(events[0].get_start().is_some() && events[0].get_end().is_some());

    // One event as a file to open.
    let one = app
        .send(
            &format!("/api/v1/evenements.ics?site=demo&epci=243500139&evenement={}", first.id),
            &[],
        )
        .await;
    assert_eq!(one.status, 200);
    assert!(one.headers["content-disposition"].to_str().unwrap().contains(".ics"));
    let calendar: icalendar::Calendar = String::from_utf8(one.body).unwrap().parse().unwrap();
    assert_eq!(calendar.components.iter().filter_map(|c| c.as_event()).count(), 1);
    assert_eq!(
        app.send("/api/v1/evenements.ics?site=demo&epci=243500139&evenement=1", &[]).await.status,
        404
    );
    assert_eq!(app.send("/api/v1/evenements.ics?site=demo&evenement=x", &[]).await.status, 400);
}

#[tokio::test]
async fn indicators_say_their_level_period_and_update_and_fall_back_when_a_level_has_none() {
    let app = app_today(SandboxConfig::default(), |_| {}).await;
    let answer = app.get("/api/v1/indicateurs?commune=35238").await;
    assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.body));
    let figures: Indicateurs = answer.json();
    assert_eq!(figures.source, "France Travail – Dares");
    let seekers = figures.demandeurs.clone().expect("job seekers");
    assert_eq!(seekers.portee.niveau, "EPCI", "job seekers are published by EPCI");
    assert!(seekers.valeur > 1_000, "{}", seekers.valeur);
    assert!(seekers.portee.periode.contains("trimestre"), "{}", seekers.portee.periode);
    assert_eq!(seekers.portee.mis_a_jour.len(), 10);
    let hires = figures.embauches.clone().expect("hires");
    assert_eq!(
        (hires.portee.niveau.as_str(), hires.portee.territoire.as_str()),
        ("DEP", "ILLE-ET-VILAINE")
    );
    assert!(!figures.tensions.is_empty());
    assert!(
        figures.tensions.iter().all(|t| (1..=5).contains(&t.score) && t.portee.niveau == "DEP")
    );

    // Asked again: every figure comes from the cache.
    let before = api_calls(&app);
    let again: Indicateurs = app.get("/api/v1/indicateurs?commune=35238").await.json();
    assert_eq!((api_calls(&app), &again), (before, &figures));

    // Where France Travail publishes no EPCI figures, job seekers come from the département.
    let quirks = emploi_sandbox::MarketQuirks { epci_indicators: vec![], ..Default::default() };
    let app =
        app_today(SandboxConfig { market_quirks: quirks, ..SandboxConfig::default() }, |_| {})
            .await;
    let figures: Indicateurs = app.get("/api/v1/indicateurs?epci=243500139").await.json();
    assert_eq!(figures.demandeurs.unwrap().portee.niveau, "DEP");
}

#[tokio::test]
async fn an_api_the_application_cannot_reach_is_absent_and_nothing_else_breaks() {
    let unsubscribed = SandboxConfig {
        subscriptions: Subscriptions { evenements: false, marche: false },
        ..SandboxConfig::default()
    };
    let app = app_today(unsubscribed, |_| {}).await;
    // Before the start-up discovery: the first 403 is learnt, and answered as "not offered".
    for path in ["/api/v1/evenements?commune=35238", "/api/v1/indicateurs?commune=35238"] {
        let answer = app.get(path).await;
        assert_eq!(answer.status, 404, "{path}");
        let error: serde_json::Value = answer.json();
        assert!(error["message"].as_str().unwrap().contains("pas proposé"), "{error}");
    }
    assert_eq!(
        app.state.upstream.apis(),
        Apis { evenements: Reach::Refused, marche: Reach::Refused }
    );
    // Then no call at all.
    let before = api_calls(&app);
    assert_eq!(app.get("/api/v1/evenements?commune=35238").await.status, 404);
    assert_eq!(api_calls(&app), before);
    assert!(app.state.upstream.health().up);
    assert_eq!(app.get("/api/v1/search?commune=35238").await.status, 200);
    assert_eq!(app.get("/api/v1/marche?commune=35238").await.status, 200);
}

#[tokio::test]
async fn france_travail_failing_serves_the_last_events_flagged_or_a_clear_503() {
    let app = app_today(SandboxConfig::default(), |c| {
        c.cache.events_ttl = std::time::Duration::from_secs(1);
    })
    .await;
    let failing = emploi_sandbox::Faults { error_rate: 1.0, ..Default::default() };
    let fresh: Evenements = app.get("/api/v1/evenements?departement=35").await.json();
    app.sandbox.state().set_faults(failing.clone());
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let answer = app.get("/api/v1/evenements?departement=35").await;
    assert_eq!(answer.status, 200);
    let stale: Evenements = answer.json();
    assert_eq!(stale.evenements, fresh.evenements);
    assert!(stale.stale, "the list says it is the last one France Travail gave");
    // Never asked before: a 503 with a message, which the widget shows as an absent panel.
    let answer = app.get("/api/v1/evenements?departement=44").await;
    assert_eq!(answer.status, 503);
    let error: serde_json::Value = answer.json();
    assert!(error["message"].is_string());
}
