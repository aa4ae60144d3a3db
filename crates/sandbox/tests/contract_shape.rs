//! The sandbox's answers against contract samples written by hand from France Travail's public
//! description (`crates/types/ft-samples/`, not produced by our types): every field the sandbox
//! emits exists in the samples with the same JSON type, no field is `null` (France Travail omits
//! absent fields), and the fields the contract always sends are always there.
//!
//! The sandbox serializes the same `emploi_types::ft` structs the proxy parses, so without this a
//! misnamed field would pass every other test.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use emploi_sandbox::{Sandbox, SandboxConfig, router};
use emploi_territory::Referentiel;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// Path (array items as `[]`) to the JSON types seen there.
type Shape = BTreeMap<String, BTreeSet<&'static str>>;

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn walk(v: &Value, path: &str, out: &mut Shape) {
    out.entry(path.to_owned()).or_default().insert(kind(v));
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                walk(child, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

fn shape_of(samples: &[(&str, &str)]) -> Shape {
    let mut shape = Shape::new();
    for (root, text) in samples {
        walk(&serde_json::from_str(text).unwrap(), root, &mut shape);
    }
    shape
}

/// The contract's shape of an offer, wherever it stands (search item or detail).
fn offer_shape() -> Shape {
    let search: Value =
        serde_json::from_str(include_str!("../../types/ft-samples/search-206.json")).unwrap();
    let mut shape = Shape::new();
    for offer in search["resultats"].as_array().unwrap() {
        walk(offer, "offre", &mut shape);
    }
    walk(
        &serde_json::from_str(include_str!("../../types/ft-samples/offre.json")).unwrap(),
        "offre",
        &mut shape,
    );
    shape
}

/// Fields France Travail always sends with an offer (the contract's "always" rows).
const ALWAYS: [&str; 11] = [
    "id",
    "intitule",
    "dateCreation",
    "dateActualisation",
    "typeContrat",
    "typeContratLibelle",
    "natureContrat",
    "experienceExige",
    "experienceLibelle",
    "alternance",
    "origineOffre",
];

/// Every path of `answer` must be in `contract` with one of its types.
fn check(answer: &Value, root: &str, contract: &Shape, problems: &mut BTreeSet<String>) {
    let mut seen = Shape::new();
    walk(answer, root, &mut seen);
    for (path, kinds) in seen {
        match contract.get(&path) {
            None => {
                problems.insert(format!("{path}: not in the contract"));
            }
            Some(allowed) => {
                for k in kinds.difference(allowed) {
                    problems.insert(format!("{path}: {k}, the contract has {allowed:?}"));
                }
            }
        }
    }
}

fn check_offer(offer: &Value, contract: &Shape, problems: &mut BTreeSet<String>) {
    check(offer, "offre", contract, problems);
    for field in ALWAYS {
        if offer.get(field).is_none() {
            problems.insert(format!("offre.{field}: always sent by France Travail, missing"));
        }
    }
    if offer["origineOffre"].get("origine").is_none()
        || offer["origineOffre"].get("urlOrigine").is_none()
    {
        problems.insert("offre.origineOffre: origine and urlOrigine are always sent".to_owned());
    }
}

async fn send(sb: &Arc<Sandbox>, req: Request<Body>) -> (StatusCode, Value) {
    let res = router(Arc::clone(sb)).oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

async fn token(sb: &Arc<Sandbox>) -> (StatusCode, Value) {
    let form = "grant_type=client_credentials&client_id=PAR_sandbox&client_secret=sandbox-secret&scope=api_offresdemploiv2%20o2dsoffre";
    let req = Request::post("/connexion/oauth2/access_token?realm=%2Fpartenaire")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.replace("sandbox-secret", "wrong")))
        .unwrap();
    let refused = send(sb, req).await;
    let req = Request::post("/connexion/oauth2/access_token?realm=%2Fpartenaire")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let (status, body) = send(sb, req).await;
    assert_eq!(status, StatusCode::OK);
    let mut problems = BTreeSet::new();
    let contract = shape_of(&[("token", include_str!("../../types/ft-samples/token.json"))]);
    check(&body, "token", &contract, &mut problems);
    let contract =
        shape_of(&[("erreur", include_str!("../../types/ft-samples/token-erreur.json"))]);
    check(&refused.1, "erreur", &contract, &mut problems);
    assert!(problems.is_empty(), "token endpoint:\n{problems:#?}");
    (status, body)
}

async fn get(sb: &Arc<Sandbox>, token: &str, uri: &str) -> (StatusCode, Value) {
    let req = Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    send(sb, req).await
}

/// Issue 13, point 7.
#[tokio::test]
async fn the_sandbox_answers_in_the_shape_of_the_contract_samples() {
    let config = SandboxConfig {
        offers: 8_000,
        now: Some(1_795_176_000),
        rate_limit_per_sec: 1_000_000,
        ..SandboxConfig::default()
    };
    let sb = Arc::new(Sandbox::new(&config, Referentiel::load()));
    let (_, body) = token(&sb).await;
    let bearer = body["access_token"].as_str().unwrap().to_owned();
    let api = "/partenaire/offresdemploi/v2";
    let offers = offer_shape();
    let mut search_contract =
        shape_of(&[("search", include_str!("../../types/ft-samples/search-206.json"))]);
    search_contract.retain(|path, _| !path.starts_with("search.resultats[]."));
    let mut problems = BTreeSet::new();
    let mut ids = Vec::new();
    let mut checked = 0;
    for query in [
        "range=0-149",
        "departement=35&range=0-149",
        "commune=75101&distance=20",
        "typeContrat=MIS,SAI&range=150-299",
    ] {
        let (status, body) = get(&sb, &bearer, &format!("{api}/offres/search?{query}")).await;
        assert!(
            matches!(status, StatusCode::OK | StatusCode::PARTIAL_CONTENT),
            "{query}: {status}"
        );
        let mut outer = body.clone();
        outer["resultats"] = Value::Array(Vec::new());
        check(&outer, "search", &search_contract, &mut problems);
        for offer in body["resultats"].as_array().unwrap() {
            check_offer(offer, &offers, &mut problems);
            checked += 1;
            if ids.len() < 40 {
                ids.push(offer["id"].as_str().unwrap().to_owned());
            }
        }
    }
    for id in &ids {
        let (status, offer) = get(&sb, &bearer, &format!("{api}/offres/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        check_offer(&offer, &offers, &mut problems);
    }
    let (status, error) = get(&sb, &bearer, &format!("{api}/offres/search?range=3001-3010")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let contract = shape_of(&[("erreur", include_str!("../../types/ft-samples/erreur-400.json"))]);
    check(&error, "erreur", &contract, &mut problems);
    for (name, sample) in [
        ("typesContrats", include_str!("../../types/ft-samples/referentiel-typesContrats.json")),
        ("departements", include_str!("../../types/ft-samples/referentiel-departements.json")),
    ] {
        let (status, body) = get(&sb, &bearer, &format!("{api}/referentiel/{name}")).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        check(&body, name, &shape_of(&[(name, sample)]), &mut problems);
    }
    assert!(checked >= 400, "only {checked} offers checked");
    assert!(problems.is_empty(), "{} problems:\n{problems:#?}", problems.len());
}

#[test]
fn the_shape_check_flags_misnamed_fields_nulls_and_missing_ones() {
    let contract = offer_shape();
    let mut problems = BTreeSet::new();
    let offer = serde_json::json!({
        "id": "204QRTB", "intitule": "Boulanger", "appellationLibelle": "Boulanger",
        "description": null, "typeContrat": "CDI", "alternance": "non"
    });
    check_offer(&offer, &contract, &mut problems);
    let text = format!("{problems:?}");
    for expected in [
        "offre.appellationLibelle: not in the contract",
        "offre.description: null",
        "offre.alternance: string",
        "offre.dateCreation: always sent",
    ] {
        assert!(text.contains(expected), "{expected} not flagged in {text}");
    }
}

/// Issue 29: the events and the indicators the sandbox writes have the samples' shape.
#[tokio::test]
async fn events_and_indicators_answer_in_the_shape_of_the_contract_samples() {
    let config = SandboxConfig {
        offers: 200,
        now: Some(1_795_176_000),
        rate_limit_per_sec: 1_000_000,
        ..SandboxConfig::default()
    };
    let sb = Arc::new(Sandbox::new(&config, Referentiel::load()));
    let form = "grant_type=client_credentials&client_id=PAR_sandbox&client_secret=sandbox-secret\
                &scope=api_evenementsv1%20evenements%20api_stats-offres-demandes-emploiv1%20offresetdemandesemploi";
    let req = Request::post("/connexion/oauth2/access_token?realm=%2Fpartenaire")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let (_, body) = send(&sb, req).await;
    let bearer = body["access_token"].as_str().unwrap().to_owned();
    let post = |uri: &'static str, criteria: Value| {
        let (sb, bearer) = (Arc::clone(&sb), bearer.clone());
        async move {
            let req = Request::post(uri)
                .header(header::AUTHORIZATION, format!("Bearer {bearer}"))
                .header(header::ACCEPT, "application/json")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(criteria.to_string()))
                .unwrap();
            send(&sb, req).await
        }
    };
    let mut problems = BTreeSet::new();
    let events = shape_of(&[("page", include_str!("../../types/ft-samples/evenements.json"))]);
    for criteria in [
        serde_json::json!({"departements": ["56", "35"]}),
        serde_json::json!({"modalite": "ADIST"}),
    ] {
        let (status, body) =
            post("/partenaire/evenements/v1/mee/evenements?size=100", criteria).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body["content"].as_array().unwrap().is_empty());
        check(&body, "page", &events, &mut problems);
    }
    let de = shape_of(&[("de", include_str!("../../types/ft-samples/stat-demandeurs.json"))]);
    let criteria = serde_json::json!({
        "codeTypeTerritoire": "DEP", "codeTerritoire": "56", "codeTypeActivite": "CUMUL",
        "codeActivite": "CUMUL", "codeTypePeriode": "TRIMESTRE", "codeTypeNomenclature": "CATCAND",
        "dernierePeriode": true
    });
    let (status, body) =
        post("/partenaire/stats-offres-demandes-emploi/v1/indicateur/stat-demandeurs", criteria)
            .await;
    assert_eq!(status, StatusCode::OK);
    check(&body, "de", &de, &mut problems);
    let tension =
        shape_of(&[("t", include_str!("../../types/ft-samples/stat-perspective-employeur.json"))]);
    let criteria = serde_json::json!({
        "codeTypeTerritoire": "DEP", "codeTerritoire": "56", "codeTypeActivite": "ROME",
        "codeActivite": "G1602", "codeTypePeriode": "ANNEE", "codeTypeNomenclature": "TYPE_TENSION",
        "dernierePeriode": true
    });
    let (status, body) = post(
        "/partenaire/stats-offres-demandes-emploi/v1/indicateur/stat-perspective-employeur",
        criteria,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    check(&body, "t", &tension, &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
}
