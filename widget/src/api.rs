//! Calls to the proxy: pure URL building, and async fetches returning `Result<_, FetchError>`.
//!
//! Requests go through the browser's `fetch`. JSON is parsed by the browser (`Response.json()`) and converted with serde-wasm-bindgen, which
//! keeps serde_json out of the bundle.

use emploi_types::api::{
    ApiError, ApiErrorCode, Evenements, Indicateurs, Lieu, Marche, MetierChoix, OffreComplement,
    OffreResume, SearchResponse,
};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{Lang, Texts};
use crate::panel::Answer;
pub use crate::params::encode;
use crate::params::{Param, Recherche, query};

/// Why a call failed. `Display` is never shown: the widget renders [`FetchError::message`].
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// The proxy could not be reached.
    Network,
    /// The proxy answered with its error envelope.
    Api(ApiError),
    /// The proxy answered something else (a status without envelope, or unreadable JSON).
    Unexpected(u16),
}

impl FetchError {
    /// A short, readable message in the interface language.
    pub fn message(&self, texts: &Texts) -> String {
        match self {
            Self::Network => texts.error_network.to_owned(),
            Self::Api(e) => match e.code {
                ApiErrorCode::RateLimited => {
                    texts.error_rate_limited.replace("{s}", &e.retry_after.unwrap_or(5).to_string())
                }
                ApiErrorCode::UpstreamUnavailable => texts.error_upstream.to_owned(),
                // Validation messages from the proxy are written for people, in the right language.
                // So are refusals (unknown site key, page not allowed): they tell the webmaster
                // what to fix.
                ApiErrorCode::BadRequest
                | ApiErrorCode::Unprocessable
                | ApiErrorCode::NotFound
                | ApiErrorCode::Forbidden => e.message.clone(),
                _ => texts.error_other.to_owned(),
            },
            Self::Unexpected(_) => texts.error_other.to_owned(),
        }
    }
}

/// The proxy's API, at the origin the loader came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiClient {
    base: String,
    lang: Lang,
    site: Option<String>,
}

impl ApiClient {
    /// `base` is the proxy root, e.g. `https://emploi.example/`; `site` the page's site key.
    pub fn new(base: &str, lang: Lang, site: Option<String>) -> Self {
        let base = if base.ends_with('/') { base.to_owned() } else { format!("{base}/") };
        Self { base, lang, site }
    }

    /// The proxy's root, ending in `/`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The message catalogue and language of this client's widget.
    pub fn texts(&self) -> (&'static Texts, Lang) {
        (self.lang.texts(), self.lang)
    }

