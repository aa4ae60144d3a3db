//! One kind of cached upstream answer, served at once and refreshed behind.
//!
//! Each entry carries when France Travail gave it (`fetched_at`). Its age decides:
//! - **fresh** (under the layer's TTL): served;
//! - **stale** (under `max_age`, at most 24 hours as the offers licence asks): served at once,
//!   and one refresh starts behind it (see [`Layer::refresh`]), whatever the number of requests
//!   or instances asking;
//! - **expired**: a miss, the resident waits for France Travail; if France Travail fails, the
//!   entry is still served, flagged stale, up to `keep`.
//!
//! Misses and refreshes of one key are one flight: concurrent callers share one call, in this
//! process through [`Layer::flight`], across instances through a Redis lock. Ages are read on
//! [`now_ms`], a wall clock that follows tokio's (virtual, in the national simulation).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use moka::future::Cache;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::budget::{Caller, Class};
use super::refresh::Demand;
use super::shared::SharedStore;
use super::{Served, UpstreamError};
use crate::metrics::Metrics;

/// Milliseconds since the Unix epoch, read as the wall clock at the first call plus tokio's
/// elapsed time since (so that paused, virtual time moves it too).
pub fn now_ms() -> u64 {
    static ANCHOR: OnceLock<(u64, tokio::time::Instant)> = OnceLock::new();
    let (wall, at) = ANCHOR.get_or_init(|| {
        let wall = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
        (u64::try_from(wall).unwrap_or(u64::MAX), tokio::time::Instant::now())
    });
    wall + u64::try_from(at.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Fetches the answer of one key from France Travail.
pub type Fetcher<T> =
    Arc<dyn Fn(String) -> BoxFuture<'static, Result<T, UpstreamError>> + Send + Sync>;

/// An answer and when France Travail gave it.
#[derive(Debug)]
pub struct Entry<T> {
    /// The answer.
    pub value: Arc<T>,
    /// When France Travail gave it, in milliseconds since the Unix epoch.
    pub fetched_at: u64,
    /// The last refresh of it failed (France Travail down or failing): served past its fresh
    /// life, it is flagged stale.
    pub failing: bool,
}

impl<T> Clone for Entry<T> {
    fn clone(&self) -> Self {
        Self { value: Arc::clone(&self.value), fetched_at: self.fetched_at, failing: self.failing }
    }
}

/// How an entry's age is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// Served without a refresh below this age.
    pub fresh: Duration,
    /// Served as current (a refresh behind) below this age.
    pub max_age: Duration,
    /// Kept this long, to be served flagged stale when France Travail fails.
    pub keep: Duration,
}

/// What an age means for an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    /// Served as is.
    Fresh,
    /// Served at once, refreshed behind.
    Stale,
    /// Not served as current.
    Expired,
}

impl Freshness {
    /// What `age_ms` means.
    pub fn judge(&self, age_ms: u64) -> Age {
        let age = Duration::from_millis(age_ms);
        if age < self.fresh {
            Age::Fresh
        } else if age < self.max_age {
            Age::Stale
        } else {
            Age::Expired
        }
    }

    /// How long an entry is held: served as current up to `max_age`, then flagged stale, when
    /// France Travail fails, up to `keep`.
    pub fn held(&self) -> Duration {
        self.keep.max(self.max_age)
    }
}

type Flight<T> = Shared<BoxFuture<'static, Result<Entry<T>, UpstreamError>>>;

/// How long a Redis lock on a missing answer lives unless its holder renews it (every quarter
/// of it while the call runs).
const LOCK_LEASE: Duration = Duration::from_secs(2);

/// One kind of cached answer (see the module's documentation).
pub struct Layer<T: Send + Sync + 'static> {
    name: &'static str,
    entries: Cache<String, Entry<T>>,
    inflight: Mutex<HashMap<String, Flight<T>>>,
    freshness: Freshness,
    /// One request's whole time, waiting for another instance included.
    deadline: Duration,
    shared: Option<SharedStore>,
    metrics: Arc<Metrics>,
    fetcher: Fetcher<T>,
    /// The refresh scheduler's record of what is asked (search layers only).
    demand: Option<Arc<Demand>>,
}

impl<T: Send + Sync + 'static> std::fmt::Debug for Layer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layer")
            .field("name", &self.name)
            .field("freshness", &self.freshness)
            .finish_non_exhaustive()
    }
}

/// An entry as Redis keeps it.
#[derive(Serialize)]
struct Stored<'a, T> {
    t: u64,
    v: &'a T,
}

#[derive(serde::Deserialize)]
struct Loaded<T> {
    t: u64,
    v: T,
}

/// About the size of a cached answer's JSON, in bytes: what bounds a layer.
pub trait Weigh {
    /// The weight.
    fn weight(&self) -> usize;
}

