//! The France Travail client: token, budget, retries, deadline, and the cache in front of it.
//!
//! Handlers call [`Upstream::search`] and [`Upstream::offer`] with an already validated,
//! normalised query; everything about talking to France Travail (status codes, `Content-Range`,
//! 401 retry, 429 `Retry-After`, 5xx backoff, the outbound call budget, caching, coalescing and
//! stale-if-error) stays in this module.

mod budget;
mod circuit;
mod client;
pub mod shared;
mod token;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use emploi_types::ft::{CodeLibelle, Offre};
use moka::future::Cache;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use budget::{Budget, Caller, Class};
pub use circuit::Circuit;
pub use client::{ClientPolicy, FtClient, LastCall, UpstreamHealth};
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

/// The fields of an offer a card reads, under France Travail's names (a subset of [`Offre`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Carte {
    /// Offer id.
    pub id: String,
    /// Title.
    pub intitule: String,
    /// Creation date (newest-first merging).
    pub date_creation: String,
    /// Workplace with coordinates (place and distance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lieu_travail: Option<emploi_types::ft::LieuTravail>,
    /// ROME code (market panel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rome_code: Option<String>,
    /// ROME label (market panel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rome_libelle: Option<String>,
    /// Employer, its name only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise: Option<EntrepriseCarte>,
    /// Contract code.
    pub type_contrat: String,
    /// Contract label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_contrat_libelle: Option<String>,
    /// Full or part time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duree_travail_libelle_converti: Option<String>,
    /// Salary label and comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salaire: Option<SalaireCarte>,
}

/// The employer as a card shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct EntrepriseCarte {
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nom: Option<String>,
}

/// The salary as a card shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct SalaireCarte {
    /// e.g. `Mensuel de 2275.0 Euros à 3033.0 Euros sur 12.0 mois`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libelle: Option<String>,
    /// e.g. `Selon expérience`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commentaire: Option<String>,
}

impl From<&Offre> for Carte {
    fn from(o: &Offre) -> Self {
        Self {
            id: o.id.clone(),
            intitule: o.intitule.clone(),
            date_creation: o.date_creation.clone(),
            lieu_travail: o.lieu_travail.clone(),
            rome_code: o.rome_code.clone(),
            rome_libelle: o.rome_libelle.clone(),
            entreprise: o.entreprise.as_ref().map(|e| EntrepriseCarte { nom: e.nom.clone() }),
            type_contrat: o.type_contrat.clone(),
            type_contrat_libelle: o.type_contrat_libelle.clone(),
            duree_travail_libelle_converti: o.duree_travail_libelle_converti.clone(),
            salaire: o.salaire.as_ref().map(|s| SalaireCarte {
                libelle: s.libelle.clone(),
                commentaire: s.commentaire.clone(),
            }),
        }
    }
}

/// A value and whether it comes from the stale store after an upstream failure.
#[derive(Debug, Clone)]
pub struct Served<T> {
    /// The value.
    pub value: Arc<T>,
    /// True when France Travail failed and an older answer is served.
    pub stale: bool,
}

/// One kind of cached answer: a fresh layer that coalesces concurrent misses, a stale store for
/// stale-if-error, and with the Redis backend the same two shared by every instance.
struct Layer<T: Send + Sync + 'static> {
    name: &'static str,
    fresh: Cache<String, Arc<T>>,
    stale: Cache<String, Arc<T>>,
    ttl: Duration,
    stale_max_age: Duration,
    /// One request's whole time, waiting for another instance included.
    deadline: Duration,
}

/// How long a Redis lock on a missing answer lives unless its holder renews it (every quarter
/// of it while the call runs).
const LOCK_LEASE: Duration = Duration::from_secs(2);

