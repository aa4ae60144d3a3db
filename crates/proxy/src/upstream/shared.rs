//! State shared by every proxy instance through Redis: cached answers, the access token and the
//! France Travail call budget.
//!
//! Every operation is bounded in time and every failure is reported to the caller, which falls
//! back to its local behaviour: a Redis outage slows the proxy down or makes it spend more
//! upstream calls, it never makes it fail.
//! - **Down at start**: the store is opened without a connection, and a background task
//!   connects (and keeps retrying) while the instance serves from its local caches and its
//!   local share of the budget.
//! - **Slow**: an operation that does not answer within [`OPERATION_TIMEOUT`] fails, and the
//!   store is then skipped for [`BACK_OFF`], so that a slow Redis never holds the budget's turn
//!   or a resident's request for long.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// Prefix of every key the proxy writes.
const PREFIX: &str = "emploi:";

/// GCRA over Redis' own clock: answers 0 when a call may go now, or the milliseconds to wait.
/// KEYS[1] holds the theoretical arrival time; ARGV[1] is the emission interval and ARGV[2]
/// the burst tolerance, in milliseconds.
const GCRA: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat - tolerance
if now < allow_at then return allow_at - now end
redis.call('SET', KEYS[1], tat + interval, 'PX', tolerance + interval + 1000)
return 0
";

/// Extends KEYS[1]'s life to ARGV[2] ms only if it still holds ARGV[1] (a lock's owner renewing
/// its lease); answers 1 if it did.
const EXPIRE_IF_EQUAL: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
";

/// Deletes KEYS[1] only if it still holds ARGV[1].
const DELETE_IF_EQUAL: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// A failed Redis operation (unreachable, timed out, refused).
#[derive(Debug, thiserror::Error)]
#[error("redis: {0}")]
pub struct SharedError(String);

impl From<redis::RedisError> for SharedError {
    fn from(e: redis::RedisError) -> Self {
        // RedisError's Display never carries the values we store.
        Self(e.to_string())
    }
}

/// How long one Redis operation may take before it counts as failed.
pub const OPERATION_TIMEOUT: Duration = Duration::from_millis(150);
/// How long the store is skipped after a failed or slow operation.
pub const BACK_OFF: Duration = Duration::from_secs(5);

/// A connection to the shared Redis, reconnecting by itself.
#[derive(Clone)]
pub struct SharedStore {
    link: Arc<Link>,
    gcra: redis::Script,
    delete_if_equal: redis::Script,
    expire_if_equal: redis::Script,
}

/// The connection, once made, and when to try it again after a failure.
struct Link {
    connection: OnceLock<ConnectionManager>,
    epoch: Instant,
    /// Milliseconds after `epoch` before which the store is skipped.
    skip_until: AtomicU64,
    /// Whether the last operation (or the first connection) worked: what the logs and metrics
    /// report.
    up: AtomicBool,
}

/// `url` with its password, if any, replaced by `***`, for logs and errors.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return "(invalid URL)".to_owned() };
    match rest.split_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or("");
            let shown =
                if credentials.contains(':') { format!("{user}:***") } else { "***".into() };
            format!("{scheme}://{shown}@{host}")
        }
        None => url.to_owned(),
    }
}

impl std::fmt::Debug for SharedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedStore").finish_non_exhaustive()
    }
}

impl SharedStore {
    /// Opens the store at `url` and connects in the background: Redis being down now is no
    /// error (the instance serves alone until it connects); only an invalid URL is, and its
    /// message never holds the password.
    pub fn open(url: &str) -> Result<Self, SharedError> {
        let client = redis::Client::open(url)
            .map_err(|_| SharedError(format!("{} is not a valid Redis URL", redacted(url))))?;
        let link = Arc::new(Link {
            connection: OnceLock::new(),
            epoch: Instant::now(),
            skip_until: AtomicU64::new(0),
            up: AtomicBool::new(false),
        });
        let shown = redacted(url);
        let connecting = Arc::clone(&link);
        tokio::spawn(async move {
            let config = ConnectionManagerConfig::new()
                .set_connection_timeout(Some(Duration::from_millis(500)))
                .set_response_timeout(Some(OPERATION_TIMEOUT))
                .set_number_of_retries(1)
                .set_max_delay(Duration::from_secs(2));
            let mut logged = false;
            loop {
                match ConnectionManager::new_with_config(client.clone(), config.clone()).await {
                    Ok(connection) => {
                        let _ = connecting.connection.set(connection);
                        connecting.up.store(true, Ordering::Relaxed);
                        tracing::info!(redis = %shown, "connected to the shared Redis");
                        return;
                    }
                    Err(e) => {
                        if !logged {
                            tracing::warn!(
                                redis = %shown, error = %e,
                                "shared Redis unreachable: serving with local caches and this \
                                 instance's share of the budget, reconnecting in the background"
                            );
                            logged = true;
                        }
                        tokio::time::sleep(Duration::from_secs(2)).await;
                    }
                }
            }
        });
        Ok(Self {
            link,
            gcra: redis::Script::new(GCRA),
            delete_if_equal: redis::Script::new(DELETE_IF_EQUAL),
            expire_if_equal: redis::Script::new(EXPIRE_IF_EQUAL),
        })
    }

