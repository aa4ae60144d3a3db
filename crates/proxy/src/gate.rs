//! The one access gate: for every public route that names a site, it decides who may ask for
//! what, before any work, and runs the handler as that caller.
//!
//! Each route declares its [`Gate`]. The gate then checks, in this order, stopping at the first
//! refusal (which costs no France Travail call and no render):
//! 1. **One value per setting.** `site` and every element setting given twice is a 400, so that
//!    the key that is checked is the key that is served (a repeated `site` used to check one
//!    commune and cache under another's name).
//! 2. **The client's allowance** (`limits.per_ip_per_minute`): every request counts, refused
//!    ones included. What a client spends is its own allowance, never the commune's: there is no
//!    per-site request limit an outsider could exhaust.
//! 3. **The site key** is registered.
//! 4. **Who is asking**, by route kind:
//!    - [`Gate::Api`]: the page's `Origin` (or, same-origin, its `Referer`) is one of the site's.
//!    - [`Gate::Page`], [`Gate::Apply`]: pages for people. Browsers say what a request is for
//!      (Fetch Metadata): a top-level navigation (a link, a bookmark, a form) is welcome from
//!      anywhere; a frame must be embedded by one of the site's pages (its `Referer`); anything
//!      else fetched by another site (an image, a script, a style, a `fetch`) is refused.
//!      Clients that send no fetch metadata (old browsers, scripts) pass, within their allowance.
//!    - [`Gate::Feed`]: as a page, and a browser's `fetch` must come from one of the site's
//!      pages (`Origin`), as for the API. Feed readers send neither and pass.
//!    - [`Gate::Report`]: whoever knows the site's report secret (HTTP Basic authentication,
//!      the password), from anywhere; never the public site key alone. A site without a secret
//!      has no report.
//!
//! Then the handler runs inside a [`Caller`] scope (site, client, budget class), so that every
//! France Travail call it causes, however deep in the caches, takes that site's turn and that
//! client's share. This is the only place that sets it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::{AppError, Message};
use crate::sites::{Access, ClientKey, Origin, Site};
use crate::upstream::{Caller, Class};

/// What kind of route a request is for: the gate's rules differ by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// The widget's API (`/api/v1/search`, `/vue`, `/offres/{id}`, `/marche`, `/lieux`,
    /// `/metiers`): a page of the site, by its `Origin`.
    Api,
    /// The plain pages (`/offres…`): navigations and the site's own frames.
    Page,
    /// The Atom feed: feed readers, navigations, and the site's own pages.
    Feed,
    /// "Postuler": a link a resident follows.
    Apply,
    /// A site's usage report (`/rapport`): the town hall, by the site's report secret.
    Report,
}

/// The site and client the gate let through (handlers read the site as an extension).
#[derive(Debug, Clone)]
struct Admitted {
    site: Arc<Site>,
    client: Option<ClientKey>,
}

/// Middleware: admits or refuses one request for `gate`'s kind of route.
pub async fn admit(
    State((state, gate)): State<(AppState, Gate)>,
    mut request: Request,
    next: Next,
) -> Response {
    match check(&state, gate, &request) {
        Ok((admitted, class)) => {
            let span = tracing::Span::current();
            span.record("site", admitted.site.config.key.as_str());
            if let Some(client) = admitted.client {
                span.record("client", tracing::field::display(format_args!("{client:016x}")));
            }
            let caller =
                Caller { site: Arc::clone(&admitted.site.key), client: admitted.client, class };
            request.extensions_mut().insert(admitted.site);
            caller.scope(next.run(request)).await
        }
        Err(e) => {
            state.metrics.refused(&e);
            match gate {
                Gate::Page => crate::routes::pages::refused(request.uri().query(), &e),
                Gate::Report => {
                    crate::routes::report::refused(request.uri().query(), request.headers(), &e)
                }
                Gate::Api | Gate::Feed | Gate::Apply => e.into_response(),
            }
        }
    }
}

/// The gate's decision for `request`: who it is for and how it may use the budget.
fn check(state: &AppState, gate: Gate, request: &Request) -> Result<(Admitted, Class), AppError> {
    let settings = Settings::read(request.uri().query())?;
    let access = &state.access;
    let client = access.client_key(request);
    access.within_client_limit(client)?;
    let site = access.registered(settings.site.as_deref())?;
    let headers = request.headers();
    match gate {
        Gate::Api => Access::origin_allowed(&site, Origin::of(headers).as_ref())?,
        Gate::Page | Gate::Apply => for_people(&site, headers, false)?,
        Gate::Feed => for_people(&site, headers, true)?,
        Gate::Report => with_report_secret(&site, headers)?,
    }
    // The widget's optional suggestions (`sonde=1`) only use spare France Travail capacity.
    let class = if gate == Gate::Api && settings.spare { Class::Spare } else { Class::Resident };
    Ok((Admitted { site, client }, class))
}

