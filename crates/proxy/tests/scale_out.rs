//! Scale-out: two proxy instances sharing a real redis-server (started here on a free loopback
//! port, stopped at the end) in front of one sandbox. The same searches through both cost the
//! upstream calls of one, one token serves both, the France Travail budget holds for both
//! together, and a Redis outage degrades nothing but sharing.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use emploi_proxy::config::{Budget, CacheBackend, Config, FranceTravailConfig};
use emploi_proxy::{AppState, router};
use emploi_sandbox::{RunningSandbox, SandboxConfig};
use emploi_territory::Referentiel;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A redis-server child process, killed on drop.
struct Redis {
    child: Child,
    port: u16,
}

impl Redis {
    fn start_on(port: u16) -> Self {
        let binary = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect(
                "redis-server is missing: run `cargo xtask setup` (installs Debian's redis-server)",
            );
        let child = Command::new(binary)
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no", "--protected-mode", "yes"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let until = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "redis-server did not start on port {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child, port }
    }

    fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        Self::start_on(port)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn sandbox(rate_limit_per_sec: u32) -> RunningSandbox {
    let config = SandboxConfig {
        offers: 6_000,
        now: Some(1_795_176_000),
        client_id: "PAR_scale".into(),
        client_secret: common::SECRET.into(),
        rate_limit_per_sec,
        ..SandboxConfig::default()
    };
    emploi_sandbox::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap()
}

async fn instance(sandbox: &RunningSandbox, redis: &Redis, budget: Budget) -> axum::Router {
    instance_with(sandbox, redis, budget, |_| {}).await
}

async fn instance_with(
    sandbox: &RunningSandbox,
    redis: &Redis,
    budget: Budget,
    tweak: impl FnOnce(&mut Config),
) -> axum::Router {
    let vars: HashMap<&str, String> = HashMap::from([("EMPLOI_SANDBOX", "1".to_owned())]);
    let mut config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    tweak(&mut config);
    config.cache.backend =
        CacheBackend::Redis { url: format!("redis://127.0.0.1:{}/", redis.port) };
    config.budget = budget;
    let ft =
        FranceTravailConfig::at(&sandbox.base_url(), "PAR_scale".into(), common::SECRET.into());
    let state = AppState::new(config, ft, Arc::new(Referentiel::load())).await.unwrap();
    router(state).layer(MockConnectInfo(SocketAddr::from(([203, 0, 113, 9], 50_000))))
}

async fn search(app: &axum::Router, query: &str) -> (StatusCode, Vec<u8>) {
    let request = Request::get(format!("/api/v1/search?site=demo&{query}"))
        .header("origin", "http://127.0.0.1:5500")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    assert!(!String::from_utf8_lossy(&body).contains(common::SECRET));
    (status, body)
}

#[tokio::test]
async fn two_instances_share_cache_token_and_coalescing() {
    let redis = Redis::start();
    let sandbox = sandbox(10).await;
    let a = instance(&sandbox, &redis, Budget::default()).await;
    let b = instance(&sandbox, &redis, Budget::default()).await;
    let queries: Vec<String> =
        ["22", "29", "35", "56", "44"].iter().map(|d| format!("departement={d}&q=vente")).collect();
    for q in &queries {
        assert_eq!(search(&a, q).await.0, StatusCode::OK);
    }
    for q in &queries {
        let (from_b, body_b) = search(&b, q).await;
        assert_eq!(from_b, StatusCode::OK);
        assert_eq!(body_b, search(&a, q).await.1, "same answer from both instances");
    }
    let stats = sandbox.state().stats();
    assert_eq!(stats.search_calls, 5, "the second instance paid nothing");
    assert_eq!(stats.token_calls, 1, "one token for both");

    // Concurrent identical misses on both instances: one upstream call.
    let calls: Vec<_> = (0..16)
        .map(|i| {
            let app = if i % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move { search(&app, "departement=75&tri=date").await.0 })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(sandbox.state().stats().search_calls, 6);
}

/// Issue 26: a stale answer asked on two instances at once is served at once by both and
/// refreshed once, under the Redis lock; both then serve the refreshed answer.
#[tokio::test]
async fn two_instances_refresh_a_stale_answer_once() {
    let redis = Redis::start();
    let sandbox = sandbox(10).await;
    let ttl = |c: &mut Config| c.cache.search_ttl = Duration::from_millis(500);
    let a = instance_with(&sandbox, &redis, Budget::default(), ttl).await;
    let b = instance_with(&sandbox, &redis, Budget::default(), ttl).await;
    let query = "commune=29019&rayon=10&tri=date";
    let first = search(&a, query).await;
    assert_eq!(first.0, StatusCode::OK);
    assert_eq!(search(&b, query).await.1, first.1, "b reads a's answer from Redis");
    let calls = sandbox.state().stats().search_calls;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    sandbox.state().set_faults(emploi_sandbox::Faults { latency_ms: 1_500, ..Default::default() });
    let started = Instant::now();
    let asked: Vec<_> = (0..16)
        .map(|i| {
            let app = if i % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move { search(&app, query).await })
        })
        .collect();
    for answer in asked {
        let (status, body) = answer.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, first.1, "the cached answer, served at once");
    }
    assert!(started.elapsed() < Duration::from_millis(1_500), "a resident waited");
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(sandbox.state().stats().search_calls, calls + 1, "one refresh for both");
    sandbox.state().set_faults(emploi_sandbox::Faults::default());
    let (from_a, from_b) = (search(&a, query).await.1, search(&b, query).await.1);
    let date = |body: &[u8]| {
        serde_json::from_slice::<emploi_types::api::SearchResponse>(body).unwrap().mis_a_jour
    };
    assert_ne!(date(&from_a), date(&first.1), "a serves the refreshed answer");
    assert_eq!(date(&from_b), date(&from_a), "so does b");
    assert_eq!(sandbox.state().stats().search_calls, calls + 1);
}

