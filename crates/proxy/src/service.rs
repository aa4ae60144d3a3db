//! The service layer: what the routes do, apart from HTTP. Routes (`routes/*`) extract and
//! answer; they call these functions, which reach France Travail only through
//! [`crate::upstream`] (caches, coalescing, budget) and run inside the caller scope the access
//! gate set.

pub mod encoded;
pub(crate) mod first_view;
pub(crate) mod market;
pub(crate) mod offer;
pub(crate) mod search;
