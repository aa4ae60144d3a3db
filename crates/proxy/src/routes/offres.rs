//! `GET /api/v1/offres/{id}`.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use emploi_types::api::OffreDetail;

use crate::AppState;
use crate::error::{AppError, AppResult, Message};
use crate::service::offer::detail;

/// One offer's detail.
#[utoipa::path(
    get,
    path = "/api/v1/offres/{id}",
    tag = "offres",
    params(
        ("id" = String, Path, pattern = "^[0-9A-Z]{7}$", description = "France Travail offer id: 7 upper-case letters or digits"),
        super::SiteParam,
    ),
    responses(
        (status = 200, description = "The offer", body = OffreDetail),
        (status = 400, description = "Invalid id", body = emploi_types::api::ApiError),
        (status = 403, description = "Unknown site key or origin not allowed", body = emploi_types::api::ApiError),
        (status = 404, description = "No longer available", body = emploi_types::api::ApiError),
        (status = 429, description = "Over the per-client limit, or this client's share of France Travail calls", body = emploi_types::api::ApiError),
        (status = 503, description = "France Travail unavailable", body = emploi_types::api::ApiError),
    )
)]
pub(crate) async fn get_offer(
    State(state): State<AppState>,
    axum::Extension(site): super::SiteOf,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> AppResult<Json<OffreDetail>> {
    // A path that does not decode (bad percent-encoding, not UTF-8) is an invalid id too.
    let id = id.map(|Path(id)| id).unwrap_or_default();
    let offer = detail(&state, &id).await?;
    state.used(&site, crate::metrics::Action::Offer);
    Ok(Json(offer))
}

/// "Postuler": counts the click for the site, then sends the resident to the offer's own
/// application address, read from France Travail's offer (never from the request, so that this
/// is no open redirect).
#[utoipa::path(
    get,
    path = "/api/v1/postuler/{id}",
    tag = "offres",
    params(
        ("id" = String, Path, pattern = "^[0-9A-Z]{7}$", description = "France Travail offer id: 7 upper-case letters or digits"),
        ("site" = String, Query, description = "Public site key (a link: no Origin needed)"),
    ),
    responses(
        (status = 303, description = "To the offer's application address (or its France Travail page)"),
        (status = 400, description = "Invalid id", body = emploi_types::api::ApiError),
        (status = 403, description = "Unknown site key", body = emploi_types::api::ApiError),
        (status = 404, description = "No longer available, or no address to apply at", body = emploi_types::api::ApiError),
        (status = 429, description = "Over the per-client limit, or this client's share of France Travail calls", body = emploi_types::api::ApiError),
        (status = 503, description = "France Travail unavailable", body = emploi_types::api::ApiError),
    )
)]
pub(crate) async fn apply(
    State(state): State<AppState>,
    axum::Extension(site): super::SiteOf,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> AppResult<axum::response::Response> {
    let id = id.map(|Path(id)| id).unwrap_or_default();
    let offer = detail(&state, &id).await?;
    let http = |url: &str| {
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    };
    let c = &offer.complement;
    let to = [&c.url_postuler, &c.url_france_travail].into_iter().find(|u| http(u)).ok_or_else(
        || {
            AppError::NotFound(Message::new(
                "Cette offre ne donne pas d'adresse pour postuler : voyez-la sur francetravail.fr.",
                "This offer gives no address to apply at: see it on francetravail.fr.",
            ))
        },
    )?;
    // An address that is no valid header (France Travail's data is not trusted) is refused
    // like a missing one, never a panic.
    let location = axum::http::HeaderValue::from_str(to).map_err(|_| {
        AppError::NotFound(Message::new(
            "L'adresse pour postuler à cette offre est invalide : voyez-la sur francetravail.fr.",
            "This offer's address to apply at is invalid: see it on francetravail.fr.",
        ))
    })?;
    state.used(&site, crate::metrics::Action::Apply);
    Ok((axum::http::StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, location)])
        .into_response())
}
