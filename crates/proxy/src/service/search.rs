//! Searches: a search's answer from the answers cache, or from France Travail through the
//! upstream caches and budget, for every route that shows offers (the API, first views, plain
//! pages, print views and feeds).

use axum::body::Bytes;
use emploi_types::api::{OffreResume, SearchResponse};
use emploi_types::recherche::{MAX_ACCESSIBLES, Recherche};
use std::sync::Arc;

use futures::future::try_join_all;

use super::encoded::Encoded;
use crate::error::{AppError, AppResult};
use crate::metiers::AppellationCodes;
use crate::params::{resolve, with_default_territory};
use crate::sites::Site;
use crate::upstream::UpstreamError;
use crate::{AppState, mapping, multi};

/// The answers cache's key of `recherche` for `site`: the site key, then the search's canonical
/// query ([`Recherche::query`], the writer of the widget's requests and deep links too) written
/// from the checked, typed values, so a probe, a first view, a feed and the widget's own request
/// for one search share one answer, and no spelling of an address reaches another site's entry.
pub(crate) fn cache_key(site: &Site, recherche: &Recherche) -> String {
    format!("{}?{}", site.config.key, recherche.query())
}

/// The answer to the search `recherche` (a site's default territory applied when it names
/// none), from the answers cache under `key` (its query string) when a recent identical search
/// is there: a hit costs a look-up. The first view asks for its searches here too, so the
/// widget's own requests and the proxy's first views share their answers.
pub(crate) async fn answer(
    state: &AppState,
    site: &Site,
    key: String,
    recherche: Recherche,
) -> AppResult<Encoded> {
    if let Some(encoded) = state.responses.get(&key).await {
        state.metrics.lookup("response", "hit");
        return Ok(encoded);
    }
    state.metrics.lookup("response", "miss");
    let recherche = with_default_territory(recherche, site);
    // The appellations are only needed (and fetched) to name an appellation code.
    let appellations = match recherche.metier.as_deref() {
        Some(v) if crate::metiers::is_appellation_code(v) && state.metiers.with_appellations() => {
            state.metiers.appellations().await
        }
        _ => None,
    };
    let codes = match (&appellations, state.metiers.with_appellations()) {
        (Some(list), _) => AppellationCodes::Known(list),
        (None, true) => AppellationCodes::Unavailable,
        (None, false) => AppellationCodes::Off,
    };
    let request = resolve(recherche, &state.referentiel, codes)?;
    let card = |o: &crate::upstream::Carte| -> OffreResume {
        mapping::resume(o, &state.referentiel, request.centre)
    };
    // Cards and facets are read straight from the (cached, shared) upstream page: no copy.
    let (offres, total, facettes, stale, fetched_at) = if request.communes.is_empty() {
        // The page is cut out of the window (or two) that hold it.
        let starts = request.windows();
        let windows =
            try_join_all(starts.iter().map(|w| state.upstream.search(request.window_query(*w))))
                .await
                .map_err(upstream_error)?;
        let first = &windows[0].value;
        let skip = (request.start() - starts[0]) as usize;
        let offres = windows
            .iter()
            .flat_map(|w| w.value.result.resultats.iter())
            .skip(skip)
            .take(request.par_page() as usize)
            .map(card)
            .collect();
        let facettes = mapping::facettes(&first.result.filtres_possibles);
        let fetched_at = windows.iter().map(|w| w.fetched_at).min().unwrap_or(u64::MAX);
        (offres, first.total, facettes, windows.iter().any(|w| w.stale), fetched_at)
    } else {
        let merged = multi::search(&state.upstream, &request).await.map_err(upstream_error)?;
        (
            merged.offres.iter().map(card).collect(),
            merged.total,
            mapping::facettes(&merged.facets),
            merged.stale,
            merged.fetched_at,
        )
    };
    let response = SearchResponse {
        offres,
        total,
        page: request.recherche.page,
        par_page: request.par_page(),
        accessibles: total.min(MAX_ACCESSIBLES),
        facettes,
        territoire: request.territoire.clone(),
        metier: request.metier.clone(),
        stale,
        mis_a_jour: super::update_date(fetched_at),
    };
    let body = Bytes::from(
        serde_json::to_vec(&response).map_err(|e| AppError::Internal(format!("encoding: {e}")))?,
    );
    let encoded = Encoded::new(body);
    // Kept only while fresh: an answer made from entries being refreshed behind is made again
    // next time, from the refreshed entries.
    let age = crate::upstream::layer::now_ms().saturating_sub(fetched_at);
    if !stale && std::time::Duration::from_millis(age) < state.config.cache.search_ttl {
        state.responses.insert(key, encoded.clone()).await;
    }
    Ok(encoded)
}

/// Classifies an upstream failure for the client.
pub(crate) fn upstream_error(e: UpstreamError) -> AppError {
    match e {
        UpstreamError::RateLimited(secs) => AppError::UpstreamUnavailable {
            retry_after: Some(secs.max(1)),
            detail: "France Travail budget exhausted".to_owned(),
        },
        UpstreamError::CallerOverBudget(secs) => AppError::RateLimited { retry_after: secs },
        UpstreamError::Rejected(message) => AppError::Internal(format!(
            "France Travail rejected a request the proxy validated: {message}"
        )),
        other => AppError::UpstreamUnavailable { retry_after: Some(5), detail: other.to_string() },
    }
}

/// Keeps the searches residents ask warm: registers each site's default first search with the
/// refresh scheduler ([`warm_first_views`]), then runs the scheduler for ever.
pub async fn keep_warm(state: AppState) {
    let budget = &state.config.budget;
    let scheduler =
        Arc::new(state.upstream.scheduler(budget.calls_per_second, budget.refresh_reserve));
    let sites = state.access.sites();
    warm_first_views(&state, &sites).await;
    let (keys, pinned) = state.upstream.demand();
    tracing::info!(sites = sites.len(), keys, pinned, "refresh scheduler started");
    scheduler.run().await;
}

/// Registers `sites`' default first searches with the refresh scheduler (pinned: kept warm
/// whatever their demand), in the budget's refresh class, so that the ones the spare capacity
/// allows are fetched now and the rest by the scheduler. Each goes past the answers cache to
/// reach the upstream layer that pins it.
pub async fn warm_first_views(state: &AppState, sites: &[Arc<Site>]) {
    let refresher = crate::upstream::Caller {
        site: Arc::from("-"),
        client: None,
        class: crate::upstream::Class::Refresh,
    };
    refresher
        .scope(async {
            for site in sites {
                let first = Recherche::default();
                let key = cache_key(site, &first);
                state.responses.invalidate(&key).await;
                // Refused by the budget beyond its spare capacity: the scheduler fetches it.
                let _ = answer(state, site, key, first).await;
            }
        })
        .await;
}
