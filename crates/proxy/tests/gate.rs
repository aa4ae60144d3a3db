//! The access gate and the bounded listener (issue 25): what an outsider holding a commune's
//! public site key can and cannot make the proxy do, and an instance that slow clients and
//! shutdowns do not take down.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::TestApp;
use emploi_proxy::config::{Limits, SiteConfig};
use emploi_proxy::server::{Draining, ServerLimits};
use emploi_proxy::sites::OriginPattern;
use emploi_sandbox::SandboxConfig;
use emploi_types::api::SearchResponse;
use emploi_types::recherche::Zone;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PAGE: &str = "https://www.brest.example";

/// Two communes: `brest` (Brest, 10 km) and the sandbox's `demo` (Rennes).
async fn two_sites(tweak: impl FnOnce(&mut emploi_proxy::config::Config)) -> TestApp {
    two_sites_over(SandboxConfig::default(), tweak).await
}

async fn two_sites_over(
    sandbox: SandboxConfig,
    tweak: impl FnOnce(&mut emploi_proxy::config::Config),
) -> TestApp {
    TestApp::build(sandbox, |c| {
        c.sites.push(SiteConfig {
            line: 1,
            key: "brest".into(),
            name: None,
            origins: vec![OriginPattern::parse(PAGE).unwrap()],
            territory: Some(Zone::Commune { code: "29019".into(), rayon: 10 }),
            report_secret: None,
        });
        tweak(c);
    })
    .await
}

fn territory(answer: &common::Answer) -> String {
    let vue: serde_json::Value = answer.json();
    vue["donnees"]["reponse"]["territoire"]["nom"].as_str().unwrap_or_default().to_owned()
}

/// Issue 25, point 1: `site=A&site=B` was checked as A and cached under B, so B's residents saw
/// A's offers.
#[tokio::test]
async fn a_repeated_site_key_is_refused_and_poisons_nothing() {
    let app = two_sites(|_| {}).await;
    for uri in [
        "/offres?site=brest&site=demo",
        "/offres/imprimer?site=brest&site=demo",
        "/api/v1/flux?site=brest&site=demo",
        "/api/v1/postuler/1234567?site=brest&site=demo",
        "/api/v1/vue?site=demo&site=brest",
        "/api/v1/vue?site=demo&commune=35238&commune=29019",
    ] {
        let answer = app.send(uri, &[("origin", "http://127.0.0.1:5500")]).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
    }
    let vue = app.get("/api/v1/vue?site=demo").await;
    assert_eq!(territory(&vue), "Rennes");
    let vue = app.send("/api/v1/vue?site=brest", &[("origin", PAGE)]).await;
    assert_eq!(territory(&vue), "Brest");
    // The same view asked with its settings spelled otherwise is the same cached view.
    let before = app.upstream_searches();
    let again = app.send("/api/v1/vue?lang=fr&site=brest&marche=false", &[("origin", PAGE)]).await;
    assert_eq!((territory(&again), app.upstream_searches()), ("Brest".to_owned(), before));
}

