//! The root component: owns the search state and wires the form, the status line and the list.

use emploi_types::api::{OffreResume, SearchResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::result_list::ResultList;
use super::search_form::SearchForm;
use super::status::{ErrorNotice, StatusLine};
use crate::api::{ApiClient, FetchError, SearchParams};
use crate::config::WidgetConfig;
use crate::events::Emitter;
use wasm_bindgen::JsValue;

/// The whole widget for one element.
#[component]
pub fn Widget(
    /// Settings from the element's attributes.
    config: WidgetConfig,
    /// The proxy's API.
    api: ApiClient,
    /// Events for the host page.
    emitter: Emitter,
) -> impl IntoView {
    let emitter = StoredValue::new_local(emitter);
    provide_context(emitter);
    let lang = config.lang;
    let texts = lang.texts();
    let base_params = SearchParams {
        q: config.mots_cles.clone(),
        commune: config.commune.clone(),
        epci: config.epci.clone(),
        departement: config.departement.clone(),
        rayon: config.commune.as_ref().map(|_| config.rayon),
        types_contrat: config.types_contrat.clone(),
        tri: config.tri.clone(),
        page: 1,
        par_page: config.par_page,
    };
    let params = RwSignal::new(base_params);
    let response = RwSignal::new(None::<SearchResponse>);
    let offers = RwSignal::new(Vec::<OffreResume>::new());
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<FetchError>);
    // Each search takes a number; answers to older searches are dropped.
    let generation = StoredValue::new(0u64);

    let api = StoredValue::new(api);
    let run = move |p: SearchParams| {
        let api = api.get_value();
        let number = generation.get_value() + 1;
        generation.set_value(number);
        loading.set(true);
        error.set(None);
        params.set(p.clone());
        spawn_local(async move {
            let result = api.search(&p).await;
            // The widget may have been unmounted, or a newer search started, meanwhile: then the
            // answer is dropped (the `try_` accessors return `None` once the owner is disposed).
            if generation.try_get_value() != Some(number) {
                return;
            }
            match result {
                Ok(r) => {
                    let (kind, code, rayon) = match &r.territoire {
                        Some(t) => {
                            let kind = match t.genre {
                                emploi_types::api::GenreTerritoire::Commune => "commune",
                                emploi_types::api::GenreTerritoire::Epci => "epci",
                                emploi_types::api::GenreTerritoire::Departement => "departement",
                            };
                            (JsValue::from_str(kind), JsValue::from_str(&t.code), t.rayon)
                        }
                        None => (JsValue::NULL, JsValue::NULL, None),
                    };
                    let detail = [
                        ("q", JsValue::from_str(&p.q)),
                        ("territoire", kind),
                        ("code", code),
                        ("rayon", rayon.map_or(JsValue::NULL, JsValue::from)),
                        ("page", JsValue::from(p.page)),
                        ("total", JsValue::from(r.total)),
                    ];
                    if let Some(e) = emitter.try_get_value() {
                        e.emit("recherche", &detail);
                    }
                    if p.page > 1 {
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
                    response.try_set(Some(r));
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
            loading.try_set(false);
        });
    };

    let search = Callback::new(move |q: String| {
        let mut p = params.get_untracked();
        p.q = q;
        p.page = 1;
        run(p);
    });
    let retry = Callback::new(move |()| run(params.get_untracked()));
    let more = Callback::new(move |()| {
        let mut p = params.get_untracked();
        p.page += 1;
        run(p);
    });
    // Residents land on the offers of their territory: search once at start.
    run(params.get_untracked());

    let title = config.titre.clone().unwrap_or_else(|| texts.title.to_owned());
    view! {
        <div class="oe-root" part="root" lang=lang.tag()>
            <h2 class="oe-title" part="title">{title}</h2>
            <SearchForm initial=config.mots_cles texts=texts on_search=search />
            <StatusLine texts=texts lang=lang response=response loading=loading />
            <ErrorNotice texts=texts error=error on_retry=retry />
            <ResultList
                texts=texts
                lang=lang
                offers=offers
                response=response
                loading=loading
                on_more=more
            />
            <p class="oe-source">{texts.source}</p>
        </div>
    }
}
