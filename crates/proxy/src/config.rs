//! Configuration from the environment and the optional TOML file (`EMPLOI_CONFIG`), read once
//! at start-up.
//!
//! Credentials are `SecretString` from here to the single place that sends them (the token
//! request); `Debug` prints them redacted.

mod file;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

use emploi_types::recherche::{Param, Zone};

use crate::sites::OriginPattern;

/// Default France Travail token endpoint.
pub const FT_TOKEN_URL: &str =
    "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire";
/// Default France Travail API base.
pub const FT_API_BASE: &str = "https://api.francetravail.io/partenaire/offresdemploi/v2";
/// Scopes asked for: those of Offres d'emploi v2, Mes événements emploi and Marché du travail.
/// An application not subscribed to the last two still gets its token (their calls answer 403);
/// a token endpoint that refuses them gets [`FT_SCOPE_OFFRES`] instead.
pub const FT_SCOPE: &str = "api_offresdemploiv2 o2dsoffre api_evenementsv1 evenements \
                            api_stats-offres-demandes-emploiv1 offresetdemandesemploi";
/// Scopes of the Offres d'emploi v2 API alone.
pub const FT_SCOPE_OFFRES: &str = "api_offresdemploiv2 o2dsoffre";

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
    /// Settings for a server at `origin` that lays out its paths as France Travail does (token
    /// at `/connexion/oauth2/access_token`, API under `/partenaire/offresdemploi/v2`): the
    /// sandbox, in-process or as its own program.
    pub fn at(origin: &str, client_id: String, client_secret: String) -> Self {
        let origin = origin.trim_end_matches('/');
        Self {
            token_url: format!("{origin}/connexion/oauth2/access_token?realm=%2Fpartenaire"),
            api_base: format!("{origin}/partenaire/offresdemploi/v2"),
            client_id,
            client_secret: SecretString::from(client_secret),
            scope: FT_SCOPE.to_owned(),
        }
    }
}

/// Total time of one upstream call, retries included, unless the file sets another.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(8);

/// The proxy's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address.
    pub addr: SocketAddr,
    /// The operations listener (`/metrics`, health details), `None` when turned off.
    pub admin_addr: Option<SocketAddr>,
    /// The proxy's public address (`https://emploi.example.fr`), for absolute links such as a
    /// feed's own; without it, they are written from the `Host` the client asked for.
    pub public_url: Option<String>,
    /// Timeouts, connection cap and drain of the listeners.
    pub server: crate::server::ServerLimits,
    /// Upstream.
    pub upstream: UpstreamConfig,
    /// Built widget files, served under `/widget/`.
    pub widget_dir: PathBuf,
    /// Static demo pages, served at `/`.
    pub site_dir: PathBuf,
    /// Total time budget of one upstream call, retries included.
    pub upstream_deadline: Duration,
    /// The France Travail call budget.
    pub budget: Budget,
    /// When to stop calling a failing France Travail.
    pub circuit: CircuitSettings,
    /// Cache backend and freshness.
    pub cache: CacheSettings,
    /// Per-client limits and trusted proxies.
    pub limits: Limits,
    /// The sites registered at start. The live list is [`crate::sites::Access`]'s: the
    /// file's sites are read again on `SIGHUP` and when it changes (see [`crate::reload`]).
    pub sites: Vec<SiteConfig>,
    /// The configuration file (`EMPLOI_CONFIG`), when one is given.
    pub config_file: Option<PathBuf>,
    /// The embedded store of the usage counts without Redis (`EMPLOI_USAGE_FILE`,
    /// `emploi-usage.redb` in the working directory by default).
    pub usage_file: PathBuf,
    /// Whether métier suggestions include France Travail's appellations referential: on with
    /// real credentials, off in sandbox mode (whose appellations only repeat the ROME labels).
    pub appellations: bool,
}

/// The outbound call budget shared by all traffic to France Travail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// Calls per second. France Travail allows 10 per application; the default, 9, keeps one in
    /// hand for the jitter between our clock and theirs.
    pub calls_per_second: u32,
    /// How long a request may wait for a slot before a 503 with `Retry-After`.
    pub wait: Duration,
    /// How many instances share the budget through Redis: while Redis is unreachable, each
    /// instance spends `calls_per_second / instances` on its own, so that together they stay
    /// within France Travail's limit. 1 by default.
    pub instances: u32,
    /// Slots of the bucket a background refresh leaves for residents' misses (4 of 9 by
    /// default): refreshes use spare capacity only.
    pub refresh_reserve: u32,
}

