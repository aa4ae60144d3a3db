//! The HTTP calls to France Travail: search and detail, with the outbound call budget, one retry
//! on 401, `Retry-After` on 429, backoff with jitter on 5xx and timeouts, all inside one deadline,
//! behind a circuit breaker.

use std::sync::Arc;
use std::time::{Duration, Instant};

use emploi_types::ft::evenements::{CriteresEvenements, PageEvenements};
use emploi_types::ft::marche::{CritereIndicateur, Indicateur, IndicateurRetour};
use emploi_types::ft::{CodeLibelle, ErreurApi, Offre};
use rand::Rng;
use reqwest::StatusCode;
use secrecy::ExposeSecret;

use super::budget::Budget;
use super::circuit::{Change, Circuit, CircuitState, Permit};
use super::shared::SharedStore;
use super::token::TokenState;
use super::{Cartes, SearchPage, TokenProvider, UpstreamError};
use crate::config::FranceTravailConfig;
use crate::metrics::Metrics;
use crate::spare::Spare;

/// Attempts per call on 5xx and timeouts (the first included).
const MAX_ATTEMPTS: u32 = 3;

/// Client for the France Travail API.
#[derive(Debug)]
pub struct FtClient {
    http: reqwest::Client,
    api_base: String,
    /// The gateway's root (`…/partenaire`), under which the other APIs are.
    gateway: String,
    tokens: TokenProvider,
    budget: Budget,
    circuit: Circuit,
    deadline: Duration,
    metrics: Arc<Metrics>,
    /// When the last call to France Travail ended, and whether it went well.
    last_call: std::sync::Mutex<Option<(Instant, bool)>>,
}

/// France Travail's state as this instance sees it, read without any call: the operations
/// listener's `/healthz` and the metrics report it. It is not the instance's readiness: an
/// instance serves its files, pages and stale answers whatever France Travail's state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UpstreamHealth {
    /// Whether France Travail looks usable: the circuit is not open and the last token request
    /// did not fail.
    pub up: bool,
    /// `closed`, `open` or `half_open`.
    pub circuit: &'static str,
    /// `valid`, `absent` (none yet: the next search fetches one) or `failing`.
    pub token: &'static str,
    /// The last call to France Travail, if any.
    pub last_call: Option<LastCall>,
}

/// The outcome of the last call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LastCall {
    /// France Travail answered (or rate-limited us), rather than failing.
    pub ok: bool,
    /// Seconds since it ended.
    pub age_secs: u64,
}

/// How the client spends France Travail's patience.
#[derive(Debug)]
pub struct ClientPolicy {
    /// The outbound call budget.
    pub budget: Budget,
    /// Total time of one call, retries included.
    pub deadline: Duration,
    /// The circuit breaker.
    pub circuit: Circuit,
}

enum Attempt<T> {
    Done(T),
    Retry { after: Duration, error: UpstreamError },
    Fail(UpstreamError),
}

