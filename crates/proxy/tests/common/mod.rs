//! The test harness: the proxy's router in front of a real in-process sandbox.

// Not every test binary uses every helper.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use emploi_proxy::config::{Config, FranceTravailConfig};
use emploi_proxy::{AppState, router};
use emploi_sandbox::{RunningSandbox, SandboxConfig};
use emploi_territory::Referentiel;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const SECRET: &str = "integration-secret-5f1e";

/// The real `emploi-proxy` binary, configured by the file `config`, over a sandbox whose France
/// Travail answers after `latency_ms`: the sandbox (stopped when dropped), the command to spawn
/// (public listener on a free loopback port, operations listener off) and its base URL.
pub async fn binary_over_slow_sandbox(
    client_id: &str,
    latency_ms: u64,
    config: &std::path::Path,
) -> (RunningSandbox, std::process::Command, String) {
    let sandbox = emploi_sandbox::start(
        SandboxConfig {
            offers: 3_000,
            client_id: client_id.into(),
            client_secret: SECRET.into(),
            faults: emploi_sandbox::Faults { latency_ms, ..Default::default() },
            ..SandboxConfig::default()
        },
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("sandbox");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_emploi-proxy"));
    command
        .env("EMPLOI_ADDR", format!("127.0.0.1:{port}"))
        .env("EMPLOI_ADMIN_ADDR", "off")
        .env("EMPLOI_CONFIG", config)
        .env("EMPLOI_USAGE_FILE", config.with_extension("usage.redb"))
        .env("FT_CLIENT_ID", client_id)
        .env("FT_CLIENT_SECRET", SECRET)
        .env(
            "FT_TOKEN_URL",
            format!("{}{}?realm=%2Fpartenaire", sandbox.base_url(), emploi_sandbox::TOKEN_PATH),
        )
        .env("FT_API_BASE", format!("{}{}", sandbox.base_url(), emploi_sandbox::API_PREFIX));
    (sandbox, command, format!("http://127.0.0.1:{port}"))
}

/// Waits until the proxy at `base` says it is ready.
pub async fn until_ready(base: &str) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !reqwest::get(format!("{base}/readyz")).await.is_ok_and(|r| r.status().is_success()) {
        assert!(std::time::Instant::now() < until, "the proxy did not start");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The proxy in front of its own sandbox.
pub struct TestApp {
    pub router: axum::Router,
    /// The operations listener's router (`/metrics`, health details).
    pub admin: axum::Router,
    pub state: AppState,
    pub sandbox: RunningSandbox,
    widget_dir: tempdir::Dir,
}

mod tempdir {
    //! A throwaway directory, removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> Self {
            let path = std::env::temp_dir().join(format!(
                "emploi-proxy-test-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos()
            ));
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with(SandboxConfig::default()).await
    }

    pub async fn with(sandbox: SandboxConfig) -> Self {
        Self::with_ttl(sandbox, std::time::Duration::from_secs(300)).await
    }

    pub async fn with_ttl(sandbox: SandboxConfig, search_ttl: std::time::Duration) -> Self {
        Self::build(sandbox, |config| config.cache.search_ttl = search_ttl).await
    }

    pub async fn build(sandbox: SandboxConfig, tweak: impl FnOnce(&mut Config)) -> Self {
        logs::capture();
        // Small data sets keep the tests fast, unless a test asks for a size.
        let offers =
            if sandbox.offers == SandboxConfig::default().offers { 6_000 } else { sandbox.offers };
        let sandbox_config = SandboxConfig {
            offers,
            now: sandbox.now.or(Some(1_795_176_000)),
            client_id: "PAR_test".to_owned(),
            client_secret: SECRET.to_owned(),
            ..sandbox
        };
        let sandbox = emploi_sandbox::start(sandbox_config, SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let widget_dir = tempdir::Dir::new();
        std::fs::write(widget_dir.0.join("emploi-widget_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(widget_dir.0.join("offres-emploi.js"), b"export {};").unwrap();
        // Sandbox mode, asked for by name as every test and the demo must: it adds the `demo`
        // site; the upstream is this test's own sandbox, given below.
        let vars: HashMap<&str, String> = HashMap::from([
            ("EMPLOI_WIDGET_DIR", widget_dir.0.display().to_string()),
            ("EMPLOI_SANDBOX", "1".to_owned()),
            // Each test its own usage counts (the store's file is locked by the one using it).
            ("EMPLOI_USAGE_FILE", widget_dir.0.join("usage.redb").display().to_string()),
        ]);
        let mut config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
        tweak(&mut config);
        let ft =
            FranceTravailConfig::at(&sandbox.base_url(), "PAR_test".to_owned(), SECRET.to_owned());
        let state = AppState::new(config, ft, Arc::new(Referentiel::load())).await.unwrap();
        // Requests come from one client address, as a socket would tell.
        let router = router(state.clone())
            .layer(MockConnectInfo(SocketAddr::from(([203, 0, 113, 9], 50_000))));
        let admin = emploi_proxy::admin_router(state.clone());
        Self { router, admin, state, sandbox, widget_dir }
    }

    /// A GET as the widget of the `demo` site would send it, from a page on the loopback
    /// interface: `site=demo` is added to API calls that name no site, and an allowed `Origin`
    /// to requests that carry none.
    pub async fn get(&self, uri: &str) -> Answer {
        self.get_with(uri, &[]).await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Answer {
        let uri =
            if uri.starts_with("/api/v1/") && !uri.contains("site=") && !uri.contains("openapi") {
                let sep = if uri.contains('?') { '&' } else { '?' };
                format!("{uri}{sep}site=demo")
            } else {
                uri.to_owned()
            };
        let mut all: Vec<(&str, &str)> = headers.to_vec();
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("origin")) {
            all.push(("origin", "http://127.0.0.1:5500"));
        }
        self.send(&uri, &all).await
    }

    /// A GET on the operations listener.
    pub async fn admin(&self, uri: &str) -> Answer {
        self.send_to(&self.admin, uri, &[]).await
    }

    /// A GET with exactly these headers.
    pub async fn send(&self, uri: &str, headers: &[(&str, &str)]) -> Answer {
        self.send_to(&self.router, uri, headers).await
    }

    async fn send_to(&self, router: &axum::Router, uri: &str, headers: &[(&str, &str)]) -> Answer {
        let mut req = Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let answer = Answer { status, headers, body };
        let mut seen = String::from_utf8_lossy(&answer.body).into_owned();
        for (name, value) in &answer.headers {
            seen.push_str(&format!("\n{name}: {}", String::from_utf8_lossy(value.as_bytes())));
        }
        for secret in self.secrets() {
            assert!(!seen.contains(&secret), "a secret leaked into the answer to {uri}");
        }
        answer
    }

    /// What must never leave the proxy: the client secret and every token issued so far.
    pub fn secrets(&self) -> Vec<String> {
        let mut all = self.sandbox.state().issued_tokens();
        all.push(SECRET.to_owned());
        all
    }

    /// The directory served under `/widget/`.
    pub fn widget_dir(&self) -> &std::path::Path {
        &self.widget_dir.0
    }

    pub fn upstream_searches(&self) -> u64 {
        self.sandbox.state().stats().search_calls
    }
}

impl Drop for TestApp {
    /// Every log line the test binary wrote so far is searched for this app's secrets.
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let logs = logs::text();
        assert!(!logs.is_empty(), "the log capture is not working");
        for secret in self.secrets() {
            assert!(!logs.contains(&secret), "a secret leaked into the logs");
        }
    }
}

mod logs {
    //! Captures every log line of the test binary, at debug level and above (trace for the
    //! proxy), so that tests can search them.

    use std::io::Write;
    use std::sync::{Mutex, Once};

    static LINES: Mutex<Vec<u8>> = Mutex::new(Vec::new());
    static INIT: Once = Once::new();

    struct Sink;

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            LINES.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    pub fn capture() {
        INIT.call_once(|| {
            let _ = tracing_subscriber::fmt()
                .with_env_filter("debug,emploi_proxy=trace,emploi_sandbox=trace")
                .with_writer(|| Sink)
                .with_ansi(false)
                .try_init();
        });
    }

    pub fn text() -> String {
        String::from_utf8_lossy(&LINES.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
            .into_owned()
    }
}
