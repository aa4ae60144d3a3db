//! The proxy's benchmarks, run by `cargo xtask bench` (results in docs/benchmarks.md).
//!
//! Everything runs on 127.0.0.1: a sandbox in this process, the release `emploi-proxy` binary as a
//! child process (so that its memory is its own), and for the cache baseline Debian's nginx with
//! `proxy_cache` in front of the same proxy. Each measure prints one JSON line.
//!
//! Usage: `load_bench <proxy binary> <nginx binary> <seconds per load run> [--no-zipf | --zipf-only]`,
//! or `load_bench <proxy binary> - <seconds> --soak` for the load test of `cargo xtask load`.

// A benchmark driver: failing loudly is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use emploi_sandbox::{Faults, RunningSandbox, SandboxConfig};
use emploi_territory::Referentiel;
use rand::{Rng, SeedableRng};
use serde_json::json;
use tokio::time::Instant;

const CLIENT_ID: &str = "PAR_bench";
const SECRET: &str = "bench-secret-8d2c";
const ORIGIN: &str = "http://bench.example";
/// Keywords of the generated searches (none first), for the Zipf replay and the load test.
const KEYWORDS: [&str; 10] = [
    "",
    "vendeur",
    "aide",
    "serveur",
    "agent",
    "conducteur",
    "cuisinier",
    "technicien",
    "commercial",
    "assistant",
];

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A running proxy process, killed on drop.
struct Proxy {
    child: Child,
    base: String,
    /// The operations listener (metrics).
    admin: String,
    _dir: TempDir,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("emploi-bench-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn start_proxy(binary: &Path, sandbox: &RunningSandbox, config: &str, tag: &str) -> Proxy {
    let dir = TempDir::new(tag);
    let file = dir.0.join("proxy.toml");
    std::fs::write(&file, config).unwrap();
    let port = free_port();
    let admin_port = free_port();
    let child = Command::new(binary)
        .env("EMPLOI_ADDR", format!("127.0.0.1:{port}"))
        .env("EMPLOI_ADMIN_ADDR", format!("127.0.0.1:{admin_port}"))
        .env("EMPLOI_CONFIG", &file)
        // Each proxy its own usage counts (the embedded store's file is locked by its user).
        .env("EMPLOI_USAGE_FILE", dir.0.join("usage.redb"))
        .env("FT_CLIENT_ID", CLIENT_ID)
        .env("FT_CLIENT_SECRET", SECRET)
        .env(
            "FT_TOKEN_URL",
            format!("{}{}?realm=%2Fpartenaire", sandbox.base_url(), emploi_sandbox::TOKEN_PATH),
        )
        .env("FT_API_BASE", format!("{}{}", sandbox.base_url(), emploi_sandbox::API_PREFIX))
        .env("EMPLOI_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cannot start the proxy");
    let base = format!("http://127.0.0.1:{port}");
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        if reqwest::get(format!("{base}/healthz")).await.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        assert!(Instant::now() < until, "the proxy did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Proxy { child, base, admin: format!("http://127.0.0.1:{admin_port}"), _dir: dir }
}

/// nginx with `proxy_cache` in front of `upstream`, killed on drop.
struct Nginx {
    child: Child,
    base: String,
    dir: TempDir,
    binary: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let conf = self.dir.0.join("nginx.conf");
        let _ = Command::new(&self.binary)
            .arg("-p")
            .arg(&self.dir.0)
            .arg("-c")
            .arg(&conf)
            .args(["-s", "stop"])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
    }
}

async fn start_nginx(binary: &Path, upstream: &str) -> Nginx {
    let dir = TempDir::new("nginx");
    let port = free_port();
    let p = dir.0.display();
    let upstream = upstream.trim_start_matches("http://");
    // Same worker count as the proxy's runtime threads (one per core).
    let conf = format!(
        r#"daemon off;
master_process on;
worker_processes auto;
pid {p}/nginx.pid;
error_log {p}/error.log error;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {p}/body;
    proxy_temp_path {p}/proxy;
    fastcgi_temp_path {p}/fastcgi;
    uwsgi_temp_path {p}/uwsgi;
    scgi_temp_path {p}/scgi;
    proxy_cache_path {p}/cache keys_zone=api:10m;
    upstream proxy {{ server {upstream}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://proxy;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_cache api;
            proxy_cache_key $request_uri;
            proxy_cache_valid 200 5m;
            proxy_cache_lock on;
        }}
    }}
}}
"#
    );
    let conf_path = dir.0.join("nginx.conf");
    std::fs::write(&conf_path, conf).unwrap();
    // Workers may run as another user: let them write their temp and cache directories.
    let _ = Command::new("chmod").arg("-R").arg("0777").arg(&dir.0).status();
    let child = Command::new(binary)
        .arg("-p")
        .arg(&dir.0)
        .arg("-c")
        .arg(&conf_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start nginx");
    let base = format!("http://127.0.0.1:{port}");
    let until = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < until, "nginx did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Nginx { child, base, dir, binary: binary.to_owned() }
}

