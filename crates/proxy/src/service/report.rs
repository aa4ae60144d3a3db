//! A site's usage report: its counts by month, from the usage book ([`crate::usage`]).

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::sites::Site;
use crate::usage::{Counts, Month};

/// What a site's report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The site's key.
    pub site: String,
    /// The site's name, when configured.
    pub name: Option<String>,
    /// Counts by month, oldest first.
    pub months: Vec<(Month, Counts)>,
    /// The sum of every month.
    pub total: Counts,
}

/// `site`'s report as of now.
pub async fn report(state: &AppState, site: &Site) -> AppResult<Report> {
    let months = state
        .usage
        .months(&site.config.key)
        .await
        .map_err(|e| AppError::Internal(format!("report of {}: {e}", site.config.key)))?;
    let mut total = Counts::default();
    for (_, counts) in &months {
        for (sum, n) in total.iter_mut().zip(counts) {
            *sum += n;
        }
    }
    Ok(Report { site: site.config.key.clone(), name: site.config.name.clone(), months, total })
}
