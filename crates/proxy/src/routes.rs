//! The public API (`/api/v1`) and the health endpoints.

mod health;
mod lieux;
mod offres;
mod search;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// Routes under `/api/v1`.
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/search", get(search::search_offers))
        .route("/offres/{id}", get(offres::get_offer))
        .route("/lieux", get(lieux::list_places))
}

/// `/healthz` and `/readyz`.
pub fn health_routes() -> Router<AppState> {
    Router::new().route("/healthz", get(health::healthz)).route("/readyz", get(health::readyz))
}

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
