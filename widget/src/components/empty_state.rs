//! What to do after an empty result: the next best searches, each with its real offer count
//! (counted by the root component before it is offered).

use leptos::prelude::*;

use crate::i18n::Texts;
use crate::params::{Recherche, Zone};
use crate::state::{ctx, search};

/// Searches worth counting after `p` found nothing, with their button text (count to append):
/// a wider radius around a commune, the same search without filters, without keywords.
pub fn candidates(p: &Recherche, texts: &Texts) -> Vec<(String, Recherche)> {
    let mut out = Vec::new();
    let base = Recherche { page: 1, ..p.clone() };
    if let Zone::Commune { rayon, .. } = &p.zone
        && let Some(wider) = [30, 50, 100].into_iter().find(|r| r > rayon)
        && let Some(zone) = p.zone.with_rayon(wider)
    {
        let text = texts.widen.replace("{n}", &wider.to_string());
        out.push((text, Recherche { zone, ..base.clone() }));
    }
    if p.has_filters() {
        out.push((texts.drop_filters.to_owned(), base.without_filters()));
    }
    if !p.q.trim().is_empty() {
        out.push((texts.drop_keywords.to_owned(), Recherche { q: String::new(), ..base }));
    }
    out
}

/// The empty-result message and its suggestions.
#[component]
pub fn EmptyState() -> impl IntoView {
    let (texts, search) = (ctx().texts, search());
    let empty = move || search.response.with(|r| r.as_ref().is_some_and(|r| r.total == 0));
    view! {
        <div class="oe-empty" data-testid="empty" hidden=move || !empty()>
            <p>{texts.empty_advice}</p>
            <p class="oe-label" hidden=move || search.suggestions.with(Vec::is_empty)>{texts.suggestions}</p>
            <ul class="oe-chips__list" data-testid="suggestions">
                <For each=move || search.suggestions.get() key=|s| s.label.clone() let:s>
                    <li>
                        <button
                            class="oe-button oe-button--secondary"
                            type="button"
                            on:click=move |_| search.run.run(s.params.clone())
                        >
                            {s.label.clone()}
                        </button>
                    </li>
                </For>
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    #[allow(unused_imports, reason = "the fixtures name what they need")]
    use crate::params::{TypeContrat, Zone};

    #[test]
    fn an_empty_search_suggests_wider_then_looser_searches() {
        let p = Recherche {
            zone: Zone::Commune { code: "35238".into(), rayon: 10 },
            q: "scaphandrier".into(),
            types_contrat: vec![TypeContrat::Cdi],
            page: 2,
            ..Recherche::default()
        };
        let found = candidates(&p, Lang::Fr.texts());
        let texts: Vec<&str> = found.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(texts, ["Élargir à 30 km", "Retirer les filtres", "Chercher sans mots-clés"]);
        assert_eq!(found[0].1.zone.rayon(), Some(30));
        assert_eq!(found[0].1.types_contrat, [TypeContrat::Cdi]);
        assert!(!found[1].1.has_filters());
        assert_eq!(found[2].1.q, "");
        assert!(found.iter().all(|c| c.1.page == 1));
        let zone = Zone::Commune { code: "35238".into(), rayon: 100 };
        assert!(
            candidates(&Recherche { zone, ..Recherche::default() }, Lang::Fr.texts()).is_empty()
        );
    }
}
