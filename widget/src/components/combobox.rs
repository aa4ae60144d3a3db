//! What the place and keywords fields share: the ARIA 1.2 combobox pattern with list
//! autocomplete over suggestions the proxy gives for the typed text. Typing asks after a pause;
//! the arrow keys move through the options, Enter chooses, Escape closes, and a click chooses.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::time::Duration;

/// The suggestions of one field and the active option.
pub struct Suggestions<T: Send + Sync + 'static> {
    /// The options shown (none: the list is closed).
    pub items: RwSignal<Vec<T>>,
    /// The option the arrow keys are on.
    pub active: RwSignal<Option<usize>>,
    /// The number of the last keystroke, so that only the last one's answer is shown.
    typed: StoredValue<u64>,
}

impl<T: Send + Sync + 'static> Clone for Suggestions<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Suggestions<T> {}

impl<T: Clone + Send + Sync + 'static> Default for Suggestions<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone + Send + Sync + 'static> Suggestions<T> {
    /// No suggestions.
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            active: RwSignal::new(None),
            typed: StoredValue::new(0),
        }
    }

    /// Whether the list is open (tracked).
    pub fn expanded(self) -> bool {
        self.items.with(|i| !i.is_empty())
    }

    /// Closes the list and drops the answer of any lookup still under way.
    pub fn cancel(self) {
        self.typed.update_value(|n| *n += 1);
        self.close();
    }

    /// Closes the list.
    pub fn close(self) {
        self.items.set(Vec::new());
        self.active.set(None);
    }

    /// The option `i`, if shown.
    pub fn get(self, i: usize) -> Option<T> {
        self.items.with_untracked(|items| items.get(i).cloned())
    }

    /// Asks `fetch` for the suggestions of `q`, debounced: only the last keystroke of a 200 ms
    /// pause asks, and an answer arriving after a newer keystroke is dropped. Under 2
    /// characters, the list closes.
    pub fn lookup<F, Fut>(self, q: String, fetch: F)
    where
        F: FnOnce(String) -> Fut + 'static,
        Fut: Future<Output = Vec<T>> + 'static,
    {
        let number = self.typed.get_value() + 1;
        self.typed.set_value(number);
        if q.trim().chars().count() < 2 {
            self.close();
            return;
        }
        set_timeout(
            move || {
                if self.typed.try_get_value() != Some(number) {
                    return;
                }
                spawn_local(async move {
                    let found = fetch(q).await;
                    if self.typed.try_get_value() == Some(number) {
                        self.active.try_set(None);
                        self.items.try_set(found);
                    }
                });
            },
            Duration::from_millis(200),
        );
    }

    /// A key in the field: the arrow keys move the active option, Escape closes, Enter returns
    /// the option to choose (the active one; the first when none is and `first` says so,
    /// otherwise Enter is left to the form).
    pub fn key(self, ev: &leptos::ev::KeyboardEvent, first: bool) -> Option<usize> {
        let count = self.items.with_untracked(Vec::len);
        if count == 0 {
            return None;
        }
        let key = ev.key();
        match key.as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                let down = key == "ArrowDown";
                let next = match self.active.get_untracked() {
                    None if down => 0,
                    None => count - 1,
                    Some(i) if down => (i + 1) % count,
                    Some(i) => (i + count - 1) % count,
                };
                self.active.set(Some(next));
                None
            }
            "Enter" => {
                let chosen = self.active.get_untracked().or(first.then_some(0))?;
                ev.prevent_default();
                Some(chosen)
            }
            "Escape" => {
                ev.prevent_default();
                self.close();
                None
            }
            _ => None,
        }
    }
}

/// The listbox of a combobox: `id` for the field's `aria-controls`, options `{option_id}-{i}`
/// for its `aria-activedescendant`.
#[component]
pub fn OptionList(
    /// The listbox's id.
    id: &'static str,
    /// Prefix of the options' ids.
    option_id: &'static str,
    /// The listbox's accessible name.
    label: &'static str,
    /// The options' texts.
    #[prop(into)]
    options: Signal<Vec<String>>,
    /// The active option.
    active: RwSignal<Option<usize>>,
    /// Chooses option `i`.
    choose: Callback<usize>,
) -> impl IntoView {
    let numbered = move || options.get().into_iter().enumerate().collect::<Vec<_>>();
    let option = move |(i, text): (usize, String)| {
        let selected = move || (active.get() == Some(i)).to_string();
        view! {
            <li
                class="oe-option"
                role="option"
                id=format!("{option_id}-{i}")
                aria-selected=selected
                // A click lands before the field's blur: the choice is made on mousedown.
                on:mousedown=move |ev| {
                    ev.prevent_default();
                    choose.run(i);
                }
            >
                {text}
            </li>
        }
    };
    view! {
        <ul id=id class="oe-options" role="listbox" aria-label=label hidden=move || options.with(Vec::is_empty)>
            <For each=numbered key=|o| o.clone() children=option />
        </ul>
    }
}
