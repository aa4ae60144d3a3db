//! The first view on the server: the same [`Widget`] rendered to HTML, for the proxy.

use std::sync::Once;

use leptos::prelude::*;

use crate::api::ApiClient;
use crate::components::Widget;
use crate::config::WidgetConfig;
use crate::params::SearchParams;
use crate::state::FirstView;

/// The HTML of a widget's first view: `config`'s widget showing `first`, the state the browser
/// module takes over from (it mounts with the same `first` and renders the same thing).
pub fn first_view(config: &WidgetConfig, start: &SearchParams, first: &FirstView) -> String {
    static EXECUTOR: Once = Once::new();
    // Leptos needs an executor even for a synchronous render; the proxy runs on tokio.
    EXECUTOR.call_once(|| {
        let _ = any_spawner::Executor::init_tokio();
    });
    let owner = Owner::new();
    let html = owner.with(|| {
        // The server's view makes no request: the API's address does not matter.
        let api = ApiClient::new("/", config.lang, config.site.clone());
        let (config, start, first) = (config.clone(), start.clone(), first.clone());
        view! { <div class="oe-host"><Widget config api start start_offer=None link=None first=Some(first) /></div> }.to_html()
    });
    owner.unset();
    html
}
