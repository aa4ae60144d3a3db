//! The result cards, the "more" button and the cap notice.

use emploi_types::api::OffreResume;
use emploi_types::ft::CANDIDATE_SITE;
use leptos::prelude::*;

use super::heading::Heading;
use crate::api::encode;
use crate::format;
use crate::state::{SearchState, ctx, search};

/// One offer's card; its title opens the detail.
#[component]
fn Card(
    /// The offer.
    offre: OffreResume,
) -> impl IntoView {
    let (c, search) = (ctx(), search());
    let (texts, lang) = (c.texts, c.lang);
    let place = offre.lieu.clone().map(|place| match offre.distance_km {
        Some(d) => format!("{place} · {}", format::distance(d, texts, lang)),
        None => place,
    });
    let facts = format::offer_facts(&offre, texts, lang);
    let badges = format::badges(&offre, lang);
    let published =
        format!("{} {}", texts.published, format::relative_date(&offre.date_creation, lang));
    let url = format!("{CANDIDATE_SITE}{}", encode(&offre.id));
    let id = offre.id.clone();
    // A plain page: the title links to the offer's own page.
    let offer_page = c.plain().then(|| search.params.with_untracked(|p| c.pages.offer(p, &id)));
    #[cfg(feature = "csr")]
    let title = offre.intitule.clone();
    let open = move |_| {
        #[cfg(feature = "csr")]
        if let Some(e) = crate::events::emitter().and_then(|e| e.try_get_value()) {
            let detail = [
                ("id", wasm_bindgen::JsValue::from_str(&id)),
                ("intitule", wasm_bindgen::JsValue::from_str(&title)),
            ];
            e.emit("offre", &detail);
        }
        search.open_offer.set(Some(id.clone()));
    };
    view! {
        <li class="oe-card" part="card" data-testid="offer" data-id=offre.id>
            <Heading depth=2 class="oe-card__title">
                {match offer_page {
                    Some(href) => view! { <a class="oe-card__open" href=href>{offre.intitule.clone()}</a> }.into_any(),
                    None => view! {
                <button
                    class="oe-card__open"
                    type="button"
                    aria-haspopup="dialog"
                    title=texts.open_detail
                    on:click=open
                >
                    {offre.intitule}
                </button>
                    }.into_any(),
                }}
            </Heading>
            {offre.entreprise.map(|company| view! { <p class="oe-card__company">{company}</p> })}
            {place.map(|place| view! { <p class="oe-card__place">{place}</p> })}
            <ul class="oe-card__facts">
                {facts.into_iter().map(|f| view! { <li class="oe-tag">{f}</li> }).collect_view()}
            </ul>
            <Badges badges />
            <p class="oe-card__footer">
                <time datetime=offre.date_creation>{published}</time>
                <a class="oe-link" href=url target="_blank" rel="noopener noreferrer">
                    {texts.view_offer}
                </a>
            </p>
        </li>
    }
}

/// An offer's badges, as a labelled list; nothing without any.
#[component]
pub fn Badges(
    /// Their texts.
    badges: Vec<&'static str>,
) -> impl IntoView {
    let texts = ctx().texts;
    (!badges.is_empty()).then(|| {
        view! {
            <ul class="oe-badges" part="badges" aria-label=texts.badges data-testid="badges">
                {badges.into_iter().map(|b| view! { <li class="oe-badge">{b}</li> }).collect_view()}
            </ul>
        }
    })
}

/// Result cards. While a new search runs, the current cards stay and the list is marked busy.
#[component]
pub fn ResultList() -> impl IntoView {
    let (c, search) = (ctx(), search());
    let texts = c.texts;
    let SearchState { offers, response, loading, .. } = search;
    // A plain page renders at most MAX_RENDERED offers; past it, the resident refines.
    let (limit, cap_notice) = plain_limit(&c).unwrap_or((u32::MAX, texts.cap_notice));
    let reachable =
        move || response.with(|r| r.as_ref().map_or(0, |r| r.accessibles)).min(limit) as usize;
    let has_more = move || offers.with(Vec::len) < reachable();
    let capped = move || {
        response.with(|r| r.as_ref().is_some_and(|r| r.total > r.accessibles.min(limit)))
            && offers.with(Vec::len) >= reachable()
    };
    // A plain page: "more" is a link to the same search showing one page more.
    let more = if c.plain() {
        let href = search.params.with_untracked(|p| {
            c.pages.search(&crate::params::Recherche { page: p.page + 1, ..p.clone() })
        });
        view! {
            <a class="oe-button oe-button--secondary oe-more" part="pagination" href=href hidden=move || !has_more()>
                {texts.more}
            </a>
        }
        .into_any()
    } else {
        view! {
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
        }
        .into_any()
    };
    view! {
        <section
            class="oe-results"
            part="results"
            aria-label=texts.results_label
            aria-busy=move || loading.get().to_string()
            class:oe-results--busy=move || loading.get()
        >
            <ul class="oe-list" data-testid="results">
                <For each=move || offers.get() key=|o| o.id.clone() let:offre>
                    <Card offre />
                </For>
            </ul>
            {more}
            <p class="oe-notice" hidden=move || !capped()>{cap_notice}</p>
        </section>
    }
}

/// A plain page's bound on the offers it renders, with the notice shown there.
#[cfg(feature = "ssr")]
fn plain_limit(c: &crate::state::Ctx) -> Option<(u32, &'static str)> {
    let notice = match c.lang {
        crate::i18n::Lang::Fr => {
            "Cette page affiche au plus 200 offres : affinez votre recherche pour voir les autres."
        }
        crate::i18n::Lang::En => {
            "This page shows 200 offers at most: refine your search to see the others."
        }
    };
    c.plain().then_some((emploi_types::recherche::MAX_RENDERED, notice))
}

/// The module renders no plain page.
#[cfg(not(feature = "ssr"))]
fn plain_limit(_: &crate::state::Ctx) -> Option<(u32, &'static str)> {
    None
}
