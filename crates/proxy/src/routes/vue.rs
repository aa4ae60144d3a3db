//! `GET /api/v1/vue`: a widget's first view, rendered on the server with the widget's own
//! Leptos components, so that residents see offers before the WebAssembly module arrives.
//!
//! The loader sends the element's attributes (their HTML names) and the deep link it found in
//! the page URL (`lien`). The searches run through the same cached, budgeted path as
//! `/api/v1/search`, with the very query strings the widget would send, so the two share their
//! answers. The answer is the view's HTML and the state the module takes over from.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use emploi_types::recherche::Recherche;
use emploi_widget::config::{WidgetConfig, is_attribute};
use emploi_widget::state::{FirstView, start};
use serde::Serialize;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::service::encoded::{Encoded, accepts_gzip};
use crate::service::first_view::searches;

/// The deep link's parameter.
const LINK: &str = "lien";

/// The first view: its HTML, and the data the module mounts with.
#[derive(Debug, Serialize)]
struct Vue<'a> {
    html: String,
    donnees: &'a FirstView,
    /// The same search on francetravail.fr, for the loader's fallback when the module cannot
    /// start.
    francetravail: String,
}

/// A widget's first view.
#[utoipa::path(
    get,
    path = "/api/v1/vue",
    tag = "widget",
    params(
        super::SiteParam,
        ("commune" = Option<String>, Query, description = "The element's attributes, by their HTML names: site, commune, epci, departement, rayon, mots-cles, types-contrat, tri, par-page, lang, titre, theme, mode, verrouiller-lieu, marche, evenements, compact. Invalid values fall back to the defaults, as in the element"),
        ("lien" = Option<String>, Query, description = "The widget's deep-link value from the page URL (its `oe-<id>` parameter)"),
    ),
    responses(
        (status = 200, description = "`{html, donnees, francetravail}`: the first view's HTML, the state the widget takes over from, and the same search on francetravail.fr (the loader's fallback link)", content_type = "application/json"),
        (status = 400, description = "An invalid search, rendered as the widget's error state (same body)", content_type = "application/json"),
        (status = 403, description = "Unknown site key or origin not allowed", body = emploi_types::api::ApiError),
        (status = 422, description = "A search that cannot be made (a code that names nothing known), rendered as the widget's error state (same body)", content_type = "application/json"),
        (status = 503, description = "France Travail unavailable, rendered as the widget's error state (same body)", content_type = "application/json"),
    )
)]
pub(crate) async fn first_view(
    State(state): State<AppState>,
    axum::Extension(site): super::SiteOf,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> AppResult<Response> {
    let gzip = accepts_gzip(&headers);
    // The view's links (its print view) name the proxy at its public address, or as the host
    // page reaches it.
    let base = match &state.config.public_url {
        Some(url) => format!("{url}/"),
        None => {
            let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok());
            format!("//{}/", host.unwrap_or(""))
        }
    };
    // A first view is the visit's first search (the module does not search again).
    state.used(&site, crate::metrics::Action::Search);
    let pairs = super::query_pairs(raw.as_deref())?;
    let attributes = pairs.iter().filter(|(k, _)| is_attribute(k));
    let (config, _warnings) =
        WidgetConfig::from_attributes(attributes.map(|(k, v)| (k.as_str(), v.as_str())), None);
    let link = pairs.iter().find(|(k, _)| k == LINK).map(|(_, v)| v.as_str());
    let (start, _offer, _) = start(&config, link);
    let key = cache_key(&base, &config, &start);
    if let Some(encoded) = state.responses.get(&key).await {
        state.metrics.lookup("first_view", "hit");
        return Ok(encoded.response(gzip));
    }
    state.metrics.lookup("first_view", "miss");
    let (mut first, status) = searches(&state, &site, config.lang, &start).await;
    if status == StatusCode::OK {
        crate::service::first_view::panels(&state, &site, &config, &start.zone, &mut first).await;
    }
    let rendered = std::time::Instant::now();
    let html = emploi_widget::render::first_view(&config, &base, &start, &first);
    let took = rendered.elapsed();
    state.metrics.rendered(took);
    let francetravail = emploi_widget::format::france_travail_search(&start);
    let body = serde_json::to_vec(&Vue { html, donnees: &first, francetravail })
        .map_err(|e| AppError::Internal(format!("encoding: {e}")))?;
    let encoded = Encoded::new(Bytes::from(body));
    let stale = first.reponse.as_ref().is_some_and(|r| r.stale);
    if status == StatusCode::OK && !stale {
        state.responses.insert(key, encoded.clone()).await;
    }
    // The render's share of this answer, for the browser's network panel and the bench.
    let timing = format!("render;dur={:.3}", took.as_secs_f64() * 1000.0);
    Ok((status, [(SERVER_TIMING, timing)], encoded.response(gzip)).into_response())
}

/// The cache key of a first view: written from the checked, typed settings only (the gate's site,
/// the view's settings, and the search as the widget would ask for it), never from the raw
/// query, so that no spelling of an address can store a view under another site's key.
fn cache_key(base: &str, config: &WidgetConfig, start: &Recherche) -> String {
    let flag = |on: bool| if on { '1' } else { '0' };
    format!(
        "vue@{base}|{}|{}|{}{}{}|{}|{}",
        config.lang.tag(),
        config.titre.as_deref().unwrap_or(""),
        flag(config.verrouiller_lieu),
        flag(config.marche),
        flag(config.evenements),
        config.site.as_deref().unwrap_or(""),
        start.query(),
    )
}

const SERVER_TIMING: axum::http::HeaderName = axum::http::HeaderName::from_static("server-timing");
