//! `GET /api/v1/evenements`, `/api/v1/evenements.ics` and `/api/v1/indicateurs`: a territory's
//! coming job events, as JSON or as an iCalendar feed, and its official labour-market figures
//! (see [`crate::service::events`] and [`crate::service::indicators`]).

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use emploi_types::agenda::{FiltresEvenements, NOMS};
use emploi_types::api::{Evenements, Indicateurs};
use emploi_types::recherche::{Param, Recherche, Refus, Zone};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::params::ZoneQuery;
use crate::service::{events, indicators};

/// The events filters, as the OpenAPI document states them (read by
/// [`FiltresEvenements::from_query`], which keeps to the same rules).
#[derive(utoipa::IntoParams, serde::Deserialize)]
#[into_params(parameter_in = Query)]
#[allow(dead_code, reason = "read from the query by FiltresEvenements; here for the document")]
pub(crate) struct FiltresParams {
    /// Event type: 13 information meeting, 14 forum, 15 conference, 16 workshop, 17 online fair,
    /// 18 job dating, 31 company visit, 32 other.
    #[serde(rename = "type")]
    #[param(pattern = "^(1[3-8]|3[12])$", example = "14")]
    genre: Option<String>,
    /// On site or online.
    #[param(pattern = "^(sur-place|en-ligne)$", example = "sur-place")]
    modalite: Option<String>,
    /// First day, included.
    #[param(
        pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        example = "2026-12-07"
    )]
    du: Option<String>,
    /// Last day, included (422 before the first).
    #[param(
        pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        example = "2026-12-31"
    )]
    au: Option<String>,
}

/// The territory and the events filters of a query (`extra`: other names it may carry).
fn read(raw: Option<&str>, extra: &[&str]) -> AppResult<(Zone, FiltresEvenements)> {
    let pairs = super::query_pairs(raw)?;
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let names: Vec<&str> = ["site"].iter().chain(NOMS.iter()).chain(extra).copied().collect();
    let zone = Recherche::from_query(pairs.iter().copied(), &Param::TERRITOIRE, &names);
    let filtres = FiltresEvenements::from_query(pairs);
    // A value that breaks its rule (400) is told before values that do not go together (422),
    // wherever each was found.
    match (zone, filtres) {
        (Ok(r), Ok(f)) => Ok((r.zone, f)),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e.into()),
        (Err(a), Err(b)) => Err(if b.refus == Refus::Forme { b } else { a }.into()),
    }
}

/// The coming events.
#[utoipa::path(
    get,
    path = "/api/v1/evenements",
    tag = "territoires",
    params(super::SiteParam, Zone, FiltresParams),
    responses(
        (status = 200, description = "Up to 20 coming events of the territory, soonest first", body = Evenements),
        (status = 400, description = "A parameter breaks its rule, or is unknown", body = emploi_types::api::ApiError),
        (status = 403, description = "Unknown site key or origin not allowed", body = emploi_types::api::ApiError),
        (status = 404, description = "This service does not offer events (its France Travail application is not subscribed)", body = emploi_types::api::ApiError),
        (status = 422, description = "No territory, two of them, a radius without a commune, a code that names none, or an end before the start", body = emploi_types::api::ApiError),
        (status = 503, description = "France Travail unavailable", body = emploi_types::api::ApiError),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    axum::Extension(site): super::SiteOf,
    request: Request,
) -> AppResult<Json<Evenements>> {
    let (zone, filtres) = read(request.uri().query(), &[])?;
    Ok(Json(events::coming(&state, &site, zone, &filtres).await?))
}

/// The coming events as an iCalendar feed, or one of them as a file to add to a calendar.
#[utoipa::path(
    get,
    path = "/api/v1/evenements.ics",
    tag = "territoires",
    params(
        ("site" = String, Query, description = "Public site key (no Origin needed: calendar applications send none)"),
        Zone,
        FiltresParams,
        ("evenement" = Option<u64>, Query, description = "Only this event, as a file to open (its id in the list)"),
    ),
    responses(
        (status = 200, description = "An iCalendar (RFC 5545) calendar", content_type = "text/calendar"),
        (status = 400, description = "A parameter breaks its rule, or is unknown", body = emploi_types::api::ApiError),
        (status = 403, description = "Unknown site key, or a browser page not allowed for it", body = emploi_types::api::ApiError),
        (status = 404, description = "Events not offered, or no such event among the territory's coming ones", body = emploi_types::api::ApiError),
        (status = 422, description = "No territory, or one that names none", body = emploi_types::api::ApiError),
        (status = 503, description = "France Travail unavailable", body = emploi_types::api::ApiError),
    )
)]
pub(crate) async fn calendar(
    State(state): State<AppState>,
    axum::Extension(site): super::SiteOf,
    request: Request,
) -> AppResult<Response> {
    let raw = request.uri().query();
    let one = super::query_pairs(raw)?
        .into_iter()
        .find(|(k, _)| k == "evenement")
        .map(|(_, v)| {
            let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
            v.parse::<u64>().ok().filter(|_| digits).ok_or_else(|| {
                AppError::bad_request(
                    "evenement",
                    "« evenement » est l'identifiant numérique d'un événement.",
                    "\"evenement\" is an event's numeric id.",
                )
            })
        })
        .transpose()?;
    let (zone, filtres) = read(raw, &["evenement"])?;
    let mut list = events::coming(&state, &site, zone, &filtres).await?;
    let name = match &list.territoire {
        Some(t) => format!("Événements emploi – {}", t.nom),
        None => "Événements emploi".to_owned(),
    };
    if let Some(id) = one {
        list.evenements.retain(|e| e.id == id);
        if list.evenements.is_empty() {
            return Err(AppError::NotFound(crate::error::Message::new(
                "Cet événement n'est pas (ou plus) parmi les événements à venir du territoire.",
                "This event is not (or no longer) among the territory's coming events.",
            )));
        }
    }
    state.used(&site, crate::metrics::Action::Calendar);
    let body = events::calendar(&list, &name);
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=900"));
    if let Some(id) = one {
        let disposition = format!("attachment; filename=\"evenement-{id}.ics\"");
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            headers.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(response)
}

/// The official figures.
#[utoipa::path(
    get,
    path = "/api/v1/indicateurs",
    tag = "territoires",
    params(super::SiteParam, Zone),
    responses(
        (status = 200, description = "Job seekers, hires and the recruitment difficulty of the most-wanted métiers, each with its level, period and update", body = Indicateurs),
        (status = 400, description = "A parameter breaks its rule, or is unknown", body = emploi_types::api::ApiError),
        (status = 403, description = "Unknown site key or origin not allowed", body = emploi_types::api::ApiError),
        (status = 404, description = "This service does not offer the figures (its France Travail application is not subscribed)", body = emploi_types::api::ApiError),
        (status = 422, description = "No territory, two of them, a radius without a commune, or a code that names none", body = emploi_types::api::ApiError),
        (status = 503, description = "France Travail unavailable", body = emploi_types::api::ApiError),
    )
)]
pub(crate) async fn figures(
    State(state): State<AppState>,
    axum::Extension(site): super::SiteOf,
    ZoneQuery(zone): ZoneQuery,
) -> AppResult<Json<Indicateurs>> {
    Ok(Json(indicators::figures(&state, &site, zone.zone).await?))
}
