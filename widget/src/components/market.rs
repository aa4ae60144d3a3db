//! The local market overview (`marche` attribute): the territory's offer count, split by
//! contract type, and the most wanted métiers, as lists whose bars are decoration (the numbers
//! are in the text, so screen readers get them without the picture).

use emploi_types::api::Marche;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::api::ApiClient;
use crate::dom;
use crate::format;
use crate::i18n::{Lang, Texts};
use crate::state::SearchState;

/// A bar: its text, its count, and its length in percent of the longest bar.
pub type Bar = (String, u32, u32);

/// The bars of the contract split and of the métiers.
pub fn rows(m: &Marche, lang: Lang) -> (Vec<Bar>, Vec<Bar>) {
    let scale = |items: Vec<(String, u32)>| {
        let top = items.iter().map(|i| i.1).max().unwrap_or(1).max(1);
        items.into_iter().map(|(t, n)| (t, n, n * 100 / top)).collect()
    };
    let contracts = m.par_contrat.iter().map(|f| (lang.contract(&f.valeur), f.nombre)).collect();
    let jobs = m.metiers.iter().map(|j| (j.libelle.clone(), j.nombre)).collect();
    (scale(contracts), scale(jobs))
}

fn bars(parent: &Element, title: &str, rows: &[Bar], texts: &Texts, lang: Lang) {
    if rows.is_empty() {
        return;
    }
    dom::add(parent, "h4", "oe-market__heading", title);
    let list = dom::add(parent, "ul", "oe-bars", "");
    for (text, count, share) in rows {
        let li = dom::add(&list, "li", "oe-bars__row", "");
        let label = format!("{text}{}{}", texts.colon, format::count(texts, lang, *count));
        dom::add(&li, "span", "oe-bars__label", &label);
        let bar = dom::add(&li, "span", "oe-bars__bar", "");
        dom::set(&bar, "aria-hidden", "true");
        // Through the CSSOM: allowed by a CSP without 'unsafe-inline' styles.
        let _ =
            bar.unchecked_ref::<HtmlElement>().style().set_property("width", &format!("{share}%"));
    }
}

fn render(section: &Element, market: Option<&Marche>, texts: &Texts, lang: Lang) {
    dom::clear(section);
    let Some(m) = market else { return };
    let title = dom::add(section, "h3", "oe-market__title", texts.market_title);
    dom::set(&title, "id", "oe-market-title");
    let place = m.territoire.as_ref().map(|t| format!(" · {}", t.nom)).unwrap_or_default();
    dom::add(
        section,
        "p",
        "oe-market__total",
        &format!("{}{place}", format::count(texts, lang, m.total)),
    );
    let (contracts, jobs) = rows(m, lang);
    bars(section, texts.market_contracts, &contracts, texts, lang);
    bars(section, texts.market_jobs, &jobs, texts, lang);
    if m.echantillon > 0 && !jobs.is_empty() {
        let note = texts.market_sample.replace("{n}", &format::number(m.echantillon, lang));
        dom::add(section, "p", "oe-market__note", &note);
    }
}

/// The market panel, fetched again when the territory changes.
#[component]
pub fn MarketPanel(
    /// The message catalogue.
    texts: &'static Texts,
    /// Interface language.
    lang: Lang,
    /// The widget's search.
    search: SearchState,
    /// The proxy's API.
    api: StoredValue<ApiClient>,
) -> impl IntoView {
    let market = RwSignal::new(None::<Marche>);
    // The territory whose answer is wanted: an older territory's answer that arrives late is
    // dropped rather than shown over the newer one.
    let wanted = StoredValue::new(String::new());
    // Fetched when the territory (the market URL) changes, not for every search.
    Effect::new(move |previous: Option<String>| {
        let url = search.params.with(|p| api.with_value(|a| a.market_url(p)));
        if previous.as_ref() != Some(&url) {
            wanted.set_value(url.clone());
            let (api, p, mine) = (api.get_value(), search.params.get_untracked(), url.clone());
            spawn_local(async move {
                // A failure leaves the panel out: the search itself says what is wrong.
                let answer = api.market(&p).await.ok();
                if wanted.try_with_value(|w| *w == mine) == Some(true) {
                    market.try_set(answer);
                }
            });
        }
        url
    });
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(el) = section.get() {
            market.with(|m| render(&el, m.as_ref(), texts, lang));
        }
    });
    view! {
        <section
            class="oe-market"
            part="market"
            aria-labelledby="oe-market-title"
            data-testid="market"
            node_ref=section
            hidden=move || market.with(Option::is_none)
        ></section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use emploi_types::api::{Facette, Metier};

    #[test]
    fn bars_are_scaled_to_the_largest_row() {
        let m = Marche {
            total: 40,
            par_contrat: vec![
                Facette { valeur: "CDI".into(), nombre: 30 },
                Facette { valeur: "MIS".into(), nombre: 10 },
            ],
            metiers: vec![Metier { code: "D1106".into(), libelle: "Vente".into(), nombre: 7 }],
            echantillon: 40,
            ..Marche::default()
        };
        let (contracts, jobs) = rows(&m, Lang::Fr);
        assert_eq!(contracts, [("CDI".to_owned(), 30, 100), ("Intérim".to_owned(), 10, 33)]);
        assert_eq!(jobs, [("Vente".to_owned(), 7, 100)]);
    }
}
