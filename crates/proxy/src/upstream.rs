//! The France Travail client: token, budget, retries, deadline, and the cache in front of it.
//!
//! Handlers call [`Upstream::search`] and [`Upstream::offer`] with an already validated,
//! normalised query; everything about talking to France Travail (status codes, `Content-Range`,
//! 401 retry, 429 `Retry-After`, 5xx backoff, the outbound call budget, caching, coalescing and
//! stale-if-error) stays in this module.

mod budget;
mod carte;
mod circuit;
mod client;
pub mod layer;
pub mod refresh;
pub mod shared;
mod token;

use std::sync::Arc;

use emploi_types::ft::evenements::{CriteresEvenements, PageEvenements};
use emploi_types::ft::marche::{CritereIndicateur, Indicateur, IndicateurRetour};
use emploi_types::ft::{CodeLibelle, Offre};
use futures::FutureExt;
use serde::Serialize;

pub use budget::{Budget, Caller, Class};
pub use carte::{Carte, CarteFields, EntrepriseCarte, LieuCarte, SalaireCarte, Text};
pub use circuit::Circuit;
pub use client::{Apis, ClientPolicy, FtClient, LastCall, Reach, UpstreamHealth};
use layer::{Fetcher, Freshness, Layer};
use refresh::{Demand, Policy, Scheduler};
use shared::SharedStore;
pub use token::TokenProvider;

use crate::config::CacheSettings;
use crate::metrics::Metrics;

/// Failures of an upstream call, classified.
#[derive(Debug, Clone, thiserror::Error)]
pub enum UpstreamError {
    /// France Travail rejected a parameter (a validation gap on our side).
    #[error("France Travail rejected the request: {0}")]
    Rejected(String),
    /// Over France Travail's or our own budget.
    #[error("rate limited, retry after {0} s")]
    RateLimited(u32),
    /// This visitor has made too many calls to France Travail lately (a 429 for them alone).
    #[error("this client is over its share of the budget, retry after {0} s")]
    CallerOverBudget(u32),
    /// Down, failing or too slow.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// An answer that does not parse.
    #[error("undecodable answer: {0}")]
    Decode(String),
    /// The gateway refused the token for this API (403): the application is not subscribed to
    /// it, or its token lacks the API's scopes.
    #[error("France Travail refused this application access to the API (403)")]
    Forbidden,
}

impl UpstreamError {
    fn from_transport(what: &str, e: &reqwest::Error) -> Self {
        // reqwest's Display may include the URL; it never includes our credentials, which travel
        // in the body or the Authorization header only.
        let kind = if e.is_timeout() {
            "timeout"
        } else if e.is_connect() {
            "connection"
        } else {
            "transport"
        };
        Self::Unavailable(format!("{what}: {kind} error"))
    }
}

/// One window of search results, as cards, with the total from `Content-Range`.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct SearchPage {
    /// The window's offers and the facets.
    pub result: Cartes,
    /// Total number of matches.
    pub total: u32,
}

/// A France Travail search answer read as cards: what searches, EPCI merging and the market
/// read, and nothing else. Descriptions, skills and contacts are only read by the detail, which
/// fetches the offer by id; skipping them while parsing a 150-offer window (about 450 kB) takes
/// less than half the time of building them, and a cached window takes about a quarter of the
/// memory a window of full [`Offre`]s would (an `Offre` has some 50 fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cartes {
    /// The offers.
    #[serde(default)]
    pub resultats: Vec<Carte>,
    /// Facets over the whole result.
    #[serde(default)]
    pub filtres_possibles: Vec<emploi_types::ft::FiltrePossible>,
}

/// A value, when France Travail gave it, and whether it is served because France Travail failed.
#[derive(Debug, Clone)]
pub struct Served<T> {
    /// The value.
    pub value: Arc<T>,
    /// True when France Travail failed and an older answer is served.
    pub stale: bool,
    /// When France Travail gave it, in milliseconds since the Unix epoch.
    pub fetched_at: u64,
}

/// The cached, coalescing front of the France Travail client.
#[derive(Debug)]
pub struct Upstream {
    client: Arc<FtClient>,
    /// Which APIs besides the offers' the credentials reach (see [`Upstream::discover`]).
    apis: std::sync::Mutex<Apis>,
    searches: Arc<Layer<SearchPage>>,
    aggregates: Arc<Layer<SearchPage>>,
    offers: Arc<Layer<Option<Offre>>>,
    referentials: Arc<Layer<Vec<CodeLibelle>>>,
    events: Arc<Layer<PageEvenements>>,
    indicators: Arc<Layer<IndicateurRetour>>,
    shared: Option<SharedStore>,
    demand: Arc<Demand>,
    settings: CacheSettings,
}

