//! The `<offres-emploi>` widget's Leptos components and what they need: settings, texts,
//! formatting, the proxy's API, deep links.
//!
//! One set of components, built two ways (never both in one build): with `ssr`, the proxy
//! renders each widget's first view ([`render`]); with `csr`, the WebAssembly module
//! (`src/main.rs`) mounts them in the element's shadow root and takes over from that view.

pub mod api;
pub mod components;
pub mod config;
#[cfg(feature = "csr")]
pub mod events;
pub mod format;
pub mod i18n;
pub mod link;
pub mod pages;
pub mod panel;
pub mod params;
#[cfg(feature = "ssr")]
pub mod render;
pub mod split;
pub mod state;
