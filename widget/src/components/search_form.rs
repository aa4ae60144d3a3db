//! The search form: keywords and the search button in a `role="search"` landmark, the place,
//! then the radius, sort and page-size lists, which search as soon as they change.

use emploi_types::api::MetierChoix;
use leptos::prelude::*;

use super::combobox::{OptionList, Suggestions};
use super::place_picker::PlacePicker;
use super::settings::Settings;
use crate::params::Param;
use crate::state::{ctx, search};

/// The search form's id: the filters, outside it, belong to it through `form=` (a plain page
/// submits them with it).
pub const FORM_ID: &str = "oe-form";

/// The keywords field's id (label and field live in the same shadow root, so `for` works).
const KEYWORDS_ID: &str = "oe-keywords";
/// Id of the métier suggestion list.
const METIERS_ID: &str = "oe-metiers";

/// The keywords field, a combobox suggesting métiers as the resident types: choosing one
/// searches by it (France Travail's own matching, a removable chip) instead of by free words;
/// Enter without an option chosen searches the words. A plain page has a text field, and keeps
/// the chosen métier in the form.
#[component]
fn KeywordsField(
    /// The field's text.
    keywords: RwSignal<String>,
    /// Its métier suggestions.
    metiers: Suggestions<MetierChoix>,
) -> impl IntoView {
    let (c, search) = (ctx(), search());
    let (texts, api) = (c.texts, StoredValue::new(c.api.clone()));
    // A plain page's field suggests nothing (no script to) but keeps the chosen métier in the
    // form; the module's field is the combobox.
    let combo = !c.plain();
    let kept = c.plain().then(|| search.params.with_untracked(|p| p.metier.clone())).flatten();
    let choose = Callback::new(move |i: usize| {
        let Some(m) = metiers.get(i) else { return };
        metiers.close();
        keywords.set(String::new());
        search.metier.set(Some(m.clone()));
        search.apply(|p| {
            p.q = String::new();
            p.metier = Some(m.code);
        });
    });
    let options = Signal::derive(move || {
        metiers.items.with(|all| all.iter().map(|m| m.libelle.clone()).collect::<Vec<_>>())
    });
    view! {
        <div class="oe-keywords">
            // `value` for the server's HTML, the property for later changes. A combobox is a
            // text field (HTML does not allow the role on a search field; RGAA 8.2), with the
            // phone keyboard's search key all the same.
            <input
                id=KEYWORDS_ID
                class="oe-input"
                type=if combo { "text" } else { "search" }
                enterkeyhint="search"
                name="q"
                role=combo.then_some("combobox")
                autocomplete="off"
                maxlength="200"
                aria-autocomplete=combo.then_some("list")
                aria-controls=combo.then_some(METIERS_ID)
                aria-expanded=move || combo.then(|| metiers.expanded().to_string())
                aria-activedescendant=move || metiers.active.get().map(|i| format!("oe-metier-{i}"))
                placeholder=texts.keywords_placeholder
                value=keywords.get_untracked()
                prop:value=move || keywords.get()
                on:input=move |ev| {
                    let q = event_target_value(&ev);
                    keywords.set(q.clone());
                    let api = api.get_value();
                    metiers.lookup(q, move |q| async move { api.metiers(&q).await.unwrap_or_default() });
                }
                on:keydown=move |ev| {
                    if let Some(i) = metiers.key(&ev, false) {
                        choose.run(i);
                    }
                }
                on:blur=move |_| metiers.close()
            />
            {kept.map(|m| view! { <input type="hidden" name="metier" value=m /> })}
            {combo.then(|| view! {
                <OptionList
                    id=METIERS_ID
                    option_id="oe-metier"
                    label=texts.metiers
                    options=options
                    active=metiers.active
                    choose=choose
                />
            })}
        </div>
    }
}

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
    let plain = c.plain().then(|| {
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
    let action = c.plain().then(|| c.pages.path.clone());
    let keywords = RwSignal::new(search.params.get_untracked().q);
    let metiers = Suggestions::<MetierChoix>::new();
    // A search for other keywords (a suggestion, a deep link) shows them in the field. Not at
    // the first run: the field already says them, or the resident typed in it before the
    // module took over from the server's view.
    Effect::new(move |first: Option<()>| {
        let q = search.params.with(|p| p.q.clone());
        if first.is_some() {
            keywords.set(q);
        }
    });
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
                // Searching the words: suggestions still on their way are not wanted any more.
                metiers.cancel();
                let q = keywords.get_untracked();
                search.apply(|p| p.q = q);
            }
        >
            {plain}
            <label class="oe-label" for=KEYWORDS_ID>{texts.keywords_label}</label>
            <div class="oe-form__row">
                <KeywordsField keywords=keywords metiers=metiers />
                <button class="oe-button" part="button" type="submit">{texts.search_button}</button>
            </div>
            {(!lock_place).then(|| view! { <PlacePicker /> })}
            <Settings keys=&[Param::Rayon, Param::Tri, Param::ParPage] />
        </form>
    }
}
