//! Filters (contract types or work-study, experience, working time and hours, level, sector,
//! salary, employers committed to disabled workers, offers lacking candidates, origin,
//! publication age) with the counts France Travail gives for them, and the active filters as
//! removable chips.

use emploi_types::api::MetierChoix;
use leptos::prelude::*;

use super::search_form::FORM_ID;
use super::settings::{Settings, age_text, count_of, experience_text, label, options, with_count};
use crate::i18n::{Lang, Texts};
use crate::params::{Param, Recherche, TypeContrat};
use crate::state::{ctx, search};

/// The filters offered as lists, in the panel's order (contract types are boxes).
const LISTS: [Param; 13] = [
    Param::Alternance,
    Param::Experience,
    Param::TempsPlein,
    Param::HeuresMin,
    Param::HeuresMax,
    Param::Qualification,
    Param::SalaireMin,
    Param::PeriodeSalaire,
    Param::Secteurs,
    Param::HandiEngage,
    Param::ManqueCandidats,
    Param::Origine,
    Param::PublieeDepuis,
];

/// The active filters of a search, each with the search that removes it. `named` is the last
/// métier whose label is known: the métier chip says its label, or its code for another one.
pub fn active_filters(
    p: &Recherche,
    texts: &Texts,
    lang: Lang,
    named: Option<&MetierChoix>,
) -> Vec<(String, Recherche)> {
    let mut chips = Vec::new();
    if let Some(code) = &p.metier {
        let label = named.filter(|m| &m.code == code).map_or(code.as_str(), |m| &m.libelle);
        chips.push((
            texts.metier_chip.replace("{m}", label),
            Recherche { metier: None, ..p.clone() },
        ));
    }
    for t in &p.types_contrat {
        let mut without = p.clone();
        without.types_contrat.retain(|c| c != t);
        chips.push((lang.contract(t.code()), without));
    }
    if let Some(e) = &p.experience {
        chips.push((
            experience_text(texts, *e).to_owned(),
            Recherche { experience: None, ..p.clone() },
        ));
    }
    if let Some(full) = p.temps_plein {
        let text = if full { texts.full_time } else { texts.part_time };
        chips.push((text.to_owned(), Recherche { temps_plein: None, ..p.clone() }));
    }
    // The other lists' chips say the list's label and the chosen text (the period goes with
    // the salary's chip).
    let facets = emploi_types::api::Facettes::default();
    let said = [Param::Experience, Param::TempsPlein, Param::PeriodeSalaire, Param::PublieeDepuis];
    for key in LISTS.into_iter().filter(|k| !said.contains(k)) {
        let Some(value) = p.value(key) else { continue };
        // The list's own text for the value: a salary's says its period.
        let text = options(key, p, &facets, texts, lang)
            .into_iter()
            .find(|o| o.0 == value)
            .map_or(value, |o| o.1);
        let mut without = p.clone();
        without.set(key, "");
        chips.push((texts.chip.replace("{l}", label(key, texts)).replace("{v}", &text), without));
    }
    if let Some(days) = p.publiee_depuis {
        let text = format!("{} {}", texts.published_label, age_text(texts, days));
        chips.push((text, Recherche { publiee_depuis: None, ..p.clone() }));
    }
    for chip in &mut chips {
        chip.1.page = 1;
    }
    chips
}