#[tokio::test]
async fn the_budget_holds_for_both_instances_together() {
    let redis = Redis::start();
    // France Travail allows 5 calls a second here; each instance alone may spend 4, so two
    // instances with local budgets would reach 8 and meet 429s.
    let sandbox = sandbox(5).await;
    let budget = Budget {
        calls_per_second: 4,
        wait: Duration::from_secs(20),
        instances: 2,
        ..Budget::default()
    };
    let a = instance(&sandbox, &redis, budget.clone()).await;
    let b = instance(&sandbox, &redis, budget).await;
    let started = Instant::now();
    // Twenty-four distinct misses: twenty-four départements.
    let calls: Vec<_> = (1..=25)
        .filter(|d| *d != 20)
        .map(|d| {
            let app = if d % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(
                async move { search(&app, &format!("q=vente&departement={d:02}")).await.0 },
            )
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), StatusCode::OK);
    }
    let stats = sandbox.state().stats();
    assert_eq!(stats.rate_limited, 0, "no France Travail 429: {stats:?}");
    assert_eq!(stats.search_calls, 24);
    // 24 calls at 4 a second after a burst of 4 take at least 5 s: the instances waited for
    // each other rather than spending 8 a second.
    assert!(started.elapsed() >= Duration::from_millis(4_500), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_redis_outage_costs_sharing_not_answers() {
    let mut redis = Redis::start();
    let port = redis.port;
    let sandbox = sandbox(10).await;
    let a = instance(&sandbox, &redis, Budget::default()).await;
    let b = instance(&sandbox, &redis, Budget::default()).await;
    assert_eq!(search(&a, "departement=35").await.0, StatusCode::OK);
    redis.stop();
    // Redis down: both instances still answer, each on its own.
    assert_eq!(search(&a, "departement=22").await.0, StatusCode::OK);
    assert_eq!(search(&b, "departement=29").await.0, StatusCode::OK);
    // Redis back on the same port: sharing resumes without a restart.
    let _redis = Redis::start_on(port);
    let until = Instant::now() + Duration::from_secs(15);
    let mut n = 0;
    loop {
        n += 1;
        let q = format!("departement=56&q=vente&page={n}");
        assert_eq!(search(&a, &q).await.0, StatusCode::OK);
        let before = sandbox.state().stats().search_calls;
        assert_eq!(search(&b, &q).await.0, StatusCode::OK);
        if sandbox.state().stats().search_calls == before {
            break;
        }
        assert!(Instant::now() < until, "sharing did not resume");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Issue 13, point 5: the lock value was the constant "1", released with a plain DEL, so an
/// instance whose lock had expired deleted the next holder's.
#[tokio::test]
async fn a_late_release_leaves_the_next_holders_lock_alone() {
    use emploi_proxy::upstream::shared::SharedStore;
    let redis = Redis::start();
    let url = format!("redis://127.0.0.1:{}/", redis.port);
    let store = SharedStore::connect(&url, std::time::Duration::from_secs(5)).await.unwrap();
    let (a, b) = (SharedStore::owner_token(), SharedStore::owner_token());
    assert!(store.lock("lock:test", &a, Duration::from_millis(100)).await.unwrap());
    assert!(!store.lock("lock:test", &b, Duration::from_secs(10)).await.unwrap());
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(store.lock("lock:test", &b, Duration::from_secs(10)).await.unwrap(), "a's expired");
    store.unlock("lock:test", &a).await.unwrap();
    assert!(!store.renew("lock:test", &a, Duration::from_secs(10)).await.unwrap());
    let c = SharedStore::owner_token();
    assert!(!store.lock("lock:test", &c, Duration::from_secs(10)).await.unwrap(), "b holds it");
    assert!(store.renew("lock:test", &b, Duration::from_secs(10)).await.unwrap());
    store.unlock("lock:test", &b).await.unwrap();
    assert!(store.lock("lock:test", &c, Duration::from_secs(10)).await.unwrap());
}

/// A proxy process, killed on drop.
struct ProxyProcess(Child);

impl Drop for ProxyProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Issue 13, point 5: an instance killed while it held the Redis lock of a missing answer made
/// the others poll for 8 s, then call with a fresh 8 s deadline (about 16 s per request).
#[tokio::test]
async fn a_lock_holder_killed_mid_call_delays_the_others_by_one_lease_at_most() {
    let redis = Redis::start();
    let sandbox = sandbox(10).await;
    let redis_url = format!("redis://127.0.0.1:{}/", redis.port);
    let dir = std::env::temp_dir().join(format!("emploi-scale-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("proxy.toml");
    std::fs::write(
        &file,
        format!(
            "[cache]\nbackend = \"redis\"\nredis_url = \"{redis_url}\"\n\n[[sites]]\nkey = \"demo\"\norigins = [\"http://127.0.0.1:*\"]\ncommune = \"35238\"\nrayon = 10\n"
        ),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let ft =
        FranceTravailConfig::at(&sandbox.base_url(), "PAR_scale".into(), common::SECRET.into());
    let mut holder = ProxyProcess(
        Command::new(env!("CARGO_BIN_EXE_emploi-proxy"))
            .env("EMPLOI_ADDR", format!("127.0.0.1:{port}"))
            .env("EMPLOI_CONFIG", &file)
            .env("FT_CLIENT_ID", "PAR_scale")
            .env("FT_CLIENT_SECRET", common::SECRET)
            .env("FT_TOKEN_URL", &ft.token_url)
            .env("FT_API_BASE", &ft.api_base)
            .env("EMPLOI_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let until = Instant::now() + Duration::from_secs(30);
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(Instant::now() < until, "the proxy did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let other = instance(&sandbox, &redis, Budget::default()).await;

    // The holder's call is slow; it is killed while it holds the lock.
    sandbox.state().set_faults(emploi_sandbox::Faults { latency_ms: 5_000, ..Default::default() });
    let query = "departement=35&q=soudeur";
    let url = format!("{base}/api/v1/search?site=demo&{query}");
    let pending = tokio::spawn(async move {
        reqwest::Client::new().get(url).header("origin", "http://127.0.0.1:5500").send().await
    });
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!pending.is_finished(), "the holder's call is on its way");
    let mut redis_client = redis::Client::open(redis_url.as_str())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let locks: Vec<String> =
        redis::cmd("KEYS").arg("emploi:lock:*").query_async(&mut redis_client).await.unwrap();
    assert_eq!(locks.len(), 1, "the holder holds the answer's lock: {locks:?}");
    holder.0.kill().unwrap();
    holder.0.wait().unwrap();
    assert!(pending.await.unwrap().is_err(), "the holder died before answering");
    sandbox.state().set_faults(emploi_sandbox::Faults::default());

    let started = Instant::now();
    let (status, _) = search(&other, query).await;
    let took = started.elapsed();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(status, StatusCode::OK);
    // What is left of the dead holder's 2 s lease, then one call: stated bound 4 s.
    assert!(took < Duration::from_secs(4), "the other instance waited {took:?}");
}

async fn instance_state(sandbox: &RunningSandbox, url: String) -> AppState {
    let vars: HashMap<&str, String> = HashMap::from([("EMPLOI_SANDBOX", "1".to_owned())]);
    let mut config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    config.cache.backend = CacheBackend::Redis { url };
    let ft =
        FranceTravailConfig::at(&sandbox.base_url(), "PAR_scale".into(), common::SECRET.into());
    AppState::new(config, ft, Arc::new(Referentiel::load())).await.unwrap()
}

fn routed(state: &AppState) -> axum::Router {
    router(state.clone()).layer(MockConnectInfo(SocketAddr::from(([203, 0, 113, 9], 50_000))))
}

/// Issue 25, point 8: with Redis down at start the process exited, so replicas crash-looped
/// through an outage.
#[tokio::test]
async fn an_instance_starts_without_redis_and_shares_once_it_is_up() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let sandbox = sandbox(50).await;
    let url = format!("redis://127.0.0.1:{port}/");
    let a = instance_state(&sandbox, url.clone()).await;
    assert_eq!(a.upstream.redis_up(), Some(false));
    assert_eq!(search(&routed(&a), "departement=35").await.0, StatusCode::OK, "served alone");
    let _redis = Redis::start_on(port);
    let b = instance_state(&sandbox, url).await;
    let a = {
        let until = Instant::now() + Duration::from_secs(15);
        while a.upstream.redis_up() != Some(true) {
            assert!(Instant::now() < until, "the instance did not reconnect");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        a
    };
    assert_eq!(search(&routed(&a), "departement=22&q=vente").await.0, StatusCode::OK);
    let before = sandbox.state().stats().search_calls;
    assert_eq!(search(&routed(&b), "departement=22&q=vente").await.0, StatusCode::OK);
    assert_eq!(sandbox.state().stats().search_calls, before, "shared once reconnected");
}

/// Issue 25, point 8: a slow (not stopped) Redis held the process-wide budget turn across
/// `take_slot`'s 500 ms timeout, so misses fell to about 2 a second per instance.
#[tokio::test]
async fn a_slow_redis_never_holds_the_budget_for_long() {
    let redis = Redis::start();
    let sandbox = sandbox(50).await;
    let state = instance_state(&sandbox, format!("redis://127.0.0.1:{}/", redis.port)).await;
    let app = routed(&state);
    assert_eq!(search(&app, "departement=35").await.0, StatusCode::OK);
    // Redis stops answering every client for 4 seconds.
    let paused = Command::new("redis-cli")
        .args(["-p", &redis.port.to_string(), "CLIENT", "PAUSE", "4000", "ALL"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(paused.success());
    let started = Instant::now();
    for d in ["22", "29", "56", "44", "75", "13", "33", "59"] {
        let (status, _) = search(&app, &format!("departement={d}&q=ferme")).await;
        assert_eq!(status, StatusCode::OK);
    }
    // Eight misses: with every Redis operation waiting out the pause, a single one took more
    // than the whole budget's wait; backing off after one 150 ms timeout, they go at once.
    let took = started.elapsed();
    assert!(took < Duration::from_millis(2_500), "eight misses took {took:?}");
    assert_eq!(state.upstream.redis_up(), Some(false), "reported down while it is slow");
}

/// Issue 28: with Redis, every instance adds to one site's usage counts, and a new instance
/// (a restart) reads them.
#[tokio::test]
async fn usage_counts_are_shared_through_redis_and_survive_a_restart() {
    use emploi_proxy::metrics::Action;
    let redis = Redis::start();
    let sandbox = sandbox(50).await;
    let url = format!("redis://127.0.0.1:{}/", redis.port);
    let (a, b) =
        (instance_state(&sandbox, url.clone()).await, instance_state(&sandbox, url.clone()).await);
    let site: Arc<str> = Arc::from("demo");
    let until = Instant::now() + Duration::from_secs(10);
    while a.upstream.redis_up() != Some(true) || b.upstream.redis_up() != Some(true) {
        assert!(Instant::now() < until, "not connected to Redis");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    a.usage.count_in(&site, "2026-11".into(), Action::Search);
    a.usage.count_in(&site, "2026-11".into(), Action::Search);
    b.usage.count_in(&site, "2026-11".into(), Action::Apply);
    b.usage.count_in(&site, "2026-12".into(), Action::Feed);
    a.usage.flush().await.unwrap();
    b.usage.flush().await.unwrap();
    let expected = vec![
        ("2026-11".to_owned(), [2, 0, 1, 0, 0, 0]),
        ("2026-12".to_owned(), [0, 0, 0, 1, 0, 0]),
    ];
    assert_eq!(a.usage.months("demo").await.unwrap(), expected, "each instance reads both");
    drop((a, b));
    let restarted = instance_state(&sandbox, url).await;
    let until = Instant::now() + Duration::from_secs(10);
    while restarted.upstream.redis_up() != Some(true) {
        assert!(Instant::now() < until, "not connected to Redis");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(restarted.usage.months("demo").await.unwrap(), expected, "after a restart");
}
