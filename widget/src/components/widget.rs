//! The root component: owns the search state, runs searches, and lays out the form, filters,
//! status, results and detail. The proxy renders it for the first view (`ssr`, with the answer
//! it found as [`FirstView`]); the browser module then mounts it with the same first view, so
//! that it shows the same thing without searching again.

use leptos::prelude::*;

use super::empty_state::EmptyState;
use super::filters::FilterPanel;
use super::heading::Heading;
use super::offer_detail::OfferDetail;
use super::result_list::ResultList;
use super::search_form::SearchForm;
use super::status::{ErrorNotice, StatusLine};
use crate::api::{ApiClient, FetchError};
use crate::config::WidgetConfig;
use crate::link::DeepLink;
use crate::pages::Pages;
use crate::panel::lazy;
use crate::params::Recherche;
use crate::state::{Ctx, FirstView, SearchState, Suggestion};

/// The whole widget for one element.
#[component]
pub fn Widget(
    /// Settings from the element's attributes.
    config: WidgetConfig,
    /// The proxy's API.
    api: ApiClient,
    /// The search to start with (see [`crate::state::start`]).
    start: Recherche,
    /// The offer to open at start (from a deep link).
    start_offer: Option<String>,
    /// The widget's parameter in the page URL (in the browser only).
    link: Option<DeepLink>,
    /// The first view the proxy rendered, to take over from (or to render, on the server).
    first: Option<FirstView>,
    /// The widget's pages on the proxy; by default under the API's root, with the settings.
    #[prop(optional)]
    pages: Option<Pages>,
    /// Renders a plain page (no JavaScript): a GET form and links (see [`crate::pages`]).
    #[prop(optional)]
    plain: bool,
) -> impl IntoView {
    let lang = config.lang;
    let texts = lang.texts();
    let pages = pages.unwrap_or_else(|| Pages::of_config(api.base(), &config));
    let ctx = Ctx { lang, texts, api, pages, plain };
    let plain = ctx.plain();
    provide_context(ctx.clone());
    // The first view counts only if it is this very search.
    let first = first.filter(|f| f.recherche == crate::link::encode_state(&start, None));
    let taken_over = first.is_some();
    let first = first.unwrap_or_default();
    let mut start = start;
    if taken_over {
        // Fewer pages than asked for (a link past the last offer): the page is the last one
        // shown, so that "Afficher plus" goes on from there.
        let shown = (first.offres.len() as u32).div_ceil(start.par_page.max(1)).max(1);
        start.page = start.page.min(shown);
    }
    let known = match &first.reponse {
        Some(r) if start.types_contrat.is_empty() => {
            r.facettes.type_contrat.iter().map(|f| f.valeur.clone()).collect()
        }
        _ => Vec::new(),
    };
    let metier = first.reponse.as_ref().and_then(|r| r.metier.clone());
    let params = RwSignal::new(start);
    let mut search = SearchState {
        params,
        response: RwSignal::new(first.reponse),
        offers: RwSignal::new(first.offres),
        loading: RwSignal::new(false),
        error: RwSignal::new(first.erreur.map(FetchError::Api)),
        known_contracts: RwSignal::new(known),
        metier: RwSignal::new(metier),
        suggestions: RwSignal::new(Vec::<Suggestion>::new()),
        open_offer: RwSignal::new(start_offer),
        run: Callback::new(|_| {}),
    };
    search.run = runner(search, ctx);
    provide_context(search);
    #[cfg(feature = "csr")]
    {
        // Residents land on the offers of their territory: search once at start, unless the
        // proxy already did.
        if !taken_over {
            search.run.run(params.get_untracked());
        } else if let Some(r) = search.response.get_untracked() {
            // The host page hears the first search as if the module had run it.
            let p = params.get_untracked();
            if let Some(e) = crate::events::emitter().and_then(|e| e.try_get_value()) {
                e.emit("recherche", &browser::search_event(&p, &r));
            }
            if r.total == 0 {
                count_suggestions(search, crate::state::ctx(), p);
            }
        }
        if let Some(link) = link {
            follow_history(link, search);
        }
    }
    #[cfg(not(feature = "csr"))]
    let _ = link;

    let print = StoredValue::new(crate::state::ctx().pages);
    let title = config.titre.unwrap_or_else(|| texts.title.to_owned());
    let panels = crate::panel::Panels {
        marche: first.marche,
        indicateurs: first.indicateurs,
        evenements: first.evenements,
    };
    let market = config.marche.then(|| lazy(&super::market::PANEL, panels.clone()));
    let agenda = config.evenements.then(|| lazy(&super::agenda::PANEL, panels));
    view! {
        <div class="oe-root" part="root" lang=lang.tag()>
            <Heading depth=1 class="oe-title" part="title">{title}</Heading>
            <SearchForm lock_place=config.verrouiller_lieu />
            <FilterPanel />
            <StatusLine />
            <ErrorNotice />
            <EmptyState />
            <ResultList />
            {market}
            {agenda}
            {(!plain).then(|| view! { <OfferDetail /> })}
            <p class="oe-source" part="source" data-testid="source">
                {texts.source}
                {move || {
                    search
                        .response
                        .with(|r| {
                            r.as_ref()
                                .and_then(|r| r.mis_a_jour.as_deref())
                                .and_then(|d| crate::format::update_date(d, lang))
                        })
                        .map(|date| {
                            view! {
                                ", "
                                <span data-testid="updated">
                                    {texts.updated_on.replace("{date}", &date)}
                                </span>
                            }
                        })
                }}
                " · "
                <a
                    class="oe-link"
                    part="licence"
                    href=emploi_types::api::LICENCE_URL
                    target="_blank"
                    rel="noopener"
                    data-testid="licence"
                >
                    {texts.licence_link}
                </a>
                " · "
                <a
                    class="oe-link"
                    part="print"
                    href=move || print.with_value(|pages| pages.print(&params.get()))
                    target="_blank"
                    data-testid="print"
                >
                    {texts.print_action}
                </a>
                " · "
                <a
                    class="oe-link"
                    part="feed"
                    href=move || print.with_value(|pages| pages.feed(&params.get()))
                    type="application/atom+xml"
                    data-testid="feed"
                >
                    {texts.follow_search}
                </a>
            </p>
        </div>
    }
}

