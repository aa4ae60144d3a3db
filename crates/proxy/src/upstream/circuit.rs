//! A circuit breaker in front of France Travail: after repeated failed calls it stops calling
//! for a while (answers come from the stale cache, or a clear 503), then lets one probe through.
//!
//! Every call holds a [`Ticket`] and reports how it ended. A probe that ends in neither success
//! nor failure (rate-limited by our own budget, or its future dropped because the resident went
//! away) hands the probe over at once to the next call, and a probe that never reports at all is
//! considered lost after `probe_timeout`: the breaker cannot stay half-open.
//!
//! Why not a crate: `failsafe`'s half-open state lets every call through until its policy has
//! seen enough outcomes, which for France Travail's 10 calls a second would release the whole
//! queue of waiting searches into a service that may still be down. One probe at a time, with
//! explicit hand-over, is the behaviour we want and fits in this file.

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// Probe number `probe` is on its way; everyone else waits for its outcome until `lost_at`.
    HalfOpen {
        probe: u64,
        lost_at: Instant,
    },
}

/// What the state looks like from outside, for readiness and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CircuitState {
    /// Calls go through.
    Closed,
    /// Calls are kept away.
    Open,
    /// One probe is on its way.
    HalfOpen,
}

impl CircuitState {
    /// Lower-case name, as `/readyz` and the README spell it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Open => "open",
            Self::HalfOpen => "half_open",
        }
    }
}

/// The breaker.
#[derive(Debug)]
pub struct Circuit {
    state: Mutex<State>,
    threshold: u32,
    open_for: Duration,
    probe_timeout: Duration,
    probes: std::sync::atomic::AtomicU64,
}

/// Whether a call may go.
#[derive(Debug)]
pub enum Permit<'a> {
    /// Go, and report the outcome on the ticket.
    Go(Ticket<'a>),
    /// The circuit is open for this long.
    Wait(Duration),
}

/// A call in flight. Dropping it without an outcome (the call's future was dropped, or
/// [`Ticket::inconclusive`]) hands a probe over to the next call.
#[derive(Debug)]
pub struct Ticket<'a> {
    circuit: &'a Circuit,
    probe: Option<u64>,
    settled: bool,
}

/// How a change of state should be told (log and gauge).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Nothing to tell.
    None,
    /// The circuit just opened.
    Opened,
    /// The circuit just closed.
    Closed,
}

impl Ticket<'_> {
    /// France Travail answered properly (or rejected a parameter, which is an answer).
    pub fn success(mut self) -> Change {
        self.settled = true;
        let mut state = self.circuit.lock();
        let was_open = !matches!(*state, State::Closed { .. });
        *state = State::Closed { failures: 0 };
        if was_open { Change::Closed } else { Change::None }
    }

    /// France Travail failed (down, 5xx after retries, too slow, undecodable).
    pub fn failure(mut self) -> Change {
        self.settled = true;
        let circuit = self.circuit;
        let mut state = circuit.lock();
        let open = State::Open { until: Instant::now() + circuit.open_for };
        match (*state, self.probe) {
            (State::Closed { failures }, _) if failures + 1 >= circuit.threshold => {
                *state = open;
                Change::Opened
            }
            (State::Closed { failures }, _) => {
                *state = State::Closed { failures: failures + 1 };
                Change::None
            }
            (State::HalfOpen { probe, .. }, Some(mine)) if probe == mine => {
                *state = open;
                Change::Opened
            }
            // A call from before the opening, or a lost probe's late answer: the state already
            // says France Travail is failing.
            _ => Change::None,
        }
    }

    /// The call ended without telling whether France Travail works (our budget had no slot, a
    /// 429): a probe is handed over to the next call.
    pub fn inconclusive(self) {}
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        if let Some(mine) = self.probe {
            let mut state = self.circuit.lock();
            if matches!(*state, State::HalfOpen { probe, .. } if probe == mine) {
                *state = State::Open { until: Instant::now() };
            }
        }
    }
}

