//! `GET /api/v1/search`.

use axum::Json;
use axum::extract::{RawQuery, State};
use emploi_types::api::{OffreResume, SearchResponse};
use emploi_types::ft::Offre;

use crate::error::{AppError, AppResult};
use crate::params::{MAX_REACHABLE, parse_search};
use crate::upstream::UpstreamError;
use crate::{AppState, mapping, multi};

/// Searches offers.
pub(crate) async fn search_offers(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<SearchResponse>> {
    let pairs = super::query_pairs(raw.as_deref())?;
    let request = parse_search(&pairs, &state.referentiel)?;
    let cards = |offres: &[Offre]| -> Vec<OffreResume> {
        offres.iter().map(|o| mapping::resume(o, &state.referentiel, request.centre)).collect()
    };
    // Cards and facets are read straight from the (cached, shared) upstream page: no copy.
    let (offres, total, facettes, stale) = if request.communes.is_empty() {
        let served =
            state.upstream.search(request.upstream_query()).await.map_err(upstream_error)?;
        let page = &served.value;
        let facettes = mapping::facettes(&page.result.filtres_possibles);
        (cards(&page.result.resultats), page.total, facettes, served.stale)
    } else {
        let merged = multi::search(&state.upstream, &request).await.map_err(upstream_error)?;
        (cards(&merged.offres), merged.total, mapping::facettes(&merged.facets), merged.stale)
    };
    Ok(Json(SearchResponse {
        offres,
        total,
        page: request.page,
        par_page: request.par_page,
        accessibles: total.min(MAX_REACHABLE),
        facettes,
        territoire: request.territoire.clone(),
        stale,
    }))
}

/// Classifies an upstream failure for the client.
pub(crate) fn upstream_error(e: UpstreamError) -> AppError {
    match e {
        UpstreamError::RateLimited(secs) => AppError::UpstreamUnavailable {
            retry_after: Some(secs.max(1)),
            detail: "France Travail budget exhausted".to_owned(),
        },
        UpstreamError::Rejected(message) => AppError::Internal(format!(
            "France Travail rejected a request the proxy validated: {message}"
        )),
        other => AppError::UpstreamUnavailable { retry_after: Some(5), detail: other.to_string() },
    }
}
