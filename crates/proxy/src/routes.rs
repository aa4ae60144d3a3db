//! The public API (`/api/v1`) and the health endpoints.

pub(crate) mod evenements;
pub(crate) mod flux;
pub(crate) mod health;
pub(crate) mod lieux;
pub(crate) mod marche;
pub(crate) mod metiers;
pub(crate) mod offres;
pub mod pages;
pub(crate) mod report;
pub mod search;
pub(crate) mod vue;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use crate::AppState;
use crate::gate::{self, Gate};
use crate::sites::Site;

/// `router`'s routes behind the access gate for `gate`'s kind of route.
pub(crate) fn gated(router: Router<AppState>, state: &AppState, gate: Gate) -> Router<AppState> {
    router.route_layer(axum::middleware::from_fn_with_state((state.clone(), gate), gate::admit))
}

/// Routes under `/api/v1`: every one behind the access gate but the OpenAPI document.
pub fn api_routes(state: &AppState) -> Router<AppState> {
    let api = Router::new()
        .route("/search", get(search::search_offers))
        .route("/offres/{id}", get(offres::get_offer))
        .route("/lieux", get(lieux::list_places))
        .route("/metiers", get(metiers::list_metiers))
        .route("/marche", get(marche::market))
        .route("/evenements", get(evenements::list))
        .route("/indicateurs", get(evenements::figures))
        .route("/vue", get(vue::first_view));
    Router::new()
        .merge(gated(api, state, Gate::Api))
        .merge(gated(
            Router::new()
                .route("/flux", get(flux::feed))
                .route("/evenements.ics", get(evenements::calendar)),
            state,
            Gate::Feed,
        ))
        .merge(gated(Router::new().route("/postuler/{id}", get(offres::apply)), state, Gate::Apply))
        .route("/openapi.json", get(crate::openapi::document))
        .fallback(unknown_route)
        .method_not_allowed_fallback(read_only)
}

async fn unknown_route() -> crate::error::AppError {
    crate::error::AppError::NotFound(crate::error::Message::new(
        "Adresse inconnue : voir /api/v1/openapi.json pour la liste des adresses de l'API.",
        "Unknown address: see /api/v1/openapi.json for the API's addresses.",
    ))
}

async fn read_only() -> crate::error::AppError {
    crate::error::AppError::MethodNotAllowed
}

/// The public listener's `/healthz` and `/readyz`.
pub fn health_routes() -> Router<AppState> {
    Router::new().route("/healthz", get(health::healthz)).route("/readyz", get(health::readyz))
}

/// The operations listener's routes: `/metrics`, `/healthz` with France Travail's and Redis'
/// state, and `/readyz`.
pub fn admin_routes() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(health::metrics))
        .route("/healthz", get(health::details))
        .route("/readyz", get(health::readyz))
}

/// The site key of the guarded endpoints, as the OpenAPI document states it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code, reason = "read by the site guard from the query; here for the document")]
pub(crate) struct SiteParam {
    /// Public site key, registered on the proxy for the host's origins (403 otherwise).
    #[param(pattern = "^[A-Za-z0-9_-]{2,64}$", example = "demo")]
    site: String,
}

/// The site the gate let through.
pub(crate) type SiteOf = axum::Extension<Arc<Site>>;

/// Parses a raw query string into pairs, as a 400 when it is not valid form encoding.
pub(crate) fn query_pairs(raw: Option<&str>) -> crate::error::AppResult<Vec<(String, String)>> {
    serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| {
        crate::error::AppError::bad_request(
            "query",
            "La requête n'est pas correctement encodée.",
            "The query string is not properly encoded.",
        )
    })
}
