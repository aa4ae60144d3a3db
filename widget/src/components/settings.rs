//! Single-choice settings as labelled `<select>`s (radius, sort, page size, and the filters
//! besides contract types), driven by the setting's [`Param`].
//!
//! Options are keyed by value and text: those whose count changed are replaced, the others and
//! the list itself stay (and keep the focus).

use emploi_types::api::{Facette, Facettes};
use emploi_types::recherche::{
    NATURES_ALTERNANCE, Origine, PeriodeSalaire, Qualification, SECTEURS, secteur_libelle,
};
use leptos::prelude::*;

use crate::format;
use crate::i18n::{Lang, Texts};
use crate::params::{Experience, Param, Recherche, Tri};
use crate::state::{ctx, search};

/// Radius choices, in km.
pub const RADII: [u32; 7] = [0, 5, 10, 20, 30, 50, 100];
/// Page size choices.
pub const PAGE_SIZES: [u32; 4] = [10, 20, 30, 50];
/// Weekly hours choices.
pub const HOURS: [u32; 8] = [10, 15, 20, 24, 28, 30, 35, 39];
/// Minimum salary choices by period, in euros.
pub const SALARIES: [(PeriodeSalaire, &[u32]); 3] = [
    (PeriodeSalaire::Mois, &[1_500, 1_800, 2_000, 2_500, 3_000, 4_000]),
    (PeriodeSalaire::An, &[20_000, 25_000, 30_000, 40_000, 50_000]),
    (PeriodeSalaire::Heure, &[12, 13, 15, 20]),
];
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
        Experience::Debutant => texts.experience_d,
        Experience::MoinsDUnAn => texts.experience_1,
        Experience::UnATroisAns => texts.experience_2,
        Experience::PlusDeTroisAns => texts.experience_3,
    }
}

/// Text of a publication age.
pub fn age_text(texts: &Texts, days: u32) -> String {
    if days == 1 { texts.day_one.to_owned() } else { texts.days.replace("{n}", &days.to_string()) }
}

/// Text of a minimum salary.
pub fn salary_text(texts: &Texts, amount: u32, period: PeriodeSalaire, lang: Lang) -> String {
    let pattern = match period {
        PeriodeSalaire::Mois => texts.per_month,
        PeriodeSalaire::An => texts.per_year,
        PeriodeSalaire::Heure => texts.per_hour,
    };
    pattern.replace("{n}", &format::number(amount, lang))
}

/// Text of the chosen sectors.
pub fn sectors_text(texts: &Texts, codes: &[String]) -> String {
    let label = |c: &String| secteur_libelle(c).unwrap_or(c).to_owned();
    match codes {
        [a, b] => texts.two_sectors.replace("{a}", &label(a)).replace("{b}", &label(b)),
        _ => codes.iter().map(label).collect::<Vec<_>>().join(", "),
    }
}

/// The label of a setting.
pub fn label(key: Param, texts: &Texts) -> &'static str {
    match key {
        Param::Rayon => texts.radius_label,
        Param::Tri => texts.sort_label,
        Param::ParPage => texts.per_page_label,
        Param::Experience => texts.experience_label,
        Param::TempsPlein => texts.time_label,
        Param::Alternance => texts.alternance_label,
        Param::HeuresMin => texts.hours_min_label,
        Param::HeuresMax => texts.hours_max_label,
        Param::Qualification => texts.qualification_label,
        Param::Secteurs => texts.sector_label,
        Param::SalaireMin => texts.salary_label,
        Param::PeriodeSalaire => texts.period_label,
        Param::HandiEngage => texts.handi_label,
        Param::ManqueCandidats => texts.lacking_label,
        Param::Origine => texts.origin_label,
        _ => texts.published_label,
    }
}

