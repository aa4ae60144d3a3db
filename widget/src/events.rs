//! Events for the host page (`offres-emploi:recherche`, `offres-emploi:offre`), so that a commune
//! can count use with its own tools. They bubble and cross the shadow boundary; the widget
//! itself sends nothing anywhere.

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// Sends events from the element. Held in a local `StoredValue` (elements are not `Send`).
#[derive(Clone)]
pub struct Emitter(HtmlElement);

impl Emitter {
    /// Events dispatched on `host`.
    pub fn new(host: HtmlElement) -> Self {
        Self(host)
    }

    /// Dispatches `offres-emploi:<name>` with `detail`, an object of the given fields (built
    /// with `Reflect` rather than serde: lighter in the bundle).
    pub fn emit(&self, name: &str, detail: &[(&str, JsValue)]) {
        let object = js_sys::Object::new();
        for (key, value) in detail {
            let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
        }
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&object);
        let event = CustomEvent::new_with_event_init_dict(&format!("offres-emploi:{name}"), &init);
        if let Ok(event) = event {
            let _ = self.0.dispatch_event(&event);
        }
    }
}

/// The emitter of the enclosing widget, from context.
pub fn emitter() -> Option<StoredValue<Emitter, LocalStorage>> {
    use_context::<StoredValue<Emitter, LocalStorage>>()
}