    /// URL of `api/v1/{path}` with the site key first, then `pairs`.
    fn endpoint(
        &self,
        path: &str,
        pairs: impl IntoIterator<Item = (&'static str, String)>,
    ) -> String {
        let site = self.site.as_ref().map(|s| ("site", s.clone()));
        let query = query(site.into_iter().chain(pairs));
        let sep = if query.is_empty() { "" } else { "?" };
        format!("{}api/v1/{path}{sep}{query}", self.base)
    }

    /// URL of a search.
    pub fn search_url(&self, p: &Recherche) -> String {
        self.endpoint("search", p.pairs())
    }

    /// Runs a search.
    pub async fn search(&self, p: &Recherche) -> Result<SearchResponse, FetchError> {
        self.get_json(&self.search_url(p)).await
    }

    /// URL of an optional search (`sonde=1`): the proxy answers it from its cache or from spare
    /// France Travail capacity, never making residents' searches wait behind it.
    pub fn probe_url(&self, p: &Recherche) -> String {
        self.endpoint("search", p.pairs().into_iter().chain([("sonde", "1".to_owned())]))
    }

    /// Counts what an optional search finds (see [`Self::probe_url`]).
    pub async fn probe(&self, p: &Recherche) -> Result<SearchResponse, FetchError> {
        self.get_json(&self.probe_url(p)).await
    }

    /// URL of the place suggestions for `q`.
    pub fn places_url(&self, q: &str) -> String {
        self.endpoint("lieux", [("q", q.trim().to_owned()), ("limit", "8".to_owned())])
    }

    /// Place suggestions (communes, EPCI, départements), largest first.
    pub async fn places(&self, q: &str) -> Result<Vec<Lieu>, FetchError> {
        self.get_json(&self.places_url(q)).await
    }

    /// URL of the métier suggestions for typed keywords.
    pub fn metiers_url(&self, q: &str) -> String {
        self.endpoint("metiers", [("q", q.trim().to_owned()), ("limit", "8".to_owned())])
    }

    /// Métier suggestions (ROME fiches, appellations with real credentials), best first.
    pub async fn metiers(&self, q: &str) -> Result<Vec<MetierChoix>, FetchError> {
        self.get_json(&self.metiers_url(q)).await
    }

    /// URL of the market overview of a search's territory.
    pub fn market_url(&self, p: &Recherche) -> String {
        self.endpoint("marche", Self::territory(p))
    }

    /// The market overview of a search's territory.
    pub async fn market(&self, p: &Recherche) -> Result<Answer<Marche>, FetchError> {
        self.answer(&self.market_url(p)).await
    }

    /// The territory of a search as query pairs: one territory, a radius only around a commune.
    fn territory(p: &Recherche) -> impl Iterator<Item = (&'static str, String)> {
        p.pairs().into_iter().filter(|(k, _)| {
            Param::from_name(k).is_some_and(|param| Param::TERRITOIRE.contains(&param))
        })
    }

    /// URL of the official figures of a search's territory.
    pub fn indicators_url(&self, p: &Recherche) -> String {
        self.endpoint("indicateurs", Self::territory(p))
    }

    /// The official figures of a search's territory.
    pub async fn indicators(&self, p: &Recherche) -> Result<Answer<Indicateurs>, FetchError> {
        self.answer(&self.indicators_url(p)).await
    }

    /// URL of the coming events of a search's territory.
    pub fn events_url(&self, p: &Recherche) -> String {
        self.endpoint("evenements", Self::territory(p))
    }

    /// The coming events of a search's territory.
    pub async fn events(&self, p: &Recherche) -> Result<Answer<Evenements>, FetchError> {
        self.answer(&self.events_url(p)).await
    }

    /// URL of the territory's events as an iCalendar feed, or of one of them (`id`) as a file.
    pub fn calendar_url(&self, p: &Recherche, id: Option<u64>) -> String {
        let one = id.map(|id| ("evenement", id.to_string()));
        self.endpoint("evenements.ics", Self::territory(p).chain(one))
    }

    /// URL of an offer's detail.
    pub fn offer_url(&self, id: &str) -> String {
        self.endpoint(&format!("offres/{}", encode(id)), [])
    }

    /// Fetches an offer's detail, as JSON for [`Detail::read`].
    pub async fn offer(&self, id: &str) -> Result<wasm_bindgen::JsValue, FetchError> {
        self.get(&self.offer_url(id)).await
    }

    /// A successful answer's JSON as a JS value, or the error it means.
    async fn get(&self, url: &str) -> Result<wasm_bindgen::JsValue, FetchError> {
        let init = web_sys::RequestInit::new();
        let headers = web_sys::Headers::new().map_err(|_| FetchError::Network)?;
        let _ = headers.set("Accept", "application/json");
        let _ = headers.set("Accept-Language", self.lang.tag());
        init.set_headers(&headers);
        let window = web_sys::window().ok_or(FetchError::Network)?;
        let promise = window.fetch_with_str_and_init(url, &init);
        let raw: web_sys::Response =
            JsFuture::from(promise).await.map_err(|_| FetchError::Network)?.unchecked_into();
        let status = raw.status();
        let json = match raw.json() {
            Ok(promise) => JsFuture::from(promise).await.ok(),
            Err(_) => None,
        };
        if (200..300).contains(&status) {
            return json.ok_or(FetchError::Unexpected(status));
        }
        match json.and_then(|j| serde_wasm_bindgen::from_value::<ApiError>(j).ok()) {
            Some(e) => Err(FetchError::Api(e)),
            None => Err(FetchError::Unexpected(status)),
        }
    }

    async fn get_json<T: DeserializeOwned>(&self, url: &str) -> Result<T, FetchError> {
        decode(self.get(url).await?)
    }

    /// A panel's answer ([`Answer`]): in the browser, left for the panel's chunk to decode.
    async fn answer<T: DeserializeOwned>(&self, url: &str) -> Result<Answer<T>, FetchError> {
        #[cfg(feature = "csr")]
        return self.get(url).await.map(crate::panel::Raw::new);
        #[cfg(not(feature = "csr"))]
        self.get_json(url).await
    }
}

/// An offer's detail as the widget reads it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Detail {
    /// The card fields.
    pub resume: OffreResume,
    /// What the detail adds.
    pub complement: OffreComplement,
}

impl Detail {
    /// An offer's detail from the proxy's JSON: its card fields and what the detail adds, read
    /// separately from the same object (see [`OffreComplement`]).
    pub fn read(json: wasm_bindgen::JsValue) -> Result<Self, FetchError> {
        Ok(Self { resume: decode(json.clone())?, complement: decode(json)? })
    }
}

