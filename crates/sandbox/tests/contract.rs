//! Contract tests: the sandbox answers as the France Travail contract says, status by status,
//! header by header, message by message.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use emploi_sandbox::{Faults, Sandbox, SandboxConfig, router};
use emploi_territory::{Referentiel, distance_km};
use emploi_types::ft::{ErreurApi, Offre, ResultatRecherche};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// 2026-11-20T12:00:00Z: the pinned sandbox clock.
const NOW: i64 = 1_795_176_000;
const SEARCH: &str = "/partenaire/offresdemploi/v2/offres/search";

fn referentiel() -> &'static Referentiel {
    static REF: OnceLock<Referentiel> = OnceLock::new();
    REF.get_or_init(Referentiel::load)
}

fn config(offers: usize) -> SandboxConfig {
    SandboxConfig { offers, now: Some(NOW), ..SandboxConfig::default() }
}

/// One sandbox shared by the read-only tests (generation is the slow part).
fn shared() -> Arc<Sandbox> {
    static SB: OnceLock<Arc<Sandbox>> = OnceLock::new();
    // Tests run in parallel against it: lift the rate limit (tested on its own instance below).
    let config = SandboxConfig { rate_limit_per_sec: 1_000_000, ..config(20_000) };
    Arc::clone(SB.get_or_init(|| Arc::new(Sandbox::new(&config, Referentiel::load()))))
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn message(&self) -> String {
        let err: ErreurApi = self.json();
        assert_eq!(err.code_http, self.status.as_u16());
        assert!(!err.code_erreur.is_empty());
        err.message
    }
}

async fn send(sb: &Arc<Sandbox>, req: Request<Body>) -> Answer {
    let res = router(Arc::clone(sb)).oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer { status, headers, body }
}

