//! Integration tests: the public API against the in-process sandbox.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use axum::http::{StatusCode, header};
use common::TestApp;
use emploi_sandbox::{Faults, SandboxConfig};
use emploi_types::api::{
    ApiError, ApiErrorCode, GenreMetier, Lieu, MetierChoix, OffreDetail, SearchResponse,
};

#[tokio::test]
async fn search_maps_sandbox_offers_for_the_widget() {
    let app = TestApp::new().await;
    let answer = app.get("/api/v1/search?commune=35238&rayon=30&par_page=5").await;
    assert_eq!(answer.status, StatusCode::OK);
    let body: SearchResponse = answer.json();
    assert_eq!(body.offres.len(), 5);
    assert!(body.total >= 5);
    assert_eq!(body.page, 1);
    assert_eq!(body.accessibles, body.total.min(3150));
    let territoire = body.territoire.unwrap();
    assert_eq!((territoire.nom.as_str(), territoire.rayon), ("Rennes", Some(30)));
    for o in &body.offres {
        assert!(o.distance_km.unwrap() <= 30.0);
        assert!(o.lieu.as_deref().unwrap().ends_with(')'));
        assert!(!o.intitule.is_empty() && !o.type_contrat.is_empty());
    }
    let sum: u32 = body.facettes.type_contrat.iter().map(|f| f.nombre).sum();
    assert_eq!(sum, body.total);
    assert!(!body.stale);
}

#[tokio::test]
async fn identical_searches_cost_one_upstream_call() {
    let app = TestApp::new().await;
    let uri = "/api/v1/search?departement=35&q=vendeur";
    let first = app.get(uri).await;
    let second = app.get(uri).await;
    assert_eq!(first.body, second.body);
    assert_eq!(app.upstream_searches(), 1);
}