/// Issue 25, point 2: an `<img>` or `<iframe>` on a busy foreign page made its visitors spend
/// the commune's share of France Travail.
#[tokio::test]
async fn another_sites_images_and_frames_cost_france_travail_nothing() {
    let app = two_sites(|_| {}).await;
    let searches = app.upstream_searches();
    let details = app.sandbox.state().stats().detail_calls;
    let foreign = "https://busy-foreign-site.example/article.html";
    let uris = [
        "/offres?site=brest&q=a1&page=1",
        "/offres/imprimer?site=brest&q=a2&page=1",
        "/offres/1234567?site=brest",
        "/api/v1/flux?site=brest&q=a3&page=1",
        "/api/v1/postuler/1234567?site=brest",
    ];
    for uri in uris {
        for dest in ["image", "iframe", "script", "style", "empty"] {
            let headers = [
                ("sec-fetch-site", "cross-site"),
                ("sec-fetch-mode", "no-cors"),
                ("sec-fetch-dest", dest),
                ("referer", foreign),
            ];
            let answer = app.send(uri, &headers).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{dest} {uri}");
        }
    }
    assert_eq!(app.upstream_searches(), searches, "no search was made");
    assert_eq!(app.sandbox.state().stats().detail_calls, details, "no offer was read");
    // A person: a link followed from anywhere, a frame in the commune's own page, a bookmark.
    let link = [("sec-fetch-site", "cross-site"), ("sec-fetch-dest", "document")];
    assert_eq!(app.send(uris[0], &link).await.status, StatusCode::OK);
    let framed = [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-dest", "iframe"),
        ("referer", "https://www.brest.example/emploi.html"),
    ];
    assert_eq!(app.send(uris[1], &framed).await.status, StatusCode::OK);
    let typed = [("sec-fetch-site", "none"), ("sec-fetch-dest", "document")];
    assert_eq!(app.send(uris[3], &typed).await.status, StatusCode::OK);
    // A frame whose page says nothing of itself cannot be told from a foreign one.
    let hidden = [("sec-fetch-site", "cross-site"), ("sec-fetch-dest", "iframe")];
    assert_eq!(app.send(uris[0], &hidden).await.status, StatusCode::FORBIDDEN);
}

/// Issue 25, point 5: "Postuler" read offers outside any caller, billed to site `-` with no
/// client share.
#[tokio::test]
async fn postuler_spends_the_clients_share_like_any_other_request() {
    let app = two_sites(|c| {
        c.limits.calls_per_client_per_minute = 1;
        c.limits.trusted_proxies = vec!["203.0.113.9".parse().unwrap()];
    })
    .await;
    let finder = [("origin", PAGE), ("x-forwarded-for", "192.0.2.1")];
    let r: SearchResponse = app.send("/api/v1/search?site=brest&par_page=10", &finder).await.json();
    let clicker = [("x-forwarded-for", "192.0.2.2")];
    let apply = |i: usize| format!("/api/v1/postuler/{}?site=brest", r.offres[i].id);
    assert_eq!(app.send(&apply(0), &clicker).await.status, StatusCode::SEE_OTHER);
    let second = app.send(&apply(1), &clicker).await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS, "one call a minute");
}

/// A router whose `/slow` answers after 300 ms and `/forever` after a minute.
fn slow_router() -> axum::Router {
    use axum::routing::get;
    axum::Router::new()
        .route("/", get(|| async { "ok" }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(300)).await;
                "slow"
            }),
        )
        .route(
            "/forever",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                "never"
            }),
        )
}

struct Served {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
    draining: Arc<Draining>,
}

async fn serve(limits: ServerLimits) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let draining = Arc::new(Draining::default());
    let done = tokio::spawn({
        let draining = Arc::clone(&draining);
        async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            emploi_proxy::server::serve(listener, slow_router(), &limits, draining, shutdown).await
        }
    });
    Served { addr, stop: Some(stop), done, draining }
}

/// Whether the server closed `stream` (end of file or reset) within `within`.
async fn closed(stream: &mut tokio::net::TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let until = Instant::now() + within;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
            Err(_) => return false,
        }
    }
}

/// Issue 25, point 6: 600 connections that sent half a request were all still open 35 s later.
#[tokio::test]
async fn slow_and_idle_clients_are_cut_at_the_header_timeout() {
    let limits =
        ServerLimits { header_read: Duration::from_millis(300), ..ServerLimits::default() };
    let served = serve(limits).await;
    let mut halves = Vec::new();
    for _ in 0..50 {
        let mut stream = tokio::net::TcpStream::connect(served.addr).await.unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        halves.push(stream);
    }
    let mut idle = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    idle.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    for stream in &mut halves {
        assert!(closed(stream, Duration::from_secs(5)).await, "a half request kept its socket");
    }
    // The answered connection, kept alive but idle, is closed too.
    assert!(closed(&mut idle, Duration::from_secs(5)).await, "an idle connection stayed open");
}

