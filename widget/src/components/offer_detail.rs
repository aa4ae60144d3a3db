//! The offer detail, in a modal `<dialog>`: the browser moves focus in, keeps it there and
//! closes on Esc; closing puts focus back on the card that opened it. Every text is set as text: the description keeps its line
//! breaks through CSS, it is never parsed as HTML.

use leptos::prelude::*;

use super::heading::Heading;
use crate::api::{Detail, FetchError};
use crate::format;
use crate::i18n::{DetailTexts, Lang, Texts};
use crate::state::{ctx, search};

/// Id of the dialog's heading (ids are per shadow root, so per instance).
pub(crate) const TITLE_ID: &str = "oe-detail-title";

/// `url` if it is an absolute http(s) URL.
fn http_only(url: &str) -> Option<&str> {
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (scheme.starts_with("https://") || scheme.starts_with("http://")).then_some(url)
}

/// Label and value pairs of the facts list, in display order, only those given.
pub fn facts(
    d: &Detail,
    texts: &Texts,
    more: &DetailTexts,
    lang: Lang,
) -> Vec<(&'static str, String)> {
    let (r, c) = (&d.resume, &d.complement);
    let contract = r.contrat.clone().unwrap_or_else(|| lang.contract(&r.type_contrat));
    let hours = match (&c.duree_travail, &r.temps_travail) {
        (Some(h), Some(t)) => Some(format!("{h} ({t})")),
        (h, t) => h.clone().or_else(|| t.clone()),
    };
    [
        (more.appellation, c.appellation.clone()),
        (texts.fact_contract, Some(contract)),
        (more.nature, c.nature_contrat.clone()),
        (texts.fact_hours, hours),
        (texts.fact_salary, r.salaire.clone()),
        (texts.fact_experience, c.experience.clone()),
        (texts.fact_qualification, c.qualification.clone()),
        (texts.fact_sector, c.secteur.clone()),
        (more.headcount, c.effectif.clone()),
        (more.travel, c.deplacements.clone()),
        (texts.fact_positions, c.nombre_postes.map(|n| format::number(n, lang))),
        (more.accessible_th, (c.accessible_th == Some(true)).then(|| more.yes.to_owned())),
        (more.updated, c.actualisee.as_deref().and_then(|d| format::update_date(d, lang))),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| (label, v)))
    .collect()
}

/// Titled lists (skills, languages...) that are not empty.
pub fn lists<'a>(
    d: &'a Detail,
    texts: &Texts,
    more: &DetailTexts,
) -> Vec<(&'static str, &'a [String])> {
    let c = &d.complement;
    [
        (more.hours, &c.horaires),
        (more.conditions, &c.conditions),
        (more.benefits, &c.avantages),
        (texts.skills, &c.competences),
        (texts.qualities, &c.qualites),
        (texts.training, &c.formations),
        (texts.languages, &c.langues),
        (texts.licences, &c.permis),
        (more.software, &c.outils),
    ]
    .into_iter()
    .filter(|(_, items)| !items.is_empty())
    .map(|(title, items)| (title, items.as_slice()))
    .collect()
}

/// A link opening in a new tab, without access to this page.
fn new_tab(class: &'static str, href: String, text: String) -> impl IntoView {
    // Said to screen readers, as sighted people see the browser open a tab (RGAA 13.2's advice).
    let said = ctx().texts.new_tab;
    view! {
        <a class=class href=href target="_blank" rel="noopener noreferrer">
            {text}
            <span class="oe-sr">{said}</span>
        </a>
    }
}

/// The dialog's body: the loading text, the error, or the offer. Every text is set as text.
pub(crate) fn body(state: Option<Result<Detail, FetchError>>) -> AnyView {
    let texts = ctx().texts;
    let d = match state {
        None => {
            return view! { <p class="oe-status" role="status">{texts.detail_loading}</p> }
                .into_any();
        }
        Some(Err(e)) => {
            return view! {
                <div class="oe-error" role="alert">
                    <Heading depth=1 class="oe-detail__title" id=TITLE_ID>{texts.detail_error}</Heading>
                    <p>{e.message(texts)}</p>
                </div>
            }
            .into_any();
        }
        Some(Ok(d)) => d,
    };
    // In the browser, `browser::follow` has loaded the offer's view by the time the offer is
    // here (it is a chunk of its own in the release module).
    #[cfg(feature = "csr")]
    return match DETAIL.get() {
        Some(part) => (part.view)(d),
        None => body(Some(Err(FetchError::Network))),
    };
    #[cfg(not(feature = "csr"))]
    offer(d)
}

/// What the browser needs for an offer's detail, beyond fetching it.
#[cfg(feature = "csr")]
#[derive(Clone, Copy)]
pub struct DetailPart {
    /// Reads the proxy's JSON.
    read: fn(wasm_bindgen::JsValue) -> Result<Detail, FetchError>,
    /// Shows the offer.
    view: fn(Detail) -> AnyView,
}

