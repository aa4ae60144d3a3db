//! The local market overview (`marche` attribute): the territory's offer count, split by
//! contract type, and the most wanted métiers, as lists whose bars are decoration (the numbers
//! are in the text, so screen readers get them without the picture); then France Travail's
//! official figures (job seekers, hires, and the recruitment difficulty of the most-wanted
//! métiers as an SVG chart with its table), each with its source, level, period and update.

use emploi_types::api::{Indicateurs, Marche, Portee};
use leptos::prelude::*;

use super::heading::Heading;
use crate::format;
use crate::i18n::Lang;
use crate::panel::{Panels, follow, typed};
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

/// Where, when and from whom a figure is, as a line.
pub fn note(source: &str, p: &Portee, lang: crate::i18n::Lang) -> String {
    let (texts, panel_texts) = (lang.texts(), lang.panel_texts());
    let scope = match p.niveau.as_str() {
        "EPCI" => 0,
        "DEP" => 1,
        "REG" => 2,
        _ => 3,
    };
    // France Travail writes territories in capitals; a date as `YYYY-MM-DD`.
    let day = |d: &str| -> String {
        let n = |a: usize, b: usize| d.get(a..b).and_then(|x| x.parse::<usize>().ok());
        match (n(0, 4), n(5, 7), n(8, 10)) {
            (Some(y), Some(m), Some(dd)) if (1..=12).contains(&m) => {
                format!("{dd} {} {y}", texts.months[m - 1])
            }
            _ => d.to_owned(),
        }
    };
    panel_texts
        .figures_note
        .replace("{source}", source)
        .replace("{territoire}", &p.territoire)
        .replace("{niveau}", panel_texts.figures_scopes[scope])
        .replace("{periode}", &p.periode)
        .replace("{maj}", &day(&p.mis_a_jour))
}

/// The official figures: counts as a description list, the difficulty as a chart (a picture
/// named by its caption) and, for every reader, the same numbers in a table.
fn figures(f: Indicateurs) -> impl IntoView {
    let lang = ctx().lang;
    let panel_texts = lang.panel_texts();
    let mut counts = Vec::new();
    for (label, chiffre) in
        [(panel_texts.figures_seekers, &f.demandeurs), (panel_texts.figures_hires, &f.embauches)]
    {
        if let Some(c) = chiffre {
            let value = format::number(u32::try_from(c.valeur).unwrap_or(u32::MAX), lang);
            let line = note(&f.source, &c.portee, lang);
            counts.push(view! {
                <dt>{label}</dt>
                <dd>{value}</dd>
                <dd class="oe-market__note">{line}</dd>
            });
        }
    }
    let tension = (!f.tensions.is_empty()).then(|| {
        let level = |score: u8| panel_texts.figures_levels[usize::from(score.clamp(1, 5)) - 1];
        let height = f.tensions.len() * 24;
        let bars = f
            .tensions
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let y = (i * 24).to_string();
                let width = (u32::from(t.score) * 20).to_string();
                view! {
                    <rect class="oe-figures__track" x="0" y=y.clone() width="100" height="16" rx="3"></rect>
                    <rect x="0" y=y width=width height="16" rx="3"></rect>
                }
            })
            .collect_view();
        let rows = f
            .tensions
            .iter()
            .map(|t| {
                let score = format!("{} / 5 ({})", t.score, level(t.score));
                view! { <tr><th scope="row">{t.libelle.clone()}</th><td>{score}</td></tr> }
            })
            .collect_view();
        let line = f.tensions.first().map(|t| note(&f.source, &t.portee, lang)).unwrap_or_default();
        view! {
            <h4 class="oe-market__heading">{panel_texts.figures_tension}</h4>
            <svg class="oe-figures__chart" role="img" aria-label=panel_texts.figures_tension_caption
                viewBox=format!("0 0 100 {height}") preserveAspectRatio="none" focusable="false">
                {bars}
            </svg>
            <table class="oe-figures__table" data-testid="tension-table">
                <caption>{panel_texts.figures_tension_caption}</caption>
                <thead><tr><th scope="col">{panel_texts.figures_job}</th><th scope="col">{panel_texts.figures_score}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="oe-market__note">{line}</p>
        }
    });
    view! {
        <div class="oe-figures" data-testid="figures">
            <Heading depth=3 class="oe-figures__title">{panel_texts.figures_title}</Heading>
            <dl class="oe-figures__counts">{counts}</dl>
            {tension}
        </div>
    }
}

/// The market overview of `m`, and the official figures `f` when there are some.
fn overview(m: Marche, f: Option<Indicateurs>) -> impl IntoView {
    let (texts, lang) = (ctx().texts, ctx().lang);
    let panel_texts = lang.panel_texts();
    let place = m.territoire.as_ref().map(|t| format!(" · {}", t.nom)).unwrap_or_default();
    let total = format!("{}{place}", format::count(texts, lang, m.total));
    let (contracts, jobs) = rows(&m, lang);
    let note = (m.echantillon > 0 && !jobs.is_empty())
        .then(|| panel_texts.market_sample.replace("{n}", &format::number(m.echantillon, lang)));
    view! {
        <Heading depth=2 class="oe-market__title" id="oe-market-title">{panel_texts.market_title}</Heading>
        <p class="oe-market__total">{total}</p>
        {bars(panel_texts.market_contracts, contracts)}
        {bars(panel_texts.market_jobs, jobs)}
        {note.map(|n| view! { <p class="oe-market__note">{n}</p> })}
        {f.map(figures)}
    }
}

crate::split::part!(
    /// The market panel, with its requests, the decoding of their answers and its view: loaded
    /// before the module takes over from a first view that shows it (`prepare` in main.rs),
    /// else when the widget mounts (see [`crate::panel::lazy`]); in the module itself on the
    /// server.
    PANEL,
    market,
    fn(Panels) -> AnyView,
    |first| view! { <MarketPanel first /> }.into_any()
);

/// The market panel: the overview and the official figures of the search's territory, fetched
/// together again when the territory changes (not for every search).
#[component]
fn MarketPanel(
    /// The answers the proxy found for the first view.
    first: Panels,
) -> impl IntoView {
    let (c, search) = (ctx(), search());
    let api = StoredValue::new(c.api);
    let url = Memo::new(move |_| search.params.with(|p| api.with_value(|a| a.market_url(p))));
    let first = first.marche.map(|m| (m, first.indicateurs));
    let shown = follow(first, url, move |p| {
        let api = api.get_value();
        async move {
            // A failure leaves the panel out: the search itself says what is wrong. The
            // official figures are optional: not offered or failing, they are left out.
            let (m, f) = futures::join!(api.market(&p), api.indicators(&p));
            m.ok().map(|m| (m, f.ok()))
        }
    });
    view! {
        <section
            class="oe-market"
            part="market"
            aria-labelledby="oe-market-title"
            data-testid="market"
            hidden=move || shown.with(Option::is_none)
        >
            {move || {
                let (m, f) = shown.get()?;
                Some(overview(typed(m)?, f.and_then(typed)).into_any())
            }}
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