fn client(connections: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, usize) {
    match client.get(url).header("origin", ORIGIN).send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            let len = r.bytes().await.map(|b| b.len()).unwrap_or(0);
            (status, len)
        }
        Err(_) => (0, 0),
    }
}

struct LoadResult {
    requests: usize,
    errors: usize,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// `connections` loops sending `url` for `seconds`, after a one-second warm-up: each sends its
/// next request as soon as the last one is answered (a closed loop, at saturation).
async fn closed_loop(url: &str, connections: usize, seconds: f64) -> LoadResult {
    drive(url, connections, seconds, None).await
}

/// `rate` requests per second in all over `connections` connections, each connection on a fixed
/// schedule (an open loop). A request's latency counts from when it was due, so a late start is
/// latency too; tokio's timer wakes within a millisecond, which adds up to 1 ms to every target
/// alike.
async fn fixed_rate(url: &str, connections: usize, rate: f64, seconds: f64) -> LoadResult {
    drive(url, connections, seconds, Some(rate)).await
}

async fn drive(url: &str, connections: usize, seconds: f64, rate: Option<f64>) -> LoadResult {
    let client = client(connections);
    let start = Instant::now();
    let warm_until = start + Duration::from_secs(1);
    let end = warm_until + Duration::from_secs_f64(seconds);
    let interval = rate.map(|r| Duration::from_secs_f64(connections as f64 / r));
    let tasks: Vec<_> = (0..connections)
        .map(|i| {
            let client = client.clone();
            let url = url.to_owned();
            // Connections take their turns evenly spread over one interval.
            let mut due = interval.map(|d| start + d.mul_f64(i as f64 / connections as f64));
            tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0;
                loop {
                    if let Some(at) = due {
                        tokio::time::sleep_until(at).await;
                    }
                    let t = due.unwrap_or_else(Instant::now);
                    if t >= end {
                        break;
                    }
                    let (status, _) = get(&client, &url).await;
                    if t >= warm_until {
                        if status == 200 {
                            lat.push(t.elapsed().as_micros() as u64);
                        } else {
                            errors += 1;
                        }
                    }
                    due = due.zip(interval).map(|(at, d)| at + d);
                }
                (lat, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await.unwrap();
        all.extend(lat);
        errors += e;
    }
    all.sort_unstable();
    LoadResult {
        requests: all.len(),
        errors,
        rps: all.len() as f64 / seconds,
        p50_ms: percentile(&all, 0.5),
        p99_ms: percentile(&all, 0.99),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn sandbox(rate_limit_per_sec: u32) -> RunningSandbox {
    let config = SandboxConfig {
        client_id: CLIENT_ID.into(),
        client_secret: SECRET.into(),
        rate_limit_per_sec,
        now: Some(1_795_176_000),
        ..SandboxConfig::default()
    };
    emploi_sandbox::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap()
}

/// The bench's configuration file; `calls_per_second` `None` keeps the default budget.
fn config(calls_per_second: Option<u32>, sites: &str) -> String {
    let budget = calls_per_second.map_or(String::new(), |n| format!("calls_per_second = {n}"));
    format!(
        r#"[upstream]
{budget}
budget_wait_ms = 5000

[limits]
per_ip_per_minute = 100000000
# The load generator is one address: no per-client share of the budget here.
calls_per_client_per_minute = 0

[[sites]]
key = "bench"
origins = ["{ORIGIN}"]
commune = "35238"
rayon = 10
{sites}"#
    )
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let proxy_bin = PathBuf::from(&args[1]);
    let nginx_bin = PathBuf::from(&args[2]);
    let seconds: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let referentiel = Referentiel::load();

    let mode = args.get(4).map_or("all", String::as_str);
    if mode == "--endpoints-only" {
        let fast = sandbox(1000).await;
        let proxy = start_proxy(&proxy_bin, &fast, &config(Some(1000), ""), "endpoints").await;
        endpoints(&proxy.base, seconds).await;
        return;
    }
    if mode == "--hits-against" {
        let baseline = PathBuf::from(args.get(5).expect("--hits-against <baseline proxy binary>"));
        hits_against(&proxy_bin, &baseline, &nginx_bin, seconds).await;
        return;
    }
    if mode == "--memory-only" {
        // The memory at 1,000 connections alone, on a proxy with one cached search.
        let fast = sandbox(1000).await;
        let proxy = start_proxy(&proxy_bin, &fast, &config(Some(1000), ""), "memory").await;
        let hit_url =
            format!("{}/api/v1/search?site=bench&commune=35238&rayon=10&tri=date", proxy.base);
        let http = client(1);
        assert_eq!(get(&http, &hit_url).await.0, 200);
        // With `--cached`, the 150 miss searches cached first, as the full run has them when it
        // measures.
        if args.get(5).is_some_and(|a| a == "--cached") {
            for (_, path) in miss_searches() {
                assert_eq!(get(&http, &format!("{}{path}", proxy.base)).await.0, 200);
            }
        }
        memory_at_connections(proxy.child.id(), &hit_url, seconds).await;
        return;
    }
    if mode == "--actions-only" {
        actions(&proxy_bin).await;
        return;
    }
    if mode == "--misses-only" {
        let fast = sandbox(1000).await;
        let proxy = start_proxy(&proxy_bin, &fast, &config(Some(1000), ""), "misses").await;
        misses(&fast, &proxy.base).await;
        return;
    }
    if mode == "--soak" {
        soak(&proxy_bin, seconds, &referentiel).await;
        return;
    }
    if mode != "--zipf-only" {
        fast_upstream(&proxy_bin, &nginx_bin, seconds, &referentiel).await;
    }
    if mode != "--no-zipf" {
        zipf(&proxy_bin, &referentiel).await;
        actions(&proxy_bin).await;
    }
}

/// France Travail calls per resident action, each on a territory nothing else searched (so
/// every window is a miss), with the requests the widget sends for it.
async fn actions(proxy_bin: &Path) {
    let real = sandbox(10).await;
    let proxy = start_proxy(proxy_bin, &real, &config(None, ""), "actions").await;
    let http = client(4);
    let search = |query: &str| format!("/api/v1/search?site=bench&{query}");
    // The widget's deep-link restore (`Recherche::pages_up_to`, 20 offers a page): requests
    // of 40 offers, then the page left.
    let restore = |query: &str, page: u32| -> Vec<String> {
        let mut requests: Vec<String> =
            (1..=page / 2).map(|p| search(&format!("{query}&page={p}&par_page=40"))).collect();
        if page % 2 == 1 {
            requests.push(search(&format!("{query}&page={page}&par_page=20")));
        }
        requests
    };
    let first = real.state().offer_ids().next().map(str::to_owned).unwrap_or_default();
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("first search (commune, 20 offers)", vec![search("commune=29019&rayon=10")]),
        (
            "\"Afficher plus\" twice (pages 2 and 3 after page 1)",
            vec![
                search("commune=44109&rayon=10"),
                search("commune=44109&rayon=10&page=2"),
                search("commune=44109&rayon=10&page=3"),
            ],
        ),
        ("deep link to page 5 (20 a page)", restore("commune=33063&rayon=10", 5)),
        ("deep link to page 151, the last (20 a page)", restore("departement=75", 151)),
        (
            "empty result, then its 3 suggestion counts (sonde=1)",
            vec![
                search("commune=35047&rayon=10&q=scaphandrier&types_contrat=CDI"),
                search(
                    "commune=35047&rayon=30&q=scaphandrier&types_contrat=CDI&par_page=1&sonde=1",
                ),
                search("commune=35047&rayon=10&q=scaphandrier&par_page=1&sonde=1"),
                search("commune=35047&rayon=10&types_contrat=CDI&par_page=1&sonde=1"),
            ],
        ),
        ("EPCI search (Rennes Métropole, 43 communes)", vec![search("epci=243500139")]),
        (
            "EPCI page 2 after page 1",
            vec![search("epci=243400017"), search("epci=243400017&page=2")],
        ),
        (
            "market panel (commune)",
            vec![format!("/api/v1/marche?site=bench&commune=69123&rayon=10")],
        ),
        ("offer detail", vec![format!("/api/v1/offres/{first}?site=bench")]),
        (
            "official figures (Marseille)",
            vec![format!("/api/v1/indicateurs?site=bench&commune=13055&rayon=10")],
        ),
        (
            "official figures, another commune of the same EPCI (Aix-en-Provence)",
            vec![format!("/api/v1/indicateurs?site=bench&commune=13001&rayon=10")],
        ),
        (
            "events panel (Toulouse, 20 km)",
            vec![format!("/api/v1/evenements?site=bench&commune=31555&rayon=20")],
        ),
        (
            "events panel, a neighbouring commune (Blagnac, 20 km)",
            vec![format!("/api/v1/evenements?site=bench&commune=31069&rayon=20")],
        ),
        (
            "events panel, then its calendar feed",
            vec![
                format!("/api/v1/evenements?site=bench&commune=59350&rayon=10"),
                format!("/api/v1/evenements.ics?site=bench&commune=59350&rayon=10"),
            ],
        ),
        (
            "first view with the market and events panels (commune)",
            vec![format!("/api/v1/vue?site=bench&commune=67482&rayon=10&marche=&evenements=")],
        ),
    ];
    for (action, requests) in cases {
        // A resident pauses between actions; the budget's burst refills meanwhile.
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        let before = real.state().stats();
        let mut statuses = Vec::new();
        for path in &requests {
            statuses.push(get(&http, &format!("{}{path}", proxy.base)).await.0);
        }
        let after = real.state().stats();
        let mut counts = std::collections::BTreeMap::<u16, usize>::new();
        for s in statuses {
            *counts.entry(s).or_default() += 1;
        }
        let statuses: Vec<String> = counts.iter().map(|(s, n)| format!("{s}: {n}")).collect();
        println!(
            "{}",
            json!({"measure": "action", "action": action, "requests": requests.len(),
                "calls": after.api_calls - before.api_calls, "statuses": statuses.join(", ")})
        );
    }
    drop(proxy);
}

/// Requests per second of the answers a widget asks for besides its searches, at 50
/// connections, each answer cached (the suggestion lists read only the embedded referential):
/// a search hit as the baseline, the place and métier suggestions, a métier search and the
/// Atom feed of a search.
async fn endpoints(base: &str, seconds: f64) {
    let cases = [
        ("search (cache hit, baseline)", "/api/v1/search?site=bench&commune=35238&rayon=10"),
        ("place suggestions (q=st malo)", "/api/v1/lieux?site=bench&q=st%20malo"),
        ("métier suggestions (q=aide soi)", "/api/v1/metiers?site=bench&q=aide%20soi"),
        (
            "métier search (metier=J1501, cache hit)",
            "/api/v1/search?site=bench&commune=35238&rayon=10&metier=J1501",
        ),
        ("Atom feed (cached search)", "/api/v1/flux?site=bench&commune=35238&rayon=10"),
    ];
    for (name, path) in cases {
        let url = format!("{base}{path}");
        assert_eq!(get(&client(1), &url).await.0, 200, "{url}");
        let load = closed_loop(&url, 50, seconds).await;
        println!(
            "{}",
            json!({"measure": "endpoint", "endpoint": name, "path": path, "connections": 50,
                "seconds": seconds, "rps": load.rps, "p50_ms": load.p50_ms, "p99_ms": load.p99_ms,
                "errors": load.errors})
        );
    }
}

/// Cache hits, misses, EPCI batching and memory, with a fast upstream.
/// Cache hits at 200 connections through this proxy, a baseline build of it (an earlier commit)
/// and nginx, in turn, five rounds: the hit path's cost against the baseline, side by side.
async fn hits_against(proxy_bin: &Path, baseline_bin: &Path, nginx_bin: &Path, seconds: f64) {
    let fast = sandbox(1000).await;
    let proxy = start_proxy(proxy_bin, &fast, &config(Some(1000), ""), "hits").await;
    // The baseline gets this build's configuration if its `check` takes it; one from before the
    // per-site request limit was removed needs that limit out of the way, as its own
    // configuration then said.
    let current = config(Some(1000), "");
    let dir = TempDir::new("baseline-check");
    let file = dir.0.join("proxy.toml");
    std::fs::write(&file, &current).unwrap();
    let takes_current = Command::new(baseline_bin)
        .arg("check")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let baseline_config = if takes_current {
        current
    } else {
        current.replace("[limits]\n", "[limits]\nper_site_per_minute = 100000000\n")
    };
    let baseline = start_proxy(baseline_bin, &fast, &baseline_config, "baseline").await;
    let path = "/api/v1/search?site=bench&commune=35238&rayon=10&tri=date";
    let nginx = start_nginx(nginx_bin, &proxy.base).await;
    let urls = [proxy.base.as_str(), baseline.base.as_str(), nginx.base.as_str()]
        .map(|base| format!("{base}{path}"));
    for url in &urls {
        assert_eq!(get(&client(1), url).await.0, 200, "{url}");
    }
    let mut runs: [Vec<f64>; 3] = Default::default();
    let mut errors = 0;
    for _ in 0..5 {
        for (url, rps) in urls.iter().zip(runs.iter_mut()) {
            let r = closed_loop(url, 200, seconds).await;
            errors += r.errors;
            rps.push(r.rps);
        }
    }
    let [p, b, n] = runs;
    println!(
        "{}",
        json!({"measure": "hits_against", "seconds": seconds, "errors": errors,
            "proxy_rps": median(p.clone()), "baseline_rps": median(b.clone()), "nginx_rps": median(n.clone()),
            "proxy_runs": p, "baseline_runs": b, "nginx_runs": n})
    );
}

/// The 150 distinct searches of [`misses`]: 96 départements by relevance, then by date. Each
/// is the France Travail query of the 150-offer window holding the page (what the proxy asks
/// for) and the proxy's own path.
fn miss_searches() -> Vec<(String, String)> {
    let departements: Vec<String> = (1..=95)
        .filter(|d| *d != 20)
        .map(|d| format!("{d:02}"))
        .chain(["2A".to_owned(), "2B".to_owned()])
        .collect();
    (0..150usize)
        .map(|i| {
            let dep = &departements[i % departements.len()];
            let (sort, tri) =
                if i < departements.len() { ("0", "pertinence") } else { ("1", "date") };
            (
                format!("departement={dep}&sort={sort}&range=0-149"),
                format!("/api/v1/search?site=bench&departement={dep}&tri={tri}&page=1&par_page=20"),
            )
        })
        .collect()
}

/// 150 misses (the proxy's validation, budget, token, call and mapping), each sent straight to
/// the sandbox and through the proxy (at `base`), alternately.
async fn misses(fast: &RunningSandbox, base: &str) {
    let http = client(1);
    let token: serde_json::Value = http
        .post(format!("{}{}?realm=%2Fpartenaire", fast.base_url(), emploi_sandbox::TOKEN_PATH))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("scope", "api_offresdemploiv2 o2dsoffre"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    let (mut direct, mut through) = (Vec::new(), Vec::new());
    for (query, path) in miss_searches() {
        let url =
            format!("{}{}/offres/search?{query}", fast.base_url(), emploi_sandbox::API_PREFIX);
        let t = Instant::now();
        let r = http.get(&url).bearer_auth(&token).send().await.unwrap();
        assert!(r.status().is_success());
        let _ = r.bytes().await.unwrap();
        direct.push(t.elapsed().as_micros() as u64);
        let t = Instant::now();
        assert_eq!(get(&http, &format!("{base}{path}")).await.0, 200);
        through.push(t.elapsed().as_micros() as u64);
    }
    direct.sort_unstable();
    through.sort_unstable();
    println!(
        "{}",
        json!({"measure": "misses", "samples": direct.len(),
            "direct_p50_ms": percentile(&direct, 0.5), "proxy_p50_ms": percentile(&through, 0.5),
            "direct_p99_ms": percentile(&direct, 0.99), "proxy_p99_ms": percentile(&through, 0.99)})
    );
}

/// Resident memory of the proxy (`pid`) while 1,000 connections send cache hits to `hit_url`.
async fn memory_at_connections(pid: u32, hit_url: &str, seconds: f64) {
    let idle = rss_kib(pid);
    let sampler = tokio::spawn(async move {
        let mut peak = 0;
        let end = Instant::now() + Duration::from_secs_f64(seconds + 1.0);
        while Instant::now() < end {
            peak = peak.max(rss_kib(pid));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        peak
    });
    let load = closed_loop(hit_url, 1000, seconds).await;
    let peak = sampler.await.unwrap();
    println!(
        "{}",
        json!({"measure": "rss", "connections": 1000, "idle_kib": idle, "peak_kib": peak,
            "rps": load.rps, "p99_ms": load.p99_ms, "errors": load.errors})
    );
}

async fn fast_upstream(
    proxy_bin: &Path,
    nginx_bin: &Path,
    seconds: f64,
    referentiel: &Referentiel,
) {
    // Budget and sandbox at 1000 calls/s, to measure the proxy itself.
    let fast = sandbox(1000).await;
    let proxy = start_proxy(proxy_bin, &fast, &config(Some(1000), ""), "fast").await;
    let pid = proxy.child.id();
    let hit_path = "/api/v1/search?site=bench&commune=35238&rayon=10&tri=date";
    let hit_url = format!("{}{hit_path}", proxy.base);
    let (status, bytes) = get(&client(1), &hit_url).await;
    assert_eq!(status, 200);
    let nginx = start_nginx(nginx_bin, &proxy.base).await;
    let nginx_url = format!("{}{hit_path}", nginx.base);
    assert_eq!(get(&client(1), &nginx_url).await.0, 200);

    // Cache hits at 200 connections, proxy and nginx alternately, five rounds each.
    let (mut p_rps, mut p_p50, mut p_p99, mut n_rps, mut n_p50, mut n_p99) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut errors = 0;
    for _ in 0..5 {
        let p = closed_loop(&hit_url, 200, seconds).await;
        let n = closed_loop(&nginx_url, 200, seconds).await;
        errors += p.errors + n.errors;
        p_rps.push(p.rps);
        p_p50.push(p.p50_ms);
        p_p99.push(p.p99_ms);
        n_rps.push(n.rps);
        n_p50.push(n.p50_ms);
        n_p99.push(n.p99_ms);
        let _ = p.requests + n.requests;
    }
    println!(
        "{}",
        json!({"measure": "hits", "connections": 200, "seconds": seconds, "bytes": bytes,
            "proxy_rps": median(p_rps.clone()), "proxy_p50_ms": median(p_p50), "proxy_p99_ms": median(p_p99),
            "nginx_rps": median(n_rps.clone()), "nginx_p50_ms": median(n_p50), "nginx_p99_ms": median(n_p99),
            "proxy_rps_runs": p_rps, "nginx_rps_runs": n_rps, "errors": errors})
    );

    // The same hits at a fixed rate, half of what nginx answered at saturation: latency under
    // a steady load rather than the queue of a saturated closed loop.
    let rate = (median(n_rps.clone()) / 2.0 / 1000.0).round() * 1000.0;
    let (mut p_p50, mut p_p99, mut n_p50, mut n_p99) = (vec![], vec![], vec![], vec![]);
    let mut errors = 0;
    for _ in 0..3 {
        let p = fixed_rate(&hit_url, 200, rate, seconds).await;
        let n = fixed_rate(&nginx_url, 200, rate, seconds).await;
        errors += p.errors + n.errors;
        p_p50.push(p.p50_ms);
        p_p99.push(p.p99_ms);
        n_p50.push(n.p50_ms);
        n_p99.push(n.p99_ms);
    }
    println!(
        "{}",
        json!({"measure": "hits_fixed_rate", "connections": 200, "rate": rate, "seconds": seconds,
            "proxy_p50_ms": median(p_p50), "proxy_p99_ms": median(p_p99.clone()),
            "nginx_p50_ms": median(n_p50), "nginx_p99_ms": median(n_p99.clone()),
            "proxy_p99_runs": p_p99, "nginx_p99_runs": n_p99, "errors": errors})
    );
    drop(nginx);

    misses(&fast, &proxy.base).await;
    let http = client(1);

    // An EPCI of about 50 communes against one commune, France Travail answering in 50 ms.
    let epci =
        referentiel.epcis().iter().min_by_key(|e| (e.membres.len() as i64 - 50).abs()).unwrap();
    fast.state().set_faults(Faults { latency_ms: 50, ..Faults::default() });
    let words = [
        "vendeur",
        "serveur",
        "cuisinier",
        "chauffeur",
        "comptable",
        "infirmier",
        "plombier",
        "agent",
        "assistant",
        "technicien",
        "boulanger",
        "coiffeur",
    ];
    let (mut single, mut whole) = (Vec::new(), Vec::new());
    for w in words {
        let t = Instant::now();
        let url = format!("{}/api/v1/search?site=bench&commune=35238&rayon=10&q={w}", proxy.base);
        assert_eq!(get(&http, &url).await.0, 200);
        single.push(t.elapsed().as_micros() as u64);
        let t = Instant::now();
        let url = format!("{}/api/v1/search?site=bench&epci={}&q={w}", proxy.base, epci.code);
        assert_eq!(get(&http, &url).await.0, 200);
        whole.push(t.elapsed().as_micros() as u64);
    }
    fast.state().set_faults(Faults::default());
    single.sort_unstable();
    whole.sort_unstable();
    println!(
        "{}",
        json!({"measure": "epci", "epci": epci.nom, "communes": epci.membres.len(),
            "batches": epci.membres.len().div_ceil(5), "samples": single.len(),
            "single_p50_ms": percentile(&single, 0.5), "epci_p50_ms": percentile(&whole, 0.5)})
    );

    memory_at_connections(pid, &hit_url, seconds).await;

    endpoints(&proxy.base, seconds).await;

    // Server render time of first views: each (search, title) pair is a first-view miss whose
    // search is cached, so the proxy renders 20 cards; the time is its `Server-Timing`.
    let http = client(1);
    let mut renders = Vec::new();
    for commune in ["35238", "35288", "35047", "29019", "44109"] {
        for title in 0..60 {
            let url = format!(
                "{}/api/v1/vue?site=bench&commune={commune}&rayon=10&titre=Offres%20{title}",
                proxy.base
            );
            let r = http.get(&url).header("origin", ORIGIN).send().await.unwrap();
            assert_eq!(r.status(), 200, "{url}");
            let timing = r.headers().get("server-timing").and_then(|v| v.to_str().ok());
            let dur = timing
                .and_then(|t| t.strip_prefix("render;dur="))
                .and_then(|d| d.parse::<f64>().ok());
            renders.push((dur.expect("a render time") * 1000.0) as u64); // µs
        }
    }
    renders.sort_unstable();
    println!(
        "{}",
        json!({"measure": "render", "samples": renders.len(),
            "p50_ms": percentile(&renders, 0.5), "p99_ms": percentile(&renders, 0.99)})
    );
    drop(proxy);
    drop(fast);
}

/// A Zipf-distributed log of 10,000 searches over 100 sites at France Travail's real budget.
async fn zipf(proxy_bin: &Path, referentiel: &Referentiel) {
    // Realistic budget: France Travail's 10 calls/s, a Zipf-distributed log of 10,000
    // searches over 100 sites.
    let real = sandbox(10).await;
    let sites = sites_toml(referentiel, "");
    let proxy = start_proxy(proxy_bin, &real, &config(None, &sites), "zipf").await;
    let mut universe = Vec::new();
    for site in 0..100 {
        for k in KEYWORDS {
            let q = if k.is_empty() { String::new() } else { format!("&q={k}") };
            universe.push(format!("/api/v1/search?site=site-{site:03}{q}"));
        }
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    // Rank the 1,000 possible searches at random, then draw 10,000 with P(rank r) ∝ 1/r^1.1.
    for i in (1..universe.len()).rev() {
        universe.swap(i, rng.random_range(0..=i));
    }
    let weights: Vec<f64> = (1..=universe.len()).map(|r| 1.0 / (r as f64).powf(1.1)).collect();
    let total: f64 = weights.iter().sum();
    let mut cdf = Vec::with_capacity(weights.len());
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cdf.push(acc);
    }
    let log: Vec<String> = (0..10_000)
        .map(|_| {
            let x: f64 = rng.random();
            let i = cdf.partition_point(|c| *c < x).min(universe.len() - 1);
            universe[i].clone()
        })
        .collect();
    let distinct = log.iter().collect::<HashSet<_>>().len();
    let before = real.state().stats();
    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let log = Arc::new(log);
    let http = client(16);
    let workers: Vec<_> = (0..16)
        .map(|_| {
            let (next, log, http, base) =
                (Arc::clone(&next), Arc::clone(&log), http.clone(), proxy.base.clone());
            tokio::spawn(async move {
                let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(path) = log.get(i) else { break };
                    let (status, _) = get(&http, &format!("{base}{path}")).await;
                    *statuses.entry(status).or_default() += 1;
                }
                statuses
            })
        })
        .collect();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for w in workers {
        for (s, n) in w.await.unwrap() {
            *statuses.entry(s).or_default() += n;
        }
    }
    let after = real.state().stats();
    let metrics =
        http.get(format!("{}/metrics", proxy.admin)).send().await.unwrap().text().await.unwrap();
    for line in metrics.lines().filter(|l| l.starts_with("emploi_upstream_calls_total")) {
        eprintln!("{line}");
    }
    println!(
        "{}",
        json!({"measure": "zipf", "searches": log.len(), "sites": 100, "distinct": distinct,
            "upstream_searches": after.search_calls - before.search_calls,
            "upstream_429": after.rate_limited - before.rate_limited,
            "seconds": started.elapsed().as_secs_f64(),
            "statuses": statuses.iter().map(|(s, n)| format!("{s}: {n}")).collect::<Vec<_>>().join(", ")})
    );
    drop(proxy);
}

/// `[[sites]]` entries `site-000` to `site-099`, one per commune of [`site_communes`], each
/// with `extra` lines.
fn sites_toml(referentiel: &Referentiel, extra: &str) -> String {
    let mut sites = String::new();
    for (i, code) in site_communes(referentiel).iter().enumerate() {
        sites.push_str(&format!(
            "\n[[sites]]\nkey = \"site-{i:03}\"\norigins = [\"{ORIGIN}\"]\ncommune = \"{code}\"\nrayon = 10\n{extra}"
        ));
    }
    sites
}

/// 100 sites' default communes, most populous first.
fn site_communes(referentiel: &Referentiel) -> Vec<String> {
    let mut communes: Vec<_> = referentiel
        .communes()
        .iter()
        .filter(|c| c.arrondissement_de.is_none() && !Referentiel::is_split_city(&c.code))
        .collect();
    communes.sort_by(|a, b| b.population.cmp(&a.population).then(a.code.cmp(&b.code)));
    communes.into_iter().take(100).map(|c| c.code.to_string()).collect()
}

/// The load test: `seconds` at saturation (64 workers, no pause), 100 sites, 2,048 client
/// addresses (through a trusted `X-Forwarded-For`), 300 possible searches skewed towards popular
/// sites (misses first, hits once cached), France Travail's real 10 calls/s at the sandbox and
/// the default budget at the proxy.
async fn soak(proxy_bin: &Path, seconds: f64, referentiel: &Referentiel) {
    let upstream = sandbox(10).await;
    let sites = sites_toml(referentiel, "");
    let config = format!(
        "[upstream]\nbudget_wait_ms = 2000\n\n[limits]\nper_ip_per_minute = 120\ntrusted_proxies = [\"127.0.0.1\"]\n{sites}"
    );
    let proxy = start_proxy(proxy_bin, &upstream, &config, "soak").await;
    let pid = proxy.child.id();
    let started = Instant::now();
    let end = started + Duration::from_secs_f64(seconds);
    let sampler = tokio::spawn(async move {
        let mut samples = Vec::new();
        while Instant::now() < end {
            samples.push((started.elapsed().as_secs_f64(), rss_kib(pid)));
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        samples
    });
    let http = client(64);
    let workers: Vec<_> = (0..64u64)
        .map(|w| {
            let (http, base) = (http.clone(), proxy.base.clone());
            tokio::spawn(async move {
                let mut rng = rand::rngs::StdRng::seed_from_u64(1000 + w);
                let mut counts = std::collections::BTreeMap::<String, usize>::new();
                while Instant::now() < end {
                    // 300 possible searches: the first ones miss, then they are served from the
                    // cache, so the second half shows whether memory stays flat under load.
                    let site = (rng.random::<f64>().powi(2) * 100.0) as usize;
                    let k = KEYWORDS[(rng.random::<f64>().powi(2) * 3.0) as usize];
                    let page = 1;
                    let ip =
                        format!("10.{}.{}.{}", w, rng.random_range(0..8), rng.random_range(1..5));
                    let url = format!("{base}/api/v1/search?site=site-{site:03}&q={k}&page={page}");
                    let sent = http
                        .get(&url)
                        .header("origin", ORIGIN)
                        .header("x-forwarded-for", ip)
                        .send()
                        .await;
                    let label = match sent {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            let retry_after = r.headers().contains_key("retry-after");
                            let _ = r.bytes().await;
                            match status {
                                200 => "200".to_owned(),
                                429 | 503 if retry_after => format!("{status} + Retry-After"),
                                other => format!("error {other}"),
                            }
                        }
                        Err(_) => "error transport".to_owned(),
                    };
                    *counts.entry(label).or_default() += 1;
                }
                counts
            })
        })
        .collect();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for w in workers {
        for (k, n) in w.await.unwrap() {
            *counts.entry(k).or_default() += n;
        }
    }
    let samples = sampler.await.unwrap();
    let stats = upstream.state().stats();
    let total: usize = counts.values().sum();
    let errors: usize = counts.iter().filter(|(k, _)| k.starts_with("error")).map(|(_, n)| n).sum();
    let late: Vec<u64> =
        samples.iter().filter(|(t, _)| *t >= seconds / 2.0).map(|(_, r)| *r).collect();
    println!(
        "{}",
        json!({"measure": "soak", "seconds": seconds, "workers": 64, "sites": 100, "addresses": 2048,
            "requests": total, "rps": total as f64 / seconds, "errors": errors,
            "answers": counts.iter().map(|(k, n)| format!("{k}: {n}")).collect::<Vec<_>>().join(", "),
            "upstream_calls": stats.api_calls, "upstream_per_second": stats.api_calls as f64 / seconds,
            "upstream_429": stats.rate_limited,
            "rss_first_kib": samples.first().map_or(0, |s| s.1),
            "rss_min_second_half_kib": late.iter().min().copied().unwrap_or(0),
            "rss_max_second_half_kib": late.iter().max().copied().unwrap_or(0),
            "rss_last_kib": samples.last().map_or(0, |s| s.1)})
    );
}