impl FtClient {
    /// A client for `config` under `policy`; with `shared`, the token is shared through Redis.
    pub fn new(
        config: FranceTravailConfig,
        policy: ClientPolicy,
        metrics: Arc<Metrics>,
        shared: Option<SharedStore>,
    ) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(policy.deadline)
            .user_agent(concat!("emploi-proxy/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        // The other APIs sit beside the offers' on the same gateway.
        let gateway = config
            .api_base
            .strip_suffix("/offresdemploi/v2")
            .unwrap_or(&config.api_base)
            .to_owned();
        Self {
            api_base: config.api_base.clone(),
            gateway,
            tokens: TokenProvider::new(http.clone(), config, shared),
            http,
            budget: policy.budget,
            circuit: policy.circuit,
            deadline: policy.deadline,
            metrics,
            last_call: std::sync::Mutex::new(None),
        }
    }

    /// The total time of one call, retries included.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// `GET /offres/search` with already validated parameters; each offer read as a card.
    pub async fn search(&self, query: &[(String, String)]) -> Result<SearchPage, UpstreamError> {
        let url = format!("{}/offres/search", self.api_base);
        self.call("search", Req::get(&url, query), |status, headers, body| match status {
            StatusCode::OK | StatusCode::PARTIAL_CONTENT => {
                // Checked as UTF-8 once, whole: read from a `&[u8]`, serde_json checks each
                // string it borrows on its own, which made up a quarter of the parse (a 150-offer
                // window: 705 -> 560 µs, medians).
                let text = std::str::from_utf8(body)
                    .map_err(|e| UpstreamError::Decode(format!("search: {e}")))?;
                let result: Cartes = serde_json::from_str(text)
                    .map_err(|e| UpstreamError::Decode(format!("search: {e}")))?;
                let total = headers
                    .get(reqwest::header::CONTENT_RANGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_content_range_total)
                    .unwrap_or(u32::try_from(result.resultats.len()).unwrap_or(0));
                Ok(SearchPage { result, total })
            }
            StatusCode::NO_CONTENT => {
                let total = headers
                    .get(reqwest::header::CONTENT_RANGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_content_range_total)
                    .unwrap_or(0);
                Ok(SearchPage { result: Cartes::default(), total })
            }
            other => Err(UpstreamError::Unavailable(format!("search answered {other}"))),
        })
        .await
    }

    /// `GET /offres/{id}`; `None` for an unknown offer (204, or 404 from older gateways).
    pub async fn offer(&self, id: &str) -> Result<Option<Offre>, UpstreamError> {
        let url = format!("{}/offres/{id}", self.api_base);
        self.call("detail", Req::get(&url, &[]), |status, _, body| match status {
            StatusCode::OK => serde_json::from_slice(body)
                .map(Some)
                .map_err(|e| UpstreamError::Decode(format!("offer: {e}"))),
            StatusCode::NO_CONTENT | StatusCode::NOT_FOUND => Ok(None),
            other => Err(UpstreamError::Unavailable(format!("offer answered {other}"))),
        })
        .await
    }

    /// `GET /referentiel/{name}`: a list of `{code, libelle}`.
    pub async fn referential(&self, name: &str) -> Result<Vec<CodeLibelle>, UpstreamError> {
        let url = format!("{}/referentiel/{name}", self.api_base);
        self.call("referential", Req::get(&url, &[]), |status, _, body| match status {
            StatusCode::OK => serde_json::from_slice(body)
                .map_err(|e| UpstreamError::Decode(format!("referential: {e}"))),
            other => Err(UpstreamError::Unavailable(format!("referential answered {other}"))),
        })
        .await
    }

    /// `POST /evenements/v1/mee/evenements`: one page (from 0, up to 100 events) of the events
    /// matching `criteres`.
    pub async fn evenements(
        &self,
        criteres: &CriteresEvenements,
        page: u32,
        size: u32,
    ) -> Result<PageEvenements, UpstreamError> {
        let url = format!("{}/evenements/v1/mee/evenements", self.gateway);
        let query = [
            ("page".to_owned(), page.to_string()),
            ("size".to_owned(), size.to_string()),
            ("sort".to_owned(), "dateEvenement,asc".to_owned()),
        ];
        let body = serde_json::to_vec(criteres).unwrap_or_default();
        self.call("events", Req::post(&url, &query, &body), |status, _, body| match status {
            StatusCode::OK => serde_json::from_slice(body)
                .map_err(|e| UpstreamError::Decode(format!("events: {e}"))),
            // An empty answer is possible (spec A3): no event.
            StatusCode::NO_CONTENT => Ok(PageEvenements::default()),
            other => Err(UpstreamError::Unavailable(format!("events answered {other}"))),
        })
        .await
    }

    /// `POST /stats-offres-demandes-emploi/v1/indicateur/{path}` with `criteres`, in JSON.
    pub async fn indicateur(
        &self,
        indicateur: Indicateur,
        criteres: &CritereIndicateur,
    ) -> Result<IndicateurRetour, UpstreamError> {
        let url = format!(
            "{}/stats-offres-demandes-emploi/v1/indicateur/{}",
            self.gateway, indicateur.chemin
        );
        let body = serde_json::to_vec(criteres).unwrap_or_default();
        self.call("indicator", Req::post(&url, &[], &body), |status, _, body| match status {
            StatusCode::OK => serde_json::from_slice(body)
                .map_err(|e| UpstreamError::Decode(format!("indicator: {e}"))),
            // One client met "no data" as a 404 (spec B7): an answer without rows.
            StatusCode::NOT_FOUND => Ok(IndicateurRetour {
                code_indicateur: indicateur.code.to_owned(),
                ..IndicateurRetour::default()
            }),
            other => Err(UpstreamError::Unavailable(format!("indicator answered {other}"))),
        })
        .await
    }

    /// Which of the events and labour-market APIs the credentials reach: one small call each
    /// (a one-event page; the référentiel of France's territory), made once at start.
    pub async fn apis(&self) -> Apis {
        let evenements = self.evenements(&CriteresEvenements::default(), 0, 1).await;
        let url =
            format!("{}/stats-offres-demandes-emploi/v1/referentiel/territoires/NAT", self.gateway);
        let marche = self
            .call("indicator", Req::get(&url, &[]), |status, _, _| match status {
                StatusCode::OK => Ok(()),
                other => Err(UpstreamError::Unavailable(format!("referential answered {other}"))),
            })
            .await;
        Apis { evenements: reach(evenements), marche: reach(marche) }
    }

    /// France Travail's state, read from the token, the circuit and the last call: it costs
    /// France Travail nothing, however often it is asked.
    pub fn health(&self) -> UpstreamHealth {
        let circuit = self.circuit.state();
        let token = self.tokens.state();
        let last_call = self
            .last_call
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .map(|(at, ok)| LastCall { ok, age_secs: at.elapsed().as_secs() });
        UpstreamHealth {
            up: circuit != CircuitState::Open && token != TokenState::Failing,
            circuit: circuit.name(),
            token: token.name(),
            last_call,
        }
    }

    /// Fetches the token once, at start-up: the log then says whether the credentials work,
    /// and readiness knows it before the first search.
    pub async fn warm_up(&self) -> Result<(), UpstreamError> {
        self.tokens.token().await.map(|_| ())
    }

    fn record<T>(&self, result: &Result<T, UpstreamError>) {
        let ok = !matches!(result, Err(UpstreamError::Unavailable(_) | UpstreamError::Decode(_)));
        *self.last_call.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some((Instant::now(), ok));
    }

    async fn call<T>(
        &self,
        endpoint: &'static str,
        req: Req<'_>,
        decode: impl Fn(StatusCode, &reqwest::header::HeaderMap, &[u8]) -> Result<T, UpstreamError>,
    ) -> Result<T, UpstreamError> {
        let ticket = match self.circuit.permit() {
            Permit::Go(ticket) => ticket,
            Permit::Wait(_) => {
                self.metrics.upstream_call(endpoint, "circuit_open");
                return Err(UpstreamError::Unavailable("circuit open".into()));
            }
        };
        // If this future is dropped here (the resident went away), the ticket's drop hands a
        // probe over to the next call.
        let result = self.call_with_retries(endpoint, req, decode).await;
        self.record(&result);
        let change = match &result {
            Ok(_) | Err(UpstreamError::Rejected(_) | UpstreamError::Forbidden) => ticket.success(),
            Err(UpstreamError::Unavailable(_) | UpstreamError::Decode(_)) => ticket.failure(),
            Err(UpstreamError::RateLimited(_) | UpstreamError::CallerOverBudget(_)) => {
                ticket.inconclusive();
                Change::None
            }
        };
        match change {
            Change::None => {}
            Change::Opened => {
                self.metrics.circuit(true);
                tracing::warn!("France Travail keeps failing: circuit open, calls paused");
            }
            Change::Closed => {
                self.metrics.circuit(false);
                tracing::info!("France Travail answers again: circuit closed");
            }
        }
        result
    }

    async fn call_with_retries<T>(
        &self,
        endpoint: &'static str,
        req: Req<'_>,
        decode: impl Fn(StatusCode, &reqwest::header::HeaderMap, &[u8]) -> Result<T, UpstreamError>,
    ) -> Result<T, UpstreamError> {
        let deadline = Instant::now() + self.deadline;
        let mut attempts = 0;
        let mut refreshed = false;
        loop {
            attempts += 1;
            let outcome = tokio::time::timeout_at(
                deadline.into(),
                self.attempt(endpoint, req, &decode, &mut refreshed),
            )
            .await
            .unwrap_or_else(|_| {
                Attempt::Fail(UpstreamError::Unavailable("deadline exceeded".into()))
            });
            match outcome {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fail(error) => return Err(error),
                Attempt::Retry { after, error } => {
                    if attempts >= MAX_ATTEMPTS || Instant::now() + after >= deadline {
                        return Err(error);
                    }
                    tokio::time::sleep(after).await;
                }
            }
        }
    }

    async fn attempt<T>(
        &self,
        endpoint: &'static str,
        req: Req<'_>,
        decode: &impl Fn(StatusCode, &reqwest::header::HeaderMap, &[u8]) -> Result<T, UpstreamError>,
        refreshed: &mut bool,
    ) -> Attempt<T> {
        if let Err(e) = self.budget.acquire().await {
            let label = match e {
                UpstreamError::CallerOverBudget(_) => "client_over_budget",
                _ => "budget_exhausted",
            };
            self.metrics.upstream_call(endpoint, label);
            return Attempt::Fail(e);
        }
        let outcome = self.attempt_once(req, decode, refreshed).await;
        let label = match &outcome {
            Attempt::Done(_) => "ok",
            Attempt::Fail(UpstreamError::Rejected(_)) => "rejected",
            Attempt::Retry { error: UpstreamError::RateLimited(_), .. } => "rate_limited",
            Attempt::Retry { .. } | Attempt::Fail(_) => "failed",
        };
        self.metrics.upstream_call(endpoint, label);
        outcome
    }

    async fn attempt_once<T>(
        &self,
        req: Req<'_>,
        decode: &impl Fn(StatusCode, &reqwest::header::HeaderMap, &[u8]) -> Result<T, UpstreamError>,
        refreshed: &mut bool,
    ) -> Attempt<T> {
        let token = match self.tokens.token().await {
            Ok(token) => token,
            Err(e) => return Attempt::Retry { after: backoff(0), error: e },
        };
        let request = match req.json {
            Some(body) => self
                .http
                .post(req.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_vec()),
            None => self.http.get(req.url),
        };
        let sent = request
            .query(req.query)
            .bearer_auth(token.expose_secret())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                return Attempt::Retry {
                    after: backoff(1),
                    error: UpstreamError::from_transport("api", &e),
                };
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        match status {
            StatusCode::UNAUTHORIZED if !*refreshed => {
                // The token expired early or was revoked: fetch a new one and retry once.
                *refreshed = true;
                self.tokens.invalidate(&token).await;
                Attempt::Retry {
                    after: Duration::ZERO,
                    error: UpstreamError::Unavailable("401".into()),
                }
            }
            StatusCode::TOO_MANY_REQUESTS => {
                let secs = headers
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .unwrap_or(1);
                Attempt::Retry {
                    after: Duration::from_secs(u64::from(secs)),
                    error: UpstreamError::RateLimited(secs),
                }
            }
            StatusCode::FORBIDDEN => Attempt::Fail(UpstreamError::Forbidden),
            StatusCode::BAD_REQUEST => {
                let message = match read_capped(response).await {
                    Ok(body) => serde_json::from_slice::<ErreurApi>(&body)
                        .map(|e| e.message)
                        .or_else(|_| {
                            // The events and statistics APIs answer `{"message": …}` only.
                            serde_json::from_slice::<serde_json::Value>(&body).map(|v| {
                                v["message"].as_str().unwrap_or("unreadable 400").to_owned()
                            })
                        })
                        .unwrap_or_else(|_| "unreadable 400".to_owned()),
                    Err(_) => "unreadable 400".to_owned(),
                };
                Attempt::Fail(UpstreamError::Rejected(message))
            }
            s if s.is_server_error() => Attempt::Retry {
                after: backoff(1),
                error: UpstreamError::Unavailable(format!("answered {s}")),
            },
            _ => match read_capped(response).await {
                Ok(body) => match decode(status, &headers, &body) {
                    Ok(value) => Attempt::Done(value),
                    Err(e) => Attempt::Fail(e),
                },
                Err(e @ UpstreamError::Decode(_)) => Attempt::Fail(e),
                Err(e) => Attempt::Retry { after: backoff(1), error: e },
            },
        }
    }
}

/// Whether each API besides the offers' can be called with this application's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Apis {
    /// *Mes événements emploi*.
    pub evenements: Reach,
    /// *Marché du travail*.
    pub marche: Reach,
}

