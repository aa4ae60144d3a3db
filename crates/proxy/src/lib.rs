#![doc = include_str!("../README.md")]

pub mod config;
pub mod error;
pub mod mapping;
pub mod multi;
pub mod params;
mod routes;
pub mod upstream;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use emploi_territory::Referentiel;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::{Config, FranceTravailConfig, UpstreamConfig};
use crate::upstream::{FtClient, Upstream};

/// Shared state of the handlers. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The embedded territorial referential.
    pub referentiel: Arc<Referentiel>,
    /// France Travail behind its cache.
    pub upstream: Arc<Upstream>,
    /// The configuration.
    pub config: Arc<Config>,
}

impl AppState {
    /// State talking to France Travail (or anything speaking its protocol) as `ft`.
    pub fn new(config: Config, ft: FranceTravailConfig, referentiel: Arc<Referentiel>) -> Self {
        let client = FtClient::new(ft, 10, config.upstream_deadline);
        let upstream = Upstream::new(client, config.search_ttl, config.detail_ttl);
        Self { referentiel, upstream: Arc::new(upstream), config: Arc::new(config) }
    }
}

/// The proxy's router: the API, health, the widget's files and the demo site.
///
/// Layers are added with `Router::layer`, so each wraps everything above it: on the way in a
/// request meets tracing first, then CORS, then error localisation, then the routes. CORS sits
/// outside the error handling so that error envelopes carry the headers the widget needs to
/// read them.
pub fn router(state: AppState) -> Router {
    let widget_files = Router::new()
        .fallback_service(ServeDir::new(&state.config.widget_dir))
        // Widget files are fetched from any host page: they are public and carry no credentials.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ))
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([Method::GET]));
    let api = routes::api_routes().layer(axum::middleware::from_fn(error::localize_errors)).layer(
        CorsLayer::new()
            .allow_origin(Any)
            .allow_methods([Method::GET])
            .allow_headers([header::ACCEPT, header::ACCEPT_LANGUAGE])
            .expose_headers([header::RETRY_AFTER])
            .max_age(Duration::from_secs(3600)),
    );
    Router::new()
        .nest("/api/v1", api)
        .merge(routes::health_routes())
        .nest_service("/widget", widget_files)
        .fallback_service(ServeDir::new(&state.config.site_dir))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A state ready to serve, with the in-process sandbox when no credentials are configured.
pub struct Started {
    /// The handlers' state.
    pub state: AppState,
    /// The sandbox, when running in sandbox mode (dropping it stops it).
    pub sandbox: Option<emploi_sandbox::RunningSandbox>,
}

/// Builds the state for `config`: loads the referential and, in sandbox mode, starts the sandbox
/// on a loopback port with credentials made up for this run.
pub async fn start(config: Config) -> anyhow::Result<Started> {
    let referentiel = Arc::new(tokio::task::spawn_blocking(Referentiel::load).await?);
    match config.upstream.clone() {
        UpstreamConfig::FranceTravail(ft) => {
            Ok(Started { state: AppState::new(config, ft, referentiel), sandbox: None })
        }
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
            let ft = FranceTravailConfig::for_sandbox(&sandbox, client_id, client_secret);
            Ok(Started { state: AppState::new(config, ft, referentiel), sandbox: Some(sandbox) })
        }
    }
}
