//! Single-choice settings as labelled `<select>`s (radius, sort, page size, experience, working
//! time, publication age), driven by the key of the setting in [`SearchParams`].
//!
//! The lists are built once with [`crate::dom`] and their options refreshed from an effect
//! (counts change with each answer); one delegated listener applies a change. Six view-built
//! select components cost about 8 kB of the wasm budget.

use emploi_types::api::Facette;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;

use crate::dom;
use crate::format;
use crate::i18n::{Lang, Texts};
use crate::params::SearchParams;
use crate::state::SearchState;

/// Radius choices, in km.
pub const RADII: [u32; 7] = [0, 5, 10, 20, 30, 50, 100];
/// Page size choices.
pub const PAGE_SIZES: [u32; 4] = [10, 20, 30, 50];
/// Publication age choices, in days.
pub const AGES: [u32; 5] = [1, 3, 7, 14, 31];

/// `text (count)` when a count is known.
pub fn with_count(text: &str, count: Option<u32>, lang: Lang) -> String {
    match count {
        Some(n) => format!("{text} ({})", format::number(n, lang)),
        None => text.to_owned(),
    }
}

/// How many offers have `value` in a facet.
pub fn count_of(facets: &[Facette], value: &str) -> Option<u32> {
    facets.iter().find(|f| f.valeur == value).map(|f| f.nombre)
}

/// Text of an experience code.
pub fn experience_text(texts: &Texts, code: &str) -> &'static str {
    match code {
        "1" => texts.experience_1,
        "2" => texts.experience_2,
        _ => texts.experience_3,
    }
}

/// Text of a publication age.
pub fn age_text(texts: &Texts, days: u32) -> String {
    if days == 1 { texts.day_one.to_owned() } else { texts.days.replace("{n}", &days.to_string()) }
}

/// The label of a setting.
fn label(key: &str, texts: &Texts) -> &'static str {
    match key {
        "rayon" => texts.radius_label,
        "tri" => texts.sort_label,
        "par_page" => texts.per_page_label,
        "experience" => texts.experience_label,
        "temps_plein" => texts.time_label,
        _ => texts.published_label,
    }
}

/// The `(value, text)` options of a setting for the current search; `experience` carries the
/// counts of the last answer where they are true (all of them without an experience filter).
pub fn options(
    key: &str,
    p: &SearchParams,
    experience: &[Facette],
    texts: &Texts,
    lang: Lang,
) -> Vec<(String, String)> {
    let any = || (String::new(), texts.any.to_owned());
    match key {
        "rayon" => RADII
            .iter()
            .map(|r| {
                let text = match r {
                    0 => texts.radius_zero.to_owned(),
                    r => texts.km.replace("{n}", &r.to_string()),
                };
                (r.to_string(), text)
            })
            .collect(),
        "tri" => {
            let mut sorts = vec![("pertinence", texts.sort_relevance), ("date", texts.sort_date)];
            if p.commune.is_some() {
                sorts.push(("distance", texts.sort_distance));
            }
            sorts.into_iter().map(|(v, t)| (v.to_owned(), t.to_owned())).collect()
        }
        "par_page" => {
            PAGE_SIZES.iter().map(|n| (n.to_string(), format::number(*n, lang))).collect()
        }
        "experience" => {
            let chosen = p.experience.as_deref();
            let mut list = vec![any()];
            for code in ["1", "2", "3"] {
                let count = match chosen {
                    Some(c) if c != code => None,
                    _ => count_of(experience, code),
                };
                list.push((code.to_owned(), with_count(experience_text(texts, code), count, lang)));
            }
            list
        }
        "temps_plein" => vec![
            any(),
            ("true".to_owned(), texts.full_time.to_owned()),
            ("false".to_owned(), texts.part_time.to_owned()),
        ],
        _ => {
            let mut list = vec![any()];
            list.extend(AGES.iter().map(|d| (d.to_string(), age_text(texts, *d))));
            list
        }
    }
}

/// Labelled lists for the settings `keys`, applied as soon as they change.
#[component]
pub fn Settings(
    /// The message catalogue.
    texts: &'static Texts,
    /// Interface language.
    lang: Lang,
    /// The widget's search.
    search: SearchState,
    /// The settings, by key.
    keys: &'static [&'static str],
) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(div) = root.get() else { return };
        if div.child_element_count() == 0 {
            for key in keys {
                let wrap = dom::add(&div, "div", "oe-choice", "");
                let id = format!("oe-{key}");
                dom::set(&dom::add(&wrap, "label", "oe-label", label(key, texts)), "for", &id);
                let select = dom::add(&wrap, "select", "oe-select", "");
                dom::set(&select, "id", &id);
                dom::set(&select, "name", key);
            }
        }
        let p = search.params.get();
        let experience = search
            .response
            .with(|r| r.as_ref().map(|r| r.facettes.experience.clone()).unwrap_or_default());
        let selects = div.get_elements_by_tag_name("select");
        for (i, key) in keys.iter().enumerate() {
            let Some(select) = selects.item(i as u32) else { continue };
            dom::clear(&select);
            for (value, text) in options(key, &p, &experience, texts, lang) {
                dom::set(&dom::add(&select, "option", "", &text), "value", &value);
            }
            let current = p.get(key).unwrap_or_default();
            select.unchecked_ref::<HtmlSelectElement>().set_value(&current);
            // A radius means nothing around an EPCI or a département.
            let disabled = *key == "rayon" && p.commune.is_none();
            select.unchecked_ref::<HtmlSelectElement>().set_disabled(disabled);
        }
    });
    let change = move |ev: web_sys::Event| {
        let Some(select) = ev.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) else {
            return;
        };
        let (key, value) = (select.name(), select.value());
        search.apply(|p| p.set(&key, &value));
    };
    view! { <div class="oe-form__options" node_ref=root on:change=change></div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_follow_the_search_and_its_counts() {
        let texts = Lang::Fr.texts();
        let around = SearchParams { commune: Some("35238".into()), ..SearchParams::default() };
        let sorts = |p: &SearchParams| options("tri", p, &[], texts, Lang::Fr).len();
        assert_eq!((sorts(&around), sorts(&SearchParams::default())), (3, 2));
        let facets =
            [Facette { valeur: "2".into(), nombre: 12 }, Facette { valeur: "1".into(), nombre: 4 }];
        let texts_of = |p: &SearchParams| -> Vec<String> {
            options("experience", p, &facets, texts, Lang::Fr).into_iter().map(|o| o.1).collect()
        };
        assert_eq!(
            texts_of(&around),
            ["Indifférent", "Moins d'un an (4)", "1 à 3 ans (12)", "Plus de 3 ans"]
        );
        // With an experience filter, France Travail counts only the chosen value.
        let chosen = SearchParams { experience: Some("2".into()), ..around };
        assert_eq!(
            texts_of(&chosen),
            ["Indifférent", "Moins d'un an", "1 à 3 ans (12)", "Plus de 3 ans"]
        );
        assert_eq!(options("rayon", &chosen, &[], texts, Lang::Fr)[0].1, "Commune seule");
    }
}
