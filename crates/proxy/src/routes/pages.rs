//! The widget's plain pages, which work without JavaScript: `/offres` (the search, rendered
//! with the widget's own components, with a GET form and links), `/offres/{id}` (an offer) and
//! `/offres/imprimer` (the notice-board print view, with QR codes).
//!
//! They are for a `<noscript>` link, the loader's fallback and an `<iframe>` in CMSes that strip
//! scripts. Browsers load them without an `Origin` header (links, frames), so the access gate
//! ([`crate::gate`], `Gate::Page`) admits navigations and the site's own frames, and refuses
//! them as another site's subresources; the display of a frame is also refused to other sites
//! by `Content-Security-Policy: frame-ancestors` with the site's registered origins. Searches
//! and details go through the same cached, budgeted path as the API.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use emploi_types::api::{GenreTerritoire, OffreDetail};
use emploi_widget::api::{Detail, FetchError};
use emploi_widget::components::page::Posted;
use emploi_widget::components::place_picker::move_to;
use emploi_widget::config::{MODES, THEMES, WidgetConfig, is_attribute};
use emploi_widget::i18n::Lang;
use emploi_widget::pages::{Pages, carried, search_of};
use emploi_widget::params::{Recherche, Zone};
use emploi_widget::render::{self, Display};
use emploi_widget::state::{FirstView, start};

use crate::AppState;
use crate::error::AppError;
use crate::sites::Site;

/// The pages' routes, behind the access gate.
pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let pages = Router::new()
        .route("/offres", get(search_page))
        .route("/offres/imprimer", get(print_page))
        .route("/offres/evenements/imprimer", get(events_poster))
        .route("/offres/{id}", get(offer_page));
    super::gated(pages, state, crate::gate::Gate::Page)
        .layer(tower_http::compression::CompressionLayer::new())
}

/// The gate's refusal of a page request, as a readable page in the address's language.
pub(crate) fn refused(query: Option<&str>, e: &AppError) -> Response {
    let lang = super::query_pairs(query).map_or(Lang::Fr, |pairs| early_lang(&pairs));
    error(lang, e, None, None)
}

/// Custom properties a page's address may set on the widget (`--oe-color-accent=#005a9c`).
const PROPERTIES: [&str; 13] = [
    "--oe-color-accent",
    "--oe-color-accent-text",
    "--oe-color-bg",
    "--oe-color-surface",
    "--oe-color-text",
    "--oe-color-muted",
    "--oe-color-border",
    "--oe-color-error",
    "--oe-radius",
    "--oe-space",
    "--oe-font-size",
    "--oe-font-family",
    "--oe-focus",
];

/// Offers the print view posts at most.
const MAX_POSTED: u32 = 30;

/// What every page reads from its address.
struct Page {
    pairs: Vec<(String, String)>,
    config: WidgetConfig,
    pages: Pages,
    display: Display,
    site: Arc<Site>,
}

impl Page {
    /// The search the address asks for (the element's settings, or the page's own search).
    fn search(&self) -> Result<Recherche, AppError> {
        Ok(search_of(&self.pairs, &start(&self.config, None).0)?)
    }

    /// An HTML answer with this site's framing policy.
    fn answer(&self, status: StatusCode, html: impl Into<Bytes>) -> Response {
        html_response(status, html.into(), Some(&self.site))
    }

    /// The page cached under `key`, if any.
    async fn cached_answer(&self, state: &AppState, key: &str) -> Option<Response> {
        let html = state.pages.get(key).await;
        state.metrics.lookup("page", if html.is_some() { "hit" } else { "miss" });
        html.map(|html| self.answer(StatusCode::OK, html))
    }

    /// The answer, kept in the pages cache under `key` when it is a fresh success.
    async fn cached(
        &self,
        state: &AppState,
        key: String,
        status: StatusCode,
        fresh: bool,
        html: String,
    ) -> Response {
        let html = Bytes::from(html);
        if status == StatusCode::OK && fresh {
            state.pages.insert(key, html.clone()).await;
        }
        self.answer(status, html)
    }
}