impl Default for Budget {
    fn default() -> Self {
        Self { calls_per_second: 9, wait: Duration::from_secs(2), instances: 1, refresh_reserve: 4 }
    }
}

/// The circuit breaker in front of France Travail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircuitSettings {
    /// Consecutive failed calls (after their retries) that open the circuit.
    pub failures: u32,
    /// How long calls stay away before one probe.
    pub open_for: Duration,
}

impl Default for CircuitSettings {
    fn default() -> Self {
        Self { failures: 5, open_for: Duration::from_secs(15) }
    }
}

/// Where cached answers, the token and the budget live.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CacheBackend {
    /// In this process (one instance).
    #[default]
    Memory,
    /// In a Redis server shared by every instance.
    Redis {
        /// `redis://host:port/db`.
        url: String,
    },
}

/// Cache settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheSettings {
    /// Backend.
    pub backend: CacheBackend,
    /// Freshness of a search answer.
    pub search_ttl: Duration,
    /// Freshness of an offer detail.
    pub detail_ttl: Duration,
    /// Freshness of referentials, market aggregates and official indicators.
    pub aggregate_ttl: Duration,
    /// How old a list of events may be and still be served as current (refreshed behind from
    /// half of it).
    pub events_ttl: Duration,
    /// How old a stale answer served after an upstream failure may be.
    pub stale_max_age: Duration,
    /// How old a search answer may be and still be served as current (at once, while one
    /// refresh runs behind): at most 24 hours, as the offers licence asks.
    pub max_age: Duration,
    /// The search answers kept in memory, in MiB of their JSON (64 by default: about a thousand
    /// 150-offer windows; the national simulation says what every commune's sites would take).
    pub search_cache_mb: u64,
    /// The longest interval the refresh scheduler leaves between two refreshes of an answer it
    /// keeps warm (each site's first view): under `max_age`, so that a quiet site's first view
    /// is never older than this plus one refresh's delay.
    pub refresh_max_interval: Duration,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            backend: CacheBackend::Memory,
            search_ttl: Duration::from_secs(300),
            detail_ttl: Duration::from_secs(3600),
            aggregate_ttl: Duration::from_secs(24 * 3600),
            events_ttl: Duration::from_secs(3600),
            stale_max_age: Duration::from_secs(24 * 3600),
            max_age: Duration::from_secs(24 * 3600),
            search_cache_mb: 64,
            refresh_max_interval: Duration::from_secs(6 * 3600),
        }
    }
}

/// Limits on callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Requests per minute from one client (an IPv4 address, or an IPv6 prefix).
    pub per_ip_per_minute: u32,
    /// The IPv6 prefix length that makes one client (64 by default: one household or server).
    pub ipv6_prefix: u8,
    /// France Travail calls (cache misses) per minute caused by one client IP; 0 for no such
    /// limit. Bounds what one visitor, or one script, can cost the shared budget.
    pub calls_per_client_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_ip_per_minute: 300,
            ipv6_prefix: 64,
            calls_per_client_per_minute: 60,
            trusted_proxies: Vec::new(),
        }
    }
}

/// A registered site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteConfig {
    /// Line of its entry in the configuration file (0 for built-in sites).
    pub line: usize,
    /// Public key, sent by the widget as `site`.
    pub key: String,
    /// Human name.
    pub name: Option<String>,
    /// Origins allowed to use the key.
    pub origins: Vec<OriginPattern>,
    /// Territory searched when a request names none.
    pub territory: Option<Zone>,
    /// The secret that opens the site's usage report (`/rapport`); no report without one.
    pub report_secret: Option<ReportSecret>,
}

/// A site's report secret: never logged, compared in constant time.
#[derive(Clone, PartialEq, Eq)]
pub struct ReportSecret(String);

impl ReportSecret {
    /// Shortest secret accepted: guessing one within the per-client limit is hopeless.
    pub const MIN_LEN: usize = 16;

    /// A secret of at least [`Self::MIN_LEN`] printable ASCII characters without spaces.
    pub fn new(secret: &str) -> Option<Self> {
        let ok = secret.len() >= Self::MIN_LEN && secret.bytes().all(|b| b.is_ascii_graphic());
        ok.then(|| Self(secret.to_owned()))
    }