impl layer::Weigh for SearchPage {
    /// The cards' texts and a fixed share for the JSON around them: summed rather than
    /// serialized, as every France Travail answer is weighed once (within a few per cent of the
    /// JSON's length for real cards).
    fn weight(&self) -> usize {
        let cards: usize =
            self.result.resultats.iter().map(|c| c.text_len() + c.flags_given() * 28 + 330).sum();
        let facets: usize = self
            .result
            .filtres_possibles
            .iter()
            .map(|f| serde_json::to_vec(f).map_or(0, |v| v.len()))
            .sum();
        cards + facets + 64
    }
}

impl layer::Weigh for Option<Offre> {
    fn weight(&self) -> usize {
        serde_json::to_vec(self).map_or(0, |v| v.len())
    }
}

impl layer::Weigh for Vec<CodeLibelle> {
    fn weight(&self) -> usize {
        self.iter().map(|c| c.code.len() + c.libelle.len() + 24).sum()
    }
}

impl layer::Weigh for PageEvenements {
    fn weight(&self) -> usize {
        serde_json::to_vec(self).map_or(0, |v| v.len())
    }
}

impl layer::Weigh for IndicateurRetour {
    fn weight(&self) -> usize {
        serde_json::to_vec(self).map_or(0, |v| v.len())
    }
}

/// The events page every events request reads: the first this many of the criteria's events.
pub const EVENTS_PAGE: u32 = 100;

/// A search's cache key: its France Travail parameters, in their fixed order.
fn search_key(query: &[(String, String)]) -> String {
    serde_urlencoded::to_string(query).unwrap_or_default()
}

fn search_fetcher(client: &Arc<FtClient>) -> Fetcher<SearchPage> {
    let client = Arc::clone(client);
    Arc::new(move |key: String| {
        let client = Arc::clone(&client);
        async move {
            let query: Vec<(String, String)> = serde_urlencoded::from_str(&key)
                .map_err(|e| UpstreamError::Rejected(format!("cache key: {e}")))?;
            client.search(&query).await
        }
        .boxed()
    })
}

impl Upstream {
    /// Wraps `client` with caches as `settings` says, in Redis too when `shared` is given.
    pub fn new(
        client: FtClient,
        settings: &CacheSettings,
        shared: Option<SharedStore>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let client = Arc::new(client);
        let d = client.deadline();
        let keep = settings.stale_max_age.max(settings.max_age);
        // A search is served as current up to the maximum age, refreshed behind once stale.
        let searching = Freshness {
            fresh: settings.search_ttl.min(settings.max_age),
            max_age: settings.max_age,
            keep,
        };
        // Aggregates (market panels) are fresh half their TTL, then refreshed behind.
        let aggregate_age = settings.aggregate_ttl.min(settings.max_age);
        let aggregating = Freshness { fresh: aggregate_age / 2, max_age: aggregate_age, keep };
        // Details and referentials: fresh for their TTL, then fetched again (stale on failure).
        let fixed = |ttl: std::time::Duration| Freshness { fresh: ttl, max_age: ttl, keep };
        let demand = Arc::new(Demand::default());
        fn layer<T>(
            name: &'static str,
            freshness: Freshness,
            bytes: u64,
            deadline: std::time::Duration,
            (shared, metrics): (&Option<SharedStore>, &Arc<Metrics>),
            fetcher: Fetcher<T>,
            demand: Option<Arc<Demand>>,
        ) -> Arc<Layer<T>>
        where
            T: Serialize + serde::de::DeserializeOwned + layer::Weigh + Send + Sync + 'static,
        {
            Layer::new(
                name,
                freshness,
                bytes,
                deadline,
                shared.clone(),
                Arc::clone(metrics),
                fetcher,
                demand,
            )
        }
        let with = (&shared, &metrics);
        let searches = layer(
            "search",
            searching,
            64 << 20,
            d,
            with,
            search_fetcher(&client),
            Some(Arc::clone(&demand)),
        );
        let aggregates =
            layer("aggregate", aggregating, 16 << 20, d, with, search_fetcher(&client), None);
        let offers = {
            let client = Arc::clone(&client);
            let fetcher: Fetcher<Option<Offre>> = Arc::new(move |id: String| {
                let client = Arc::clone(&client);
                async move { client.offer(&id).await }.boxed()
            });
            layer("detail", fixed(settings.detail_ttl), 16 << 20, d, with, fetcher, None)
        };
        let referentials = {
            let client = Arc::clone(&client);
            let fetcher: Fetcher<Vec<CodeLibelle>> = Arc::new(move |name: String| {
                let client = Arc::clone(&client);
                async move { client.referential(&name).await }.boxed()
            });
            layer("referential", fixed(settings.aggregate_ttl), 8 << 20, d, with, fetcher, None)
        };
        // Events: the key is the criteria's JSON; fresh for half their TTL, then refreshed behind.
        let events = {
            let client = Arc::clone(&client);
            let fetcher: Fetcher<PageEvenements> = Arc::new(move |key: String| {
                let client = Arc::clone(&client);
                async move {
                    let criteres: CriteresEvenements = serde_json::from_str(&key)
                        .map_err(|e| UpstreamError::Rejected(format!("cache key: {e}")))?;
                    client.evenements(&criteres, 0, EVENTS_PAGE).await
                }
                .boxed()
            });
            let ttl = settings.events_ttl.min(settings.max_age);
            let freshness = Freshness { fresh: ttl / 2, max_age: ttl, keep };
            layer("events", freshness, 8 << 20, d, with, fetcher, None)
        };
        // Indicators: the key is the endpoint's path, a space and the criteria's JSON.
        let indicators = {
            let client = Arc::clone(&client);
            let fetcher: Fetcher<IndicateurRetour> = Arc::new(move |key: String| {
                let client = Arc::clone(&client);
                async move {
                    let (path, json) = key.split_once(' ').unwrap_or_default();
                    let indicateur = Indicateur::by_path(path)
                        .ok_or_else(|| UpstreamError::Rejected(format!("indicator {path}")))?;
                    let criteres: CritereIndicateur = serde_json::from_str(json)
                        .map_err(|e| UpstreamError::Rejected(format!("cache key: {e}")))?;
                    client.indicateur(indicateur, &criteres).await
                }
                .boxed()
            });
            layer("indicators", aggregating, 8 << 20, d, with, fetcher, None)
        };
        Self {
            client,
            apis: std::sync::Mutex::new(Apis::default()),
            searches,
            aggregates,
            offers,
            referentials,
            events,
            indicators,
            shared,
            demand,
            settings: settings.clone(),
        }
    }