/// The filter panel, a disclosure so that it stays out of the way on small screens.
#[component]
pub fn FilterPanel() -> impl IntoView {
    let (c, search) = (ctx(), search());
    let (texts, lang) = (c.texts, c.lang);
    // Contract types to offer: those in the answer, those seen without a contract filter, and
    // the selected ones, with their text and whether they are checked. Counts are shown only
    // where they are true for the current search: with a contract filter, France Travail
    // counts only the selected types.
    let contracts = Memo::new(move |_| {
        let p = search.params.get();
        let found = search
            .response
            .with(|r| r.as_ref().map(|r| r.facettes.type_contrat.clone()).unwrap_or_default());
        let known = search.known_contracts.get();
        TypeContrat::ALL
            .iter()
            .filter(|t| {
                let code = t.code();
                count_of(&found, code).is_some()
                    || known.iter().any(|k| k == code)
                    || p.types_contrat.contains(t)
                    || (known.is_empty() && !p.types_contrat.is_empty())
            })
            .map(|t| {
                let code = t.code();
                let selected = p.types_contrat.contains(t);
                let count = if p.types_contrat.is_empty() || selected {
                    count_of(&found, code)
                } else {
                    None
                };
                ((*code).to_owned(), with_count(&lang.contract(code), count, lang), selected)
            })
            .collect::<Vec<_>>()
    });
    let codes = move || contracts.with(|all| all.iter().map(|c| c.0.clone()).collect::<Vec<_>>());
    let active = move || search.params.with(|p| active_filters(p, texts, lang, None).len());
    // One row per contract type, kept while the type stays listed: its text and box follow the
    // search, so a box toggled from the keyboard keeps the focus.
    let row = move |code: String| {
        let id = format!("oe-contrat-{code}");
        let (mine, again, value) = (code.clone(), code.clone(), code.clone());
        let text =
            move || contracts.with(|all| all.iter().find(|c| c.0 == mine).map(|c| c.1.clone()));
        let checked = move || contracts.with(|all| all.iter().any(|c| c.0 == again && c.2));
        let toggle = move |_| {
            let Some(code) = TypeContrat::from_code(&code) else { return };
            search.apply(|p| {
                let mut list = p.types_contrat.clone();
                if list.contains(&code) {
                    list.retain(|c| *c != code);
                } else {
                    list.push(code);
                }
                // Through the vocabulary, which ends work-study when a type is chosen.
                let codes: Vec<&str> = list.iter().map(|t| t.code()).collect();
                p.set(Param::TypesContrat, &codes.join(","));
            });
        };
        view! {
            <li>
                <input
                    class="oe-check"
                    type="checkbox"
                    id=id.clone()
                    name="types_contrat"
                    form=FORM_ID
                    value=value
                    checked=checked.clone()
                    prop:checked=checked
                    on:change=toggle
                />
                <label for=id>{text}</label>
            </li>
        }
    };
    view! {
        // On a plain page, active filters show their boxes: the page was just submitted.
        <details class="oe-filters" part="filters" open=c.plain() && search.params.with_untracked(Recherche::has_filters)>
            <summary class="oe-filters__summary">
                {texts.filters}
                {move || match active() {
                    0 => String::new(),
                    n => format!(" ({n})"),
                }}
            </summary>
            <fieldset class="oe-fieldset" aria-describedby="oe-alternance-note">
                <legend class="oe-label">{texts.contract_legend}</legend>
                <p
                    class="oe-note"
                    id="oe-alternance-note"
                    hidden=move || !search.params.with(|p| p.alternance)
                >
                    {texts.alternance_note}
                </p>
                <ul class="oe-checks">
                    <For each=codes key=|code| code.clone() children=row />
                </ul>
            </fieldset>
            <Settings keys=&LISTS />
            {c.plain().then(|| view! {
                <button class="oe-button" type="submit" form=FORM_ID>{texts.apply_filters}</button>
            })}
        </details>
        <ActiveFilters />
    }
}

