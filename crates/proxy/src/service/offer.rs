//! One offer's detail, through the upstream cache.

use emploi_types::api::OffreDetail;

use super::search::upstream_error;
use crate::error::{AppError, AppResult, Message};
use crate::{AppState, mapping};

/// An offer's detail through the cache, as a 400 for an invalid id and a 404 once gone.
pub(crate) async fn detail(state: &AppState, id: &str) -> AppResult<OffreDetail> {
    if id.len() != 7 || !id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) {
        return Err(AppError::bad_request(
            "id",
            "Identifiant d'offre invalide : 7 lettres majuscules ou chiffres attendus.",
            "Invalid offer id: 7 upper-case letters or digits expected.",
        ));
    }
    let served = state.upstream.offer(id).await.map_err(upstream_error)?;
    match served.value.as_ref() {
        Some(offre) => Ok(mapping::detail(offre, &state.referentiel)),
        None => Err(AppError::NotFound(Message::new(
            "Cette offre n'est plus disponible : elle a peut-être été pourvue.",
            "This offer is no longer available: it may have been filled.",
        ))),
    }
}
