//! State shared by every proxy instance through Redis: cached answers, the access token and the
//! France Travail call budget.
//!
//! Every operation is bounded in time (the connection manager's response timeout) and every
//! failure is reported to the caller, which falls back to its local behaviour: a Redis outage
//! slows the proxy down or makes it spend more upstream calls, it never makes it fail.

use std::time::Duration;

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

/// A connection to the shared Redis, reconnecting by itself.
#[derive(Clone)]
pub struct SharedStore {
    connection: ConnectionManager,
    gcra: redis::Script,
    delete_if_equal: redis::Script,
    expire_if_equal: redis::Script,
}

impl std::fmt::Debug for SharedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedStore").finish_non_exhaustive()
    }
}

impl SharedStore {
    /// Connects to `url`; fails when Redis cannot be reached now.
    pub async fn connect(url: &str) -> Result<Self, SharedError> {
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(Duration::from_millis(500)))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_secs(2));
        let connection = ConnectionManager::new_with_config(client, config).await?;
        Ok(Self {
            connection,
            gcra: redis::Script::new(GCRA),
            delete_if_equal: redis::Script::new(DELETE_IF_EQUAL),
            expire_if_equal: redis::Script::new(EXPIRE_IF_EQUAL),
        })
    }

    fn key(name: &str) -> String {
        format!("{PREFIX}{name}")
    }

    /// The value under `name`.
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SharedError> {
        let mut c = self.connection.clone();
        Ok(c.get(Self::key(name)).await?)
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
        let mut c = self.connection.clone();
        let key = Self::key(name);
        let (value, pttl): (Option<Vec<u8>>, i64) =
            redis::pipe().get(&key).pttl(&key).query_async(&mut c).await?;
        Ok(value.map(|v| (v, Duration::from_millis(u64::try_from(pttl).unwrap_or(0)))))
    }

    /// Stores `value` under `name` for `ttl`.
    pub async fn set(&self, name: &str, value: &[u8], ttl: Duration) -> Result<(), SharedError> {
        let mut c = self.connection.clone();
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let () = c.pset_ex(Self::key(name), value, ms).await?;
        Ok(())
    }

    /// Takes the lock `name` for `owner` (a value unique to this holder) for at most `ttl`;
    /// false when someone else holds it.
    pub async fn lock(&self, name: &str, owner: &str, ttl: Duration) -> Result<bool, SharedError> {
        let mut c = self.connection.clone();
        let taken: Option<String> = redis::cmd("SET")
            .arg(Self::key(name))
            .arg(owner)
            .arg("NX")
            .arg("PX")
            .arg(millis(ttl))
            .query_async(&mut c)
            .await?;
        Ok(taken.is_some())
    }

    /// Extends `owner`'s lock `name` to `ttl` from now; false when it is no longer theirs.
    pub async fn renew(&self, name: &str, owner: &str, ttl: Duration) -> Result<bool, SharedError> {
        let mut c = self.connection.clone();
        let renewed: i64 = self
            .expire_if_equal
            .key(Self::key(name))
            .arg(owner)
            .arg(millis(ttl))
            .invoke_async(&mut c)
            .await?;
        Ok(renewed == 1)
    }

    /// Releases `owner`'s lock `name`, and only theirs: a lock that expired and was taken by
    /// another holder meanwhile is left alone.
    pub async fn unlock(&self, name: &str, owner: &str) -> Result<(), SharedError> {
        self.delete_if_equal(name, owner.as_bytes()).await
    }

    /// Removes `name` if it still holds `value`.
    pub async fn delete_if_equal(&self, name: &str, value: &[u8]) -> Result<(), SharedError> {
        let mut c = self.connection.clone();
        let _: i64 =
            self.delete_if_equal.key(Self::key(name)).arg(value).invoke_async(&mut c).await?;
        Ok(())
    }

    /// The remaining lifetime of `name` (`None` when absent or without expiry).
    pub async fn ttl(&self, name: &str) -> Result<Option<Duration>, SharedError> {
        let mut c = self.connection.clone();
        let pttl: i64 = c.pttl(Self::key(name)).await?;
        Ok(u64::try_from(pttl).ok().map(Duration::from_millis))
    }

    /// One slot of a budget of `per_second` calls with bursts of `burst`: `None` when the call
    /// may go now, or how long to wait before asking again.
    pub async fn take_slot(
        &self,
        name: &str,
        per_second: u32,
        burst: u32,
    ) -> Result<Option<Duration>, SharedError> {
        let mut c = self.connection.clone();
        let interval = 1000 / u64::from(per_second.max(1));
        let tolerance = interval * u64::from(burst.max(1) - 1);
        let wait: u64 = self
            .gcra
            .key(Self::key(name))
            .arg(interval.max(1))
            .arg(tolerance)
            .invoke_async(&mut c)
            .await?;
        Ok((wait > 0).then(|| Duration::from_millis(wait)))
    }
}