impl<T: Send + Sync + 'static> std::fmt::Debug for Layer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layer")
            .field("name", &self.name)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl<T> Layer<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
{
    /// A layer keeping at most `max_bytes` of fresh answers (and as much of stale ones; the two
    /// share the answers they both hold).
    fn new(
        name: &'static str,
        ttl: Duration,
        stale_max_age: Duration,
        shared: bool,
        max_bytes: u64,
        deadline: Duration,
    ) -> Self {
        // With Redis the local layer only absorbs bursts: Redis holds the answer for its TTL.
        let local_ttl = if shared { ttl.min(Duration::from_secs(10)) } else { ttl };
        // Caches are bounded by size, not by entries (a 150-offer window weighs a thousand times
        // a one-offer answer). The weight is the answer's JSON size, computed once per insertion
        // (a miss, which already cost an upstream call); in memory an answer takes about as
        // much again.
        let weigher = |key: &String, value: &Arc<T>| {
            let json = serde_json::to_vec(value.as_ref()).map_or(0, |v| v.len());
            u32::try_from(json + key.len()).unwrap_or(u32::MAX)
        };
        Self {
            name,
            fresh: Cache::builder()
                .max_capacity(max_bytes)
                .weigher(weigher)
                .time_to_live(local_ttl.max(Duration::from_millis(1)))
                .build(),
            stale: Cache::builder()
                .max_capacity(max_bytes)
                .weigher(weigher)
                .time_to_live(stale_max_age.max(Duration::from_millis(1)))
                .build(),
            ttl,
            stale_max_age,
            deadline,
        }
    }

    async fn get<F>(
        &self,
        key: String,
        shared: Option<&SharedStore>,
        metrics: &Metrics,
        fetch: F,
    ) -> Result<Served<T>, UpstreamError>
    where
        F: Future<Output = Result<T, UpstreamError>>,
    {
        let mut missed = false;
        let fetched = self
            .fresh
            .try_get_with(key.clone(), async {
                missed = true;
                let value = match shared {
                    Some(store) => self.fetch_shared(&key, store, fetch).await?,
                    None => fetch.await?,
                };
                Ok::<_, UpstreamError>(Arc::new(value))
            })
            .await;
        match fetched {
            Ok(value) => {
                metrics.lookup(self.name, if missed { "miss" } else { "hit" });
                // A hit is already in the stale store: it went in when it was fetched. (Inserting
                // again on every hit would weigh, that is serialize, the answer each time.)
                if missed {
                    self.stale.insert(key, Arc::clone(&value)).await;
                }
                Ok(Served { value, stale: false })
            }
            Err(e) if matches!(*e, UpstreamError::Rejected(_)) => Err((*e).clone()),
            Err(e) => {
                let mut stale = self.stale.get(&key).await;
                if stale.is_none()
                    && let Some(store) = shared
                    && let Ok(Some(bytes)) = store.get(&format!("stale:{}:{key}", self.name)).await
                {
                    stale = serde_json::from_slice(&bytes).ok().map(Arc::new);
                }
                match stale {
                    Some(value) => {
                        tracing::warn!(error = %e, cache = self.name, "serving a stale answer");
                        metrics.lookup(self.name, "stale");
                        Ok(Served { value, stale: true })
                    }
                    None => Err((*e).clone()),
                }
            }
        }
    }

    /// A miss of the local layer: Redis, or France Travail under a Redis lock so that concurrent
    /// misses on several instances make one call. Redis failures fall back to calling directly.
    ///
    /// The lock is owner-safe (a value unique to this holder, released only if still ours) and
    /// a short lease renewed while the call runs, so a holder that dies mid-call (killed, or its
    /// machine gone) blocks the others for one lease at most. Waiting and calling together keep
    /// to one deadline: a request never takes longer than `deadline`, however long it waited.
    async fn fetch_shared<F>(
        &self,
        key: &str,
        store: &SharedStore,
        fetch: F,
    ) -> Result<T, UpstreamError>
    where
        F: Future<Output = Result<T, UpstreamError>>,
    {
        let fresh_key = format!("fresh:{}:{key}", self.name);
        let lock_key = format!("lock:{}:{key}", self.name);
        let give_up = tokio::time::Instant::now() + self.deadline;
        let within_deadline = async {
            tokio::time::timeout_at(give_up, fetch)
                .await
                .unwrap_or_else(|_| Err(UpstreamError::Unavailable("deadline exceeded".into())))
        };
        let owner = SharedStore::owner_token();
        loop {
            match store.get(&fresh_key).await {
                Ok(Some(bytes)) => match serde_json::from_slice(&bytes) {
                    Ok(value) => return Ok(value),
                    Err(e) => tracing::warn!(error = %e, "unreadable shared cache entry"),
                },
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "shared cache unreachable");
                    return within_deadline.await;
                }
            }
            match store.lock(&lock_key, &owner, LOCK_LEASE).await {
                Ok(true) => break,
                // Another instance is fetching the same answer: wait for it.
                Ok(false) if tokio::time::Instant::now() < give_up => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Ok(false) => {
                    return Err(UpstreamError::Unavailable(
                        "another instance is still fetching this answer".into(),
                    ));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "shared cache lock unreachable");
                    return within_deadline.await;
                }
            }
        }
        // Renew the lease while the call runs; the renewal never ends the wait by itself.
        let renew = async {
            loop {
                tokio::time::sleep(LOCK_LEASE / 4).await;
                match store.renew(&lock_key, &owner, LOCK_LEASE).await {
                    Ok(true) => {}
                    Ok(false) | Err(_) => {
                        tracing::warn!(cache = self.name, "lost a shared cache lock mid-call");
                        std::future::pending::<()>().await;
                    }
                }
            }
        };
        let result = tokio::select! {
            result = within_deadline => result,
            () = renew => unreachable!("the renewal loop never ends"),
        };
        if let Ok(value) = &result
            && let Ok(bytes) = serde_json::to_vec(value)
        {
            let stale_key = format!("stale:{}:{key}", self.name);
            if let Err(e) = store.set(&fresh_key, &bytes, self.ttl).await {
                tracing::warn!(error = %e, "could not share a cache entry");
            }
            let _ = store.set(&stale_key, &bytes, self.stale_max_age).await;
        }
        let _ = store.unlock(&lock_key, &owner).await;
        result
    }
}

