//! One result card. Every text is set as text (never as HTML), so offer content stays inert.

use emploi_types::api::OffreResume;
use emploi_types::ft::CANDIDATE_SITE;
use leptos::prelude::*;

use crate::api::encode;
use crate::format;
use crate::i18n::{Lang, Texts};

/// A result card: title, company, place and distance, contract, working time, salary, date.
#[component]
pub fn OfferCard(
    /// The offer.
    offre: OffreResume,
    /// The message catalogue.
    texts: &'static Texts,
    /// Interface language.
    lang: Lang,
) -> impl IntoView {
    let place = match (&offre.lieu, offre.distance_km) {
        (Some(l), Some(d)) => Some(format!("{l} · {}", format::distance(d, texts, lang))),
        (Some(l), None) => Some(l.clone()),
        (None, _) => None,
    };
    let contract = offre.contrat.clone().unwrap_or_else(|| offre.type_contrat.clone());
    let published =
        format!("{} {}", texts.published, format::relative_date(&offre.date_creation, lang));
    let url = format!("{CANDIDATE_SITE}{}", encode(&offre.id));
    let (id, intitule) = (offre.id.clone(), offre.intitule.clone());
    let opened = move |_| {
        if let Some(e) = crate::events::emitter().and_then(|e| e.try_get_value()) {
            let detail = [
                ("id", wasm_bindgen::JsValue::from_str(&id)),
                ("intitule", wasm_bindgen::JsValue::from_str(&intitule)),
            ];
            e.emit("offre", &detail);
        }
    };
    view! {
        <li class="oe-card" part="card" data-testid="offer" data-id=offre.id>
            <h3 class="oe-card__title">{offre.intitule.clone()}</h3>
            {offre.entreprise.clone().map(|e| view! { <p class="oe-card__company">{e}</p> })}
            {place.map(|p| view! { <p class="oe-card__place">{p}</p> })}
            <ul class="oe-card__facts">
                <li class="oe-tag">{contract}</li>
                {offre.temps_travail.clone().map(|t| view! { <li class="oe-tag">{t}</li> })}
                {offre.salaire.clone().map(|s| view! { <li class="oe-tag">{s}</li> })}
            </ul>
            <p class="oe-card__footer">
                <time datetime=offre.date_creation.clone()>{published}</time>
                <a class="oe-link" href=url target="_blank" rel="noopener noreferrer" on:click=opened>
                    {texts.view_offer}
                </a>
            </p>
        </li>
    }
}
