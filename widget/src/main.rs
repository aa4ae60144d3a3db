//! The `<offres-emploi>` widget: a Leptos CSR application mounted in the shadow root of each
//! element by the loader (`loader/offres-emploi.js`), talking to the proxy it was loaded from.
//!
//! `main` only installs a panic hook; everything else starts from the exported [`mount::mount`].

mod api;
mod components;
mod config;
mod dom;
mod events;
mod format;
mod i18n;
mod link;
mod mount;
mod params;
mod state;

fn main() {
    // A bug should at least say where it happened. A panic aborts the module (the profile
    // sets `panic = "abort"`), so the loader shows its fallback link afterwards.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("<offres-emploi> erreur interne : {info}").into());
    }));
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
        let alert = wait_for(&root, "[role='alert']:not([hidden])").await;
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
    async fn setting_lists_are_labelled_and_the_radius_is_off_for_an_epci() {
        let el = host(&[("epci", "243500139")]);
        let _handle =
            crate::mount::mount(el.clone(), NO_PROXY.to_owned(), wasm_bindgen::JsValue::NULL)
                .unwrap();
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
        let _handle =
            crate::mount::mount(el.clone(), NO_PROXY.to_owned(), wasm_bindgen::JsValue::NULL)
                .unwrap();
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
