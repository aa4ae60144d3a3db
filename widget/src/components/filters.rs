//! Filters (contract types, experience, working time, publication age) with the counts France
//! Travail gives for them, and the active filters as removable chips.

use leptos::prelude::*;

use super::settings::{Settings, age_text, count_of, experience_text, with_count};
use crate::dom;
use crate::i18n::{CONTRACTS, Lang, Texts};
use crate::params::SearchParams;
use crate::state::SearchState;

/// The active filters of a search, each with the search that removes it.
pub fn active_filters(p: &SearchParams, texts: &Texts, lang: Lang) -> Vec<(String, SearchParams)> {
    let mut chips = Vec::new();
    for code in &p.types_contrat {
        let mut without = p.clone();
        without.types_contrat.retain(|c| c != code);
        chips.push((lang.contract(code), without));
    }
    if let Some(e) = &p.experience {
        chips.push((
            experience_text(texts, e).to_owned(),
            SearchParams { experience: None, ..p.clone() },
        ));
    }
    if let Some(full) = p.temps_plein {
        let text = if full { texts.full_time } else { texts.part_time };
        chips.push((text.to_owned(), SearchParams { temps_plein: None, ..p.clone() }));
    }
    if let Some(days) = p.publiee_depuis {
        let text = format!("{} {}", texts.published_label, age_text(texts, days));
        chips.push((text, SearchParams { publiee_depuis: None, ..p.clone() }));
    }
    for chip in &mut chips {
        chip.1.page = 1;
    }
    chips
}

/// The filter panel, a disclosure so that it stays out of the way on small screens.
#[component]
pub fn FilterPanel(
    /// The message catalogue.
    texts: &'static Texts,
    /// Interface language.
    lang: Lang,
    /// The widget's search.
    search: SearchState,
) -> impl IntoView {
    let facets = move || search.response.with(|r| r.as_ref().map(|r| r.facettes.clone()));
    // Contract types to offer: those in the answer, those seen without a contract filter, and
    // the selected ones. Counts are shown only where they are true for the current search: with
    // a contract filter, France Travail counts only the selected types.
    let contracts = move || {
        let p = search.params.get();
        let found = facets().map(|f| f.type_contrat).unwrap_or_default();
        let known = search.known_contracts.get();
        CONTRACTS
            .iter()
            .filter(|(code, _, _)| {
                count_of(&found, code).is_some()
                    || known.iter().any(|k| k == code)
                    || p.types_contrat.iter().any(|c| c == code)
                    || (known.is_empty() && !p.types_contrat.is_empty())
            })
            .map(|(code, _, _)| {
                let selected = p.types_contrat.iter().any(|c| c == code);
                let count = if p.types_contrat.is_empty() || selected {
                    count_of(&found, code)
                } else {
                    None
                };
                ((*code).to_owned(), with_count(&lang.contract(code), count, lang), selected)
            })
            .collect::<Vec<_>>()
    };
    let active = move || search.params.with(|p| active_filters(p, texts, lang).len());
    // Checkboxes are built with `dom` and handled by one delegated listener (see `dom`).
    let checks = NodeRef::<leptos::html::Ul>::new();
    Effect::new(move |_| {
        let Some(ul) = checks.get() else { return };
        dom::clear(&ul);
        for (code, text, selected) in contracts() {
            let li = dom::add(&ul, "li", "", "");
            let input = dom::add(&li, "input", "oe-check", "");
            let id = format!("oe-contrat-{code}");
            dom::set(&input, "type", "checkbox");
            dom::set(&input, "id", &id);
            dom::set(&input, "value", &code);
            if selected {
                dom::set(&input, "checked", "");
            }
            dom::set(&dom::add(&li, "label", "", &text), "for", &id);
        }
    });
    let toggle = move |ev: web_sys::Event| {
        let code = event_target_value(&ev);
        search.apply(|p| {
            if p.types_contrat.contains(&code) {
                p.types_contrat.retain(|c| *c != code);
            } else {
                p.types_contrat.push(code);
            }
        });
    };
    view! {
        <details class="oe-filters" part="filters">
            <summary class="oe-filters__summary">
                {texts.filters}
                {move || match active() {
                    0 => String::new(),
                    n => format!(" ({n})"),
                }}
            </summary>
            <fieldset class="oe-fieldset">
                <legend class="oe-label">{texts.contract_legend}</legend>
                <ul class="oe-checks" node_ref=checks on:change=toggle></ul>
            </fieldset>
            <Settings texts=texts lang=lang search=search keys=&["experience", "temps_plein", "publiee_depuis"] />
        </details>
        <ActiveFilters texts=texts lang=lang search=search />
    }
}

/// The active filters as removable chips, and a reset button.
#[component]
fn ActiveFilters(
    /// The message catalogue.
    texts: &'static Texts,
    /// Interface language.
    lang: Lang,
    /// The widget's search.
    search: SearchState,
) -> impl IntoView {
    let chips = NodeRef::<leptos::html::Ul>::new();
    Effect::new(move |_| {
        let Some(ul) = chips.get() else { return };
        dom::clear(&ul);
        let active = search.params.with(|p| active_filters(p, texts, lang));
        for (i, (text, _)) in active.iter().enumerate() {
            let button = dom::add(&dom::add(&ul, "li", "", ""), "button", "oe-chip", text);
            dom::set(&button, "type", "button");
            dom::set(&button, "data-i", &i.to_string());
            dom::set(&button, "aria-label", &texts.remove_filter.replace("{f}", text));
            dom::set(&dom::add(&button, "span", "", " ×"), "aria-hidden", "true");
        }
    });
    let remove = move |ev: web_sys::MouseEvent| {
        let Some(i) = dom::clicked_index(&ev) else { return };
        let active = search.params.with_untracked(|p| active_filters(p, texts, lang));
        if let Some((_, without)) = active.into_iter().nth(i) {
            search.run.run(without);
        }
    };
    view! {
        <div class="oe-chips" data-testid="chips" hidden=move || !search.params.with(SearchParams::has_filters)>
            <ul class="oe-chips__list" aria-label=texts.active_filters node_ref=chips on:click=remove></ul>
            <button
                class="oe-button oe-button--secondary oe-reset"
                type="button"
                on:click=move |_| search.apply(|p| *p = p.without_filters())
            >
                {texts.reset}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_active_filter_is_a_chip_that_removes_only_itself() {
        let p = SearchParams {
            types_contrat: vec!["CDI".into(), "MIS".into()],
            temps_plein: Some(false),
            publiee_depuis: Some(7),
            page: 3,
            ..SearchParams::default()
        };
        let chips = active_filters(&p, Lang::Fr.texts(), Lang::Fr);
        let labels: Vec<&str> = chips.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(labels, ["CDI", "Intérim", "Temps partiel", "Publiée depuis moins de 7 jours"]);
        assert_eq!(chips[1].1.types_contrat, ["CDI"]);
        assert_eq!(chips[2].1.temps_plein, None);
        assert_eq!(chips[2].1.publiee_depuis, Some(7));
        assert!(chips.iter().all(|c| c.1.page == 1));
    }
}
