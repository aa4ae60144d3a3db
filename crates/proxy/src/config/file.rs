//! The optional TOML configuration file (`EMPLOI_CONFIG`): sites, limits, cache and budget.
//!
//! Every error names the file, the line and the field, so that a typo is found at start-up
//! rather than by a resident.

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Budget, CacheBackend, CacheSettings, CircuitSettings, ConfigError, Limits, ReportSecret,
    SiteConfig,
};
use emploi_types::recherche::{Param, Recherche};

use crate::sites::OriginPattern;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    upstream: UpstreamSection,
    #[serde(default)]
    cache: CacheSection,
    #[serde(default)]
    limits: LimitsSection,
    #[serde(default)]
    sites: Vec<SiteSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpstreamSection {
    calls_per_second: Option<Spanned<u32>>,
    budget_wait_ms: Option<Spanned<u64>>,
    deadline_ms: Option<Spanned<u64>>,
    circuit_failures: Option<Spanned<u32>>,
    circuit_open_secs: Option<Spanned<u64>>,
    instances: Option<Spanned<u32>>,
    refresh_reserve: Option<Spanned<u32>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CacheSection {
    backend: Option<Spanned<String>>,
    redis_url: Option<String>,
    search_ttl_secs: Option<Spanned<u64>>,
    detail_ttl_secs: Option<Spanned<u64>>,
    aggregate_ttl_secs: Option<Spanned<u64>>,
    events_ttl_secs: Option<Spanned<u64>>,
    stale_max_age_secs: Option<Spanned<u64>>,
    max_age_secs: Option<Spanned<u64>>,
    search_cache_mb: Option<Spanned<u64>>,
    refresh_max_interval_secs: Option<Spanned<u64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsSection {
    per_ip_per_minute: Option<Spanned<u32>>,
    /// Removed: read only to say so.
    per_site_per_minute: Option<Spanned<u32>>,
    ipv6_prefix: Option<Spanned<u8>>,
    calls_per_client_per_minute: Option<u32>,
    #[serde(default)]
    trusted_proxies: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteSection {
    key: Spanned<String>,
    name: Option<String>,
    #[serde(default)]
    origins: Vec<Spanned<String>>,
    commune: Option<Spanned<String>>,
    epci: Option<Spanned<String>>,
    departement: Option<Spanned<String>>,
    rayon: Option<Spanned<u32>>,
    report_secret: Option<Spanned<String>>,
    /// Removed: read only to say so.
    per_minute: Option<Spanned<u32>>,
}

/// Why the per-site request limits are gone, for a file that still sets one.
const PER_SITE_REMOVED: &str = "removed: a per-site request limit let anyone who copies the \
                                public site key lock the commune's residents out; the budget's \
                                turns bound each site's France Travail calls, and \
                                limits.per_ip_per_minute each client's requests";

/// What the file sets; `None` leaves the default.
#[derive(Debug, Default)]
pub(crate) struct FileSettings {
    pub(super) budget: Budget,
    pub(super) deadline: Option<Duration>,
    pub(super) circuit: CircuitSettings,
    pub(super) cache: CacheSettings,
    pub(super) limits: Limits,
    pub(super) sites: Vec<SiteConfig>,
}

/// Reads and checks the file at `path`.
pub(crate) fn load(path: &Path) -> Result<FileSettings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        name: "EMPLOI_CONFIG",
        problem: format!("cannot read {}: {e}", path.display()),
    })?;
    parse(&text, &path.display().to_string())
}