    /// Whether `given` is the secret, in time independent of where they differ.
    pub fn matches(&self, given: &str) -> bool {
        use subtle::ConstantTimeEq as _;
        bool::from(self.0.as_bytes().ct_eq(given.as_bytes()))
    }
}

impl std::fmt::Debug for ReportSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReportSecret(***)")
    }
}

impl SiteConfig {
    /// The `demo` site of sandbox mode: pages on the loopback interface, Rennes and 10 km.
    pub fn demo() -> Self {
        let origins = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"]
            .iter()
            .filter_map(|p| OriginPattern::parse(p).ok())
            .collect();
        Self {
            line: 0,
            key: "demo".to_owned(),
            name: Some("Démonstration (bac à sable)".to_owned()),
            origins,
            territory: Some(Zone::Commune { code: "35238".to_owned(), rayon: 10 }),
            report_secret: None,
        }
    }
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
        let admin_addr = match non_empty("EMPLOI_ADMIN_ADDR").as_deref().map(str::trim) {
            Some("off") => None,
            Some(v) => Some(v.parse().map_err(|e| ConfigError {
                name: "EMPLOI_ADMIN_ADDR",
                problem: format!(
                    "{v:?} is neither an address such as 127.0.0.1:9090 nor off ({e})"
                ),
            })?),
            None => Some(SocketAddr::from(([127, 0, 0, 1], 9090))),
        };
        let public_url = match non_empty("EMPLOI_PUBLIC_URL") {
            Some(url) => {
                let url = url.trim().trim_end_matches('/').to_owned();
                let origin = crate::sites::Origin::parse(&url);
                let bare =
                    url.split_once("://").is_some_and(|(_, rest)| !rest.contains(['/', '?', '#']));
                if origin.is_none() || !bare {
                    return Err(ConfigError {
                        name: "EMPLOI_PUBLIC_URL",
                        problem: format!(
                            "{url:?} is not an origin such as https://emploi.example.fr"
                        ),
                    });
                }
                Some(url)
            }
            None => None,
        };
        let sandbox_asked = match non_empty("EMPLOI_SANDBOX").as_deref().map(str::trim) {
            None | Some("0") => false,
            Some("1") => true,
            Some(other) => {
                return Err(ConfigError {
                    name: "EMPLOI_SANDBOX",
                    problem: format!("{other:?} is neither 1 (sandbox mode) nor 0"),
                });
            }
        };
        let credentials = (non_empty("FT_CLIENT_ID"), non_empty("FT_CLIENT_SECRET"));
        let config_file = non_empty("EMPLOI_CONFIG").map(PathBuf::from);
        let file = match &config_file {
            Some(path) => Some(file::load(path)?),
            None => None,
        };
        let upstream = match credentials {
            (Some(_), Some(_)) if sandbox_asked => {
                return Err(ConfigError {
                    name: "EMPLOI_SANDBOX",
                    problem: "sandbox mode is asked for but France Travail credentials are set \
                              too: unset EMPLOI_SANDBOX to use France Travail, or unset \
                              FT_CLIENT_ID and FT_CLIENT_SECRET to use the sandbox"
                        .to_owned(),
                });
            }
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
            (None, None) if sandbox_asked => UpstreamConfig::Sandbox {
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
            // Never fall into the sandbox by omission: a production environment file with a
            // typo in a credential's name must stop the start-up, not serve synthetic offers.
            (None, None) => {
                let sites = file.as_ref().map_or(0, |f| f.sites.len());
                let problem = if sites > 0 {
                    format!(
                        "the configuration file registers {sites} site(s) but FT_CLIENT_ID and \
                         FT_CLIENT_SECRET are not set: the proxy will not serve those sites \
                         synthetic offers. Set the France Travail credentials, or EMPLOI_SANDBOX=1 \
                         to serve the offline sandbox on purpose"
                    )
                } else {
                    "neither France Travail credentials (FT_CLIENT_ID, FT_CLIENT_SECRET) nor \
                     sandbox mode (EMPLOI_SANDBOX=1) are set: the proxy has no upstream"
                        .to_owned()
                };
                return Err(ConfigError { name: "FT_CLIENT_ID", problem });
            }
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
        let sandbox = matches!(upstream, UpstreamConfig::Sandbox { .. });
        let mut config = Self {
            addr,
            admin_addr,
            public_url,
            server: crate::server::ServerLimits::default(),
            upstream,
            widget_dir: non_empty("EMPLOI_WIDGET_DIR")
                .unwrap_or_else(|| "widget/dist".into())
                .into(),
            site_dir: non_empty("EMPLOI_SITE_DIR").unwrap_or_else(|| "demo-site".into()).into(),
            upstream_deadline: DEFAULT_DEADLINE,
            budget: Budget::default(),
            circuit: CircuitSettings::default(),
            cache: CacheSettings::default(),
            limits: Limits::default(),
            sites: Vec::new(),
            config_file,
            usage_file: non_empty("EMPLOI_USAGE_FILE")
                .map_or_else(crate::usage::default_file, PathBuf::from),
            appellations: !sandbox,
        };
        if let Some(file) = file {
            config.budget = file.budget;
            config.circuit = file.circuit;
            config.upstream_deadline = file.deadline.unwrap_or(config.upstream_deadline);
            config.cache = file.cache;
            config.limits = file.limits;
            config.sites = file.sites;
        } else if !sandbox {
            return Err(ConfigError {
                name: "EMPLOI_CONFIG",
                problem: "France Travail credentials are set but no configuration file lists the \
                          sites allowed to use them: set EMPLOI_CONFIG to a TOML file with \
                          [[sites]] entries (see the proxy README)"
                    .to_owned(),
            });
        }
        let sites = std::mem::take(&mut config.sites);
        config.sites = config.with_builtin_sites(sites);
        Ok(config)
    }

    /// `sites` with the built-in ones: in sandbox mode, the `demo` site unless the file
    /// registers its own.
    pub fn with_builtin_sites(&self, mut sites: Vec<SiteConfig>) -> Vec<SiteConfig> {
        let sandbox = matches!(self.upstream, UpstreamConfig::Sandbox { .. });
        if sandbox && !sites.iter().any(|s| s.key == "demo") {
            sites.push(SiteConfig::demo());
        }
        sites
    }

    /// Checks what needs the referential: the sites' default territories exist.
    pub fn check_territories(
        &self,
        referentiel: &emploi_territory::Referentiel,
    ) -> Result<(), ConfigError> {
        let file = self.config_file.as_ref().map(|p| p.display().to_string());
        check_territories(&self.sites, file.as_deref().unwrap_or("EMPLOI_CONFIG"), referentiel)
    }
}

/// The configuration file read again (a reload, or `emploi-proxy check`).
#[derive(Debug)]
pub struct FileRead {
    /// Its sites, checked as at start.
    pub sites: Vec<SiteConfig>,
    settings: file::FileSettings,
}

impl FileRead {
    /// Whether the sections read at start only (budget, deadline, circuit, cache, limits)
    /// still say what `config` runs with.
    pub fn same_start_settings(&self, config: &Config) -> bool {
        let s = &self.settings;
        s.budget == config.budget
            && s.deadline.unwrap_or(DEFAULT_DEADLINE) == config.upstream_deadline
            && s.circuit == config.circuit
            && s.cache == config.cache
            && s.limits == config.limits
    }
}

/// Reads and checks the configuration file at `path` as at start: every section, the search
/// vocabulary's rules for the sites' territories, then the referential.
pub fn load_file(
    path: &std::path::Path,
    referentiel: &emploi_territory::Referentiel,
) -> Result<FileRead, ConfigError> {
    let mut settings = file::load(path)?;
    check_territories(&settings.sites, &path.display().to_string(), referentiel)?;
    let sites = std::mem::take(&mut settings.sites);
    Ok(FileRead { sites, settings })
}

/// Checks that each site's default territory exists in the referential; `file` names the
/// configuration file in errors.
fn check_territories(
    sites: &[SiteConfig],
    file: &str,
    referentiel: &emploi_territory::Referentiel,
) -> Result<(), ConfigError> {
    for site in sites {
        let Some(t) = &site.territory else { continue };
        let (param, code) = (t.param().map_or("", Param::name), t.code().unwrap_or_default());
        let known = match t {
            Zone::Commune { code, .. } => referentiel.commune(code).is_some(),
            Zone::Epci { code } => referentiel.epci(code).is_some(),
            Zone::Departement { code } => referentiel.departement(code).is_some(),
            Zone::DuSite { .. } => true,
        };
        if !known {
            return Err(ConfigError {
                name: "EMPLOI_CONFIG",
                problem: format!(
                    "{file}, line {}, site {:?}, {}: {:?} is not in the referential",
                    site.line, site.key, param, code
                ),
            });
        }
    }
    Ok(())
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
    fn sandbox_mode_is_asked_for_explicitly() {
        let c = config(&[("EMPLOI_SANDBOX", "1")]).unwrap();
        assert!(matches!(c.upstream, UpstreamConfig::Sandbox { now: None }));
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.sites, vec![SiteConfig::demo()]);
        assert_eq!(c.cache, CacheSettings::default());
    }