#[tokio::test]
async fn concurrent_identical_misses_are_coalesced() {
    let app = Arc::new(TestApp::new().await);
    let calls: Vec<_> = (0..12)
        .map(|_| {
            let app = Arc::clone(&app);
            tokio::spawn(
                async move { app.get("/api/v1/search?departement=75&tri=date").await.status },
            )
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(app.upstream_searches(), 1);
}

#[tokio::test]
async fn invalid_input_is_a_400_naming_the_parameter_in_french_or_english() {
    let app = TestApp::new().await;
    let fr = app.get("/api/v1/search?commune=35238&rayon=500").await;
    assert_eq!(fr.status, StatusCode::BAD_REQUEST);
    let err: ApiError = fr.json();
    assert_eq!(err.code, ApiErrorCode::BadRequest);
    assert_eq!(err.parametre.as_deref(), Some("rayon"));
    assert!(err.message.contains("entre 0 et 100"), "{}", err.message);
    let en = app
        .get_with(
            "/api/v1/search?commune=35238&rayon=500",
            &[("accept-language", "en-GB,en;q=0.9")],
        )
        .await;
    let err: ApiError = en.json();
    assert!(err.message.contains("between 0 and 100"), "{}", err.message);
    assert_eq!(app.upstream_searches(), 0, "nothing invalid may reach France Travail");
}

#[tokio::test]
async fn unknown_parameters_are_refused_with_the_accepted_list() {
    let app = TestApp::new().await;
    let answer = app.get("/api/v1/search?ville=Rennes").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let err: ApiError = answer.json();
    assert_eq!(err.parametre.as_deref(), Some("ville"));
    assert!(err.message.contains("commune") && err.message.contains("par_page"));
}

#[tokio::test]
async fn offer_detail_carries_description_and_http_links_only() {
    let app = TestApp::new().await;
    let search: SearchResponse = app.get("/api/v1/search?departement=35&par_page=1").await.json();
    let id = &search.offres[0].id;
    let answer = app.get(&format!("/api/v1/offres/{id}")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let detail: OffreDetail = answer.json();
    assert_eq!(&detail.resume.id, id);
    assert!(detail.complement.description.unwrap().contains('\n'));
    assert!(detail.complement.url_postuler.starts_with("https://"));
    assert_eq!(
        detail.complement.url_france_travail,
        format!("https://candidat.francetravail.fr/offres/recherche/detail/{id}")
    );
}

#[tokio::test]
async fn unknown_and_malformed_offer_ids_are_clear_errors() {
    let app = TestApp::new().await;
    let unknown = app.get("/api/v1/offres/000AAAA").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json::<ApiError>().code, ApiErrorCode::NotFound);
    let malformed = app.get("/api/v1/offres/%3Cscript%3E").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json::<ApiError>().parametre.as_deref(), Some("id"));
}

#[tokio::test]
async fn hostile_offers_never_carry_script_links_to_the_widget() {
    let app = TestApp::with(SandboxConfig { hostile: true, ..SandboxConfig::default() }).await;
    let search: SearchResponse = app.get("/api/v1/search?par_page=50").await.json();
    for o in &search.offres {
        let detail: OffreDetail = app.get(&format!("/api/v1/offres/{}", o.id)).await.json();
        assert!(
            detail.complement.url_postuler.starts_with("http"),
            "{}",
            detail.complement.url_postuler
        );
        assert!(detail.complement.entreprise_url.is_none_or(|u| u.starts_with("http")));
    }
}

#[tokio::test]
async fn france_travail_down_serves_stale_results_or_a_clear_503() {
    let ttl = std::time::Duration::from_millis(200);
    let app = TestApp::with_ttl(SandboxConfig::default(), ttl).await;
    let cached = "/api/v1/search?departement=35&tri=date";
    let before: SearchResponse = app.get(cached).await.json();
    assert!(!before.stale);
    app.sandbox.state().set_faults(Faults { maintenance: true, ..Faults::default() });
    tokio::time::sleep(ttl * 2).await;
    // Past its fresh life: served at once, a refresh behind, which fails; France Travail down,
    // the last good answer is then flagged stale.
    assert_eq!(app.get(cached).await.status, StatusCode::OK);
    // The refresh meets the maintenance after its retries.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let stale = loop {
        let answer = app.get(cached).await;
        assert_eq!(answer.status, StatusCode::OK);
        let answer: SearchResponse = answer.json();
        if answer.stale || std::time::Instant::now() > until {
            break answer;
        }
        tokio::time::sleep(ttl).await;
    };
    assert!(stale.stale);
    assert_eq!(stale.offres, before.offres);
    // Not cached: a clear error with Retry-After.
    let fresh = app.get("/api/v1/search?departement=44").await;
    assert_eq!(fresh.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(fresh.headers.get(header::RETRY_AFTER).is_some());
    let err: ApiError = fresh.json();
    assert_eq!(err.code, ApiErrorCode::UpstreamUnavailable);
    assert!(err.retry_after.is_some());
}

#[tokio::test]
async fn place_autocomplete_finds_communes_and_epci() {
    let app = TestApp::new().await;
    let places: Vec<Lieu> = app.get("/api/v1/lieux?q=st%20malo&limit=3").await.json();
    assert_eq!(places[0].nom, "Saint-Malo");
    assert_eq!(places[0].code, "35288");
    let bad = app.get("/api/v1/lieux?q=a").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn metier_suggestions_ignore_accents_and_case_and_a_metier_search_keeps_to_it() {
    // Enough offers for a few of one métier in one département.
    let app = TestApp::with(SandboxConfig { offers: 30_000, ..SandboxConfig::default() }).await;
    let found: Vec<MetierChoix> = app.get("/api/v1/metiers?q=AIDE%20SO%C3%8F&limit=5").await.json();
    assert_eq!(found[0].code, "J1501");
    assert_eq!(found[0].libelle, "Aide-soignant / Aide-soignante");
    // Sandbox mode: the ROME fiches only.
    assert!(found.iter().all(|m| m.genre == GenreMetier::Rome));
    assert_eq!(app.get("/api/v1/metiers?q=a").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/api/v1/metiers?q=aide&limit=50").await.status, StatusCode::BAD_REQUEST);

    let all: SearchResponse = app.get("/api/v1/search?departement=35").await.json();
    let answer = app.get("/api/v1/search?departement=35&metier=J1501&par_page=50").await;
    assert_eq!(answer.status, StatusCode::OK);
    let only: SearchResponse = answer.json();
    assert!(only.total > 0 && only.total < all.total, "{} of {}", only.total, all.total);
    assert!(
        only.offres.iter().all(|o| o.intitule.to_lowercase().starts_with("aide-soignant")),
        "{:?}",
        only.offres.iter().map(|o| &o.intitule).collect::<Vec<_>>()
    );
    assert_eq!(only.metier.map(|m| m.libelle).as_deref(), Some("Aide-soignant / Aide-soignante"));
    let bad = app.get("/api/v1/search?metier=Z1501").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json::<ApiError>().parametre.as_deref(), Some("metier"));
}

/// With real credentials the appellations come from France Travail (here the sandbox speaking
/// its protocol), once for many requests.
#[tokio::test]
async fn appellations_come_through_the_upstream_cache() {
    let sandbox = SandboxConfig { offers: 30_000, ..SandboxConfig::default() };
    let app = TestApp::build(sandbox, |c| c.appellations = true).await;
    let found: Vec<MetierChoix> = app.get("/api/v1/metiers?q=aide%20soignant").await.json();
    // The fiche, the wider search, before its appellation of the same rank.
    assert_eq!((found[0].genre, found[0].code.as_str()), (GenreMetier::Rome, "J1501"));
    let appellation = found
        .iter()
        .find(|m| m.genre == GenreMetier::Appellation)
        .unwrap_or_else(|| panic!("no appellation in {found:?}"));
    assert_eq!(
        (appellation.code.as_str(), appellation.libelle.as_str()),
        ("16734", "Aide-soignant")
    );
    let first: SearchResponse = app.get("/api/v1/search?departement=35&metier=16734").await.json();
    assert_eq!(first.metier.as_ref().map(|m| m.libelle.as_str()), Some("Aide-soignant"));
    assert!(!first.offres.is_empty());
    assert!(first.offres.iter().all(|o| o.intitule.to_lowercase().starts_with("aide-soignant")));
    let unknown = app.get("/api/v1/search?metier=16735").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let metrics = String::from_utf8(app.admin("/metrics").await.body).unwrap();
    let calls = metrics
        .lines()
        .find(|l| {
            l.starts_with("emploi_upstream_calls_total{endpoint=\"referential\",outcome=\"ok\"}")
        })
        .unwrap_or_else(|| panic!("no referential call counted:\n{metrics}"));
    assert!(calls.ends_with(" 1"), "{calls}");
}

#[tokio::test]
async fn widget_files_are_served_with_their_mime_type_and_cors() {
    let app = TestApp::new().await;
    let wasm = app
        .get_with("/widget/emploi-widget_bg.wasm", &[("origin", "https://www.saint-exemple.fr")])
        .await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.headers[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(wasm.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let js = app.get("/widget/offres-emploi.js").await;
    assert!(js.headers[header::CONTENT_TYPE].to_str().unwrap().contains("javascript"));
}

#[tokio::test]
async fn api_answers_carry_cors_headers_for_host_pages() {
    let app = TestApp::new().await;
    let answer =
        app.get_with("/api/v1/search?q=zzzzzz", &[("origin", "http://localhost:3000")]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_some());
    let body: SearchResponse = answer.json();
    assert_eq!(body.total, 0);
    assert!(body.offres.is_empty());
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);
    // Operations data stays off the public listener (issue 25, point 9).
    assert_eq!(app.get("/metrics").await.status, StatusCode::NOT_FOUND);
    let ready: serde_json::Value = app.get("/readyz").await.json();
    assert_eq!(ready, serde_json::json!({ "ready": true }), "no France Travail state in public");
    assert_eq!(app.admin("/metrics").await.status, StatusCode::OK);
    let health: serde_json::Value = app.admin("/healthz").await.json();
    assert_eq!((&health["ready"], &health["redis"]), (&true.into(), &"off".into()), "{health}");
}

#[tokio::test]
async fn an_epci_is_searched_as_its_member_communes_in_batches_of_five() {
    // Close to the full data set, so that Rennes' batch holds more than one 150-offer window.
    let app = TestApp::with(SandboxConfig { offers: 61_999, ..SandboxConfig::default() }).await;
    let answer = app.get("/api/v1/search?epci=243500139&par_page=50").await;
    assert_eq!(answer.status, StatusCode::OK);
    let page1: SearchResponse = answer.json();
    let t = page1.territoire.as_ref().unwrap();
    assert_eq!((t.nom.as_str(), t.rayon), ("Rennes Métropole", None));
    assert!(page1.total > 200, "{}", page1.total);
    // 43 member communes: 9 batches, one call each for the first page.
    assert_eq!(app.upstream_searches(), 9);
    let sum: u32 = page1.facettes.type_contrat.iter().map(|f| f.nombre).sum();
    assert_eq!(sum, page1.total);
    // Every offer is in Ille-et-Vilaine, none carries a distance (no centre).
    assert!(page1.offres.iter().all(|o| o.lieu.as_deref().unwrap().ends_with("(35)")));
    assert!(page1.offres.iter().all(|o| o.distance_km.is_none()));

    // The following pages, to the last, continue the same newest-first order without repeats.
    let mut all = page1.offres.clone();
    let pages = page1.total.div_ceil(50);
    for page in 2..=pages {
        let next: SearchResponse =
            app.get(&format!("/api/v1/search?epci=243500139&par_page=50&page={page}")).await.json();
        assert_eq!(next.total, page1.total);
        all.extend(next.offres);
    }
    assert_eq!(all.len(), page1.total as usize);
    // Going deeper than 150 offers needed further windows from the busiest batches only.
    let calls = app.upstream_searches();
    assert!(calls > 9 && calls < 18, "{calls}");
    let ids: std::collections::HashSet<&str> = all.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids.len(), all.len());
    assert!(all.windows(2).all(|w| w[0].date_creation >= w[1].date_creation));
}

#[tokio::test]
async fn an_epci_total_is_the_sum_of_its_communes() {
    let app = TestApp::new().await;
    // CC du Pays de Pontchâteau St-Gildas-des-Bois: 9 communes, 2 batches.
    let epci: SearchResponse = app.get("/api/v1/search?epci=200000438&par_page=10").await.json();
    let mut sum = 0;
    for code in ["44050", "44053", "44068", "44098", "44129", "44152", "44161", "44189", "44196"] {
        let one: SearchResponse =
            app.get(&format!("/api/v1/search?commune={code}&rayon=0&par_page=1")).await.json();
        sum += one.total;
    }
    assert_eq!(epci.total, sum);
}

#[tokio::test]
async fn paris_with_radius_zero_covers_its_twenty_arrondissements() {
    let app = TestApp::new().await;
    let paris: SearchResponse =
        app.get("/api/v1/search?commune=75056&rayon=0&par_page=50").await.json();
    assert!(paris.total > 0);
    assert_eq!(app.upstream_searches(), 4);
    assert!(paris.offres.iter().all(|o| o.lieu.as_deref().unwrap().starts_with("Paris ")));
    // With a radius, one call centred on an arrondissement, distances from the city centre.
    let around: SearchResponse =
        app.get("/api/v1/search?commune=75056&rayon=5&par_page=5").await.json();
    assert!(around.total >= paris.total / 2);
    assert!(around.offres.iter().all(|o| o.distance_km.is_some()));
}

#[tokio::test]
async fn one_territory_at_a_time_and_no_radius_for_an_epci() {
    let app = TestApp::new().await;
    let both = app.get("/api/v1/search?commune=35238&epci=243500139").await;
    assert_eq!(both.json::<ApiError>().parametre.as_deref(), Some("epci"));
    let radius = app.get("/api/v1/search?epci=243500139&rayon=10").await;
    assert_eq!(radius.json::<ApiError>().parametre.as_deref(), Some("rayon"));
    let unknown = app.get("/api/v1/search?epci=123456789").await;
    assert_eq!(unknown.json::<ApiError>().parametre.as_deref(), Some("epci"));
}

#[tokio::test]
async fn the_market_overview_counts_contracts_and_metiers_of_a_commune_or_an_epci() {
    use emploi_types::api::Marche;
    let app = TestApp::new().await;
    let search: SearchResponse = app.get("/api/v1/search?commune=35238&rayon=10").await.json();
    let marche: Marche = app.get("/api/v1/marche?commune=35238&rayon=10").await.json();
    assert_eq!(marche.total, search.total);
    assert_eq!(marche.par_contrat.iter().map(|f| f.nombre).sum::<u32>(), marche.total);
    assert!(marche.par_contrat.windows(2).all(|w| w[0].nombre >= w[1].nombre));
    assert!(!marche.metiers.is_empty() && marche.metiers.len() <= 5);
    assert!(marche.metiers.windows(2).all(|w| w[0].nombre >= w[1].nombre));
    assert_eq!(marche.echantillon, marche.total.min(150));
    assert!(marche.metiers.iter().all(|m| m.nombre <= marche.echantillon && !m.libelle.is_empty()));
    let calls = app.upstream_searches();
    let again: Marche = app.get("/api/v1/marche?commune=35238&rayon=10").await.json();
    assert_eq!(again, marche);
    assert_eq!(app.upstream_searches(), calls, "aggregates are cached");

    // An EPCI: one call per batch of 5 members, contract counts over all of them.
    let epci: SearchResponse = app.get("/api/v1/search?epci=243500139").await.json();
    let marche: Marche = app.get("/api/v1/marche?epci=243500139").await.json();
    assert_eq!(marche.total, epci.total);
    assert_eq!(marche.territoire.unwrap().nom, epci.territoire.unwrap().nom);
    // The demo site's default territory applies when none is given.
    let default: Marche = app.get("/api/v1/marche").await.json();
    assert_eq!(default.territoire.unwrap().code, "35238");
    let bad = app.get("/api/v1/marche?commune=35238&q=vente").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json::<ApiError>().parametre.as_deref(), Some("q"));
}

#[test]
fn france_travail_paths_are_the_sandbox_paths() {
    let ft = emploi_proxy::config::FranceTravailConfig::at(
        "http://127.0.0.1:9/",
        "PAR_x".to_owned(),
        "s".to_owned(),
    );
    assert_eq!(
        ft.token_url,
        format!("http://127.0.0.1:9{}?realm=%2Fpartenaire", emploi_sandbox::TOKEN_PATH)
    );
    assert_eq!(ft.api_base, format!("http://127.0.0.1:9{}", emploi_sandbox::API_PREFIX));
}

/// Issue 13, point 1: every probe of `/readyz` used to spend a call of the France Travail
/// budget, so a burst of probes made residents' searches wait and fail.
#[tokio::test]
async fn readiness_probes_cost_france_travail_nothing() {
    let app = TestApp::new().await;
    let before = app.sandbox.state().stats();
    let probes = futures::future::join_all((0..60).map(|_| app.admin("/healthz"))).await;
    for probe in &probes {
        assert_eq!(probe.status, StatusCode::OK);
        let body: serde_json::Value = probe.json();
        let ft = &body["france_travail"];
        assert_eq!((&ft["up"], &ft["circuit"]), (&true.into(), &"closed".into()), "{body}");
    }
    assert_eq!(app.sandbox.state().stats(), before, "no call, not even a token");
    let started = std::time::Instant::now();
    assert_eq!(app.get("/api/v1/search?departement=35").await.status, StatusCode::OK);
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "the search waited");
    let body: serde_json::Value = app.admin("/healthz").await.json();
    let ft = &body["france_travail"];
    assert_eq!((&ft["token"], &ft["last_call"]["ok"]), (&"valid".into(), &true.into()));
}

