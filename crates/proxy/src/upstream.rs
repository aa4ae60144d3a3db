//! The France Travail client: token, budget, retries, deadline, and the cache in front of it.
//!
//! Handlers call [`Upstream::search`] and [`Upstream::offer`] with an already validated,
//! normalised query; everything about talking to France Travail (status codes, `Content-Range`,
//! 401 retry, 429 `Retry-After`, 5xx backoff, the outbound call budget, caching, coalescing and
//! stale-if-error) stays in this module.

mod client;
mod token;

use std::sync::Arc;
use std::time::Duration;

use emploi_types::ft::{Offre, ResultatRecherche};
use moka::future::Cache;

pub use client::FtClient;
pub use token::TokenProvider;

/// Failures of an upstream call, classified.
#[derive(Debug, Clone, thiserror::Error)]
pub enum UpstreamError {
    /// France Travail rejected a parameter (a validation gap on our side).
    #[error("France Travail rejected the request: {0}")]
    Rejected(String),
    /// Over France Travail's or our own budget.
    #[error("rate limited, retry after {0} s")]
    RateLimited(u32),
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

/// One page of search results with the total from `Content-Range`.
#[derive(Debug, Clone, Default)]
pub struct SearchPage {
    /// The window's offers and the facets.
    pub result: ResultatRecherche,
    /// Total number of matches.
    pub total: u32,
}

/// A value and whether it comes from the stale store after an upstream failure.
#[derive(Debug, Clone)]
pub struct Served<T> {
    /// The value.
    pub value: Arc<T>,
    /// True when France Travail failed and an older answer is served.
    pub stale: bool,
}

/// The cached, coalescing front of the France Travail client.
#[derive(Debug)]
pub struct Upstream {
    client: FtClient,
    searches: Cache<String, Arc<SearchPage>>,
    offers: Cache<String, Arc<Option<Offre>>>,
    stale_searches: Cache<String, Arc<SearchPage>>,
    stale_offers: Cache<String, Arc<Option<Offre>>>,
}

impl Upstream {
    /// Wraps `client` with caches of the given freshness.
    pub fn new(client: FtClient, search_ttl: Duration, detail_ttl: Duration) -> Self {
        // Stale copies are kept a day, bounded in number, for stale-if-error.
        let stale_ttl = Duration::from_secs(24 * 3600);
        Self {
            client,
            searches: Cache::builder().max_capacity(20_000).time_to_live(search_ttl).build(),
            offers: Cache::builder().max_capacity(20_000).time_to_live(detail_ttl).build(),
            stale_searches: Cache::builder().max_capacity(20_000).time_to_live(stale_ttl).build(),
            stale_offers: Cache::builder().max_capacity(20_000).time_to_live(stale_ttl).build(),
        }
    }

    /// Searches with normalised France Travail parameters. Identical concurrent misses make one
    /// upstream call.
    pub async fn search(
        &self,
        query: Vec<(String, String)>,
    ) -> Result<Served<SearchPage>, UpstreamError> {
        let key = serde_urlencoded::to_string(&query).unwrap_or_default();
        let fetched = self
            .searches
            .try_get_with(key.clone(), async {
                let page = self.client.search(&query).await?;
                Ok::<_, UpstreamError>(Arc::new(page))
            })
            .await;
        match fetched {
            Ok(value) => {
                self.stale_searches.insert(key, Arc::clone(&value)).await;
                Ok(Served { value, stale: false })
            }
            Err(e) => match self.stale_searches.get(&key).await {
                Some(value) if !matches!(*e, UpstreamError::Rejected(_)) => {
                    tracing::warn!(error = %e, "serving a stale search");
                    Ok(Served { value, stale: true })
                }
                _ => Err((*e).clone()),
            },
        }
    }

    /// One offer by id (`None` when France Travail does not know it).
    pub async fn offer(&self, id: &str) -> Result<Served<Option<Offre>>, UpstreamError> {
        let fetched = self
            .offers
            .try_get_with(id.to_owned(), async {
                Ok::<_, UpstreamError>(Arc::new(self.client.offer(id).await?))
            })
            .await;
        match fetched {
            Ok(value) => {
                self.stale_offers.insert(id.to_owned(), Arc::clone(&value)).await;
                Ok(Served { value, stale: false })
            }
            Err(e) => match self.stale_offers.get(id).await {
                Some(value) => Ok(Served { value, stale: true }),
                None => Err((*e).clone()),
            },
        }
    }

    /// Whether a token can be obtained now (for `/readyz`).
    pub async fn ready(&self) -> Result<(), UpstreamError> {
        self.client.ready().await
    }
}