/// An HTML answer: the pages' CSP (scripts and styles from this origin only, the widget's
/// `style=` attributes, forms to this origin, images from here or over https: an offer's page
/// shows its employer's and partners' logos from where France Travail names them), framed only
/// by the site's origins, or by nobody for an unknown site.
fn html_response(status: StatusCode, html: impl Into<Bytes>, site: Option<&Site>) -> Response {
    let ancestors = site.map_or("'none'", |site| site.frame_ancestors.as_str());
    let csp = format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; \
         img-src 'self' data: https:; form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
    );
    let mut response = (status, html.into()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    // Residents' searches are in the address: pages are theirs alone, and short-lived.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=60"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    response
}

/// The language of a page before its settings are read: `lang=`, else French, as the
/// element's default (the browser's preference does not change the commune's choice).
fn early_lang(pairs: &[(String, String)]) -> Lang {
    pairs.iter().find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(v)).unwrap_or_default()
}

/// An error page in `lang`.
fn error(lang: Lang, e: &AppError, site: Option<&Site>, back: Option<String>) -> Response {
    let lang_of = crate::error::Lang::from(lang);
    let mut response = error_page(lang, e.status(), e.envelope(lang_of).message, site, back);
    if let AppError::RateLimited { retry_after } = e
        && let Ok(value) = HeaderValue::from_str(&retry_after.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn error_page(
    lang: Lang,
    status: StatusCode,
    message: String,
    site: Option<&Site>,
    back: Option<String>,
) -> Response {
    let html = render::error_page(lang, &Pages::default(), message, back);
    html_response(status, html, site)
}

/// Reads the address of a page the gate admitted, or answers the error page.
fn prepare(state: &AppState, request: &Request) -> Result<Page, Box<Response>> {
    let pairs = match super::query_pairs(request.uri().query()) {
        Ok(pairs) => pairs,
        Err(e) => return Err(Box::new(error(Lang::Fr, &e, None, None))),
    };
    let Some(site) = request.extensions().get::<Arc<Site>>().cloned() else {
        let e = AppError::Internal("a page outside the access gate".to_owned());
        return Err(Box::new(error(early_lang(&pairs), &e, None, None)));
    };
    let attributes = pairs.iter().filter(|(k, _)| is_attribute(k));
    let (config, _warnings) =
        WidgetConfig::from_attributes(attributes.map(|(k, v)| (k.as_str(), v.as_str())), None);
    let value = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let theme = value("theme").filter(|t| THEMES.contains(&t.as_str()));
    let mode = value("mode").filter(|m| MODES.contains(&m.as_str()));
    let compact = value("compact").is_some();
    let properties: Vec<(&'static str, String)> = PROPERTIES
        .iter()
        .filter_map(|name| value(name).filter(|v| css_value_fits(name, v)).map(|v| (*name, v)))
        .collect();
    let style = (!properties.is_empty()).then(|| {
        properties.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")
    });
    let carried = carried()
        .filter(|k| {
            !matches!(*k, "site" | "lang" | "titre" | "verrouiller-lieu" | "marche" | "evenements")
        })
        .filter_map(|k| value(k).map(|v| (k, v)))
        .filter(|(k, v)| match *k {
            "theme" => THEMES.contains(&v.as_str()),
            "mode" => MODES.contains(&v.as_str()),
            _ => true,
        });
    let pages = Pages::of_config("/", &config).with(carried.chain(properties.iter().cloned()));
    let assets = &state.page_assets;
    let display = Display {
        theme,
        mode,
        compact,
        style,
        stylesheet: assets.stylesheet.clone(),
        print_stylesheet: assets.print_stylesheet.clone(),
        script: assets.script.clone(),
    };
    state.used(&site, crate::metrics::Action::Page);
    Ok(Page { pairs, config, pages, display, site })
}

/// Whether `value` fits the grammar of the custom property `name`: a colour for
/// `--oe-color-*`, a length for `--oe-radius`, `--oe-space` and `--oe-font-size`, unquoted
/// family names for `--oe-font-family`, an outline (width, style, colour) for `--oe-focus`.
/// Nothing else reaches the `style` attribute: no quote, no `url(…)`, no `;`.
fn css_value_fits(name: &str, value: &str) -> bool {
    if value.is_empty() || value.len() > 80 {
        return false;
    }
    match name {
        "--oe-radius" | "--oe-space" | "--oe-font-size" => css_length(value),
        "--oe-font-family" => value.split(',').all(|family| {
            let family = family.trim();
            !family.is_empty()
                && family.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
        }),
        "--oe-focus" => value.split_whitespace().all(|token| {
            css_length(token)
                || css_colour(token)
                || ["solid", "dashed", "dotted", "double"].contains(&token)
        }),
        _ => css_colour(value),
    }
}

/// `0`, or a number with a unit of `px`, `rem`, `em`, `%` or `pt`.
fn css_length(value: &str) -> bool {
    let number = value.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%');
    let unit = &value[number.len()..];
    let numeric = !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && number.bytes().filter(|b| *b == b'.').count() <= 1;
    numeric
        && (["px", "rem", "em", "%", "pt"].contains(&unit) || (unit.is_empty() && number == "0"))
}

/// `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)`, `rgba(…)`, `hsl(…)`, `hsla(…)` of numbers,
/// or a colour keyword (letters only).
fn css_colour(value: &str) -> bool {
    if let Some(hex) = value.strip_prefix('#') {
        return [3, 4, 6, 8].contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    let function = ["rgb(", "rgba(", "hsl(", "hsla("].iter().find(|f| value.starts_with(**f));
    if let Some(function) = function {
        let Some(inner) = value[function.len()..].strip_suffix(')') else { return false };
        return inner
            .split(|c: char| c == ',' || c == '/' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .all(|t| {
                let t = t.strip_suffix("deg").or_else(|| t.strip_suffix('%')).unwrap_or(t);
                !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            });
    }
    value.len() <= 24 && value.bytes().all(|b| b.is_ascii_alphabetic())
}

/// The widget's files the pages link to, looked up once at start (not on every page).
#[derive(Debug, Clone, Default)]
pub struct Assets {
    stylesheet: Option<String>,
    print_stylesheet: Option<String>,
    script: Option<String>,
}

impl Assets {
    /// The files the build wrote into `widget_dir`.
    pub fn find(widget_dir: &std::path::Path) -> Self {
        let file = |name: &str| widget_dir.join(name).is_file().then(|| format!("/widget/{name}"));
        Self {
            stylesheet: fingerprinted(widget_dir, "widget", "css").map(|f| format!("/widget/{f}")),
            print_stylesheet: file("print.css"),
            script: file("cadre.js"),
        }
    }
}

/// The name of `stem-<16 hex>.ext` in `dir`, the build's fingerprinted file.
fn fingerprinted(dir: &std::path::Path, stem: &str, ext: &str) -> Option<String> {
    std::fs::read_dir(dir).ok()?.filter_map(Result::ok).find_map(|entry| {
        let name = entry.file_name().into_string().ok()?;
        let hash = name.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(&format!(".{ext}"))?;
        (hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(name)
    })
}

/// The kind and code of the territory `zone` names.
fn place_of(zone: &Zone) -> (Option<GenreTerritoire>, Option<&str>) {
    (zone.genre(), zone.code())
}

/// The search of a page, moved to the place its text field names (`lieu`) when that is
/// another place than the one searched.
fn with_place(state: &AppState, page: &Page, mut p: Recherche) -> Result<Recherche, AppError> {
    let Some(text) = page.pairs.iter().find(|(k, _)| k == "lieu").map(|(_, v)| v.trim()) else {
        return Ok(p);
    };
    if text.is_empty() {
        return Ok(p);
    }
    let found: Vec<_> =
        state.referentiel.places(text, 8).into_iter().map(super::lieux::lieu).collect();
    if found.iter().any(|l| place_of(&p.zone) == (Some(l.genre), Some(l.code.as_str()))) {
        return Ok(p);
    }
    match found.first() {
        Some(place) => {
            move_to(&mut p, place);
            Ok(p)
        }
        // The field shows a département's name, which the place list does not hold.
        None if matches!(p.zone, Zone::Departement { .. }) => Ok(p),
        None => Err(AppError::bad_request(
            "lieu",
            format!("Aucune commune ni intercommunalité ne correspond à « {text} »."),
            format!("No commune or intercommunality matches \"{text}\"."),
        )),
    }
}

/// `GET /offres`: the search page.
async fn search_page(State(state): State<AppState>, request: Request) -> Response {
    let page = match prepare(&state, &request) {
        Ok(page) => page,
        Err(response) => return *response,
    };
    let lang = page.config.lang;
    let searched = match page.search() {
        Ok(p) => p,
        Err(e) => {
            let back = page.pages.search(&start(&page.config, None).0);
            return error(lang, &e, Some(&page.site), Some(back));
        }
    };
    let p = match with_place(&state, &page, searched.clone()) {
        // Another place: its own address, so that the page's address is the search's deep link.
        Ok(p) if place_of(&p.zone) != place_of(&searched.zone) => {
            return axum::response::Redirect::to(&page.pages.search(&p)).into_response();
        }
        Ok(p) => p,
        Err(e) => {
            let back = page.pages.search(&start(&page.config, None).0);
            return error(lang, &e, Some(&page.site), Some(back));
        }
    };
    // Cached under the page's canonical address: written from the checked settings and search.
    let p = p.rendered();
    let key = format!("page@{}", page.pages.search(&p));
    if let Some(response) = page.cached_answer(&state, &key).await {
        return response;
    }
    let (first, status) = first_view(&state, &page, &p).await;
    let html = render::search_page(&page.config, &page.pages, &p, &first, &page.display);
    page.cached(&state, key, status, fresh(&first), html).await
}

/// Whether a first view holds only fresh answers (a stale one is not kept as a page).
fn fresh(first: &FirstView) -> bool {
    first.erreur.is_none() && first.reponse.as_ref().is_some_and(|r| !r.stale)
}

/// The widget's first searches for `p` (and the market panel when asked), as `/api/v1/vue`.
async fn first_view(state: &AppState, page: &Page, p: &Recherche) -> (FirstView, StatusCode) {
    let (mut first, status) =
        crate::service::first_view::searches(state, &page.site, page.config.lang, p).await;
    if status == StatusCode::OK {
        let (site, config) = (&page.site, &page.config);
        crate::service::first_view::panels(state, site, config, &p.zone, &mut first).await;
    }
    (first, status)
}

/// `GET /offres/{id}`: an offer's page, linking back to the search it was opened from.
async fn offer_page(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    request: Request,
) -> Response {
    let page = match prepare(&state, &request) {
        Ok(page) => page,
        Err(response) => return *response,
    };
    let id = id.map(|Path(id)| id).unwrap_or_default();
    let lang = page.config.lang;
    let back = page.search().unwrap_or_else(|_| start(&page.config, None).0);
    let lang_of = crate::error::Lang::from(lang);
    let (detail, status) = match crate::service::offer::detail(&state, &id).await {
        Ok(OffreDetail { resume, complement }) => {
            state.used(&page.site, crate::metrics::Action::Offer);
            (Ok(Detail { resume, complement }), StatusCode::OK)
        }
        Err(e) => (Err(FetchError::Api(e.envelope(lang_of))), e.status()),
    };
    let html = render::offer_page(lang, &page.pages, &back, detail, &page.display);
    page.answer(status, html)
}

/// `GET /offres/imprimer`: the search laid out for an A4 notice board.
async fn print_page(State(state): State<AppState>, request: Request) -> Response {
    let page = match prepare(&state, &request) {
        Ok(page) => page,
        Err(response) => return *response,
    };
    let lang = page.config.lang;
    let searched = match page.search() {
        Ok(p) => p,
        Err(e) => {
            let back = page.pages.search(&start(&page.config, None).0);
            return error(lang, &e, Some(&page.site), Some(back));
        }
    };
    let p = Recherche { page: 1, par_page: searched.par_page.min(MAX_POSTED), ..searched };
    // The QR codes cost more than the search: the page is cached, with the day it was laid out.
    let key = format!("print@{}", page.pages.print(&p));
    if let Some(response) = page.cached_answer(&state, &key).await {
        return response;
    }
    // The sheet shows offers only: none of the panels the settings may ask for.
    let (first, status) = crate::service::first_view::searches(&state, &page.site, lang, &p).await;
    let fresh = fresh(&first);
    if let Some(e) = &first.erreur {
        let back = Some(page.pages.search(&p));
        return error_page(lang, status, e.message.clone(), Some(&page.site), back);
    }
    let place = first.reponse.as_ref().and_then(|r| r.territoire.as_ref()).map(|t| t.nom.clone());
    let place = place.unwrap_or_else(|| "France".to_owned());
    let posted = first
        .offres
        .into_iter()
        .take(p.par_page as usize)
        .map(|offre| {
            let qr = render::qr_svg(&Posted::url(&offre)).unwrap_or_default();
            Posted { offre, qr }
        })
        .collect();
    // The licence's "date of last update": when France Travail gave these offers.
    let updated = first.reponse.as_ref().and_then(|r| r.mis_a_jour.as_deref());
    let date = updated
        .and_then(|d| emploi_widget::format::update_date(d, lang))
        .unwrap_or_else(|| long_date(time::OffsetDateTime::now_utc().date(), lang));
    let html = render::print_page(lang, &page.pages, &p, place, date, posted, &page.display);
    page.cached(&state, key, StatusCode::OK, fresh, html).await
}

/// `GET /offres/evenements/imprimer`: the territory's coming events laid out for an A4 notice
/// board, each with the QR code of its registration page.
async fn events_poster(State(state): State<AppState>, request: Request) -> Response {
    let page = match prepare(&state, &request) {
        Ok(page) => page,
        Err(response) => return *response,
    };
    let lang = page.config.lang;
    let back = page.pages.search(&start(&page.config, None).0);
    let p = match page.search() {
        Ok(p) => p,
        Err(e) => return error(lang, &e, Some(&page.site), Some(back)),
    };
    let filters = emploi_types::agenda::FiltresEvenements::default();
    let list =
        match crate::service::events::coming(&state, &page.site, p.zone.clone(), &filters).await {
            Ok(list) => list,
            Err(e) => {
                let message = e.envelope(crate::error::Lang::from(lang)).message;
                return error_page(lang, e.status(), message, Some(&page.site), Some(back));
            }
        };
    state.used(&page.site, crate::metrics::Action::Page);
    let place = list.territoire.as_ref().map_or_else(|| "France".to_owned(), |t| t.nom.clone());
    let date = list
        .mis_a_jour
        .as_deref()
        .and_then(|d| emploi_widget::format::update_date(d, lang))
        .unwrap_or_else(|| long_date(time::OffsetDateTime::now_utc().date(), lang));
    let html =
        render::events_poster(lang, &page.pages, &p, place, date, list.evenements, &page.display);
    page.answer(StatusCode::OK, html)
}

/// `3 décembre 2026`, `3 December 2026`.
fn long_date(date: time::Date, lang: Lang) -> String {
    let month = lang.texts().months[usize::from(u8::from(date.month())) - 1];
    format!("{} {month} {}", date.day(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_out_in_the_page_language() {
        let day = time::macros::date!(2026 - 12 - 03);
        assert_eq!(long_date(day, Lang::Fr), "3 décembre 2026");
        assert_eq!(long_date(day, Lang::En), "3 December 2026");
    }

    /// Issue 25, point 12: the old filter let `'` and `url(…)` through.
    #[test]
    fn custom_properties_keep_to_their_grammar() {
        let colour = "--oe-color-accent";
        for ok in ["#005a9c", "#fff", "rgb(0, 90, 156)", "hsl(210 100% 30% / 0.5)", "navy"] {
            assert!(css_value_fits(colour, ok), "{ok}");
        }
        for bad in ["red; background: url(x)", "url(x)", "x\" onload=\"y", "</style>", "", "#12"] {
            assert!(!css_value_fits(colour, bad), "{bad}");
        }
        assert!(css_value_fits("--oe-radius", "0"));
        assert!(css_value_fits("--oe-space", "0.75rem"));
        assert!(!css_value_fits("--oe-radius", "4px)"));
        assert!(!css_value_fits("--oe-radius", "calc(1px)"));
        assert!(css_value_fits("--oe-font-family", "Marianne, Arial, sans-serif"));
        assert!(!css_value_fits("--oe-font-family", "'Marianne', Arial"));
        assert!(!css_value_fits("--oe-font-family", "a,,b"));
        assert!(css_value_fits("--oe-focus", "3px solid #000"));
        assert!(!css_value_fits("--oe-focus", "3px solid url(x)"));
    }
}