async fn token_request(sb: &Arc<Sandbox>, realm: &str, form: &str) -> Answer {
    let req = Request::post(format!("/connexion/oauth2/access_token?realm={realm}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    send(sb, req).await
}

const GOOD_FORM: &str = "grant_type=client_credentials&client_id=PAR_sandbox&client_secret=sandbox-secret&scope=api_offresdemploiv2%20o2dsoffre";

async fn token(sb: &Arc<Sandbox>) -> String {
    let answer = token_request(sb, "%2Fpartenaire", GOOD_FORM).await;
    assert_eq!(answer.status, StatusCode::OK);
    answer.json::<emploi_types::ft::AccessToken>().access_token
}

async fn get(sb: &Arc<Sandbox>, uri: &str) -> Answer {
    let token = token(sb).await;
    get_with(sb, uri, &token).await
}

async fn get_with(sb: &Arc<Sandbox>, uri: &str, token: &str) -> Answer {
    let req = Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    send(sb, req).await
}

fn total_of(answer: &Answer) -> usize {
    let range = answer.header("content-range").expect("Content-Range");
    range.rsplit('/').next().unwrap().parse().unwrap()
}

// --- Token -------------------------------------------------------------------------------------

#[tokio::test]
async fn token_endpoint_issues_a_bearer_token_for_1499_seconds() {
    let sb = shared();
    let answer = token_request(&sb, "%2Fpartenaire", GOOD_FORM).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert_eq!(answer.header("pragma"), Some("no-cache"));
    let body: serde_json::Value = answer.json();
    assert_eq!(body["expires_in"], 1499);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "api_offresdemploiv2 o2dsoffre");
    assert_eq!(body["access_token"].as_str().unwrap().len(), 27);
}

#[tokio::test]
async fn token_endpoint_accepts_the_slashless_realm_and_application_scope() {
    let sb = shared();
    let form = format!("{GOOD_FORM}%20application_PAR_sandbox");
    assert_eq!(token_request(&sb, "partenaire", &form).await.status, StatusCode::OK);
}

#[tokio::test]
async fn wrong_secret_is_invalid_client() {
    let sb = shared();
    let form = GOOD_FORM.replace("sandbox-secret", "nope");
    let answer = token_request(&sb, "%2Fpartenaire", &form).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let body: serde_json::Value = answer.json();
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_description"], "Client authentication failed");
}

#[tokio::test]
async fn unknown_scope_is_invalid_scope() {
    let sb = shared();
    let form = GOOD_FORM.replace("o2dsoffre", "o2dsoffre%20api_inconnue");
    let answer = token_request(&sb, "%2Fpartenaire", &form).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let body: serde_json::Value = answer.json();
    assert_eq!(body["error"], "invalid_scope");
    assert!(body["error_description"].as_str().unwrap().contains("api_inconnue"));
}

#[tokio::test]
async fn missing_realm_fails_authentication() {
    let sb = shared();
    let req = Request::post("/connexion/oauth2/access_token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(GOOD_FORM))
        .unwrap();
    assert_eq!(send(&sb, req).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn api_without_a_valid_token_is_401_with_empty_body_and_www_authenticate() {
    let sb = shared();
    for auth in [None, Some("Bearer inconnu"), Some("Basic Zm9vOmJhcg==")] {
        let mut req = Request::get(SEARCH);
        if let Some(a) = auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        let answer = send(&sb, req.body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert!(answer.body.is_empty());
        assert_eq!(answer.header("www-authenticate"), Some("Bearer"));
    }
}

#[tokio::test]
async fn tokens_really_expire() {
    let sb = Arc::new(Sandbox::new(
        &SandboxConfig { token_lifetime_secs: 1, ..config(500) },
        Referentiel::load(),
    ));
    let token = token(&sb).await;
    assert!(get_with(&sb, SEARCH, &token).await.status.is_success());
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(get_with(&sb, SEARCH, &token).await.status, StatusCode::UNAUTHORIZED);
}

// --- Search: statuses and headers ---------------------------------------------------------------

#[tokio::test]
async fn default_window_is_0_149_with_206_and_headers() {
    let sb = shared();
    let answer = get(&sb, SEARCH).await;
    assert_eq!(answer.status, StatusCode::PARTIAL_CONTENT);
    let total = total_of(&answer);
    assert!(total > 19_000, "{total}");
    assert_eq!(answer.header("content-range").unwrap(), format!("offres 0-149/{total}"));
    assert_eq!(answer.header("accept-range"), Some("150"));
    // This shared instance has its limit lifted; the 429 test checks the default figures.
    assert_eq!(answer.header("x-ratelimit-burst-capacity-clientidlimiter"), Some("1000000"));
    assert_eq!(answer.header("x-ratelimit-replenish-rate-clientidlimiter"), Some("1000000"));
    assert_eq!(answer.header("x-ratelimit-requested-tokens-clientidlimiter"), Some("1"));
    assert!(answer.header("x-ratelimit-remaining-clientidlimiter").is_some());
    let body: ResultatRecherche = answer.json();
    assert_eq!(body.resultats.len(), 150);
    let facets: Vec<&str> = body.filtres_possibles.iter().map(|f| f.filtre.as_str()).collect();
    assert_eq!(facets, ["typeContrat", "experience", "qualification", "natureContrat"]);
}

#[tokio::test]
async fn whole_result_in_one_window_is_200() {
    let sb = shared();
    let answer = get(&sb, &format!("{SEARCH}?commune=35238&distance=0&range=0-149")).await;
    let total = total_of(&answer);
    assert!(total > 0 && total < 150, "{total}");
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("content-range").unwrap(), format!("offres 0-{}/{total}", total - 1));
}

#[tokio::test]
async fn last_partial_page_is_206_with_clamped_range() {
    let sb = shared();
    let total = total_of(&get(&sb, &format!("{SEARCH}?departement=35")).await);
    assert!(total > 150, "{total}");
    let start = (total / 150) * 150;
    let answer = get(&sb, &format!("{SEARCH}?departement=35&range={start}-{}", start + 149)).await;
    assert_eq!(answer.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        answer.header("content-range").unwrap(),
        format!("offres {start}-{}/{total}", total - 1)
    );
}

#[tokio::test]
async fn no_match_is_204_with_empty_body() {
    let sb = shared();
    let answer = get(&sb, &format!("{SEARCH}?motsCles=zzzzqqq")).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert!(answer.body.is_empty());
}

#[tokio::test]
async fn window_past_the_end_is_204_with_minus_one_range() {
    let sb = shared();
    let total = total_of(&get(&sb, &format!("{SEARCH}?departement=35")).await);
    let answer = get(&sb, &format!("{SEARCH}?departement=35&range=2900-2999")).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert!(answer.body.is_empty());
    assert_eq!(answer.header("content-range").unwrap(), format!("offres -1--1/{total}"));
}

// --- Search: 400 messages ------------------------------------------------------------------------

async fn rejected(query: &str) -> String {
    let sb = shared();
    let answer = get(&sb, &format!("{SEARCH}?{query}")).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
    answer.message()
}

#[tokio::test]
async fn range_errors_use_upstream_messages_in_upstream_order() {
    assert_eq!(
        rejected("range=0-150").await,
        "La plage de résultats demandée est trop importante."
    );
    assert_eq!(
        rejected("range=3001-3002").await,
        "La position de début doit être inférieure ou égale à 3000."
    );
    for bad in ["range=abc", "range=5-2", "range=-1-3", "range=1"] {
        assert_eq!(
            rejected(bad).await,
            "Format du paramètre « range » incorrect. <entier>-<entier> attendu."
        );
    }
    // The range is checked before the keywords.
    assert_eq!(
        rejected("range=0-200&motsCles=a").await,
        "La plage de résultats demandée est trop importante."
    );
}

#[tokio::test]
async fn keyword_limits_use_upstream_message() {
    let expected = "Format du paramètre « motsCles » incorrect. 7 mots-clé au maximum séparés par des virgules et d'au moins 2 caractères.";
    assert_eq!(rejected("motsCles=a").await, expected);
    assert_eq!(rejected("motsCles=aa,bb,cc,dd,ee,ff,gg,hh").await, expected);
}

#[tokio::test]
async fn invalid_codes_use_upstream_messages() {
    for (query, name) in [
        ("typeContrat=CDI,XXX", "typeContrat"),
        ("natureContrat=ZZ", "natureContrat"),
        ("departement=99", "departement"),
        ("commune=35000", "commune"),
        ("commune=35238,35288,35047,35024,35051,35066", "commune"),
        ("region=99", "region"),
        ("publieeDepuis=2", "publieeDepuis"),
        ("sort=3", "sort"),
    ] {
        assert_eq!(rejected(query).await, format!("Valeur du paramètre « {name} » incorrecte."));
    }
    assert_eq!(
        rejected("tempsPlein=oui").await,
        "Format du paramètre « tempsPlein » incorrect. Booléen attendu."
    );
    assert_eq!(
        rejected("experienceExigence=X").await,
        "Format du paramètre « experienceExigence » incorrect. D, E ou S attendu."
    );
    assert!(rejected("grandDomaine=Z").await.ends_with("M13, M14 ou N attendu."));
}

#[tokio::test]
async fn creation_dates_go_together() {
    let message = rejected("minCreationDate=2026-11-01T00:00:00Z").await;
    assert!(message.contains("minCreationDate") && message.contains("maxCreationDate"));
    assert!(
        rejected("minCreationDate=2026-11-01&maxCreationDate=2026-11-02").await.contains("Format")
    );
}

#[tokio::test]
async fn unknown_parameters_are_ignored() {
    let sb = shared();
    let plain = get(&sb, SEARCH).await;
    let odd = get(&sb, &format!("{SEARCH}?page=2&size=50&rayon=3")).await;
    assert_eq!(odd.status, plain.status);
    assert_eq!(odd.header("content-range"), plain.header("content-range"));
}

// --- Search: semantics -----------------------------------------------------------------------------

#[tokio::test]
async fn commune_and_distance_keep_offers_within_the_radius() {
    let sb = shared();
    let rennes = referentiel().commune("35238").unwrap().coords().unwrap();
    let answer = get(&sb, &format!("{SEARCH}?commune=35238&distance=20&range=0-149")).await;
    let body: ResultatRecherche = answer.json();
    assert!(!body.resultats.is_empty());
    for offre in &body.resultats {
        let lieu = offre.lieu_travail.as_ref().unwrap();
        let d = distance_km(rennes, (lieu.latitude.unwrap(), lieu.longitude.unwrap()));
        assert!(d <= 20.0, "{} at {d} km", offre.id);
    }
    // The default radius is 10 km: fewer offers than at 20 km, more than the commune alone.
    let at = |q: &'static str| {
        let sb = Arc::clone(&sb);
        async move { total_of(&get(&sb, &format!("{SEARCH}?commune=35238{q}")).await) }
    };
    let (zero, default, twenty) = (at("&distance=0").await, at("").await, at("&distance=20").await);
    assert!(zero < default && default < twenty, "{zero} {default} {twenty}");
}

#[tokio::test]
async fn distance_zero_keeps_only_the_commune() {
    let sb = shared();
    let body: ResultatRecherche =
        get(&sb, &format!("{SEARCH}?commune=35238&distance=0")).await.json();
    assert!(
        body.resultats
            .iter()
            .all(|o| o.lieu_travail.as_ref().unwrap().commune.as_deref() == Some("35238"))
    );
}

#[tokio::test]
async fn whole_city_code_covers_its_arrondissements() {
    let sb = shared();
    let body: ResultatRecherche =
        get(&sb, &format!("{SEARCH}?commune=75056&distance=0")).await.json();
    assert!(!body.resultats.is_empty());
    assert!(body.resultats.iter().all(|o| {
        o.lieu_travail.as_ref().unwrap().commune.as_deref().is_some_and(|c| c.starts_with("751"))
    }));
}

#[tokio::test]
async fn contract_type_and_nature_are_a_union() {
    let sb = shared();
    let cdd = total_of(&get(&sb, &format!("{SEARCH}?typeContrat=CDD")).await);
    let e2 = total_of(&get(&sb, &format!("{SEARCH}?natureContrat=E2")).await);
    let both = total_of(&get(&sb, &format!("{SEARCH}?typeContrat=CDD&natureContrat=E2")).await);
    assert!(both > cdd.max(e2) && both <= cdd + e2, "{cdd} {e2} {both}");
}

#[tokio::test]
async fn facet_counts_cover_the_whole_filtered_set() {
    let sb = shared();
    let answer = get(&sb, &format!("{SEARCH}?departement=35&range=0-9")).await;
    let total = total_of(&answer);
    let body: ResultatRecherche = answer.json();
    for facet in &body.filtres_possibles {
        let sum: u32 = facet.agregation.iter().map(|a| a.nb_resultats).sum();
        assert_eq!(sum as usize, total, "{}", facet.filtre);
        assert!(facet.agregation.iter().all(|a| a.nb_resultats > 0));
    }
    // A filter on a facet value gives exactly that facet's count.
    let cdi =
        body.filtres_possibles[0].agregation.iter().find(|a| a.valeur_possible == "CDI").unwrap();
    let filtered = get(&sb, &format!("{SEARCH}?departement=35&typeContrat=CDI")).await;
    assert_eq!(total_of(&filtered), cdi.nb_resultats as usize);
}

#[tokio::test]
async fn keywords_are_and_and_accent_insensitive() {
    let sb = shared();
    let body: ResultatRecherche =
        get(&sb, &format!("{SEARCH}?motsCles=aide,soignant")).await.json();
    assert!(!body.resultats.is_empty());
    assert!(body.resultats.iter().all(|o| o.rome_code.as_deref() == Some("J1501")));
    let accents = total_of(&get(&sb, &format!("{SEARCH}?motsCles=d%C3%A9veloppeur")).await);
    let plain = total_of(&get(&sb, &format!("{SEARCH}?motsCles=DEVELOPPEUR")).await);
    assert_eq!(accents, plain);
}

#[tokio::test]
async fn sort_by_date_is_newest_first_and_publiee_depuis_filters() {
    let sb = shared();
    let body: ResultatRecherche =
        get(&sb, &format!("{SEARCH}?sort=1&publieeDepuis=7")).await.json();
    let dates: Vec<&str> = body.resultats.iter().map(|o| o.date_creation.as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
    assert!(dates.iter().all(|d| *d >= "2026-11-13T12:00:00.000Z"), "{:?}", dates.last());
}

#[tokio::test]
async fn sort_by_distance_is_nearest_first() {
    let sb = shared();
    let rennes = referentiel().commune("35238").unwrap().coords().unwrap();
    let body: ResultatRecherche =
        get(&sb, &format!("{SEARCH}?commune=35238&distance=30&sort=2")).await.json();
    let d: Vec<f64> = body
        .resultats
        .iter()
        .map(|o| {
            let l = o.lieu_travail.as_ref().unwrap();
            distance_km(rennes, (l.latitude.unwrap(), l.longitude.unwrap()))
        })
        .collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1] + 1e-9));
}

// --- Detail and referentials -------------------------------------------------------------------

#[tokio::test]
async fn detail_has_the_same_shape_as_a_search_item() {
    let sb = shared();
    let body: ResultatRecherche = get(&sb, &format!("{SEARCH}?range=0-0")).await.json();
    let item = &body.resultats[0];
    let answer = get(&sb, &format!("/partenaire/offresdemploi/v2/offres/{}", item.id)).await;
    assert_eq!(answer.status, StatusCode::OK);
    let detail: Offre = answer.json();
    assert_eq!(&detail, item);
}

#[tokio::test]
async fn detail_of_unknown_offer_is_204_and_malformed_id_is_400() {
    let sb = shared();
    let unknown = get(&sb, "/partenaire/offresdemploi/v2/offres/000AAAA").await;
    assert_eq!(unknown.status, StatusCode::NO_CONTENT);
    assert!(unknown.body.is_empty());
    let malformed = get(&sb, "/partenaire/offresdemploi/v2/offres/abc").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.message(), "Le format de l'id de l'offre recherchée est incorrect.");
}

