//! A circuit breaker in front of France Travail: after repeated failed calls it stops calling
//! for a while (answers come from the stale cache, or a clear 503), then lets one probe through.

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
    /// One probe is on its way; everyone else waits for its outcome.
    HalfOpen,
}

/// The breaker.
#[derive(Debug)]
pub struct Circuit {
    state: Mutex<State>,
    threshold: u32,
    open_for: Duration,
}

/// Whether a call may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permit {
    /// Go.
    Go,
    /// Do not call; ask again after this long.
    Wait(Duration),
}

impl Circuit {
    /// Opens after `threshold` consecutive failed calls, for `open_for`.
    pub fn new(threshold: u32, open_for: Duration) -> Self {
        Self {
            state: Mutex::new(State::Closed { failures: 0 }),
            threshold: threshold.max(1),
            open_for,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Asks to make one call.
    pub fn permit(&self) -> Permit {
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => Permit::Go,
            State::Open { until } => {
                let now = Instant::now();
                if now >= until {
                    *state = State::HalfOpen;
                    Permit::Go
                } else {
                    Permit::Wait(until - now)
                }
            }
            State::HalfOpen => Permit::Wait(Duration::from_secs(1)),
        }
    }

    /// Records a call France Travail answered properly. Returns true if this closed the circuit.
    pub fn success(&self) -> bool {
        let mut state = self.lock();
        let was_open = !matches!(*state, State::Closed { .. });
        *state = State::Closed { failures: 0 };
        was_open
    }

    /// Records a failed call (down, 5xx after retries, too slow). Returns true if this opened
    /// the circuit.
    pub fn failure(&self) -> bool {
        let mut state = self.lock();
        let open = State::Open { until: Instant::now() + self.open_for };
        match *state {
            State::Closed { failures } if failures + 1 >= self.threshold => {
                *state = open;
                true
            }
            State::Closed { failures } => {
                *state = State::Closed { failures: failures + 1 };
                false
            }
            State::HalfOpen => {
                *state = open;
                true
            }
            State::Open { .. } => false,
        }
    }

    /// Whether calls are being kept away.
    pub fn is_open(&self) -> bool {
        !matches!(*self.lock(), State::Closed { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_the_threshold_then_probes_once() {
        let c = Circuit::new(3, Duration::from_millis(30));
        assert!(!c.failure());
        assert!(!c.failure());
        assert_eq!(c.permit(), Permit::Go);
        assert!(c.failure(), "the third failure opens");
        assert!(matches!(c.permit(), Permit::Wait(_)));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.permit(), Permit::Go, "one probe after the pause");
        assert!(matches!(c.permit(), Permit::Wait(_)), "only one");
        assert!(c.failure(), "a failed probe reopens");
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.permit(), Permit::Go);
        assert!(c.success(), "a good probe closes");
        assert_eq!(c.permit(), Permit::Go);
        assert!(!c.is_open());
    }

    #[test]
    fn a_success_resets_the_count() {
        let c = Circuit::new(2, Duration::from_secs(60));
        assert!(!c.failure());
        c.success();
        assert!(!c.failure());
        assert!(!c.is_open());
    }
}
