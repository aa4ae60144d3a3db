//! Prometheus metrics, served at `/metrics` in the text exposition format.
//!
//! One registry per [`AppState`](crate::AppState), so that tests running several proxies in
//! one process do not mix their counts. Labels are low-cardinality by construction: route
//! templates (never raw paths), status codes, fixed outcome names; never a site key chosen by a
//! caller, an IP or a query.

use std::sync::Mutex;
use std::sync::atomic::AtomicI64;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::AppState;
use crate::error::AppError;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteStatus {
    route: RouteLabel,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: RouteLabel,
}

/// A route as a label value: the router's matched path (an `Arc` inside, so that counting a
/// request allocates nothing), or `static` for the files.
#[derive(Clone, Debug)]
struct RouteLabel(Option<MatchedPath>);

impl RouteLabel {
    fn as_str(&self) -> &str {
        self.0.as_ref().map_or("static", MatchedPath::as_str)
    }
}

impl std::hash::Hash for RouteLabel {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq for RouteLabel {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for RouteLabel {}

impl prometheus_client::encoding::EncodeLabelValue for RouteLabel {
    fn encode(
        &self,
        encoder: &mut prometheus_client::encoding::LabelValueEncoder<'_>,
    ) -> Result<(), std::fmt::Error> {
        prometheus_client::encoding::EncodeLabelValue::encode(&self.as_str(), encoder)
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Reason {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    endpoint: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Usage {
    site: SiteKey,
    action: &'static str,
}

/// A site key as a label value: the site's own `Arc`, so that counting a request allocates
/// nothing.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct SiteKey(std::sync::Arc<str>);

impl prometheus_client::encoding::EncodeLabelValue for SiteKey {
    fn encode(
        &self,
        encoder: &mut prometheus_client::encoding::LabelValueEncoder<'_>,
    ) -> Result<(), std::fmt::Error> {
        prometheus_client::encoding::EncodeLabelValue::encode(&&*self.0, encoder)
    }
}

/// What residents do with a site's widget, as `/metrics` counts it per registered site key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// A new search (a first view, or a search from its first page; not "more", not the
    /// empty-state probes).
    Search,
    /// An offer's detail opened (the widget's dialog or the offer's plain page).
    Offer,
    /// A "Postuler" click, through the proxy's redirect.
    Apply,
    /// A feed read (200 or 304).
    Feed,
    /// A plain page viewed (search, offer or print view, without JavaScript).
    Page,
    /// An events calendar served (`.ics`): one event added to a calendar, or the territory's
    /// feed read by a calendar application.
    Calendar,
}

impl Action {
    pub(crate) const ALL: [Action; 6] =
        [Self::Search, Self::Offer, Self::Apply, Self::Feed, Self::Page, Self::Calendar];

    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Search => "search",
            Self::Offer => "offer",
            Self::Apply => "apply",
            Self::Feed => "feed",
            Self::Page => "page",
            Self::Calendar => "calendar",
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Lookup {
    cache: &'static str,
    result: &'static str,
}

/// The proxy's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<RouteStatus, Counter>,
    durations: Family<Route, Histogram>,
    refused: Family<Reason, Counter>,
    upstream: Family<Outcome, Counter>,
    lookups: Family<Lookup, Counter>,
    circuit_open: Gauge<i64, AtomicI64>,
    upstream_up: Gauge<i64, AtomicI64>,
    redis_up: Gauge<i64, AtomicI64>,
    renders: Histogram,
    usage: Family<Usage, Counter>,
    sites: Gauge<i64, AtomicI64>,
    reloads: Family<Reason, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric registered.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("emploi");
        let requests = Family::<RouteStatus, Counter>::default();
        registry.register("http_requests", "HTTP requests by route and status", requests.clone());
        let durations = Family::<Route, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                10.0,
            ])
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer, by route",
            durations.clone(),
        );
        let refused = Family::<Reason, Counter>::default();
        registry.register(
            "refused",
            "API calls refused before any work (forbidden site or origin, rate limited)",
            refused.clone(),
        );
        let upstream = Family::<Outcome, Counter>::default();
        registry.register(
            "upstream_calls",
            "Calls to France Travail by endpoint and outcome",
            upstream.clone(),
        );
        let lookups = Family::<Lookup, Counter>::default();
        registry.register("cache_lookups", "Cache lookups by cache and result", lookups.clone());
        let circuit_open = Gauge::<i64, AtomicI64>::default();
        registry.register(
            "upstream_circuit_open",
            "1 while the circuit breaker keeps calls away from France Travail",
            circuit_open.clone(),
        );
        let upstream_up = Gauge::<i64, AtomicI64>::default();
        registry.register(
            "upstream_up",
            "1 while France Travail looks usable (circuit not open, token not failing)",
            upstream_up.clone(),
        );
        let redis_up = Gauge::<i64, AtomicI64>::default();
        registry.register(
            "redis_up",
            "1 while the shared Redis answers, 0 while it does not, -1 without Redis",
            redis_up.clone(),
        );
        let renders =
            Histogram::new([0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1]);
        registry.register(
            "first_view_render_seconds",
            "Time to render a widget's first view to HTML (searches excluded)",
            renders.clone(),
        );
        let usage = Family::<Usage, Counter>::default();
        registry.register(
            "usage",
            "Residents' actions by registered site key (searches, offers opened, Postuler clicks, feed reads, plain pages); nothing per person",
            usage.clone(),
        );
        let sites = Gauge::<i64, AtomicI64>::default();
        registry.register("sites", "Registered sites", sites.clone());
        let reloads = Family::<Reason, Counter>::default();
        registry.register(
            "site_reloads",
            "Reloads of the configuration file's sites, by result (ok, or error: the old list kept)",
            reloads.clone(),
        );
        Self {
            usage,
            sites,
            reloads,
            registry: Mutex::new(registry),
            renders,
            requests,
            durations,
            refused,
            upstream,
            lookups,
            circuit_open,
            upstream_up,
            redis_up,
        }
    }