/// What the gate reads of a query: the site key and the spare-capacity mark.
struct Settings {
    site: Option<String>,
    spare: bool,
}

impl Settings {
    /// Reads `query`, refusing a repeated `site` or element setting (400, naming it).
    fn read(query: Option<&str>) -> Result<Self, AppError> {
        // One bit per element attribute seen (there are fewer than 64).
        let mut seen = 0u64;
        let (mut site, mut spare) = (None, false);
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if key == "sonde" {
                spare |= value == "1";
            }
            let Some(index) = emploi_types::recherche::element_attributes().position(|a| a == key)
            else {
                continue;
            };
            let bit = 1u64 << (index % 64);
            if seen & bit != 0 {
                return Err(AppError::bad_request(
                    &key,
                    format!(
                        "Le paramètre « {key} » est donné deux fois : une seule valeur est permise."
                    ),
                    format!("The parameter \"{key}\" is given twice: one value only is allowed."),
                ));
            }
            if key == "site" {
                site = Some(value.into_owned());
            }
            seen |= bit;
        }
        Ok(Self { site, spare })
    }
}

/// Whether a report request gives the site's report secret, as the password of HTTP Basic
/// authentication (the user name is not checked: browsers ask for one).
fn with_report_secret(site: &Site, headers: &HeaderMap) -> Result<(), AppError> {
    use base64::Engine as _;
    let Some(secret) = &site.config.report_secret else {
        return Err(AppError::NotFound(Message::new(
            "Aucun rapport d'usage n'est configuré pour ce site : demandez à l'opérateur du service d'ajouter report_secret à sa configuration.",
            "No usage report is set up for this site: ask the service's operator to add report_secret to its configuration.",
        )));
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok());
    let password = given.as_deref().and_then(|pair| pair.split_once(':')).map(|(_, p)| p);
    match password {
        Some(p) if secret.matches(p) => Ok(()),
        _ => Err(AppError::Unauthorized(Message::new(
            "Ce rapport demande le mot de passe de rapport du site (report_secret), que l'opérateur du service vous a donné.",
            "This report needs the site's report password (report_secret), which the service's operator gave you.",
        ))),
    }
}

/// Whether a page, feed or "Postuler" request is a person's, by the browser's Fetch Metadata:
/// a navigation, or a frame of one of the site's pages (or, for a feed, a `fetch` from one).
fn for_people(site: &Site, headers: &HeaderMap, feed: bool) -> Result<(), AppError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    // A browser's `fetch` of the feed names its page: it must be one of the site's.
    if feed && headers.contains_key(axum::http::header::ORIGIN) {
        return Access::origin_allowed(site, Origin::of(headers).as_ref());
    }
    let from = header("sec-fetch-site");
    // No metadata (feed readers, old browsers, scripts), the proxy's own pages, or a URL the
    // person typed or bookmarked.
    if matches!(from, None | Some("same-origin" | "none")) {
        return Ok(());
    }
    match header("sec-fetch-dest").unwrap_or("") {
        "document" => Ok(()),
        "iframe" | "frame" => {
            let embedder = headers
                .get(axum::http::header::REFERER)
                .and_then(|r| r.to_str().ok())
                .and_then(Origin::parse);
            Access::origin_allowed(site, embedder.as_ref()).map_err(|_| {
                AppError::Forbidden(Message::new(
                    "Cette page ne peut être intégrée (iframe) que par les pages du site enregistrées pour sa clé.",
                    "This page can only be framed by the pages registered for its site key.",
                ))
            })
        }
        "empty" if feed => Access::origin_allowed(site, Origin::of(headers).as_ref()),
        dest => {
            let dest = if dest.is_empty() { "?" } else { dest };
            Err(AppError::Forbidden(Message::new(
                format!(
                    "Cette adresse est une page à ouvrir, pas une ressource ({dest}) qu'un autre site peut charger."
                ),
                format!(
                    "This address is a page to open, not a resource ({dest}) another site may load."
                ),
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_site_or_setting_is_refused_and_others_pass() {
        let bad = |q: &str| Settings::read(Some(q)).err().map(|e| e.status().as_u16());
        assert_eq!(bad("site=a&site=b"), Some(400));
        assert_eq!(bad("site=a&commune=35238&commune=29019"), Some(400));
        assert_eq!(bad("site=a&titre=x&titre=y"), Some(400));
        // Deep-link and form names: each tick of a contract box is one `types_contrat`.
        assert_eq!(bad("site=a&types_contrat=CDI&types_contrat=CDD"), None);
        let s = Settings::read(Some("site=ville&sonde=1")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.site.as_deref(), Some("ville"));
        assert!(s.spare);
    }
}
