//! Who may call the API: site keys, origins, per-client limits; and what every answer
//! carries: request ids, metrics, the OpenAPI document, cache headers of the widget's files.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use axum::http::{StatusCode, header};
use common::TestApp;
use emploi_proxy::config::{Limits, ReportSecret, SiteConfig};
use emploi_proxy::sites::OriginPattern;
use emploi_sandbox::SandboxConfig;
use emploi_types::api::{ApiError, ApiErrorCode, SearchResponse};
use emploi_types::recherche::Zone;

const PAGE: &str = "https://www.saint-exemple.fr";

fn saint_exemple() -> SiteConfig {
    SiteConfig {
        line: 1,
        key: "saint-exemple".into(),
        name: Some("Mairie de Saint-Exemple".into()),
        origins: vec![
            OriginPattern::parse("https://www.saint-exemple.fr").unwrap(),
            OriginPattern::parse("https://*.agglo-exemple.fr").unwrap(),
        ],
        territory: Some(Zone::Commune { code: "35288".into(), rayon: 20 }),
        report_secret: ReportSecret::new(REPORT_SECRET),
    }
}

/// Saint-Exemple's report secret.
const REPORT_SECRET: &str = "rapport-saint-exemple-2026";

async fn app(limits: Limits) -> TestApp {
    TestApp::build(SandboxConfig::default(), |c| {
        c.sites.push(saint_exemple());
        c.limits = limits;
    })
    .await
}

fn refusal(answer: &common::Answer) -> ApiError {
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", String::from_utf8_lossy(&answer.body));
    let err: ApiError = answer.json();
    assert_eq!(err.code, ApiErrorCode::Forbidden);
    err
}