/// The callback that runs a search: it shows pages 1 to the search's page (or appends the next
/// page for "Afficher plus"), keeps the answer of the latest search only, and counts the next
/// best searches after an empty answer.
fn runner(state: SearchState, ctx: Ctx) -> Callback<Recherche> {
    // Each search takes a number; answers to older searches are dropped.
    let latest = StoredValue::new(0u64);
    #[cfg(feature = "csr")]
    let emitter = crate::events::emitter();
    Callback::new(move |p: Recherche| {
        #[cfg(feature = "csr")]
        browser::run(state, &ctx, emitter, latest, p);
        #[cfg(not(feature = "csr"))]
        let _ = (state, &ctx, latest, p);
    })
}

#[cfg(feature = "csr")]
use browser::{count_suggestions, follow_history};

/// What only the browser does: fetching, history, events.
#[cfg(feature = "csr")]
mod browser {
    use emploi_types::api::GenreTerritoire;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsValue;

    use emploi_types::api::SearchResponse;

    use super::*;
    use crate::components::empty_state::candidates;
    use crate::format;
    use crate::link::{decode_state, encode_state};

    /// The `offres-emploi:recherche` event detail of an answer.
    pub(super) fn search_event(p: &Recherche, r: &SearchResponse) -> [(&'static str, JsValue); 6] {
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

    pub(super) fn run(
        state: SearchState,
        ctx: &Ctx,
        emitter: Option<StoredValue<crate::events::Emitter, LocalStorage>>,
        latest: StoredValue<u64>,
        p: Recherche,
    ) {
        let params = state.params;
        let api = ctx.api.clone();
        let ctx = ctx.clone();
        let number = latest.get_value() + 1;
        latest.set_value(number);
        // "Afficher plus" asks for the page after the current one: that page is appended. Any
        // other search, a link to page 3 included, shows pages 1 to its own.
        let more = params.with_untracked(|cur| cur.page + 1 == p.page && cur.same_search(&p));
        let requests = if more { vec![p.clone()] } else { p.pages_up_to() };
        state.loading.set(true);
        state.error.set(None);
        state.suggestions.set(Vec::new());
        params.set(p.clone());
        spawn_local(async move {
            let mut complete = false;
            for (i, request) in requests.iter().enumerate() {
                let result = api.search(request).await;
                // The widget may have been unmounted, or a newer search started, meanwhile: then
                // the answer is dropped (the `try_` accessors return `None` once the owner is
                // disposed).
                if latest.try_get_value() != Some(number) {
                    return;
                }
                let r = match result {
                    Ok(r) => r,
                    Err(e) => {
                        state.error.try_set(Some(e));
                        break;
                    }
                };
                if p.types_contrat.is_empty() {
                    let seen = r.facettes.type_contrat.iter().map(|f| f.valeur.clone());
                    state.known_contracts.try_set(seen.collect());
                }
                if r.metier.is_some() {
                    state.metier.try_set(r.metier.clone());
                }
                if more || i > 0 {
                    state.offers.try_update(|list| crate::state::append(list, &r.offres));
                } else {
                    state.offers.try_set(r.offres.clone());
                }
                // The last request, or the end of the offers before it.
                let ended = r.offres.len() < request.par_page as usize;
                if i + 1 == requests.len() || ended {
                    complete = i + 1 == requests.len();
                    if let Some(e) = emitter.and_then(|e| e.try_get_value()) {
                        e.emit("recherche", &search_event(&p, &r));
                    }
                    let empty = r.total == 0;
                    state.response.try_set(Some(r));
                    if empty {
                        count_suggestions(state, ctx.clone(), p.clone());
                    }
                    break;
                }
            }
            // Fewer pages than asked for (an error, or a link past the last offer): the page is
            // the last one shown, so that "Afficher plus" goes on from there.
            if !complete {
                let shown = state.offers.try_with_untracked(Vec::len).unwrap_or(0) as u32;
                let page = shown.div_ceil(p.par_page.max(1)).max(1);
                if page < p.page {
                    params.try_update(|cur| cur.page = page);
                }
            }
            state.loading.try_set(false);
        });
    }

    /// Keeps the page URL and the widget in step: each new search or opened offer is a history
    /// entry (more pages of the same search are not), and back and forward restore the widget.
    pub(super) fn follow_history(link: DeepLink, search: SearchState) {
        let link = StoredValue::new(link);
        Effect::new(move |previous: Option<(Recherche, Option<String>)>| {
            let offre = search.open_offer.get();
            let p = search.params.get();
            // The state at mount is the page's own URL: nothing to record. More pages of the
            // same search replace the entry; anything else is a new one. No entry when the URL
            // already says so (after back or forward, for instance).
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

    /// Counts the next best searches after an empty answer to `p` (at most three small
    /// requests, marked optional so that the proxy serves them from spare capacity only) and
    /// offers those that find something.
    pub(crate) fn count_suggestions(state: SearchState, ctx: Ctx, p: Recherche) {
        let Ctx { api, texts, lang, .. } = ctx;
        for (label, params) in candidates(&p, texts) {
            let api = api.clone();
            let wanted = p.clone();
            spawn_local(async move {
                let probe = Recherche { par_page: 1, ..params.clone() };
                let Ok(r) = api.probe(&probe).await else { return };
                // Dropped when another search started meanwhile.
                if r.total == 0 || state.params.try_with_untracked(|c| *c == wanted) != Some(true) {
                    return;
                }
                let count = format::count(texts, lang, r.total);
                let label = format!("{label}{}{count}", texts.colon);
                state.suggestions.try_update(|list| list.push(Suggestion { label, params }));
            });
        }
    }
}
