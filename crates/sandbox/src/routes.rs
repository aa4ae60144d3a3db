//! HTTP routes of the sandbox: token endpoint, search, detail, referentials, and the admin API
//! that exists only here (`/_sandbox/...`).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use emploi_types::ft::{AccessToken, ErreurApi, ResultatRecherche, TokenError};

use crate::auth::{Admission, Api, Refusal};
use crate::faults::Faults;
use crate::params::{parse_search, valid_offer_id};
use crate::{
    API_PREFIX, EVENEMENTS_PREFIX, MARCHE_PREFIX, Sandbox, TOKEN_PATH, events, market, offer,
    referentials, search,
};
use emploi_types::ft::marche::Indicateur;

/// The sandbox's router.
pub fn router(state: Arc<Sandbox>) -> Router {
    Router::new()
        .route(TOKEN_PATH, post(post_token))
        .route(&format!("{API_PREFIX}/offres/search"), get(search_offers))
        .route(&format!("{API_PREFIX}/offres/{{id}}"), get(get_offer))
        .route(&format!("{API_PREFIX}/referentiel/{{name}}"), get(get_referential))
        .route(&format!("{EVENEMENTS_PREFIX}/mee/evenements"), post(search_events))
        .route(&format!("{EVENEMENTS_PREFIX}/mee/evenement/{{id}}"), get(get_event))
        .route(&format!("{MARCHE_PREFIX}/indicateur/{{name}}"), post(post_indicator))
        .route(&format!("{MARCHE_PREFIX}/referentiel/territoires/{{kind}}"), get(get_territories))
        .route(&format!("{MARCHE_PREFIX}/referentiel/periodes/{{kind}}"), get(get_periods))
        .route("/_sandbox/faults", get(get_faults).put(put_faults))
        .route("/_sandbox/stats", get(get_stats))
        .route("/_sandbox/tokens", get(get_tokens))
        .with_state(state)
}

async fn post_token(
    State(sb): State<Arc<Sandbox>>,
    Query(query): Query<HashMap<String, String>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    sb.faults.counters.token_calls.fetch_add(1, Ordering::Relaxed);
    let faults = sb.faults.get();
    if let Some(l) = faults.token_latency {
        let n = sb.faults.counters.token_draws.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(l.draw(n)).await;
    }
    if faults.maintenance {
        return maintenance();
    }
    let realm_ok =
        matches!(query.get("realm").map(String::as_str), Some("/partenaire" | "partenaire"));
    let issued = if realm_ok {
        sb.auth.issue(&form, faults.token_lifetime_secs)
    } else {
        Err(crate::auth::TokenRefusal("invalid_request", "Invalid realm".to_owned()))
    };
    let headers = [
        (header::CONTENT_TYPE, "application/json;charset=UTF-8"),
        (header::CACHE_CONTROL, "no-store"),
        (header::PRAGMA, "no-cache"),
    ];
    match issued {
        Ok((access_token, expires_in, scope)) => {
            let body =
                AccessToken { scope, expires_in, token_type: "Bearer".to_owned(), access_token };
            (StatusCode::OK, headers, json_string(&body)).into_response()
        }
        Err(refusal) => {
            let body = TokenError { error: refusal.0.to_owned(), error_description: refusal.1 };
            (StatusCode::BAD_REQUEST, headers, json_string(&body)).into_response()
        }
    }
}