/// The active filters as removable chips, and a reset button.
#[component]
fn ActiveFilters() -> impl IntoView {
    let (c, search) = (ctx(), search());
    let (texts, lang) = (c.texts, c.lang);
    let labels = move || {
        search
            .params
            .with(|p| search.metier.with(|m| active_filters(p, texts, lang, m.as_ref())))
            .into_iter()
            .map(|c| c.0)
            .collect::<Vec<_>>()
    };
    let pages = StoredValue::new(c.plain().then(|| c.pages.clone()));
    let active = move |search: crate::state::SearchState| {
        let named = search.metier.get_untracked();
        search.params.with_untracked(|p| active_filters(p, texts, lang, named.as_ref()))
    };
    let chip = move |label: String| {
        let name = texts.remove_filter.replace("{f}", &label);
        // A plain page: the chip is a link to the search without this filter.
        if let Some(href) = pages.with_value(|pages| {
            let pages = pages.as_ref()?;
            active(search)
                .into_iter()
                .find(|c| c.0 == label)
                .map(|(_, without)| pages.search(&without))
        }) {
            return view! {
                <li>
                    <a class="oe-chip" href=href aria-label=name>
                        {label}
                        <span aria-hidden="true">" ×"</span>
                    </a>
                </li>
            }
            .into_any();
        }
        let mine = label.clone();
        let remove = move |_| {
            if let Some((_, without)) = active(search).into_iter().find(|c| c.0 == mine) {
                search.run.run(without);
            }
        };
        view! {
            <li>
                <button class="oe-chip" type="button" aria-label=name on:click=remove>
                    {label}
                    <span aria-hidden="true">" ×"</span>
                </button>
            </li>
        }
        .into_any()
    };
    let reset = match pages.get_value() {
        Some(pages) => {
            let href = search.params.with_untracked(|p| pages.search(&p.without_filters()));
            view! { <a class="oe-button oe-button--secondary oe-reset" href=href>{texts.reset}</a> }
                .into_any()
        }
        None => view! {
            <button
                class="oe-button oe-button--secondary oe-reset"
                type="button"
                on:click=move |_| search.apply(|p| *p = p.without_filters())
            >
                {texts.reset}
            </button>
        }
        .into_any(),
    };
    view! {
        <div class="oe-chips" data-testid="chips" hidden=move || !search.params.with(Recherche::has_filters)>
            <ul class="oe-chips__list" aria-label=texts.active_filters>
                <For each=labels key=|label: &String| label.clone() children=chip />
            </ul>
            {reset}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports, reason = "the fixtures name what they need")]
    use crate::params::TypeContrat;

    #[test]
    fn each_active_filter_is_a_chip_that_removes_only_itself() {
        let p = Recherche {
            types_contrat: vec![TypeContrat::Cdi, TypeContrat::Mis],
            temps_plein: Some(false),
            publiee_depuis: Some(7),
            page: 3,
            ..Recherche::default()
        };
        let chips = active_filters(&p, Lang::Fr.texts(), Lang::Fr, None);
        let labels: Vec<&str> = chips.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(labels, ["CDI", "Intérim", "Temps partiel", "Publiée depuis moins de 7 jours"]);
        assert_eq!(chips[1].1.types_contrat, [TypeContrat::Cdi]);
        assert_eq!(chips[2].1.temps_plein, None);
        assert_eq!(chips[2].1.publiee_depuis, Some(7));
        assert!(chips.iter().all(|c| c.1.page == 1));
    }

    #[test]
    fn the_other_lists_chips_say_their_label_and_value_and_remove_only_themselves() {
        let mut p = Recherche::default();
        for (key, value) in [
            (Param::Alternance, "true"),
            (Param::SalaireMin, "2000"),
            (Param::PeriodeSalaire, "an"),
            (Param::Secteurs, "86"),
            (Param::HeuresMax, "24"),
        ] {
            p.set(key, value);
        }
        let chips = active_filters(&p, Lang::Fr.texts(), Lang::Fr, None);
        let labels: Vec<&str> = chips.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Alternance : Alternance uniquement (apprentissage, professionnalisation)",
                "Heures par semaine, au plus : 24 h",
                "Salaire minimum : 2\u{202F}000 € par an",
                "Secteur d'activité : Activités pour la santé humaine",
            ]
        );
        let without_salary = &chips[2].1;
        assert_eq!((without_salary.salaire_min, without_salary.periode_salaire), (None, None));
        assert!(without_salary.alternance && without_salary.heures_max == Some(24));
        assert!(!chips[0].1.alternance && chips[0].1.salaire_min == Some(2000));
    }

    #[test]
    fn a_metier_chip_says_its_label_when_known_and_removes_only_the_metier() {
        let p = Recherche {
            metier: Some("J1501".into()),
            types_contrat: vec![TypeContrat::Cdi],
            ..Recherche::default()
        };
        let named = MetierChoix {
            genre: emploi_types::api::GenreMetier::Rome,
            code: "J1501".into(),
            libelle: "Aide-soignant / Aide-soignante".into(),
        };
        let chips = active_filters(&p, Lang::Fr.texts(), Lang::Fr, Some(&named));
        assert_eq!(chips[0].0, "Métier : Aide-soignant / Aide-soignante");
        assert_eq!((chips[0].1.metier.as_ref(), chips[0].1.types_contrat.len()), (None, 1));
        let other = MetierChoix { code: "D1102".into(), ..named };
        let chips = active_filters(&p, Lang::En.texts(), Lang::En, Some(&other));
        assert_eq!(chips[0].0, "Job: J1501");
    }
}
