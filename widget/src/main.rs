//! The `<offres-emploi>` WebAssembly module: the loader (`loader/offres-emploi.js`) calls
//! [`mount`] for each element, with the first view the proxy rendered when it has one.
//!
//! `main` only installs a panic hook.

use std::any::Any;

use emploi_types::recherche::element_attributes;
use emploi_widget::api::ApiClient;
use emploi_widget::components::Widget;
use emploi_widget::config::{WidgetConfig, is_attribute};
use emploi_widget::events::Emitter;
use emploi_widget::link::DeepLink;
use emploi_widget::state::FirstView;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, HtmlInputElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

fn main() {
    // A bug should at least say where it happened. A panic aborts the module (the profile
    // sets `panic = "abort"`), so the loader shows its fallback link afterwards.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("<offres-emploi> erreur interne : {info}").into());
    }));
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

/// What the resident did in the server's view before the module arrived: text typed in a
/// field, and the focused field with its caret.
struct Typed {
    fields: Vec<(String, String)>,
    focus: Option<(String, Option<u32>, Option<u32>)>,
}

impl Typed {
    fn read(root: &ShadowRoot) -> Self {
        let mut fields = Vec::new();
        if let Ok(inputs) = root.query_selector_all("input[id]") {
            for i in 0..inputs.length() {
                let Some(input) =
                    inputs.item(i).and_then(|n| n.dyn_into::<HtmlInputElement>().ok())
                else {
                    continue;
                };
                let text = matches!(input.type_().as_str(), "search" | "text");
                if text && input.value() != input.default_value() {
                    fields.push((input.id(), input.value()));
                }
            }
        }
        let focus = root.active_element().map(|el| {
            let input = el.dyn_ref::<HtmlInputElement>();
            let caret = |f: fn(&HtmlInputElement) -> Result<Option<u32>, JsValue>| {
                input.and_then(|i| f(i).ok().flatten())
            };
            (
                el.id(),
                caret(HtmlInputElement::selection_start),
                caret(HtmlInputElement::selection_end),
            )
        });
        Self { fields, focus: focus.filter(|f| !f.0.is_empty()) }
    }

    /// Puts the typed text (announced as input, so the widget's state has it) and the focus
    /// back in the module's view.
    fn restore(self, root: &ShadowRoot) {
        for (id, value) in self.fields {
            let Ok(Some(el)) = root.query_selector(&format!("#{id}")) else { continue };
            let input: HtmlInputElement = el.unchecked_into();
            input.set_value(&value);
            if let Ok(event) = web_sys::Event::new("input") {
                let _ = input.dispatch_event(&event);
            }
        }
        if let Some((id, start, end)) = self.focus
            && let Ok(Some(el)) = root.query_selector(&format!("#{id}"))
        {
            let _ = el.unchecked_ref::<HtmlElement>().focus();
            if let (Some(input), Some(start), Some(end)) =
                (el.dyn_ref::<HtmlInputElement>(), start, end)
            {
                let _ = input.set_selection_range(start, end);
            }
        }
    }
}

/// Loads what the module needs to take over from `first` (the first view's data, or null) at
/// once, to be awaited before [`mount`]: the market panel and the events panel when the first
/// view shows them (each a chunk of its own in the release module, see `split.rs`), so that they
/// take over in the same task as the rest. A chunk that fails to load here is fetched again when
/// the widget mounts, and its panel shown then.
#[wasm_bindgen]
pub async fn prepare(first: JsValue) {
    let has = |name: &str| {
        js_sys::Reflect::get(&first, &name.into()).is_ok_and(|m| !m.is_null() && !m.is_undefined())
    };
    if has("marche") {
        emploi_widget::components::market::PANEL.load().await;
    }
    if has("evenements") {
        emploi_widget::components::agenda::PANEL.load().await;
    }
}

