//! Property tests: any mix of parameters gets a consistent answer, never a panic or a 5xx.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use emploi_sandbox::{Sandbox, SandboxConfig, router};
use emploi_territory::Referentiel;
use http_body_util::BodyExt;
use proptest::prelude::*;
use tower::ServiceExt;

fn sandbox() -> Arc<Sandbox> {
    static SB: OnceLock<Arc<Sandbox>> = OnceLock::new();
    Arc::clone(SB.get_or_init(|| {
        let config = SandboxConfig {
            offers: 3_000,
            now: Some(1_795_176_000),
            rate_limit_per_sec: 1_000_000,
            ..SandboxConfig::default()
        };
        Arc::new(Sandbox::new(&config, Referentiel::load()))
    }))
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap())
}

async fn token(sb: &Arc<Sandbox>) -> String {
    let req = Request::post("/connexion/oauth2/access_token?realm=%2Fpartenaire")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("grant_type=client_credentials&client_id=PAR_sandbox&client_secret=sandbox-secret&scope=api_offresdemploiv2 o2dsoffre"))
        .unwrap();
    let res = router(Arc::clone(sb)).oneshot(req).await.unwrap();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice::<serde_json::Value>(&body).unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn param() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("range"),
        Just("motsCles"),
        Just("commune"),
        Just("distance"),
        Just("departement"),
        Just("typeContrat"),
        Just("natureContrat"),
        Just("sort"),
        Just("publieeDepuis"),
        Just("tempsPlein"),
        Just("experience"),
        Just("qualification"),
        Just("codeROME"),
        Just("minCreationDate"),
        Just("maxCreationDate"),
        Just("inconnu"),
    ];
    let value = prop_oneof![
        "[0-9]{1,4}-[0-9]{1,4}",
        "[0-9]{1,6}",
        "[A-Z]{3}(,[A-Z]{3}){0,2}",
        "[a-zé ,]{0,20}",
        Just("35238".to_owned()),
        Just("75056,69381".to_owned()),
        Just("true".to_owned()),
        Just("2026-11-01T00:00:00Z".to_owned()),
        "\\PC{0,12}",
    ];
    (name, value).prop_map(|(n, v)| {
        format!("{n}={}", v.bytes().map(|b| format!("%{b:02X}")).collect::<String>())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_parameter_mix_gets_a_consistent_answer(params in proptest::collection::vec(param(), 0..5)) {
        let sb = sandbox();
        let query = params.join("&");
        let (status, range, body) = runtime().block_on(async {
            let token = token(&sb).await;
            let req = Request::get(format!("/partenaire/offresdemploi/v2/offres/search?{query}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap();
            let res = router(Arc::clone(&sb)).oneshot(req).await.unwrap();
            let status = res.status();
            let range = res.headers().get("content-range").map(|v| v.to_str().unwrap().to_owned());
            let body = res.into_body().collect().await.unwrap().to_bytes();
            (status, range, body)
        });
        prop_assert!(
            [StatusCode::OK, StatusCode::PARTIAL_CONTENT, StatusCode::NO_CONTENT, StatusCode::BAD_REQUEST]
                .contains(&status),
            "{query} -> {status}"
        );
        match status {
            StatusCode::BAD_REQUEST => {
                let err: serde_json::Value = serde_json::from_slice(&body).unwrap();
                prop_assert!(err["message"].is_string());
                prop_assert_eq!(&err["codeHttp"], 400);
            }
            StatusCode::NO_CONTENT => prop_assert!(body.is_empty()),
            _ => {
                let result: emploi_types::ft::ResultatRecherche = serde_json::from_slice(&body).unwrap();
                let range = range.unwrap();
                let (window, total) = range.trim_start_matches("offres ").split_once('/').unwrap();
                let (first, last) = window.split_once('-').unwrap();
                let (first, last, total): (usize, usize, usize) =
                    (first.parse().unwrap(), last.parse().unwrap(), total.parse().unwrap());
                prop_assert_eq!(result.resultats.len(), last - first + 1);
                prop_assert!(last < total);
                prop_assert_eq!(status == StatusCode::OK, first == 0 && last + 1 == total);
            }
        }
    }
}
