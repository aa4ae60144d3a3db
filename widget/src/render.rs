//! Server rendering, for the proxy: a widget's first view (the same [`Widget`] the module
//! mounts), and the widget's plain pages (see [`crate::pages`]), whole HTML documents that work
//! without JavaScript.

use std::sync::Once;

use leptos::prelude::*;

use crate::api::{ApiClient, Detail, FetchError};
use crate::components::Widget;
use crate::components::page::{OfferPage, PageError, Posted, PrintView, lang_code};
use crate::config::WidgetConfig;
use crate::i18n::Lang;
use crate::pages::Pages;
use crate::params::Recherche;
use crate::state::{Ctx, FirstView};

/// Renders `view` to HTML in a fresh reactive owner.
fn html_of<V: IntoView + 'static>(view: impl FnOnce() -> V) -> String {
    static EXECUTOR: Once = Once::new();
    // Leptos needs an executor even for a synchronous render; the proxy runs on tokio.
    EXECUTOR.call_once(|| {
        let _ = any_spawner::Executor::init_tokio();
    });
    let owner = Owner::new();
    let html = owner.with(|| view().into_view().to_html());
    owner.unset();
    valid_markers(html)
}

/// Leptos marks where a text node or a list ends with `<!>`, which the HTML parser reads as an
/// empty comment but which is not valid HTML ("bogus comment": RGAA criterion 8.2). `<!---->`
/// is the valid spelling of the same empty comment: the browser builds the same node, so the
/// module hydrates the first view as before. The rendered text cannot hold `<!>` otherwise:
/// text and attribute values are escaped (`<` written `&lt;`), and the only raw HTML is the
/// print view's QR code SVG.
fn valid_markers(html: String) -> String {
    if html.contains("<!>") { html.replace("<!>", "<!---->") } else { html }
}

/// The HTML of a widget's first view: `config`'s widget showing `first`, the state the browser
/// module takes over from (it mounts with the same `first` and renders the same thing). `base`
/// is the proxy's root as the host page reaches it (for the print view's link).
pub fn first_view(
    config: &WidgetConfig,
    base: &str,
    start: &Recherche,
    first: &FirstView,
) -> String {
    // The server's view makes no request: the API's address only makes links.
    let api = ApiClient::new(base, config.lang, config.site.clone());
    let (config, start, first) = (config.clone(), start.clone(), first.clone());
    html_of(move || {
        view! { <div class="oe-host"><Widget config api start start_offer=None link=None first=Some(first) /></div> }
    })
}

/// How a plain page dresses its widget: the element's display attributes and stylesheets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Display {
    /// `theme` (a preset name, checked by the caller).
    pub theme: Option<String>,
    /// `mode`.
    pub mode: Option<String>,
    /// `compact`.
    pub compact: bool,
    /// `--oe-*` declarations for the element's `style` (checked by the caller).
    pub style: Option<String>,
    /// The widget's stylesheet.
    pub stylesheet: Option<String>,
    /// The print view's stylesheet.
    pub print_stylesheet: Option<String>,
    /// The optional script that tells a framing page this page's height.
    pub script: Option<String>,
}

