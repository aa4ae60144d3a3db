//! The `<offres-emploi>` widget: a Leptos CSR application mounted in the shadow root of each
//! element by the loader (`loader/offres-emploi.js`), talking to the proxy it was loaded from.
//!
//! `main` only installs the panic hook; everything else starts from the exported [`mount::mount`].

mod api;
mod components;
mod config;
mod format;
mod i18n;
mod mount;

fn main() {
    console_error_panic_hook::set_once();
}
