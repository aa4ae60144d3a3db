//! The widget's plain pages, which work without JavaScript: `/offres` (the search, rendered
//! with the widget's own components, with a GET form and links), `/offres/{id}` (an offer) and
//! `/offres/imprimer` (the notice-board print view, with QR codes).
//!
//! They are for a `<noscript>` link, the loader's fallback and an `<iframe>` in CMSes that strip
//! scripts. Browsers load them without an `Origin` header (links, frames), so they need a
//! registered site key but no origin; framing by another site is refused by
//! `Content-Security-Policy: frame-ancestors` with the site's registered origins. Searches and
//! details go through the same cached, budgeted path as the API.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use emploi_types::api::OffreDetail;
use emploi_widget::api::{ApiClient, Detail, FetchError};
use emploi_widget::components::page::Posted;
use emploi_widget::components::place_picker::move_to;
use emploi_widget::config::{MODES, THEMES, WidgetConfig, is_attribute};
use emploi_widget::i18n::Lang;
use emploi_widget::pages::{Pages, carried, search_of};
use emploi_widget::params::Recherche;
use emploi_widget::render::{self, Display};
use emploi_widget::state::{FirstView, start};

use crate::AppState;
use crate::error::AppError;
use crate::sites::Site;

/// The pages' routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/offres", get(search_page))
        .route("/offres/imprimer", get(print_page))
        .route("/offres/{id}", get(offer_page))
        .layer(tower_http::compression::CompressionLayer::new())
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
    client: Option<u64>,
}

impl Page {
    /// The search the address asks for (the element's settings, or the page's own search).
    fn search(&self) -> Result<Recherche, AppError> {
        Ok(search_of(&self.pairs, &start(&self.config, None).0)?)
    }

    /// Runs `future` as this page's resident's calls (the budget's turns and shares).
    async fn scope<F: Future>(&self, future: F) -> F::Output {
        let caller = crate::upstream::Caller {
            site: Arc::clone(&self.site.key),
            client: self.client,
            class: crate::upstream::Class::Resident,
        };
        caller.scope(future).await
    }

    /// An HTML answer with this site's framing policy.
    fn answer(&self, status: StatusCode, html: String) -> Response {
        html_response(status, html, Some(&self.site))
    }

    fn api(&self) -> ApiClient {
        ApiClient::new("/", self.config.lang, self.config.site.clone())
    }
}

/// An HTML answer: the pages' CSP (scripts and styles from this origin only, the widget's
/// `style=` attributes, forms to this origin), framed only by the site's origins, or by nobody
/// for an unknown site.
fn html_response(status: StatusCode, html: String, site: Option<&Site>) -> Response {
    let ancestors = match site {
        Some(site) => {
            let sources: Vec<String> =
                site.config.origins.iter().map(crate::sites::OriginPattern::csp_source).collect();
            if sources.is_empty() { "'none'".to_owned() } else { sources.join(" ") }
        }
        None => "'none'".to_owned(),
    };
    let csp = format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; \
         img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
    );
    let mut response = (status, html).into_response();
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

