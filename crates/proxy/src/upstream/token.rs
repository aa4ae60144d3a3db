//! OAuth2 client-credentials token provider.
//!
//! The token is cached until 60 s before `expires_in`; when it must be refreshed, concurrent
//! callers wait for one single request (the mutex is held across the fetch). With the Redis
//! backend the token is shared by every instance, and a Redis lock makes one instance fetch it
//! for all. The secret is exposed in exactly one place: the form of the token request.

use std::time::{Duration, Instant};

use emploi_types::ft::AccessToken;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use super::UpstreamError;
use super::shared::SharedStore;
use crate::config::{FT_SCOPE_OFFRES, FranceTravailConfig};

/// Safety margin before the announced expiry (a tenth of shorter lifetimes).
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// How long a token announced for `lifetime` is used before a new one is fetched.
fn fresh_for(lifetime: Duration) -> Duration {
    // A token endpoint's `expires_in` is its word: a huge one would overflow `Instant + ...`.
    let lifetime = lifetime.min(MAX_LIFETIME);
    lifetime.saturating_sub(REFRESH_MARGIN.min(lifetime / 10))
}

/// The longest a token is kept, whatever `expires_in` says (France Travail's last about 25
/// minutes).
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// Redis keys of the shared token and of the lock of its refresh.
const SHARED_TOKEN: &str = "token";
const SHARED_LOCK: &str = "token:lock";

#[derive(Debug)]
struct Cached {
    token: SecretString,
    refresh_at: Instant,
}

/// Fetches and caches access tokens.
#[derive(Debug)]
pub struct TokenProvider {
    http: reqwest::Client,
    config: FranceTravailConfig,
    cached: Mutex<Option<Cached>>,
    shared: Option<SharedStore>,
    /// Whether the last token request failed (read by readiness without any call).
    failing: std::sync::atomic::AtomicBool,
    /// Whether the token endpoint refused the configured scopes (`invalid_scope`), so that
    /// tokens are asked with the offers' scopes alone.
    narrowed: std::sync::atomic::AtomicBool,
}

/// The token's state, for readiness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// A token is cached and fresh.
    Valid,
    /// None yet, or expired: the next call fetches one.
    Absent,
    /// The last token request failed (credentials refused, endpoint down).
    Failing,
}

impl TokenState {
    /// Lower-case name, as `/readyz` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Absent => "absent",
            Self::Failing => "failing",
        }
    }
}

