//! Working memory kept between uses while it is in use, and given back once it is not.
//!
//! The proxy's allocator returns freed pages to the system at once, which keeps its resident
//! memory low but makes every new large buffer fault its pages in again. A search miss used
//! to do so for its 450 kB body and for the compressor of each answer it caches.
//! [`Spare`] keeps such memory while misses come, and lets it go after [`IDLE`] without use,
//! so that a proxy serving only cache hits holds none of it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// How long unused spare memory is kept.
pub(crate) const IDLE: Duration = Duration::from_secs(1);

/// Spare memory of type `T` (empty when `T::default()`), and when it was last used.
#[derive(Debug)]
pub(crate) struct Spare<T> {
    kept: Mutex<(T, Option<Instant>)>,
    /// A task is watching for the memory to fall idle.
    watched: AtomicBool,
}

impl<T: Default + Send + 'static> Spare<T> {
    /// Nothing kept yet.
    pub(crate) const fn new(empty: T) -> Self {
        Self { kept: Mutex::new((empty, None)), watched: AtomicBool::new(false) }
    }

    /// The kept memory, marked as used now; `None` while another caller holds it (never
    /// waited for: that caller's buffers are its own).
    pub(crate) fn try_use(&'static self) -> Option<SpareGuard<T>> {
        let mut kept = self.kept.try_lock().ok()?;
        kept.1 = Some(Instant::now());
        self.watch();
        Some(SpareGuard(kept))
    }

    /// The kept memory, waited for (for sweeping and tests).
    fn lock(&self) -> MutexGuard<'_, (T, Option<Instant>)> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts the task that drops the memory once idle, unless one runs or there is no
    /// runtime to run it (then the memory is simply kept).
    fn watch(&'static self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        if self.watched.swap(true, Ordering::AcqRel) {
            return;
        }
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(IDLE).await;
                let mut kept = self.lock();
                if kept.1.is_none_or(|used| used.elapsed() >= IDLE) {
                    kept.0 = T::default();
                    kept.1 = None;
                    // Cleared under the lock: a use from now on starts a new watch.
                    self.watched.store(false, Ordering::Release);
                    return;
                }
            }
        });
    }
}

/// The kept memory, held by one caller.
#[derive(Debug)]
pub(crate) struct SpareGuard<T: 'static>(MutexGuard<'static, (T, Option<Instant>)>);

impl<T> std::ops::Deref for SpareGuard<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0.0
    }
}

impl<T> std::ops::DerefMut for SpareGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    static KEPT: Spare<Vec<u8>> = Spare::new(Vec::new());

    /// Kept while used, dropped after `IDLE` without use.
    #[tokio::test(start_paused = true)]
    async fn spare_memory_is_kept_while_used_and_dropped_once_idle() {
        *KEPT.try_use().unwrap() = vec![1; 1000];
        for _ in 0..3 {
            tokio::time::sleep(IDLE / 2).await;
            let kept = KEPT.try_use().unwrap();
            assert_eq!(kept.len(), 1000, "dropped while in use");
        }
        tokio::time::sleep(IDLE * 2).await;
        assert!(KEPT.lock().0.is_empty(), "kept after going idle");
        assert!(!KEPT.watched.load(Ordering::Acquire));
        // Used again, it is watched again.
        *KEPT.try_use().unwrap() = vec![2; 10];
        assert!(KEPT.watched.load(Ordering::Acquire));
    }

    #[test]
    fn a_held_spare_is_not_waited_for() {
        static HELD: Spare<Vec<u8>> = Spare::new(Vec::new());
        let first = HELD.try_use();
        assert!(first.is_some());
        assert!(HELD.try_use().is_none());
        drop(first);
        assert!(HELD.try_use().is_some());
    }
}
