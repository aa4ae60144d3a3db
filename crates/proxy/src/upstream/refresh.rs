//! The refresh scheduler: keeps warm what residents will ask for, at the pace the budget leaves.
//!
//! [`Demand`] records what is asked of the search layer: each key's request rate (an
//! exponentially decayed count, time constant `TAU`) and whether it is **pinned** (a registered
//! site's default first view, registered at start-up; pinned keys are kept warm even with no
//! request at all).
//!
//! [`Scheduler`] plans one refresh interval per key by the **square-root rule**: served answers
//! are on average `T/2` old when a key is refreshed every `T`, so the demand-weighted age
//! `Σ λₖ·Tₖ/2` under the refresh capacity `Σ 1/Tₖ = B` is least for `Tₖ = K / √λₖ`, with `K`
//! found by bisection and each `Tₖ` clamped to `[fresh TTL, refresh_max_interval]` (a key with
//! no demand gets the maximum). It plans every ten minutes, since demand moves over hours. Every
//! second it refreshes the keys that are due, most overdue first, at most `B` a second, each in
//! the budget's refresh class: a refresh never delays a resident's miss, it only takes spare
//! slots, and a refused one is tried again a second later. Unpinned keys not asked for
//! `max_age` are forgotten.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::UpstreamError;
use super::layer::{Layer, now_ms};

/// The time constant of the demand estimate: a day, the period of residents' traffic.
const TAU_SECS: f64 = 24.0 * 3600.0;

/// What is asked of one key.
#[derive(Debug, Clone, Copy)]
struct Want {
    /// Decayed count of requests (requests a second times `TAU_SECS`).
    count: f64,
    /// When it was last asked, in Unix milliseconds.
    seen_ms: u64,
    /// A site's default first view: kept warm whatever its demand.
    pinned: bool,
}

impl Want {
    /// Requests a second, as of `now`.
    fn rate(&self, now: u64) -> f64 {
        let dt = now.saturating_sub(self.seen_ms) as f64 / 1000.0;
        self.count * (-dt / TAU_SECS).exp() / TAU_SECS
    }
}

/// What is asked of the search layer, key by key.
#[derive(Debug, Default)]
pub struct Demand {
    wants: Mutex<HashMap<String, Want>>,
}

impl Demand {
    /// Records a request for `key` at `now`; `pin` marks it as a site's default first view
    /// (the start-up registration, which is not counted as demand).
    pub fn seen(&self, _layer: &'static str, key: &str, now: u64, pin: bool) {
        let mut wants = self.wants.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match wants.get_mut(key) {
            Some(w) => {
                if pin {
                    w.pinned = true;
                } else {
                    let dt = now.saturating_sub(w.seen_ms) as f64 / 1000.0;
                    w.count = w.count * (-dt / TAU_SECS).exp() + 1.0;
                    w.seen_ms = now;
                }
            }
            None => {
                wants.insert(
                    key.to_owned(),
                    Want { count: if pin { 0.0 } else { 1.0 }, seen_ms: now, pinned: pin },
                );
            }
        }
    }

    /// Unpins every key (a reload removed or changed sites: the remaining sites' first views
    /// are pinned again). An unpinned key stays as long as residents ask for it.
    pub fn unpin_all(&self) {
        let mut wants = self.wants.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for want in wants.values_mut() {
            want.pinned = false;
        }
    }

    /// Keys recorded, and how many are pinned.
    pub fn len(&self) -> (usize, usize) {
        let wants = self.wants.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (wants.len(), wants.values().filter(|w| w.pinned).count())
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.len().0 == 0
    }

    /// Each key's rate as of `now`, forgetting the unpinned keys not asked since `forget_ms`.
    fn rates(&self, now: u64, forget_ms: u64) -> Vec<(String, f64)> {
        let mut wants = self.wants.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        wants.retain(|_, w| w.pinned || now.saturating_sub(w.seen_ms) < forget_ms);
        wants.iter().map(|(k, w)| (k.clone(), w.rate(now))).collect()
    }
}