#[cfg(feature = "csr")]
crate::split::part!(
    /// Reading and showing an offer's detail, loaded when a resident first opens an offer.
    DETAIL,
    offer_detail,
    DetailPart,
    DetailPart { read: Detail::read, view: offer }
);

/// The offer itself, in the dialog.
fn offer(d: Detail) -> AnyView {
    let (texts, lang) = (ctx().texts, ctx().lang);
    let (r, c) = (&d.resume, &d.complement);
    let intitule = r.intitule.clone();
    let who = [r.entreprise.as_deref(), r.lieu.as_deref()].into_iter().flatten();
    let who = who.collect::<Vec<_>>().join(" · ");
    // Through the proxy, which counts the click for the commune (no tracker) and redirects to
    // this very address.
    let apply_url = ctx().pages.apply(&r.id);
    let apply = http_only(&c.url_postuler).or_else(|| http_only(&c.url_france_travail)).map(|url| {
        view! {
            <a class="oe-button" href=apply_url data-destination=url.to_owned() target="_blank" rel="noopener noreferrer" data-testid="apply">
                {texts.apply}
            </a>
        }
    });
    let on_ft = http_only(&c.url_france_travail)
        .map(|url| new_tab("oe-link", url.to_owned(), texts.view_on_ft.to_owned()));
    let more = lang.detail_texts();
    let badges = crate::format::badges(&d.resume, lang);
    let facts = facts(&d, texts, more, lang)
        .into_iter()
        .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
        .collect_view();
    let texts_of =
        [(texts.description, &c.description), (texts.company, &c.entreprise_description)]
            .into_iter()
            .filter_map(|(title, text)| {
                text.clone().map(|text| {
                    view! {
                        <Heading depth=2 class="oe-detail__heading">{title}</Heading>
                        <p class="oe-detail__text">{text}</p>
                    }
                })
            })
            .collect_view();
    let site = c
        .entreprise_url
        .as_deref()
        .and_then(http_only)
        .map(|url| new_tab("oe-link", url.to_owned(), url.to_owned()));
    let lists = lists(&d, texts, more)
        .into_iter()
        .map(|(title, items)| {
            let items = items
                .iter()
                .map(|item| view! { <li class="oe-tag">{item.clone()}</li> })
                .collect_view();
            view! {
                <Heading depth=2 class="oe-detail__heading">{title}</Heading>
                <ul class="oe-card__facts">{items}</ul>
            }
        })
        .collect_view();
    // The employer's logo: the offers licence asks for it. Beside the employer's name, which
    // says the same, so without alternative text; hidden if it does not load.
    let employer_logo =
        c.entreprise_logo.as_deref().and_then(http_only).map(|url| logo(url, "oe-detail__logo"));
    let lines = |title: &'static str, lines: &[String], link: Option<AnyView>| {
        (!lines.is_empty() || link.is_some()).then(|| {
            view! {
                <Heading depth=2 class="oe-detail__heading">{title}</Heading>
                <p class="oe-detail__text">{lines.join("\n")}</p>
                {link}
            }
        })
    };
    let recruiter =
        c.contact_url.as_deref().and_then(http_only).map(|url| {
            new_tab("oe-link", url.to_owned(), more.recruiter_site.to_owned()).into_any()
        });
    let contact = lines(more.contact, &c.contact, recruiter);
    let agency = lines(more.agency, &c.agence, None);
    let partners = (!c.partenaires.is_empty()).then(|| {
        let items = c
            .partenaires
            .iter()
            .map(|p| {
                let mark = p
                    .logo
                    .as_deref()
                    .and_then(http_only)
                    .map(|url| logo(url, "oe-detail__partner-logo"));
                let name = match p.url.as_deref().and_then(http_only) {
                    Some(url) => new_tab("oe-link", url.to_owned(), p.nom.clone()).into_any(),
                    None => p.nom.clone().into_any(),
                };
                view! { <li>{mark}{name}</li> }
            })
            .collect_view();
        view! {
            <Heading depth=2 class="oe-detail__heading">{more.partners}</Heading>
            <ul class="oe-detail__partners">{items}</ul>
        }
    });
    view! {
        {employer_logo}
        <Heading depth=1 class="oe-detail__title" id=TITLE_ID>{intitule}</Heading>
        <p class="oe-card__company">{who}</p>
        <p class="oe-detail__actions">{apply}{on_ft}</p>
        <super::result_list::Badges badges />
        <dl class="oe-facts">{facts}</dl>
        {texts_of}
        {site}
        {lists}
        {contact}
        {agency}
        {partners}
    }
    .into_any()
}