/// Reads a page's address and checks its site key and limits, or answers the error page.
fn prepare(state: &AppState, request: &Request) -> Result<Page, Box<Response>> {
    let pairs = match super::query_pairs(request.uri().query()) {
        Ok(pairs) => pairs,
        Err(e) => return Err(Box::new(error(Lang::Fr, &e, None, None))),
    };
    let lang = early_lang(&pairs);
    let access = &state.access;
    let client = access.client_key(request);
    let key = pairs.iter().find(|(k, _)| k == "site").map(|(_, v)| v.as_str());
    let site = match access.check_page(key, client) {
        Ok(site) => site,
        Err(e) => {
            state.metrics.refused(&e);
            return Err(Box::new(error(lang, &e, None, None)));
        }
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
        .filter_map(|name| value(name).filter(|v| safe_css_value(v)).map(|v| (*name, v)))
        .collect();
    let style = (!properties.is_empty()).then(|| {
        properties.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")
    });
    let carried = carried()
        .filter(|k| !matches!(*k, "site" | "lang" | "titre" | "verrouiller-lieu" | "marche"))
        .filter_map(|k| value(k).map(|v| (k, v)))
        .filter(|(k, v)| match *k {
            "theme" => THEMES.contains(&v.as_str()),
            "mode" => MODES.contains(&v.as_str()),
            _ => true,
        });
    let pages = Pages::of_config("/", &config).with(carried.chain(properties.iter().cloned()));
    let widget_dir = &state.config.widget_dir;
    let display = Display {
        theme,
        mode,
        compact,
        style,
        stylesheet: fingerprinted(widget_dir, "widget", "css").map(|f| format!("/widget/{f}")),
        print_stylesheet: widget_dir
            .join("print.css")
            .is_file()
            .then(|| "/widget/print.css".into()),
        script: widget_dir.join("cadre.js").is_file().then(|| "/widget/cadre.js".into()),
    };
    state.metrics.used(&site, crate::metrics::Action::Page);
    Ok(Page { pairs, config, pages, display, site, client })
}

/// Whether a custom property's value is plain: a colour, a length, a font list. Nothing that
/// could end the declaration or the attribute.
fn safe_css_value(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 80
        && value.chars().all(|c| c.is_alphanumeric() || " #.,%()-_'".contains(c))
}

/// The name of `stem-<16 hex>.ext` in `dir`, the build's fingerprinted file.
fn fingerprinted(dir: &std::path::Path, stem: &str, ext: &str) -> Option<String> {
    std::fs::read_dir(dir).ok()?.filter_map(Result::ok).find_map(|entry| {
        let name = entry.file_name().into_string().ok()?;
        let hash = name.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(&format!(".{ext}"))?;
        (hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(name)
    })
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
    let current = p.zone.commune.as_ref().or(p.zone.epci.as_ref());
    if found.iter().any(|l| Some(&l.code) == current) {
        return Ok(p);
    }
    match found.first() {
        Some(place) => {
            move_to(&mut p, place);
            Ok(p)
        }
        // The field shows a département's name, which the place list does not hold.
        None if p.zone.departement.is_some() => Ok(p),
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
        Ok(p) if p.zone.commune != searched.zone.commune || p.zone.epci != searched.zone.epci => {
            return axum::response::Redirect::to(&page.pages.search(&p)).into_response();
        }
        Ok(p) => p,
        Err(e) => {
            let back = page.pages.search(&start(&page.config, None).0);
            return error(lang, &e, Some(&page.site), Some(back));
        }
    };
    let (first, status) = page.scope(first_view(&state, &page, &p)).await;
    let html = render::search_page(&page.config, &page.pages, &p, &first, &page.display);
    page.answer(status, html)
}

/// The widget's first searches for `p` (and the market panel when asked), as `/api/v1/vue`.
async fn first_view(state: &AppState, page: &Page, p: &Recherche) -> (FirstView, StatusCode) {
    let api = page.api();
    let (mut first, status) =
        super::vue::searches(state, &page.site, &api, page.config.lang, p).await;
    if page.config.marche && status == StatusCode::OK {
        first.marche = super::marche::overview(state, &page.site, p.zone.clone()).await.ok();
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
    let (detail, status) = match page.scope(super::offres::detail(&state, &id)).await {
        Ok(OffreDetail { resume, complement }) => {
            state.metrics.used(&page.site, crate::metrics::Action::Offer);
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
    let (first, status) = page.scope(first_view(&state, &page, &p)).await;
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
    let date = long_date(time::OffsetDateTime::now_utc().date(), lang);
    let html = render::print_page(lang, &page.pages, &p, place, date, posted, &page.display);
    page.answer(StatusCode::OK, html)
}

/// `3 décembre 2026`, `3 December 2026`.
fn long_date(date: time::Date, lang: Lang) -> String {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = usize::from(u8::from(date.month())) - 1;
    let name = match lang {
        Lang::Fr => FR[month],
        Lang::En => EN[month],
    };
    format!("{} {name} {}", date.day(), date.year())
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

    #[test]
    fn only_plain_css_values_are_carried() {
        assert!(safe_css_value("#005a9c"));
        assert!(safe_css_value("rgb(0, 90, 156)"));
        assert!(safe_css_value("'Marianne', Arial, sans-serif"));
        assert!(!safe_css_value("red; background: url(x)"));
        assert!(!safe_css_value("x\" onload=\"y"));
        assert!(!safe_css_value("</style>"));
        assert!(!safe_css_value(""));
    }
}
