//! Who is asking: the site registry, allowed origins, client identities and the per-client limit.
//!
//! Every public route names its site with `site=<key>`. The key is public: it is pasted in the
//! host page. What protects it is the origin check: a browser always tells the truth about the
//! page that makes a cross-origin request (`Origin`, `Sec-Fetch-*`), so another website cannot
//! spend a commune's share by copying its key. Non-browser clients can forge any header; they
//! meet the per-client limit, and all traffic together meets the France Travail budget, whose
//! turns keep one site's misses from starving another's. There is deliberately no per-site
//! request limit: it would let an outsider's cheap requests (cache hits, refusals) lock a
//! commune's residents out. The decisions themselves are taken in [`crate::gate`].

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arc_swap::ArcSwap;
use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, header};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

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
    /// The pattern as a CSP source expression (`https://*.exemple.fr`, `http://127.0.0.1:*`),
    /// or `None` for an IPv6 literal host, which CSP host sources cannot express (browsers
    /// reject the whole directive's source with a console error).
    pub fn csp_source(&self) -> Option<String> {
        if self.any {
            return Some("*".to_owned());
        }
        if self.host.starts_with('[') {
            return None;
        }
        let wildcard = if self.wildcard_host { "*." } else { "" };
        let port = match self.port {
            None => ":*".to_owned(),
            Some(p) if p == default_port(&self.scheme) => String::new(),
            Some(p) => format!(":{p}"),
        };
        Some(format!("{}://{wildcard}{}{port}", self.scheme, self.host))
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

/// A registered site.
#[derive(Debug)]
pub struct Site {
    /// Its settings.
    pub config: SiteConfig,
    /// Its key, shared with the budget's queues.
    pub key: Arc<str>,
    /// Its origins as `frame-ancestors` sources (IPv6 literals left out: CSP cannot say them).
    pub frame_ancestors: String,
}

/// A client as the limits see it: a keyed, per-process hash of its address, IPv6 addresses
/// aggregated to their network prefix (one household or one server gets a /64, and rotating
/// within it gives no new identity). No address is kept in clear.
pub type ClientKey = u64;

/// The registered sites, by key.
type SiteTable = HashMap<String, Arc<Site>>;

/// The registered sites, client identities and the per-client request limit.
///
/// The site table is swapped whole on a reload ([`Access::replace_sites`]): a request reads
/// one table, old or new, never a mix, and a request that already holds its [`Site`] finishes
/// with it even when the site is removed meanwhile.
#[derive(Debug)]
pub struct Access {
    sites: ArcSwap<SiteTable>,
    per_client: DefaultKeyedRateLimiter<ClientKey>,
    trusted_proxies: Vec<IpAddr>,
    ipv6_prefix: u8,
    /// Keys client addresses for the limiter and the logs, so that no address is kept in clear.
    ip_hasher: std::collections::hash_map::RandomState,
    checks: AtomicU64,
}

fn per_minute(n: u32) -> Quota {
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(n)
}

/// How many checks pass between two prunings of a keyed limiter: forgetting the clients whose
/// allowance is whole again bounds its memory by the clients of the last minute.
pub(crate) const PRUNE_EVERY: u64 = 4096;

/// The address itself for IPv4 and IPv4-mapped IPv6 (`::ffff:a.b.c.d`, what a dual-stack
/// listener reports for IPv4 peers), so that one machine has one identity whatever the socket.
pub fn normalise(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    }
}

impl Access {
    /// The registry for `sites` with `limits`.
    pub fn new(sites: &[SiteConfig], limits: &Limits) -> Self {
        Self {
            sites: ArcSwap::from_pointee(site_table(sites)),
            per_client: RateLimiter::keyed(per_minute(limits.per_ip_per_minute)),
            trusted_proxies: limits.trusted_proxies.iter().copied().map(normalise).collect(),
            ipv6_prefix: limits.ipv6_prefix.min(128),
            ip_hasher: std::collections::hash_map::RandomState::new(),
            checks: AtomicU64::new(0),
        }
    }

    /// The site registered under `key`.
    pub fn site(&self, key: &str) -> Option<Arc<Site>> {
        self.sites.load().get(key).cloned()
    }

    /// Every registered site, in key order.
    pub fn sites(&self) -> Vec<Arc<Site>> {
        let mut sites: Vec<Arc<Site>> = self.sites.load().values().cloned().collect();
        sites.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        sites
    }