#[tokio::test]
async fn readiness_reports_refused_credentials() {
    let app = TestApp::new().await;
    app.sandbox.state().set_faults(Faults { maintenance: true, ..Faults::default() });
    let _ = app.get("/api/v1/search?departement=35").await;
    let body: serde_json::Value = app.admin("/healthz").await.json();
    assert_eq!(body["france_travail"]["token"], "failing", "{body}");
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK, "the instance still serves");
}

#[tokio::test]
async fn search_answers_go_out_compressed_for_browsers_that_take_gzip() {
    use std::io::Read;
    let app = TestApp::new().await;
    let uri = "/api/v1/search?commune=35238&rayon=20";
    let plain = app.get(uri).await;
    assert_eq!(plain.headers.get(header::CONTENT_ENCODING), None);
    assert_eq!(plain.headers[header::VARY], "accept-encoding");
    for _ in 0..2 {
        // Both from the answers cache, with the gzip copy made when the answer was cached.
        let gz = app.get_with(uri, &[("accept-encoding", "gzip, deflate, br, zstd")]).await;
        assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(&gz.body[..]).read_to_end(&mut json).unwrap();
        assert_eq!(json, plain.body);
        assert!(gz.body.len() * 3 < plain.body.len(), "{} of {}", gz.body.len(), plain.body.len());
    }
    // A client that refuses gzip gets the JSON, which the layer below compresses as it can.
    let refused = app.get_with(uri, &[("accept-encoding", "gzip;q=0, br")]).await;
    assert_eq!(refused.headers[header::CONTENT_ENCODING], "br");
    let identity = app.get_with(uri, &[("accept-encoding", "gzip;q=0")]).await;
    assert_eq!(identity.headers.get(header::CONTENT_ENCODING), None);
    assert_eq!(identity.body, plain.body);
    // Other answers are compressed on the way out, brotli included.
    let places = app.get_with("/api/v1/lieux?q=saint&limit=20", &[("accept-encoding", "br")]).await;
    assert_eq!(places.headers[header::CONTENT_ENCODING], "br");
}