/// The `(value, text)` options of a setting for the current search, with the counts of the last
/// answer (`facets`) where they are true: France Travail counts a facet's values over the
/// search, so with a value of it chosen only that value's count is the one it would show.
pub fn options(
    key: Param,
    p: &Recherche,
    facets: &Facettes,
    texts: &Texts,
    lang: Lang,
) -> Vec<(String, String)> {
    let any = || (String::new(), texts.any.to_owned());
    // The current value, kept as an option when the list does not offer it (a deep link's).
    let keep = |list: &mut Vec<(String, String)>, text: &dyn Fn(&str) -> String| {
        if let Some(v) = p.value(key)
            && !list.iter().any(|o| o.0 == v)
        {
            list.push((v.clone(), text(&v)));
        }
    };
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
            if p.zone.commune().is_some() {
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
                    _ => count_of(&facets.experience, e.code()),
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
        Param::Alternance => {
            // Work-study's count is its natures' (France Travail ORs them with contract types,
            // so it is only true without a contract filter).
            let counts: Vec<u32> = NATURES_ALTERNANCE
                .iter()
                .filter_map(|n| count_of(&facets.nature_contrat, n))
                .collect();
            let count =
                (p.types_contrat.is_empty() && !counts.is_empty()).then(|| counts.iter().sum());
            vec![any(), ("true".to_owned(), with_count(texts.alternance_on, count, lang))]
        }
        Param::HandiEngage => vec![any(), ("true".to_owned(), texts.handi_on.to_owned())],
        Param::ManqueCandidats => vec![any(), ("true".to_owned(), texts.lacking_on.to_owned())],
        Param::HeuresMin | Param::HeuresMax => {
            let hours = |v: &str| texts.hours.replace("{n}", v);
            let mut list = vec![any()];
            list.extend(HOURS.iter().map(|h| (h.to_string(), hours(&h.to_string()))));
            keep(&mut list, &hours);
            list
        }
        Param::Qualification => {
            let mut list = vec![any()];
            for q in Qualification::ALL {
                let count = match p.qualification {
                    Some(chosen) if chosen != q => None,
                    _ => count_of(&facets.qualification, q.upstream()),
                };
                let text = match q {
                    Qualification::Cadre => texts.cadre,
                    Qualification::NonCadre => texts.non_cadre,
                };
                list.push((q.code().to_owned(), with_count(text, count, lang)));
            }
            list
        }
        Param::Secteurs => {
            let mut list = vec![any()];
            list.extend(
                SECTEURS.iter().map(|(code, label)| ((*code).to_owned(), (*label).to_owned())),
            );
            keep(&mut list, &|_| sectors_text(texts, &p.secteurs));
            list
        }
        Param::SalaireMin => {
            let period = p.periode_salaire.unwrap_or(PeriodeSalaire::Mois);
            let amounts = SALARIES.iter().find(|s| s.0 == period).map_or(&[][..], |s| s.1);
            let text = |v: &str| {
                v.parse().map_or_else(|_| v.to_owned(), |n| salary_text(texts, n, period, lang))
            };
            let mut list = vec![any()];
            list.extend(amounts.iter().map(|a| (a.to_string(), text(&a.to_string()))));
            keep(&mut list, &text);
            list
        }
        Param::PeriodeSalaire => PeriodeSalaire::ALL
            .iter()
            .map(|period| {
                let text = match period {
                    PeriodeSalaire::Mois => texts.month,
                    PeriodeSalaire::An => texts.year,
                    PeriodeSalaire::Heure => texts.hour,
                };
                (period.code().to_owned(), text.to_owned())
            })
            .collect(),
        Param::Origine => Origine::ALL
            .iter()
            .map(|o| {
                let text = match o {
                    Origine::Toutes => texts.origin_all,
                    Origine::FranceTravail => texts.origin_ft,
                    Origine::Partenaires => texts.origin_partners,
                };
                let value = if *o == Origine::Toutes { String::new() } else { o.code().to_owned() };
                (value, text.to_owned())
            })
            .collect(),
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
    // The last answer's counts, borrowed: every list reads them on each answer.
    let list = move || {
        search.response.with(|r| {
            let none = Facettes::default();
            let facets = r.as_ref().map_or(&none, |r| &r.facettes);
            search.params.with(|p| options(key, p, facets, texts, lang))
        })
    };
    // The salary's period shows the one a chosen amount will be counted in.
    let current = move || {
        search.params.with(|p| match key {
            Param::PeriodeSalaire => {
                p.periode_salaire.unwrap_or(PeriodeSalaire::Mois).code().to_owned()
            }
            _ => p.value(key).unwrap_or_default(),
        })
    };
    // A radius means nothing around an EPCI or a département.
    let disabled =
        move || key == Param::Rayon && search.params.with(|p| p.zone.commune().is_none());
    // Another period's amounts differ: changing it starts the salary over, in that period.
    let change = move |value: String| {
        search.apply(|p| {
            if key == Param::PeriodeSalaire
                && p.periode_salaire.is_none_or(|old| old.code() != value)
            {
                p.set(Param::SalaireMin, "");
                p.periode_salaire = PeriodeSalaire::from_code(&value);
                return;
            }
            p.set(key, &value);
        });
    };
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
                on:change=move |ev| change(event_target_value(&ev))
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
        let zone = Zone::Commune { code: "35238".into(), rayon: 10 };
        let around = Recherche { zone, ..Recherche::default() };
        let none = Facettes::default();
        let sorts = |p: &Recherche| options(Param::Tri, p, &none, texts, Lang::Fr).len();
        assert_eq!((sorts(&around), sorts(&Recherche::default())), (3, 2));
        let facets = Facettes {
            experience: vec![
                Facette { valeur: "2".into(), nombre: 12 },
                Facette { valeur: "1".into(), nombre: 4 },
            ],
            nature_contrat: vec![
                Facette { valeur: "E1".into(), nombre: 90 },
                Facette { valeur: "E2".into(), nombre: 6 },
                Facette { valeur: "FS".into(), nombre: 3 },
            ],
            qualification: vec![Facette { valeur: "9".into(), nombre: 7 }],
            ..Facettes::default()
        };
        let texts_of = |p: &Recherche| -> Vec<String> {
            options(Param::Experience, p, &facets, texts, Lang::Fr)
                .into_iter()
                .map(|o| o.1)
                .collect()
        };
        assert_eq!(
            texts_of(&around),
            [
                "Indifférent",
                "Débutant accepté",
                "Moins d'un an (4)",
                "1 à 3 ans (12)",
                "Plus de 3 ans"
            ]
        );
        // With an experience filter, France Travail counts only the chosen value.
        let chosen = Recherche { experience: Some(Experience::UnATroisAns), ..around };
        assert_eq!(
            texts_of(&chosen),
            ["Indifférent", "Débutant accepté", "Moins d'un an", "1 à 3 ans (12)", "Plus de 3 ans"]
        );
        assert_eq!(options(Param::Rayon, &chosen, &none, texts, Lang::Fr)[0].1, "Commune seule");
        // Work-study counts its two natures, true only without a contract filter.
        let text = |p: &Recherche, key| options(key, p, &facets, texts, Lang::Fr)[1].1.clone();
        assert_eq!(
            text(&chosen, Param::Alternance),
            "Alternance uniquement (apprentissage, professionnalisation) (9)"
        );
        let cdi =
            Recherche { types_contrat: vec![crate::params::TypeContrat::Cdi], ..chosen.clone() };
        assert_eq!(
            text(&cdi, Param::Alternance),
            "Alternance uniquement (apprentissage, professionnalisation)"
        );
        assert_eq!(text(&chosen, Param::Qualification), "Non-cadre");
        assert_eq!(
            options(Param::Qualification, &chosen, &facets, texts, Lang::Fr)[2].1,
            "Cadre (7)"
        );
    }

    #[test]
    fn salary_amounts_follow_their_period_and_a_deep_links_value_stays_listed() {
        let (texts, none) = (Lang::Fr.texts(), Facettes::default());
        let mut p = Recherche::default();
        let values = |p: &Recherche, key| -> Vec<String> {
            options(key, p, &none, texts, Lang::Fr).into_iter().map(|o| o.0).collect()
        };
        assert_eq!(values(&p, Param::SalaireMin)[1], "1500");
        p.set(Param::SalaireMin, "2222");
        assert_eq!(p.periode_salaire, Some(PeriodeSalaire::Mois));
        let listed = options(Param::SalaireMin, &p, &none, texts, Lang::Fr);
        assert_eq!(listed.last().unwrap().1, "2\u{202F}222 € par mois");
        p.set(Param::PeriodeSalaire, "an");
        assert_eq!(values(&p, Param::SalaireMin)[1], "20000");
        p.set(Param::Secteurs, "86,87");
        let sectors = options(Param::Secteurs, &p, &none, texts, Lang::Fr);
        assert_eq!(sectors.len(), SECTEURS.len() + 2);
        assert!(sectors.last().unwrap().1.contains(" ou "), "{:?}", sectors.last());
    }
}