/// The scheduler's policy.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Refreshes a second the plan spends (the budget's rate less the residents' reserve).
    pub per_second: f64,
    /// The shortest interval (the layer's fresh TTL: refreshing sooner gains nothing).
    pub min_interval: Duration,
    /// The longest interval (under the maximum age).
    pub max_interval: Duration,
    /// Unpinned keys not asked for this long are forgotten.
    pub forget_after: Duration,
}

/// Refresh intervals by the square-root rule (see the module's documentation): `rates` in
/// requests a second, the result in seconds, spending at most `policy.per_second` refreshes a
/// second when the clamps allow.
pub fn plan(rates: &[f64], policy: &Policy) -> Vec<f64> {
    let (lo, hi) = (policy.min_interval.as_secs_f64().max(1.0), policy.max_interval.as_secs_f64());
    let interval = |k: f64, rate: f64| -> f64 {
        if rate <= 0.0 { hi } else { (k / rate.sqrt()).clamp(lo, hi.max(lo)) }
    };
    let spend = |k: f64| -> f64 { rates.iter().map(|r| 1.0 / interval(k, *r)).sum() };
    // `spend` falls as `k` grows: find the smallest `k` within the capacity.
    let (mut below, mut above) = (0.0_f64, 1.0_f64);
    while spend(above) > policy.per_second && above < 1e12 {
        above *= 2.0;
    }
    for _ in 0..40 {
        let mid = f64::midpoint(below, above);
        if spend(mid) > policy.per_second {
            below = mid;
        } else {
            above = mid;
        }
    }
    rates.iter().map(|r| interval(above, *r)).collect()
}

/// What one run of the scheduler did, for metrics and the simulation.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Refreshes that brought a new answer.
    pub refreshed: u64,
    /// Refreshes the budget refused (spare capacity was short).
    pub refused: u64,
    /// Refreshes that failed otherwise.
    pub failed: u64,
}

/// Refreshes the keys of one layer ahead of their expiry (see the module's documentation).
pub struct Scheduler<T: Send + Sync + 'static> {
    layer: Arc<Layer<T>>,
    demand: Arc<Demand>,
    policy: Policy,
    tally: Mutex<Tally>,
    /// Keys whose refresh the budget refused since the last tick.
    refused: Mutex<Vec<String>>,
}