    /// Searches with normalised France Travail parameters. Identical concurrent misses make one
    /// upstream call; a stale answer is served at once and refreshed behind.
    pub async fn search(
        &self,
        query: Vec<(String, String)>,
    ) -> Result<Served<SearchPage>, UpstreamError> {
        self.searches.get(search_key(&query)).await
    }

    /// A search kept as long as referentials (for market overviews).
    pub async fn aggregate(
        &self,
        query: Vec<(String, String)>,
    ) -> Result<Served<SearchPage>, UpstreamError> {
        self.aggregates.get(search_key(&query)).await
    }

    /// One offer by id (`None` when France Travail does not know it).
    pub async fn offer(&self, id: &str) -> Result<Served<Option<Offre>>, UpstreamError> {
        self.offers.get(id.to_owned()).await
    }

    /// A France Travail referential (`appellations`, …), kept as long as market aggregates.
    pub async fn referential(
        &self,
        name: &'static str,
    ) -> Result<Served<Vec<CodeLibelle>>, UpstreamError> {
        self.referentials.get(name.to_owned()).await
    }

    /// The first [`EVENTS_PAGE`] events matching `criteres`, soonest first (about an hour old
    /// at most, refreshed behind).
    pub async fn events(
        &self,
        criteres: &CriteresEvenements,
    ) -> Result<Served<PageEvenements>, UpstreamError> {
        let key = serde_json::to_string(criteres).unwrap_or_default();
        let answer = self.events.get(key).await;
        self.learn(answer, |apis| &mut apis.evenements)
    }

    /// One indicator's answer (a day old at most, refreshed behind).
    pub async fn indicator(
        &self,
        indicateur: Indicateur,
        criteres: &CritereIndicateur,
    ) -> Result<Served<IndicateurRetour>, UpstreamError> {
        let json = serde_json::to_string(criteres).unwrap_or_default();
        let answer = self.indicators.get(format!("{} {json}", indicateur.chemin)).await;
        self.learn(answer, |apis| &mut apis.marche)
    }

    /// Keeps what an answer says of an API's reach: a 403 marks it refused, an answer reached.
    fn learn<T>(
        &self,
        answer: Result<T, UpstreamError>,
        api: impl FnOnce(&mut Apis) -> &mut Reach,
    ) -> Result<T, UpstreamError> {
        let reach = match &answer {
            Ok(_) => Reach::Yes,
            Err(UpstreamError::Forbidden) => Reach::Refused,
            Err(_) => return answer,
        };
        *api(&mut self.apis.lock().unwrap_or_else(std::sync::PoisonError::into_inner)) = reach;
        answer
    }

    /// The scheduler that keeps the searches residents ask for (and the sites' first views,
    /// registered at start-up) warm, at `budget_per_second` calls a second less the residents'
    /// reserve.
    pub fn scheduler(&self, budget_per_second: u32, reserve: u32) -> Scheduler<SearchPage> {
        let policy = Policy {
            per_second: f64::from(budget_per_second.saturating_sub(reserve).max(1)),
            min_interval: self.settings.search_ttl.min(self.settings.max_age),
            max_interval: self.settings.refresh_max_interval.min(self.settings.max_age),
            forget_after: self.settings.max_age,
        };
        Scheduler::new(Arc::clone(&self.searches), Arc::clone(&self.demand), policy)
    }