async fn search_offers(
    State(sb): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let remaining = match gate(&sb, &headers, Api::Offres).await {
        Ok(remaining) => remaining,
        Err(response) => return response,
    };
    sb.faults.counters.search_calls.fetch_add(1, Ordering::Relaxed);
    if sb.faults.get().garbage_json {
        sb.faults.counters.faulted.fetch_add(1, Ordering::Relaxed);
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"resultats\": [tronqu",
        )
            .into_response();
    }
    let cat = &sb.catalogue;
    let filter = match parse_search(&pairs, cat, sb.quirks) {
        Ok(filter) => filter,
        Err(e) => return gateway_error(StatusCode::BAD_REQUEST, &e.0, cat.params.now),
    };
    let outcome = search::run(cat, &filter);
    let mut response_headers = rate_headers(sb.auth.burst, remaining);
    response_headers.insert("accept-range", HeaderValue::from(crate::MAX_WINDOW));
    if outcome.total == 0 {
        if sb.quirks.zero_result_content_range {
            response_headers.insert(header::CONTENT_RANGE, HeaderValue::from_static("offres */0"));
        }
        return (StatusCode::NO_CONTENT, response_headers).into_response();
    }
    if outcome.window.is_empty() {
        let range = format!("offres -1--1/{}", outcome.total);
        if let Ok(v) = HeaderValue::from_str(&range) {
            response_headers.insert(header::CONTENT_RANGE, v);
        }
        return (StatusCode::NO_CONTENT, response_headers).into_response();
    }
    let first = filter.start as usize;
    let last = first + outcome.window.len() - 1;
    let range = format!("offres {first}-{last}/{}", outcome.total);
    if let Ok(v) = HeaderValue::from_str(&range) {
        response_headers.insert(header::CONTENT_RANGE, v);
    }
    let whole = first == 0 && last + 1 == outcome.total;
    let status = if whole {
        StatusCode::OK
    } else if last + 1 == outcome.total {
        StatusCode::from_u16(sb.quirks.last_page_status).unwrap_or(StatusCode::PARTIAL_CONTENT)
    } else {
        StatusCode::PARTIAL_CONTENT
    };
    let body = ResultatRecherche {
        resultats: outcome.window.iter().map(|&i| offer::render(cat, i)).collect(),
        filtres_possibles: outcome.facets,
    };
    response_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    (status, response_headers, json_string(&body)).into_response()
}

async fn get_offer(
    State(sb): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let remaining = match gate(&sb, &headers, Api::Offres).await {
        Ok(remaining) => remaining,
        Err(response) => return response,
    };
    sb.faults.counters.detail_calls.fetch_add(1, Ordering::Relaxed);
    let cat = &sb.catalogue;
    if !valid_offer_id(&id) {
        return gateway_error(
            StatusCode::BAD_REQUEST,
            "Le format de l'id de l'offre recherchée est incorrect.",
            cat.params.now,
        );
    }
    let response_headers = rate_headers(sb.auth.burst, remaining);
    match cat.record(&id) {
        None => (StatusCode::NO_CONTENT, response_headers).into_response(),
        Some((index, _)) => json(response_headers, &offer::render(cat, index)),
    }
}

async fn get_referential(
    State(sb): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let remaining = match gate(&sb, &headers, Api::Offres).await {
        Ok(remaining) => remaining,
        Err(response) => return response,
    };
    match referentials::referential(&sb.catalogue, &name) {
        Some(list) => json(rate_headers(sb.auth.burst, remaining), &list),
        None => {
            gateway_error(StatusCode::NOT_FOUND, "Ressource introuvable.", sb.catalogue.params.now)
        }
    }
}

/// `POST /mee/evenements`: the agenda's page, `{totalElements, content}`.
async fn search_events(
    State(sb): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
    body: axum::body::Bytes,
) -> Response {
    let remaining = match gate(&sb, &headers, Api::Evenements).await {
        Ok(remaining) => remaining,
        Err(response) => return response,
    };
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return not_json();
    };
    let criteres = match events::Criteres::read(&body, &query) {
        Ok(c) => c,
        Err(events::Refus(m)) => return message(StatusCode::BAD_REQUEST, &m),
    };
    let page = events::search(&sb.agenda, &sb.catalogue.referentiel, &criteres);
    json(rate_headers(sb.auth.burst, remaining), &page)
}

/// `GET /mee/evenement/{id}`: one event; 204 (or 404) for an unknown id, 400 for one that is
/// not a number.
async fn get_event(
    State(sb): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let remaining = match gate(&sb, &headers, Api::Evenements).await {
        Ok(remaining) => remaining,
        Err(response) => return response,
    };
    let Ok(id) = id.parse::<u64>() else {
        return message(
            StatusCode::BAD_REQUEST,
            "L'identifiant de l'événement doit être un nombre.",
        );
    };
    let response_headers = rate_headers(sb.auth.burst, remaining);
    match sb.agenda.get(id) {
        Some(e) => json(response_headers, &events::render(e, &sb.catalogue.referentiel)),
        None if sb.unknown_event_404 => message(StatusCode::NOT_FOUND, "Événement introuvable."),
        None => (StatusCode::NO_CONTENT, response_headers).into_response(),
    }
}