    /// Issue 13, point 3: a proxy without credentials used to serve synthetic offers silently.
    #[test]
    fn no_credentials_without_sandbox_mode_refuses_to_start() {
        let err = config(&[]).unwrap_err();
        assert_eq!(err.name, "FT_CLIENT_ID");
        assert!(err.to_string().contains("EMPLOI_SANDBOX=1"), "{err}");
        let err = config(&[("EMPLOI_SANDBOX", "0")]).unwrap_err();
        assert_eq!(err.name, "FT_CLIENT_ID");
        let err = config(&[("EMPLOI_SANDBOX", "oui")]).unwrap_err();
        assert_eq!(err.name, "EMPLOI_SANDBOX");
        let err = config(&[
            ("EMPLOI_SANDBOX", "1"),
            ("FT_CLIENT_ID", "PAR_x"),
            ("FT_CLIENT_SECRET", "tres-secret"),
        ])
        .unwrap_err();
        assert_eq!(err.name, "EMPLOI_SANDBOX");
        assert!(!err.to_string().contains("tres-secret"));
    }

    #[test]
    fn registered_sites_without_credentials_are_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("emploi-config-sites-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("proxy.toml");
        std::fs::write(&file, "[[sites]]\nkey = \"ville\"\norigins = [\"https://ville.fr\"]\n")
            .unwrap();
        let path = file.display().to_string();
        // A typo in the credential's name, as in a production environment file.
        let err = config(&[
            ("FT_CLIENT_IDD", "PAR_x"),
            ("FT_CLIENT_SECRET", "tres-secret"),
            ("EMPLOI_CONFIG", path.as_str()),
        ])
        .unwrap_err();
        assert_eq!(err.name, "FT_CLIENT_ID");
        let err = config(&[("EMPLOI_CONFIG", path.as_str())]).unwrap_err();
        assert!(err.to_string().contains("registers 1 site(s)"), "{err}");
        // On purpose, the sandbox may serve registered sites (a staging proxy), with `demo`.
        let c = config(&[("EMPLOI_CONFIG", path.as_str()), ("EMPLOI_SANDBOX", "1")]).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(c.sites.len(), 2);
    }

