//! OAuth2 client-credentials tokens and the per-client-id rate limit, as the real gateway does.
//!
//! Tokens are opaque 27-character strings that really expire; the API answers an unknown or
//! expired one with 401, an empty body and `WWW-Authenticate: Bearer`. A token carries the
//! scopes asked for: each API needs its own pair, and the gateway answers 403 to a token
//! without it, or when the application is not subscribed to the API (the token endpoint issues
//! the token anyway, as France Travail's does).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::SandboxConfig;

type KeyedLimiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// Why a token request was refused: `(error, error_description)` of the 400 body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenRefusal(pub(crate) &'static str, pub(crate) String);

/// Outcome of the rate limiter for one call.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Admission {
    /// Allowed, with the tokens left in the bucket.
    Allowed { remaining: u32 },
    /// Refused; retry after this many whole seconds.
    Refused { retry_after: u64 },
}

/// What a valid token stands for.
#[derive(Debug, Clone)]
struct Granted {
    client: String,
    scopes: Vec<String>,
    expires: Instant,
}

/// The APIs the sandbox serves, with the scope pair each needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// Offres d'emploi v2.
    Offres,
    /// Mes événements emploi.
    Evenements,
    /// Marché du travail.
    Marche,
}

impl Api {
    /// The two scopes a token needs for this API.
    pub fn scopes(self) -> [&'static str; 2] {
        match self {
            Api::Offres => ["api_offresdemploiv2", "o2dsoffre"],
            Api::Evenements => emploi_types::ft::evenements::SCOPES,
            Api::Marche => emploi_types::ft::marche::SCOPES,
        }
    }

    const ALL: [Api; 3] = [Api::Offres, Api::Evenements, Api::Marche];
}

/// Why a call with a valid token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No valid token: 401.
    Unauthorized,
    /// The token lacks the API's scopes, or the application is not subscribed to it: 403.
    Forbidden,
}

pub(crate) struct Auth {
    client_id: String,
    client_secret: String,
    lifetime_secs: u64,
    seed: u64,
    issued: AtomicU64,
    tokens: Mutex<HashMap<String, Granted>>,
    /// Every token issued since start, for the secret-leak checks of the test suites.
    history: Mutex<Vec<String>>,
    limiter: KeyedLimiter,
    pub(crate) burst: u32,
}

impl Auth {
    pub(crate) fn new(config: &SandboxConfig) -> Self {
        let burst = NonZeroU32::new(config.rate_limit_per_sec.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            client_id: config.client_id.clone(),
            client_secret: config.client_secret.clone(),
            lifetime_secs: config.token_lifetime_secs,
            seed: config.seed,
            issued: AtomicU64::new(0),
            tokens: Mutex::new(HashMap::new()),
            history: Mutex::new(Vec::new()),
            limiter: RateLimiter::keyed(Quota::per_second(burst))
                .with_middleware::<StateInformationMiddleware>(),
            burst: burst.get(),
        }
    }

    /// Checks a token request's form fields and issues a token with its lifetime.
    pub(crate) fn issue(
        &self,
        form: &HashMap<String, String>,
        lifetime_override: Option<u64>,
    ) -> Result<(String, u64, String), TokenRefusal> {
        if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
            return Err(TokenRefusal(
                "unsupported_grant_type",
                "Grant type is not supported: only client_credentials is".to_owned(),
            ));
        }
        let id_ok = form.get("client_id") == Some(&self.client_id);
        let secret_ok = form.get("client_secret") == Some(&self.client_secret);
        if !id_ok || !secret_ok {
            return Err(TokenRefusal("invalid_client", "Client authentication failed".to_owned()));
        }
        let scope = form.get("scope").map(String::as_str).unwrap_or_default();
        let scopes: Vec<&str> = scope.split_whitespace().collect();
        let unknown: Vec<&str> = scopes
            .iter()
            .copied()
            .filter(|s| {
                !Api::ALL.iter().any(|a| a.scopes().contains(s)) && !s.starts_with("application_")
            })
            .collect();
        if !unknown.is_empty() {
            return Err(TokenRefusal(
                "invalid_scope",
                format!("Unknown/invalid scope(s): [{}]", unknown.join(", ")),
            ));
        }
        if !Api::ALL.iter().any(|a| a.scopes().iter().all(|s| scopes.contains(s))) {
            return Err(TokenRefusal(
                "invalid_scope",
                "Unknown/invalid scope(s): the two scopes of one API at least are required"
                    .to_owned(),
            ));
        }
        let n = self.issued.fetch_add(1, Ordering::Relaxed);
        let mut rng = ChaCha8Rng::seed_from_u64(
            self.seed.rotate_left(17) ^ n.wrapping_mul(0xA24B_AED4_963E_E407),
        );
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let token: String =
            (0..27).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect();
        let lifetime = lifetime_override.unwrap_or(self.lifetime_secs);
        let expires = Instant::now() + Duration::from_secs(lifetime);
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.retain(|_, g| g.expires > Instant::now());
        let granted = Granted {
            client: self.client_id.clone(),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            expires,
        };
        tokens.insert(token.clone(), granted);
        self.history.lock().unwrap_or_else(|e| e.into_inner()).push(token.clone());
        Ok((token, lifetime, scopes.join(" ")))
    }

    /// Every token issued since start.
    pub(crate) fn issued(&self) -> Vec<String> {
        self.history.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The client id owning a valid bearer token for `api`, from an `Authorization` header
    /// value; `subscribed` says whether the application may call `api` at all.
    pub(crate) fn check_bearer(
        &self,
        header: Option<&str>,
        api: Api,
        subscribed: bool,
    ) -> Result<String, Refusal> {
        let token = header.and_then(|h| h.strip_prefix("Bearer ")).map(str::trim);
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let granted = token
            .and_then(|t| tokens.get(t))
            .filter(|g| g.expires > Instant::now())
            .ok_or(Refusal::Unauthorized)?;
        let scoped = api.scopes().iter().all(|s| granted.scopes.iter().any(|g| g == s));
        if scoped && subscribed { Ok(granted.client.clone()) } else { Err(Refusal::Forbidden) }
    }

    /// Takes one call from the client's bucket.
    pub(crate) fn admit(&self, client_id: &str) -> Admission {
        match self.limiter.check_key(&client_id.to_owned()) {
            Ok(snapshot) => Admission::Allowed { remaining: snapshot.remaining_burst_capacity() },
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Admission::Refused { retry_after: wait.as_secs_f64().ceil().max(1.0) as u64 }
            }
        }
    }
}