impl<T> Scheduler<T>
where
    T: Serialize + DeserializeOwned + super::layer::Weigh + Send + Sync + 'static,
{
    /// A scheduler of `layer`'s keys recorded in `demand`.
    pub fn new(layer: Arc<Layer<T>>, demand: Arc<Demand>, policy: Policy) -> Self {
        Self { layer, demand, policy, tally: Mutex::default(), refused: Mutex::default() }
    }

    /// What it did so far.
    pub fn tally(&self) -> Tally {
        *self.tally.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs for ever: plans every ten minutes, refreshes every second.
    pub async fn run(self: Arc<Self>) {
        /// Demand moves over hours (its time constant is a day): a plan every ten minutes.
        const REPLAN_MS: u64 = 600_000;
        // The heap may hold outdated entries of a key: `scheduled` has its one due time.
        let mut due: BinaryHeap<Reverse<(u64, String)>> = BinaryHeap::new();
        let mut scheduled: HashMap<String, u64> = HashMap::new();
        let mut intervals: HashMap<String, u64> = HashMap::new();
        let mut planned_at = None;
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let schedule = |due: &mut BinaryHeap<_>, scheduled: &mut HashMap<_, _>, at, key: String| {
            scheduled.insert(key.clone(), at);
            due.push(Reverse((at, key)));
        };
        loop {
            tick.tick().await;
            let now = now_ms();
            if planned_at.is_none_or(|t: u64| now.saturating_sub(t) >= REPLAN_MS) {
                planned_at = Some(now);
                let forget =
                    u64::try_from(self.policy.forget_after.as_millis()).unwrap_or(u64::MAX);
                let rates = self.demand.rates(now, forget);
                let plan = plan(&rates.iter().map(|(_, r)| *r).collect::<Vec<_>>(), &self.policy);
                let mut planned = HashMap::with_capacity(rates.len());
                for ((key, _), secs) in rates.into_iter().zip(plan) {
                    let interval = (secs * 1000.0) as u64;
                    if !scheduled.contains_key(&key) {
                        // New: due one interval after its answer, or now when there is none.
                        let at = self.layer.fetched_at(&key).await.map_or(now, |t| t + interval);
                        schedule(&mut due, &mut scheduled, at, key.clone());
                    }
                    planned.insert(key, interval);
                }
                // Forgotten keys leave the schedule.
                scheduled.retain(|k, _| planned.contains_key(k));
                intervals = planned;
            }
            let mut budget = self.policy.per_second.ceil().max(1.0) as usize;
            let mut flights = Vec::new();
            while budget > 0 {
                let Some(Reverse((at, _))) = due.peek() else { break };
                if *at > now {
                    break;
                }
                let Some(Reverse((at, key))) = due.pop() else { break };
                if scheduled.get(&key) != Some(&at) {
                    continue;
                }
                let Some(interval) = intervals.get(&key).copied() else { continue };
                // Refreshed since (on demand, or by a resident's miss): due one interval on.
                if let Some(t) = self.layer.fetched_at(&key).await
                    && t + interval > now
                {
                    schedule(&mut due, &mut scheduled, t + interval, key);
                    continue;
                }
                budget -= 1;
                schedule(&mut due, &mut scheduled, now + interval, key.clone());
                flights.push((key.clone(), self.layer.refresh(key)));
            }
            // Refused ones (spare capacity was short) are due again a second later.
            for key in std::mem::take(
                &mut *self.refused.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
            ) {
                if scheduled.contains_key(&key) {
                    schedule(&mut due, &mut scheduled, now + 1_000, key);
                }
            }
            for (key, flight) in flights {
                let this = Arc::clone(&self);
                tokio::spawn(async move {
                    let result = flight.await;
                    let mut t =
                        this.tally.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    match result {
                        Ok(_) => t.refreshed += 1,
                        Err(UpstreamError::RateLimited(_)) => {
                            t.refused += 1;
                            drop(t);
                            this.refused
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .push(key);
                        }
                        Err(_) => t.failed += 1,
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(per_second: f64) -> Policy {
        Policy {
            per_second,
            min_interval: Duration::from_secs(300),
            max_interval: Duration::from_secs(6 * 3600),
            forget_after: Duration::from_secs(24 * 3600),
        }
    }

    #[test]
    fn busier_keys_are_refreshed_more_often_within_the_capacity() {
        // 1,000 keys: ten busy ones, the rest quiet, and 100 with no demand at all.
        let rates: Vec<f64> = (0..1_000)
            .map(|i| match i {
                0..10 => 0.1,
                10..900 => 0.0005,
                _ => 0.0,
            })
            .collect();
        let intervals = plan(&rates, &policy(0.2));
        let spend: f64 = intervals.iter().map(|t| 1.0 / t).sum();
        assert!(spend <= 0.2 * 1.001, "{spend}");
        assert!(intervals[0] < intervals[500], "{} {}", intervals[0], intervals[500]);
        assert_eq!(intervals[950], 6.0 * 3600.0);
        // The square-root rule: 200 times the demand, about 1/14 of the interval.
        let ratio = intervals[500] / intervals[0];
        assert!(
            (ratio - (0.1_f64 / 0.0005).sqrt()).abs() < 0.5 || intervals[0] == 300.0,
            "{ratio}"
        );
    }

    #[test]
    fn a_generous_capacity_refreshes_at_the_fresh_ttl() {
        let intervals = plan(&[1.0, 0.01], &policy(1_000.0));
        assert_eq!(intervals, vec![300.0, 300.0]);
    }

    #[test]
    fn demand_decays_and_unasked_keys_are_forgotten() {
        let demand = Demand::default();
        demand.seen("search", "a", 0, false);
        demand.seen("search", "a", 1_000, false);
        demand.seen("search", "pinned", 0, true);
        let day = 24 * 3600 * 1000;
        let rates = demand.rates(1_000, day);
        let a = rates.iter().find(|(k, _)| k == "a").map(|(_, r)| *r).unwrap_or_default();
        assert!((a - 2.0 / TAU_SECS).abs() < 1e-9, "{a}");
        let later = demand.rates(2 * day, day);
        assert_eq!(later.len(), 1, "{later:?}");
        assert_eq!(later[0].0, "pinned");
    }

    /// A numbered answer.
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Counted(u64);

    impl super::super::layer::Weigh for Counted {
        fn weight(&self) -> usize {
            8
        }
    }

    /// A site's first view, registered at start-up and never asked again, is refreshed by the
    /// scheduler every `max_interval`, so it never reaches the maximum age; the budget's turn
    /// is never taken from residents (the calls are in the refresh class).
    #[tokio::test(start_paused = true)]
    async fn a_pinned_key_is_kept_warm_without_any_request() {
        use std::sync::atomic::{AtomicU64, Ordering};

        use futures::FutureExt;

        use super::super::budget::{Budget, Caller, Class};
        use super::super::layer::{Fetcher, Freshness, Layer};

        let budget = Arc::new(Budget::new(
            &crate::config::Budget { calls_per_second: 9, ..crate::config::Budget::default() },
            0,
            None,
        ));
        let calls = Arc::new(AtomicU64::new(0));
        let fetcher: Fetcher<Counted> = {
            let (budget, calls) = (Arc::clone(&budget), Arc::clone(&calls));
            Arc::new(move |_key: String| {
                let (budget, calls) = (Arc::clone(&budget), Arc::clone(&calls));
                async move {
                    budget.acquire().await?;
                    tokio::time::sleep(Duration::from_millis(400)).await;
                    Ok(Counted(calls.fetch_add(1, Ordering::SeqCst) + 1))
                }
                .boxed()
            })
        };
        let day = Duration::from_secs(24 * 3600);
        let freshness = Freshness { fresh: Duration::from_secs(300), max_age: day, keep: day };
        let demand = Arc::new(Demand::default());
        let layer = Layer::new(
            "search",
            freshness,
            1 << 20,
            Duration::from_secs(10),
            None,
            Arc::new(crate::metrics::Metrics::new()),
            fetcher,
            Some(Arc::clone(&demand)),
        );
        let refresher = Caller { site: Arc::from("-"), client: None, class: Class::Refresh };
        let first = refresher.scope(layer.get("35238".to_owned())).await;
        assert_eq!(first.map(|s| s.value.0).ok(), Some(1));
        assert_eq!(demand.len(), (1, 1), "registered and pinned");
        let policy = Policy {
            per_second: 5.0,
            min_interval: Duration::from_secs(300),
            max_interval: Duration::from_secs(6 * 3600),
            forget_after: day,
        };
        let scheduler = Arc::new(Scheduler::new(Arc::clone(&layer), Arc::clone(&demand), policy));
        let running = tokio::spawn(Arc::clone(&scheduler).run());
        // Two days: refreshed every 6 hours, so 8 refreshes, and never older than 6 h and a bit.
        for _ in 0..(2 * 24 * 6) {
            tokio::time::sleep(Duration::from_secs(600)).await;
            let at = layer.fetched_at("35238").await.unwrap_or(0);
            let age = super::super::layer::now_ms().saturating_sub(at);
            assert!(age <= 6 * 3_600_000 + 601_000, "{age} ms old");
        }
        let n = calls.load(Ordering::SeqCst);
        assert!((8..=10).contains(&n), "{n} calls");
        assert_eq!(scheduler.tally().refused, 0);
        running.abort();
    }
}