#[tokio::test]
async fn every_referential_is_served() {
    let sb = shared();
    for name in emploi_sandbox::REFERENTIAL_NAMES {
        let answer = get(&sb, &format!("/partenaire/offresdemploi/v2/referentiel/{name}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{name}");
        let list: Vec<serde_json::Value> = answer.json();
        assert!(!list.is_empty(), "{name}");
        assert!(list.iter().all(|item| item["code"].is_string() && item["libelle"].is_string()));
    }
}

#[tokio::test]
async fn communes_referential_has_arrondissements_not_whole_cities() {
    let sb = shared();
    let list: Vec<serde_json::Value> =
        get(&sb, "/partenaire/offresdemploi/v2/referentiel/communes").await.json();
    let has = |code: &str| list.iter().any(|c| c["code"] == code);
    assert!(has("75101") && has("69381") && has("13201") && has("35238"));
    assert!(!has("75056") && !has("69123") && !has("13055"));
    let rennes = list.iter().find(|c| c["code"] == "35238").unwrap();
    assert_eq!(rennes["libelle"], "RENNES");
    assert_eq!(rennes["codeDepartement"], "35");
}

#[tokio::test]
async fn an_appellation_of_the_referential_filters_by_its_fiche() {
    let sb = shared();
    let list: Vec<serde_json::Value> =
        get(&sb, "/partenaire/offresdemploi/v2/referentiel/appellations").await.json();
    let aide = list.iter().find(|a| a["libelle"] == "Aide-soignant").unwrap();
    assert_eq!(aide["code"], "16734");
    for bad in ["16735", "abc", "9999999"] {
        let answer = get(&sb, &format!("{SEARCH}?appellation={bad}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

// --- Rate limit, faults, determinism ----------------------------------------------------------------

#[tokio::test]
async fn calls_beyond_ten_per_second_get_429_with_retry_after() {
    let sb = Arc::new(Sandbox::new(&config(500), Referentiel::load()));
    let token = token(&sb).await;
    let mut statuses = Vec::new();
    for n in 0..12 {
        let answer = get_with(&sb, &format!("{SEARCH}?range=0-0"), &token).await;
        if n == 0 {
            assert_eq!(answer.header("x-ratelimit-burst-capacity-clientidlimiter"), Some("10"));
            assert_eq!(answer.header("x-ratelimit-replenish-rate-clientidlimiter"), Some("10"));
            assert_eq!(answer.header("x-ratelimit-remaining-clientidlimiter"), Some("9"));
        }
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(answer.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
        }
        statuses.push(answer.status);
    }
    assert!(statuses.iter().filter(|s| s.is_success()).count() <= 10);
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(
        sb.stats().rate_limited as usize,
        statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count()
    );
}

#[tokio::test]
async fn injected_faults_answer_as_configured() {
    let sb = Arc::new(Sandbox::new(&config(500), Referentiel::load()));
    let token = token(&sb).await;
    sb.set_faults(Faults { error_rate: 1.0, error_status: Some(502), ..Faults::default() });
    assert_eq!(get_with(&sb, SEARCH, &token).await.status, StatusCode::BAD_GATEWAY);
    sb.set_faults(Faults { force_429: true, retry_after_secs: Some(3), ..Faults::default() });
    let limited = get_with(&sb, SEARCH, &token).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.header("retry-after"), Some("3"));
    sb.set_faults(Faults { garbage_json: true, ..Faults::default() });
    let garbage = get_with(&sb, SEARCH, &token).await;
    assert!(serde_json::from_slice::<ResultatRecherche>(&garbage.body).is_err());
    sb.set_faults(Faults { maintenance: true, ..Faults::default() });
    assert_eq!(get_with(&sb, SEARCH, &token).await.status, StatusCode::SERVICE_UNAVAILABLE);
    sb.set_faults(Faults::default());
    assert!(get_with(&sb, SEARCH, &token).await.status.is_success());
    assert_eq!(sb.stats().faulted, 3);
}

#[tokio::test]
async fn same_seed_gives_byte_identical_answers() {
    let a = Arc::new(Sandbox::new(&config(3_000), Referentiel::load()));
    let b = Arc::new(Sandbox::new(&config(3_000), Referentiel::load()));
    let uri = format!("{SEARCH}?departement=75&range=0-49");
    assert_eq!(get(&a, &uri).await.body, get(&b, &uri).await.body);
    let other =
        Arc::new(Sandbox::new(&SandboxConfig { seed: 7, ..config(3_000) }, Referentiel::load()));
    assert_ne!(get(&a, &uri).await.body, get(&other, &uri).await.body);
}

#[tokio::test]
async fn a_full_offer_object_keeps_its_shape() {
    let sb = shared();
    let body: ResultatRecherche =
        get(&sb, &format!("{SEARCH}?commune=35238&distance=0&sort=1&range=0-0")).await.json();
    let value = serde_json::to_value(&body.resultats[0]).unwrap();
    insta::assert_json_snapshot!("full_offer", value);
}

#[tokio::test]
async fn hostile_switch_puts_markup_in_some_offers() {
    let sb = Arc::new(Sandbox::new(
        &SandboxConfig { hostile: true, ..config(400) },
        Referentiel::load(),
    ));
    let answer = get(&sb, &format!("{SEARCH}?range=0-149")).await;
    let text = String::from_utf8(answer.body).unwrap();
    assert!(text.contains("javascript:"));
    assert!(text.contains("<script>") || text.contains("onerror"));
}

#[tokio::test]
async fn creation_date_window_filters_and_its_offset_quirk_shifts_it() {
    let sb = shared();
    let window = "minCreationDate=2026-11-19T00:00:00Z&maxCreationDate=2026-11-19T23:59:59Z";
    let body: ResultatRecherche = get(&sb, &format!("{SEARCH}?{window}")).await.json();
    assert!(!body.resultats.is_empty());
    assert!(body.resultats.iter().all(|o| o.date_creation.starts_with("2026-11-19")));
    let quirks = emploi_sandbox::Quirks { creation_date_offset_secs: 3600, ..Default::default() };
    let shifted = Arc::new(Sandbox::new(
        &SandboxConfig { quirks, rate_limit_per_sec: 1_000_000, ..config(20_000) },
        Referentiel::load(),
    ));
    let body: ResultatRecherche =
        get(&shifted, &format!("{SEARCH}?{window}&sort=1&range=0-0")).await.json();
    // Read as Paris winter time, the window ends at 22:59:59 UTC.
    assert!(body.resultats[0].date_creation.as_str() <= "2026-11-19T22:59:59.999Z");
}

/// Each filter keeps only matching offers, and fewer than without it.
#[tokio::test]
async fn every_filter_parameter_filters() {
    let sb = shared();
    let all = total_of(&get(&sb, SEARCH).await);
    type Check = fn(&Offre) -> bool;
    let cases: [(&str, Check); 15] = [
        ("typeContrat=MIS,SAI", |o| ["MIS", "SAI"].contains(&o.type_contrat.as_str())),
        ("natureContrat=E2", |o| o.nature_contrat.as_deref() == Some("Contrat apprentissage")),
        ("experienceExigence=D", |o| o.experience_exige.as_deref() == Some("D")),
        ("experience=1", |o| {
            o.experience_libelle
                .as_deref()
                .is_some_and(|l| l == "Débutant accepté" || l.ends_with("Mois"))
        }),
        ("qualification=9", |o| o.qualification_code.as_deref() == Some("9")),
        ("tempsPlein=false", |o| {
            o.duree_travail_libelle_converti.as_deref() == Some("Temps partiel")
        }),
        ("origineOffre=2", |o| o.origine_offre.as_ref().is_some_and(|x| x.origine == "2")),
        ("codeROME=J1501,G1803", |o| matches!(o.rome_code.as_deref(), Some("J1501" | "G1803"))),
        // The sandbox's appellation of J1501, as its `appellations` referential lists it.
        ("appellation=16734", |o| o.rome_code.as_deref() == Some("J1501")),
        ("grandDomaine=M", |o| o.rome_code.as_deref().is_some_and(|c| c.starts_with('M'))),
        ("secteurActivite=86", |o| o.secteur_activite.as_deref() == Some("86")),
        ("accesTravailleurHandicape=true", |o| o.accessible_th == Some(true)),
        ("entreprisesAdaptees=true&employeursHandiEngages=true", |o| {
            o.entreprise_adaptee == Some(true) || o.employeur_handi_engage == Some(true)
        }),
        ("offresManqueCandidats=true", |o| o.offres_manque_candidats == Some(true)),
        ("region=53", |o| {
            o.lieu_travail.as_ref().and_then(|l| l.libelle.as_deref()).is_some_and(|l| {
                ["22", "29", "35", "56"].iter().any(|d| l.starts_with(&format!("{d} - ")))
            })
        }),
    ];
    for (query, check) in cases {
        let answer = get(&sb, &format!("{SEARCH}?{query}")).await;
        assert!(answer.status.is_success(), "{query}: {}", answer.status);
        let total = total_of(&answer);
        assert!(total > 0 && total < all, "{query}: {total} of {all}");
        let body: ResultatRecherche = answer.json();
        for offre in &body.resultats {
            assert!(check(offre), "{query} let through {}", offre.id);
        }
    }
}

// --- Search: issue 27's filters -----------------------------------------------------------------

/// The offers of a search's first window.
async fn offers_of(sb: &Arc<Sandbox>, query: &str) -> Vec<emploi_types::ft::Offre> {
    let answer = get(sb, &format!("{SEARCH}?{query}&range=0-149")).await;
    assert!(answer.status.is_success(), "{query}: {}", answer.status);
    answer.json::<ResultatRecherche>().resultats
}

/// The first amount of a salary label (`Mensuel de 2275.0 Euros à …`), with its period letter.
fn salary_of(o: &emploi_types::ft::Offre) -> Option<(f64, char)> {
    let libelle = o.salaire.as_ref()?.libelle.as_deref()?;
    let amount = libelle.split(" de ").nth(1)?.split(' ').next()?.parse().ok()?;
    Some((amount, libelle.chars().next()?))
}

#[tokio::test]
async fn salary_and_its_period_go_together_and_filter_by_the_period() {
    for query in ["salaireMin=2000", "periodeSalaire=M"] {
        assert_eq!(
            rejected(query).await,
            "Les paramètres « salaireMin » et « periodeSalaire » doivent être renseignés ensemble."
        );
    }
    assert_eq!(
        rejected("salaireMin=2000&periodeSalaire=S").await,
        "Valeur du paramètre « periodeSalaire » incorrecte."
    );
    let sb = shared();
    let all = total_of(&get(&sb, &format!("{SEARCH}?departement=35")).await);
    let monthly = total_of(
        &get(&sb, &format!("{SEARCH}?departement=35&salaireMin=2500&periodeSalaire=M")).await,
    );
    let yearly = total_of(
        &get(&sb, &format!("{SEARCH}?departement=35&salaireMin=30000&periodeSalaire=A")).await,
    );
    assert!(monthly > 0 && monthly < all / 2, "{monthly} of {all}");
    // 2,500 a month is 30,000 a year: the same offers.
    assert_eq!(monthly, yearly);
    for o in offers_of(&sb, "departement=35&salaireMin=2500&periodeSalaire=M").await {
        let (amount, period) = salary_of(&o).expect("a stated salary");
        let monthly = match period {
            'A' => amount / 12.0,
            'H' => amount * 151.0,
            _ => amount,
        };
        // Labels are rounded to tens; hourly ones to cents over the hours worked.
        assert!(monthly >= 2_400.0, "{}: {monthly}", o.id);
    }
}

#[tokio::test]
async fn weekly_hours_are_hhmm() {
    assert_eq!(
        rejected("dureeHebdoMin=2460").await,
        "Valeur du paramètre « dureeHebdoMin » incorrecte."
    );
    assert_eq!(
        rejected("dureeHebdoMax=24h").await,
        "Valeur du paramètre « dureeHebdoMax » incorrecte."
    );
    let sb = shared();
    let part = offers_of(&sb, "departement=35&dureeHebdoMin=2000&dureeHebdoMax=2800").await;
    assert!(!part.is_empty());
    for o in &part {
        let line = o.duree_travail_libelle.as_deref().unwrap();
        let hours: u32 = line.split('H').next().unwrap().parse().unwrap();
        assert!((20..=28).contains(&hours), "{line}");
    }
    let full = total_of(&get(&sb, &format!("{SEARCH}?departement=35&dureeHebdoMin=3500")).await);
    let time = total_of(&get(&sb, &format!("{SEARCH}?departement=35&tempsPlein=true")).await);
    assert_eq!(full, time);
}

#[tokio::test]
async fn handi_engaged_employers_and_adapted_companies_are_a_union() {
    let sb = shared();
    let count = |q: &'static str| {
        let sb = Arc::clone(&sb);
        async move { total_of(&get(&sb, &format!("{SEARCH}?{q}")).await) }
    };
    let he = count("employeursHandiEngages=true").await;
    let ea = count("entreprisesAdaptees=true").await;
    let both = count("employeursHandiEngages=true&entreprisesAdaptees=true").await;
    assert!(both > he.max(ea) && both <= he + ea, "{he} {ea} {both}");
    for o in
        offers_of(&sb, "employeursHandiEngages=true&entreprisesAdaptees=true&departement=35").await
    {
        let adapted = o.entreprise.as_ref().and_then(|e| e.entreprise_adaptee) == Some(true)
            || o.entreprise_adaptee == Some(true);
        assert!(adapted || o.employeur_handi_engage == Some(true), "{}", o.id);
    }
}

#[tokio::test]
async fn work_study_is_mostly_in_the_trades_full_time_and_open_to_beginners() {
    let sb = shared();
    let offers = offers_of(&sb, "natureContrat=E2,FS").await;
    assert_eq!(offers.len(), 150);
    let trades = offers
        .iter()
        .filter(|o| o.rome_code.as_deref().is_some_and(|c| c.starts_with(|l| "ADFGHI".contains(l))))
        .count();
    assert!(trades * 2 > offers.len(), "{trades} of {}", offers.len());
    for o in &offers {
        assert!(o.alternance && ["CDD", "CDI"].contains(&o.type_contrat.as_str()), "{}", o.id);
        assert_eq!(o.experience_exige.as_deref(), Some("D"));
        // An apprentice earns a share of the minimum wage.
        let (amount, period) = salary_of(o).expect("apprentices' pay is stated");
        assert!(period == 'M' && (700.0..1_800.0).contains(&amount), "{}: {amount}", o.id);
    }
}

#[tokio::test]
async fn partners_are_included_or_excluded_as_the_mode_says() {
    let sb = shared();
    let count = |q: String| {
        let sb = Arc::clone(&sb);
        async move { total_of(&get(&sb, &format!("{SEARCH}?departement=35{q}")).await) }
    };
    let all = count(String::new()).await;
    let ft = count("&origineOffre=1".into()).await;
    let partners = count("&origineOffre=2".into()).await;
    assert_eq!(ft + partners, all);
    let indeed_only =
        count("&origineOffre=2&partenaires=INDEED&modeSelectionPartenaires=INCLUS".into()).await;
    let without_indeed = count("&partenaires=INDEED&modeSelectionPartenaires=EXCLU".into()).await;
    let ft_and_indeed = count("&partenaires=INDEED&modeSelectionPartenaires=INCLUS".into()).await;
    assert!(indeed_only > 0 && indeed_only < partners);
    assert_eq!(without_indeed, all - indeed_only);
    assert_eq!(ft_and_indeed, ft + indeed_only);
    // origineOffre=1 keeps France Travail's own offers whatever the partners.
    assert_eq!(
        count("&origineOffre=1&partenaires=INDEED&modeSelectionPartenaires=INCLUS".into()).await,
        ft
    );
    for o in offers_of(
        &sb,
        "departement=35&origineOffre=2&partenaires=INDEED&modeSelectionPartenaires=INCLUS",
    )
    .await
    {
        let names: Vec<&str> = o
            .origine_offre
            .iter()
            .flat_map(|x| x.partenaires.iter().flatten())
            .map(|p| p.nom.as_str())
            .collect();
        assert_eq!(names, ["INDEED"], "{}", o.id);
    }
}