#[tokio::test]
async fn a_registered_site_searches_its_default_territory_from_its_own_pages() {
    let app = app(Limits::default()).await;
    let answer =
        app.send("/api/v1/search?site=saint-exemple&par_page=3", &[("origin", PAGE)]).await;
    assert_eq!(answer.status, StatusCode::OK);
    let body: SearchResponse = answer.json();
    let t = body.territoire.unwrap();
    assert_eq!((t.code.as_str(), t.nom.as_str(), t.rayon), ("35288", "Saint-Malo", Some(20)));
    // A territory in the request wins over the default.
    let answer = app
        .send("/api/v1/search?site=saint-exemple&departement=22&par_page=3", &[("origin", PAGE)])
        .await;
    assert_eq!(answer.json::<SearchResponse>().territoire.unwrap().code, "22");
    // Sub-domain wildcard.
    let answer = app
        .send("/api/v1/search?site=saint-exemple", &[("origin", "https://emploi.agglo-exemple.fr")])
        .await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_keys_foreign_pages_and_missing_origins_are_refused_clearly() {
    let app = app(Limits::default()).await;
    let err = refusal(&app.send("/api/v1/search?site=inconnu", &[("origin", PAGE)]).await);
    assert!(err.message.contains("inconnu"), "{}", err.message);
    let err = refusal(&app.send("/api/v1/search", &[("origin", PAGE)]).await);
    assert!(err.message.contains("site="), "{}", err.message);
    let err = refusal(
        &app.send("/api/v1/search?site=saint-exemple", &[("origin", "https://evil.example")]).await,
    );
    assert!(err.message.contains("https://evil.example"), "{}", err.message);
    refusal(&app.send("/api/v1/search?site=saint-exemple", &[]).await);
    refusal(&app.send("/api/v1/search?site=saint-exemple", &[("origin", "null")]).await);
    // A page that looks like the site but is not.
    refusal(
        &app.send(
            "/api/v1/search?site=saint-exemple",
            &[("origin", "https://www.saint-exemple.fr.evil.example")],
        )
        .await,
    );
    refusal(
        &app.send(
            "/api/v1/lieux?site=saint-exemple&q=rennes",
            &[("origin", "http://127.0.0.1:5500")],
        )
        .await,
    );
    refusal(&app.send("/api/v1/offres/1234567?site=nope", &[("origin", PAGE)]).await);
    refusal(&app.send("/api/v1/marche?site=nope", &[("origin", PAGE)]).await);
    // In English on request, with the CORS header so that the widget can read why.
    let answer = app
        .send("/api/v1/search?site=inconnu", &[("origin", PAGE), ("accept-language", "en")])
        .await;
    assert_eq!(answer.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(refusal(&answer).message.starts_with("Unknown site key"));
    assert_eq!(app.upstream_searches(), 0, "refusals cost no France Travail call");
}

#[tokio::test]
async fn same_origin_pages_are_recognised_by_their_referer() {
    let app = app(Limits::default()).await;
    let answer = app
        .send(
            "/api/v1/search?site=saint-exemple",
            &[("referer", "https://www.saint-exemple.fr/emploi.html?x=1")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    refusal(
        &app.send("/api/v1/search?site=saint-exemple", &[("referer", "https://evil.example/")])
            .await,
    );
}

#[tokio::test]
async fn the_per_ip_limit_holds_whatever_forwarded_header_is_sent() {
    let app = app(Limits { per_ip_per_minute: 4, ..Limits::default() }).await;
    let mut statuses = Vec::new();
    for i in 0..6 {
        let spoof = format!("198.51.100.{i}");
        let answer = app
            .send(
                "/api/v1/search?site=saint-exemple",
                &[("origin", PAGE), ("x-forwarded-for", &spoof)],
            )
            .await;
        statuses.push(answer.status.as_u16());
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            let secs: u32 = answer.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
            assert!((1..=60).contains(&secs));
            let err: ApiError = answer.json();
            assert_eq!(err.code, ApiErrorCode::RateLimited);
            assert_eq!(err.retry_after, Some(secs));
        }
    }
    assert_eq!(statuses, [200, 200, 200, 200, 429, 429]);
}

/// Issue 25, point 3: a per-site limit counting every request let an outsider's cache hits
/// push the commune's own residents into 429.
#[tokio::test]
async fn an_outsider_spending_its_allowance_never_locks_residents_out() {
    let app = Arc::new(
        app(Limits {
            per_ip_per_minute: 20,
            trusted_proxies: vec!["203.0.113.9".parse().unwrap()],
            ..Limits::default()
        })
        .await,
    );
    // 3,200 cheap requests (one cached page) from 160 addresses: more than the 3,000 a minute
    // the per-site limit allowed, so that with it the residents below got 429s.
    let mut limited = 0;
    for i in 0..160 {
        let outsider = format!("198.51.{}.{}", 100 + i / 100, i % 100);
        for _ in 0..20 {
            let page = app
                .send("/offres?site=saint-exemple&commune=35238", &[("x-forwarded-for", &outsider)])
                .await;
            limited += usize::from(page.status == StatusCode::TOO_MANY_REQUESTS);
        }
    }
    assert_eq!(limited, 0, "each outsider address keeps within its own allowance");
    let one = [("x-forwarded-for", "198.51.100.66")];
    let over = app.send("/offres?site=saint-exemple&commune=35238", &one).await;
    assert_eq!(over.status, StatusCode::TOO_MANY_REQUESTS, "and no more");
    // Residents, each from their own address, are served as usual.
    for i in 0..30 {
        let resident = format!("192.0.2.{i}");
        let answer = app
            .send(
                "/api/v1/search?site=saint-exemple",
                &[("origin", PAGE), ("x-forwarded-for", &resident)],
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "resident {i}");
    }
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_keeps_the_callers() {
    let app = TestApp::new().await;
    let answer = app.get("/api/v1/search?q=vente").await;
    let id = answer.headers["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 25, "prefix and counter: {id}");
    let next = app.get("/api/v1/search?q=vente").await;
    assert_ne!(next.headers["x-request-id"].to_str().unwrap(), id, "unique");
    let answer = app.get_with("/healthz", &[("x-request-id", "abc-123")]).await;
    assert_eq!(answer.headers["x-request-id"], "abc-123");
}

#[tokio::test]
async fn metrics_count_requests_upstream_calls_cache_and_refusals() {
    let app = TestApp::new().await;
    app.get("/api/v1/search?q=vente").await;
    app.get("/api/v1/search?q=vente").await;
    app.get("/api/v1/search?site=nope").await;
    let answer = app.admin("/metrics").await;
    assert_eq!(answer.status, StatusCode::OK);
    let text = String::from_utf8(answer.body).unwrap();
    for needle in [
        "emploi_http_requests_total{route=\"/api/v1/search\",status=\"200\"} 2",
        "emploi_http_requests_total{route=\"/api/v1/search\",status=\"403\"} 1",
        "emploi_upstream_calls_total{endpoint=\"search\",outcome=\"ok\"} 1",
        "emploi_cache_lookups_total{cache=\"response\",result=\"hit\"} 1",
        "emploi_cache_lookups_total{cache=\"response\",result=\"miss\"} 1",
        "emploi_cache_lookups_total{cache=\"search\",result=\"miss\"} 1",
        "emploi_refused_total{reason=\"forbidden\"} 1",
        "emploi_http_request_duration_seconds_count{route=\"/api/v1/search\"} 3",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
    assert!(!text.contains("vente"), "no query in metrics");
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = TestApp::new().await;
    let answer = app.send("/api/v1/openapi.json", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "public, no site key needed");
    let doc: serde_json::Value = answer.json();
    let paths: Vec<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "/api/v1/evenements",
            "/api/v1/evenements.ics",
            "/api/v1/flux",
            "/api/v1/indicateurs",
            "/api/v1/lieux",
            "/api/v1/marche",
            "/api/v1/metiers",
            "/api/v1/offres/{id}",
            "/api/v1/postuler/{id}",
            "/api/v1/search",
            "/api/v1/vue"
        ]
    );
    let mut search_params: Vec<&str> = doc["paths"]["/api/v1/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let mut accepted: Vec<&str> =
        emploi_types::recherche::Param::ALL.iter().map(|p| p.name()).collect();
    accepted.extend(["site", "sonde"]);
    search_params.sort_unstable();
    accepted.sort_unstable();
    assert_eq!(search_params, accepted, "the document follows the code");
    for schema in ["SearchResponse", "OffreDetail", "Lieu", "Marche", "ApiError"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
    insta::assert_json_snapshot!("openapi", doc);
}

/// docs/api.md is the document in Markdown; `EMPLOI_WRITE_DOCS=1` rewrites it.
#[tokio::test]
async fn the_api_reference_is_written_from_the_document() {
    let app = TestApp::new().await;
    let doc: serde_json::Value = app.send("/api/v1/openapi.json", &[]).await.json();
    let written = emploi_proxy::openapi::reference(&doc);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api.md");
    if std::env::var_os("EMPLOI_WRITE_DOCS").is_some() {
        std::fs::write(path, &written).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == written,
        "docs/api.md is not the document: run EMPLOI_WRITE_DOCS=1 cargo test -p emploi-proxy --test access"
    );
    assert!(written.contains("pattern `^[0-9]{9}$`"), "{written}");
}

#[tokio::test]
async fn widget_files_are_precompressed_and_cached_by_kind() {
    let app = TestApp::new().await;
    let dir = app.widget_dir();
    std::fs::write(dir.join("offres-emploi.js.br"), b"brotli bytes").unwrap();
    std::fs::write(dir.join("emploi-widget-0123456789abcdef.js"), b"export {};").unwrap();
    let loader = app.get_with("/widget/offres-emploi.js", &[("accept-encoding", "br, gzip")]).await;
    assert_eq!(loader.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(loader.body, b"brotli bytes");
    assert_eq!(loader.headers[header::CACHE_CONTROL], "public, max-age=300");
    let plain = app.get("/widget/offres-emploi.js").await;
    assert_eq!(plain.body, b"export {};");
    let hashed = app.get("/widget/emploi-widget-0123456789abcdef.js").await;
    assert_eq!(hashed.headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(hashed.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
}

#[tokio::test]
async fn unknown_addresses_and_other_methods_get_json_errors_too() {
    use axum::body::Body;
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let missing = app.get("/api/v1/recherche?q=x").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json::<ApiError>().code, ApiErrorCode::NotFound);
    let undecodable = app.get("/api/v1/offres/%FF%FE").await;
    assert_eq!(undecodable.status, StatusCode::BAD_REQUEST);
    assert_eq!(undecodable.json::<ApiError>().parametre.as_deref(), Some("id"));
    let post = axum::http::Request::post("/api/v1/search?site=demo")
        .header("origin", "http://127.0.0.1:5500")
        .body(Body::from("q=x"))
        .unwrap();
    let answer = app.router.clone().oneshot(post).await.unwrap();
    assert_eq!(answer.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body = http_body_util::BodyExt::collect(answer.into_body()).await.unwrap().to_bytes();
    let err: ApiError = serde_json::from_slice(&body).unwrap();
    assert!(err.message.contains("GET"));
}

#[tokio::test]
async fn a_page_with_a_csp_file_beside_it_is_served_with_that_policy() {
    let site = std::env::temp_dir().join(format!("emploi-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("csp")).unwrap();
    std::fs::write(site.join("csp/strict.html"), "<!doctype html><title>x</title>").unwrap();
    std::fs::write(site.join("csp/strict.html.csp"), "default-src 'none'\n").unwrap();
    std::fs::write(site.join("plain.html"), "<!doctype html><title>y</title>").unwrap();
    let dir = site.clone();
    let app = TestApp::build(SandboxConfig::default(), move |c| c.site_dir = dir).await;
    let strict = app.get("/csp/strict.html").await;
    assert_eq!(strict.status, StatusCode::OK);
    assert_eq!(strict.headers[header::CONTENT_SECURITY_POLICY], "default-src 'none'");
    let plain = app.get("/plain.html").await;
    assert!(plain.headers.get(header::CONTENT_SECURITY_POLICY).is_none());
    let escape = app.get("/csp/../csp/strict.html").await;
    assert!(escape.headers.get(header::CONTENT_SECURITY_POLICY).is_none());
    std::fs::remove_dir_all(&site).unwrap();
}

/// Issue 13, point 8: the budget queue was first come, first served across sites, so one site
/// key flooding distinct searches held back every other commune's residents.
#[tokio::test]
async fn a_site_flooding_misses_does_not_starve_another_site() {
    let app = TestApp::build(SandboxConfig::default(), |c| {
        c.budget = emploi_proxy::config::Budget {
            calls_per_second: 5,
            wait: std::time::Duration::from_secs(20),
            ..emploi_proxy::config::Budget::default()
        };
        // The flood comes from many addresses: no per-client share to stop it here.
        c.limits.calls_per_client_per_minute = 0;
        c.limits.per_ip_per_minute = 10_000;
        c.sites.push(emploi_proxy::config::SiteConfig {
            key: "flood".to_owned(),
            ..emploi_proxy::config::SiteConfig::demo()
        });
    })
    .await;
    let app = Arc::new(app);
    // Forty distinct misses: forty départements.
    let flood: Vec<_> = (1..=41)
        .filter(|d| *d != 20)
        .map(|d| {
            let app = Arc::clone(&app);
            tokio::spawn(async move {
                app.get(&format!("/api/v1/search?site=flood&departement={d:02}")).await.status
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let resident = app.get("/api/v1/search?commune=35238&q=boulanger").await;
    let waited = started.elapsed();
    assert_eq!(resident.status, StatusCode::OK);
    // Behind 40 flooding calls at 5 a second, first come first served meant about 8 s. Taking
    // turns, the resident waits for the slot in use and the next one: stated bound 1.5 s.
    assert!(waited < std::time::Duration::from_millis(1_500), "the resident waited {waited:?}");
    let mut served = 0;
    for f in flood {
        served += u32::from(f.await.unwrap() == StatusCode::OK);
    }
    assert_eq!(served, 40, "the flood is served too, at the budget's pace");
}

/// Issue 13, point 4: the widget's suggestions after an empty result made up to three more
/// searches that waited in the queue like residents'; marked `sonde=1` they use spare capacity
/// only, and never wait.
#[tokio::test]
async fn optional_searches_use_spare_capacity_only() {
    let app = TestApp::build(SandboxConfig::default(), |c| {
        c.budget = emploi_proxy::config::Budget {
            calls_per_second: 1,
            wait: std::time::Duration::from_secs(5),
            ..emploi_proxy::config::Budget::default()
        };
    })
    .await;
    assert_eq!(app.get("/api/v1/search?departement=35").await.status, StatusCode::OK);
    let started = std::time::Instant::now();
    let spare = app.get("/api/v1/search?departement=29&sonde=1").await;
    assert_eq!(spare.status, StatusCode::SERVICE_UNAVAILABLE, "no spare slot: no wait");
    assert!(started.elapsed() < std::time::Duration::from_millis(500), "{:?}", started.elapsed());
    let cached = app.get("/api/v1/search?departement=35&par_page=1&sonde=1").await;
    assert_eq!(cached.status, StatusCode::OK, "a window already fetched costs nothing");
    assert_eq!(app.upstream_searches(), 1);
    let bad = app.get("/api/v1/search?departement=35&sonde=oui").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_first_view_renders_the_widget_with_the_answer_the_widget_would_get() {
    let app = app(Limits::default()).await;
    let view = app
        .send(
            "/api/v1/vue?site=saint-exemple&commune=35238&rayon=20&par-page=10",
            &[("origin", PAGE)],
        )
        .await;
    assert_eq!(view.status, StatusCode::OK);
    // The render's own time, for the browser's network panel and the bench.
    let timing = view.headers.get("server-timing").and_then(|v| v.to_str().ok()).unwrap_or("");
    let ms: f64 = timing.strip_prefix("render;dur=").and_then(|d| d.parse().ok()).unwrap();
    assert!(ms > 0.0, "{timing}");
    let v: serde_json::Value = view.json();
    let before = app.upstream_searches();
    // The widget's own request for the same search: served from the same cached answer.
    let search = app
        .send(
            "/api/v1/search?site=saint-exemple&commune=35238&rayon=20&tri=date&page=1&par_page=10",
            &[("origin", PAGE)],
        )
        .await;
    assert_eq!(app.upstream_searches(), before, "the search is a hit");
    let r: SearchResponse = search.json();
    assert_eq!(v["donnees"]["reponse"], serde_json::to_value(&r).unwrap());
    let html = v["html"].as_str().unwrap();
    // Every card is in the HTML, in order, with the form and the status sentence.
    let mut at = 0;
    for o in &r.offres {
        let card = format!("data-id=\"{}\"", o.id);
        at += html[at..].find(&card).unwrap_or_else(|| panic!("{card} missing or out of order"));
    }
    assert_eq!(html.matches("data-testid=\"offer\"").count(), 10);
    assert!(html.contains("role=\"search\""));
    assert!(html.contains("à moins de 20 km de Rennes"), "{html}");
    assert!(html.contains("<option value=\"20\" selected>"), "the radius list says 20 km");
    // The same site checks as every endpoint.
    let refused = app
        .send("/api/v1/vue?site=saint-exemple&commune=35238", &[("origin", "https://evil.example")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_first_view_that_cannot_search_renders_the_error_in_the_element_language() {
    let app = app(Limits::default()).await;
    let view =
        app.send("/api/v1/vue?site=saint-exemple&mots-cles=a&lang=en", &[("origin", PAGE)]).await;
    assert_eq!(view.status, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = view.json();
    let html = v["html"].as_str().unwrap();
    let message = v["donnees"]["erreur"]["message"].as_str().unwrap();
    assert!(message.is_ascii() && !message.is_empty(), "an English message: {message}");
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains(message), "the message is on screen: {html}");
    assert!(html.contains("lang=\"en-GB\""));
}

#[tokio::test]
async fn plain_pages_need_a_registered_key_but_no_origin_and_only_the_site_may_frame_them() {
    let app = app(Limits::default()).await;
    let before = app.upstream_searches();
    // A link or a frame: no Origin header.
    let page = app.send("/offres?site=saint-exemple&commune=35238&rayon=20", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = String::from_utf8(page.body.clone()).unwrap();
    assert!(html.starts_with("<!doctype html><html lang=\"fr\">"), "{html}");
    assert!(html.contains("<template shadowrootmode=\"open\">"));
    assert!(html.contains(r#"<form id="oe-form" method="get" action="/offres""#), "{html}");
    assert_eq!(html.matches("data-testid=\"offer\"").count(), 20);
    assert_eq!(app.upstream_searches(), before + 1, "one search, through the budget");
    let csp = page.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    assert!(csp.contains(&format!("frame-ancestors {PAGE} https://*.agglo-exemple.fr")), "{csp}");
    assert!(csp.contains("form-action 'self'") && csp.contains("script-src 'self'"), "{csp}");
    // The widget's own request for the same search is the page's cached answer.
    app.send(
        "/api/v1/search?site=saint-exemple&commune=35238&rayon=20&tri=date&page=1&par_page=20",
        &[("origin", PAGE)],
    )
    .await;
    assert_eq!(app.upstream_searches(), before + 1);

    // An unknown key: a readable page, framed by nobody.
    let unknown = app.send("/offres?site=inconnu&lang=en", &[]).await;
    assert_eq!(unknown.status, StatusCode::FORBIDDEN);
    let html = String::from_utf8(unknown.body.clone()).unwrap();
    assert!(html.contains("Unknown site key"), "{html}");
    let csp = unknown.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    assert!(csp.ends_with("frame-ancestors 'none'"), "{csp}");

    // Bad input: 4xx pages, never a 5xx.
    let id = app.send("/offres/pas-un-id?site=saint-exemple", &[]).await;
    assert_eq!(id.status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8(id.body.clone()).unwrap().contains("Identifiant d'offre invalide"));
    let radius = app.send("/offres?site=saint-exemple&commune=35238&rayon=900&page=1", &[]).await;
    assert_eq!(radius.status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8(radius.body.clone()).unwrap().contains("role=\"alert\""));
    let print = app.send("/offres/imprimer?site=saint-exemple&mots-cles=a&page=1&q=a", &[]).await;
    assert_eq!(print.status, StatusCode::BAD_REQUEST);

    // A place typed in the field: the page moves to that place's own address.
    let moved = app
        .send("/offres?site=saint-exemple&commune=35238&rayon=10&q=&lieu=Saint-Malo&page=1", &[])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let to = moved.headers.get(header::LOCATION).unwrap().to_str().unwrap();
    assert!(to.starts_with("/offres?site=saint-exemple&") && to.contains("commune=35288"), "{to}");
}

#[tokio::test]
async fn the_print_view_posts_the_search_with_a_qr_code_per_offer() {
    let app = app(Limits::default()).await;
    let print =
        app.send("/offres/imprimer?site=saint-exemple&commune=35238&par-page=10", &[]).await;
    assert_eq!(print.status, StatusCode::OK);
    let html = String::from_utf8(print.body).unwrap();
    assert!(html.contains("<h1>Offres d'emploi : Rennes</h1>"), "{html}");
    assert_eq!(html.matches("data-testid=\"posted\"").count(), 10);
    assert_eq!(html.matches("<svg").count(), 10, "one QR code per offer");
    assert!(html.contains("data-url=\"https://candidat.francetravail.fr/offres/recherche/detail/"));
}

#[tokio::test]
async fn a_feed_reader_polling_costs_one_search_and_gets_304s() {
    let app = app(Limits::default()).await;
    let url = "/api/v1/flux?site=saint-exemple&commune=35238&rayon=20&q=vendeur&page=1";
    let before = app.upstream_searches();
    // A reader: no Origin.
    let first = app.send(url, &[]).await;
    assert_eq!(first.status, StatusCode::OK);
    let xml = String::from_utf8(first.body.clone()).unwrap();
    assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""), "{xml}");
    assert!(
        xml.contains("<link href=\"https://candidat.francetravail.fr/offres/recherche/detail/")
    );
    let etag = first.headers.get(header::ETAG).unwrap().to_str().unwrap().to_owned();
    let modified = first.headers.get(header::LAST_MODIFIED).unwrap().to_str().unwrap().to_owned();
    let again = app.send(url, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let since = app.send(url, &[("if-modified-since", &modified)]).await;
    assert_eq!(since.status, StatusCode::NOT_MODIFIED);
    let changed = app.send(url, &[("if-none-match", "\"0000000000000000\"")]).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(app.upstream_searches(), before + 1, "every poll after the first is a cache hit");
    // Same key rules: registered, and a browser page must be one of the site's.
    assert_eq!(app.send("/api/v1/flux?site=inconnu", &[]).await.status, StatusCode::FORBIDDEN);
    let foreign = app.send(url, &[("origin", "https://evil.example")]).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(url, &[("origin", PAGE)]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn postuler_counts_the_click_and_redirects_only_where_the_offer_says() {
    let app = app(Limits::default()).await;
    let search = app
        .send("/api/v1/search?site=saint-exemple&commune=35238&par_page=1", &[("origin", PAGE)])
        .await;
    let r: SearchResponse = search.json();
    let id = &r.offres[0].id;
    let detail: serde_json::Value = app
        .send(&format!("/api/v1/offres/{id}?site=saint-exemple"), &[("origin", PAGE)])
        .await
        .json();
    // A link: no Origin. A destination in the query is not read.
    let click = app
        .send(&format!("/api/v1/postuler/{id}?site=saint-exemple&url=https://evil.example/"), &[])
        .await;
    assert_eq!(click.status, StatusCode::SEE_OTHER);
    let to = click.headers.get(header::LOCATION).unwrap().to_str().unwrap();
    assert_eq!(to, detail["url_postuler"].as_str().unwrap());
    let metrics = String::from_utf8(app.admin("/metrics").await.body).unwrap();
    assert!(
        metrics.contains("emploi_usage_total{site=\"saint-exemple\",action=\"apply\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("emploi_usage_total{site=\"saint-exemple\",action=\"offer\"} 1"));
    let unknown = app.send(&format!("/api/v1/postuler/{id}?site=inconnu"), &[]).await;
    assert_eq!(unknown.status, StatusCode::FORBIDDEN);
    let bad = app.send("/api/v1/postuler/nope?site=saint-exemple", &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

/// `Authorization` for the report with `password`.
fn basic(password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("mairie:{password}"))
    )
}

/// Issue 28: a site's usage report opens with its report secret only, never with the public
/// site key alone; a site without a secret has none.
#[tokio::test]
async fn the_usage_report_needs_the_site_report_secret() {
    let app = app(Limits::default()).await;
    let none = app.send("/rapport?site=saint-exemple", &[]).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    let asked = none.headers.get("www-authenticate").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(asked.starts_with("Basic realm="), "{asked}");
    let text = String::from_utf8_lossy(&none.body).into_owned();
    assert!(text.contains("mot de passe de rapport"), "a readable page: {text}");
    for wrong in [basic("rapport-saint-exemple-2025"), basic(""), "Bearer x".to_owned()] {
        let refused = app.send("/rapport?site=saint-exemple", &[("authorization", &wrong)]).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{wrong}");
    }
    let csv = app.send("/rapport.csv?site=saint-exemple", &[]).await;
    assert_eq!(csv.status, StatusCode::UNAUTHORIZED, "the CSV too");
    let open =
        app.send("/rapport?site=saint-exemple", &[("authorization", &basic(REPORT_SECRET))]).await;
    assert_eq!(open.status, StatusCode::OK);
    assert_eq!(open.headers["cache-control"], "no-store");
    // Another site's secret opens nothing of it; a site without a secret has no report.
    let demo = app.send("/rapport?site=demo", &[("authorization", &basic(REPORT_SECRET))]).await;
    assert_eq!(demo.status, StatusCode::NOT_FOUND);
    let unknown =
        app.send("/rapport?site=inconnu", &[("authorization", &basic(REPORT_SECRET))]).await;
    assert_eq!(unknown.status, StatusCode::FORBIDDEN);
}

/// Issue 28: the report counts what residents did, month by month, and its CSV holds the
/// page's rows, in the page's language.
#[tokio::test]
async fn the_report_counts_the_actions_and_its_csv_equals_the_page() {
    let app = app(Limits::default()).await;
    for q in ["vente", "boulanger", "infirmier"] {
        let search = format!("/api/v1/search?site=saint-exemple&q={q}&par_page=3");
        assert_eq!(app.send(&search, &[("origin", PAGE)]).await.status, StatusCode::OK);
    }
    let page = app.send("/offres?site=saint-exemple", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    let auth = basic(REPORT_SECRET);
    for lang in ["fr", "en"] {
        let html = app
            .send(&format!("/rapport?site=saint-exemple&lang={lang}"), &[("authorization", &auth)])
            .await;
        let html = String::from_utf8_lossy(&html.body).into_owned();
        let csv = app
            .send(
                &format!("/rapport.csv?site=saint-exemple&lang={lang}"),
                &[("authorization", &auth)],
            )
            .await;
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        let csv = String::from_utf8_lossy(&csv.body).into_owned();
        // The table's rows, month (its datetime) and counts, then the total.
        let cells = |row: &str| -> Vec<String> {
            row.split("<td>")
                .skip(1)
                .map(|c| c.split('<').next().unwrap_or("").to_owned())
                .collect()
        };
        let body = html.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap();
        let mut rows: Vec<Vec<String>> = body
            .split("<tr>")
            .skip(1)
            .map(|row| {
                let month = row.split("datetime=\"").nth(1).unwrap().split('"').next().unwrap();
                std::iter::once(month.to_owned()).chain(cells(row)).collect()
            })
            .collect();
        let total = html.split("<tfoot>").nth(1).unwrap();
        rows.push(std::iter::once("Total".to_owned()).chain(cells(total)).collect());
        let csv_rows: Vec<Vec<String>> = csv
            .split("\r\n")
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| l.split(',').map(|c| c.trim_matches('"').to_owned()).collect())
            .collect();
        assert_eq!(rows, csv_rows, "{lang}: the CSV equals the page");
        assert_eq!(rows.len(), 2, "one month and the total: {rows:?}");
        // Three searches and one plain page, this month.
        assert_eq!(rows[0][1..], ["3", "0", "0", "0", "1", "0"], "{lang}");
        let header = csv.split("\r\n").next().unwrap();
        let first = if lang == "fr" { "\"Mois\",\"Recherches\"" } else { "\"Month\",\"Searches\"" };
        assert!(header.starts_with(first), "{header}");
    }
}