fn decode<T: DeserializeOwned>(json: wasm_bindgen::JsValue) -> Result<T, FetchError> {
    serde_wasm_bindgen::from_value(json).map_err(|_| FetchError::Unexpected(200))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports, reason = "the fixtures name what they need")]
    use crate::params::{Experience, Tri, TypeContrat, Zone};

    #[test]
    fn search_urls_carry_only_what_is_set() {
        let api = ApiClient::new("http://127.0.0.1:8080", Lang::Fr, Some("saint-exemple".into()));
        let p = Recherche {
            zone: Zone::Commune { code: "35238".into(), rayon: 20 },
            q: " aide-soignant ".into(),
            tri: Tri::Date,
            page: 2,
            par_page: 20,
            ..Recherche::default()
        };
        assert_eq!(
            api.search_url(&p),
            "http://127.0.0.1:8080/api/v1/search?site=saint-exemple&q=aide-soignant&commune=35238&rayon=20&tri=date&page=2&par_page=20"
        );
    }

    #[test]
    fn suggestion_counts_are_marked_optional() {
        let api = ApiClient::new("http://127.0.0.1:8080", Lang::Fr, Some("demo".into()));
        let p = Recherche { q: "boulanger".into(), page: 1, par_page: 1, ..Recherche::default() };
        assert_eq!(
            api.probe_url(&p),
            "http://127.0.0.1:8080/api/v1/search?site=demo&q=boulanger&tri=pertinence&page=1&par_page=1&sonde=1"
        );
    }

    #[test]
    fn an_epci_search_names_the_epci() {
        let api = ApiClient::new("http://127.0.0.1:8080/", Lang::Fr, None);
        let p = Recherche {
            zone: Zone::Epci { code: "243500139".into() },
            page: 1,
            par_page: 20,
            ..Recherche::default()
        };
        assert_eq!(
            api.search_url(&p),
            "http://127.0.0.1:8080/api/v1/search?epci=243500139&tri=pertinence&page=1&par_page=20"
        );
    }

    #[test]
    fn filters_and_offer_urls_are_encoded() {
        let api = ApiClient::new("http://127.0.0.1:8080/", Lang::Fr, Some("demo".into()));
        let p = Recherche {
            zone: Zone::Departement { code: "35".into() },
            types_contrat: vec![TypeContrat::Cdi, TypeContrat::Cdd],
            experience: Some(Experience::UnATroisAns),
            temps_plein: Some(false),
            publiee_depuis: Some(7),
            tri: Tri::Date,
            page: 1,
            par_page: 10,
            ..Recherche::default()
        };
        assert_eq!(
            api.search_url(&p),
            "http://127.0.0.1:8080/api/v1/search?site=demo&departement=35&types_contrat=CDI%2CCDD&experience=2&temps_plein=false&publiee_depuis=7&tri=date&page=1&par_page=10"
        );
        assert!(p.has_filters());
        assert!(!p.without_filters().has_filters());
        assert_eq!(
            api.offer_url("123 AB"),
            "http://127.0.0.1:8080/api/v1/offres/123%20AB?site=demo"
        );
    }

    #[test]
    fn place_and_market_urls_carry_the_site_then_their_own_keys() {
        let api = ApiClient::new("http://127.0.0.1:8080/", Lang::Fr, Some("demo".into()));
        assert_eq!(
            api.places_url(" saint-malo "),
            "http://127.0.0.1:8080/api/v1/lieux?site=demo&q=saint-malo&limit=8"
        );
        let p = Recherche {
            zone: Zone::Commune { code: "35238".into(), rayon: 20 },
            q: "boulanger".into(),
            types_contrat: vec![TypeContrat::Cdi],
            page: 3,
            par_page: 20,
            ..Recherche::default()
        };
        assert_eq!(
            api.market_url(&p),
            "http://127.0.0.1:8080/api/v1/marche?site=demo&commune=35238&rayon=20"
        );
        let bare = ApiClient::new("http://127.0.0.1:8080/", Lang::Fr, None);
        assert_eq!(bare.offer_url("1"), "http://127.0.0.1:8080/api/v1/offres/1");
    }

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(encode("développeur web"), "d%C3%A9veloppeur%20web");
        assert_eq!(encode("a&b=c"), "a%26b%3Dc");
    }

    #[test]
    fn messages_are_readable_and_never_raw() {
        let texts = Lang::Fr.texts();
        assert_eq!(FetchError::Network.message(texts), texts.error_network);
        let limited = FetchError::Api(ApiError {
            code: ApiErrorCode::RateLimited,
            message: "x".into(),
            parametre: None,
            retry_after: Some(7),
        });
        assert!(limited.message(texts).contains("7 secondes"));
        assert_eq!(FetchError::Unexpected(502).message(texts), texts.error_other);
    }
}
