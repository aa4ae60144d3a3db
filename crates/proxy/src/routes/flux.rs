//! `GET /api/v1/flux`: an Atom 1.0 feed of a search, so that a resident or a town hall follows
//! it in a feed reader, without an account.
//!
//! The parameters are the widget's settings and search, as the plain pages take them (see
//! `emploi_widget::pages`). The search goes through the same cache and budget as
//! `/api/v1/search`: a reader polling every hour costs France Travail at most that search's cache
//! misses. Answers carry an `ETag` and a `Last-Modified`, and a conditional request that matches
//! gets a 304.
//!
//! Feed readers send no `Origin`: a feed needs a registered site key, and the access gate
//! (`Gate::Feed`) refuses it as another site's subresource; when a browser fetches it from a
//! page, that page must be one of the site's, as for the API.

use std::hash::{Hash, Hasher};

use atom_syndication::{
    EntryBuilder, FeedBuilder, FixedDateTime, LinkBuilder, PersonBuilder, Text,
};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use emploi_types::api::{OffreResume, SearchResponse};
use emploi_types::ft::CANDIDATE_SITE;
use emploi_widget::api::encode;
use emploi_widget::config::{WidgetConfig, is_attribute};
use emploi_widget::pages::search_of;
use emploi_widget::params::Recherche;
use emploi_widget::state::start;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::service::search::{answer, cache_key};

/// Offers a feed lists at most.
const MAX_ENTRIES: u32 = 50;

/// An HTTP date (`Thu, 03 Dec 2026 07:30:00 GMT`).
const HTTP_DATE: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// An Atom feed of a search.
#[utoipa::path(
    get,
    path = "/api/v1/flux",
    tag = "offres",
    params(
        ("site" = String, Query, description = "Public site key (no Origin needed: feed readers send none; a browser's Origin must be one of the site's)"),
        ("commune" = Option<String>, Query, description = "The element's attributes by their HTML names (commune, epci, departement, rayon, mots-cles, metier, types-contrat, alternance, handi-engage, manque-candidats and the other filters, tri, par-page, lang, titre), then the search as the widget's deep links write it (the parameters of /api/v1/search): the widget's \"Suivre cette recherche\" link gives both"),
    ),
    responses(
        (status = 200, description = "Atom 1.0 feed of the search's first offers (up to 50), newest search answer from the cache", content_type = "application/atom+xml"),
        (status = 304, description = "Not modified since the `If-None-Match` / `If-Modified-Since` of the request"),
        (status = 400, description = "Invalid search", body = emploi_types::api::ApiError),
        (status = 403, description = "Unknown site key, or a browser page not allowed for it", body = emploi_types::api::ApiError),
        (status = 429, description = "Over the per-client limit, or this client's share of France Travail calls", body = emploi_types::api::ApiError),
        (status = 503, description = "France Travail unavailable", body = emploi_types::api::ApiError),
    )
)]
pub(crate) async fn feed(
    State(state): State<AppState>,
    axum::Extension(site): super::SiteOf,
    request: Request,
) -> AppResult<Response> {
    let pairs = super::query_pairs(request.uri().query())?;
    let attributes = pairs.iter().filter(|(k, _)| is_attribute(k));
    let (config, _warnings) =
        WidgetConfig::from_attributes(attributes.map(|(k, v)| (k.as_str(), v.as_str())), None);
    let searched = search_of(&pairs, &start(&config, None).0)?;
    let p = Recherche { page: 1, par_page: searched.par_page.min(MAX_ENTRIES), ..searched };
    let encoded = answer(&state, &site, cache_key(&site, &p), p.clone()).await?;
    state.used(&site, crate::metrics::Action::Feed);
    let r: SearchResponse = serde_json::from_slice(encoded.json())
        .map_err(|e| AppError::Internal(format!("decoding a cached answer: {e}")))?;

    let (self_url, vouched) = request_url(&state, &request);
    let xml = atom(&config, &p, &r, &self_url);
    let etag = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        xml.hash(&mut h);
        format!("\"{:016x}\"", h.finish())
    };
    let modified = last_modified(&r.offres);
    let headers = request.headers();
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let not_modified = match matches {
        Some(m) => m,
        None => headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| time::PrimitiveDateTime::parse(v, HTTP_DATE).ok())
            .zip(modified)
            .is_some_and(|(since, modified)| modified <= since.assume_utc()),
    };
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response()
    };
    let out = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, value);
    }
    if let Some(value) =
        modified.and_then(|m| m.format(HTTP_DATE).ok()).and_then(|m| HeaderValue::from_str(&m).ok())
    {
        out.insert(header::LAST_MODIFIED, value);
    }
    // A shared cache may keep the feed only when its own address is not the client's word.
    let cache = if vouched { "public, max-age=300" } else { "private, max-age=300" };
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

