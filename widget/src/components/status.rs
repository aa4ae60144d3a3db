//! The polite live region that says what was found, and the error notice.

use leptos::prelude::*;

use crate::format;
use crate::state::{ctx, search};

/// "124 offres à moins de 10 km de Rennes", or the loading text before the first answer.
#[component]
pub fn StatusLine() -> impl IntoView {
    let (c, search) = (ctx(), search());
    let (texts, lang) = (c.texts, c.lang);
    let sentence = move || match (search.response.get(), search.loading.get()) {
        (None, true) => texts.loading.to_owned(),
        (Some(r), _) => format::summary(texts, lang, &r),
        (None, false) => String::new(),
    };
    view! {
        <p class="oe-status" role="status" aria-live="polite" data-testid="status">{sentence}</p>
        <p
            class="oe-notice"
            data-testid="stale"
            hidden=move || !search.response.with(|r| r.as_ref().is_some_and(|r| r.stale))
        >
            {texts.stale_notice}
        </p>
    }
}

/// A readable error with a retry button; nothing when there is no error.
#[component]
pub fn ErrorNotice() -> impl IntoView {
    let (texts, search) = (ctx().texts, search());
    let error = search.error;
    view! {
        <div
            class="oe-error"
            part="error"
            role="alert"
            data-testid="error"
            hidden=move || error.with(Option::is_none)
        >
            <p>{move || error.get().map(|e| e.message(texts)).unwrap_or_default()}</p>
            <p>
                <a
                    class="oe-link"
                    href=move || search.params.with(format::france_travail_search)
                    target="_blank"
                    rel="noopener noreferrer"
                >
                    {texts.same_search_on_ft}
                </a>
            </p>
            <button
                class="oe-button oe-button--secondary"
                type="button"
                on:click=move |_| search.run.run(search.params.get_untracked())
            >
                {texts.retry}
            </button>
        </div>
    }
}
