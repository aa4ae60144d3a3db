//! The service layer: what the routes do, apart from HTTP. Routes (`routes/*`) extract and
//! answer; they call these functions, which reach France Travail only through
//! [`crate::upstream`] (caches, coalescing, budget) and run inside the caller scope the access
//! gate set.

pub mod encoded;
pub(crate) mod events;
pub(crate) mod first_view;
pub(crate) mod indicators;
pub(crate) mod market;
pub(crate) mod offer;
pub(crate) mod report;
pub mod search;

/// Unix milliseconds as RFC 3339 UTC to the second (`2026-12-04T20:31:07Z`): the update date
/// the offers licence asks every display to show. `None` for no date (`u64::MAX`).
pub(crate) fn update_date(ms: u64) -> Option<String> {
    let secs = i64::try_from(ms / 1000).ok()?;
    let at = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    at.format(&time::format_description::well_known::Rfc3339).ok()
}
