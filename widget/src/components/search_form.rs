//! The search form: keywords and the search button, in a `role="search"` landmark.

use leptos::prelude::*;

use crate::i18n::Texts;

/// Keyword field and button. Submitting calls `on_search` with the keywords.
#[component]
pub fn SearchForm(
    /// Keywords shown at start.
    initial: String,
    /// The message catalogue.
    texts: &'static Texts,
    /// Called with the keywords on submit.
    on_search: Callback<String>,
) -> impl IntoView {
    let keywords = RwSignal::new(initial);
    // Label and field live in the same shadow root, so the `for`/`id` pair works.
    let field_id = "oe-keywords";
    view! {
        <form
            class="oe-form"
            part="form"
            role="search"
            aria-label=texts.search_region
            on:submit=move |ev| {
                ev.prevent_default();
                on_search.run(keywords.get_untracked());
            }
        >
            <label class="oe-label" for=field_id>{texts.keywords_label}</label>
            <div class="oe-form__row">
                <input
                    id=field_id
                    class="oe-input"
                    type="search"
                    name="q"
                    autocomplete="off"
                    maxlength="200"
                    placeholder=texts.keywords_placeholder
                    prop:value=move || keywords.get()
                    on:input=move |ev| keywords.set(event_target_value(&ev))
                />
                <button class="oe-button" part="button" type="submit">{texts.search_button}</button>
            </div>
        </form>
    }
}