/// Parses the file's `text`; `file` names it in errors.
pub(super) fn parse(text: &str, file: &str) -> Result<FileSettings, ConfigError> {
    // Lines are found by binary search over the line starts: each site records its line, and
    // counting the newlines before each of 35,000 sites took 36 s.
    let lines = Lines::new(text);
    let at = |span: std::ops::Range<usize>, field: &str, problem: String| ConfigError {
        name: "EMPLOI_CONFIG",
        problem: format!("{file}, line {}, {field}: {problem}", lines.of(span.start)),
    };
    let raw: File = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| lines.of(s.start));
        ConfigError {
            name: "EMPLOI_CONFIG",
            problem: format!("{file}, line {line}: {}", e.message()),
        }
    })?;

    let mut settings = FileSettings::default();
    if let Some(rate) = raw.upstream.calls_per_second {
        if !(1..=1000).contains(rate.get_ref()) {
            return Err(at(rate.span(), "upstream.calls_per_second", "between 1 and 1000".into()));
        }
        settings.budget.calls_per_second = rate.into_inner();
    }
    if let Some(ms) = raw.upstream.budget_wait_ms {
        if *ms.get_ref() > 60_000 {
            return Err(at(ms.span(), "upstream.budget_wait_ms", "at most 60000".into()));
        }
        settings.budget.wait = Duration::from_millis(ms.into_inner());
    }
    if let Some(n) = raw.upstream.instances {
        if !(1..=1000).contains(n.get_ref()) {
            return Err(at(n.span(), "upstream.instances", "between 1 and 1000".into()));
        }
        settings.budget.instances = n.into_inner();
    }
    if let Some(n) = raw.upstream.refresh_reserve {
        if *n.get_ref() >= settings.budget.calls_per_second {
            return Err(at(
                n.span(),
                "upstream.refresh_reserve",
                "below upstream.calls_per_second".into(),
            ));
        }
        settings.budget.refresh_reserve = n.into_inner();
    }
    if let Some(ms) = raw.upstream.deadline_ms {
        if !(100..=60_000).contains(ms.get_ref()) {
            return Err(at(ms.span(), "upstream.deadline_ms", "between 100 and 60000".into()));
        }
        settings.deadline = Some(Duration::from_millis(ms.into_inner()));
    }

    if let Some(n) = raw.upstream.circuit_failures {
        if *n.get_ref() == 0 {
            return Err(at(n.span(), "upstream.circuit_failures", "must be at least 1".into()));
        }
        settings.circuit.failures = n.into_inner();
    }
    if let Some(secs) = raw.upstream.circuit_open_secs {
        if !(1..=3600).contains(secs.get_ref()) {
            return Err(at(secs.span(), "upstream.circuit_open_secs", "between 1 and 3600".into()));
        }
        settings.circuit.open_for = Duration::from_secs(secs.into_inner());
    }

    let cache = raw.cache;
    if let Some(backend) = cache.backend {
        settings.cache.backend = match backend.get_ref().as_str() {
            "memory" => CacheBackend::Memory,
            "redis" => CacheBackend::Redis {
                url: cache.redis_url.clone().unwrap_or_else(|| "redis://127.0.0.1:6379/".into()),
            },
            other => {
                return Err(at(
                    backend.span(),
                    "cache.backend",
                    format!("{other:?} is not \"memory\" or \"redis\""),
                ));
            }
        };
    }
    // Bounded so that no duration overflows a clock or a cache builder: at most a week (the
    // offers licence asks for offers refreshed at least every 24 hours).
    const WEEK: u64 = 7 * 24 * 3600;
    for (value, field, target) in [
        (cache.search_ttl_secs, "cache.search_ttl_secs", &mut settings.cache.search_ttl),
        (cache.detail_ttl_secs, "cache.detail_ttl_secs", &mut settings.cache.detail_ttl),
        (cache.aggregate_ttl_secs, "cache.aggregate_ttl_secs", &mut settings.cache.aggregate_ttl),
        (cache.events_ttl_secs, "cache.events_ttl_secs", &mut settings.cache.events_ttl),
        (cache.stale_max_age_secs, "cache.stale_max_age_secs", &mut settings.cache.stale_max_age),
    ] {
        if let Some(v) = value {
            if !(1..=WEEK).contains(v.get_ref()) {
                return Err(at(v.span(), field, format!("between 1 and {WEEK} seconds (a week)")));
            }
            *target = Duration::from_secs(v.into_inner());
        }
    }
    if let Some(v) = cache.search_cache_mb {
        if !(1..=65_536).contains(v.get_ref()) {
            return Err(at(v.span(), "cache.search_cache_mb", "between 1 and 65536 (MiB)".into()));
        }
        settings.cache.search_cache_mb = v.into_inner();
    }
    // The licence: offers shown are refreshed at least every 24 hours.
    const DAY: u64 = 24 * 3600;
    for (value, field, target) in [
        (cache.max_age_secs, "cache.max_age_secs", &mut settings.cache.max_age),
        (
            cache.refresh_max_interval_secs,
            "cache.refresh_max_interval_secs",
            &mut settings.cache.refresh_max_interval,
        ),
    ] {
        if let Some(v) = value {
            if !(1..=DAY).contains(v.get_ref()) {
                return Err(at(
                    v.span(),
                    field,
                    format!(
                        "between 1 and {DAY} seconds (the offers licence asks for a refresh every 24 hours)"
                    ),
                ));
            }
            *target = Duration::from_secs(v.into_inner());
        }
    }

    let limits = raw.limits;
    if let Some(v) = limits.per_ip_per_minute {
        if *v.get_ref() == 0 {
            return Err(at(v.span(), "limits.per_ip_per_minute", "must be at least 1".into()));
        }
        settings.limits.per_ip_per_minute = v.into_inner();
    }
    if let Some(v) = limits.per_site_per_minute {
        return Err(at(v.span(), "limits.per_site_per_minute", PER_SITE_REMOVED.into()));
    }
    if let Some(v) = limits.ipv6_prefix {
        if !(16..=128).contains(v.get_ref()) {
            return Err(at(v.span(), "limits.ipv6_prefix", "between 16 and 128".into()));
        }
        settings.limits.ipv6_prefix = v.into_inner();
    }
    if let Some(n) = limits.calls_per_client_per_minute {
        settings.limits.calls_per_client_per_minute = n;
    }
    for proxy in limits.trusted_proxies {
        let ip: IpAddr = proxy.get_ref().parse().map_err(|_| {
            at(
                proxy.span(),
                "limits.trusted_proxies",
                format!("{:?} is not an IP address", proxy.get_ref()),
            )
        })?;
        settings.limits.trusted_proxies.push(ip);
    }

    settings.sites.reserve_exact(raw.sites.len());
    for site in raw.sites {
        settings.sites.push(site_config(site, &lines, &at)?);
    }
    let mut keys: Vec<&str> = settings.sites.iter().map(|s| s.key.as_str()).collect();
    keys.sort_unstable();
    if let Some(pair) = keys.windows(2).find(|w| w[0] == w[1]) {
        let dup = settings.sites.iter().rev().find(|s| s.key == pair[0]).map_or(0, |s| s.line);
        return Err(ConfigError {
            name: "EMPLOI_CONFIG",
            problem: format!("{file}, line {dup}, sites.key: {:?} is used twice", pair[0]),
        });
    }
    Ok(settings)
}

