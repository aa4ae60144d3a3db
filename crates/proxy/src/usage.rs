//! What residents do with each site's widget, counted by month for the commune's report: the
//! same six counts as `/metrics` (searches, offers opened, "Postuler" clicks, feed reads, plain
//! pages, events calendars read), nothing per person, kept across restarts and shared by every
//! instance.
//!
//! Counts are added in memory on the request path (one map update), and written out every
//! [`FLUSH_EVERY`] and at shutdown:
//! - with the Redis backend, to Redis (one hash per site, `HINCRBY` by `month:action`), so that
//!   every instance adds to the same counts;
//! - otherwise to an embedded store on disk, [redb](https://docs.rs/redb): a pure-Rust, ACID,
//!   single-file key-value store (no C library to build, no server to run, crash-safe commits),
//!   one table keyed by `(site, month, action)`.
//!
//! A read adds what is not written yet, so a report is exact at once. A write that fails (Redis
//! down, disk full) keeps the counts in memory for the next one. Months are UTC months.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::metrics::Action;
use crate::upstream::shared::SharedStore;

/// How often counts are written out.
pub const FLUSH_EVERY: Duration = Duration::from_secs(10);

/// The redb table: `(site, month, action)` to a count.
const TABLE: redb::TableDefinition<'static, (&str, &str, &str), u64> =
    redb::TableDefinition::new("usage");

/// A month, `YYYY-MM`.
pub type Month = String;

/// A month as a number (`year × 12 + month − 1`): what a pending count is keyed by, so that
/// counting a request allocates no text; written `YYYY-MM` when the counts are written out.
type MonthNumber = i32;

/// The month of now, in UTC.
fn this_month() -> MonthNumber {
    let now = time::OffsetDateTime::now_utc();
    now.year() * 12 + i32::from(u8::from(now.month())) - 1
}

/// `YYYY-MM` as a [`MonthNumber`].
fn month_number(month: &str) -> Option<MonthNumber> {
    let (year, m) = month.split_once('-')?;
    let (year, m): (i32, i32) = (year.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some(year * 12 + m - 1)
}

/// A [`MonthNumber`] as `YYYY-MM`.
fn month_text(n: MonthNumber) -> Month {
    format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1)
}

/// One site's counts for one month, in [`Action::ALL`]'s order.
pub type Counts = [u64; Action::ALL.len()];

/// Counts not written out yet, by site, month and action.
type Pending = HashMap<(Arc<str>, MonthNumber, Action), u64>;

/// Where the counts are kept.
enum Store {
    Redis(SharedStore),
    Disk(Arc<redb::Database>),
}

/// The usage counts of every site.
pub struct UsageBook {
    pending: Mutex<Pending>,
    store: Store,
}

impl std::fmt::Debug for UsageBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let store = match self.store {
            Store::Redis(_) => "redis",
            Store::Disk(_) => "disk",
        };
        f.debug_struct("UsageBook").field("store", &store).finish_non_exhaustive()
    }
}

/// Why the counts could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("usage store: {0}")]
pub struct UsageError(String);

fn disk_error(e: impl std::fmt::Display) -> UsageError {
    UsageError(e.to_string())
}

impl UsageBook {
    /// Counts kept in Redis.
    pub fn redis(store: SharedStore) -> Self {
        Self { pending: Mutex::default(), store: Store::Redis(store) }
    }

    /// Counts kept in the redb file at `path` (created when missing).
    pub fn disk(path: &Path) -> Result<Self, UsageError> {
        let db = redb::Database::create(path)
            .map_err(|e| UsageError(format!("cannot open {}: {e}", path.display())))?;
        // The table exists from the start, so that a read never meets its absence.
        let txn = db.begin_write().map_err(disk_error)?;
        txn.open_table(TABLE).map_err(disk_error)?;
        txn.commit().map_err(disk_error)?;
        Ok(Self { pending: Mutex::default(), store: Store::Disk(Arc::new(db)) })
    }

