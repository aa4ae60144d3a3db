//! `GET /api/v1/search`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use emploi_types::api::SearchResponse;
use emploi_types::recherche::{Recherche, Zone};

use crate::AppState;
use crate::error::AppResult;
use crate::params::SearchQuery;
use crate::service::encoded::accepts_gzip;
use crate::service::search::{answer, cache_key};

/// Searches offers.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "offres",
    params(
        super::SiteParam,
        Recherche,
        Zone,
        ("sonde" = Option<u8>, Query, minimum = 0, maximum = 1, description = "1: an optional search (the widget's suggestions when nothing is found), answered only from the cache or from spare France Travail capacity, never waiting (503 when there is none)"),
    ),
    responses(
        (status = 200, description = "A page of offers", body = SearchResponse),
        (status = 400, description = "A parameter breaks its rule (unknown, repeated, empty, out of its pattern, range or values)", body = emploi_types::api::ApiError),
        (status = 403, description = "Unknown site key or origin not allowed", body = emploi_types::api::ApiError),
        (status = 422, description = "Parameters valid one by one that cannot be searched together (two territories, a radius or a distance sort without a commune, a page past offer 3,000), or a code that names no known commune, EPCI, département or métier", body = emploi_types::api::ApiError),
        (status = 429, description = "Over the per-client limit, or this client's share of France Travail calls", body = emploi_types::api::ApiError),
        (status = 503, description = "France Travail unavailable or over budget", body = emploi_types::api::ApiError),
    )
)]
pub(crate) async fn search_offers(
    State(state): State<AppState>,
    axum::Extension(site): super::SiteOf,
    query: SearchQuery,
    headers: HeaderMap,
) -> AppResult<Response> {
    let SearchQuery { recherche, sonde } = query;
    // A new search is its first page; "more" and the empty-state probes are not counted.
    let counted = recherche.page == 1 && !sonde;
    let encoded = answer(&state, &site, cache_key(&site, &recherche), recherche).await?;
    if counted {
        state.used(&site, crate::metrics::Action::Search);
    }
    Ok(encoded.response(accepts_gzip(&headers)))
}