/// A whole page: the widget's element with its content in a declarative shadow root (so that
/// the widget's stylesheet, `:host` presets included, applies without JavaScript).
fn document(
    lang: Lang,
    title: String,
    display: &Display,
    feed: Option<String>,
    content: String,
) -> String {
    let d = display.clone();
    let feed_title = lang.texts().follow_search;
    let head = html_of(move || {
        view! {
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{title}</title>
            {feed.map(|href| view! { <link rel="alternate" type="application/atom+xml" title=feed_title href=href /> })}
        }
    });
    let link = d
        .stylesheet
        .as_deref()
        .map(|href| format!(r#"<link rel="stylesheet" href="{}">"#, attribute(href)))
        .unwrap_or_default();
    let mut host = String::from("<offres-emploi");
    for (name, value) in [("theme", &d.theme), ("mode", &d.mode), ("style", &d.style)] {
        if let Some(value) = value {
            host.push_str(&format!(r#" {name}="{}""#, attribute(value)));
        }
    }
    if d.compact {
        host.push_str(" compact");
    }
    let script = d
        .script
        .as_deref()
        .map(|src| format!(r#"<script type="module" src="{}"></script>"#, attribute(src)))
        .unwrap_or_default();
    format!(
        r#"<!doctype html><html lang="{}"><head>{head}</head><body class="oe-page">{host}><template shadowrootmode="open">{link}<div class="oe-host">{content}</div></template></offres-emploi>{script}</body></html>"#,
        lang_code(lang)
    )
}

/// `value` escaped for a double-quoted attribute.
fn attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The plain search page: the same widget, with a GET form and links.
pub fn search_page(
    config: &WidgetConfig,
    pages: &Pages,
    start: &Recherche,
    first: &FirstView,
    display: &Display,
) -> String {
    let api = ApiClient::new("/", config.lang, config.site.clone());
    let title = config.titre.clone().unwrap_or_else(|| config.lang.texts().title.to_owned());
    let feed = Some(pages.feed(start));
    let (config2, start, first, pages) =
        (config.clone(), start.clone(), first.clone(), pages.clone());
    let content = html_of(move || {
        view! { <Widget config=config2 api start start_offer=None link=None first=Some(first) pages plain=true /> }
    });
    document(config.lang, title, display, feed, content)
}

/// The context of a plain page that is not the widget itself.
fn provide(lang: Lang, pages: &Pages) {
    provide_context(Ctx {
        lang,
        texts: lang.texts(),
        api: ApiClient::new("/", lang, None),
        pages: pages.clone(),
        plain: true,
    });
}

/// An offer's plain page.
pub fn offer_page(
    lang: Lang,
    pages: &Pages,
    back: &Recherche,
    detail: Result<Detail, FetchError>,
    display: &Display,
) -> String {
    let title = match &detail {
        Ok(d) => d.resume.intitule.clone(),
        Err(_) => lang.texts().detail_error.to_owned(),
    };
    let (pages2, back) = (pages.clone(), pages.search(back));
    let content = html_of(move || {
        provide(lang, &pages2);
        view! { <OfferPage detail back /> }
    });
    document(lang, title, display, None, content)
}

/// A plain page's error.
pub fn error_page(lang: Lang, pages: &Pages, message: String, back: Option<String>) -> String {
    let pages = pages.clone();
    let content = html_of(move || {
        provide(lang, &pages);
        view! { <PageError message back /> }
    });
    document(lang, lang.texts().page_error.to_owned(), &Display::default(), None, content)
}

/// The notice-board print view of `p`: `offers` (each with the QR code of its address), the
/// territory's name and today's date.
pub fn print_page(
    lang: Lang,
    pages: &Pages,
    p: &Recherche,
    place: String,
    date: String,
    offers: Vec<Posted>,
    display: &Display,
) -> String {
    let texts = lang.texts();
    let title = texts.print_title.replace("{place}", &place);
    let (pages2, back) = (pages.clone(), pages.search(p));
    let content = html_of(move || {
        provide(lang, &pages2);
        view! { <PrintView place date offers back /> }
    });
    print_document(lang, title, &content, display)
}

/// A notice-board sheet: `content` under `title`, with the print stylesheet.
fn print_document(lang: Lang, title: String, content: &str, display: &Display) -> String {
    let link = display
        .print_stylesheet
        .as_deref()
        .map(|href| format!(r#"<link rel="stylesheet" href="{}">"#, attribute(href)))
        .unwrap_or_default();
    let head = html_of(move || {
        view! {
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{title}</title>
        }
    });
    format!(
        r#"<!doctype html><html lang="{}"><head>{head}{link}</head><body>{content}</body></html>"#,
        lang_code(lang)
    )
}

/// The events poster (`/offres/evenements/imprimer`): `events` with the QR codes of their
/// registration pages, for an A4 notice board; same stylesheet as the offers' print view.
pub fn events_poster(
    lang: Lang,
    pages: &Pages,
    p: &Recherche,
    place: String,
    date: String,
    events: Vec<emploi_types::api::EvenementResume>,
    display: &Display,
) -> String {
    let title = format!("{} · {place}", lang.panel_texts().events_title);
    let events: Vec<_> = events
        .into_iter()
        .map(|e| {
            let qr = qr_svg(&e.inscription).unwrap_or_default();
            (e, qr)
        })
        .collect();
    let (pages2, back) = (pages.clone(), pages.search(p));
    let content = html_of(move || {
        provide(lang, &pages2);
        view! { <crate::components::page::EventsPoster events place date back /> }
    });
    print_document(lang, title, &content, display)
}

/// The QR code of `text` as an SVG element (black modules on white, quiet zone included).
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    // The crate writes a whole SVG document: the page needs the element only.
    Some(svg.find("<svg").map_or(svg.clone(), |at| svg[at..].to_owned()))
}