/// The cached, coalescing front of the France Travail client.
#[derive(Debug)]
pub struct Upstream {
    client: FtClient,
    searches: Layer<SearchPage>,
    aggregates: Layer<SearchPage>,
    offers: Layer<Option<Offre>>,
    referentials: Layer<Vec<CodeLibelle>>,
    shared: Option<SharedStore>,
    metrics: Arc<Metrics>,
}

impl Upstream {
    /// Wraps `client` with caches as `settings` says, in Redis too when `shared` is given.
    pub fn new(
        client: FtClient,
        settings: &CacheSettings,
        shared: Option<SharedStore>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let is_shared = shared.is_some();
        let stale = settings.stale_max_age;
        let d = client.deadline();
        Self {
            client,
            searches: Layer::new("search", settings.search_ttl, stale, is_shared, 64 << 20, d),
            aggregates: Layer::new(
                "aggregate",
                settings.aggregate_ttl,
                stale,
                is_shared,
                16 << 20,
                d,
            ),
            offers: Layer::new("detail", settings.detail_ttl, stale, is_shared, 16 << 20, d),
            referentials: Layer::new(
                "referential",
                settings.aggregate_ttl,
                stale,
                is_shared,
                8 << 20,
                d,
            ),
            shared,
            metrics,
        }
    }

    /// Searches with normalised France Travail parameters. Identical concurrent misses make one
    /// upstream call.
    pub async fn search(
        &self,
        query: Vec<(String, String)>,
    ) -> Result<Served<SearchPage>, UpstreamError> {
        let key = serde_urlencoded::to_string(&query).unwrap_or_default();
        self.searches
            .get(key, self.shared.as_ref(), &self.metrics, self.client.search(&query))
            .await
    }

    /// A search kept as long as referentials (for market overviews).
    pub async fn aggregate(
        &self,
        query: Vec<(String, String)>,
    ) -> Result<Served<SearchPage>, UpstreamError> {
        let key = serde_urlencoded::to_string(&query).unwrap_or_default();
        self.aggregates
            .get(key, self.shared.as_ref(), &self.metrics, self.client.search(&query))
            .await
    }

    /// One offer by id (`None` when France Travail does not know it).
    pub async fn offer(&self, id: &str) -> Result<Served<Option<Offre>>, UpstreamError> {
        self.offers
            .get(id.to_owned(), self.shared.as_ref(), &self.metrics, self.client.offer(id))
            .await
    }

    /// A France Travail referential (`appellations`, …), kept as long as market aggregates.
    pub async fn referential(
        &self,
        name: &'static str,
    ) -> Result<Served<Vec<CodeLibelle>>, UpstreamError> {
        self.referentials
            .get(
                name.to_owned(),
                self.shared.as_ref(),
                &self.metrics,
                self.client.referential(name),
            )
            .await
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping;

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
        assert_eq!(
            (kept.rome_code.as_deref(), kept.date_creation.as_str()),
            (Some("D1102"), "2026-11-20T08:00:00.000Z")
        );
        assert_eq!(
            kept.entreprise.as_ref().and_then(|e| e.nom.as_deref()),
            Some("Fournil du Thabor")
        );
        let json = serde_json::to_string(kept).expect("json");
        assert!(
            !json.contains("Pétrissage") && !json.contains("Le Gall") && !json.contains("Artisan")
        );
        assert!(std::mem::size_of::<Carte>() * 3 < std::mem::size_of::<Offre>(), "a card is small");
    }
}
