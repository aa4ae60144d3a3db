//! What a search asks for is `emploi_types::recherche`'s [`Recherche`], the proxy's own
//! vocabulary; its one text form (`key=value` pairs with the proxy's parameter names) builds
//! the proxy URL, fills the setting lists and makes the deep link.

pub use emploi_types::recherche::{Experience, Param, Recherche, Tri, TypeContrat, Zone};

use crate::api::encode;

/// `k=v&k=v` with percent-encoded values.
pub fn query(pairs: impl IntoIterator<Item = (&'static str, String)>) -> String {
    let parts: Vec<String> =
        pairs.into_iter().map(|(k, v)| format!("{k}={}", encode(&v))).collect();
    parts.join("&")
}