/// What the start-up call to an API found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reach {
    /// It answered.
    Yes,
    /// The gateway refused the application (403): the API is not offered.
    Refused,
    /// It could not be told (France Travail down, over budget): asked again on first use.
    #[default]
    Unknown,
}

fn reach<T>(result: Result<T, UpstreamError>) -> Reach {
    match result {
        Ok(_) => Reach::Yes,
        Err(UpstreamError::Forbidden) => Reach::Refused,
        Err(_) => Reach::Unknown,
    }
}

/// What one call sends: a GET with its query, or a POST of a JSON body.
#[derive(Debug, Clone, Copy)]
struct Req<'a> {
    url: &'a str,
    query: &'a [(String, String)],
    json: Option<&'a [u8]>,
}

impl<'a> Req<'a> {
    fn get(url: &'a str, query: &'a [(String, String)]) -> Self {
        Self { url, query, json: None }
    }

    fn post(url: &'a str, query: &'a [(String, String)], json: &'a [u8]) -> Self {
        Self { url, query, json: Some(json) }
    }
}

/// The largest body read from France Travail: a 150-offer window is about 450 kB and the
/// appellations referential about 2 MB, so 8 MiB leaves room and still bounds what a broken
/// or hostile upstream can make the proxy hold.
pub(crate) const MAX_BODY: usize = 8 << 20;

