//! The polite live region that says what was found, and the error notice.

use emploi_types::api::SearchResponse;
use leptos::prelude::*;

use crate::api::FetchError;
use crate::format;
use crate::i18n::{Lang, Texts};

/// "124 offres à moins de 10 km de Rennes", or the loading text before the first answer.
#[component]
pub fn StatusLine(
    /// The message catalogue.
    texts: &'static Texts,
    /// Interface language.
    lang: Lang,
    /// The last answer.
    response: RwSignal<Option<SearchResponse>>,
    /// Whether a search is running.
    loading: RwSignal<bool>,
) -> impl IntoView {
    let sentence = move || match (response.get(), loading.get()) {
        (None, true) => texts.loading.to_owned(),
        (Some(r), _) => format::summary(texts, lang, &r),
        (None, false) => String::new(),
    };
    view! {
        <p class="oe-status" role="status" aria-live="polite" data-testid="status">{sentence}</p>
        <Show when=move || response.get().is_some_and(|r| r.stale)>
            <p class="oe-notice" data-testid="stale">{texts.stale_notice}</p>
        </Show>
    }
}

/// A readable error with a retry button; nothing when there is no error.
#[component]
pub fn ErrorNotice(
    /// The message catalogue.
    texts: &'static Texts,
    /// The current error.
    error: RwSignal<Option<FetchError>>,
    /// Called by the retry button.
    on_retry: Callback<()>,
) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some()>
            <div class="oe-error" part="error" role="alert" data-testid="error">
                <p>{move || error.get().map(|e| e.message(texts)).unwrap_or_default()}</p>
                <button class="oe-button oe-button--secondary" type="button" on:click=move |_| on_retry.run(())>
                    {texts.retry}
                </button>
            </div>
        </Show>
    }
}