impl TokenProvider {
    /// A provider for `config`, using `http` for the token requests, sharing the token through
    /// `shared` when given.
    pub fn new(
        http: reqwest::Client,
        config: FranceTravailConfig,
        shared: Option<SharedStore>,
    ) -> Self {
        Self {
            http,
            config,
            cached: Mutex::new(None),
            shared,
            failing: std::sync::atomic::AtomicBool::new(false),
            narrowed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The state of the token now, without any request (a fetch under way reads as absent).
    pub fn state(&self) -> TokenState {
        if self.failing.load(std::sync::atomic::Ordering::Relaxed) {
            return TokenState::Failing;
        }
        match self.cached.try_lock() {
            Ok(cached) if cached.as_ref().is_some_and(|c| Instant::now() < c.refresh_at) => {
                TokenState::Valid
            }
            _ => TokenState::Absent,
        }
    }

    /// A valid token, fetched only when the cached one is missing or about to expire.
    pub async fn token(&self) -> Result<SecretString, UpstreamError> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref()
            && Instant::now() < c.refresh_at
        {
            return Ok(c.token.clone());
        }
        let obtained = match &self.shared {
            Some(store) => self.shared_token(store).await,
            None => self.fetch().await.map(|fetched| {
                let lifetime = Duration::from_secs(fetched.expires_in);
                (SecretString::from(fetched.access_token), fresh_for(lifetime))
            }),
        };
        self.failing.store(obtained.is_err(), std::sync::atomic::Ordering::Relaxed);
        let (token, fresh_for) = obtained?;
        *cached = Some(Cached { token: token.clone(), refresh_at: Instant::now() + fresh_for });
        Ok(token)
    }

    /// The token other instances stored, or one fetched by this instance for all; a Redis
    /// failure falls back to fetching for this instance alone.
    async fn shared_token(
        &self,
        store: &SharedStore,
    ) -> Result<(SecretString, Duration), UpstreamError> {
        let give_up = Instant::now() + Duration::from_secs(5);
        let owner = SharedStore::owner_token();
        loop {
            match store.get_with_ttl(SHARED_TOKEN).await {
                Ok(Some((bytes, ttl))) if ttl > Duration::ZERO => {
                    if let Ok(token) = String::from_utf8(bytes) {
                        return Ok((SecretString::from(token), ttl));
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "shared token unreachable: fetching one locally");
                    break;
                }
            }
            match store.lock(SHARED_LOCK, &owner, Duration::from_secs(10)).await {
                Ok(true) => {
                    let fetched = self.fetch().await;
                    let outcome = match fetched {
                        Ok(fetched) => {
                            let fresh_for = fresh_for(Duration::from_secs(fetched.expires_in));
                            let stored = store
                                .set(SHARED_TOKEN, fetched.access_token.as_bytes(), fresh_for)
                                .await;
                            if let Err(e) = stored {
                                tracing::warn!(error = %e, "could not share the token");
                            }
                            Ok((SecretString::from(fetched.access_token), fresh_for))
                        }
                        Err(e) => Err(e),
                    };
                    let _ = store.unlock(SHARED_LOCK, &owner).await;
                    return outcome;
                }
                Ok(false) if Instant::now() < give_up => {
                    // Another instance is fetching it.
                    tokio::time::sleep(Duration::from_millis(25)).await;
                }
                Ok(false) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "shared token lock unreachable: fetching locally");
                    break;
                }
            }
        }
        let fetched = self.fetch().await?;
        let lifetime = Duration::from_secs(fetched.expires_in);
        Ok((SecretString::from(fetched.access_token), fresh_for(lifetime)))
    }

    /// Forgets `rejected` if it is still the cached token (after a 401), so the next call fetches
    /// a new one; a token refreshed meanwhile by another request is kept.
    pub async fn invalidate(&self, rejected: &SecretString) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|c| c.token.expose_secret() == rejected.expose_secret()) {
            *cached = None;
        }
        if let Some(store) = &self.shared {
            let _ = store.delete_if_equal(SHARED_TOKEN, rejected.expose_secret().as_bytes()).await;
        }
    }

    async fn fetch(&self) -> Result<AccessToken, UpstreamError> {
        use std::sync::atomic::Ordering;
        let narrowed = self.narrowed.load(Ordering::Relaxed);
        let scope = if narrowed { FT_SCOPE_OFFRES } else { self.config.scope.as_str() };
        match self.fetch_with(scope).await {
            Err(TokenFailure::InvalidScope) if !narrowed && scope != FT_SCOPE_OFFRES => {
                // Some token endpoints refuse the scopes of APIs the application is not
                // subscribed to: offers come first, the other APIs are then not offered.
                tracing::warn!(
                    asked = scope,
                    "the token endpoint refused these scopes (invalid_scope): asking for the \
                     offers' scopes alone; events and labour-market figures are off"
                );
                self.narrowed.store(true, Ordering::Relaxed);
                self.fetch_with(FT_SCOPE_OFFRES).await.map_err(TokenFailure::into_error)
            }
            other => other.map_err(TokenFailure::into_error),
        }
    }

    async fn fetch_with(&self, scope: &str) -> Result<AccessToken, TokenFailure> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.config.client_id.as_str()),
            ("client_secret", self.config.client_secret.expose_secret()),
            ("scope", scope),
        ];
        let response = self
            .http
            .post(&self.config.token_url)
            .form(&form)
            .send()
            .await
            .map_err(|e| TokenFailure::Other(UpstreamError::from_transport("token", &e)))?;
        let status = response.status();
        if !status.is_success() {
            // The body of a token error names the error kind (`invalid_client`...); it never
            // contains the secret, but it is not passed on either.
            let kind = super::client::read_capped(response)
                .await
                .ok()
                .and_then(|body| serde_json::from_slice::<emploi_types::ft::TokenError>(&body).ok())
                .map_or_else(|| "unreadable".to_owned(), |e| e.error);
            if kind == "invalid_scope" {
                return Err(TokenFailure::InvalidScope);
            }
            return Err(TokenFailure::Other(UpstreamError::Unavailable(format!(
                "token endpoint answered {status} ({kind})"
            ))));
        }
        let body = super::client::read_capped(response).await.map_err(TokenFailure::Other)?;
        serde_json::from_slice::<AccessToken>(&body)
            .map_err(|e| TokenFailure::Other(UpstreamError::Decode(format!("token response: {e}"))))
    }
}

/// Why a token request failed.
enum TokenFailure {
    /// The endpoint refused the scopes asked for.
    InvalidScope,
    /// Anything else.
    Other(UpstreamError),
}

impl TokenFailure {
    fn into_error(self) -> UpstreamError {
        match self {
            TokenFailure::InvalidScope => {
                UpstreamError::Unavailable("token endpoint answered 400 (invalid_scope)".into())
            }
            TokenFailure::Other(e) => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 25, point 12: a huge `expires_in` would panic on `Instant + Duration`.
    #[test]
    fn a_huge_token_lifetime_is_clamped() {
        let kept = fresh_for(Duration::from_secs(u64::MAX));
        assert!(kept <= MAX_LIFETIME);
        let _ = Instant::now() + kept;
        assert_eq!(fresh_for(Duration::from_secs(1499)), Duration::from_secs(1439));
    }
}
