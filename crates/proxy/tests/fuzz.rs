//! Bad input, generated: raw query strings and paths for every public endpoint, mixing known
//! parameter names with odd values, malformed percent-encoding, repeated and unknown
//! parameters. Never a panic, never a 5xx; every refusal is a 4xx with the JSON error body.
//!
//! `cargo xtask test` runs the default number of cases; `cargo xtask fuzz` runs 100,000
//! (`PROPTEST_CASES`).

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::OnceLock;
use std::time::Duration;

use axum::http::StatusCode;
use common::TestApp;
use emploi_proxy::config::{Budget, Limits};
use emploi_sandbox::SandboxConfig;
use emploi_types::api::ApiError;
use proptest::prelude::*;

/// Parameter names: every accepted one, those of the other endpoints, and some that are not.
fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> =
        emploi_types::recherche::Param::ALL.iter().map(|p| p.name()).collect();
    names.extend(emploi_types::recherche::element_attributes());
    names.extend(["site", "sonde", "limit", "id", "ville", "lien", "lieu", "evenement", ""]);
    names.extend(emploi_types::agenda::NOMS);
    names
}

const VALUES: &[&str] = &[
    "demo",
    "14",
    "en-ligne",
    "2026-12-07",
    "35238",
    "75056",
    "13055",
    "243500139",
    "35",
    "2A",
    "971",
    "0",
    "1",
    "10",
    "100",
    "101",
    "-1",
    "150",
    "3000",
    "99999999999999999999",
    "CDI,CDD",
    "CDI,,XYZ",
    // Issue 27's filters: salary periods, levels, sectors, beginners, origins.
    "mois",
    "an",
    "cadre",
    "non-cadre",
    "86,87",
    "86,87,88",
    "D",
    "france-travail",
    "true",
    "false",
    "date",
    "pertinence",
    "distance",
    "rennes",
    "st malo",
    "a",
    "é",
    "%",
    "%G1",
    "%E9",
    "%C3",
    "+",
    "&",
    "=",
    "<script>",
    "NaN",
    "1e3",
    " ",
    "\u{0}",
];

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap())
}

fn app() -> &'static TestApp {
    static APP: OnceLock<TestApp> = OnceLock::new();
    APP.get_or_init(|| {
        runtime().block_on(async {
            let sandbox = SandboxConfig { rate_limit_per_sec: 100_000, ..SandboxConfig::default() };
            TestApp::build(sandbox, |c| {
                c.budget = Budget {
                    calls_per_second: 100_000,
                    wait: Duration::from_secs(5),
                    ..Budget::default()
                };
                c.limits = Limits { per_ip_per_minute: u32::MAX, ..Limits::default() };
            })
            .await
        })
    })
}

/// Percent-encodes some characters and leaves others raw, as sloppy clients do.
fn sloppy(value: &str, encode_all: bool) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b',' => {
                out.push(char::from(b));
            }
            b'%' | b'&' | b'=' | b'+' if !encode_all => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn pair() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        3 => prop::sample::select(names()).prop_map(str::to_owned),
        1 => "[a-z_%]{0,12}",
    ];
    let value = prop_oneof![
        3 => prop::sample::select(VALUES).prop_map(str::to_owned),
        2 => any::<String>(),
        1 => "[0-9]{1,6}",
    ];
    (name, value, any::<bool>(), any::<bool>()).prop_map(|(n, v, encode_all, bare)| {
        if bare {
            sloppy(&n, true)
        } else {
            format!("{}={}", sloppy(&n, true), sloppy(&v, encode_all))
        }
    })
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (prop::collection::vec(pair(), 0..8), any::<bool>()).prop_map(|(pairs, with_site)| {
            let mut q = pairs.join("&");
            if with_site {
                q = if q.is_empty() { "site=demo".into() } else { format!("site=demo&{q}") };
            }
            q
        }),
        1 => "[!-~&&[^#]]{0,120}",
    ]
}

fn check(uri: &str, status: StatusCode, body: &[u8]) {
    assert!(status.as_u16() < 500, "{uri} answered {status}: {}", String::from_utf8_lossy(body));
    if !status.is_success() {
        let err: Result<ApiError, _> = serde_json::from_slice(body);
        let err = err.unwrap_or_else(|_| {
            panic!(
                "{uri} answered {status} without the error body: {}",
                String::from_utf8_lossy(body)
            )
        });
        assert!(!err.message.is_empty());
    }
}

