//! `emploi-sandbox`: serves the France Travail emulator on a loopback port.

use std::net::SocketAddr;

use anyhow::Context;
use clap::Parser;
use emploi_sandbox::{SandboxConfig, start};

/// Offline emulator of the France Travail Offres d'emploi v2, Mes événements emploi and Marché du
/// travail APIs.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9090")]
    addr: SocketAddr,
    /// Seed of the data set.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Number of offers.
    #[arg(long, default_value_t = 62_000)]
    offers: usize,
    /// Fixed clock, as an RFC 3339 date (e.g. 2026-11-20T12:00:00Z); defaults to now.
    #[arg(long)]
    now: Option<String>,
    /// Client id accepted by the token endpoint.
    #[arg(long, env = "SANDBOX_CLIENT_ID", default_value = "PAR_sandbox")]
    client_id: String,
    /// Client secret accepted by the token endpoint.
    #[arg(
        long,
        env = "SANDBOX_CLIENT_SECRET",
        default_value = "sandbox-secret",
        hide_env_values = true
    )]
    client_secret: String,
    /// Calls per second per client id.
    #[arg(long, default_value_t = 10)]
    rate_limit: u32,
    /// Make some offers carry hostile text.
    #[arg(long)]
    hostile: bool,
    /// An API the application is not subscribed to (it answers 403): `evenements` or `marche`.
    #[arg(long, value_parser = ["evenements", "marche"])]
    unsubscribed: Vec<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let now = match &args.now {
        Some(text) => Some(
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .with_context(|| format!("--now {text:?} is not an RFC 3339 date"))?
                .unix_timestamp(),
        ),
        None => None,
    };
    let config = SandboxConfig {
        seed: args.seed,
        offers: args.offers,
        now,
        client_id: args.client_id,
        client_secret: args.client_secret,
        rate_limit_per_sec: args.rate_limit,
        hostile: args.hostile,
        subscriptions: emploi_sandbox::Subscriptions {
            evenements: !args.unsubscribed.iter().any(|a| a == "evenements"),
            marche: !args.unsubscribed.iter().any(|a| a == "marche"),
        },
        ..SandboxConfig::default()
    };
    let running =
        start(config, args.addr).await.with_context(|| format!("cannot serve on {}", args.addr))?;
    println!(
        "France Travail sandbox: {} offers on {} (token: POST {}, API: {})",
        running.state().offer_count(),
        running.base_url(),
        emploi_sandbox::TOKEN_PATH,
        emploi_sandbox::API_PREFIX
    );
    tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
    running.shutdown();
    Ok(())
}