/// `POST /indicateur/{name}`: an indicator, in JSON when asked with `Accept: application/json`,
/// in XML otherwise (France Travail's default).
async fn post_indicator(
    State(sb): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Path(name): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let remaining = match gate(&sb, &headers, Api::Marche).await {
        Ok(remaining) => remaining,
        Err(response) => return response,
    };
    let Some(indicateur) = Indicateur::by_path(&name) else {
        return message(StatusCode::NOT_FOUND, "Ressource introuvable.");
    };
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return not_json();
    };
    let answer = match sb.statistiques.indicateur(indicateur, &body) {
        Ok(answer) => answer,
        Err(market::Refus(m)) => return message(StatusCode::BAD_REQUEST, &m),
    };
    if answer.liste_valeurs_par_periode.is_none() && sb.statistiques.quirks.no_data_404 {
        return message(
            StatusCode::NOT_FOUND,
            "Aucune donnée pour ces critères (Status code = 404).",
        );
    }
    negotiated(&headers, rate_headers(sb.auth.burst, remaining), "indicateurRetour", &answer)
}

/// `GET /referentiel/territoires/{kind}` of the statistics.
async fn get_territories(
    State(sb): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Path(kind): Path<String>,
) -> Response {
    let remaining = match gate(&sb, &headers, Api::Marche).await {
        Ok(remaining) => remaining,
        Err(response) => return response,
    };
    match sb.statistiques.territoires(&kind) {
        Some(list) => {
            negotiated(&headers, rate_headers(sb.auth.burst, remaining), "territoires", &list)
        }
        None => message(StatusCode::NOT_FOUND, "Type de territoire inconnu."),
    }
}

/// `GET /referentiel/periodes/{kind}` of the statistics.
async fn get_periods(
    State(sb): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Path(kind): Path<String>,
) -> Response {
    let remaining = match gate(&sb, &headers, Api::Marche).await {
        Ok(remaining) => remaining,
        Err(response) => return response,
    };
    match sb.statistiques.periodes_referentiel(&kind) {
        Some(list) => {
            negotiated(&headers, rate_headers(sb.auth.burst, remaining), "periodes", &list)
        }
        None => message(StatusCode::NOT_FOUND, "Type de période inconnu."),
    }
}

/// `value` as JSON when `Accept` asks for it, as XML under `root` otherwise.
fn negotiated<T: serde::Serialize>(
    headers: &HeaderMap,
    response_headers: HeaderMap,
    root: &str,
    value: &T,
) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if accept.contains("application/json") {
        return json(response_headers, value);
    }
    match quick_xml::se::to_string_with_root(root, value) {
        Ok(xml) => (
            StatusCode::OK,
            response_headers,
            [(header::CONTENT_TYPE, "application/xml;charset=UTF-8")],
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{xml}"),
        )
            .into_response(),
        Err(_) => message(StatusCode::INTERNAL_SERVER_ERROR, "Erreur technique."),
    }
}

/// The 400 for a request body that is not JSON.
fn not_json() -> Response {
    message(StatusCode::BAD_REQUEST, "Le corps de la requête n'est pas du JSON valide.")
}

/// A 200 with `value` as JSON.
fn json<T: serde::Serialize>(mut response_headers: HeaderMap, value: &T) -> Response {
    response_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    (StatusCode::OK, response_headers, json_string(value)).into_response()
}