impl<T> Layer<T>
where
    T: Serialize + DeserializeOwned + Weigh + Send + Sync + 'static,
{
    /// A layer keeping at most `max_bytes` of answers, fetched by `fetcher`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        name: &'static str,
        freshness: Freshness,
        max_bytes: u64,
        deadline: Duration,
        shared: Option<SharedStore>,
        metrics: Arc<Metrics>,
        fetcher: Fetcher<T>,
        demand: Option<Arc<Demand>>,
    ) -> Arc<Self> {
        // Bounded by size, not by entries (a 150-offer window weighs a thousand times a
        // one-offer answer). The weight is about the answer's JSON size ([`Weigh`]), computed
        // once per insertion; in memory an answer takes about as much again.
        let weigher = |key: &String, entry: &Entry<T>| {
            u32::try_from(entry.value.weight() + key.len()).unwrap_or(u32::MAX)
        };
        let keep = freshness.held().max(Duration::from_millis(1));
        Arc::new(Self {
            name,
            entries: Cache::builder()
                .max_capacity(max_bytes)
                .weigher(weigher)
                .time_to_live(keep)
                .build(),
            inflight: Mutex::new(HashMap::new()),
            freshness,
            deadline,
            shared,
            metrics,
            fetcher,
            demand,
        })
    }

    /// The layer's name (metrics, Redis keys).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// How ages are read.
    pub fn freshness(&self) -> Freshness {
        self.freshness
    }

    /// When the answer of `key` held here was fetched, if one is.
    pub async fn fetched_at(&self, key: &str) -> Option<u64> {
        self.entries.get(key).await.map(|e| e.fetched_at)
    }

    /// Answers held, and their weight (the memory benchmark).
    pub async fn held(&self) -> (u64, u64) {
        self.entries.run_pending_tasks().await;
        (self.entries.entry_count(), self.entries.weighted_size())
    }

    /// The answer of `key`: a fresh or stale entry at once (a stale one refreshed behind), else
    /// one flight to France Travail; the last entry flagged stale if that fails.
    pub async fn get(self: &Arc<Self>, key: String) -> Result<Served<T>, UpstreamError> {
        let now = now_ms();
        let caller = Caller::current();
        if let Some(demand) = &self.demand {
            demand.seen(self.name, &key, now, caller.class == Class::Refresh);
        }
        let mut known = self.entries.get(&key).await;
        let fresh = |e: &Entry<T>| self.freshness.judge(now.saturating_sub(e.fetched_at));
        if known.as_ref().is_none_or(|e| fresh(e) != Age::Fresh)
            && let Some(store) = &self.shared
            && let Some(newer) = self.read_shared(store, &key).await
            && known.as_ref().is_none_or(|e| newer.fetched_at > e.fetched_at)
        {
            self.entries.insert(key.clone(), newer.clone()).await;
            known = Some(newer);
        }
        match known.as_ref().map(|e| (fresh(e), e)) {
            Some((Age::Fresh, e)) => {
                self.metrics.lookup(self.name, "hit");
                return Ok(served(e, false));
            }
            Some((Age::Stale, e)) => {
                self.metrics.lookup(self.name, "revalidate");
                // The refresh runs in its own task; nobody waits for it here.
                drop(self.refresh(key));
                return Ok(served(e, e.failing));
            }
            Some((Age::Expired, _)) | None => {}
        }
        self.metrics.lookup(self.name, "miss");
        match self.flight(key, caller).await {
            Ok(e) => Ok(served(&e, false)),
            Err(e) if matches!(e, UpstreamError::Rejected(_)) => Err(e),
            // The last answer, if still held (read on its date: an entry marked failing
            // was inserted again, and the cache's own clock counts from then).
            Err(e) => match known.filter(|old| {
                Duration::from_millis(now_ms().saturating_sub(old.fetched_at))
                    < self.freshness.held()
            }) {
                Some(old) => {
                    tracing::warn!(error = %e, cache = self.name, "serving a stale answer");
                    self.metrics.lookup(self.name, "stale");
                    Ok(served(&old, true))
                }
                None => Err(e),
            },
        }
    }

    /// Starts one background refresh of `key`, in the budget's refresh class, unless one flight
    /// of it is already under way: the flight returned runs in its own task, awaited or not.
    pub fn refresh(self: &Arc<Self>, key: String) -> Flight<T> {
        let refresher = Caller { site: Arc::from("-"), client: None, class: Class::Refresh };
        self.flight(key, refresher)
    }

    /// The one flight of `key`: joins the one under way, or starts it in its own task for
    /// `caller` (so a resident who leaves does not waste the call, and a refresh runs without
    /// anyone waiting).
    fn flight(self: &Arc<Self>, key: String, caller: Caller) -> Flight<T> {
        let mut inflight = self.inflight.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(flight) = inflight.get(&key) {
            return flight.clone();
        }
        let this = Arc::clone(self);
        let k = key.clone();
        let task = tokio::spawn(caller.scope(async move {
            let result = this.fetch_and_store(&k).await;
            if let Err(e) = &result
                && !matches!(e, UpstreamError::RateLimited(_) | UpstreamError::CallerOverBudget(_))
                && let Some(old) = this.entries.get(&k).await
                && !old.failing
            {
                this.entries.insert(k.clone(), Entry { failing: true, ..old }).await;
            }
            this.inflight.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&k);
            result
        }));
        let flight = async move {
            task.await.unwrap_or_else(|e| Err(UpstreamError::Unavailable(format!("task: {e}"))))
        }
        .boxed()
        .shared();
        inflight.insert(key, flight.clone());
        flight
    }

    async fn fetch_and_store(&self, key: &str) -> Result<Entry<T>, UpstreamError> {
        let entry = match &self.shared {
            Some(store) => self.fetch_shared(key, store).await?,
            None => Entry {
                value: Arc::new(within(self.deadline, (self.fetcher)(key.to_owned())).await?),
                fetched_at: now_ms(),
                failing: false,
            },
        };
        self.entries.insert(key.to_owned(), entry.clone()).await;
        Ok(entry)
    }

    fn shared_key(&self, key: &str) -> String {
        format!("entry:{}:{key}", self.name)
    }

    async fn read_shared(&self, store: &SharedStore, key: &str) -> Option<Entry<T>> {
        match store.get(&self.shared_key(key)).await {
            Ok(Some(bytes)) => match serde_json::from_slice::<Loaded<T>>(&bytes) {
                Ok(l) => Some(Entry { value: Arc::new(l.v), fetched_at: l.t, failing: false }),
                Err(e) => {
                    tracing::warn!(error = %e, "unreadable shared cache entry");
                    None
                }
            },
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(error = %e, "shared cache unreachable");
                None
            }
        }
    }

    /// A flight with Redis: a fresh entry another instance stored, or France Travail under a
    /// Redis lock so that concurrent flights on several instances make one call. Redis failures
    /// fall back to calling directly.
    ///
    /// The lock is owner-safe (a value unique to this holder, released only if still ours) and
    /// a short lease renewed while the call runs, so a holder that dies mid-call (killed, or its
    /// machine gone) blocks the others for one lease at most. Waiting and calling together keep
    /// to one deadline.
    async fn fetch_shared(
        &self,
        key: &str,
        store: &SharedStore,
    ) -> Result<Entry<T>, UpstreamError> {
        let lock_key = format!("lock:{}:{key}", self.name);
        let give_up = tokio::time::Instant::now() + self.deadline;
        let call = async {
            let value = tokio::time::timeout_at(give_up, (self.fetcher)(key.to_owned()))
                .await
                .unwrap_or_else(|_| Err(UpstreamError::Unavailable("deadline exceeded".into())))?;
            Ok::<_, UpstreamError>(Entry {
                value: Arc::new(value),
                fetched_at: now_ms(),
                failing: false,
            })
        };
        let owner = SharedStore::owner_token();
        loop {
            if let Some(e) = self.read_shared(store, key).await
                && self.freshness.judge(now_ms().saturating_sub(e.fetched_at)) == Age::Fresh
            {
                return Ok(e);
            }
            match store.lock(&lock_key, &owner, LOCK_LEASE).await {
                Ok(true) => break,
                // Another instance is fetching the same answer: wait for it.
                Ok(false) if tokio::time::Instant::now() < give_up => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Ok(false) => {
                    return Err(UpstreamError::Unavailable(
                        "another instance is still fetching this answer".into(),
                    ));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "shared cache lock unreachable");
                    return call.await;
                }
            }
        }
        // Renew the lease while the call runs; the renewal never ends the wait by itself.
        let renew = async {
            loop {
                tokio::time::sleep(LOCK_LEASE / 4).await;
                match store.renew(&lock_key, &owner, LOCK_LEASE).await {
                    Ok(true) => {}
                    Ok(false) | Err(_) => {
                        tracing::warn!(cache = self.name, "lost a shared cache lock mid-call");
                        std::future::pending::<()>().await;
                    }
                }
            }
        };
        let result = tokio::select! {
            result = call => result,
            () = renew => unreachable!("the renewal loop never ends"),
        };
        if let Ok(entry) = &result
            && let Ok(bytes) =
                serde_json::to_vec(&Stored { t: entry.fetched_at, v: entry.value.as_ref() })
            && let Err(e) = store.set(&self.shared_key(key), &bytes, self.freshness.held()).await
        {
            tracing::warn!(error = %e, "could not share a cache entry");
        }
        let _ = store.unlock(&lock_key, &owner).await;
        result
    }
}

fn served<T>(e: &Entry<T>, stale: bool) -> Served<T> {
    Served { value: Arc::clone(&e.value), stale, fetched_at: e.fetched_at }
}

async fn within<T>(
    deadline: Duration,
    call: impl Future<Output = Result<T, UpstreamError>>,
) -> Result<T, UpstreamError> {
    tokio::time::timeout(deadline, call)
        .await
        .unwrap_or_else(|_| Err(UpstreamError::Unavailable("deadline exceeded".into())))
}
