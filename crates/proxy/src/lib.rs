#![doc = include_str!("../README.md")]

pub mod config;
pub mod error;
pub mod gate;
pub mod mapping;
pub mod metiers;
pub mod metrics;
pub mod multi;
mod negotiation;
pub mod openapi;
pub mod params;
pub mod reload;
pub mod routes;
pub mod server;
pub mod service;
pub mod sites;
mod spare;
mod static_files;
pub mod upstream;
pub mod usage;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{Method, Request, header};
use emploi_territory::Referentiel;
use tower_http::cors::{Any, CorsLayer};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

use crate::config::{CacheBackend, Config, FranceTravailConfig, UpstreamConfig};
use crate::metrics::Metrics;
use crate::sites::Access;
use crate::upstream::shared::SharedStore;
use crate::upstream::{Budget, Circuit, ClientPolicy, FtClient, Upstream};

/// Shared state of the handlers: one `Arc`, since it is cloned and dropped several times per
/// request (one reference count to touch instead of one per field).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
#[derive(Debug)]
pub struct Shared {
    /// The embedded territorial referential.
    pub referentiel: Arc<Referentiel>,
    /// France Travail behind its cache.
    pub upstream: Arc<Upstream>,
    /// The configuration.
    pub config: Arc<Config>,
    /// Sites, origins and caller limits.
    pub access: Arc<Access>,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    /// The usage counts by site and month, for the communes' reports.
    pub usage: Arc<usage::UsageBook>,
    /// ROME fiches and, with real credentials, France Travail's appellations.
    pub metiers: Arc<metiers::Metiers>,
    /// Encoded answers of recent searches, by raw query string (site key included), as JSON
    /// and gzip. (Behind an `Arc`: a moka handle is costly to clone, and the state is cloned
    /// per request.)
    pub responses: Arc<moka::future::Cache<String, service::encoded::Encoded>>,
    /// Rendered plain pages and print views, by their canonical address, as long as the
    /// answers they show.
    pub pages: Arc<moka::future::Cache<String, axum::body::Bytes>>,
    /// Set when shutdown begins: `/readyz` then says not ready.
    pub draining: Arc<server::Draining>,
    /// The widget's files the plain pages link to, found at start.
    pub page_assets: routes::pages::Assets,
}

impl AppState {
    /// State talking to France Travail (or anything speaking its protocol) as `ft`. Connects to
    /// Redis with the Redis backend, and checks the sites' territories against the referential.
    pub async fn new(
        config: Config,
        ft: FranceTravailConfig,
        referentiel: Arc<Referentiel>,
    ) -> anyhow::Result<Self> {
        config.check_territories(&referentiel)?;
        let shared = match &config.cache.backend {
            CacheBackend::Memory => None,
            // Redis down now is no reason not to serve: the store connects in the background,
            // and the instance starts once it is connected or after a second without it.
            CacheBackend::Redis { url } => {
                let store =
                    SharedStore::open(url).map_err(|e| anyhow::anyhow!("cache.redis_url: {e}"))?;
                store.connected_within(Duration::from_secs(1)).await;
                Some(store)
            }
        };
        let metrics = Arc::new(Metrics::new());
        let usage = Arc::new(match &shared {
            Some(store) => usage::UsageBook::redis(store.clone()),
            None => usage::UsageBook::disk(&config.usage_file).map_err(|e| {
                anyhow::anyhow!(
                    "EMPLOI_USAGE_FILE: {e} (is another instance using it? Instances share their \
                     usage counts through Redis, cache.backend = \"redis\")"
                )
            })?,
        });
        let policy = ClientPolicy {
            budget: Budget::new(
                &config.budget,
                config.limits.calls_per_client_per_minute,
                shared.clone(),
            ),
            deadline: config.upstream_deadline,
            // A probe cannot legitimately outlive its call's deadline.
            circuit: Circuit::new(
                config.circuit.failures,
                config.circuit.open_for,
                config.upstream_deadline + Duration::from_secs(1),
            ),
        };
        let client = FtClient::new(ft, policy, Arc::clone(&metrics), shared.clone());
        let upstream = Upstream::new(client, &config.cache, shared, Arc::clone(&metrics));
        let access = Access::new(&config.sites, &config.limits);
        metrics.sites_registered(config.sites.len());
        // As fresh as the upstream answers they come from; with Redis, short-lived like the other
        // local copies.
        let response_ttl = if config.cache.backend == CacheBackend::Memory {
            config.cache.search_ttl
        } else {
            config.cache.search_ttl.min(Duration::from_secs(10))
        };
        let responses = rendered_cache(response_ttl, service::encoded::Encoded::weight);
        let pages = rendered_cache(response_ttl, axum::body::Bytes::len);
        let upstream = Arc::new(upstream);
        let metiers = Arc::new(metiers::Metiers::new(
            Arc::clone(&referentiel),
            config.appellations.then(|| Arc::clone(&upstream)),
        ));
        let page_assets = routes::pages::Assets::find(&config.widget_dir);
        Ok(Self(Arc::new(Shared {
            referentiel,
            metiers,
            upstream,
            config: Arc::new(config),
            access: Arc::new(access),
            metrics,
            usage,
            responses: Arc::new(responses),
            draining: Arc::new(server::Draining::default()),
            page_assets,
            pages: Arc::new(pages),
        })))
    }
}

impl Shared {
    /// Counts one resident action for a site: in `/metrics` for operators, and by month in
    /// the site's usage report.
    pub fn used(&self, site: &sites::Site, action: metrics::Action) {
        self.metrics.used(site, action);
        self.usage.count(&site.key, action);
    }
}

