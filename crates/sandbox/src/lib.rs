#![doc = include_str!("../README.md")]

mod auth;
mod catalogue;
mod events;
mod faults;
mod market;
mod offer;
mod params;
mod referentials;
mod routes;
mod search;

use std::net::SocketAddr;
use std::sync::Arc;

use emploi_territory::Referentiel;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use auth::Api;
pub use catalogue::CatalogueParams;
pub use faults::{Faults, Latency, Stats};
pub use market::MarketQuirks;
pub use offer::{CANDIDATE_SITE, HOSTILE_TEXTS};
pub use params::{MAX_START, MAX_WINDOW, Quirks};
pub use referentials::NAMES as REFERENTIAL_NAMES;
pub use routes::router;

use crate::auth::Auth;
use crate::catalogue::Catalogue;

/// Path prefix of the API, as on the real gateway.
pub const API_PREFIX: &str = "/partenaire/offresdemploi/v2";
/// Path prefix of *Mes événements emploi*.
pub const EVENEMENTS_PREFIX: &str = "/partenaire/evenements/v1";
/// Path prefix of *Marché du travail*.
pub const MARCHE_PREFIX: &str = "/partenaire/stats-offres-demandes-emploi/v1";
/// Path of the token endpoint (the realm goes in the query string).
pub const TOKEN_PATH: &str = "/connexion/oauth2/access_token";

/// Everything that defines a sandbox instance.
#[derive(Clone)]
pub struct SandboxConfig {
    /// Seed of the data set. Defaults to 42.
    pub seed: u64,
    /// Number of offers. Defaults to 62,000.
    pub offers: usize,
    /// The sandbox clock, in Unix seconds; `None` reads the system clock once at start-up.
    /// Tests pin it so that dates and `publieeDepuis` are reproducible.
    pub now: Option<i64>,
    /// The one client id the token endpoint accepts.
    pub client_id: String,
    /// Its secret.
    pub client_secret: String,
    /// Token lifetime announced and enforced, in seconds. Defaults to 1499, as upstream.
    pub token_lifetime_secs: u64,
    /// Calls per second per client id before 429. Defaults to 10, as upstream.
    pub rate_limit_per_sec: u32,
    /// Make about one offer in 40 carry hostile text (markup, `javascript:` URLs, odd Unicode).
    pub hostile: bool,
    /// Disputed upstream behaviours.
    pub quirks: Quirks,
    /// Faults active from the start (they can be changed at run time through the admin API).
    pub faults: Faults,
    /// The APIs the application is subscribed to besides *Offres d'emploi*: a token asked with
    /// another API's scopes is still issued, and that API answers 403, as France Travail's
    /// gateway does.
    pub subscriptions: Subscriptions,
    /// Disputed behaviours of *Marché du travail*.
    pub market_quirks: MarketQuirks,
    /// An unknown event id: `false` answers 204 (the default), `true` 404.
    pub unknown_event_404: bool,
}

/// The APIs an application is subscribed to besides *Offres d'emploi*.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subscriptions {
    /// *Mes événements emploi*.
    pub evenements: bool,
    /// *Marché du travail*.
    pub marche: bool,
}

impl Default for Subscriptions {
    fn default() -> Self {
        Self { evenements: true, marche: true }
    }
}

impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("seed", &self.seed)
            .field("offers", &self.offers)
            .field("now", &self.now)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("token_lifetime_secs", &self.token_lifetime_secs)
            .field("rate_limit_per_sec", &self.rate_limit_per_sec)
            .field("hostile", &self.hostile)
            .finish_non_exhaustive()
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            offers: 62_000,
            now: None,
            client_id: "PAR_sandbox".to_owned(),
            client_secret: "sandbox-secret".to_owned(),
            token_lifetime_secs: 1499,
            rate_limit_per_sec: 10,
            hostile: false,
            quirks: Quirks::default(),
            faults: Faults::default(),
            subscriptions: Subscriptions::default(),
            market_quirks: MarketQuirks::default(),
            unknown_event_404: false,
        }
    }
}

/// A sandbox's shared state.
pub struct Sandbox {
    catalogue: Catalogue,
    agenda: events::Agenda,
    statistiques: market::Statistiques,
    auth: Auth,
    faults: faults::FaultState,
    quirks: Quirks,
    subscriptions: Subscriptions,
    unknown_event_404: bool,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("offers", &self.catalogue.records.len()).finish()
    }
}

impl Sandbox {
    /// Generates the data set (a CPU-bound second or so for the default size in release).
    pub fn new(config: &SandboxConfig, referentiel: Referentiel) -> Self {
        let now = config.now.unwrap_or_else(params::now_unix);
        let agenda = events::Agenda::generate(config.seed, now, &referentiel);
        let statistiques =
            market::Statistiques::new(config.seed, now, &referentiel, config.market_quirks.clone());
        let catalogue = Catalogue::generate(
            CatalogueParams {
                seed: config.seed,
                offers: config.offers,
                now,
                hostile: config.hostile,
            },
            referentiel,
        );
        Self {
            catalogue,
            agenda,
            statistiques,
            auth: Auth::new(config),
            faults: faults::FaultState::new(config.faults.clone()),
            quirks: config.quirks,
            subscriptions: config.subscriptions,
            unknown_event_404: config.unknown_event_404,
        }
    }

    /// Number of offers in the data set.
    pub fn offer_count(&self) -> usize {
        self.catalogue.records.len()
    }

    /// Ids of the offers, in catalogue order (for tests and benchmarks).
    pub fn offer_ids(&self) -> impl Iterator<Item = &str> {
        self.catalogue.records.iter().map(|r| r.id.as_str())
    }

    /// Current fault settings.
    pub fn faults(&self) -> Faults {
        self.faults.get()
    }

    /// Replaces the fault settings.
    pub fn set_faults(&self, faults: Faults) {
        self.faults.set(faults);
    }

    /// Call counters since start.
    pub fn stats(&self) -> Stats {
        self.faults.stats()
    }

    /// Every access token issued since start (for the test suites' leak checks; also at
    /// `GET /_sandbox/tokens`).
    pub fn issued_tokens(&self) -> Vec<String> {
        self.auth.issued()
    }
}

/// A sandbox serving on a loopback port, stopped when dropped or by [`RunningSandbox::shutdown`].
#[derive(Debug)]
pub struct RunningSandbox {
    addr: SocketAddr,
    state: Arc<Sandbox>,
    stop: Option<oneshot::Sender<()>>,
}

impl RunningSandbox {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The shared state (faults, stats).
    pub fn state(&self) -> &Arc<Sandbox> {
        &self.state
    }

    /// Stops serving.
    pub fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Generates the data set and serves it on `addr` (use `127.0.0.1:0` for any free port).
pub async fn start(config: SandboxConfig, addr: SocketAddr) -> anyhow::Result<RunningSandbox> {
    let state =
        tokio::task::spawn_blocking(move || Arc::new(Sandbox::new(&config, Referentiel::load())))
            .await?;
    serve(state, addr).await
}

/// Serves an existing sandbox state on `addr`.
pub async fn serve(state: Arc<Sandbox>, addr: SocketAddr) -> anyhow::Result<RunningSandbox> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let app = router(Arc::clone(&state));
    tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "sandbox server stopped");
        }
    });
    Ok(RunningSandbox { addr, state, stop: Some(stop) })
}