    /// Replaces the registered sites by `sites` at once, and says what changed. Requests
    /// already past the gate keep the site they hold; the next ones see the new table.
    pub fn replace_sites(&self, sites: &[SiteConfig]) -> SitesChange {
        let new = Arc::new(site_table(sites));
        let old = self.sites.swap(Arc::clone(&new));
        let mut change = SitesChange::default();
        for (key, site) in new.iter() {
            match old.get(key) {
                None => change.added.push(key.clone()),
                Some(before) if before.config != site.config => change.changed.push(key.clone()),
                Some(_) => {}
            }
        }
        change.removed = old.keys().filter(|k| !new.contains_key(*k)).cloned().collect();
        for list in [&mut change.added, &mut change.changed, &mut change.removed] {
            list.sort_unstable();
        }
        change
    }

    /// The client's address: the peer, or, when the peer is a trusted reverse proxy, the first
    /// address from the right of `X-Forwarded-For` (every line of it, in order) that is not a
    /// trusted proxy. Hops to the left of that one were written by the client and are ignored;
    /// a forwarded header from anyone but a trusted proxy is ignored.
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let mut ip = normalise(peer?);
        if !self.trusted_proxies.contains(&ip) {
            return Some(ip);
        }
        let lines: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for hop in lines.iter().rev() {
            // A hop that is no address ends the chain: the last trusted one is who we know.
            let Ok(hop) = hop.trim().parse::<IpAddr>() else { break };
            ip = normalise(hop);
            if !self.trusted_proxies.contains(&ip) {
                break;
            }
        }
        Some(ip)
    }

    /// The keyed hash of a client address, IPv6 cut to the configured prefix.
    pub fn ip_key(&self, ip: IpAddr) -> ClientKey {
        match normalise(ip) {
            IpAddr::V6(v6) => {
                let bits = u128::from(v6);
                let prefix = u32::from(self.ipv6_prefix);
                let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - prefix) };
                self.ip_hasher.hash_one((6u8, bits & mask))
            }
            IpAddr::V4(v4) => self.ip_hasher.hash_one((4u8, u32::from(v4))),
        }
    }

    /// Whether the request's socket peer is one of the trusted reverse proxies (whose
    /// forwarded headers are believed).
    pub fn from_trusted_proxy(&self, request: &Request) -> bool {
        peer(request).is_some_and(|ip| self.trusted_proxies.contains(&normalise(ip)))
    }

    /// The key of a request's client (the socket's peer, or what trusted proxies forwarded),
    /// when known.
    pub fn client_key(&self, request: &Request) -> Option<ClientKey> {
        self.client_ip(peer(request), request.headers()).map(|ip| self.ip_key(ip))
    }

    /// The registered site of a key.
    pub fn registered(&self, site: Option<&str>) -> Result<Arc<Site>, AppError> {
        let Some(key) = site.filter(|k| !k.is_empty()) else {
            return Err(AppError::Forbidden(Message::new(
                "Clé de site manquante : ajoutez l'attribut site=\"…\" à l'élément <offres-emploi>.",
                "Missing site key: add the site=\"…\" attribute to the <offres-emploi> element.",
            )));
        };
        let Some(site) = self.site(key) else {
            return Err(AppError::Forbidden(Message::new(
                format!(
                    "Clé de site inconnue : « {key} ». Vérifiez l'attribut site de l'élément <offres-emploi>."
                ),
                format!(
                    "Unknown site key \"{key}\". Check the site attribute of the <offres-emploi> element."
                ),
            )));
        };
        Ok(site)
    }

    /// Whether a request's page (`origin`, `None` when it named none) may use `site`.
    pub fn origin_allowed(site: &Site, origin: Option<&Origin>) -> Result<(), AppError> {
        let Some(origin) = origin else {
            return Err(AppError::Forbidden(Message::new(
                "Origine de la page inconnue : la recherche doit venir d'une page web autorisée pour ce site.",
                "Unknown page origin: the search must come from a web page allowed for this site.",
            )));
        };
        if site.config.origins.iter().any(|p| p.matches(origin)) {
            return Ok(());
        }
        let key = &site.config.key;
        let shown = format!("{}://{}:{}", origin.scheme, origin.host, origin.port);
        Err(AppError::Forbidden(Message::new(
            format!("Cette page ({shown}) n'est pas autorisée pour la clé de site « {key} »."),
            format!("This page ({shown}) is not allowed for the site key \"{key}\"."),
        )))
    }

    /// One request of `client` against its per-minute allowance. Every request counts, refused
    /// or not: what a client spends is its own allowance, never a commune's.
    pub fn within_client_limit(&self, client: Option<ClientKey>) -> Result<(), AppError> {
        let Some(client) = client else { return Ok(()) };
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            self.per_client.retain_recent();
        }
        self.per_client.check_key(&client).map_err(|not_until| rate_limited(&not_until))
    }

    /// Clients the per-client limiter holds now (for the memory benchmark).
    pub fn tracked_clients(&self) -> usize {
        self.per_client.len()
    }

    /// Forgets the clients whose allowance is whole again.
    pub fn prune(&self) {
        self.per_client.retain_recent();
    }
}

