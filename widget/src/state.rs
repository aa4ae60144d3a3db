//! The search state of one widget instance and what its components share through context: the
//! language, its texts and the proxy's API ([`Ctx`]), and the search signals ([`SearchState`]).
//!
//! Components read the signals and change the search through [`SearchState::apply`]; only the
//! root component runs searches (see `components/widget.rs`).

use emploi_types::api::{
    ApiError, Evenements, Indicateurs, Marche, MetierChoix, OffreResume, SearchResponse,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{ApiClient, FetchError};
use crate::config::WidgetConfig;
use crate::i18n::{Lang, Texts};
use crate::link::{decode_state, encode_state};
use crate::pages::Pages;
use crate::panel::Answer;
use crate::params::Recherche;

/// What every component of one widget reads: its language, texts and API.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Interface language.
    pub lang: Lang,
    /// The message catalogue of [`Ctx::lang`].
    pub texts: &'static Texts,
    /// The proxy's API.
    pub api: ApiClient,
    /// The widget's own pages on the proxy (the print view, and every link of a plain page).
    pub pages: Pages,
    /// A plain page (no JavaScript): links and a GET form instead of the module's handlers.
    /// Read through [`Ctx::plain`].
    pub plain: bool,
}

impl Ctx {
    /// Whether this is a plain page. Only the server renders those: in the browser's module
    /// (built without `ssr`) this is `false` at compile time, so the plain-page branches of the
    /// components are left out of the WebAssembly.
    pub fn plain(&self) -> bool {
        cfg!(feature = "ssr") && self.plain
    }
}

/// The enclosing widget's [`Ctx`].
pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// The enclosing widget's [`SearchState`].
pub fn search() -> SearchState {
    expect_context::<SearchState>()
}

/// One next-best action for an empty result: a label, the search it runs and its offer count.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// What the button says, count included ("Élargir à 30 km : 48 offres").
    pub label: String,
    /// The search it runs.
    pub params: Recherche,
}

/// Signals of one widget's search. Every field is a cheap handle: the struct is `Copy`.
#[derive(Clone, Copy)]
pub struct SearchState {
    /// The current (or running) search.
    pub params: RwSignal<Recherche>,
    /// The last answer.
    pub response: RwSignal<Option<SearchResponse>>,
    /// Offers shown so far (pages appended by "Afficher plus").
    pub offers: RwSignal<Vec<OffreResume>>,
    /// Whether a search is running.
    pub loading: RwSignal<bool>,
    /// The last failure, cleared by the next search.
    pub error: RwSignal<Option<FetchError>>,
    /// Contract types seen in the last answer without a contract filter, so that the resident can
    /// add one to a filtered search.
    pub known_contracts: RwSignal<Vec<String>>,
    /// The last métier named, by the resident's choice or by an answer: the chip's label.
    pub metier: RwSignal<Option<MetierChoix>>,
    /// Next-best actions after an empty result.
    pub suggestions: RwSignal<Vec<Suggestion>>,
    /// The offer whose detail is open.
    pub open_offer: RwSignal<Option<String>>,
    /// Runs a search (set by the root component).
    pub run: Callback<Recherche>,
}

impl SearchState {
    /// Changes the current search with `change`, back to page 1, and runs it.
    pub fn apply(self, change: impl FnOnce(&mut Recherche)) {
        let mut p = self.params.get_untracked();
        change(&mut p);
        p.page = 1;
        self.run.run(p);
    }
}

/// The search a widget starts with: its element's settings, or the deep link in the page URL
/// (`link`, the value of its parameter) over them. Also returns the settings' own state as a
/// link value, which the URL leaves out.
pub fn start(config: &WidgetConfig, link: Option<&str>) -> (Recherche, Option<String>, String) {
    let own = config.recherche.clone();
    let default = encode_state(&own, None);
    match link.filter(|l| !l.is_empty()) {
        Some(value) => {
            let (p, offre) = decode_state(value, &own);
            (p, offre, default)
        }
        None => (own, None, default),
    }
}

/// Appends the offers of `more` that `list` does not show yet (pages can overlap when offers
/// come and go between two requests).
pub fn append(list: &mut Vec<OffreResume>, more: &[OffreResume]) {
    for o in more {
        if !list.iter().any(|x| x.id == o.id) {
            list.push(o.clone());
        }
    }
}

/// A widget's first state, found by the proxy and rendered there: the wasm module takes over
/// from it without searching again.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FirstView {
    /// The search, as the link value of [`encode_state`] (the module checks that it starts
    /// with the same one).
    pub recherche: String,
    /// The last answer (of the last page shown).
    pub reponse: Option<SearchResponse>,
    /// Every offer shown (pages 1 to the search's page).
    pub offres: Vec<OffreResume>,
    /// Why the search failed, when it did.
    pub erreur: Option<ApiError>,
    /// The market overview, when the element asks for it.
    pub marche: Option<Answer<Marche>>,
    /// The official figures, with the market overview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicateurs: Option<Answer<Indicateurs>>,
    /// The coming events, when the element asks for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evenements: Option<Answer<Evenements>>,
}

impl FirstView {
    /// The first view of `p` from the answers to its requests ([`Recherche::pages_up_to`]),
    /// in order; `error` when one failed (the offers before it are kept, as the widget does).
    pub fn new(p: &Recherche, answers: Vec<SearchResponse>, error: Option<ApiError>) -> Self {
        let mut offres: Vec<OffreResume> = Vec::new();
        for r in &answers {
            append(&mut offres, &r.offres);
        }
        Self {
            recherche: encode_state(p, None),
            reponse: answers.into_iter().last(),
            offres,
            erreur: error,
            marche: None,
            indicateurs: None,
            evenements: None,
        }
    }
}
