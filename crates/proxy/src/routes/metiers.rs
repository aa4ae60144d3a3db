//! `GET /api/v1/metiers?q=…&limit=…`: métier suggestions for the keywords field.

use axum::Json;
use axum::extract::{RawQuery, State};
use emploi_types::api::MetierChoix;

use crate::AppState;
use crate::error::{AppError, AppResult};

/// ROME fiches (and, with real credentials, France Travail appellations) matching a query.
#[utoipa::path(
    get,
    path = "/api/v1/metiers",
    tag = "offres",
    params(
        super::SiteParam,
        ("q" = String, Query, min_length = 2, max_length = 80, description = "2 to 80 characters: words starting words of the label (accents and case ignored: \"aide soi\" finds \"Aide-soignant / Aide-soignante\") or a ROME code"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 20, description = "1-20 (default 8)"),
    ),
    responses(
        (status = 200, description = "Métiers, best match first: labels starting with the query, then shorter labels", body = Vec<MetierChoix>),
        (status = 400, description = "Invalid parameter", body = emploi_types::api::ApiError),
        (status = 403, description = "Unknown site key or origin not allowed", body = emploi_types::api::ApiError),
        (status = 429, description = "Over the per-client limit, or this client's share of France Travail calls", body = emploi_types::api::ApiError),
    )
)]
pub(crate) async fn list_metiers(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<Vec<MetierChoix>>> {
    let pairs = super::query_pairs(raw.as_deref())?;
    let (q, limit) = super::lieux::query_and_limit(&pairs)?;
    let q = q.ok_or_else(|| {
        AppError::bad_request(
            "q",
            "Tapez de 2 à 80 caractères : le début d'un nom de métier, ou un code ROME.",
            "Type 2 to 80 characters: the start of a métier's name, or a ROME code.",
        )
    })?;
    Ok(Json(state.metiers.suggest(q, limit).await))
}
