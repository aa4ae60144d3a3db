//! `GET /api/v1/search`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use emploi_types::api::{OffreResume, SearchResponse};
use emploi_types::recherche::{MAX_ACCESSIBLES, Recherche, Zone};
use futures::future::try_join_all;

use crate::error::{AppError, AppResult};
use crate::metiers::AppellationCodes;
use crate::params::{SearchQuery, resolve, with_default_territory};
use crate::sites::Site;
use crate::upstream::UpstreamError;
use crate::{AppState, mapping, multi};

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
        (status = 429, description = "Over the per-IP or per-site limit", body = emploi_types::api::ApiError),
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
        state.metrics.used(&site, crate::metrics::Action::Search);
    }
    Ok(encoded.response(accepts_brotli(&headers)))
}

/// The answers cache's key of `recherche` for `site`: the query string the widget sends for it,
/// written from the checked, typed values (so a probe, a first view, a feed and the widget's
/// own request for one search share one answer, and no spelling of an address reaches another
/// site's entry).
pub(crate) fn cache_key(site: &Site, recherche: &Recherche) -> String {
    let api = emploi_widget::api::ApiClient::new(
        "/",
        emploi_widget::i18n::Lang::Fr,
        Some(site.config.key.clone()),
    );
    super::vue::query_of(&api.search_url(recherche)).to_owned()
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
    let (offres, total, facettes, stale) = if request.communes.is_empty() {
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
        (offres, first.total, facettes, windows.iter().any(|w| w.stale))
    } else {
        let merged = multi::search(&state.upstream, &request).await.map_err(upstream_error)?;
        (
            merged.offres.iter().map(card).collect(),
            merged.total,
            mapping::facettes(&merged.facets),
            merged.stale,
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
    };
    let body = Bytes::from(
        serde_json::to_vec(&response).map_err(|e| AppError::Internal(format!("encoding: {e}")))?,
    );
    let encoded = Encoded::new(body);
    if !stale {
        state.responses.insert(key, encoded.clone()).await;
    }
    Ok(encoded)
}

/// A search answer as JSON and as brotli, compressed once when it is cached (a 20-offer page:
/// 6.6 kB of JSON, about a fifth of that compressed), so that a cache hit costs no compression.
#[derive(Debug, Clone)]
pub struct Encoded {
    json: Bytes,
    brotli: Bytes,
}

impl Encoded {
    /// Compresses `json` once.
    pub(crate) fn new(json: Bytes) -> Self {
        let mut brotli = Vec::with_capacity(json.len() / 4);
        // Quality 4 with a 64 kB window (an answer of 50 offers is about 17 kB): 55 µs for a
        // 6.5 kB page, to 28 %. Measured with the brotli crate: quality 5 gains 5 % more and
        // costs twice as much with a 1 MB window, and 60 times as much (3 ms) with a small one.
        let params = brotli::enc::BrotliEncoderParams {
            quality: 4,
            lgwin: 16,
            size_hint: json.len(),
            ..Default::default()
        };
        // Compressing from memory into memory cannot fail; an empty result falls back to JSON.
        let _ = brotli::BrotliCompress(&mut &json[..], &mut brotli, &params);
        Self { json, brotli: Bytes::from(brotli) }
    }

    /// The answer as JSON.
    pub(crate) fn json(&self) -> &Bytes {
        &self.json
    }

    /// Bytes held, for the cache's weigher.
    pub fn weight(&self) -> usize {
        self.json.len() + self.brotli.len()
    }

    /// The response, brotli-compressed when the client takes it.
    pub(crate) fn response(&self, brotli: bool) -> Response {
        let json = HeaderValue::from_static("application/json");
        let vary = HeaderValue::from_static("accept-encoding");
        if brotli && !self.brotli.is_empty() {
            let br = HeaderValue::from_static("br");
            let headers = [
                (header::CONTENT_TYPE, json),
                (header::CONTENT_ENCODING, br),
                (header::VARY, vary),
            ];
            (headers, self.brotli.clone()).into_response()
        } else {
            ([(header::CONTENT_TYPE, json), (header::VARY, vary)], self.json.clone())
                .into_response()
        }
    }
}

/// Whether `Accept-Encoding` takes brotli (`br`, not with `q=0`).
pub(crate) fn accepts_brotli(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts.next().is_some_and(|coding| coding.eq_ignore_ascii_case("br"))
                && !parts.any(|p| p.replace(' ', "").eq_ignore_ascii_case("q=0"))
        })
    })
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