fn site_config(
    site: SiteSection,
    lines: &Lines,
    at: &impl Fn(std::ops::Range<usize>, &str, String) -> ConfigError,
) -> Result<SiteConfig, ConfigError> {
    let key = site.key;
    let valid_key = (2..=64).contains(&key.get_ref().len())
        && key.get_ref().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid_key {
        return Err(at(
            key.span(),
            "sites.key",
            format!("{:?}: 2 to 64 letters, digits, '-' or '_'", key.get_ref()),
        ));
    }
    if site.origins.is_empty() {
        return Err(at(key.span(), "sites.origins", "list at least one allowed origin".into()));
    }
    let mut origins = Vec::new();
    for origin in site.origins {
        let pattern = OriginPattern::parse(origin.get_ref())
            .map_err(|problem| at(origin.span(), "sites.origins", problem))?;
        origins.push(pattern);
    }
    let zones =
        [("commune", &site.commune), ("epci", &site.epci), ("departement", &site.departement)];
    let given: Vec<_> = zones.iter().filter_map(|(n, v)| v.as_ref().map(|v| (*n, v))).collect();
    if given.len() > 1 {
        return Err(at(given[1].1.span(), given[1].0, "give one default territory only".into()));
    }
    // The search vocabulary's own rules, as for a resident's search: a site's default
    // territory is the territory of every search that names none.
    let mut search = Recherche::default();
    for (param, value) in [
        (Param::Commune, &site.commune),
        (Param::Epci, &site.epci),
        (Param::Departement, &site.departement),
    ] {
        if let Some(code) = value {
            search
                .read(param, code.get_ref())
                .map_err(|refused| at(code.span(), param.name(), refused.en))?;
        }
    }
    if let Some(rayon) = &site.rayon {
        search
            .read(Param::Rayon, &rayon.get_ref().to_string())
            .and_then(|()| search.check())
            .map_err(|refused| at(rayon.span(), "rayon", refused.en))?;
    }
    let territory = search.zone.is_set().then_some(search.zone);
    let report_secret = match &site.report_secret {
        Some(secret) => Some(ReportSecret::new(secret.get_ref()).ok_or_else(|| {
            at(
                secret.span(),
                "report_secret",
                format!(
                    "at least {} printable characters without spaces (a random one: openssl rand -hex 16)",
                    ReportSecret::MIN_LEN
                ),
            )
        })?),
        None => None,
    };
    if let Some(per_minute) = &site.per_minute {
        return Err(at(per_minute.span(), "per_minute", PER_SITE_REMOVED.into()));
    }
    Ok(SiteConfig {
        line: lines.of(key.span().start),
        key: key.into_inner(),
        name: site.name,
        origins,
        territory,
        report_secret,
    })
}

