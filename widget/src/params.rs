//! What a search asks for is `emploi_types::recherche`'s [`Recherche`], the proxy's own
//! vocabulary; its one text form (`key=value` pairs with the proxy's parameter names) builds
//! the proxy URL, fills the setting lists and makes the deep link.

pub use emploi_types::recherche::{
    Experience, Param, Recherche, Tri, TypeContrat, Zone, encode, query,
};
