//! The proxy's decoder against contract samples written by hand from France Travail's public
//! description (`ft-samples/`, not produced by these types): every field of every sample is read,
//! and what the types write back is exactly what they read. A misnamed field (such as
//! `appellationLibelle` for the contract's `appellationlibelle`) fails here, where a test built on
//! our own serialization would pass.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

use emploi_types::ft::{AccessToken, CodeLibelle, ErreurApi, Offre, ResultatRecherche, TokenError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `sample` read into `T` and written back must be `sample` itself.
fn round_trip<T: DeserializeOwned + Serialize>(name: &str, sample: &str) {
    let original: Value = serde_json::from_str(sample).unwrap();
    let decoded: T = serde_json::from_str(sample).unwrap_or_else(|e| panic!("{name}: {e}"));
    let back = serde_json::to_value(&decoded).unwrap();
    let mut problems = Vec::new();
    compare(&original, &back, name, &mut problems);
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
}

fn compare(sample: &Value, ours: &Value, path: &str, problems: &mut Vec<String>) {
    match (sample, ours) {
        (Value::Object(s), Value::Object(o)) => {
            for (key, value) in s {
                match o.get(key) {
                    Some(mine) => compare(value, mine, &format!("{path}.{key}"), problems),
                    None => problems.push(format!("{path}.{key}: in the contract, not read")),
                }
            }
            for key in o.keys().filter(|k| !s.contains_key(*k)) {
                problems.push(format!("{path}.{key}: written by our types, not in the sample"));
            }
        }
        (Value::Array(s), Value::Array(o)) if s.len() == o.len() => {
            for (i, (a, b)) in s.iter().zip(o).enumerate() {
                compare(a, b, &format!("{path}[{i}]"), problems);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        (a, b) => problems.push(format!("{path}: {a} read back as {b}")),
    }
}

#[test]
fn a_search_answer_is_read_whole() {
    round_trip::<ResultatRecherche>("search-206", include_str!("../ft-samples/search-206.json"));
}

#[test]
fn an_offer_detail_is_read_whole() {
    round_trip::<Offre>("offre", include_str!("../ft-samples/offre.json"));
}

/// Issue 27's fields: a partner's apprenticeship with a handi-engaged employer, open to
/// beginners, lacking candidates, with weekly hours and an apprentice's pay.
#[test]
fn a_work_study_offer_is_read_whole() {
    round_trip::<Offre>("offre-alternance", include_str!("../ft-samples/offre-alternance.json"));
}

#[test]
fn errors_tokens_and_referentials_are_read_whole() {
    round_trip::<ErreurApi>("erreur-400", include_str!("../ft-samples/erreur-400.json"));
    round_trip::<AccessToken>("token", include_str!("../ft-samples/token.json"));
    round_trip::<TokenError>("token-erreur", include_str!("../ft-samples/token-erreur.json"));
    round_trip::<Vec<CodeLibelle>>(
        "referentiel-typesContrats",
        include_str!("../ft-samples/referentiel-typesContrats.json"),
    );
}

#[test]
fn the_comparison_catches_a_misnamed_field() {
    #[derive(serde::Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Misnamed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        appellation_libelle: Option<String>,
    }
    let result = std::panic::catch_unwind(|| {
        round_trip::<Misnamed>("misnamed", r#"{"appellationlibelle": "Boulanger"}"#);
    });
    assert!(result.is_err(), "a field read under the wrong name must fail");
}

#[test]
fn an_events_page_is_read_whole() {
    round_trip::<emploi_types::ft::evenements::PageEvenements>(
        "evenements",
        include_str!("../ft-samples/evenements.json"),
    );
}

#[test]
fn indicators_are_read_whole() {
    use emploi_types::ft::marche::IndicateurRetour;
    round_trip::<IndicateurRetour>(
        "stat-demandeurs",
        include_str!("../ft-samples/stat-demandeurs.json"),
    );
    round_trip::<IndicateurRetour>(
        "stat-perspective-employeur",
        include_str!("../ft-samples/stat-perspective-employeur.json"),
    );
}
