//! A widget's first searches, as the widget would make them, for the first view and the plain
//! pages.

use axum::http::StatusCode;
use emploi_types::api::SearchResponse;
use emploi_widget::i18n::Lang;
use emploi_widget::state::FirstView;

use super::search::{answer, cache_key};
use crate::AppState;
use crate::error::AppError;
use crate::sites::Site;

/// Runs the widget's first searches (pages 1 to the start's page, in the widget's requests, the
/// page brought within [`emploi_types::recherche::MAX_RENDERED`] offers), stopping at the first
/// failure or at the end of the offers. The status is the failure's.
pub(crate) async fn searches(
    state: &AppState,
    site: &Site,
    lang: Lang,
    start: &emploi_widget::params::Recherche,
) -> (FirstView, StatusCode) {
    let lang = crate::error::Lang::from(lang);
    // An address asking for page 150 renders the first 200 offers, not 3,000.
    let start = &start.rendered();
    let mut answers = Vec::new();
    let (mut error, mut status) = (None, StatusCode::OK);
    for request in start.pages_up_to() {
        let decoded = match answer(state, site, cache_key(site, &request), request.clone()).await {
            Ok(encoded) => serde_json::from_slice::<SearchResponse>(encoded.json())
                .map_err(|e| AppError::Internal(format!("decoding a cached answer: {e}"))),
            Err(e) => Err(e),
        };
        match decoded {
            Ok(r) => {
                let ended = r.offres.len() < request.par_page as usize;
                answers.push(r);
                if ended {
                    break;
                }
            }
            Err(e) => {
                if let AppError::Internal(detail) = &e {
                    tracing::error!(%detail, "first view");
                }
                status = e.status();
                error = Some(e.envelope(lang));
                break;
            }
        }
    }
    (FirstView::new(start, answers, error), status)
}
