//! The panels beside the search (the market overview with the official figures, the events): the
//! answer a panel holds, and how it follows the search's territory.
//!
//! In the browser a panel's answer stays the proxy's JSON, undecoded ([`Raw`]), from the first
//! view or the fetch up to the panel's chunk (`split.rs`), which decodes and shows it: the module
//! that every widget loads carries neither the decoders of the panels' types nor their views, so
//! that widgets without panels do not pay for them. On the server, an [`Answer`] is the typed
//! value itself.

use emploi_types::api::{Evenements, Indicateurs, Marche};
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::params::Recherche;
use crate::state::search;

/// The panels' answers in the first view the proxy sent (see [`crate::state::FirstView`]).
#[derive(Debug, Clone, Default)]
pub struct Panels {
    /// The market overview.
    pub marche: Option<Answer<Marche>>,
    /// The official figures.
    pub indicateurs: Option<Answer<Indicateurs>>,
    /// The coming events.
    pub evenements: Option<Answer<Evenements>>,
}

/// The typed value of `answer`; `None` when it does not decode (a proxy of another version):
/// the panel is then left out.
pub fn typed<T: DeserializeOwned>(answer: Answer<T>) -> Option<T> {
    #[cfg(feature = "csr")]
    return answer.decode();
    #[cfg(not(feature = "csr"))]
    Some(answer)
}

/// A panel whose component is the function of `part` (a chunk of its own in the release module),
/// given the first view's answers: shown at once when the chunk is already loaded (always on the
/// server and without `split`; `prepare` in main.rs loads it before the module takes over from a
/// first view that shows the panel), else once it has loaded. A chunk that cannot be fetched
/// leaves, in the panel's place, the network error and a button that tries again.
pub fn lazy(part: &'static crate::split::Part<fn(Panels) -> AnyView>, first: Panels) -> AnyView {
    if let Some(panel) = part.get() {
        return panel(first);
    }
    // `None` while the chunk loads; its function, or `Err` when it could not be fetched.
    let loaded = RwSignal::new(None::<Result<fn(Panels) -> AnyView, ()>>);
    let fetch = move || {
        loaded.set(None);
        leptos::task::spawn_local(async move {
            loaded.try_set(Some(part.load().await.ok_or(())));
        });
    };
    fetch();
    let texts = crate::state::ctx().texts;
    (move || match loaded.get() {
        None => ().into_any(),
        Some(Ok(panel)) => panel(first.clone()),
        Some(Err(())) => view! {
            <div class="oe-error" part="error" role="alert" data-testid="panel-error">
                <p>{texts.error_network}</p>
                <button type="button" class="oe-button oe-button--secondary" on:click=move |_| fetch()>
                    {texts.retry}
                </button>
            </div>
        }
        .into_any(),
    })
    .into_any()
}

/// A panel's answer of type `T` as the interface holds it: typed on the server, the proxy's JSON
/// in the browser ([`Raw`]).
#[cfg(not(feature = "csr"))]
pub type Answer<T> = T;

/// A panel's answer of type `T` as the interface holds it: typed on the server, the proxy's JSON
/// in the browser ([`Raw`]).
#[cfg(feature = "csr")]
pub type Answer<T> = Raw<T>;

#[cfg(feature = "csr")]
pub use raw::Raw;

#[cfg(feature = "csr")]
mod raw {
    use std::marker::PhantomData;

    use send_wrapper::SendWrapper;
    use serde::de::DeserializeOwned;
    use wasm_bindgen::JsValue;

    /// An answer of type `T`, still the JSON value the browser parsed. It is decoded only by
    /// [`Raw::decode`], which only the panels' chunks call.
    pub struct Raw<T> {
        // The module runs on one thread; signals ask for `Send` all the same.
        json: SendWrapper<JsValue>,
        kind: PhantomData<fn() -> T>,
    }

    impl<T> Raw<T> {
        /// The answer whose JSON is `json`.
        pub fn new(json: JsValue) -> Self {
            Self { json: SendWrapper::new(json), kind: PhantomData }
        }

        /// The typed answer; `None` when the JSON is not a `T` (a proxy of another version).
        pub fn decode(&self) -> Option<T>
        where
            T: DeserializeOwned,
        {
            serde_wasm_bindgen::from_value((*self.json).clone()).ok()
        }
    }

    impl<T> Clone for Raw<T> {
        fn clone(&self) -> Self {
            Self::new((*self.json).clone())
        }
    }

    impl<T> PartialEq for Raw<T> {
        fn eq(&self, other: &Self) -> bool {
            *self.json == *other.json
        }
    }

    impl<T> std::fmt::Debug for Raw<T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_tuple("Raw").field(&*self.json).finish()
        }
    }

    // Passed through serde-wasm-bindgen as the JS value itself: reading the first view
    // (`FirstView`) leaves the panels' parts of it as they are.
    impl<T> serde::Serialize for Raw<T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serde_wasm_bindgen::preserve::serialize(&*self.json, s)
        }
    }

    impl<'de, T> serde::Deserialize<'de> for Raw<T> {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            serde_wasm_bindgen::preserve::deserialize::<D, JsValue>(d).map(Self::new)
        }
    }
}

/// A panel's answer for the search's territory: `first` (the first view's) to begin with, then
/// `fetch`ed again each time `url` (the panel's request for the territory) changes; without a
/// first answer, fetched at once. `fetch` yields `None` when the panel has nothing to show (its
/// API not offered, France Travail failing with nothing cached, its chunk not loaded): the panel
/// is then hidden. An older territory's answer that arrives late is dropped rather than shown
/// over the newer one.
pub fn follow<T, Fut>(
    first: Option<T>,
    url: Memo<String>,
    fetch: impl Fn(Recherche) -> Fut + 'static,
) -> RwSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: std::future::Future<Output = Option<T>> + 'static,
{
    let answer = RwSignal::new(first);
    #[cfg(feature = "csr")]
    {
        let search = search();
        let had_first = answer.with_untracked(Option::is_some);
        Effect::new(move |previous: Option<String>| {
            let wanted = url.get();
            if previous.is_some() || !had_first {
                let pending = fetch(search.params.get_untracked());
                let mine = wanted.clone();
                leptos::task::spawn_local(async move {
                    let got = pending.await;
                    if url.try_get_untracked().as_ref() == Some(&mine) {
                        answer.try_set(got);
                    }
                });
            }
            wanted
        });
    }
    #[cfg(not(feature = "csr"))]
    let _ = (url, fetch, search);
    answer
}
