//! Contract tests of *Mes événements emploi* and *Marché du travail*: the sandbox answers as the
//! spec (parts A, B and E) says, from scopes and content negotiation to paging and territory
//! levels.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use emploi_sandbox::{Sandbox, SandboxConfig, Subscriptions, router};
use emploi_territory::{Referentiel, distance_km};
use emploi_types::ft::evenements::{Evenement, PageEvenements};
use emploi_types::ft::marche::{IndicateurRetour, Periodes, Territoires};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// 2026-11-20T12:00:00Z: the pinned sandbox clock.
const NOW: i64 = 1_795_176_000;
const EVENTS: &str = "/partenaire/evenements/v1/mee/evenements";
const EVENT: &str = "/partenaire/evenements/v1/mee/evenement";
const STATS: &str = "/partenaire/stats-offres-demandes-emploi/v1";
const ALL_SCOPES: &str = "api_offresdemploiv2 o2dsoffre api_evenementsv1 evenements \
                          api_stats-offres-demandes-emploiv1 offresetdemandesemploi";

fn config() -> SandboxConfig {
    SandboxConfig {
        offers: 500,
        now: Some(NOW),
        rate_limit_per_sec: 1_000_000,
        ..SandboxConfig::default()
    }
}

fn shared() -> Arc<Sandbox> {
    static SB: OnceLock<Arc<Sandbox>> = OnceLock::new();
    Arc::clone(SB.get_or_init(|| Arc::new(Sandbox::new(&config(), Referentiel::load()))))
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn message(&self) -> String {
        self.json::<Value>()["message"].as_str().unwrap().to_owned()
    }
}

async fn send(sb: &Arc<Sandbox>, req: Request<Body>) -> Answer {
    let res = router(Arc::clone(sb)).oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer { status, headers, body }
}

async fn token(sb: &Arc<Sandbox>, scopes: &str) -> String {
    let form = format!(
        "grant_type=client_credentials&client_id=PAR_sandbox&client_secret=sandbox-secret&scope={}",
        scopes.replace(' ', "%20")
    );
    let req = Request::post("/connexion/oauth2/access_token?realm=%2Fpartenaire")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let answer = send(sb, req).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", String::from_utf8_lossy(&answer.body));
    answer.json::<emploi_types::ft::AccessToken>().access_token
}

async fn post(sb: &Arc<Sandbox>, uri: &str, body: &Value, accept_json: bool) -> Answer {
    let token = token(sb, ALL_SCOPES).await;
    post_with(sb, uri, body, accept_json, &token).await
}

