//! Fault injection knobs and call counters, for the proxy's fault tests.
//!
//! The knobs exist only on the sandbox (config at start, `GET`/`PUT /_sandbox/faults` at run
//! time). Error injection is deterministic: with `error_rate` 0.25, exactly one API call in four
//! fails, so tests do not flake.

use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// Fault settings. Every field defaults to "no fault".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Added latency before every API answer, in milliseconds.
    pub latency_ms: u64,
    /// Share of API calls (0.0 to 1.0) answered with `error_status`.
    pub error_rate: f64,
    /// Status of injected errors: 500, 502 or 503. Defaults to 503.
    pub error_status: Option<u16>,
    /// API calls never answer (until the client gives up).
    pub hang: bool,
    /// Every API call gets 429 with `Retry-After: retry_after_secs`.
    pub force_429: bool,
    /// `Retry-After` of forced 429s. Defaults to 1.
    pub retry_after_secs: Option<u64>,
    /// Search answers carry a body that is not JSON.
    pub garbage_json: bool,
    /// The whole gateway answers 503 (maintenance), token endpoint included.
    pub maintenance: bool,
    /// Lifetime of newly issued tokens, overriding the configured one.
    pub token_lifetime_secs: Option<u64>,
}

/// Call counters since start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Token requests.
    pub token_calls: u64,
    /// API calls that passed authentication (search, detail, referentials).
    pub api_calls: u64,
    /// Search calls among them.
    pub search_calls: u64,
    /// Detail calls among them.
    pub detail_calls: u64,
    /// API calls refused with 401.
    pub unauthorized: u64,
    /// API calls refused with 429 by the rate limiter.
    pub rate_limited: u64,
    /// API calls answered with an injected fault.
    pub faulted: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) token_calls: AtomicU64,
    pub(crate) api_calls: AtomicU64,
    pub(crate) search_calls: AtomicU64,
    pub(crate) detail_calls: AtomicU64,
    pub(crate) unauthorized: AtomicU64,
    pub(crate) rate_limited: AtomicU64,
    pub(crate) faulted: AtomicU64,
    errors_considered: AtomicU64,
}

pub(crate) struct FaultState {
    faults: RwLock<Faults>,
    pub(crate) counters: Counters,
}

impl FaultState {
    pub(crate) fn new(faults: Faults) -> Self {
        Self { faults: RwLock::new(faults), counters: Counters::default() }
    }

    pub(crate) fn get(&self) -> Faults {
        self.faults.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn set(&self, faults: Faults) {
        *self.faults.write().unwrap_or_else(|e| e.into_inner()) = faults;
    }

    /// Whether this API call gets an injected error (deterministic spacing).
    pub(crate) fn draw_error(&self, rate: f64) -> bool {
        if rate <= 0.0 {
            return false;
        }
        let n = self.counters.errors_considered.fetch_add(1, Ordering::Relaxed) as f64;
        let rate = rate.min(1.0);
        ((n + 1.0) * rate).floor() > (n * rate).floor()
    }

    pub(crate) fn stats(&self) -> Stats {
        let c = &self.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Stats {
            token_calls: get(&c.token_calls),
            api_calls: get(&c.api_calls),
            search_calls: get(&c.search_calls),
            detail_calls: get(&c.detail_calls),
            unauthorized: get(&c.unauthorized),
            rate_limited: get(&c.rate_limited),
            faulted: get(&c.faulted),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_rate_is_spread_evenly() {
        let state = FaultState::new(Faults::default());
        let hits = (0..100).filter(|_| state.draw_error(0.25)).count();
        assert_eq!(hits, 25);
        assert!(!FaultState::new(Faults::default()).draw_error(0.0));
    }
}
