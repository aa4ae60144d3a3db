//! The `<offres-emploi>` widget: a Leptos CSR application mounted in the shadow root of each
//! element by the loader (`loader/offres-emploi.js`), talking to the proxy it was loaded from.
//!
//! `main` only installs the panic hook; everything else starts from the exported [`mount::mount`].

mod api;
mod components;
mod config;
mod events;
mod format;
mod i18n;
mod mount;

fn main() {
    console_error_panic_hook::set_once();
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

    async fn sleep(ms: i32) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
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
        let _handle =
            crate::mount::mount(el.clone(), NO_PROXY.to_owned(), wasm_bindgen::JsValue::NULL)
                .unwrap();
        let root = el.shadow_root().expect("open shadow root");
        let input = wait_for(&root, "input#oe-keywords").await;
        let label = root.query_selector("label[for='oe-keywords']").unwrap().unwrap();
        assert_eq!(label.text_content().unwrap(), "Métier, mots-clés");
        assert_eq!(input.get_attribute("type").as_deref(), Some("search"));
        assert!(root.query_selector("form[role='search']").unwrap().is_some());
        // Nothing leaks into the light DOM.
        assert_eq!(el.children().length(), 0);
        // Styles are adopted, not injected as <style> elements.
        assert!(root.query_selector("style").unwrap().is_none());
        let adopted = js_sys::Reflect::get(&root, &"adoptedStyleSheets".into()).unwrap();
        assert_eq!(js_sys::Array::from(&adopted).length(), 1);
    }

    #[wasm_bindgen_test]
    async fn shows_a_readable_error_when_the_proxy_cannot_be_reached() {
        let el = host(&[("commune", "35238")]);
        let _handle =
            crate::mount::mount(el.clone(), NO_PROXY.to_owned(), wasm_bindgen::JsValue::NULL)
                .unwrap();
        let root = el.shadow_root().unwrap();
        let alert = wait_for(&root, "[role='alert']").await;
        let text = alert.text_content().unwrap();
        assert!(text.contains("Impossible de joindre le service"), "{text}");
        assert!(root.query_selector("[role='alert'] button").unwrap().is_some());
    }

    #[wasm_bindgen_test]
    async fn two_instances_keep_their_own_state_and_language() {
        let fr = host(&[("commune", "35238"), ("mots-cles", "boulanger")]);
        let en = host(&[("commune", "35288"), ("lang", "en")]);
        let _a = crate::mount::mount(fr.clone(), NO_PROXY.to_owned(), wasm_bindgen::JsValue::NULL)
            .unwrap();
        let _b = crate::mount::mount(en.clone(), NO_PROXY.to_owned(), wasm_bindgen::JsValue::NULL)
            .unwrap();
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
    async fn unmounting_empties_the_shadow_root() {
        let el = host(&[]);
        let mut handle =
            crate::mount::mount(el.clone(), NO_PROXY.to_owned(), wasm_bindgen::JsValue::NULL)
                .unwrap();
        let root = el.shadow_root().unwrap();
        wait_for(&root, "form").await;
        handle.unmount();
        sleep(10).await;
        assert!(root.query_selector("form").unwrap().is_none());
    }
}
