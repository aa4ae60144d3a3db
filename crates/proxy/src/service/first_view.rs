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

/// Adds the panels `config` asks for to `first`, as the widget would fetch them: the market
/// overview with the official figures, and the coming events. A panel that fails (or is not
/// offered) is left out, as in the widget.
pub(crate) async fn panels(
    state: &AppState,
    site: &Site,
    config: &emploi_widget::config::WidgetConfig,
    zone: &emploi_types::recherche::Zone,
    first: &mut FirstView,
) {
    let market = async {
        if !config.marche {
            return (None, None);
        }
        let (m, f) = futures::join!(
            super::market::overview(state, site, zone.clone()),
            super::indicators::figures(state, site, zone.clone()),
        );
        (m.ok(), f.ok())
    };
    let events = async {
        if !config.evenements {
            return None;
        }
        let filters = emploi_types::agenda::FiltresEvenements::default();
        super::events::coming(state, site, zone.clone(), &filters).await.ok()
    };
    let ((marche, indicateurs), evenements) = futures::join!(market, events);
    first.marche = marche;
    first.indicateurs = indicateurs.filter(|_| first.marche.is_some());
    first.evenements = evenements;
}

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