/// What a reload changed, by site key (each list sorted).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SitesChange {
    /// Keys registered now and not before.
    pub added: Vec<String>,
    /// Keys whose settings (origins, territory, name) changed.
    pub changed: Vec<String>,
    /// Keys no longer registered: refused from now on.
    pub removed: Vec<String>,
}

fn site_table(sites: &[SiteConfig]) -> SiteTable {
    sites
        .iter()
        .map(|s| {
            let sources: Vec<String> =
                s.origins.iter().filter_map(OriginPattern::csp_source).collect();
            let frame_ancestors =
                if sources.is_empty() { "'none'".to_owned() } else { sources.join(" ") };
            let site = Site { config: s.clone(), key: Arc::from(s.key.as_str()), frame_ancestors };
            (s.key.clone(), Arc::new(site))
        })
        .collect()
}

/// The socket's peer; tests set it with `MockConnectInfo`.
fn peer(request: &Request) -> Option<IpAddr> {
    let extensions = request.extensions();
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .or_else(|| extensions.get::<MockConnectInfo<SocketAddr>>().map(|m| m.0.ip()))
}

fn rate_limited(not_until: &governor::NotUntil<governor::clock::QuantaInstant>) -> AppError {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    let secs = u32::try_from(wait.as_secs()).unwrap_or(u32::MAX).saturating_add(1);
    AppError::RateLimited { retry_after: secs }
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
            origins: vec![
                OriginPattern::parse("https://*.saint-exemple.fr").unwrap(),
                OriginPattern::parse("http://[::1]:*").unwrap(),
            ],
            territory: None,
            report_secret: None,
        };
        Access::new(&[site], limits)
    }

    fn code(r: Result<(), AppError>) -> &'static str {
        match r {
            Ok(()) => "ok",
            Err(AppError::Forbidden(_)) => "403",
            Err(AppError::RateLimited { retry_after }) => {
                assert!(retry_after >= 1);
                "429"
            }
            Err(_) => "other",
        }
    }

    #[test]
    fn keys_and_origins_are_checked() {
        let a = access(&Limits::default());
        assert!(a.registered(None).is_err());
        assert!(a.registered(Some("")).is_err());
        assert!(a.registered(Some("autre")).is_err());
        let site = a.registered(Some("saint-exemple")).unwrap();
        let good = origin("https://www.saint-exemple.fr");
        assert_eq!(code(Access::origin_allowed(&site, Some(&good))), "ok");
        assert_eq!(code(Access::origin_allowed(&site, None)), "403");
        assert_eq!(code(Access::origin_allowed(&site, Some(&origin("https://evil.fr")))), "403");
    }

    #[test]
    fn a_reload_swaps_the_sites_and_says_what_changed() {
        let a = access(&Limits::default());
        let held = a.registered(Some("saint-exemple")).unwrap();
        let demo = SiteConfig::demo();
        let mut moved = a.site("saint-exemple").unwrap().config.clone();
        moved.origins = vec![OriginPattern::parse("https://www.ailleurs.fr").unwrap()];
        let change = a.replace_sites(&[demo.clone(), moved]);
        assert_eq!(change.added, ["demo"]);
        assert_eq!(change.changed, ["saint-exemple"]);
        assert!(change.removed.is_empty());
        // The site a request holds keeps its settings; the next request sees the new ones.
        assert_eq!(
            code(Access::origin_allowed(&held, Some(&origin("https://a.saint-exemple.fr")))),
            "ok"
        );
        let now = a.registered(Some("saint-exemple")).unwrap();
        assert_eq!(
            code(Access::origin_allowed(&now, Some(&origin("https://a.saint-exemple.fr")))),
            "403"
        );

        let change = a.replace_sites(&[demo]);
        assert_eq!((change.added.len(), change.changed.len()), (0, 0));
        assert_eq!(change.removed, ["saint-exemple"]);
        assert!(a.registered(Some("saint-exemple")).is_err(), "a removed site is refused");
        assert_eq!(a.sites().len(), 1);
    }

    #[test]
    fn each_client_has_its_own_allowance() {
        let a = access(&Limits { per_ip_per_minute: 2, ..Limits::default() });
        assert_eq!(code(a.within_client_limit(Some(1))), "ok");
        assert_eq!(code(a.within_client_limit(Some(1))), "ok");
        assert_eq!(code(a.within_client_limit(Some(1))), "429");
        assert_eq!(code(a.within_client_limit(Some(2))), "ok");
    }

    /// Issue 25, point 13: `http://[::1]:*` in `frame-ancestors` made Chromium reject the
    /// source on every plain page.
    #[test]
    fn ipv6_literal_origins_are_left_out_of_frame_ancestors() {
        let a = access(&Limits::default());
        let site = a.site("saint-exemple").unwrap();
        assert_eq!(site.frame_ancestors, "https://*.saint-exemple.fr");
        assert!(OriginPattern::parse("http://[::1]:*").unwrap().csp_source().is_none());
        let none = Access::new(
            &[SiteConfig {
                origins: vec![OriginPattern::parse("http://[::1]:8080").unwrap()],
                ..SiteConfig::demo()
            }],
            &Limits::default(),
        );
        assert_eq!(none.site("demo").unwrap().frame_ancestors, "'none'");
    }

    /// Issue 25, point 4: behind a proxy that appends its line, only the first line was read,
    /// so the client chose its own identity; IPv4-mapped peers missed `trusted_proxies`.
    #[test]
    fn forwarded_addresses_are_read_from_the_right_through_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let inner: IpAddr = "10.0.0.2".parse().unwrap();
        let a = access(&Limits { trusted_proxies: vec![proxy, inner], ..Limits::default() });
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap());
        assert_eq!(a.client_ip(Some(proxy), &headers), Some(client));
        // Two lines (HAProxy's `option forwardfor` appends one): the client wrote the first.
        let mut two = HeaderMap::new();
        two.append("x-forwarded-for", "6.6.6.6".parse().unwrap());
        two.append("x-forwarded-for", "203.0.113.9, 10.0.0.2".parse().unwrap());
        assert_eq!(a.client_ip(Some(proxy), &two), Some(client));
        // A dual-stack listener reports the proxy as ::ffff:10.0.0.1.
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(a.client_ip(Some(mapped), &headers), Some(client));
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(a.client_ip(Some(stranger), &headers), Some(stranger));
        assert_ne!(a.ip_key(client), a.ip_key(stranger));
        let mapped_client: IpAddr = "::ffff:203.0.113.9".parse().unwrap();
        assert_eq!(a.ip_key(client), a.ip_key(mapped_client));
    }

    /// Issue 25, point 4: every address of one IPv6 /64 is one client.
    #[test]
    fn ipv6_addresses_of_one_prefix_are_one_client() {
        let a = access(&Limits { per_ip_per_minute: 3, ..Limits::default() });
        let key = |s: &str| a.ip_key(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:ee:dd:cc"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        let statuses: Vec<_> = (0..5)
            .map(|i| code(a.within_client_limit(Some(key(&format!("2001:db8:1:2::{i:x}"))))))
            .collect();
        assert_eq!(statuses, ["ok", "ok", "ok", "429", "429"]);
        let wide = access(&Limits { ipv6_prefix: 48, ..Limits::default() });
        let key48 = |s: &str| wide.ip_key(s.parse().unwrap());
        assert_eq!(key48("2001:db8:1:2::1"), key48("2001:db8:1:3::1"));
    }

    #[test]
    fn the_client_limiter_forgets_clients_whose_allowance_is_whole() {
        let a = access(&Limits { per_ip_per_minute: 6000, ..Limits::default() });
        for i in 0..1000u64 {
            a.within_client_limit(Some(i)).unwrap();
        }
        assert_eq!(a.tracked_clients(), 1000);
        // One request a minute's allowance comes back in 10 ms at 6,000 a minute.
        std::thread::sleep(std::time::Duration::from_millis(30));
        a.prune();
        assert_eq!(a.tracked_clients(), 0);
    }
}