/// A body buffer of this size or less is kept for the next body (a 150-offer window is about
/// 450 kB).
const KEPT_BODY_BYTES: usize = 1 << 20;

/// The spare body buffer (see [`crate::spare`]): reading a window took 0.69 ms with a new
/// buffer, faulting its 110 pages in, and 0.39 ms with this one (`load_bench --misses-only`,
/// medians of 150, side by side).
static SPARE_BODY: Spare<Vec<u8>> = Spare::new(Vec::new());

/// The spare body buffer of `spare`, empty, or a new one.
fn take_spare(spare: &'static Spare<Vec<u8>>) -> Vec<u8> {
    let mut buffer = spare.try_use().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default();
    buffer.clear();
    buffer
}

/// Keeps `buffer` in `spare` if it is not too large and larger than the one kept.
fn give_spare(spare: &'static Spare<Vec<u8>>, buffer: Vec<u8>) {
    if buffer.capacity() <= KEPT_BODY_BYTES
        && let Some(mut kept) = spare.try_use()
        && kept.capacity() < buffer.capacity()
    {
        *kept = buffer;
    }
}

/// A response body; its buffer goes back to [`SPARE_BODY`] when dropped.
#[derive(Debug)]
pub(crate) struct Body(Vec<u8>);

impl std::ops::Deref for Body {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Body {
    fn drop(&mut self) {
        give_spare(&SPARE_BODY, std::mem::take(&mut self.0));
    }
}

/// Reads a response body up to [`MAX_BODY`]; a longer one is a decoding failure, read no
/// further.
pub(crate) async fn read_capped(mut response: reqwest::Response) -> Result<Body, UpstreamError> {
    let too_long = || UpstreamError::Decode(format!("body over {MAX_BODY} bytes"));
    let announced = response.content_length();
    if announced.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_long());
    }
    // Sized once when the length is announced: a 450 kB window read into a growing vector
    // reallocated and copied it about seven times. The spare buffer is taken if free.
    let mut body = Body(take_spare(&SPARE_BODY));
    body.0.reserve(announced.map_or(0, |n| n as usize));
    while let Some(chunk) =
        response.chunk().await.map_err(|e| UpstreamError::from_transport("body", &e))?
    {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(too_long());
        }
        body.0.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Exponential backoff with full jitter: up to 100 ms, then 200 ms, ...
