//! The local market overview (`marche` attribute): the territory's offer count, split by
//! contract type, and the most wanted métiers, as lists whose bars are decoration (the numbers
//! are in the text, so screen readers get them without the picture).

use emploi_types::api::Marche;
use leptos::prelude::*;

use super::heading::Heading;
use crate::format;
use crate::i18n::Lang;
use crate::state::{ctx, search};

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

/// A titled list of bars; nothing when there are none.
fn bars(title: &'static str, rows: Vec<Bar>) -> impl IntoView {
    let (texts, lang) = (ctx().texts, ctx().lang);
    (!rows.is_empty()).then(|| {
        let items = rows
            .into_iter()
            .map(|(text, count, share)| {
                let label = format!("{text}{}{}", texts.colon, format::count(texts, lang, count));
                // A custom property, set through the CSSOM in the browser: allowed by a CSP
                // without 'unsafe-inline' styles.
                view! {
                    <li class="oe-bars__row">
                        <span class="oe-bars__label">{label}</span>
                        <span class="oe-bars__bar" aria-hidden="true" style:width=format!("{share}%")></span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h4 class="oe-market__heading">{title}</h4>
            <ul class="oe-bars">{items}</ul>
        }
    })
}

/// The market overview of `m`.
fn overview(m: Marche) -> impl IntoView {
    let (texts, lang) = (ctx().texts, ctx().lang);
    let place = m.territoire.as_ref().map(|t| format!(" · {}", t.nom)).unwrap_or_default();
    let total = format!("{}{place}", format::count(texts, lang, m.total));
    let (contracts, jobs) = rows(&m, lang);
    let note = (m.echantillon > 0 && !jobs.is_empty())
        .then(|| texts.market_sample.replace("{n}", &format::number(m.echantillon, lang)));
    view! {
        <Heading depth=2 class="oe-market__title" id="oe-market-title">{texts.market_title}</Heading>
        <p class="oe-market__total">{total}</p>
        {bars(texts.market_contracts, contracts)}
        {bars(texts.market_jobs, jobs)}
        {note.map(|n| view! { <p class="oe-market__note">{n}</p> })}
    }
}

/// The overview's view: in the browser, once [`VIEW`] is loaded.
fn view_of(m: Marche) -> Option<AnyView> {
    #[cfg(feature = "csr")]
    return VIEW.get().map(|view| view(m));
    #[cfg(not(feature = "csr"))]
    Some(overview(m).into_any())
}

#[cfg(feature = "csr")]
crate::split::part!(
    /// The overview's view, loaded before the module takes over from a first view that shows
    /// one (see `prepare` in main.rs), or with the first overview fetched.
    VIEW,
    market,
    fn(Marche) -> AnyView,
    |m| overview(m).into_any()
);

/// The market panel, fetched again when the territory changes.
#[component]
pub fn MarketPanel(
    /// The overview the proxy found for the first view.
    first: Option<Marche>,
) -> impl IntoView {
    let (c, search) = (ctx(), search());
    let api = StoredValue::new(c.api);
    // Without its view (its chunk did not load before the takeover), the overview is fetched
    // again below, with the view.
    #[cfg(feature = "csr")]
    let first = first.filter(|_| VIEW.get().is_some());
    let market = RwSignal::new(first);
    // Fetched when the territory (the market URL) changes, not for every search; the first
    // territory's overview came with the first view when there is one.
    let url = Memo::new(move |_| search.params.with(|p| api.with_value(|a| a.market_url(p))));
    #[cfg(feature = "csr")]
    {
        // The territory whose answer is wanted: an older territory's answer that arrives late
        // is dropped rather than shown over the newer one.
        let had_first = market.with_untracked(Option::is_some);
        Effect::new(move |previous: Option<String>| {
            let wanted = url.get();
            if previous.is_some() || !had_first {
                let (api, p) = (api.get_value(), search.params.get_untracked());
                let mine = wanted.clone();
                leptos::task::spawn_local(async move {
                    // A failure leaves the panel out: the search itself says what is wrong.
                    let mut answer = api.market(&p).await.ok();
                    if answer.is_some() && VIEW.load().await.is_none() {
                        answer = None;
                    }
                    if url.try_get_untracked().as_ref() == Some(&mine) {
                        market.try_set(answer);
                    }
                });
            }
            wanted
        });
    }
    #[cfg(not(feature = "csr"))]
    let _ = url;
    view! {
        <section
            class="oe-market"
            part="market"
            aria-labelledby="oe-market-title"
            data-testid="market"
            hidden=move || market.with(Option::is_none)
        >
            {move || market.get().and_then(view_of)}
        </section>
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
