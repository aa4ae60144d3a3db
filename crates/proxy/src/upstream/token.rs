//! OAuth2 client-credentials token provider.
//!
//! The token is cached until 60 s before `expires_in`; when it must be refreshed, concurrent
//! callers wait for one single request (the mutex is held across the fetch). The secret is
//! exposed in exactly one place: the form of the token request.

use std::time::{Duration, Instant};

use emploi_types::ft::AccessToken;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use super::UpstreamError;
use crate::config::FranceTravailConfig;

/// Safety margin before the announced expiry.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

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
}

impl TokenProvider {
    /// A provider for `config`, using `http` for the token requests.
    pub fn new(http: reqwest::Client, config: FranceTravailConfig) -> Self {
        Self { http, config, cached: Mutex::new(None) }
    }

    /// A valid token, fetched only when the cached one is missing or about to expire.
    pub async fn token(&self) -> Result<SecretString, UpstreamError> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref()
            && Instant::now() < c.refresh_at
        {
            return Ok(c.token.clone());
        }
        let fetched = self.fetch().await?;
        let lifetime = Duration::from_secs(fetched.expires_in);
        let token = SecretString::from(fetched.access_token);
        *cached = Some(Cached {
            token: token.clone(),
            refresh_at: Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN),
        });
        Ok(token)
    }

    /// Forgets `rejected` if it is still the cached token (after a 401), so the next call fetches
    /// a new one; a token refreshed meanwhile by another request is kept.
    pub async fn invalidate(&self, rejected: &SecretString) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|c| c.token.expose_secret() == rejected.expose_secret()) {
            *cached = None;
        }
    }

    async fn fetch(&self) -> Result<AccessToken, UpstreamError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.config.client_id.as_str()),
            ("client_secret", self.config.client_secret.expose_secret()),
            ("scope", self.config.scope.as_str()),
        ];
        let response = self
            .http
            .post(&self.config.token_url)
            .form(&form)
            .send()
            .await
            .map_err(|e| UpstreamError::from_transport("token", &e))?;
        let status = response.status();
        if !status.is_success() {
            // The body of a token error names the error kind (`invalid_client`...); it never
            // contains the secret, but it is not passed on either.
            let kind = response
                .json::<emploi_types::ft::TokenError>()
                .await
                .map(|e| e.error)
                .unwrap_or_else(|_| "unreadable".to_owned());
            return Err(UpstreamError::Unavailable(format!(
                "token endpoint answered {status} ({kind})"
            )));
        }
        response
            .json::<AccessToken>()
            .await
            .map_err(|e| UpstreamError::Decode(format!("token response: {e}")))
    }
}