impl Circuit {
    /// Opens after `threshold` consecutive failures, for `open_for`; a probe that has not
    /// reported after `probe_timeout` (the call deadline) is considered lost.
    pub fn new(threshold: u32, open_for: Duration, probe_timeout: Duration) -> Self {
        Self {
            state: Mutex::new(State::Closed { failures: 0 }),
            threshold: threshold.max(1),
            open_for,
            probe_timeout,
            probes: std::sync::atomic::AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Asks to make one call.
    pub fn permit(&self) -> Permit<'_> {
        let mut state = self.lock();
        let now = Instant::now();
        let probe = match *state {
            State::Closed { .. } => None,
            State::Open { until } if now < until => return Permit::Wait(until - now),
            State::HalfOpen { lost_at, .. } if now < lost_at => {
                return Permit::Wait((lost_at - now).min(Duration::from_secs(1)));
            }
            // The pause is over, or the last probe was lost: this call is the probe.
            State::Open { .. } | State::HalfOpen { .. } => {
                let probe = self.probes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                *state = State::HalfOpen { probe, lost_at: now + self.probe_timeout };
                Some(probe)
            }
        };
        Permit::Go(Ticket { circuit: self, probe, settled: false })
    }

    /// The state now (an open circuit whose pause is over reads as half-open: the next call
    /// probes).
    pub fn state(&self) -> CircuitState {
        match *self.lock() {
            State::Closed { .. } => CircuitState::Closed,
            State::Open { until } if Instant::now() < until => CircuitState::Open,
            State::Open { .. } | State::HalfOpen { .. } => CircuitState::HalfOpen,
        }
    }

    /// Whether calls are being kept away.
    pub fn is_open(&self) -> bool {
        self.state() != CircuitState::Closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(c: &Circuit) -> Ticket<'_> {
        match c.permit() {
            Permit::Go(t) => t,
            Permit::Wait(d) => panic!("circuit open for {d:?}"),
        }
    }

    fn waits(c: &Circuit) -> bool {
        matches!(c.permit(), Permit::Wait(_))
    }

    #[test]
    fn opens_after_the_threshold_then_probes_once() {
        let c = Circuit::new(3, Duration::from_millis(30), Duration::from_secs(60));
        assert_eq!(go(&c).failure(), Change::None);
        assert_eq!(go(&c).failure(), Change::None);
        assert_eq!(go(&c).failure(), Change::Opened, "the third failure opens");
        assert!(waits(&c));
        std::thread::sleep(Duration::from_millis(40));
        let probe = go(&c);
        assert!(waits(&c), "only one probe");
        assert_eq!(probe.failure(), Change::Opened, "a failed probe reopens");
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(go(&c).success(), Change::Closed, "a good probe closes");
        assert_eq!(c.state(), CircuitState::Closed);
    }

    #[test]
    fn a_success_resets_the_count() {
        let c = Circuit::new(2, Duration::from_secs(60), Duration::from_secs(60));
        go(&c).failure();
        go(&c).success();
        go(&c).failure();
        assert!(!c.is_open());
    }

    /// Issue 13, point 2: a probe ending in neither success nor failure left the breaker
    /// half-open for good.
    #[test]
    fn an_inconclusive_or_dropped_probe_hands_over_to_the_next_call() {
        let c = Circuit::new(1, Duration::from_millis(10), Duration::from_secs(60));
        go(&c).failure();
        std::thread::sleep(Duration::from_millis(15));
        go(&c).inconclusive();
        let dropped = go(&c);
        drop(dropped);
        assert_eq!(go(&c).success(), Change::Closed);
    }

    #[test]
    fn a_probe_that_never_reports_is_lost_after_its_timeout() {
        let c = Circuit::new(1, Duration::from_millis(10), Duration::from_millis(30));
        go(&c).failure();
        std::thread::sleep(Duration::from_millis(15));
        let stuck = go(&c);
        assert!(waits(&c));
        std::thread::sleep(Duration::from_millis(40));
        let next = go(&c);
        // The lost probe's late outcome changes nothing; the new probe decides.
        assert_eq!(stuck.failure(), Change::None);
        assert_eq!(next.success(), Change::Closed);
    }
}
