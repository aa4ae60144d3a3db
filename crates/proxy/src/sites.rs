//! Who may use the API: the site registry, allowed origins, and per-IP and per-site limits.
//!
//! Every `/api/v1` call (except the OpenAPI document) names its site with `site=<key>`. The key is
//! public: it is pasted in the host page. What protects it is the origin check: a browser always
//! tells the truth about the page that makes a cross-origin request (`Origin`), so another website
//! cannot spend a commune's share by copying its key. Non-browser clients can forge any header;
//! they meet the per-IP limit, and all traffic together meets the France Travail budget.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use emploi_types::recherche::Zone;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::AppState;
use crate::config::{Limits, SiteConfig};
use crate::error::{AppError, Message};

/// An allowed origin: `https://www.exemple.fr`, `https://*.exemple.fr` (any sub-domain),
/// `http://127.0.0.1:*` (any port), or `*` (any origin: development only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginPattern {
    scheme: String,
    /// Host, lower case, without the `*.` of a wildcard.
    host: String,
    wildcard_host: bool,
    /// `None` for any port.
    port: Option<u16>,
    any: bool,
}

impl OriginPattern {
    /// The pattern as a CSP source expression (`https://*.exemple.fr`, `http://127.0.0.1:*`).
    pub fn csp_source(&self) -> String {
        if self.any {
            return "*".to_owned();
        }
        let wildcard = if self.wildcard_host { "*." } else { "" };
        let port = match self.port {
            None => ":*".to_owned(),
            Some(p) if p == default_port(&self.scheme) => String::new(),
            Some(p) => format!(":{p}"),
        };
        format!("{}://{wildcard}{}{port}", self.scheme, self.host)
    }

    /// Parses a pattern, or says what is wrong with it.
    pub fn parse(pattern: &str) -> Result<Self, String> {
        let pattern = pattern.trim();
        if pattern == "*" {
            return Ok(Self {
                scheme: String::new(),
                host: String::new(),
                wildcard_host: false,
                port: None,
                any: true,
            });
        }
        let explain = |what: &str| {
            format!(
                "{pattern:?} {what}; expected an origin such as https://www.exemple.fr, \
                 https://*.exemple.fr or http://127.0.0.1:*"
            )
        };
        let (scheme, rest) = pattern.split_once("://").ok_or_else(|| explain("has no scheme"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(explain("is not http or https"));
        }
        if rest.contains('/') || rest.contains('?') || rest.contains('#') {
            return Err(explain("has a path"));
        }
        let (host, port) = split_host_port(rest).ok_or_else(|| explain("has an invalid port"))?;
        let port = match port {
            Some("*") => None,
            Some(p) => Some(p.parse::<u16>().map_err(|_| explain("has an invalid port"))?),
            None => Some(default_port(&scheme)),
        };
        let host = host.to_ascii_lowercase();
        let (wildcard_host, host) = match host.strip_prefix("*.") {
            Some(h) => (true, h.to_owned()),
            None => (false, host),
        };
        let valid = !host.is_empty()
            && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
        if !valid {
            return Err(explain("has an invalid host"));
        }
        Ok(Self { scheme, host, wildcard_host, port, any: false })
    }

    /// Whether the serialized origin `origin` (`scheme://host[:port]`) is allowed.
    pub fn matches(&self, origin: &Origin) -> bool {
        if self.any {
            return true;
        }
        if self.scheme != origin.scheme || self.port.is_some_and(|p| p != origin.port) {
            return false;
        }
        if self.wildcard_host {
            origin
                .host
                .strip_suffix(&self.host)
                .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.'))
        } else {
            origin.host == self.host
        }
    }
}

/// The origin of a request's page, from `Origin` or, for same-origin requests that carry none,
/// from `Referer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// Parses `scheme://host[:port]` (anything after the authority is ignored).
    pub fn parse(url: &str) -> Option<Self> {
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return None;
        }
        let authority = rest.split(['/', '?', '#']).next()?;
        if authority.contains('@') {
            return None;
        }
        let (host, port) = split_host_port(authority)?;
        let port = match port {
            Some(p) => p.parse().ok()?,
            None => default_port(&scheme),
        };
        let host = host.to_ascii_lowercase();
        if host.is_empty() {
            return None;
        }
        Some(Self { scheme, host, port })
    }

    /// The request's origin, if it names one.
    pub fn of(headers: &HeaderMap) -> Option<Self> {
        if let Some(origin) = headers.get(header::ORIGIN) {
            // "null" (sandboxed frames, file: pages) is an origin no site can allow.
            return origin.to_str().ok().and_then(Self::parse);
        }
        headers.get(header::REFERER).and_then(|r| r.to_str().ok()).and_then(Self::parse)
    }
}

fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        return match rest {
            "" => Some((host, None)),
            _ => rest.strip_prefix(':').map(|p| (host, Some(p))),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host, Some(port))),
        None => Some((authority, None)),
    }
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "https" { 443 } else { 80 }
}

/// A site's default territory, used when a search names none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultTerritory {
    /// `commune`, `epci` or `departement`.
    pub param: &'static str,
    /// The code.
    pub code: String,
    /// Radius around a commune.
    pub rayon: Option<u32>,
}

impl DefaultTerritory {
    /// The territory it stands for.
    pub fn zone(&self) -> Zone {
        let code = Some(self.code.clone());
        match self.param {
            "commune" => Zone { commune: code, rayon: self.rayon, ..Zone::default() },
            "epci" => Zone { epci: code, ..Zone::default() },
            _ => Zone { departement: code, ..Zone::default() },
        }
    }
}

/// A registered site, with its own limiter.
#[derive(Debug)]
pub struct Site {
    /// Its settings.
    pub config: SiteConfig,
    /// Its key, shared with the budget's queues.
    pub key: Arc<str>,
    limiter: DefaultDirectRateLimiter,
}

/// The registered sites and the limiters of the API.
#[derive(Debug)]
pub struct Access {
    sites: HashMap<String, Arc<Site>>,
    per_ip: DefaultKeyedRateLimiter<u64>,
    trusted_proxies: Vec<IpAddr>,
    /// Keys client IPs for the limiter and the logs, so that no IP is kept in clear.
    ip_hasher: std::collections::hash_map::RandomState,
    checks: AtomicU64,
}

fn per_minute(n: u32) -> Quota {
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(n)
}

impl Access {
    /// The registry for `sites` with `limits`.
    pub fn new(sites: &[SiteConfig], limits: &Limits) -> Self {
        let sites = sites
            .iter()
            .map(|s| {
                let quota = per_minute(s.per_minute.unwrap_or(limits.per_site_per_minute));
                let site = Site {
                    config: s.clone(),
                    key: Arc::from(s.key.as_str()),
                    limiter: RateLimiter::direct(quota),
                };
                (s.key.clone(), Arc::new(site))
            })
            .collect();
        Self {
            sites,
            per_ip: RateLimiter::keyed(per_minute(limits.per_ip_per_minute)),
            trusted_proxies: limits.trusted_proxies.clone(),
            ip_hasher: std::collections::hash_map::RandomState::new(),
            checks: AtomicU64::new(0),
        }
    }

    /// The site registered under `key`.
    pub fn site(&self, key: &str) -> Option<&Arc<Site>> {
        self.sites.get(key)
    }

