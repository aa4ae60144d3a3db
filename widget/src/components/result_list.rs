//! The list of result cards, the "more" button and the cap notice.

use emploi_types::api::{OffreResume, SearchResponse};
use leptos::prelude::*;

use super::offer_card::OfferCard;
use crate::i18n::{Lang, Texts};

/// Result cards. While a new search runs, the current cards stay and the list is marked busy.
#[component]
pub fn ResultList(
    /// The message catalogue.
    texts: &'static Texts,
    /// Interface language.
    lang: Lang,
    /// Offers shown so far (pages appended).
    offers: RwSignal<Vec<OffreResume>>,
    /// The last answer.
    response: RwSignal<Option<SearchResponse>>,
    /// Whether a search is running.
    loading: RwSignal<bool>,
    /// Loads the next page.
    on_more: Callback<()>,
) -> impl IntoView {
    let reachable = move || response.get().map_or(0, |r| r.accessibles) as usize;
    let has_more = move || offers.with(Vec::len) < reachable();
    let capped = move || {
        response.get().is_some_and(|r| r.total > r.accessibles)
            && offers.with(Vec::len) >= reachable()
    };
    let empty = move || response.get().is_some_and(|r| r.total == 0);
    view! {
        <section
            class="oe-results"
            part="results"
            aria-label=texts.results_label
            aria-busy=move || loading.get().to_string()
            class:oe-results--busy=move || loading.get()
        >
            <Show when=empty>
                <p class="oe-empty" data-testid="empty">{texts.empty_advice}</p>
            </Show>
            <ul class="oe-list" data-testid="results">
                <For each=move || offers.get() key=|o| o.id.clone() let:offre>
                    <OfferCard offre=offre texts=texts lang=lang />
                </For>
            </ul>
            <Show when=has_more>
                <button
                    class="oe-button oe-button--secondary oe-more"
                    part="pagination"
                    type="button"
                    disabled=move || loading.get()
                    on:click=move |_| on_more.run(())
                >
                    {texts.more}
                </button>
            </Show>
            <Show when=capped>
                <p class="oe-notice">{texts.cap_notice}</p>
            </Show>
        </section>
    }
}
