//! The search form: keywords and the search button in a `role="search"` landmark, the place,
//! then the radius, sort and page-size lists, which search as soon as they change.

use leptos::prelude::*;

use super::place_picker::PlacePicker;
use super::settings::Settings;
use crate::api::ApiClient;
use crate::i18n::{Lang, Texts};
use crate::state::SearchState;

/// Keywords, radius, sort and page size.
#[component]
pub fn SearchForm(
    /// The message catalogue.
    texts: &'static Texts,
    /// Interface language.
    lang: Lang,
    /// The widget's search.
    search: SearchState,
    /// The proxy's API (place suggestions).
    api: StoredValue<ApiClient>,
    /// Whether the webmaster locked the place.
    lock_place: bool,
) -> impl IntoView {
    let keywords = RwSignal::new(search.params.get_untracked().q);
    // An answer for other keywords (a suggestion, a deep link) shows them in the field.
    Effect::new(move |_| keywords.set(search.params.with(|p| p.q.clone())));
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
                let q = keywords.get_untracked();
                search.apply(|p| p.q = q);
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
            {(!lock_place).then(|| view! { <PlacePicker texts=texts search=search api=api /> })}
            <Settings texts=texts lang=lang search=search keys=&["rayon", "tri", "par_page"] />
        </form>
    }
}
