//! The search state of one widget instance, shared by its components as a `Copy` handle.
//!
//! Components read the signals and change the search through [`SearchState::apply`]; only the
//! root component runs searches (see `components/widget.rs`).

use emploi_types::api::{OffreResume, SearchResponse};
use leptos::prelude::*;

use crate::api::FetchError;
use crate::params::SearchParams;

/// One next-best action for an empty result: a label, the search it runs and its offer count.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// What the button says, count included ("Élargir à 30 km : 48 offres").
    pub label: String,
    /// The search it runs.
    pub params: SearchParams,
}

/// Signals of one widget's search. Every field is a cheap handle: the struct is `Copy`.
#[derive(Clone, Copy)]
pub struct SearchState {
    /// The current (or running) search.
    pub params: RwSignal<SearchParams>,
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
    /// Next-best actions after an empty result.
    pub suggestions: RwSignal<Vec<Suggestion>>,
    /// The offer whose detail is open.
    pub open_offer: RwSignal<Option<String>>,
    /// Runs a search (set by the root component).
    pub run: Callback<SearchParams>,
}

impl SearchState {
    /// Changes the current search with `change`, back to page 1, and runs it.
    pub fn apply(self, change: impl FnOnce(&mut SearchParams)) {
        let mut p = self.params.get_untracked();
        change(&mut p);
        p.page = 1;
        self.run.run(p);
    }
}