/// A logo from France Travail's data: no referrer sent to its host, loaded when shown, hidden
/// if it does not load (the name it stands beside says the same).
fn logo(url: &str, class: &'static str) -> impl IntoView {
    view! {
        <img
            class=class
            part="logo"
            src=url.to_owned()
            alt=""
            loading="lazy"
            referrerpolicy="no-referrer"
            on:error=|ev| {
                #[cfg(feature = "csr")]
                {
                    use wasm_bindgen::JsCast;
                    if let Some(img) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                        img.set_hidden(true);
                    }
                }
                #[cfg(not(feature = "csr"))]
                let _ = ev;
            }
        />
    }
}

/// The detail dialog of the open offer ([`SearchState::open_offer`]).
#[component]
pub fn OfferDetail() -> impl IntoView {
    let (c, search) = (ctx(), search());
    let texts = c.texts;
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let detail = RwSignal::new(None::<Result<Detail, FetchError>>);
    let open = search.open_offer;
    #[cfg(feature = "csr")]
    browser::follow(dialog, detail, open, c.api);
    view! {
        <dialog
            node_ref=dialog
            class="oe-detail"
            part="detail"
            aria-labelledby=TITLE_ID
            data-testid="detail"
            on:close=move |_| open.set(None)
        >
            <div class="oe-detail__bar">
                <button
                    class="oe-button oe-button--secondary"
                    type="button"
                    autofocus
                    on:click=move |_| open.set(None)
                >
                    {texts.close}
                </button>
            </div>
            <div>{move || body(detail.get())}</div>
        </dialog>
    }
}

/// Opening and closing the dialog, and fetching the offer, in the browser.
#[cfg(feature = "csr")]
mod browser {
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;
    use web_sys::{HtmlElement, ShadowRoot};

    use crate::api::{ApiClient, Detail, FetchError};

    pub(super) fn follow(
        dialog: NodeRef<leptos::html::Dialog>,
        detail: RwSignal<Option<Result<Detail, FetchError>>>,
        open: RwSignal<Option<String>>,
        api: ApiClient,
    ) {
        // The element that had focus when the dialog opened, to give it back.
        let opener = StoredValue::new_local(None::<HtmlElement>);
        let api = StoredValue::new(api);
        Effect::new(move |_| {
            let Some(el) = dialog.get() else { return };
            match open.get() {
                Some(id) => {
                    if !el.open() {
                        let active = el
                            .get_root_node()
                            .dyn_into::<ShadowRoot>()
                            .ok()
                            .and_then(|root| root.active_element())
                            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
                        opener.set_value(active);
                        let _ = el.show_modal();
                    }
                    detail.set(None);
                    let api = api.get_value();
                    // The code that reads and shows an offer loads beside the offer (once per
                    // page).
                    spawn_local(async {
                        super::DETAIL.load().await;
                    });
                    spawn_local(async move {
                        let result = match api.offer(&id).await {
                            Ok(json) => match super::DETAIL.load().await {
                                Some(part) => (part.read)(json),
                                None => Err(FetchError::Network),
                            },
                            Err(e) => Err(e),
                        };
                        // Dropped if the dialog was closed or another offer opened meanwhile.
                        if open.try_get_untracked().flatten().as_deref() == Some(id.as_str()) {
                            detail.try_set(Some(result));
                        }
                    });
                }
                None => {
                    if el.open() {
                        el.close();
                    }
                    if let Some(button) = opener.try_get_value().flatten() {
                        let _ = button.focus();
                    }
                    opener.set_value(None);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use emploi_types::api::{OffreComplement, OffreResume};

    #[test]
    fn facts_and_lists_keep_only_what_the_offer_gives() {
        let d = Detail {
            resume: OffreResume {
                type_contrat: "MIS".into(),
                temps_travail: Some("Temps plein".into()),
                ..OffreResume::default()
            },
            complement: OffreComplement {
                duree_travail: Some("35H/semaine".into()),
                nombre_postes: Some(2),
                langues: vec!["Anglais".into()],
                ..OffreComplement::default()
            },
        };
        let texts = Lang::Fr.texts();
        let more = Lang::Fr.detail_texts();
        assert_eq!(
            facts(&d, texts, more, Lang::Fr),
            [
                ("Contrat", "Intérim".to_owned()),
                ("Durée du travail", "35H/semaine (Temps plein)".to_owned()),
                ("Postes", "2".to_owned()),
            ]
        );
        assert_eq!(lists(&d, texts, more), [("Langues", &["Anglais".to_owned()][..])]);
    }

    #[test]
    fn only_http_links_are_kept() {
        assert_eq!(http_only("https://x.fr/a"), Some("https://x.fr/a"));
        assert_eq!(http_only("HTTP://x.fr"), Some("HTTP://x.fr"));
        assert_eq!(http_only("javascript:alert(1)"), None);
        assert_eq!(http_only(""), None);
    }
}