    /// The client's address: the peer, or the last `X-Forwarded-For` hop when the peer is a
    /// trusted reverse proxy. A forwarded header from anyone else is ignored.
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusted_proxies.contains(&peer) {
            return Some(peer);
        }
        headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|ip| ip.trim().parse().ok())
            .or(Some(peer))
    }

    /// A keyed, per-process hash of an IP: what the limiter and the logs keep.
    pub fn ip_key(&self, ip: IpAddr) -> u64 {
        self.ip_hasher.hash_one(ip)
    }

    /// The keyed hash of a request's client address (the socket's peer, or what a trusted
    /// proxy forwarded), when known.
    pub fn client_key(&self, request: &Request) -> Option<u64> {
        // The socket's peer; tests set it with `MockConnectInfo`.
        let extensions = request.extensions();
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .or_else(|| extensions.get::<MockConnectInfo<SocketAddr>>().map(|m| m.0.ip()));
        self.client_ip(peer, request.headers()).map(|ip| self.ip_key(ip))
    }

    /// Checks one request: site key, origin, then the per-IP and per-site limits.
    pub fn check(
        &self,
        site: Option<&str>,
        origin: Option<&Origin>,
        ip_key: Option<u64>,
    ) -> Result<Arc<Site>, AppError> {
        let site = self.registered(site)?;
        let Some(origin) = origin else {
            return Err(AppError::Forbidden(Message::new(
                "Origine de la page inconnue : la recherche doit venir d'une page web autorisée pour ce site.",
                "Unknown page origin: the search must come from a web page allowed for this site.",
            )));
        };
        if !site.config.origins.iter().any(|p| p.matches(origin)) {
            let key = &site.config.key;
            let shown = format!("{}://{}:{}", origin.scheme, origin.host, origin.port);
            return Err(AppError::Forbidden(Message::new(
                format!("Cette page ({shown}) n'est pas autorisée pour la clé de site « {key} »."),
                format!("This page ({shown}) is not allowed for the site key \"{key}\"."),
            )));
        }
        self.within_limits(site, ip_key)
    }

    /// Checks a request for one of the widget's own pages (`/offres…`), which browsers load
    /// without an `Origin` (a link, an iframe): a registered site key, then the limits. Framing
    /// by other sites is refused by the page's `frame-ancestors` instead.
    pub fn check_page(
        &self,
        site: Option<&str>,
        ip_key: Option<u64>,
    ) -> Result<Arc<Site>, AppError> {
        let site = self.registered(site)?;
        self.within_limits(site, ip_key)
    }

    /// The registered site of a key.
    fn registered(&self, site: Option<&str>) -> Result<Arc<Site>, AppError> {
        let Some(key) = site.filter(|k| !k.is_empty()) else {
            return Err(AppError::Forbidden(Message::new(
                "Clé de site manquante : ajoutez l'attribut site=\"…\" à l'élément <offres-emploi>.",
                "Missing site key: add the site=\"…\" attribute to the <offres-emploi> element.",
            )));
        };
        let Some(site) = self.sites.get(key) else {
            return Err(AppError::Forbidden(Message::new(
                format!(
                    "Clé de site inconnue : « {key} ». Vérifiez l'attribut site de l'élément <offres-emploi>."
                ),
                format!(
                    "Unknown site key \"{key}\". Check the site attribute of the <offres-emploi> element."
                ),
            )));
        };
        Ok(Arc::clone(site))
    }

    /// The per-IP and per-site limits.
    fn within_limits(&self, site: Arc<Site>, ip_key: Option<u64>) -> Result<Arc<Site>, AppError> {
        if let Some(ip) = ip_key {
            if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
                self.per_ip.retain_recent();
            }
            self.per_ip.check_key(&ip).map_err(|not_until| rate_limited(&not_until))?;
        }
        site.limiter.check().map_err(|not_until| rate_limited(&not_until))?;
        Ok(site)
    }
}

fn rate_limited(not_until: &governor::NotUntil<governor::clock::QuantaInstant>) -> AppError {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    let secs = u32::try_from(wait.as_secs()).unwrap_or(u32::MAX).saturating_add(1);
    AppError::RateLimited { retry_after: secs }
}