/// The API routes the first property covers, as the OpenAPI document names them (the feed and
/// "Postuler" are covered with the pages).
const FUZZED: [&str; 11] = [
    "/api/v1/search",
    "/api/v1/evenements",
    "/api/v1/evenements.ics",
    "/api/v1/indicateurs",
    "/api/v1/lieux",
    "/api/v1/metiers",
    "/api/v1/marche",
    "/api/v1/vue",
    "/api/v1/offres/{id}",
    "/api/v1/flux",
    "/api/v1/postuler/{id}",
];

/// Issue 25, point 14: `/api/v1/vue` and `/api/v1/metiers` were left out of the fuzzing.
#[test]
fn every_documented_route_is_fuzzed() {
    let document = runtime().block_on(app().get("/api/v1/openapi.json"));
    let document: serde_json::Value = document.json();
    let mut documented: Vec<&str> =
        document["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    documented.retain(|p| *p != "/api/v1/openapi.json");
    documented.sort_unstable();
    let mut fuzzed = FUZZED.to_vec();
    fuzzed.sort_unstable();
    assert_eq!(documented, fuzzed);
}

/// A first view answers its error states in its own body (`{html, …}`), others the envelope.
fn check_api(path: &str, uri: &str, status: StatusCode, body: &[u8]) {
    if path == "/api/v1/vue" && matches!(status.as_u16(), 400 | 422 | 503) {
        let view: serde_json::Value = serde_json::from_slice(body)
            .unwrap_or_else(|_| panic!("{uri}: {}", String::from_utf8_lossy(body)));
        if view
            .get("html")
            .is_some_and(|h| h.as_str().is_some_and(|h| h.contains("role=\"alert\"")))
        {
            return;
        }
    }
    check(uri, status, body);
}

proptest! {
    #[test]
    fn no_query_string_breaks_an_endpoint(q in query(), id in "[A-Za-z0-9%]{0,9}") {
        let app = app();
        let paths = [
            "/api/v1/search".to_owned(),
            "/api/v1/lieux".to_owned(),
            "/api/v1/metiers".to_owned(),
            "/api/v1/marche".to_owned(),
            "/api/v1/evenements".to_owned(),
            "/api/v1/indicateurs".to_owned(),
            "/api/v1/vue".to_owned(),
            format!("/api/v1/offres/{}", if id.is_empty() { "x" } else { &id }),
        ];
        runtime().block_on(async {
            for path in &paths {
                let uri = format!("{path}?{q}");
                if axum::http::Uri::try_from(uri.as_str()).is_err() {
                    continue; // The HTTP server refuses such a request line before any routing.
                }
                let answer = app.send(&uri, &[("origin", "http://127.0.0.1:5500")]).await;
                check_api(path, &uri, answer.status, &answer.body);
            }
        });
    }
}

proptest! {
    #[test]
    fn no_query_string_breaks_a_page_a_feed_or_the_apply_redirect(
        q in query(),
        id in "[A-Za-z0-9%]{0,9}",
    ) {
        let app = app();
        let id = if id.is_empty() { "x".to_owned() } else { id };
        let paths = [
            "/offres".to_owned(),
            "/offres/imprimer".to_owned(),
            format!("/offres/{id}"),
            "/api/v1/flux".to_owned(),
            "/api/v1/evenements.ics".to_owned(),
            format!("/api/v1/postuler/{id}"),
        ];
        runtime().block_on(async {
            for path in &paths {
                let uri = format!("{path}?{q}");
                if axum::http::Uri::try_from(uri.as_str()).is_err() {
                    continue;
                }
                // Links, frames and feed readers send no Origin.
                let answer = app.send(&uri, &[]).await;
                let status = answer.status;
                if path.starts_with("/offres") {
                    // Pages answer HTML, errors included: a readable state, never a 5xx.
                    assert!(status.as_u16() < 500, "{uri} answered {status}");
                    let html = String::from_utf8_lossy(&answer.body);
                    assert!(html.starts_with("<!doctype html>") || status.is_redirection(), "{uri}: {html}");
                    if status.is_client_error() {
                        assert!(html.contains("role=\"alert\""), "{uri} {status}: {html}");
                    }
                } else if !status.is_redirection() {
                    check(&uri, status, &answer.body);
                }
            }
        });
    }
}