/// HTTP/1 connections skip the HTTP/2 preface check (its bytes doubled hyper's read buffer);
/// HTTP/2 with prior knowledge, and HTTP/1 methods that start like its preface, still work.
#[tokio::test]
async fn http1_and_http2_with_prior_knowledge_are_both_served() {
    let served = serve(ServerLimits::default()).await;
    let url = format!("http://{}/", served.addr);
    let http1 = reqwest::Client::builder().http1_only().build().unwrap();
    let answer = http1.get(&url).send().await.unwrap();
    assert_eq!((answer.version(), answer.status()), (reqwest::Version::HTTP_11, StatusCode::OK));
    for method in [reqwest::Method::POST, reqwest::Method::PUT, reqwest::Method::PATCH] {
        let answer = http1.request(method, &url).send().await.unwrap();
        assert_eq!(answer.version(), reqwest::Version::HTTP_11);
        assert_eq!(answer.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
    let http2 = reqwest::Client::builder().http2_prior_knowledge().build().unwrap();
    let answer = http2.get(&url).send().await.unwrap();
    assert_eq!((answer.version(), answer.status()), (reqwest::Version::HTTP_2, StatusCode::OK));
    assert_eq!(answer.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn connections_over_the_cap_wait_for_a_free_one() {
    let limits = ServerLimits {
        header_read: Duration::from_millis(500),
        max_connections: 2,
        ..ServerLimits::default()
    };
    let served = serve(limits).await;
    let _a = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    let _b = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut third = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    third.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    let early =
        tokio::time::timeout(Duration::from_millis(200), third.read_to_string(&mut answer)).await;
    assert!(early.is_err(), "served past the cap: {answer}");
    // Once the two idle ones are cut at the header timeout, the third is served.
    tokio::time::timeout(Duration::from_secs(5), third.read_to_string(&mut answer))
        .await
        .unwrap()
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_request_past_its_deadline_gets_a_503_with_the_envelope() {
    let limits = ServerLimits { request: Duration::from_millis(200), ..ServerLimits::default() };
    let served = serve(limits).await;
    let answer = reqwest::get(format!("http://{}/forever", served.addr)).await.unwrap();
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["code"], "upstream_unavailable", "{body}");
}

/// Issue 25, point 6: the graceful shutdown had no deadline.
#[tokio::test]
async fn shutdown_drains_in_flight_requests_then_stops_at_its_deadline() {
    let limits = ServerLimits { drain: Duration::from_millis(800), ..ServerLimits::default() };
    let mut served = serve(limits).await;
    let base = format!("http://{}", served.addr);
    let slow = tokio::spawn(reqwest::get(format!("{base}/slow")));
    let forever = tokio::spawn(reqwest::get(format!("{base}/forever")));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let stopping = Instant::now();
    served.stop.take().unwrap().send(()).unwrap();
    // The request in flight completes.
    let answer = slow.await.unwrap().unwrap();
    assert_eq!(answer.text().await.unwrap(), "slow");
    assert!(served.draining.is_on(), "readiness says draining");
    // The one that would outlive the drain is cut, and the server stops.
    tokio::time::timeout(Duration::from_secs(10), served.done).await.unwrap().unwrap().unwrap();
    assert!(stopping.elapsed() < Duration::from_secs(10));
    assert!(forever.await.unwrap().is_err(), "cut at the drain deadline");
    // New connections are refused once stopped.
    assert!(tokio::net::TcpStream::connect(served.addr).await.is_err());
}

/// Issue 25, point 6, with the real binary: SIGTERM while a resident's search waits on a slow
/// France Travail; the search is answered, then the process exits.
#[tokio::test]
async fn sigterm_lets_the_search_in_flight_finish() {
    let dir = std::env::temp_dir().join(format!("emploi-sigterm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("proxy.toml");
    std::fs::write(
        &file,
        "[[sites]]\nkey = \"ville\"\norigins = [\"https://ville.example\"]\ncommune = \"35238\"\n",
    )
    .unwrap();
    let (_sandbox, mut command, base) =
        common::binary_over_slow_sandbox("PAR_sigterm", 700, &file).await;
    let mut child =
        command.env("EMPLOI_LOG", "error").stdout(std::process::Stdio::null()).spawn().unwrap();
    common::until_ready(&base).await;
    let search = tokio::spawn(
        reqwest::Client::new()
            .get(format!("{base}/api/v1/search?site=ville&q=vente"))
            .header("origin", "https://ville.example")
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let answer = search.await.unwrap().unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "the search in flight was answered");
    let until = Instant::now() + Duration::from_secs(25);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < until, "the proxy did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let _ = std::fs::remove_dir_all(&dir);
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn ipv6_rotation_within_one_prefix_is_one_client() {
    let app = two_sites(|c| {
        c.limits = Limits {
            per_ip_per_minute: 5,
            trusted_proxies: vec!["203.0.113.9".parse().unwrap()],
            ..Limits::default()
        };
    })
    .await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let address = format!("2001:db8:5:7:{i:x}:1:2:3");
        let page = app.send("/offres?site=brest", &[("x-forwarded-for", &address)]).await;
        statuses.push(page.status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
    let next = app.send("/offres?site=brest", &[("x-forwarded-for", "2001:db8:5:8::1")]).await;
    assert_eq!(next.status, StatusCode::OK, "another /64 is another client");
}

/// hyper's header timer starts with the first byte: a connection that never sends one was
/// held for ever.
#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_at_the_header_timeout() {
    let limits =
        ServerLimits { header_read: Duration::from_millis(300), ..ServerLimits::default() };
    let served = serve(limits).await;
    let mut silent = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    assert!(closed(&mut silent, Duration::from_secs(5)).await, "a silent connection stayed open");
}

/// Issue 25, point 10: `page=N` rendered every offer up to page N (about 3,000), and plain
/// pages were rendered anew on every request.
#[tokio::test]
async fn a_large_page_renders_a_bounded_view_and_pages_are_cached() {
    // Enough offers in Paris for a page past the bound.
    let app =
        two_sites_over(SandboxConfig { offers: 40_000, ..SandboxConfig::default() }, |_| {}).await;
    let uri = "/offres?site=brest&departement=75&q=&page=150&par_page=20";
    let page = app.send(uri, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = String::from_utf8(page.body).unwrap();
    let rendered = html.matches("data-testid=\"offer\"").count();
    assert_eq!(rendered, emploi_types::recherche::MAX_RENDERED as usize, "not 3,000");
    assert!(html.contains("Cette page affiche au plus 200 offres"), "the resident is told");
    let vue = app.send("/api/v1/vue?site=brest&departement=75", &[("origin", PAGE)]).await;
    assert_eq!(vue.status, StatusCode::OK);
    let deep: serde_json::Value = app
        .send("/api/v1/vue?site=brest&departement=75&lien=page%3D150", &[("origin", PAGE)])
        .await
        .json();
    assert!(deep["donnees"]["offres"].as_array().unwrap().len() <= 200);
    // The same page again, spelled otherwise: one render, served from the pages cache.
    let again = app.send("/offres?q=&par_page=20&page=150&departement=75&site=brest", &[]).await;
    assert_eq!(String::from_utf8(again.body).unwrap(), html);
    let metrics = String::from_utf8(app.admin("/metrics").await.body).unwrap();
    assert!(
        metrics.contains("emploi_cache_lookups_total{cache=\"page\",result=\"hit\"} 1"),
        "{metrics}"
    );
}

/// Issue 25, point 11: the feed's own link was written from `Host` and `X-Forwarded-Proto`,
/// even without a trusted proxy, and served `public` for shared caches to keep.
#[tokio::test]
async fn a_feeds_own_link_is_never_a_strangers_word_kept_by_shared_caches() {
    let uri = "/api/v1/flux?site=brest&q=vente&page=1";
    let forged = [("host", "evil.example"), ("x-forwarded-proto", "https")];
    let app = two_sites(|_| {}).await;
    let feed = app.send(uri, &forged).await;
    let xml = String::from_utf8(feed.body.clone()).unwrap();
    assert!(xml.contains("href=\"http://evil.example/api/v1/flux"), "{xml}");
    assert_eq!(feed.headers["cache-control"], "private, max-age=300");
    let app = two_sites(|c| c.public_url = Some("https://emploi.example.fr".into())).await;
    let feed = app.send(uri, &forged).await;
    let xml = String::from_utf8(feed.body.clone()).unwrap();
    assert!(xml.contains("href=\"https://emploi.example.fr/api/v1/flux?site=brest"), "{xml}");
    assert!(!xml.contains("evil.example"));
    assert_eq!(feed.headers["cache-control"], "public, max-age=300");
}

/// What hostile offer text must never become in a page: markup of its own.
fn assert_inert(what: &str, html: &str) {
    for raw in ["<script>window", "<img src=x", "<svg onload"] {
        assert!(!html.contains(raw), "{what} carries {raw:?} as markup");
    }
    for tag in html.match_indices("<script").map(|(i, _)| &html[i..]) {
        assert!(tag.starts_with("<script src=\"/widget/"), "{what}: a script not of ours");
    }
}

/// Issue 25, point 14: hostile offers were tested in the script embed only.
#[tokio::test]
async fn hostile_offers_stay_text_in_plain_pages_print_views_and_feeds() {
    let sandbox = SandboxConfig { hostile: true, offers: 40_000, ..SandboxConfig::default() };
    let app = two_sites_over(sandbox, |c| {
        c.limits.per_ip_per_minute = 100_000;
        c.limits.calls_per_client_per_minute = 0;
    })
    .await;
    // The plain page of the first 200 offers in Paris holds some (one offer in 40).
    let page = app.send("/offres?site=demo&departement=75&q=&page=4&par_page=50", &[]).await;
    let html = String::from_utf8(page.body).unwrap();
    assert_inert("the search page", &html);
    assert!(html.contains("window.__pwned=1"), "hostile offers are on the page, as text");
    let mut seen = (false, false, false);
    for q in ["serveur", "vendeur", "developpeur", "cuisinier", "agent"] {
        for departement in ["35", "75", "13", "69", "33", "59"] {
            let search = format!("site=demo&departement={departement}&q={q}&page=1");
            let print = app.send(&format!("/offres/imprimer?{search}&par_page=30"), &[]).await;
            let html = String::from_utf8(print.body).unwrap();
            assert_inert("the print view", &html);
            seen.0 |= html.contains("window.__pwned");
            let feed = app.send(&format!("/api/v1/flux?{search}"), &[]).await;
            assert_eq!(feed.status, StatusCode::OK);
            let parsed = atom_syndication::Feed::read_from(&feed.body[..]).unwrap();
            let hostile: Vec<_> = parsed
                .entries()
                .iter()
                .filter(|e| e.title().as_str().contains("window.__pwned"))
                .collect();
            // The reader gets the title as text, exactly as France Travail wrote it.
            for entry in &hostile {
                assert!(emploi_sandbox::HOSTILE_TEXTS.contains(&entry.title().as_str()));
            }
            seen.1 |= !hostile.is_empty();
            let r: SearchResponse = app.get(&format!("/api/v1/search?{search}")).await.json();
            for offre in r.offres.iter().filter(|o| o.intitule.contains("window.__pwned")) {
                let uri = format!("/offres/{}?site=demo", offre.id);
                let html = String::from_utf8(app.send(&uri, &[]).await.body).unwrap();
                assert_inert("an offer's page", &html);
                seen.2 = true;
            }
        }
    }
    assert_eq!(seen, (true, true, true), "hostile offers were met in print, feed and offer pages");
}
