//! Single-choice settings as labelled `<select>`s (radius, sort, page size, experience, working
//! time, publication age), driven by the setting's [`Param`].
//!
//! Options are keyed by value and text: those whose count changed are replaced, the others and
//! the list itself stay (and keep the focus).

use emploi_types::api::Facette;
use leptos::prelude::*;

use crate::format;
use crate::i18n::{Lang, Texts};
use crate::params::{Experience, Param, Recherche, Tri};
use crate::state::{ctx, search};

/// Radius choices, in km.
pub const RADII: [u32; 7] = [0, 5, 10, 20, 30, 50, 100];
/// Page size choices.
pub const PAGE_SIZES: [u32; 4] = [10, 20, 30, 50];
/// Publication age choices, in days.
pub const AGES: [u32; 5] = emploi_types::recherche::PUBLIEE_DEPUIS;

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

/// Text of an experience.
pub fn experience_text(texts: &Texts, e: Experience) -> &'static str {
    match e {
        Experience::MoinsDUnAn => texts.experience_1,
        Experience::UnATroisAns => texts.experience_2,
        Experience::PlusDeTroisAns => texts.experience_3,
    }
}

/// Text of a publication age.
pub fn age_text(texts: &Texts, days: u32) -> String {
    if days == 1 { texts.day_one.to_owned() } else { texts.days.replace("{n}", &days.to_string()) }
}

/// The label of a setting.
fn label(key: Param, texts: &Texts) -> &'static str {
    match key {
        Param::Rayon => texts.radius_label,
        Param::Tri => texts.sort_label,
        Param::ParPage => texts.per_page_label,
        Param::Experience => texts.experience_label,
        Param::TempsPlein => texts.time_label,
        _ => texts.published_label,
    }
}

/// The `(value, text)` options of a setting for the current search; `experience` carries the
/// counts of the last answer where they are true (all of them without an experience filter).
pub fn options(
    key: Param,
    p: &Recherche,
    experience: &[Facette],
    texts: &Texts,
    lang: Lang,
) -> Vec<(String, String)> {
    let any = || (String::new(), texts.any.to_owned());
    match key {
        Param::Rayon => RADII
            .iter()
            .map(|r| {
                let text = match r {
                    0 => texts.radius_zero.to_owned(),
                    r => texts.km.replace("{n}", &r.to_string()),
                };
                (r.to_string(), text)
            })
            .collect(),
        Param::Tri => {
            let mut sorts =
                vec![(Tri::Pertinence, texts.sort_relevance), (Tri::Date, texts.sort_date)];
            if p.zone.commune.is_some() {
                sorts.push((Tri::Distance, texts.sort_distance));
            }
            sorts.into_iter().map(|(v, t)| (v.code().to_owned(), t.to_owned())).collect()
        }
        Param::ParPage => {
            PAGE_SIZES.iter().map(|n| (n.to_string(), format::number(*n, lang))).collect()
        }
        Param::Experience => {
            let mut list = vec![any()];
            for e in Experience::ALL {
                let count = match p.experience {
                    Some(chosen) if chosen != e => None,
                    _ => count_of(experience, e.code()),
                };
                let text = with_count(experience_text(texts, e), count, lang);
                list.push((e.code().to_owned(), text));
            }
            list
        }
        Param::TempsPlein => vec![
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
    /// The setting.
    setting: Param,
) -> impl IntoView {
    let key = setting;
    let (c, search) = (ctx(), search());
    let (texts, lang) = (c.texts, c.lang);
    let id = format!("oe-{}", key.name());
    let list = move || {
        let experience = search
            .response
            .with(|r| r.as_ref().map(|r| r.facettes.experience.clone()).unwrap_or_default());
        search.params.with(|p| options(key, p, &experience, texts, lang))
    };
    let current = move || search.params.with(|p| p.value(key).unwrap_or_default());
    // A radius means nothing around an EPCI or a département.
    let disabled = move || key == Param::Rayon && search.params.with(|p| p.zone.commune.is_none());
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
                name=key.name()
                form=super::search_form::FORM_ID
                disabled=disabled
                prop:disabled=disabled
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    search.apply(|p| {
                        p.set(key, &value);
                    });
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
    /// The settings.
    keys: &'static [Param],
) -> impl IntoView {
    view! {
        <div class="oe-form__options">
            {keys.iter().map(|key| view! { <Choice setting=*key /> }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports, reason = "the fixtures name what they need")]
    use crate::params::{Experience, Zone};

    #[test]
    fn options_follow_the_search_and_its_counts() {
        let texts = Lang::Fr.texts();
        let zone = Zone { commune: Some("35238".into()), ..Zone::default() };
        let around = Recherche { zone, ..Recherche::default() };
        let sorts = |p: &Recherche| options(Param::Tri, p, &[], texts, Lang::Fr).len();
        assert_eq!((sorts(&around), sorts(&Recherche::default())), (3, 2));
        let facets =
            [Facette { valeur: "2".into(), nombre: 12 }, Facette { valeur: "1".into(), nombre: 4 }];
        let texts_of = |p: &Recherche| -> Vec<String> {
            options(Param::Experience, p, &facets, texts, Lang::Fr)
                .into_iter()
                .map(|o| o.1)
                .collect()
        };
        assert_eq!(
            texts_of(&around),
            ["Indifférent", "Moins d'un an (4)", "1 à 3 ans (12)", "Plus de 3 ans"]
        );
        // With an experience filter, France Travail counts only the chosen value.
        let chosen = Recherche { experience: Some(Experience::UnATroisAns), ..around };
        assert_eq!(
            texts_of(&chosen),
            ["Indifférent", "Moins d'un an", "1 à 3 ans (12)", "Plus de 3 ans"]
        );
        assert_eq!(options(Param::Rayon, &chosen, &[], texts, Lang::Fr)[0].1, "Commune seule");
    }
}
