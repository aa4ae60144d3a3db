//! Search latency and memory of the sandbox on its full data set, for `cargo xtask bench`.
//!
//! Generates the default 62,000 offers, then sends each typical query through the sandbox's own
//! router (token check, rate limiter lifted, validation, search, rendering, JSON) many times and
//! prints one JSON line per measure.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, header};
use emploi_sandbox::{Sandbox, SandboxConfig, router};
use emploi_territory::Referentiel;
use http_body_util::BodyExt;
use tower::ServiceExt;

const QUERIES: [(&str, &str); 7] = [
    ("commune + 20 km + keyword", "commune=35238&distance=20&motsCles=vendeur"),
    ("département + contract type", "departement=69&typeContrat=CDD"),
    ("no filter", ""),
    ("keyword, sort by date", "motsCles=aide,soignant&sort=1"),
    ("département + contract type, 20 offers", "departement=69&typeContrat=CDD&range=0-19"),
    ("no filter, 20 offers", "range=0-19"),
    ("no filter, deep page", "range=2980-2999&sort=1"),
];

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let iterations: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(200);
    let before = rss_kib();
    let started = Instant::now();
    let config = SandboxConfig {
        now: Some(1_795_176_000),
        rate_limit_per_sec: 1_000_000_000,
        ..SandboxConfig::default()
    };
    let sandbox = Arc::new(Sandbox::new(&config, Referentiel::load()));
    let generation_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{{\"measure\":\"startup\",\"offers\":{},\"generation_ms\":{generation_ms:.0},\"rss_before_kib\":{before},\"rss_kib\":{}}}",
        sandbox.offer_count(),
        rss_kib()
    );

    let app = router(Arc::clone(&sandbox));
    let token_req = Request::post("/connexion/oauth2/access_token?realm=%2Fpartenaire")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(
            "grant_type=client_credentials&client_id=PAR_sandbox&client_secret=sandbox-secret&scope=api_offresdemploiv2 o2dsoffre",
        ))?;
    let body = app.clone().oneshot(token_req).await?.into_body().collect().await?.to_bytes();
    let token: serde_json::Value = serde_json::from_slice(&body)?;
    let token = token["access_token"].as_str().unwrap_or_default().to_owned();

    for (name, query) in QUERIES {
        let mut samples = Vec::with_capacity(iterations);
        let mut bytes = 0;
        for _ in 0..iterations {
            let req = Request::get(format!("/partenaire/offresdemploi/v2/offres/search?{query}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())?;
            let t = Instant::now();
            let res = app.clone().oneshot(req).await?;
            bytes = res.into_body().collect().await?.to_bytes().len();
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        samples.sort_by(f64::total_cmp);
        let pct = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
        println!(
            "{{\"measure\":\"search\",\"name\":\"{name}\",\"query\":\"{query}\",\"iterations\":{iterations},\"p50_ms\":{:.3},\"p99_ms\":{:.3},\"bytes\":{bytes}}}",
            pct(0.5),
            pct(0.99)
        );
    }
    println!("{{\"measure\":\"end\",\"rss_kib\":{}}}", rss_kib());
    Ok(())
}