/// A cache of rendered answers (encoded searches and first views, pages): 16 MB by the bytes
/// `weight` counts, each kept `ttl`.
fn rendered_cache<V: Clone + Send + Sync + 'static>(
    ttl: Duration,
    weight: fn(&V) -> usize,
) -> moka::future::Cache<String, V> {
    moka::future::Cache::builder()
        .max_capacity(16 << 20)
        .weigher(move |k: &String, v: &V| u32::try_from(k.len() + weight(v)).unwrap_or(u32::MAX))
        .time_to_live(ttl.max(Duration::from_millis(1)))
        .build()
}

/// The proxy's router: the API, health and metrics, the widget's files and the demo site.
///
/// Layers are added with `Router::layer`, so each wraps everything above it: on the way in a
/// request gets its id first, then its tracing span, then metrics, CORS, error localisation,
/// the site guard and the routes. CORS sits outside the error handling so that error envelopes
/// carry the headers the widget needs to read them.
pub fn router(state: AppState) -> Router {
    let api = routes::api_routes(&state)
        .layer(axum::middleware::from_fn(error::localize_errors))
        // Other answers are compressed as they go; cached searches and first views carry their
        // own gzip copy (a response that already has a Content-Encoding is left alone).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET])
                .allow_headers([header::ACCEPT, header::ACCEPT_LANGUAGE])
                .expose_headers([header::RETRY_AFTER])
                .max_age(Duration::from_secs(3600)),
        );
    let trace = TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
        let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
        // The path only: queries may hold what residents typed.
        tracing::info_span!(
            "request",
            method = %request.method(),
            path = %request.uri().path(),
            request_id = %id,
            site = tracing::field::Empty,
            client = tracing::field::Empty,
        )
    });
    Router::new()
        .nest("/api/v1", api)
        .merge(routes::health_routes())
        .merge(routes::pages::routes(&state))
        .merge(routes::report::routes(&state))
        .nest_service("/widget", static_files::widget(&state.config.widget_dir))
        .fallback_service(static_files::site(&state.config.site_dir))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(trace)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(RequestIds::new()))
        .with_state(state)
}

/// The operations listener's router (`EMPLOI_ADMIN_ADDR`, loopback by default): metrics and
/// health details, kept off the public listener (they hold per-commune usage).
pub fn admin_router(state: AppState) -> Router {
    routes::admin_routes().with_state(state)
}

/// Request ids: a random per-process prefix and a counter (unique, and no system call per
/// request as random UUIDs would need).
#[derive(Clone, Debug)]
struct RequestIds {
    prefix: u64,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    fn new() -> Self {
        Self { prefix: rand::random(), next: Arc::new(std::sync::atomic::AtomicU64::new(1)) }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let id = format!("{:016x}-{n:08x}", self.prefix);
        axum::http::HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// A state ready to serve, with the in-process sandbox in sandbox mode.
pub struct Started {
    /// The handlers' state.
    pub state: AppState,
    /// The sandbox, when running in sandbox mode (dropping it stops it).
    #[cfg(feature = "sandbox")]
    pub sandbox: Option<emploi_sandbox::RunningSandbox>,
}

impl Started {
    /// Where offers come from, for the start-up log: France Travail's API base, or the
    /// sandbox's loopback address.
    pub fn upstream_name(&self) -> String {
        #[cfg(feature = "sandbox")]
        if let Some(sandbox) = &self.sandbox {
            return format!(
                "offline sandbox at {} ({} synthetic offers)",
                sandbox.base_url(),
                sandbox.state().offer_count()
            );
        }
        match &self.state.config.upstream {
            UpstreamConfig::FranceTravail(ft) => format!("France Travail API at {}", ft.api_base),
            UpstreamConfig::Sandbox { .. } => "sandbox".to_owned(),
        }
    }
}

/// Builds the state for `config`: loads the referential and, in sandbox mode (`EMPLOI_SANDBOX=1`,
/// in a build with the `sandbox` feature), starts the sandbox on a loopback port with
/// credentials made up for this run.
pub async fn start(config: Config) -> anyhow::Result<Started> {
    let referentiel = Arc::new(tokio::task::spawn_blocking(Referentiel::load).await?);
    match config.upstream.clone() {
        UpstreamConfig::FranceTravail(ft) => Ok(Started {
            state: AppState::new(config, ft, referentiel).await?,
            #[cfg(feature = "sandbox")]
            sandbox: None,
        }),
        #[cfg(not(feature = "sandbox"))]
        UpstreamConfig::Sandbox { .. } => anyhow::bail!(
            "EMPLOI_SANDBOX=1 asks for the offline sandbox, but this build has none: it is a \
             cargo feature of emploi-proxy, off in production builds (cargo build --features \
             sandbox, as cargo xtask demo does)"
        ),
        #[cfg(feature = "sandbox")]
        UpstreamConfig::Sandbox { now } => {
            use rand::Rng;
            let mut rng = rand::rng();
            let client_id = format!("PAR_sandbox_{:08x}", rng.random::<u32>());
            let client_secret: String =
                (0..32).map(|_| char::from(rng.random_range(b'a'..=b'z'))).collect();
            let sandbox_config = emploi_sandbox::SandboxConfig {
                now,
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
                ..emploi_sandbox::SandboxConfig::default()
            };
            let sandbox = emploi_sandbox::start(
                sandbox_config,
                std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            )
            .await?;
            let ft = FranceTravailConfig::at(&sandbox.base_url(), client_id, client_secret);
            let state = AppState::new(config, ft, referentiel).await?;
            Ok(Started { state, sandbox: Some(sandbox) })
        }
    }
}