/// Issue 27: each filter reaches France Travail under its own name, and the cards say what the
/// resident filtered for.
#[tokio::test]
async fn the_public_policy_filters_reach_france_travail_and_show_on_the_cards() {
    let app = TestApp::new().await;
    let search = |query: &'static str| {
        let app = &app;
        async move {
            let answer =
                app.get(&format!("/api/v1/search?departement=35&par_page=50&{query}")).await;
            assert_eq!(answer.status, StatusCode::OK, "{query}");
            answer.json::<SearchResponse>()
        }
    };
    let all = search("").await;
    let study = search("alternance=true").await;
    assert!(study.total > 0 && study.total < all.total / 5, "{} of {}", study.total, all.total);
    let natures: u32 = all
        .facettes
        .nature_contrat
        .iter()
        .filter(|f| ["E2", "FS"].contains(&f.valeur.as_str()))
        .map(|f| f.nombre)
        .sum();
    assert_eq!(study.total, natures);
    for o in &study.offres {
        assert!(o.badges.contains(&emploi_types::api::Badge::Alternance), "{}", o.id);
        assert!(o.badges.contains(&emploi_types::api::Badge::Debutant), "{}", o.id);
    }
    let handi = search("handi_engage=true").await;
    assert!(handi.offres.iter().all(|o| {
        o.badges.iter().any(|b| {
            matches!(
                b,
                emploi_types::api::Badge::HandiEngage | emploi_types::api::Badge::EntrepriseAdaptee
            )
        })
    }));
    let lacking = search("manque_candidats=true").await;
    assert!(lacking.total > 0);
    assert!(
        lacking
            .offres
            .iter()
            .all(|o| o.badges.contains(&emploi_types::api::Badge::ManqueCandidats))
    );
    let beginners = search("experience=D").await;
    assert!(
        beginners.offres.iter().all(|o| o.badges.contains(&emploi_types::api::Badge::Debutant))
    );
    let part = search("heures_min=20&heures_max=28").await;
    assert!(part.total > 0);
    assert!(
        part.offres.iter().all(|o| o.minutes_hebdo.is_some_and(|m| (1200..=1680).contains(&m)))
    );
    let cadres = search("qualification=cadre").await;
    let cadre_count = all.facettes.qualification.iter().find(|f| f.valeur == "9").map(|f| f.nombre);
    assert_eq!(Some(cadres.total), cadre_count);
    let paid = search("salaire_min=2500&periode_salaire=mois").await;
    let yearly = search("salaire_min=30000&periode_salaire=an").await;
    assert!(paid.total > 0 && paid.total < all.total);
    assert_eq!(paid.total, yearly.total);
    let health = search("secteurs=86,87").await;
    assert!(health.total > 0 && health.total < all.total);
    let ft = search("origine=france-travail").await;
    let partners = search("origine=partenaires").await;
    assert_eq!(ft.total + partners.total, all.total);
}

#[tokio::test]
async fn filters_france_travail_would_widen_or_cannot_read_are_422_with_a_message() {
    let app = TestApp::new().await;
    for (query, param, words) in [
        ("alternance=true&types_contrat=CDD", "alternance", "OU"),
        ("salaire_min=2000", "periode_salaire", "vont ensemble"),
        ("periode_salaire=an", "salaire_min", "vont ensemble"),
        ("heures_min=35&heures_max=20", "heures_max", "inférieur"),
    ] {
        let answer = app.get(&format!("/api/v1/search?commune=35238&{query}")).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let error: ApiError = answer.json();
        assert_eq!(error.parametre.as_deref(), Some(param), "{query}");
        assert!(error.message.contains(words), "{query}: {}", error.message);
    }
    for (query, param) in [
        ("secteurs=86,87,88", "secteurs"),
        ("heures_min=49", "heures_min"),
        ("origine=1", "origine"),
    ] {
        let answer = app.get(&format!("/api/v1/search?commune=35238&{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(answer.json::<ApiError>().parametre.as_deref(), Some(param));
    }
}
