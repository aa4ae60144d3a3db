//! A heading placed by its depth in the widget's outline, so that the outline fits where the
//! widget is (RGAA 9.1): in a host page, under the page's own `h1`, the widget's title is an
//! `h2`; on a plain page, a whole document of its own, it is the page's `h1`, and every heading
//! below moves up one level with it.

use leptos::prelude::*;

use crate::state::ctx;

/// A heading at `depth` (1: the widget's title, or an offer's in its detail; 2: what is under
/// it), with its class and, when given, its `id` and `part`.
#[component]
pub fn Heading(
    depth: u8,
    class: &'static str,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] part: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    match depth + u8::from(!ctx().plain()) {
        1 => view! { <h1 class=class id=id part=part>{children()}</h1> }.into_any(),
        2 => view! { <h2 class=class id=id part=part>{children()}</h2> }.into_any(),
        3 => view! { <h3 class=class id=id part=part>{children()}</h3> }.into_any(),
        _ => view! { <h4 class=class id=id part=part>{children()}</h4> }.into_any(),
    }
}