async fn post_with(
    sb: &Arc<Sandbox>,
    uri: &str,
    body: &Value,
    accept_json: bool,
    token: &str,
) -> Answer {
    let mut req = Request::post(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if accept_json {
        req = req.header(header::ACCEPT, "application/json");
    }
    send(sb, req.body(Body::from(body.to_string())).unwrap()).await
}

async fn get(sb: &Arc<Sandbox>, uri: &str) -> Answer {
    let token = token(sb, ALL_SCOPES).await;
    let req = Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    send(sb, req).await
}

// --- Scopes ------------------------------------------------------------------------------------

/// Spec §0: a token without an API's two scopes is issued, and the gateway answers 403.
#[tokio::test]
async fn a_token_without_the_apis_scopes_gets_a_403_at_the_gateway() {
    let sb = shared();
    let offers_only = token(&sb, "api_offresdemploiv2 o2dsoffre").await;
    let half = token(&sb, "api_offresdemploiv2 o2dsoffre api_evenementsv1").await;
    for t in [&offers_only, &half] {
        let answer = post_with(&sb, EVENTS, &json!({}), true, t).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert!(answer.body.is_empty());
    }
    let answer = post_with(
        &sb,
        &format!("{STATS}/indicateur/stat-demandeurs"),
        &json!({}),
        true,
        &offers_only,
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // And the offers' scopes are no longer required of a token for another API.
    let events_only = token(&sb, "api_evenementsv1 evenements").await;
    assert_eq!(post_with(&sb, EVENTS, &json!({}), true, &events_only).await.status, StatusCode::OK);
    let none = post_with(&sb, EVENTS, &json!({}), true, "wrong").await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
}

/// An application not subscribed to an API gets its token, and 403 from the API.
#[tokio::test]
async fn an_unsubscribed_api_answers_403_with_every_scope() {
    let config = SandboxConfig {
        subscriptions: Subscriptions { evenements: false, marche: true },
        offers: 100,
        ..config()
    };
    let sb = Arc::new(Sandbox::new(&config, Referentiel::load()));
    assert_eq!(post(&sb, EVENTS, &json!({}), true).await.status, StatusCode::FORBIDDEN);
    let answer = get(&sb, &format!("{STATS}/referentiel/territoires/REG")).await;
    assert_eq!(answer.status, StatusCode::OK);
}

// --- Events ------------------------------------------------------------------------------------

#[tokio::test]
async fn events_page_from_zero_with_a_size_up_to_100_in_date_order() {
    let sb = shared();
    let criteria = json!({"departements": ["35"]});
    let first: PageEvenements =
        post(&sb, &format!("{EVENTS}?page=0&size=10"), &criteria, true).await.json();
    assert!(first.total_elements > 20, "{}", first.total_elements);
    assert_eq!(first.content.len(), 10);
    let second: PageEvenements =
        post(&sb, &format!("{EVENTS}?page=1&size=10"), &criteria, true).await.json();
    assert_eq!(second.total_elements, first.total_elements);
    assert!(first.content.iter().all(|e| !second.content.iter().any(|s| s.id == e.id)));
    let dates: Vec<&str> =
        first.content.iter().chain(&second.content).map(|e| e.date_evenement.as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let big: PageEvenements =
        post(&sb, &format!("{EVENTS}?size=500"), &json!({}), true).await.json();
    assert_eq!(big.content.len(), 100, "size is clamped to 100");
    let default: PageEvenements = post(&sb, EVENTS, &criteria, true).await.json();
    assert_eq!(default.content.len(), 20);
    let far: PageEvenements =
        post(&sb, &format!("{EVENTS}?page=9999"), &criteria, true).await.json();
    assert!(far.content.is_empty());
    assert_eq!(far.total_elements, first.total_elements);
}

#[tokio::test]
async fn events_filter_as_the_spec_says() {
    let sb = shared();
    let all: PageEvenements = post(
        &sb,
        &format!("{EVENTS}?size=100"),
        &json!({"departements": ["35"], "dateDebut": "2026-11-20"}),
        true,
    )
    .await
    .json();
    // Without a start date past events come back too.
    let with_past: PageEvenements =
        post(&sb, EVENTS, &json!({"departements": ["35"]}), true).await.json();
    assert!(with_past.total_elements > all.total_elements);
    assert!(all.content.iter().all(|e| e.date_evenement.as_str() >= "2026-11-19"));
    // A type, as a number or a numeric string: the answer carries its label.
    for kind in [json!(18), json!("18")] {
        let page: PageEvenements = post(
            &sb,
            &format!("{EVENTS}?size=100"),
            &json!({"departements": ["35"], "typeEvenement": kind}),
            true,
        )
        .await
        .json();
        assert!(page.total_elements > 0);
        assert!(page.content.iter().all(|e| e.type_libelle == "Job dating"));
    }
    // Remote and on site.
    let remote: PageEvenements =
        post(&sb, &format!("{EVENTS}?size=100"), &json!({"modalite": "ADIST"}), true).await.json();
    assert!(remote.content.iter().all(|e| e.modalites.iter().any(|m| m == "à distance")));
    let on_site: PageEvenements =
        post(&sb, &format!("{EVENTS}?size=100"), &json!({"modalite": "ENPHY"}), true).await.json();
    assert!(on_site.content.iter().all(|e| e.modalites.iter().any(|m| m == "en physique")));
    // Postal codes match exactly.
    let rennes: PageEvenements =
        post(&sb, &format!("{EVENTS}?size=100"), &json!({"codePostal": ["35000"]}), true)
            .await
            .json();
    assert!(rennes.total_elements > 0);
    assert!(rennes.content.iter().all(|e| e.code_postal == "35000" && e.ville == "Rennes"));
    // A date range, inclusive.
    let week: PageEvenements = post(
        &sb,
        &format!("{EVENTS}?size=100"),
        &json!({"dateDebut": "2026-12-01", "dateFin": "2026-12-04"}),
        true,
    )
    .await
    .json();
    assert!(week.total_elements > 50);
    assert!(
        week.content
            .iter()
            .all(|e| ("2026-11-30".."2026-12-05").contains(&e.date_evenement.as_str()))
    );
    // Around a point.
    let centre = (48.1113, -1.6800);
    let around: PageEvenements = post(
        &sb,
        &format!("{EVENTS}?size=100"),
        &json!({"latitude": centre.0, "longitude": centre.1, "rayon": 15}),
        true,
    )
    .await
    .json();
    assert!(around.total_elements > 0);
    assert!(
        around
            .content
            .iter()
            .all(|e| distance_km(centre, (e.latitude.unwrap(), e.longitude.unwrap())) <= 15.0)
    );
}

#[tokio::test]
async fn events_carry_every_field_with_utc_times_and_their_zone() {
    let sb = shared();
    let page: PageEvenements =
        post(&sb, &format!("{EVENTS}?size=100"), &json!({"departements": ["974"]}), true)
            .await
            .json();
    let e = page.content.first().expect("events in La Réunion");
    assert_eq!(e.timezone.as_deref(), Some("Indian/Reunion"));
    // Events start between 9:00 and 14:30 local time, so between 5:00 and 10:30 UTC there.
    let hour: u32 = e.heure_debut[..2].parse().unwrap();
    assert!((5..=10).contains(&hour), "{}", e.heure_debut);
    assert!(e.date_evenement.ends_with(".000+00:00"));
    assert!(e.url_detail_evenement.ends_with(&format!("/evenement/{}", e.id)));
    assert!(e.libelle_organisateur_principal.is_some());
    let raw: Value = post(&sb, EVENTS, &json!({"departements": ["35"]}), true).await.json();
    let item = &raw["content"][0];
    for field in [
        "id",
        "titre",
        "description",
        "type",
        "dateEvenement",
        "heureDebut",
        "heureFin",
        "timezone",
        "ville",
        "codePostal",
        "codeInsee",
        "latitude",
        "longitude",
        "modalites",
        "objectifs",
        "publics",
        "codesRome",
        "multisectoriel",
        "nombrePlaceTotalPresentiel",
        "nombrePlaceTotalDistance",
        "nombreInscritPresentiel",
        "nombreInscritDistance",
        "urlDetailEvenement",
        "libelleOrganisateurPrincipal",
        "libelleEtablissement",
        "diplomes",
        "offresId",
    ] {
        assert!(item.get(field).is_some(), "{field} missing: {item}");
    }
}

#[tokio::test]
async fn an_event_is_read_alone_and_unknown_ids_are_204() {
    let sb = shared();
    let page: PageEvenements =
        post(&sb, EVENTS, &json!({"departements": ["29"]}), true).await.json();
    let first = &page.content[0];
    let alone: Evenement = get(&sb, &format!("{EVENT}/{}", first.id)).await.json();
    assert_eq!(&alone, first);
    let unknown = get(&sb, &format!("{EVENT}/1")).await;
    assert_eq!((unknown.status, unknown.body.len()), (StatusCode::NO_CONTENT, 0));
    assert_eq!(get(&sb, &format!("{EVENT}/abc")).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn wrong_criteria_are_400_with_a_message() {
    let sb = shared();
    for (body, query) in [
        (json!({"modalite": "SURPLACE"}), ""),
        (json!({"secteurActivite": "Z"}), ""),
        (json!({"typeEvenement": 99}), ""),
        (json!({"departements": "35"}), ""),
        (json!({"dateDebut": "01/12/2026"}), ""),
        (json!({}), "?size=0"),
        (json!({}), "?page=-1"),
    ] {
        let answer = post(&sb, &format!("{EVENTS}{query}"), &body, true).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body} {query}");
        assert!(!answer.message().is_empty());
    }
    // Unknown fields are ignored.
    assert_eq!(post(&sb, EVENTS, &json!({"nouveau": 1}), true).await.status, StatusCode::OK);
}

// --- Market ------------------------------------------------------------------------------------

fn criteria(kind: &str, code: &str, nomenclature: &str, period: &str) -> Value {
    json!({
        "codeTypeTerritoire": kind, "codeTerritoire": code,
        "codeTypeActivite": "CUMUL", "codeActivite": "CUMUL",
        "codeTypePeriode": period, "codeTypeNomenclature": nomenclature,
        "dernierePeriode": true, "sansCaracteristiques": true
    })
}

async fn indicator(sb: &Arc<Sandbox>, path: &str, body: &Value) -> IndicateurRetour {
    let answer = post(sb, &format!("{STATS}/indicateur/{path}"), body, true).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", String::from_utf8_lossy(&answer.body));
    answer.json()
}

fn value(answer: &IndicateurRetour, code: &str) -> f64 {
    let rows = answer.liste_valeurs_par_periode.as_ref().unwrap();
    rows.iter()
        .find(|r| r.code_nomenclature.as_deref() == Some(code))
        .unwrap()
        .valeur_principale_nombre
        .unwrap()
}

#[tokio::test]
async fn job_seekers_add_up_from_departements_to_regions_to_france() {
    let sb = shared();
    let de = |kind: &'static str, code: &'static str| {
        let sb = Arc::clone(&sb);
        async move {
            indicator(&sb, "stat-demandeurs", &criteria(kind, code, "CATCAND", "TRIMESTRE")).await
        }
    };
    let bretagne = de("REG", "53").await;
    let deps: f64 = futures_sum(["22", "29", "35", "56"].map(|d| de("DEP", d))).await;
    let region = value(&bretagne, "A");
    assert!((region - deps).abs() <= 40.0, "{region} vs {deps}");
    let france = value(&de("NAT", "FR").await, "A");
    // About 3 million category A job seekers nationally (4.4 % of the population).
    assert!((2_500_000.0..3_600_000.0).contains(&france), "{france}");
    let rows = bretagne.liste_valeurs_par_periode.unwrap();
    assert_eq!(rows[0].code_periode, "2026T2", "the latest quarter out by 2026-11-20");
    assert_eq!(rows[0].lib_territoire.as_deref(), Some("BRETAGNE"));
    assert!(rows.iter().all(|r| r.liste_valeur_par_caract.is_none()));
    assert!(bretagne.dat_maj.starts_with("2026-08-24T"), "{}", bretagne.dat_maj);
}

async fn futures_sum<F: std::future::Future<Output = IndicateurRetour>>(all: [F; 4]) -> f64 {
    let mut total = 0.0;
    for f in all {
        total += value(&f.await, "A");
    }
    total
}

#[tokio::test]
async fn every_territory_level_answers_or_says_it_has_no_data() {
    let sb = shared();
    for (kind, code) in [
        ("NAT", "FR"),
        ("NAT", "FMO"),
        ("REG", "53"),
        ("DEP", "35"),
        ("DEP", "2A"),
        ("DEP", "974"),
        ("EPCI", "243500139"),
    ] {
        let a =
            indicator(&sb, "stat-demandeurs", &criteria(kind, code, "CATCAND", "TRIMESTRE")).await;
        assert!(a.liste_valeurs_par_periode.is_some(), "{kind} {code}");
    }
    // EPCI for job seekers only; basins, communes: no data (the list is absent, not empty).
    let epci = indicator(
        &sb,
        "stat-perspective-employeur",
        &criteria("EPCI", "243500139", "TYPE_TENSION", "ANNEE"),
    )
    .await;
    assert_eq!(epci.liste_valeurs_par_periode, None);
    for (kind, code) in [("BASBMO", "5301"), ("COM", "35238"), ("DEP", "99")] {
        let a =
            indicator(&sb, "stat-demandeurs", &criteria(kind, code, "CATCAND", "TRIMESTRE")).await;
        assert_eq!(a.liste_valeurs_par_periode, None, "{kind} {code}");
        assert_eq!(a.code_indicateur, "DE_1");
    }
    let raw: Value = post(
        &sb,
        &format!("{STATS}/indicateur/stat-demandeurs"),
        &criteria("COM", "35238", "CATCAND", "TRIMESTRE"),
        true,
    )
    .await
    .json();
    assert!(raw.get("listeValeursParPeriode").is_none(), "{raw}");
}

#[tokio::test]
async fn hires_offers_and_tension_have_their_own_nomenclature_and_period() {
    let sb = shared();
    let hires =
        indicator(&sb, "stat-embauches", &criteria("DEP", "35", "CATCANDxDUREEEMP", "TRIMESTRE"))
            .await;
    assert_eq!(hires.code_indicateur, "EMB_1");
    assert!(value(&hires, "TOUT-TOUTE") > value(&hires, "ABCDE-SUP1M"));
    let offers =
        indicator(&sb, "stat-offres", &criteria("DEP", "35", "ORIGINEOFF", "TRIMESTRE")).await;
    assert!(value(&offers, "TOFF-CUMUL12MOIS") > value(&offers, "TOFF"));
    let mut body = criteria("DEP", "35", "TYPE_TENSION", "ANNEE");
    body["codeTypeActivite"] = json!("ROME");
    body["codeActivite"] = json!("J1501");
    let tension = indicator(&sb, "stat-perspective-employeur", &body).await;
    let rows = tension.liste_valeurs_par_periode.unwrap();
    assert_eq!(rows.len(), 7, "the main indicator and its six parts");
    assert_eq!(rows[0].code_nomenclature.as_deref(), Some("PERSPECTIVE"));
    assert_eq!(rows[0].code_periode, "2026");
    let score: u8 = rows[0].valeur_principale_nom.as_deref().unwrap().parse().unwrap();
    assert!((1..=5).contains(&score));
    assert_eq!(rows[0].lib_activite.as_deref(), Some("Aide-soignant / Aide-soignante"));
    // A wrong pair is a 400 with the spec's message.
    let answer = post(
        &sb,
        &format!("{STATS}/indicateur/stat-offres"),
        &criteria("DEP", "35", "CATCAND", "TRIMESTRE"),
        true,
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.message(),
        "Combinaison de critères invalide pour l'indicateur OFF_1 : codeTypeNomenclature CATCAND non autorisé."
    );
    let answer = post(
        &sb,
        &format!("{STATS}/indicateur/stat-embauches"),
        &criteria("DEP", "35", "CATCANDxDUREEEMP", "ANNEE"),
        true,
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let mut missing = criteria("DEP", "35", "CATCAND", "TRIMESTRE");
    missing.as_object_mut().unwrap().remove("codeTerritoire");
    let answer = post(&sb, &format!("{STATS}/indicateur/stat-demandeurs"), &missing, true).await;
    assert!(answer.message().contains("codeTerritoire"));
}

#[tokio::test]
async fn periods_and_codes_are_filtered_and_characteristics_come_on_request() {
    let sb = shared();
    let mut body = criteria("DEP", "35", "CATCAND", "TRIMESTRE");
    body["dernierePeriode"] = json!(false);
    body["sansCaracteristiques"] = json!(false);
    body["listeCodeNomenclature"] = json!(["A"]);
    let all = indicator(&sb, "stat-demandeurs", &body).await;
    let rows = all.liste_valeurs_par_periode.unwrap();
    assert_eq!(rows.len(), 12, "twelve quarters of category A");
    assert!(rows.windows(2).all(|w| w[0].code_periode > w[1].code_periode), "latest first");
    let caract = rows[0].liste_valeur_par_caract.as_ref().unwrap();
    assert!(caract.iter().any(|c| c.code_type_caract == "GENRE" && c.code_caract == "F"));
    // A comma-separated string works as a list.
    body["listeCodeNomenclature"] = json!("A,ABC");
    body["listeCodePeriode"] = json!(["2025T4"]);
    let two = indicator(&sb, "stat-demandeurs", &body).await.liste_valeurs_par_periode.unwrap();
    assert_eq!(
        two.iter().map(|r| r.code_nomenclature.clone().unwrap()).collect::<Vec<_>>(),
        ["A", "ABC"]
    );
    assert!(two.iter().all(|r| r.code_periode == "2025T4"));
}

/// Spec B7: XML is the default representation; JSON only with `Accept: application/json`.
#[tokio::test]
async fn without_accept_json_the_answer_is_xml() {
    let sb = shared();
    let answer = post(
        &sb,
        &format!("{STATS}/indicateur/stat-demandeurs"),
        &criteria("DEP", "35", "CATCAND", "TRIMESTRE"),
        false,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/xml"));
    let text = String::from_utf8(answer.body).unwrap();
    assert!(
        text.starts_with("<?xml") && text.contains("<codeIndicateur>DE_1</codeIndicateur>"),
        "{text}"
    );
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

#[tokio::test]
async fn the_referentials_list_territories_and_periods() {
    let sb = shared();
    let regions: Territoires =
        get(&sb, &format!("{STATS}/referentiel/territoires/REG")).await.json();
    assert_eq!(regions.territoires.len(), 18);
    let idf = regions.territoires.iter().find(|t| t.code_territoire == "11").unwrap();
    assert_eq!(
        (idf.libelle_territoire.as_str(), idf.code_territoire_parent.as_deref()),
        ("ILE-DE-FRANCE", Some("FMO"))
    );
    let guadeloupe = regions.territoires.iter().find(|t| t.code_territoire == "01").unwrap();
    assert_eq!(guadeloupe.code_territoire_parent.as_deref(), Some("DOM"));
    let deps: Territoires = get(&sb, &format!("{STATS}/referentiel/territoires/DEP")).await.json();
    assert!(deps.territoires.len() >= 101);
    let quarters: Periodes =
        get(&sb, &format!("{STATS}/referentiel/periodes/TRIMESTRE")).await.json();
    assert_eq!(
        (quarters.periodes[0].code_periode.as_str(), quarters.periodes[0].ordre_periode),
        ("2030T4", 1)
    );
    assert_eq!(quarters.periodes[0].libelle_periode, "4ème trimestre 2030");
    assert_eq!(
        get(&sb, &format!("{STATS}/referentiel/territoires/XYZ")).await.status,
        StatusCode::NOT_FOUND
    );
}
