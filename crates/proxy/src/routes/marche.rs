//! `GET /api/v1/marche`: the territory's job market at a glance (see [`crate::service::market`]).

use axum::Json;
use axum::extract::State;
use emploi_types::api::Marche;
use emploi_types::recherche::Zone;

use crate::AppState;
use crate::error::AppResult;
use crate::params::ZoneQuery;
use crate::service::market::overview;

/// The market overview.
#[utoipa::path(
    get,
    path = "/api/v1/marche",
    tag = "territoires",
    params(super::SiteParam, Zone),
    responses(
        (status = 200, description = "Counts by contract type and top métiers", body = Marche),
        (status = 400, description = "A parameter breaks its rule, or is not one of site, commune, epci, departement, rayon", body = emploi_types::api::ApiError),
        (status = 422, description = "No territory (and none by default for the site), two of them, a radius without a commune, or a code that names none", body = emploi_types::api::ApiError),
        (status = 403, description = "Unknown site key or origin not allowed", body = emploi_types::api::ApiError),
        (status = 503, description = "France Travail unavailable", body = emploi_types::api::ApiError),
    )
)]
pub(crate) async fn market(
    State(state): State<AppState>,
    axum::Extension(site): super::SiteOf,
    ZoneQuery(zone): ZoneQuery,
) -> AppResult<Json<Marche>> {
    Ok(Json(overview(&state, &site, zone.zone).await?))
}
