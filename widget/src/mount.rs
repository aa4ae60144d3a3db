//! Mounting a widget into an element's shadow root, called by the loader for each
//! `<offres-emploi>` element.
//!
//! Styles go through a constructable stylesheet adopted by the shadow root, so a host page whose
//! CSP forbids inline styles still shows the widget styled. One stylesheet object serves every
//! instance on the page.

use std::any::Any;
use std::cell::OnceCell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::api::ApiClient;
use crate::components::Widget;
use crate::config::{ATTRIBUTES, WidgetConfig};
use crate::events::Emitter;
use crate::link::DeepLink;

// Minified by build.rs from style/widget.css.
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.min.css"));

thread_local! {
    static SHEET: OnceCell<CssStyleSheet> = const { OnceCell::new() };
}

/// A mounted widget; dropping it or calling [`WidgetHandle::unmount`] removes it.
#[wasm_bindgen]
pub struct WidgetHandle {
    mounted: Option<Box<dyn Any>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the widget from its shadow root.
    pub fn unmount(&mut self) {
        self.mounted = None;
    }
}

/// `element.options` as attribute pairs. The loader turns the object into `[name, value]` string
/// pairs (`motsCles` → `mots-cles`, lists joined with commas), read here with serde-wasm-bindgen.
fn option_pairs(options: JsValue) -> Vec<(String, String)> {
    if options.is_null() || options.is_undefined() {
        return Vec::new();
    }
    serde_wasm_bindgen::from_value(options).unwrap_or_else(|_| {
        web_sys::console::warn_1(&"<offres-emploi> options ignorées : objet attendu.".into());
        Vec::new()
    })
}

/// Mounts a widget in `host`'s (open) shadow root. `api_base` is the proxy root URL, derived by
/// the loader from its own URL; `options` is `element.options` (or null), over the attributes.
#[wasm_bindgen]
pub fn mount(
    host: HtmlElement,
    api_base: String,
    options: JsValue,
) -> Result<WidgetHandle, JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let shadow = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    shadow.set_inner_html("");
    let sheet = SHEET.with(|cell| -> Result<CssStyleSheet, JsValue> {
        if let Some(sheet) = cell.get() {
            return Ok(sheet.clone());
        }
        let sheet = CssStyleSheet::new()?;
        sheet.replace_sync(CSS)?;
        let _ = cell.set(sheet.clone());
        Ok(sheet)
    })?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));

    let page_lang = document.document_element().and_then(|e| e.get_attribute("lang"));
    let mut settings: Vec<(String, String)> = ATTRIBUTES
        .iter()
        .filter_map(|name| host.get_attribute(name).map(|v| ((*name).to_owned(), v)))
        .collect();
    for (name, value) in option_pairs(options) {
        if !ATTRIBUTES.contains(&name.as_str()) {
            web_sys::console::warn_1(
                &format!("<offres-emploi> option « {name} » inconnue : {}.", ATTRIBUTES.join(", "))
                    .into(),
            );
            continue;
        }
        settings.retain(|(n, _)| *n != name);
        settings.push((name, value));
    }
    let (config, warnings) = WidgetConfig::from_attributes(
        settings.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        page_lang.as_deref(),
    );
    for warning in warnings {
        web_sys::console::warn_1(&format!("<offres-emploi> {warning}").into());
    }

    let container: HtmlElement = document.create_element("div")?.unchecked_into();
    container.set_class_name("oe-host");
    shadow.append_child(&container)?;
    let api = ApiClient::new(&api_base, config.lang, config.site.clone());
    let link = DeepLink::new(&host.id());
    let emitter = Emitter::new(host);
    let handle =
        leptos::mount::mount_to(container, move || view! { <Widget config api emitter link /> });
    Ok(WidgetHandle { mounted: Some(Box::new(handle)) })
}