    #[test]
    fn credentials_select_france_travail_and_stay_redacted_in_debug() {
        let dir = std::env::temp_dir().join(format!("emploi-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("proxy.toml");
        std::fs::write(&file, "[[sites]]\nkey = \"ville\"\norigins = [\"https://ville.fr\"]\n")
            .unwrap();
        let path = file.display().to_string();
        let err =
            config(&[("FT_CLIENT_ID", "PAR_x"), ("FT_CLIENT_SECRET", "tres-secret")]).unwrap_err();
        assert_eq!(err.name, "EMPLOI_CONFIG");
        let c = config(&[
            ("FT_CLIENT_ID", "PAR_x"),
            ("FT_CLIENT_SECRET", "tres-secret"),
            ("EMPLOI_CONFIG", path.as_str()),
        ])
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(c.sites.len(), 1, "no demo site outside sandbox mode");
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
        let err = config(&[("EMPLOI_SANDBOX", "1"), ("EMPLOI_SANDBOX_NOW", "hier")]).unwrap_err();
        assert_eq!(err.name, "EMPLOI_SANDBOX_NOW");
        let err = config(&[("EMPLOI_CONFIG", "/nonexistent/emploi.toml")]).unwrap_err();
        assert!(err.to_string().contains("cannot read /nonexistent/emploi.toml"), "{err}");
    }

    #[test]
    fn rfc3339_dates_convert_to_unix_seconds() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2026-11-20T12:00:00Z"), Some(1_795_176_000));
        assert_eq!(parse_rfc3339("2026-13-20T12:00:00Z"), None);
    }
}
