//! The search form: keywords and the search button in a `role="search"` landmark, the place,
//! then the radius, sort and page-size lists, which search as soon as they change.

use leptos::prelude::*;

use super::place_picker::PlacePicker;
use super::settings::Settings;
use crate::state::{ctx, search};

/// The search form's id: the filters, outside it, belong to it through `form=` (a plain page
/// submits them with it).
pub const FORM_ID: &str = "oe-form";

/// Keywords, radius, sort and page size.
#[component]
pub fn SearchForm(
    /// Whether the webmaster locked the place.
    lock_place: bool,
) -> impl IntoView {
    let (c, search) = (ctx(), search());
    let texts = c.texts;
    // A plain page's form is a GET form to the page itself, carrying the element's settings
    // and the territory (the place field is text there, which the page resolves).
    let plain = c.plain.then(|| {
        let territory = search.params.with_untracked(|p| {
            p.pairs()
                .into_iter()
                .filter(|(k, _)| matches!(*k, "commune" | "epci" | "departement"))
                .collect::<Vec<_>>()
        });
        c.pages
            .settings
            .iter()
            .cloned()
            .chain(territory)
            .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
            .collect_view()
    });
    let action = c.plain.then(|| c.pages.path.clone());
    let keywords = RwSignal::new(search.params.get_untracked().q);
    // A search for other keywords (a suggestion, a deep link) shows them in the field. Not at
    // the first run: the field already says them, or the resident typed in it before the
    // module took over from the server's view.
    Effect::new(move |first: Option<()>| {
        let q = search.params.with(|p| p.q.clone());
        if first.is_some() {
            keywords.set(q);
        }
    });
    // Label and field live in the same shadow root, so the `for`/`id` pair works.
    let field_id = "oe-keywords";
    view! {
        <form
            id=FORM_ID
            method=action.as_ref().map(|_| "get")
            action=action
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
            {plain}
            <label class="oe-label" for=field_id>{texts.keywords_label}</label>
            <div class="oe-form__row">
                // `value` for the server's HTML, the property for later changes.
                <input
                    id=field_id
                    class="oe-input"
                    type="search"
                    name="q"
                    autocomplete="off"
                    maxlength="200"
                    placeholder=texts.keywords_placeholder
                    value=keywords.get_untracked()
                    prop:value=move || keywords.get()
                    on:input=move |ev| keywords.set(event_target_value(&ev))
                />
                <button class="oe-button" part="button" type="submit">{texts.search_button}</button>
            </div>
            {(!lock_place).then(|| view! { <PlacePicker /> })}
            <Settings keys=&["rayon", "tri", "par_page"] />
        </form>
    }
}
