//! `emploi-proxy`: reads the configuration, sets up logging, serves until Ctrl-C or SIGTERM,
//! and reloads the sites on SIGHUP or when the configuration file changes.
//! `emploi-proxy check <file>` checks a configuration file without starting.

use std::sync::Arc;

use anyhow::Context;
use emploi_proxy::config::{Config, UpstreamConfig};
use emploi_proxy::upstream::Reach;
use tracing_subscriber::EnvFilter;

// jemalloc rather than glibc's malloc: at 1,000 connections (load_bench, side by side) the
// proxy peaked at 65 MB instead of 80 MB, with the same throughput; glibc keeps more freed memory
// in its per-thread arenas (MALLOC_ARENA_MAX=1: 69 MB), mimalloc kept even more (101 MB).
// `.cargo/config.toml` builds it to return freed pages at once (decay 0): peak 89 -> 75 MB.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const USAGE: &str =
    "usage: emploi-proxy            serve (configured by environment variables, see the README)
       emploi-proxy check <file> check a configuration file as the proxy would read it, and exit";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => {}
        ["check", file] => std::process::exit(check(std::path::Path::new(file))),
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            return Ok(());
        }
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
    let filter = EnvFilter::try_from_env("EMPLOI_LOG").unwrap_or_else(|_| {
        EnvFilter::new("emploi_proxy=info,emploi_sandbox=info,tower_http=info")
    });
    if std::env::var("EMPLOI_LOG_JSON").is_ok_and(|v| v == "1") {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }

    let config = Config::from_env().context("invalid configuration")?;
    let addr = config.addr;
    let started = emploi_proxy::start(config).await?;
    match &started.state.config.upstream {
        UpstreamConfig::Sandbox { .. } => tracing::warn!(
            upstream = %started.upstream_name(),
            "sandbox mode (EMPLOI_SANDBOX=1): every offer served is synthetic"
        ),
        UpstreamConfig::FranceTravail(_) => {
            tracing::info!(upstream = %started.upstream_name(), "serving France Travail offers");
        }
    }
    // One token request at start-up, so that wrong credentials show in the log (and in
    // /readyz) at once rather than at the first resident's search.
    match started.state.upstream.warm_up().await {
        Ok(()) => tracing::info!("France Travail token obtained"),
        Err(e) => {
            tracing::error!(error = %e, "no France Travail token: check FT_CLIENT_ID and FT_CLIENT_SECRET")
        }
    }
    // Which of the events and labour-market APIs this application may call: found out once,
    // with one small call each; an API it cannot reach is not offered, and said so here once.
    let apis = started.state.upstream.discover().await;
    for (name, reach) in
        [("Mes événements emploi", apis.evenements), ("Marché du travail", apis.marche)]
    {
        match reach {
            Reach::Yes => tracing::info!(api = name, "France Travail API reachable"),
            Reach::Refused => tracing::warn!(
                api = name,
                "France Travail refuses this application (403): the API is not offered; \
                 subscribe the application to it on francetravail.io"
            ),
            Reach::Unknown => tracing::warn!(
                api = name,
                "France Travail API could not be checked at start (unavailable or over budget)"
            ),
        }
    }
    // Serve at once, refresh behind: each site's first view and the searches residents ask
    // are refreshed ahead of their expiry, at the pace the budget leaves.
    tokio::spawn(emploi_proxy::service::search::keep_warm(started.state.clone()));
    // Sites without a restart: SIGHUP, or a change of the configuration file.
    tokio::spawn(emploi_proxy::reload::watch(started.state.clone()));
    // The communes' usage counts, written out every few seconds (and at shutdown, below).
    tokio::spawn(emploi_proxy::usage::keep_writing(Arc::clone(&started.state.usage)));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (EMPLOI_ADDR)"))?;
    let bound = listener.local_addr()?;
    let state = started.state.clone();
    let limits = state.config.server.clone();
    // The operations listener: metrics and health details, loopback by default.
    let (stop_admin, admin_stopped) = tokio::sync::oneshot::channel::<()>();
    let admin = match state.config.admin_addr {
        Some(admin_addr) => {
            let admin = tokio::net::TcpListener::bind(admin_addr)
                .await
                .with_context(|| format!("cannot listen on {admin_addr} (EMPLOI_ADMIN_ADDR)"))?;
            println!("emploi-proxy operations on http://{}/metrics", admin.local_addr()?);
            let app = emploi_proxy::admin_router(state.clone());
            let (limits, draining) = (limits.clone(), Arc::clone(&state.draining));
            Some(tokio::spawn(async move {
                let stopped = async {
                    let _ = admin_stopped.await;
                };
                emploi_proxy::server::serve(admin, app, &limits, draining, stopped).await
            }))
        }
        None => None,
    };
    println!("emploi-proxy listening on http://{bound}/");
    let app = emploi_proxy::router(state.clone());
    let draining = Arc::clone(&state.draining);
    emploi_proxy::server::serve(listener, app, &limits, draining, shutdown_signal()).await?;
    let _ = stop_admin.send(());
    if let Some(admin) = admin {
        admin.await??;
    }
    if let Err(e) = state.usage.flush().await {
        tracing::error!(error = %e, "the last usage counts could not be written");
    }
    Ok(())
}

/// `emploi-proxy check <file>`: reads the file as a start or a reload would (every section,
/// the sites' territories against the referential), says what it found, and returns the exit
/// code: 0 when valid, 1 when not.
fn check(file: &std::path::Path) -> i32 {
    let referentiel = emploi_territory::Referentiel::load();
    match emploi_proxy::config::load_file(file, &referentiel) {
        Ok(read) => {
            println!("{}: valid, {} site(s)", file.display(), read.sites.len());
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
