//! The offer detail, in a modal `<dialog>`: the browser moves focus in, keeps it there and
//! closes on Esc; closing puts focus back on the card that opened it. The body is built with
//! [`crate::dom`] (see there why) and every text is set as text: the description keeps its line
//! breaks through CSS, it is never parsed as HTML.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRoot};

use crate::api::{ApiClient, Detail, FetchError};
use crate::dom;
use crate::format;
use crate::i18n::{Lang, Texts};
use crate::state::SearchState;

/// Id of the dialog's heading (ids are per shadow root, so per instance).
const TITLE_ID: &str = "oe-detail-title";

/// `url` if it is an absolute http(s) URL.
fn http_only(url: &str) -> Option<&str> {
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (scheme.starts_with("https://") || scheme.starts_with("http://")).then_some(url)
}

/// Label and value pairs of the facts list, in display order, only those given.
pub fn facts(d: &Detail, texts: &Texts, lang: Lang) -> Vec<(&'static str, String)> {
    let (r, c) = (&d.resume, &d.complement);
    let contract = r.contrat.clone().unwrap_or_else(|| lang.contract(&r.type_contrat));
    let hours = match (&c.duree_travail, &r.temps_travail) {
        (Some(h), Some(t)) => Some(format!("{h} ({t})")),
        (h, t) => h.clone().or_else(|| t.clone()),
    };
    [
        (texts.fact_contract, Some(contract)),
        (texts.fact_hours, hours),
        (texts.fact_salary, r.salaire.clone()),
        (texts.fact_experience, c.experience.clone()),
        (texts.fact_qualification, c.qualification.clone()),
        (texts.fact_sector, c.secteur.clone()),
        (texts.fact_positions, c.nombre_postes.map(|n| format::number(n, lang))),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| (label, v)))
    .collect()
}

/// Titled lists (skills, languages...) that are not empty.
pub fn lists<'a>(d: &'a Detail, texts: &Texts) -> Vec<(&'static str, &'a [String])> {
    let c = &d.complement;
    [
        (texts.skills, &c.competences),
        (texts.qualities, &c.qualites),
        (texts.training, &c.formations),
        (texts.languages, &c.langues),
        (texts.licences, &c.permis),
    ]
    .into_iter()
    .filter(|(_, items)| !items.is_empty())
    .map(|(title, items)| (title, items.as_slice()))
    .collect()
}

/// Fills `body` with the loading text, the error, or the offer.
fn render(body: &Element, state: Option<&Result<Detail, FetchError>>, texts: &Texts, lang: Lang) {
    dom::clear(body);
    let d = match state {
        None => {
            let p = dom::add(body, "p", "oe-status", texts.detail_loading);
            dom::set(&p, "role", "status");
            return;
        }
        Some(Err(e)) => {
            let alert = dom::add(body, "div", "oe-error", "");
            dom::set(&alert, "role", "alert");
            dom::set(
                &dom::add(&alert, "h2", "oe-detail__title", texts.detail_error),
                "id",
                TITLE_ID,
            );
            dom::add(&alert, "p", "", &e.message(texts));
            return;
        }
        Some(Ok(d)) => d,
    };
    let (r, c) = (&d.resume, &d.complement);
    dom::set(&dom::add(body, "h2", "oe-detail__title", &r.intitule), "id", TITLE_ID);
    let who = [r.entreprise.as_deref(), r.lieu.as_deref()].into_iter().flatten();
    dom::add(body, "p", "oe-card__company", &who.collect::<Vec<_>>().join(" · "));
    let actions = dom::add(body, "p", "oe-detail__actions", "");
    if let Some(url) = http_only(&c.url_postuler).or_else(|| http_only(&c.url_france_travail)) {
        dom::set(&dom::link(&actions, "oe-button", url, texts.apply), "data-testid", "apply");
    }
    if let Some(url) = http_only(&c.url_france_travail) {
        dom::link(&actions, "oe-link", url, texts.view_on_ft);
    }
    let list = dom::add(body, "dl", "oe-facts", "");
    for (label, value) in facts(d, texts, lang) {
        dom::add(&list, "dt", "", label);
        dom::add(&list, "dd", "", &value);
    }
    for (title, text) in
        [(texts.description, &c.description), (texts.company, &c.entreprise_description)]
    {
        if let Some(text) = text {
            dom::add(body, "h3", "oe-detail__heading", title);
            dom::add(body, "p", "oe-detail__text", text);
        }
    }
    if let Some(url) = c.entreprise_url.as_deref().and_then(http_only) {
        dom::link(body, "oe-link", url, url);
    }
    for (title, items) in lists(d, texts) {
        dom::add(body, "h3", "oe-detail__heading", title);
        let ul = dom::add(body, "ul", "oe-card__facts", "");
        for item in items {
            dom::add(&ul, "li", "oe-tag", item);
        }
    }
}

/// The detail dialog of the open offer ([`SearchState::open_offer`]).
#[component]
pub fn OfferDetail(
    /// The message catalogue.
    texts: &'static Texts,
    /// Interface language.
    lang: Lang,
    /// The widget's search.
    search: SearchState,
    /// The proxy's API.
    api: StoredValue<ApiClient>,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let body = NodeRef::<leptos::html::Div>::new();
    let detail = RwSignal::new(None::<Result<Detail, FetchError>>);
    // The element that had focus when the dialog opened, to give it back.
    let opener = StoredValue::new_local(None::<HtmlElement>);
    let open = search.open_offer;
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
                spawn_local(async move {
                    let result = api.offer(&id).await;
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
    Effect::new(move |_| {
        if let Some(el) = body.get() {
            detail.with(|d| render(&el, d.as_ref(), texts, lang));
        }
    });
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
            <div node_ref=body></div>
        </dialog>
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
        assert_eq!(
            facts(&d, texts, Lang::Fr),
            [
                ("Contrat", "Intérim".to_owned()),
                ("Durée du travail", "35H/semaine (Temps plein)".to_owned()),
                ("Postes", "2".to_owned()),
            ]
        );
        assert_eq!(lists(&d, texts), [("Langues", &["Anglais".to_owned()][..])]);
    }

    #[test]
    fn only_http_links_are_kept() {
        assert_eq!(http_only("https://x.fr/a"), Some("https://x.fr/a"));
        assert_eq!(http_only("HTTP://x.fr"), Some("HTTP://x.fr"));
        assert_eq!(http_only("javascript:alert(1)"), None);
        assert_eq!(http_only(""), None);
    }
}
