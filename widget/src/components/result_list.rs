//! The result cards, the "more" button and the cap notice.
//!
//! Cards are built with [`crate::dom`] from an effect and their buttons are handled by one
//! delegated listener: a keyed `<For>` of view cards cost several kilobytes of the wasm budget.

use emploi_types::api::OffreResume;
use emploi_types::ft::CANDIDATE_SITE;
use leptos::prelude::*;
use web_sys::Element;

use crate::api::encode;
use crate::dom;
use crate::format;
use crate::i18n::{Lang, Texts};
use crate::state::SearchState;

/// Appends the card of `offre` (number `index` in the list) to `list`.
fn card(list: &Element, index: usize, offre: &OffreResume, texts: &Texts, lang: Lang) {
    let li = dom::add(list, "li", "oe-card", "");
    dom::set(&li, "part", "card");
    dom::set(&li, "data-testid", "offer");
    dom::set(&li, "data-id", &offre.id);
    let title = dom::add(&li, "h3", "oe-card__title", "");
    let open = dom::add(&title, "button", "oe-card__open", &offre.intitule);
    dom::set(&open, "type", "button");
    dom::set(&open, "aria-haspopup", "dialog");
    dom::set(&open, "title", texts.open_detail);
    dom::set(&open, "data-i", &index.to_string());
    if let Some(company) = &offre.entreprise {
        dom::add(&li, "p", "oe-card__company", company);
    }
    if let Some(place) = &offre.lieu {
        let text = match offre.distance_km {
            Some(d) => format!("{place} · {}", format::distance(d, texts, lang)),
            None => place.clone(),
        };
        dom::add(&li, "p", "oe-card__place", &text);
    }
    let facts = dom::add(&li, "ul", "oe-card__facts", "");
    let contract = offre.contrat.clone().unwrap_or_else(|| lang.contract(&offre.type_contrat));
    for fact in [Some(&contract), offre.temps_travail.as_ref(), offre.salaire.as_ref()]
        .into_iter()
        .flatten()
    {
        dom::add(&facts, "li", "oe-tag", fact);
    }
    let footer = dom::add(&li, "p", "oe-card__footer", "");
    let published =
        format!("{} {}", texts.published, format::relative_date(&offre.date_creation, lang));
    dom::set(&dom::add(&footer, "time", "", &published), "datetime", &offre.date_creation);
    let url = format!("{CANDIDATE_SITE}{}", encode(&offre.id));
    dom::link(&footer, "oe-link", &url, texts.view_offer);
}

/// Result cards. While a new search runs, the current cards stay and the list is marked busy.
#[component]
pub fn ResultList(
    /// The message catalogue.
    texts: &'static Texts,
    /// Interface language.
    lang: Lang,
    /// The widget's search.
    search: SearchState,
) -> impl IntoView {
    let SearchState { offers, response, loading, .. } = search;
    let reachable = move || response.with(|r| r.as_ref().map_or(0, |r| r.accessibles)) as usize;
    let has_more = move || offers.with(Vec::len) < reachable();
    let capped = move || {
        response.with(|r| r.as_ref().is_some_and(|r| r.total > r.accessibles))
            && offers.with(Vec::len) >= reachable()
    };
    let list = NodeRef::<leptos::html::Ul>::new();
    Effect::new(move |_| {
        let Some(ul) = list.get() else { return };
        dom::clear(&ul);
        offers.with(|offers| {
            for (i, offre) in offers.iter().enumerate() {
                card(&ul, i, offre, texts, lang);
            }
        });
    });
    let open = move |ev: web_sys::MouseEvent| {
        let Some(i) = dom::clicked_index(&ev) else { return };
        let Some((id, title)) =
            offers.with_untracked(|o| o.get(i).map(|o| (o.id.clone(), o.intitule.clone())))
        else {
            return;
        };
        if let Some(e) = crate::events::emitter().and_then(|e| e.try_get_value()) {
            let detail = [
                ("id", wasm_bindgen::JsValue::from_str(&id)),
                ("intitule", wasm_bindgen::JsValue::from_str(&title)),
            ];
            e.emit("offre", &detail);
        }
        search.open_offer.set(Some(id));
    };
    view! {
        <section
            class="oe-results"
            part="results"
            aria-label=texts.results_label
            aria-busy=move || loading.get().to_string()
            class:oe-results--busy=move || loading.get()
        >
            <ul class="oe-list" data-testid="results" node_ref=list on:click=open></ul>
            <button
                    class="oe-button oe-button--secondary oe-more"
                    part="pagination"
                    type="button"
                    hidden=move || !has_more()
                    disabled=move || loading.get()
                    on:click=move |_| {
                        let mut p = search.params.get_untracked();
                        p.page += 1;
                        search.run.run(p);
                    }
                >
                    {texts.more}
                </button>
            <p class="oe-notice" hidden=move || !capped()>{texts.cap_notice}</p>
        </section>
    }
}