/// Middleware on the guarded API routes: refuses what [`Access::check`] refuses and hands the
/// site to the handler as an extension.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    // One pass over the query: the site key, and `sonde=1`, which marks the widget's optional
    // suggestions (they only use spare France Travail capacity).
    let (mut site_key, mut spare) = (None, false);
    for (k, v) in form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes()) {
        match &*k {
            "site" if site_key.is_none() => site_key = Some(v.into_owned()),
            "sonde" => spare |= v == "1",
            _ => {}
        }
    }
    let access = &state.access;
    let ip_key = access.client_key(&request);
    let origin = Origin::of(request.headers());
    match access.check(site_key.as_deref(), origin.as_ref(), ip_key) {
        Ok(site) => {
            tracing::Span::current().record("site", site.config.key.as_str());
            if let Some(ip) = ip_key {
                tracing::Span::current().record("client", format!("{ip:016x}"));
            }
            // Calls to France Travail made for this request are counted for this site and
            // client (the budget's turns and per-client share).
            let caller = crate::upstream::Caller {
                site: Arc::clone(&site.key),
                client: ip_key,
                class: if spare {
                    crate::upstream::Class::Spare
                } else {
                    crate::upstream::Class::Resident
                },
            };
            request.extensions_mut().insert(site);
            caller.scope(next.run(request)).await
        }
        Err(e) => {
            state.metrics.refused(&e);
            e.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(s: &str) -> Origin {
        Origin::parse(s).unwrap()
    }

    #[test]
    fn origin_patterns_match_exactly_by_subdomain_or_any_port() {
        let exact = OriginPattern::parse("https://www.saint-exemple.fr").unwrap();
        assert!(exact.matches(&origin("https://www.saint-exemple.fr")));
        assert!(exact.matches(&origin("https://WWW.saint-exemple.fr:443")));
        assert!(!exact.matches(&origin("http://www.saint-exemple.fr")));
        assert!(!exact.matches(&origin("https://www.saint-exemple.fr:8443")));
        assert!(!exact.matches(&origin("https://www.saint-exemple.fr.evil.com")));

        let sub = OriginPattern::parse("https://*.saint-exemple.fr").unwrap();
        assert!(sub.matches(&origin("https://mairie.saint-exemple.fr")));
        assert!(sub.matches(&origin("https://a.b.saint-exemple.fr")));
        assert!(!sub.matches(&origin("https://saint-exemple.fr")));
        assert!(!sub.matches(&origin("https://evilsaint-exemple.fr")));

        let port = OriginPattern::parse("http://127.0.0.1:*").unwrap();
        assert!(port.matches(&origin("http://127.0.0.1:5173")));
        assert!(port.matches(&origin("http://127.0.0.1")));
        assert!(!port.matches(&origin("http://127.0.0.2:5173")));

        let v6 = OriginPattern::parse("http://[::1]:*").unwrap();
        assert!(v6.matches(&origin("http://[::1]:8080/page.html")));
        assert!(OriginPattern::parse("*").unwrap().matches(&origin("https://x.y")));
    }

    #[test]
    fn bad_patterns_and_origins_are_refused() {
        for bad in [
            "www.exemple.fr",
            "ftp://exemple.fr",
            "https://exemple.fr/path",
            "https://:80",
            "https://a.fr:port",
        ] {
            assert!(OriginPattern::parse(bad).is_err(), "{bad}");
        }
        for bad in ["null", "file:///etc/passwd", "https://user@evil.com", "javascript:alert(1)"] {
            assert!(Origin::parse(bad).is_none(), "{bad}");
        }
    }

    fn access(limits: &Limits) -> Access {
        let site = SiteConfig {
            line: 1,
            key: "saint-exemple".into(),
            name: None,
            origins: vec![OriginPattern::parse("https://*.saint-exemple.fr").unwrap()],
            territory: None,
            per_minute: Some(3),
        };
        Access::new(&[site], limits)
    }

    #[test]
    fn keys_origins_and_limits_are_checked_in_order() {
        let a = access(&Limits { per_ip_per_minute: 2, ..Limits::default() });
        let good = origin("https://www.saint-exemple.fr");
        let code = |r: Result<Arc<Site>, AppError>| match r {
            Ok(_) => "ok",
            Err(AppError::Forbidden(_)) => "403",
            Err(AppError::RateLimited { retry_after }) => {
                assert!(retry_after >= 1);
                "429"
            }
            Err(_) => "other",
        };
        assert_eq!(code(a.check(None, Some(&good), None)), "403");
        assert_eq!(code(a.check(Some("autre"), Some(&good), None)), "403");
        assert_eq!(code(a.check(Some("saint-exemple"), None, None)), "403");
        assert_eq!(
            code(a.check(Some("saint-exemple"), Some(&origin("https://evil.fr")), None)),
            "403"
        );
        // Per IP: 2 a minute.
        assert_eq!(code(a.check(Some("saint-exemple"), Some(&good), Some(1))), "ok");
        assert_eq!(code(a.check(Some("saint-exemple"), Some(&good), Some(1))), "ok");
        assert_eq!(code(a.check(Some("saint-exemple"), Some(&good), Some(1))), "429");
        // Per site: 3 a minute, whatever the IP.
        assert_eq!(code(a.check(Some("saint-exemple"), Some(&good), Some(2))), "ok");
        assert_eq!(code(a.check(Some("saint-exemple"), Some(&good), Some(3))), "429");
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let a = access(&Limits { trusted_proxies: vec![proxy], ..Limits::default() });
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap());
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(a.client_ip(Some(proxy), &headers), Some(client));
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(a.client_ip(Some(stranger), &headers), Some(stranger));
        assert_ne!(a.ip_key(client), a.ip_key(stranger));
    }
}