    /// Counts one resident action for a registered site (the key comes from the site check,
    /// never from the caller: the label set is bounded by the configuration).
    pub fn used(&self, site: &crate::sites::Site, action: Action) {
        let labels =
            Usage { site: SiteKey(std::sync::Arc::clone(&site.key)), action: action.label() };
        self.usage.get_or_create(&labels).inc();
    }

    /// Records how many sites are registered (at start, and after each reload).
    pub fn sites_registered(&self, registered: usize) {
        self.sites.set(i64::try_from(registered).unwrap_or(i64::MAX));
    }

    /// Records a reload of the site list that registered `registered` sites and removed the
    /// keys `removed`, whose usage counters go with them.
    pub fn sites_reloaded(&self, registered: usize, removed: &[String]) {
        self.sites_registered(registered);
        for key in removed {
            let site = SiteKey(std::sync::Arc::from(key.as_str()));
            for action in Action::ALL {
                self.usage.remove(&Usage { site: site.clone(), action: action.label() });
            }
        }
        self.reloads.get_or_create(&Reason { reason: "ok" }).inc();
    }

    /// Records a reload refused (the file was invalid: the old list stays).
    pub fn reload_failed(&self) {
        self.reloads.get_or_create(&Reason { reason: "error" }).inc();
    }

    /// Records the time one first view took to render.
    pub fn rendered(&self, took: std::time::Duration) {
        self.renders.observe(took.as_secs_f64());
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let registry = self.registry.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if prometheus_client::encoding::text::encode(&mut out, &registry).is_err() {
            out.clear();
        }
        out
    }

    /// Counts a request refused by the access guard.
    pub fn refused(&self, error: &AppError) {
        let reason = match error {
            AppError::Forbidden(_) | AppError::Unauthorized(_) => "forbidden",
            AppError::RateLimited { .. } => "rate_limited",
            _ => "other",
        };
        self.refused.get_or_create(&Reason { reason }).inc();
    }

    /// Counts one upstream call: `endpoint` is search, detail, referential or token.
    pub fn upstream_call(&self, endpoint: &'static str, outcome: &'static str) {
        self.upstream.get_or_create(&Outcome { endpoint, outcome }).inc();
    }

    /// Counts one cache lookup: `result` is hit, miss or stale.
    pub fn lookup(&self, cache: &'static str, result: &'static str) {
        self.lookups.get_or_create(&Lookup { cache, result }).inc();
    }

    /// Records France Travail's and Redis' state before a scrape.
    pub fn state(&self, upstream: &crate::upstream::UpstreamHealth, redis: Option<bool>) {
        self.upstream_up.set(i64::from(upstream.up));
        self.redis_up.set(redis.map_or(-1, i64::from));
    }

    /// Records the circuit breaker's state.
    pub fn circuit(&self, open: bool) {
        self.circuit_open.set(i64::from(open));
    }
}

/// Middleware: counts and times every request by its route template.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = RouteLabel(request.extensions().get::<MatchedPath>().cloned());
    let started = Instant::now();
    let response = next.run(request).await;
    let metrics = &state.metrics;
    metrics
        .requests
        .get_or_create(&RouteStatus { route: route.clone(), status: response.status().as_u16() })
        .inc();
    metrics.durations.get_or_create(&Route { route }).observe(started.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_lists_every_family() {
        let m = Metrics::new();
        m.upstream_call("search", "ok");
        m.lookup("search", "hit");
        m.refused(&AppError::RateLimited { retry_after: 1 });
        m.circuit(true);
        let text = m.render();
        for needle in [
            "emploi_upstream_calls_total{endpoint=\"search\",outcome=\"ok\"} 1",
            "emploi_cache_lookups_total{cache=\"search\",result=\"hit\"} 1",
            "emploi_refused_total{reason=\"rate_limited\"} 1",
            "emploi_upstream_circuit_open 1",
        ] {
            assert!(text.contains(needle), "{needle} missing from\n{text}");
        }
    }
}
