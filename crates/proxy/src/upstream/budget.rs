//! The France Travail call budget: one limiter for all outbound calls, in this process or, with
//! the Redis backend, shared by every instance.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::UpstreamError;
use super::shared::SharedStore;

const SHARED_KEY: &str = "budget";

/// Outbound call budget.
#[derive(Debug)]
pub struct Budget {
    per_second: u32,
    wait: Duration,
    local: DefaultDirectRateLimiter,
    shared: Option<SharedStore>,
    /// Callers wait their turn in arrival order (tokio's mutex is fair): a limiter alone lets
    /// some waiters lose every race for the next slot until they time out.
    queue: tokio::sync::Mutex<()>,
}

impl Budget {
    /// `per_second` calls (bursts of as many), a caller waiting at most `wait` for a slot.
    /// With `shared`, the budget is kept in Redis for all instances together; while Redis is
    /// unreachable each instance falls back to its local limiter.
    pub fn new(per_second: u32, wait: Duration, shared: Option<SharedStore>) -> Self {
        let rate = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            per_second: rate.get(),
            wait,
            local: RateLimiter::direct(Quota::per_second(rate)),
            shared,
            queue: tokio::sync::Mutex::new(()),
        }
    }

    /// Waits for a slot, or fails with `RateLimited` when none comes within the wait.
    pub async fn acquire(&self) -> Result<(), UpstreamError> {
        let give_up = Instant::now() + self.wait;
        let _turn = tokio::time::timeout(self.wait, self.queue.lock())
            .await
            .map_err(|_| UpstreamError::RateLimited(1))?;
        if let Some(store) = &self.shared {
            loop {
                match store.take_slot(SHARED_KEY, self.per_second, self.per_second).await {
                    Ok(None) => return Ok(()),
                    Ok(Some(wait)) => {
                        if Instant::now() + wait > give_up {
                            return Err(UpstreamError::RateLimited(1));
                        }
                        tokio::time::sleep(wait).await;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "shared budget unreachable: using the local one");
                        break;
                    }
                }
            }
        }
        let left = give_up.saturating_duration_since(Instant::now());
        tokio::time::timeout(left, self.local.until_ready())
            .await
            .map_err(|_| UpstreamError::RateLimited(1))
    }
}