/// The address the reader asked for, as the feed's own link, and whether it is vouched for:
/// under the configured public address (`EMPLOI_PUBLIC_URL`), or with the scheme a trusted
/// reverse proxy forwarded; otherwise written from the client's own `Host`, which no shared
/// cache may then keep.
fn request_url(state: &AppState, request: &Request) -> (String, bool) {
    // The address before `nest` took `/api/v1` off it.
    let uri = request
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| request.uri().clone(), |o| o.0.clone());
    let path = uri.path_and_query().map_or("/api/v1/flux", |p| p.as_str());
    if let Some(base) = &state.config.public_url {
        return (format!("{base}{path}"), true);
    }
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    // Behind a TLS-terminating proxy, the scheme it forwarded; from anyone else, ignored.
    let trusted = state.access.from_trusted_proxy(request);
    let https = trusted && request.headers().get("x-forwarded-proto").is_some_and(|v| v == "https");
    let scheme = if https { "https" } else { "http" };
    (format!("{scheme}://{host}{path}"), false)
}

/// The newest publication date of the offers, to the second.
fn last_modified(offers: &[OffreResume]) -> Option<time::OffsetDateTime> {
    let format = time::format_description::well_known::Iso8601::DEFAULT;
    offers
        .iter()
        .filter_map(|o| time::OffsetDateTime::parse(&o.date_creation, &format).ok())
        .max()
        .map(|d| d.replace_nanosecond(0).unwrap_or(d))
}

fn atom_date(iso: &str) -> Option<FixedDateTime> {
    FixedDateTime::parse_from_rfc3339(iso).ok()
}

/// The feed's XML: its title says the search, each entry an offer linking to its page.
fn atom(config: &WidgetConfig, p: &Recherche, r: &SearchResponse, self_url: &str) -> String {
    let texts = config.lang.texts();
    let place = r.territoire.as_ref().map(|t| t.nom.clone()).unwrap_or_else(|| "France".into());
    let mut title = texts.print_title.replace("{place}", &place);
    if let Some(m) = &r.metier {
        title = format!("{title} · {}", m.libelle);
    }
    if !p.q.trim().is_empty() {
        title = format!("{title} · {}", p.q.trim());
    }
    let entries: Vec<_> = r
        .offres
        .iter()
        .map(|o| {
            let url = format!("{CANDIDATE_SITE}{}", encode(&o.id));
            let summary = [o.entreprise.clone(), o.lieu.clone()]
                .into_iter()
                .flatten()
                .chain(emploi_widget::format::offer_facts(o, config.lang.texts(), config.lang))
                .chain(emploi_widget::format::badges(o, config.lang).into_iter().map(str::to_owned))
                .collect::<Vec<_>>()
                .join(" · ");
            let date = atom_date(&o.date_creation).unwrap_or_default();
            let mut entry = EntryBuilder::default();
            entry
                .id(url.clone())
                .title(Text::plain(o.intitule.clone()))
                .updated(date)
                .published(Some(date))
                .links(vec![LinkBuilder::default().href(url).rel("alternate").build()])
                .summary(Some(Text::plain(summary)));
            if let Some(company) = &o.entreprise {
                entry.authors(vec![PersonBuilder::default().name(company.clone()).build()]);
            }
            entry.build()
        })
        .collect();
    let updated =
        r.offres.iter().filter_map(|o| atom_date(&o.date_creation)).max().unwrap_or_default();
    // The licence's mentions: the source, the date of the last update, and the licence.
    let updated_on = r
        .mis_a_jour
        .as_deref()
        .and_then(|d| emploi_widget::format::update_date(d, config.lang))
        .map(|d| format!(", {}", texts.updated_on.replace("{date}", &d)))
        .unwrap_or_default();
    let rights = format!(
        "{}{updated_on}. {} : {}",
        texts.source,
        texts.licence_link,
        emploi_types::api::LICENCE_URL
    );
    FeedBuilder::default()
        .id(self_url.to_owned())
        .title(Text::plain(title))
        .subtitle(Some(Text::plain(format!("{}{updated_on}", texts.source))))
        .rights(Some(Text::plain(rights)))
        .updated(updated)
        .authors(vec![PersonBuilder::default().name("France Travail").build()])
        .links(vec![
            LinkBuilder::default()
                .href(self_url.to_owned())
                .rel("self")
                .mime_type(Some("application/atom+xml".to_owned()))
                .build(),
        ])
        .lang(Some(if config.lang == emploi_widget::i18n::Lang::En { "en" } else { "fr" }.into()))
        .entries(entries)
        .build()
        .to_string()
}