/// An error with a JSON `message`, as the events and statistics APIs answer them.
fn message(status: StatusCode, text: &str) -> Response {
    let body = serde_json::json!({ "message": text });
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

async fn get_faults(State(sb): State<Arc<Sandbox>>) -> Json<Faults> {
    Json(sb.faults.get())
}

async fn put_faults(State(sb): State<Arc<Sandbox>>, Json(faults): Json<Faults>) -> Json<Faults> {
    sb.faults.set(faults.clone());
    Json(faults)
}

async fn get_stats(State(sb): State<Arc<Sandbox>>) -> Json<crate::Stats> {
    Json(sb.faults.stats())
}

/// Every token issued since start: the test suites look for them where they must not be.
async fn get_tokens(State(sb): State<Arc<Sandbox>>) -> Json<Vec<String>> {
    Json(sb.auth.issued())
}

/// Maintenance, authentication, rate limit and injected faults, in that order. Returns the
/// tokens left in the client's bucket, or the answer to send instead.
async fn gate(sb: &Sandbox, headers: &HeaderMap, api: Api) -> Result<u32, Response> {
    let faults = sb.faults.get();
    let counters = &sb.faults.counters;
    if faults.maintenance {
        return Err(maintenance());
    }
    let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let subscribed = match api {
        Api::Offres => true,
        Api::Evenements => sb.subscriptions.evenements,
        Api::Marche => sb.subscriptions.marche,
    };
    let client = match sb.auth.check_bearer(auth, api, subscribed) {
        Ok(client) => client,
        Err(Refusal::Unauthorized) => {
            counters.unauthorized.fetch_add(1, Ordering::Relaxed);
            return Err(
                (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response()
            );
        }
        // The gateway refuses a token without the API's scopes, with an empty body.
        Err(Refusal::Forbidden) => return Err(StatusCode::FORBIDDEN.into_response()),
    };
    let remaining = match sb.auth.admit(&client) {
        Admission::Allowed { remaining } => remaining,
        Admission::Refused { retry_after } => {
            counters.rate_limited.fetch_add(1, Ordering::Relaxed);
            return Err(too_many(retry_after));
        }
    };
    counters.api_calls.fetch_add(1, Ordering::Relaxed);
    let mut latency = Duration::from_millis(faults.latency_ms);
    if let Some(l) = faults.api_latency {
        latency += l.draw(counters.api_draws.fetch_add(1, Ordering::Relaxed));
    }
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if faults.hang {
        counters.faulted.fetch_add(1, Ordering::Relaxed);
        // Never answer; the client's deadline is what ends the call.
        std::future::pending::<()>().await;
    }
    if faults.force_429 {
        counters.faulted.fetch_add(1, Ordering::Relaxed);
        return Err(too_many(faults.retry_after_secs.unwrap_or(1)));
    }
    if sb.faults.draw_error(faults.error_rate) {
        counters.faulted.fetch_add(1, Ordering::Relaxed);
        let status = faults
            .error_status
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        return Err(gateway_error(
            status,
            "Erreur technique. Veuillez réessayer ultérieurement.",
            0,
        ));
    }
    Ok(remaining)
}

fn rate_headers(burst: u32, remaining: u32) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("x-ratelimit-burst-capacity-clientidlimiter", HeaderValue::from(burst));
    h.insert("x-ratelimit-replenish-rate-clientidlimiter", HeaderValue::from(burst));
    h.insert("x-ratelimit-remaining-clientidlimiter", HeaderValue::from(remaining));
    h.insert("x-ratelimit-requested-tokens-clientidlimiter", HeaderValue::from(1u32));
    h
}

fn too_many(retry_after: u64) -> Response {
    (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, retry_after.to_string())])
        .into_response()
}

fn maintenance() -> Response {
    gateway_error(StatusCode::SERVICE_UNAVAILABLE, "Service en cours de maintenance.", 0)
}

fn gateway_error(status: StatusCode, message: &str, clock: i64) -> Response {
    let body = ErreurApi {
        code_http: status.as_u16(),
        message: message.to_owned(),
        // Upstream codes looked like epoch milliseconds; derive one from the sandbox clock so that
        // answers stay reproducible.
        code_erreur: format!("{}", clock.max(0) * 1000 + i64::from(status.as_u16())),
    };
    (status, [(header::CONTENT_TYPE, "application/json")], json_string(&body)).into_response()
}

fn json_string<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned())
}
