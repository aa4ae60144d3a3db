//! Configuration from the environment, read once at start-up.
//!
//! Credentials are `SecretString` from here to the single place that sends them (the token
//! request); `Debug` prints them redacted.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

/// Default France Travail token endpoint.
pub const FT_TOKEN_URL: &str =
    "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire";
/// Default France Travail API base.
pub const FT_API_BASE: &str = "https://api.francetravail.io/partenaire/offresdemploi/v2";
/// Scopes of the Offres d'emploi v2 API.
pub const FT_SCOPE: &str = "api_offresdemploiv2 o2dsoffre";

/// Where offers come from.
#[derive(Debug, Clone)]
pub enum UpstreamConfig {
    /// The real France Travail API (or anything speaking its protocol, such as a sandbox bin).
    FranceTravail(FranceTravailConfig),
    /// The sandbox, started in-process on a loopback port.
    Sandbox {
        /// Pinned sandbox clock (Unix seconds), for tests.
        now: Option<i64>,
    },
}

/// Connection settings for France Travail.
#[derive(Debug, Clone)]
pub struct FranceTravailConfig {
    /// Token endpoint, realm included.
    pub token_url: String,
    /// API base, e.g. `https://api.francetravail.io/partenaire/offresdemploi/v2`.
    pub api_base: String,
    /// Application id.
    pub client_id: String,
    /// Application secret.
    pub client_secret: SecretString,
    /// Space-separated scopes.
    pub scope: String,
}

impl FranceTravailConfig {
    /// Settings for talking to a running sandbox with the credentials it was started with.
    pub fn for_sandbox(
        sandbox: &emploi_sandbox::RunningSandbox,
        client_id: String,
        client_secret: String,
    ) -> Self {
        Self {
            token_url: format!(
                "{}{}?realm=%2Fpartenaire",
                sandbox.base_url(),
                emploi_sandbox::TOKEN_PATH
            ),
            api_base: format!("{}{}", sandbox.base_url(), emploi_sandbox::API_PREFIX),
            client_id,
            client_secret: SecretString::from(client_secret),
            scope: FT_SCOPE.to_owned(),
        }
    }
}

/// The proxy's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address.
    pub addr: SocketAddr,
    /// Upstream.
    pub upstream: UpstreamConfig,
    /// Built widget files, served under `/widget/`.
    pub widget_dir: PathBuf,
    /// Static demo pages, served at `/`.
    pub site_dir: PathBuf,
    /// Total time budget of one upstream call, retries included.
    pub upstream_deadline: Duration,
    /// How long a search answer stays fresh in the cache.
    pub search_ttl: Duration,
    /// How long an offer detail stays fresh in the cache.
    pub detail_ttl: Duration,
}

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    /// Name of the variable.
    pub name: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

impl Config {
    /// Reads the configuration from environment variables (see the crate README).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let addr = match non_empty("EMPLOI_ADDR") {
            Some(v) => v.parse().map_err(|e| ConfigError {
                name: "EMPLOI_ADDR",
                problem: format!("{v:?} is not an address such as 127.0.0.1:8080 ({e})"),
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let upstream = match (non_empty("FT_CLIENT_ID"), non_empty("FT_CLIENT_SECRET")) {
            (Some(client_id), Some(secret)) => UpstreamConfig::FranceTravail(FranceTravailConfig {
                token_url: non_empty("FT_TOKEN_URL").unwrap_or_else(|| FT_TOKEN_URL.to_owned()),
                api_base: non_empty("FT_API_BASE")
                    .unwrap_or_else(|| FT_API_BASE.to_owned())
                    .trim_end_matches('/')
                    .to_owned(),
                client_id,
                client_secret: SecretString::from(secret),
                scope: non_empty("FT_SCOPE").unwrap_or_else(|| FT_SCOPE.to_owned()),
            }),
            (None, None) => UpstreamConfig::Sandbox {
                now: match non_empty("EMPLOI_SANDBOX_NOW") {
                    Some(v) => Some(parse_rfc3339(&v).ok_or_else(|| ConfigError {
                        name: "EMPLOI_SANDBOX_NOW",
                        problem: format!(
                            "{v:?} is not an RFC 3339 date such as 2026-11-20T12:00:00Z"
                        ),
                    })?),
                    None => None,
                },
            },
            (Some(_), None) => {
                return Err(ConfigError {
                    name: "FT_CLIENT_SECRET",
                    problem: "FT_CLIENT_ID is set but FT_CLIENT_SECRET is not".to_owned(),
                });
            }
            (None, Some(_)) => {
                return Err(ConfigError {
                    name: "FT_CLIENT_ID",
                    problem: "FT_CLIENT_SECRET is set but FT_CLIENT_ID is not".to_owned(),
                });
            }
        };
        Ok(Self {
            addr,
            upstream,
            widget_dir: non_empty("EMPLOI_WIDGET_DIR")
                .unwrap_or_else(|| "widget/dist".into())
                .into(),
            site_dir: non_empty("EMPLOI_SITE_DIR").unwrap_or_else(|| "demo-site".into()).into(),
            upstream_deadline: Duration::from_secs(8),
            search_ttl: Duration::from_secs(300),
            detail_ttl: Duration::from_secs(3600),
        })
    }
}

fn parse_rfc3339(value: &str) -> Option<i64> {
    time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(time::OffsetDateTime::unix_timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> =
            vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn no_credentials_means_sandbox() {
        let c = config(&[]).unwrap();
        assert!(matches!(c.upstream, UpstreamConfig::Sandbox { now: None }));
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn credentials_select_france_travail_and_stay_redacted_in_debug() {
        let c = config(&[("FT_CLIENT_ID", "PAR_x"), ("FT_CLIENT_SECRET", "tres-secret")]).unwrap();
        let UpstreamConfig::FranceTravail(ft) = &c.upstream else { panic!("not FT") };
        assert_eq!(ft.client_secret.expose_secret(), "tres-secret");
        assert_eq!(ft.api_base, FT_API_BASE);
        assert!(!format!("{c:?}").contains("tres-secret"));
    }

    #[test]
    fn half_credentials_and_bad_values_are_clear_errors() {
        let err = config(&[("FT_CLIENT_ID", "PAR_x")]).unwrap_err();
        assert_eq!(err.name, "FT_CLIENT_SECRET");
        let err = config(&[("EMPLOI_ADDR", "port 80")]).unwrap_err();
        assert_eq!(err.name, "EMPLOI_ADDR");
        assert!(err.to_string().contains("port 80"));
        let err = config(&[("EMPLOI_SANDBOX_NOW", "hier")]).unwrap_err();
        assert_eq!(err.name, "EMPLOI_SANDBOX_NOW");
    }

    #[test]
    fn rfc3339_dates_convert_to_unix_seconds() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2026-11-20T12:00:00Z"), Some(1_795_176_000));
        assert_eq!(parse_rfc3339("2026-13-20T12:00:00Z"), None);
    }
}