    /// What the scheduler knows: keys recorded, and how many are pinned.
    pub fn demand(&self) -> (usize, usize) {
        self.demand.len()
    }

    /// Unpins every search key, before the sites' first views are pinned again.
    pub fn unpin_all(&self) {
        self.demand.unpin_all();
    }

    /// France Travail's state, without any call to it.
    pub fn health(&self) -> UpstreamHealth {
        self.client.health()
    }

    /// Whether the shared Redis answers (`None` without Redis).
    pub fn redis_up(&self) -> Option<bool> {
        self.shared.as_ref().map(SharedStore::is_up)
    }

    /// Fetches the token once (at start-up).
    pub async fn warm_up(&self) -> Result<(), UpstreamError> {
        self.client.warm_up().await
    }

    /// Finds out once (at start-up, two small calls) which of the events and labour-market
    /// APIs the credentials reach, and keeps it for [`Upstream::apis`].
    pub async fn discover(&self) -> Apis {
        let found = self.client.apis().await;
        *self.apis.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = found;
        found
    }

    /// What [`Upstream::discover`] found (all unknown before it ran).
    pub fn apis(&self) -> Apis {
        *self.apis.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping;

    /// The weight of a window is summed from its texts: it stays near its JSON's length.
    #[test]
    fn a_windows_weight_is_near_its_json_length() {
        use layer::Weigh;
        let card = |i: usize| {
            Carte::from(&CarteFields {
                id: format!("20{i:05}X").into(),
                alternance: i.is_multiple_of(10),
                employeur_handi_engage: Some(i.is_multiple_of(20)),
                offres_manque_candidats: Some(false),
                ..carte::tests::every_field()
            })
        };
        let page = SearchPage {
            result: Cartes { resultats: (0..150).map(card).collect(), filtres_possibles: vec![] },
            total: 150,
        };
        let json = serde_json::to_vec(&page).map_or(0, |v| v.len()) as f64;
        let weight = page.weight() as f64;
        assert!((weight / json - 1.0).abs() < 0.15, "weight {weight}, JSON {json}");
    }

    #[test]
    fn cached_pages_keep_what_cards_merging_and_the_market_read() {
        let offer = serde_json::json!({
            "id": "201ABCD",
            "intitule": "Boulanger (H/F)",
            "description": "Pétrissage, façonnage, cuisson.\nTravail de nuit.",
            "dateCreation": "2026-11-20T08:00:00.000Z",
            "lieuTravail": {"libelle": "35 - RENNES", "latitude": 48.11, "longitude": -1.68, "commune": "35238"},
            "romeCode": "D1102",
            "romeLibelle": "Boulangerie - viennoiserie",
            "entreprise": {"nom": "Fournil du Thabor", "description": "Artisan depuis 1982."},
            "typeContrat": "CDI",
            "typeContratLibelle": "Contrat à durée indéterminée",
            "dureeTravailLibelleConverti": "Temps plein",
            "salaire": {"libelle": "Mensuel de 2275.0 Euros à 3033.0 Euros sur 12.0 mois", "complement1": "Mutuelle"},
            "competences": [{"libelle": "Façonner des pâtons"}],
            "contact": {"nom": "M. Le Gall", "coordonnees1": "1 rue de Paris"}
        });
        let full: Offre = serde_json::from_value(offer.clone()).expect("a France Travail offer");
        let body = serde_json::to_vec(&serde_json::json!({"resultats": [offer]})).expect("json");
        let page: Cartes = serde_json::from_slice(&body).expect("a search answer");
        let kept = &page.resultats[0];
        let referentiel = emploi_territory::Referentiel::load();
        let rennes = Some((48.11, -1.68));
        // The card read from France Travail's JSON is the card made from the full offer.
        assert_eq!(*kept, Carte::from(&full));
        assert_eq!(
            mapping::resume(kept, &referentiel, rennes),
            mapping::resume(&Carte::from(&full), &referentiel, rennes)
        );
        let fields = kept.fields();
        assert_eq!(
            (fields.rome_code.as_deref(), &*fields.date_creation),
            (Some("D1102"), "2026-11-20T08:00:00.000Z")
        );
        assert_eq!(
            fields.entreprise.as_ref().and_then(|e| e.nom.as_deref()),
            Some("Fournil du Thabor")
        );
        let json = serde_json::to_string(kept).expect("json");
        assert!(
            !json.contains("Pétrissage") && !json.contains("Le Gall") && !json.contains("Artisan")
        );
        assert!(std::mem::size_of::<Carte>() * 3 < std::mem::size_of::<Offre>(), "a card is small");
    }
}