fn backoff(step: u32) -> Duration {
    let cap = 100u64 << step.min(4);
    Duration::from_millis(rand::rng().random_range(cap / 2..=cap))
}

/// The total of `offres 0-149/353` or `offres -1--1/353`.
pub(crate) fn parse_content_range_total(value: &str) -> Option<u32> {
    value.rsplit('/').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{MAX_BODY, UpstreamError, parse_content_range_total, read_capped};

    fn response(body: Vec<u8>) -> reqwest::Response {
        reqwest::Response::from(axum::http::Response::new(body))
    }

    /// The spare body buffer is the largest given back under the cap, handed out empty.
    #[test]
    fn a_spare_body_buffer_is_kept_and_reused() {
        static SPARE: super::Spare<Vec<u8>> = super::Spare::new(Vec::new());
        let window = vec![b'x'; 450_000];
        let at = window.as_ptr();
        super::give_spare(&SPARE, window);
        super::give_spare(&SPARE, vec![b'y'; 1_000]);
        super::give_spare(&SPARE, vec![b'z'; super::KEPT_BODY_BYTES + 1]);
        let taken = super::take_spare(&SPARE);
        assert_eq!((taken.as_ptr(), taken.len()), (at, 0), "the window's buffer, emptied");
        assert!(taken.capacity() >= 450_000);
        assert_eq!(super::take_spare(&SPARE).capacity(), 0, "taken once only");
    }

    /// Issue 25, point 12: upstream bodies were read whole, with no size cap.
    #[tokio::test]
    async fn bodies_over_the_cap_are_refused() {
        let fits = read_capped(response(vec![b'x'; MAX_BODY])).await;
        assert_eq!(fits.map(|b| b.len()).ok(), Some(MAX_BODY));
        let over = read_capped(response(vec![b'x'; MAX_BODY + 1])).await;
        assert!(matches!(over, Err(UpstreamError::Decode(_))), "{over:?}");
    }

    #[test]
    fn content_range_totals_are_read_tolerantly() {
        assert_eq!(parse_content_range_total("offres 0-149/353"), Some(353));
        assert_eq!(parse_content_range_total("offres -1--1/353"), Some(353));
        assert_eq!(parse_content_range_total("offres */0"), Some(0));
        assert_eq!(parse_content_range_total("garbage"), None);
    }
}
