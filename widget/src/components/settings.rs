//! Single-choice settings as labelled `<select>`s (radius, sort, page size, experience, working
//! time, publication age), driven by the key of the setting in [`SearchParams`].
//!
//! Options are keyed by value and text: those whose count changed are replaced, the others and
//! the list itself stay (and keep the focus).

use emploi_types::api::Facette;
use leptos::prelude::*;

use crate::format;
use crate::i18n::{Lang, Texts};
use crate::params::SearchParams;
use crate::state::{ctx, search};

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

/// One labelled list, applied as soon as it changes.
#[component]
fn Choice(
    /// The setting's key in [`SearchParams`].
    setting: &'static str,
) -> impl IntoView {
    let key = setting;
    let (c, search) = (ctx(), search());
    let (texts, lang) = (c.texts, c.lang);
    let id = format!("oe-{key}");
    let list = move || {
        let experience = search
            .response
            .with(|r| r.as_ref().map(|r| r.facettes.experience.clone()).unwrap_or_default());
        search.params.with(|p| options(key, p, &experience, texts, lang))
    };
    let current = move || search.params.with(|p| p.get(key).unwrap_or_default());
    // A radius means nothing around an EPCI or a département.
    let disabled = move || key == "rayon" && search.params.with(|p| p.commune.is_none());
    let option = move |(value, text): (String, String)| {
        let mine = value.clone();
        let selected = move || current() == mine;
        view! { <option value=value selected=selected.clone() prop:selected=selected>{text}</option> }
    };
    view! {
        <div class="oe-choice">
            <label class="oe-label" for=id.clone()>{label(key, texts)}</label>
            <select
                class="oe-select"
                id=id
                name=key
                form=super::search_form::FORM_ID
                disabled=disabled
                prop:disabled=disabled
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    search.apply(|p| p.set(key, &value));
                }
            >
                <For each=list key=|o| o.clone() children=option />
            </select>
        </div>
    }
}

/// Labelled lists for the settings `keys`, applied as soon as they change.
#[component]
pub fn Settings(
    /// The settings, by key.
    keys: &'static [&'static str],
) -> impl IntoView {
    view! {
        <div class="oe-form__options">
            {keys.iter().map(|key| view! { <Choice setting=key /> }).collect_view()}
        </div>
    }
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
