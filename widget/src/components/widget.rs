//! The root component: owns the search state, runs searches, and lays out the form, filters,
//! status, results and detail.

use emploi_types::api::{GenreTerritoire, OffreResume, SearchResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::empty_state::{EmptyState, candidates};
use super::filters::FilterPanel;
use super::market::MarketPanel;
use super::offer_detail::OfferDetail;
use super::result_list::ResultList;
use super::search_form::SearchForm;
use super::status::{ErrorNotice, StatusLine};
use crate::api::{ApiClient, FetchError};
use crate::config::WidgetConfig;
use crate::events::Emitter;
use crate::format;
use crate::link::{DeepLink, decode_state, encode_state};
use crate::params::SearchParams;
use crate::state::{SearchState, Suggestion};

/// The `offres-emploi:recherche` event detail of an answer.
fn search_event(p: &SearchParams, r: &SearchResponse) -> [(&'static str, JsValue); 6] {
    let (kind, code, rayon) = match &r.territoire {
        Some(t) => {
            let kind = match t.genre {
                GenreTerritoire::Commune => "commune",
                GenreTerritoire::Epci => "epci",
                GenreTerritoire::Departement => "departement",
            };
            (JsValue::from_str(kind), JsValue::from_str(&t.code), t.rayon)
        }
        None => (JsValue::NULL, JsValue::NULL, None),
    };
    [
        ("q", JsValue::from_str(&p.q)),
        ("territoire", kind),
        ("code", code),
        ("rayon", rayon.map_or(JsValue::NULL, JsValue::from)),
        ("page", JsValue::from(p.page)),
        ("total", JsValue::from(r.total)),
    ]
}

/// The whole widget for one element.
#[component]
pub fn Widget(
    /// Settings from the element's attributes.
    config: WidgetConfig,
    /// The proxy's API.
    api: ApiClient,
    /// Events for the host page.
    emitter: Emitter,
    /// The widget's parameter in the page URL.
    link: DeepLink,
) -> impl IntoView {
    let emitter = StoredValue::new_local(emitter);
    provide_context(emitter);
    let lang = config.lang;
    let texts = lang.texts();
    let start = SearchParams {
        q: config.mots_cles.clone(),
        commune: config.commune.clone(),
        epci: config.epci.clone(),
        departement: config.departement.clone(),
        rayon: config.commune.as_ref().map(|_| config.rayon),
        types_contrat: config.types_contrat.clone(),
        tri: config.tri.clone(),
        page: 1,
        par_page: config.par_page,
        ..SearchParams::default()
    };
    // A link to this page with our parameter reopens that search (and offer).
    let link = link.with_default(encode_state(&start, None));
    let (start, start_offer) = match link.read() {
        Some(value) => decode_state(&value, &start),
        None => (start, None),
    };
    let params = RwSignal::new(start);
    let open_offer = RwSignal::new(start_offer);
    let response = RwSignal::new(None::<SearchResponse>);
    let offers = RwSignal::new(Vec::<OffreResume>::new());
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<FetchError>);
    let known_contracts = RwSignal::new(Vec::<String>::new());
    let suggestions = RwSignal::new(Vec::<Suggestion>::new());
    // Each search takes a number; answers to older searches are dropped.
    let generation = StoredValue::new(0u64);
    let api = StoredValue::new(api);

    let run = Callback::new(move |p: SearchParams| {
        let api = api.get_value();
        let number = generation.get_value() + 1;
        generation.set_value(number);
        // "Afficher plus" asks for the page after the current one: that page is appended. Any
        // other search, a link to page 3 included, shows pages 1 to its own.
        let more = params.with_untracked(|cur| cur.page + 1 == p.page && cur.same_search(&p));
        let requests = if more { vec![p.clone()] } else { p.pages_up_to() };
        loading.set(true);
        error.set(None);
        suggestions.set(Vec::new());
        params.set(p.clone());
        spawn_local(async move {
            let mut complete = false;
            for (i, request) in requests.iter().enumerate() {
                let result = api.search(request).await;
                // The widget may have been unmounted, or a newer search started, meanwhile: then
                // the answer is dropped (the `try_` accessors return `None` once the owner is
                // disposed).
                if generation.try_get_value() != Some(number) {
                    return;
                }
                let r = match result {
                    Ok(r) => r,
                    Err(e) => {
                        error.try_set(Some(e));
                        break;
                    }
                };
                if p.types_contrat.is_empty() {
                    let seen = r.facettes.type_contrat.iter().map(|f| f.valeur.clone());
                    known_contracts.try_set(seen.collect());
                }
                if more || i > 0 {
                    offers.try_update(|list| {
                        for o in &r.offres {
                            if !list.iter().any(|x| x.id == o.id) {
                                list.push(o.clone());
                            }
                        }
                    });
                } else {
                    offers.try_set(r.offres.clone());
                }
                // The last request, or the end of the offers before it.
                let ended = r.offres.len() < request.par_page as usize;
                if i + 1 == requests.len() || ended {
                    complete = i + 1 == requests.len();
                    if let Some(e) = emitter.try_get_value() {
                        e.emit("recherche", &search_event(&p, &r));
                    }
                    if r.total == 0 {
                        count_suggestions(&api, &p, number, generation, suggestions);
                    }
                    response.try_set(Some(r));
                    break;
                }
            }
            // Fewer pages than asked for (an error, or a link past the last offer): the page is
            // the last one shown, so that "Afficher plus" goes on from there.
            if !complete {
                let shown = offers.try_with_untracked(Vec::len).unwrap_or(0) as u32;
                let page = shown.div_ceil(p.par_page.max(1)).max(1);
                if page < p.page {
                    params.try_update(|cur| cur.page = page);
                }
            }
            loading.try_set(false);
        });
    });
    let search = SearchState {
        params,
        response,
        offers,
        loading,
        error,
        known_contracts,
        suggestions,
        open_offer,
        run,
    };
    // Residents land on the offers of their territory: search once at start.
    run.run(params.get_untracked());
    follow_history(link, search);

    let title = config.titre.unwrap_or_else(|| texts.title.to_owned());
    view! {
        <div class="oe-root" part="root" lang=lang.tag()>
            <h2 class="oe-title" part="title">{title}</h2>
            <SearchForm texts=texts lang=lang search=search api=api lock_place=config.verrouiller_lieu />
            <FilterPanel texts=texts lang=lang search=search />
            <StatusLine texts=texts lang=lang search=search />
            <ErrorNotice texts=texts search=search />
            <EmptyState texts=texts search=search />
            <ResultList texts=texts lang=lang search=search />
            {config.marche.then(|| view! { <MarketPanel texts=texts lang=lang search=search api=api /> })}
            <OfferDetail texts=texts lang=lang search=search api=api />
            <p class="oe-source">{texts.source}</p>
        </div>
    }
}

/// Keeps the page URL and the widget in step: each new search or opened offer is a history
/// entry (more pages of the same search are not), and back and forward restore the widget.
fn follow_history(link: DeepLink, search: SearchState) {
    let link = StoredValue::new(link);
    Effect::new(move |previous: Option<(SearchParams, Option<String>)>| {
        let offre = search.open_offer.get();
        let p = search.params.get();
        // The state at mount is the page's own URL: nothing to record. More pages of the same
        // search replace the entry; anything else is a new one. No entry when the URL already
        // says so (after back or forward, for instance).
        if let Some((before, before_offre)) = previous {
            let replace = before_offre == offre && before.same_search(&p);
            link.with_value(|l| l.write(&encode_state(&p, offre.as_deref()), replace));
        }
        (p, offre)
    });
    let listener = window_event_listener(leptos::ev::popstate, move |_| {
        let Some(link) = link.try_get_value() else { return };
        let base = search.params.get_untracked();
        let (p, offre) = match link.read() {
            Some(value) => decode_state(&value, &base),
            None => decode_state("", &base),
        };
        if !search.params.with_untracked(|a| *a == p) {
            search.run.run(p);
        }
        search.open_offer.set(offre);
    });
    on_cleanup(move || listener.remove());
}

/// Counts the next best searches after an empty answer (at most three small requests, marked
/// optional so that the proxy serves them from spare capacity only) and offers those that find
/// something.
fn count_suggestions(
    api: &crate::api::ApiClient,
    p: &SearchParams,
    number: u64,
    generation: StoredValue<u64>,
    suggestions: RwSignal<Vec<Suggestion>>,
) {
    let lang_texts = api.texts();
    for (label, params) in candidates(p, lang_texts.0) {
        let api = api.clone();
        spawn_local(async move {
            let probe = SearchParams { par_page: 1, ..params.clone() };
            let Ok(r) = api.probe(&probe).await else { return };
            if r.total == 0 || generation.try_get_value() != Some(number) {
                return;
            }
            let label = format!(
                "{label}{}{}",
                lang_texts.0.colon,
                format::count(lang_texts.0, lang_texts.1, r.total)
            );
            suggestions.try_update(|list| list.push(Suggestion { label, params }));
        });
    }
}