/// Mounts a widget in `host`'s (open) shadow root. `api_base` is the proxy root URL, derived by
/// the loader from its own URL; `options` is `element.options` (or null), over the attributes;
/// `first` the first view's data the proxy sent with its HTML (or null). The server's HTML, if
/// the loader painted it, is replaced in the same task: the text typed and the focus in it are
/// kept.
#[wasm_bindgen]
pub fn mount(
    host: HtmlElement,
    api_base: String,
    options: JsValue,
    first: JsValue,
) -> Result<WidgetHandle, JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let shadow = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let page_lang = document.document_element().and_then(|e| e.get_attribute("lang"));
    let mut settings: Vec<(String, String)> = element_attributes()
        .filter_map(|name| host.get_attribute(name).map(|v| (name.to_owned(), v)))
        .collect();
    for (name, value) in option_pairs(options) {
        if !is_attribute(&name) {
            let known: Vec<&str> = element_attributes().collect();
            let known = known.join(", ");
            web_sys::console::warn_1(
                &format!("<offres-emploi> option « {name} » inconnue : {known}.").into(),
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
    let first: Option<FirstView> = if first.is_null() || first.is_undefined() {
        None
    } else {
        serde_wasm_bindgen::from_value(first).ok()
    };

    let typed = Typed::read(&shadow);
    let container: HtmlElement = document.create_element("div")?.unchecked_into();
    container.set_class_name("oe-host");
    let api = ApiClient::new(&api_base, config.lang, config.site.clone());
    let link = DeepLink::new(&host.id());
    let (start, start_offer, default) =
        emploi_widget::state::start(&config, link.read().as_deref());
    let link = link.with_default(default);
    let emitter = StoredValue::new_local(Emitter::new(host));
    let handle = leptos::mount::mount_to(container.clone(), move || {
        provide_context(emitter);
        view! { <Widget config api start start_offer link=Some(link) first /> }
    });
    // The server's view (or a previous mount) goes, the module's comes, in this task: nothing
    // is painted in between.
    shadow.replace_children_with_node_1(&container);
    typed.restore(&shadow);
    Ok(WidgetHandle { mounted: Some(Box::new(handle)) })
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    //! Component tests in a real browser: mount into a fresh element, act, wait, assert.
    // Test helpers fail loudly: an unwrap here is an assertion.
    #![allow(clippy::unwrap_used)]

    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use web_sys::{HtmlElement, ShadowRoot};

    wasm_bindgen_test_configure!(run_in_browser);

    /// No proxy listens on port 9 of the loopback: every API call fails fast.
    const NO_PROXY: &str = "http://127.0.0.1:9/";

    fn host(attrs: &[(&str, &str)]) -> HtmlElement {
        let document = web_sys::window().unwrap().document().unwrap();
        let el: HtmlElement = document.create_element("section").unwrap().unchecked_into();
        for (k, v) in attrs {
            el.set_attribute(k, v).unwrap();
        }
        document.body().unwrap().append_child(&el).unwrap();
        el
    }

    /// Mounts a widget on `el` as the loader would without a first view.
    fn mount_on(el: &HtmlElement) -> crate::WidgetHandle {
        let null = wasm_bindgen::JsValue::NULL;
        crate::mount(el.clone(), NO_PROXY.to_owned(), null.clone(), null).unwrap()
    }

    async fn sleep(ms: u32) {
        gloo_timers::future::TimeoutFuture::new(ms).await;
    }

    /// Polls until `selector` matches inside the shadow root (Leptos updates the DOM
    /// asynchronously, and fetches take a while).
    async fn wait_for(root: &ShadowRoot, selector: &str) -> web_sys::Element {
        for _ in 0..100 {
            if let Some(el) = root.query_selector(selector).unwrap() {
                return el;
            }
            sleep(50).await;
        }
        panic!("{selector} never appeared");
    }

    #[wasm_bindgen_test]
    async fn mounts_a_labelled_search_form_in_an_open_shadow_root() {
        let el = host(&[("commune", "35238")]);
        let _handle = mount_on(&el);
        let root = el.shadow_root().expect("open shadow root");
        let input = wait_for(&root, "input#oe-keywords").await;
        let label = root.query_selector("label[for='oe-keywords']").unwrap().unwrap();
        assert_eq!(label.text_content().unwrap(), "Métier, mots-clés");
        // A combobox, so a text field (HTML allows the role on no search field), with the
        // phone keyboard's search key.
        assert_eq!(input.get_attribute("type").as_deref(), Some("text"));
        assert_eq!(input.get_attribute("role").as_deref(), Some("combobox"));
        assert_eq!(input.get_attribute("enterkeyhint").as_deref(), Some("search"));
        assert!(root.query_selector("form[role='search']").unwrap().is_some());
        // Nothing leaks into the light DOM.
        assert_eq!(el.children().length(), 0);
        // Styles are the loader's adopted stylesheet, never injected as <style> elements.
        assert!(root.query_selector("style").unwrap().is_none());
    }

    #[wasm_bindgen_test]
    async fn shows_a_readable_error_when_the_proxy_cannot_be_reached() {
        let el = host(&[("commune", "35238")]);
        let _handle = mount_on(&el);
        let root = el.shadow_root().unwrap();
        let alert = wait_for(&root, "[role='alert']:not([hidden])").await;
        let text = alert.text_content().unwrap();
        assert!(text.contains("Impossible de joindre le service"), "{text}");
        assert!(root.query_selector("[role='alert'] button").unwrap().is_some());
    }

    #[wasm_bindgen_test]
    async fn two_instances_keep_their_own_state_and_language() {
        let fr = host(&[("commune", "35238"), ("mots-cles", "boulanger")]);
        let en = host(&[("commune", "35288"), ("lang", "en")]);
        let _a = mount_on(&fr);
        let _b = mount_on(&en);
        let (ra, rb) = (fr.shadow_root().unwrap(), en.shadow_root().unwrap());
        let ia: web_sys::HtmlInputElement = wait_for(&ra, "input").await.unchecked_into();
        let ib: web_sys::HtmlInputElement = wait_for(&rb, "input").await.unchecked_into();
        // Reactive properties are applied by render effects, a tick after the elements exist.
        sleep(50).await;
        assert_eq!(ia.value(), "boulanger");
        assert_eq!(ib.value(), "");
        let button_b = rb.query_selector("button[type='submit']").unwrap().unwrap();
        assert_eq!(button_b.text_content().unwrap(), "Search");
        let button_a = ra.query_selector("button[type='submit']").unwrap().unwrap();
        assert_eq!(button_a.text_content().unwrap(), "Rechercher");
    }

    #[wasm_bindgen_test]
    async fn setting_lists_are_labelled_and_the_radius_is_off_for_an_epci() {
        let el = host(&[("epci", "243500139")]);
        let _handle = mount_on(&el);
        let root = el.shadow_root().unwrap();
        let radius: web_sys::HtmlSelectElement =
            wait_for(&root, "select#oe-rayon").await.unchecked_into();
        sleep(50).await;
        for id in [
            "oe-rayon",
            "oe-tri",
            "oe-par_page",
            "oe-experience",
            "oe-temps_plein",
            "oe-publiee_depuis",
        ] {
            let label = root.query_selector(&format!("label[for='{id}']")).unwrap();
            assert!(
                label.is_some_and(|l| !l.text_content().unwrap().is_empty()),
                "{id} has no label"
            );
        }
        assert!(radius.disabled());
        // No sort by distance without a commune.
        assert!(root.query_selector("#oe-tri option[value='distance']").unwrap().is_none());
    }

    #[wasm_bindgen_test]
    async fn a_deep_link_in_the_page_url_fills_the_form() {
        let window = web_sys::window().unwrap();
        let history = window.history().unwrap();
        let before = window.location().href().unwrap();
        let url = web_sys::Url::new(&before).unwrap();
        url.search_params().set("oe-lien", "q=plombier&commune=35238&rayon=30&types_contrat=CDI");
        history
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()))
            .unwrap();
        let el = host(&[("commune", "35238"), ("id", "lien")]);
        let _handle = mount_on(&el);
        let root = el.shadow_root().unwrap();
        let input: web_sys::HtmlInputElement =
            wait_for(&root, "input#oe-keywords").await.unchecked_into();
        let radius: web_sys::HtmlSelectElement =
            wait_for(&root, "select#oe-rayon").await.unchecked_into();
        sleep(50).await;
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&before)).unwrap();
        assert_eq!(input.value(), "plombier");
        assert_eq!(radius.value(), "30");
        let chip = root.query_selector(".oe-chip").unwrap().expect("the contract filter is a chip");
        assert!(chip.text_content().unwrap().starts_with("CDI"));
    }

    #[wasm_bindgen_test]
    async fn unmounting_empties_the_shadow_root() {
        let el = host(&[]);
        let mut handle = mount_on(&el);
        let root = el.shadow_root().unwrap();
        wait_for(&root, "form").await;
        handle.unmount();
        sleep(10).await;
        assert!(root.query_selector("form").unwrap().is_none());
    }
}
