//! What only the widget's plain pages show (see [`crate::pages`]): an offer on its own page, the
//! notice-board print view, and a page's error. The search page is the [`super::Widget`] itself.

use emploi_types::api::OffreResume;
use emploi_types::ft::CANDIDATE_SITE;
use leptos::prelude::*;

use super::offer_detail::{TITLE_ID, body};
use crate::api::{Detail, FetchError, encode};
use crate::i18n::Lang;
use crate::state::ctx;

/// An offer's page: a link back to the search, then the offer as the detail dialog shows it.
#[component]
pub fn OfferPage(
    /// The offer, or why it could not be read.
    detail: Result<Detail, FetchError>,
    /// The search page to go back to.
    back: String,
) -> impl IntoView {
    let texts = ctx().texts;
    view! {
        <div class="oe-root" part="root">
            <p class="oe-back">
                <a class="oe-link" href=back>{"← "}{texts.back_to_offers}</a>
            </p>
            <article class="oe-page-detail" part="detail" aria-labelledby=TITLE_ID data-testid="detail">
                {body(Some(detail))}
            </article>
            <p class="oe-source" data-testid="source">
                {texts.source}
                " · "
                <a class="oe-link" href=emploi_types::api::LICENCE_URL data-testid="licence">
                    {texts.licence_link}
                </a>
            </p>
        </div>
    }
}

/// One offer of the print view, with the QR code of its France Travail page (SVG markup made by
/// the `qrcode` crate from the offer's address, nothing else).
#[derive(Debug, Clone, PartialEq)]
pub struct Posted {
    /// The offer.
    pub offre: OffreResume,
    /// The QR code, as an SVG element.
    pub qr: String,
}

impl Posted {
    /// The offer's page on francetravail.fr, which its QR code holds.
    pub fn url(offre: &OffreResume) -> String {
        format!("{CANDIDATE_SITE}{}", encode(&offre.id))
    }
}

/// The notice-board print view: the territory, the date and the source, then the offers, each
/// with its title, employer, place and contract, and a QR code to read it on a phone.
#[component]
pub fn PrintView(
    /// The territory's name.
    place: String,
    /// When France Travail gave the offers (the licence's last update), written out.
    date: String,
    /// The offers to post.
    offers: Vec<Posted>,
    /// The search page the print view came from.
    back: String,
) -> impl IntoView {
    let c = ctx();
    let (texts, lang) = (c.texts, c.lang);
    let cards = offers
        .into_iter()
        .map(|Posted { offre, qr }| {
            let url = Posted::url(&offre);
            let shown = url.clone();
            // An informative image (RGAA 1.1): the address it holds, also printed beside it.
            let qr_label = texts.print_qr.replace("{url}", &url);
            let facts = crate::format::offer_facts(&offre, texts, lang).join(" · ");
            let badges = crate::format::badges(&offre, lang).join(" · ");
            view! {
                <li class="oe-print__offer" data-testid="posted" data-url=url>
                    <div class="oe-print__text">
                        <h2 class="oe-print__title">{offre.intitule}</h2>
                        {offre.entreprise.map(|e| view! { <p class="oe-print__company">{e}</p> })}
                        {offre.lieu.map(|l| view! { <p>{l}</p> })}
                        <p>{facts}</p>
                        {(!badges.is_empty()).then(|| view! { <p class="oe-print__badges" data-testid="print-badges">{badges}</p> })}
                        <p class="oe-print__url">{shown}</p>
                    </div>
                    {qr_figure(qr_label, qr, texts.print_scan)}
                </li>
            }
        })
        .collect_view();
    view! {
        <main class="oe-print" lang=lang_code(lang)>
            <header class="oe-print__header">
                <h1>{texts.print_title.replace("{place}", &place)}</h1>
                <p data-testid="source">
                    {texts.print_source.replace("{date}", &date)}
                    " "
                    <a href=emploi_types::api::LICENCE_URL data-testid="licence">
                        {texts.licence_link}
                    </a>
                </p>
                <p class="oe-print__actions">
                    <a href=back>{"← "}{texts.back_to_offers}</a>
                </p>
            </header>
            <ol class="oe-print__list">{cards}</ol>
        </main>
    }
}

/// A QR code (`svg`) on a sheet: an informative image (RGAA 1.1) named `label`, which says the
/// address it holds, with `caption` under it.
fn qr_figure(label: String, svg: String, caption: &'static str) -> impl IntoView {
    view! {
        <figure class="oe-print__qr">
            <div class="oe-print__code" role="img" aria-label=label inner_html=svg></div>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}

/// The events poster for the notice board: the territory's coming events, each with its date,
/// place, organiser and the QR code of its registration page, then the source.
#[component]
pub fn EventsPoster(
    /// The events, each with the QR code (SVG) of its registration page.
    events: Vec<(emploi_types::api::EvenementResume, String)>,
    /// The territory's name.
    place: String,
    /// When France Travail gave the list, written out.
    date: String,
    /// The search page the poster came from.
    back: String,
) -> impl IntoView {
    let c = ctx();
    let (texts, lang) = (c.texts, c.lang);
    let panel_texts = lang.panel_texts();
    let items = events
        .into_iter()
        .map(|(e, qr)| {
            let when = super::agenda::when(&e, lang);
            let where_ = super::agenda::place(&e, panel_texts);
            let by = e
                .organisateur
                .as_ref()
                .map(|o| format!("{} · {} {o}", e.genre, panel_texts.events_by));
            let qr_label = panel_texts.events_qr.replace("{url}", &e.inscription);
            view! {
                <li class="oe-print__offer" data-testid="posted-event">
                    <div class="oe-print__text">
                        <h2 class="oe-print__title">{e.titre}</h2>
                        <p class="oe-print__company">{when}</p>
                        <p>{where_}</p>
                        <p>{by.unwrap_or(e.genre)}</p>
                        <p class="oe-print__url">{e.inscription}</p>
                    </div>
                    {qr_figure(qr_label, qr, panel_texts.events_register)}
                </li>
            }
        })
        .collect_view();
    view! {
        <main class="oe-print" lang=lang_code(lang)>
            <header class="oe-print__header">
                <h1>{format!("{} · {place}", panel_texts.events_title)}</h1>
                <p data-testid="source">{format!("{} {}.", panel_texts.events_source, texts.updated_on.replace("{date}", &date))}</p>
                <p class="oe-print__actions"><a href=back>{"← "}{texts.back_to_offers}</a></p>
            </header>
            <ol class="oe-print__list">{items}</ol>
        </main>
    }
}

/// A plain page's error: what went wrong, in the page's language, and a way back.
#[component]
pub fn PageError(
    /// What went wrong.
    message: String,
    /// Where to go instead, when known.
    back: Option<String>,
) -> impl IntoView {
    let texts = ctx().texts;
    view! {
        <div class="oe-root" part="root">
            <div class="oe-error" role="alert" data-testid="error">
                <h1 class="oe-title">{texts.page_error}</h1>
                <p>{message}</p>
            </div>
            {back.map(|href| view! { <p><a class="oe-link" href=href>{texts.back_to_offers}</a></p> })}
        </div>
    }
}

/// `fr` or `en`.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}