    /// Counts one action of `site` this month.
    pub fn count(&self, site: &Arc<str>, action: Action) {
        self.count_at(site, this_month(), action);
    }

    /// Counts one action of `site` in `month` (`YYYY-MM`; any other text counts nothing).
    pub fn count_in(&self, site: &Arc<str>, month: Month, action: Action) {
        if let Some(month) = month_number(&month) {
            self.count_at(site, month, action);
        }
    }

    fn count_at(&self, site: &Arc<str>, month: MonthNumber, action: Action) {
        let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *pending.entry((Arc::clone(site), month, action)).or_insert(0) += 1;
    }

    /// Writes the pending counts out; on a failure they stay pending for the next time.
    pub async fn flush(&self) -> Result<(), UsageError> {
        let taken = std::mem::take(
            &mut *self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        if taken.is_empty() {
            return Ok(());
        }
        let written = match &self.store {
            Store::Redis(redis) => {
                let mut by_site: HashMap<&str, Vec<(String, u64)>> = HashMap::new();
                for ((site, month, action), n) in &taken {
                    by_site.entry(site).or_default().push((field(*month, *action), *n));
                }
                let mut result = Ok(());
                for (site, deltas) in by_site {
                    if let Err(e) = redis.add_counts(&hash_name(site), &deltas).await {
                        result = Err(UsageError(e.to_string()));
                        break;
                    }
                }
                result
            }
            Store::Disk(db) => {
                let (db, deltas) = (Arc::clone(db), taken.clone());
                tokio::task::spawn_blocking(move || write_disk(&db, &deltas))
                    .await
                    .map_err(disk_error)
                    .and_then(|r| r)
            }
        };
        if let Err(e) = written {
            // Kept for the next write. With Redis, sites written before the failure may be
            // counted twice; a lost count is worse than a rare double one for a usage report.
            let mut pending =
                self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            for (key, n) in taken {
                *pending.entry(key).or_insert(0) += n;
            }
            return Err(e);
        }
        Ok(())
    }

    /// `site`'s counts by month, oldest first, what is not written yet included.
    pub async fn months(&self, site: &str) -> Result<Vec<(Month, Counts)>, UsageError> {
        let mut months: HashMap<Month, Counts> = match &self.store {
            Store::Redis(redis) => {
                let fields =
                    redis.counts(&hash_name(site)).await.map_err(|e| UsageError(e.to_string()))?;
                let mut months: HashMap<Month, Counts> = HashMap::new();
                for (field, n) in fields {
                    let Some((month, action)) = field.split_once(':') else { continue };
                    let Some(i) = column(action) else { continue };
                    months.entry(month.to_owned()).or_default()[i] += n;
                }
                months
            }
            Store::Disk(db) => {
                let (db, site) = (Arc::clone(db), site.to_owned());
                tokio::task::spawn_blocking(move || read_disk(&db, &site))
                    .await
                    .map_err(disk_error)??
            }
        };
        let pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for ((key, month, action), n) in pending.iter() {
            if &**key == site {
                let i = column(action.label()).unwrap_or(0);
                months.entry(month_text(*month)).or_default()[i] += n;
            }
        }
        let mut months: Vec<(Month, Counts)> = months.into_iter().collect();
        months.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(months)
    }
}

/// Writes the pending counts out every [`FLUSH_EVERY`], for ever.
pub async fn keep_writing(book: Arc<UsageBook>) {
    let mut every = tokio::time::interval(FLUSH_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        every.tick().await;
        match book.flush().await {
            Ok(()) if failing => {
                failing = false;
                tracing::info!("usage counts written again");
            }
            Ok(()) => {}
            Err(e) if !failing => {
                failing = true;
                tracing::warn!(error = %e, "usage counts not written: kept in memory, tried again");
            }
            Err(_) => {}
        }
    }
}

/// The default file of the embedded store.
pub fn default_file() -> PathBuf {
    PathBuf::from("emploi-usage.redb")
}

/// The place in [`Counts`] of the action labelled `label`.
fn column(label: &str) -> Option<usize> {
    Action::ALL.iter().position(|a| a.label() == label)
}

fn hash_name(site: &str) -> String {
    format!("usage:{site}")
}

fn field(month: MonthNumber, action: Action) -> String {
    format!("{}:{}", month_text(month), action.label())
}

fn write_disk(db: &redb::Database, deltas: &Pending) -> Result<(), UsageError> {
    use redb::ReadableTable as _;
    let txn = db.begin_write().map_err(disk_error)?;
    {
        let mut table = txn.open_table(TABLE).map_err(disk_error)?;
        for ((site, month, action), n) in deltas {
            let month = month_text(*month);
            let key = (&**site, month.as_str(), action.label());
            let before = table.get(key).map_err(disk_error)?.map_or(0, |v| v.value());
            table.insert(key, before + n).map_err(disk_error)?;
        }
    }
    txn.commit().map_err(disk_error)
}

fn read_disk(db: &redb::Database, site: &str) -> Result<HashMap<Month, Counts>, UsageError> {
    use redb::{ReadableDatabase as _, ReadableTable as _};
    let txn = db.begin_read().map_err(disk_error)?;
    let table = txn.open_table(TABLE).map_err(disk_error)?;
    let mut months: HashMap<Month, Counts> = HashMap::new();
    // Months are digits and '-': '~' sorts after every one of them.
    for row in table.range((site, "", "")..(site, "~", "")).map_err(disk_error)? {
        let (key, n) = row.map_err(disk_error)?;
        let (_, month, action) = key.value();
        let Some(i) = column(action) else { continue };
        months.entry(month.to_owned()).or_default()[i] += n.value();
    }
    Ok(months)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_numbers_and_back() {
        for month in ["2026-01", "2026-12", "0999-07"] {
            assert_eq!(month_number(month).map(month_text).as_deref(), Some(month));
        }
        assert_eq!(
            month_number("2026-12").map(|n| n + 1).map(month_text).as_deref(),
            Some("2027-01")
        );
        for bad in ["2026-13", "2026-00", "2026", "26-x"] {
            assert_eq!(month_number(bad), None, "{bad}");
        }
        assert_eq!(month_text(this_month()).len(), 7);
    }

    #[tokio::test]
    async fn counts_survive_a_restart_with_the_embedded_store() {
        let dir = std::env::temp_dir().join(format!("emploi-usage-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let file = dir.join("usage.redb");
        let (ville, autre): (Arc<str>, Arc<str>) = (Arc::from("ville"), Arc::from("ville-2"));
        {
            let book = UsageBook::disk(&file).unwrap_or_else(|e| panic!("{e}"));
            for _ in 0..3 {
                book.count_in(&ville, "2026-11".into(), Action::Search);
            }
            book.count_in(&ville, "2026-12".into(), Action::Apply);
            book.count_in(&autre, "2026-12".into(), Action::Search);
            book.flush().await.unwrap_or_else(|e| panic!("{e}"));
            // Not written yet, but read.
            book.count_in(&ville, "2026-12".into(), Action::Apply);
            let months = book.months("ville").await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                months,
                [("2026-11".into(), [3, 0, 0, 0, 0, 0]), ("2026-12".into(), [0, 0, 2, 0, 0, 0])]
            );
            book.flush().await.unwrap_or_else(|e| panic!("{e}"));
        }
        let book = UsageBook::disk(&file).unwrap_or_else(|e| panic!("{e}"));
        let months = book.months("ville").await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            months,
            [("2026-11".into(), [3, 0, 0, 0, 0, 0]), ("2026-12".into(), [0, 0, 2, 0, 0, 0])]
        );
        let other = book.months("ville-2").await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(other, [("2026-12".into(), [1, 0, 0, 0, 0, 0])], "a key that extends another");
        assert!(book.months("nobody").await.unwrap_or_else(|e| panic!("{e}")).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