    /// Opens the store at `url` and waits up to `within` for the first connection (tests and
    /// tools that need it at once).
    pub async fn connect(url: &str, within: Duration) -> Result<Self, SharedError> {
        let store = Self::open(url)?;
        if store.connected_within(within).await {
            Ok(store)
        } else {
            Err(SharedError(format!("{} cannot be reached", redacted(url))))
        }
    }

    /// Waits up to `within` for the first connection; whether there is one.
    pub async fn connected_within(&self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while self.link.connection.get().is_none() {
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        true
    }

    /// Whether Redis answered the last operation.
    pub fn is_up(&self) -> bool {
        self.link.up.load(Ordering::Relaxed)
    }

    /// The connection, unless there is none yet or the store is backing off.
    fn connection(&self) -> Result<ConnectionManager, SharedError> {
        let link = &self.link;
        let now = u64::try_from(link.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        if now < link.skip_until.load(Ordering::Relaxed) {
            return Err(SharedError("backing off after a failure".to_owned()));
        }
        link.connection.get().cloned().ok_or_else(|| SharedError("not connected yet".to_owned()))
    }

    /// Runs one operation within [`OPERATION_TIMEOUT`]; a failure or a timeout makes the store
    /// skipped for [`BACK_OFF`].
    async fn run<T>(
        &self,
        operation: impl std::future::Future<Output = Result<T, redis::RedisError>>,
    ) -> Result<T, SharedError> {
        let outcome = match tokio::time::timeout(OPERATION_TIMEOUT, operation).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(SharedError::from(e)),
            Err(_) => Err(SharedError("timed out".to_owned())),
        };
        let link = &self.link;
        match &outcome {
            Ok(_) => link.up.store(true, Ordering::Relaxed),
            Err(e) => {
                let until = link.epoch.elapsed() + BACK_OFF;
                let until = u64::try_from(until.as_millis()).unwrap_or(u64::MAX);
                link.skip_until.store(until, Ordering::Relaxed);
                if link.up.swap(false, Ordering::Relaxed) {
                    tracing::warn!(error = %e, "shared Redis failing: local fallbacks for 5 s");
                }
            }
        }
        outcome
    }

    fn key(name: &str) -> String {
        format!("{PREFIX}{name}")
    }

    /// The value under `name`.
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SharedError> {
        let mut c = self.connection()?;
        self.run(c.get(Self::key(name))).await
    }

    /// Adds each `(field, delta)` to the counters of the hash `name` (one round trip).
    pub async fn add_counts(
        &self,
        name: &str,
        deltas: &[(String, u64)],
    ) -> Result<(), SharedError> {
        let mut c = self.connection()?;
        let key = Self::key(name);
        let mut pipe = redis::pipe();
        for (field, delta) in deltas {
            pipe.hincr(&key, field, *delta).ignore();
        }
        let () = self.run(pipe.query_async(&mut c)).await?;
        Ok(())
    }

    /// The counters of the hash `name`, by field.
    pub async fn counts(&self, name: &str) -> Result<Vec<(String, u64)>, SharedError> {
        let mut c = self.connection()?;
        self.run(c.hgetall(Self::key(name))).await
    }

    /// A value unique to one holder of a lock.
    pub fn owner_token() -> String {
        format!("{:032x}", rand::random::<u128>())
    }

    /// The value under `name` with its remaining lifetime.
    pub async fn get_with_ttl(
        &self,
        name: &str,
    ) -> Result<Option<(Vec<u8>, Duration)>, SharedError> {
        let mut c = self.connection()?;
        let key = Self::key(name);
        let (value, pttl): (Option<Vec<u8>>, i64) =
            self.run(redis::pipe().get(&key).pttl(&key).query_async(&mut c)).await?;
        Ok(value.map(|v| (v, Duration::from_millis(u64::try_from(pttl).unwrap_or(0)))))
    }

    /// Stores `value` under `name` for `ttl`.
    pub async fn set(&self, name: &str, value: &[u8], ttl: Duration) -> Result<(), SharedError> {
        let mut c = self.connection()?;
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let () = self.run(c.pset_ex(Self::key(name), value, ms)).await?;
        Ok(())
    }

    /// Takes the lock `name` for `owner` (a value unique to this holder) for at most `ttl`;
    /// false when someone else holds it.
    pub async fn lock(&self, name: &str, owner: &str, ttl: Duration) -> Result<bool, SharedError> {
        let mut c = self.connection()?;
        let mut set = redis::cmd("SET");
        set.arg(Self::key(name)).arg(owner).arg("NX").arg("PX").arg(millis(ttl));
        let taken: Option<String> = self.run(set.query_async(&mut c)).await?;
        Ok(taken.is_some())
    }

    /// Extends `owner`'s lock `name` to `ttl` from now; false when it is no longer theirs.
    pub async fn renew(&self, name: &str, owner: &str, ttl: Duration) -> Result<bool, SharedError> {
        let mut c = self.connection()?;
        let mut script = self.expire_if_equal.key(Self::key(name));
        script.arg(owner).arg(millis(ttl));
        let renewed: i64 = self.run(script.invoke_async(&mut c)).await?;
        Ok(renewed == 1)
    }

    /// Releases `owner`'s lock `name`, and only theirs: a lock that expired and was taken by
    /// another holder meanwhile is left alone.
    pub async fn unlock(&self, name: &str, owner: &str) -> Result<(), SharedError> {
        self.delete_if_equal(name, owner.as_bytes()).await
    }

    /// Removes `name` if it still holds `value`.
    pub async fn delete_if_equal(&self, name: &str, value: &[u8]) -> Result<(), SharedError> {
        let mut c = self.connection()?;
        let mut script = self.delete_if_equal.key(Self::key(name));
        script.arg(value);
        let _: i64 = self.run(script.invoke_async(&mut c)).await?;
        Ok(())
    }

    /// The remaining lifetime of `name` (`None` when absent or without expiry).
    pub async fn ttl(&self, name: &str) -> Result<Option<Duration>, SharedError> {
        let mut c = self.connection()?;
        let pttl: i64 = self.run(c.pttl(Self::key(name))).await?;
        Ok(u64::try_from(pttl).ok().map(Duration::from_millis))
    }

    /// One slot of a budget going at `pace` that keeps `keep` slots in the bucket after it:
    /// `None` when the call may go now, or how long to wait before asking again.
    pub async fn take_slot(
        &self,
        name: &str,
        pace: super::budget::Pace,
        keep: u32,
    ) -> Result<Option<Duration>, SharedError> {
        let mut c = self.connection()?;
        // Redis keeps the time in milliseconds (a Lua number prints 14 digits): the interval is
        // rounded up, so that the shared budget is never faster than the local one.
        let millis = u64::try_from(pace.interval.as_micros().div_ceil(1000)).unwrap_or(u64::MAX);
        let pace = super::budget::Pace { interval: Duration::from_millis(millis.max(1)), ..pace };
        let as_millis = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let mut script = self.gcra.key(Self::key(name));
        script.arg(as_millis(pace.interval)).arg(as_millis(pace.tolerance(keep)));
        let wait: u64 = self.run(script.invoke_async(&mut c)).await?;
        Ok((wait > 0).then(|| Duration::from_millis(wait)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 25, point 8: the start-up error printed the Redis URL, password included.
    #[test]
    fn passwords_never_show_in_a_redis_url() {
        assert_eq!(redacted("redis://:s3cret@10.0.0.5:6379/0"), "redis://:***@10.0.0.5:6379/0");
        assert_eq!(redacted("redis://app:s3cret@cache/0"), "redis://app:***@cache/0");
        assert_eq!(redacted("redis://127.0.0.1:6379/"), "redis://127.0.0.1:6379/");
        let e = SharedStore::open("redis//:s3cret@host").err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| !e.contains("s3cret")));
    }
}