/// Where each line of a text starts, to name the line of a byte offset.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        Self(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect())
    }

    /// 1-based line of byte `offset`.
    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|newline| *newline < offset) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text, "sites.toml").unwrap_err().to_string()
    }

    #[test]
    fn a_full_file_is_read() {
        let s = parse(
            r#"
[upstream]
calls_per_second = 8
deadline_ms = 5000

[cache]
backend = "redis"
redis_url = "redis://127.0.0.1:6390/"
search_ttl_secs = 60

[limits]
per_ip_per_minute = 30
trusted_proxies = ["10.0.0.1"]

[[sites]]
key = "saint-exemple"
name = "Mairie de Saint-Exemple"
origins = ["https://www.saint-exemple.fr", "https://*.saint-exemple.fr"]
commune = "35238"
rayon = 20
"#,
            "proxy.toml",
        )
        .unwrap();
        assert_eq!(s.budget.calls_per_second, 8);
        assert_eq!(s.deadline, Some(Duration::from_secs(5)));
        assert!(matches!(&s.cache.backend, CacheBackend::Redis { url } if url.contains("6390")));
        assert_eq!(s.cache.search_ttl, Duration::from_secs(60));
        assert_eq!(s.limits.per_ip_per_minute, 30);
        assert_eq!(s.sites.len(), 1);
        let site = &s.sites[0];
        assert_eq!((site.key.as_str(), site.line), ("saint-exemple", 16));
        let t = site.territory.as_ref().unwrap();
        assert_eq!(t, &emploi_types::recherche::Zone::Commune { code: "35238".into(), rayon: 20 });
    }

    #[test]
    fn the_example_file_is_valid() {
        let s = parse(include_str!("../../proxy.example.toml"), "proxy.example.toml").unwrap();
        assert_eq!(s.sites.len(), 2);
        assert_eq!(s.cache.backend, CacheBackend::Memory);
        assert_eq!(s.circuit, CircuitSettings::default());
        assert_eq!(s.budget, Budget::default());
    }

    #[test]
    fn errors_name_the_file_the_line_and_the_field() {
        let e = err("[[sites]]\nkey = \"a-site\"\norigins = [\"ftp://x.fr\"]\n");
        assert!(e.contains("sites.toml, line 3, sites.origins"), "{e}");
        let e = err("[cache]\nbackend = \"memcached\"\n");
        assert!(e.contains("line 2, cache.backend") && e.contains("memcached"), "{e}");
        let e = err("[limits]\nper_ip_per_minit = 3\n");
        assert!(e.contains("line 2") && e.contains("per_ip_per_minit"), "{e}");
        let e = err("[[sites]]\nkey = \"x y\"\norigins = [\"https://a.fr\"]\n");
        assert!(e.contains("line 2, sites.key"), "{e}");
        let e = err(
            "[[sites]]\nkey = \"ab\"\norigins = [\"https://a.fr\"]\ncommune = \"35238\"\nepci = \"243500139\"\n",
        );
        assert!(e.contains("line 5, epci"), "{e}");
        let e = err(
            "[[sites]]\nkey = \"ab\"\norigins = [\"https://a.fr\"]\n[[sites]]\nkey = \"ab\"\norigins = [\"https://b.fr\"]\n",
        );
        assert!(e.contains("line 5") && e.contains("used twice"), "{e}");
        let e = err("[upstream]\ncalls_per_second = \"dix\"\n");
        assert!(e.contains("line 2"), "{e}");
        let e = err("[limits]\ntrusted_proxies = [\"proxy.local\"]\n");
        assert!(e.contains("line 2, limits.trusted_proxies"), "{e}");
        // Issue 25, point 12: a TTL over 1,000 years panicked in moka's builder at start.
        let e = err("[cache]\nbackend = \"memory\"\nsearch_ttl_secs = 40000000000\n");
        assert!(e.contains("line 3, cache.search_ttl_secs"), "{e}");
        let e = err("[cache]\nstale_max_age_secs = 0\n");
        assert!(e.contains("line 2, cache.stale_max_age_secs"), "{e}");
        let e = err("[upstream]\n\nbudget_wait_ms = 99999999999\n");
        assert!(e.contains("line 3, upstream.budget_wait_ms"), "{e}");
        let e = err("[limits]\nper_site_per_minute = 600\n");
        assert!(e.contains("line 2, limits.per_site_per_minute: removed"), "{e}");
    }

    /// Issue 28: a site's territory follows the search vocabulary's rules, not looser ones of
    /// its own (a commune used to be any 5 characters).
    #[test]
    fn a_site_territory_follows_the_search_vocabulary() {
        let site =
            |zone: &str| format!("[[sites]]\nkey = \"ab\"\norigins = [\"https://a.fr\"]\n{zone}\n");
        for (zone, field) in [
            ("commune = \"3523X\"", "line 4, commune"),
            ("commune = \"ABCDE\"", "line 4, commune"),
            ("commune = \"2C004\"", "line 4, commune"),
            ("epci = \"24350013\"", "line 4, epci"),
            ("departement = \"3\"", "line 4, departement"),
            ("commune = \"35238\"\nrayon = 101", "line 5, rayon"),
            ("epci = \"243500139\"\nrayon = 5", "line 5, rayon"),
        ] {
            let e = err(&site(zone));
            assert!(e.contains(field), "{zone}: {e}");
        }
        let e = err(&site("commune = \"3523X\""));
        assert!(e.contains("INSEE"), "the vocabulary's own message: {e}");
        for zone in
            ["commune = \"2A004\"", "departement = \"971\"", "commune = \"35238\"\nrayon = 0"]
        {
            parse(&site(zone), "sites.toml").unwrap();
        }
    }

    proptest::proptest! {
        #[test]
        fn lines_are_found_as_by_counting(text in "[a\n]{0,40}", offset in 0usize..45) {
            let offset = offset.min(text.len());
            let counted = text[..offset].bytes().filter(|b| *b == b'\n').count() + 1;
            proptest::prop_assert_eq!(Lines::new(&text).of(offset), counted);
        }

        #[test]
        fn no_file_content_panics(text in proptest::prelude::any::<String>()) {
            let _ = parse(&text, "f.toml");
        }

        #[test]
        fn a_damaged_line_is_reported_with_its_number(
            line in 0usize..60,
            junk in "[ -~]{0,40}",
        ) {
            let example = include_str!("../../proxy.example.toml");
            let mut lines: Vec<&str> = example.lines().collect();
            let at = line % lines.len();
            lines[at] = &junk;
            if let Err(e) = parse(&lines.join("\n"), "proxy.toml") {
                let text = e.to_string();
                proptest::prop_assert!(text.contains("proxy.toml, line "), "{}", text);
            }
        }
    }
}
