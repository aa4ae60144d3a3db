//! Calls to the proxy: pure URL building, and async fetches returning `Result<_, FetchError>`.
//!
//! JSON is parsed by the browser (`Response.json()`) and converted with serde-wasm-bindgen, which
//! keeps serde_json out of the bundle.

use emploi_types::api::{ApiError, ApiErrorCode, SearchResponse};
use serde::de::DeserializeOwned;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{Lang, Texts};

/// What a search asks for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchParams {
    /// Keywords.
    pub q: String,
    /// INSEE code.
    pub commune: Option<String>,
    /// SIREN of an EPCI.
    pub epci: Option<String>,
    /// Département code.
    pub departement: Option<String>,
    /// Radius in km, with a commune.
    pub rayon: Option<u32>,
    /// Contract types.
    pub types_contrat: Vec<String>,
    /// `pertinence`, `date` or `distance`.
    pub tri: String,
    /// Page from 1.
    pub page: u32,
    /// Page size.
    pub par_page: u32,
}

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
                ApiErrorCode::BadRequest | ApiErrorCode::NotFound | ApiErrorCode::Forbidden => {
                    e.message.clone()
                }
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

    /// URL of a search.
    pub fn search_url(&self, p: &SearchParams) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(site) = &self.site {
            pairs.push(("site", site.clone()));
        }
        if !p.q.trim().is_empty() {
            pairs.push(("q", p.q.trim().to_owned()));
        }
        if let Some(c) = &p.commune {
            pairs.push(("commune", c.clone()));
            if let Some(r) = p.rayon {
                pairs.push(("rayon", r.to_string()));
            }
        } else if let Some(e) = &p.epci {
            pairs.push(("epci", e.clone()));
        } else if let Some(d) = &p.departement {
            pairs.push(("departement", d.clone()));
        }
        if !p.types_contrat.is_empty() {
            pairs.push(("types_contrat", p.types_contrat.join(",")));
        }
        if !p.tri.is_empty() {
            pairs.push(("tri", p.tri.clone()));
        }
        pairs.push(("page", p.page.max(1).to_string()));
        pairs.push(("par_page", p.par_page.to_string()));
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        format!("{}api/v1/search?{}", self.base, query.join("&"))
    }

    /// Runs a search.
    pub async fn search(&self, p: &SearchParams) -> Result<SearchResponse, FetchError> {
        self.get_json(&self.search_url(p)).await
    }

    async fn get_json<T: DeserializeOwned>(&self, url: &str) -> Result<T, FetchError> {
        let response = gloo_net::http::Request::get(url)
            .header("Accept", "application/json")
            .header("Accept-Language", self.lang.tag())
            .send()
            .await
            .map_err(|_| FetchError::Network)?;
        let status = response.status();
        let raw: web_sys::Response = response.into();
        let json = match raw.json() {
            Ok(promise) => JsFuture::from(promise).await.ok(),
            Err(_) => None,
        };
        if (200..300).contains(&status) {
            let json = json.ok_or(FetchError::Unexpected(status))?;
            return serde_wasm_bindgen::from_value(json)
                .map_err(|_| FetchError::Unexpected(status));
        }
        match json.and_then(|j| serde_wasm_bindgen::from_value::<ApiError>(j).ok()) {
            Some(e) => Err(FetchError::Api(e)),
            None => Err(FetchError::Unexpected(status)),
        }
    }
}

/// Percent-encodes a query value (UTF-8; unreserved characters kept).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_urls_carry_only_what_is_set() {
        let api = ApiClient::new("http://127.0.0.1:8080", Lang::Fr, Some("saint-exemple".into()));
        let p = SearchParams {
            q: " aide-soignant ".into(),
            commune: Some("35238".into()),
            rayon: Some(20),
            tri: "date".into(),
            page: 2,
            par_page: 20,
            ..SearchParams::default()
        };
        assert_eq!(
            api.search_url(&p),
            "http://127.0.0.1:8080/api/v1/search?site=saint-exemple&q=aide-soignant&commune=35238&rayon=20&tri=date&page=2&par_page=20"
        );
    }

    #[test]
    fn an_epci_search_has_no_radius() {
        let api = ApiClient::new("http://127.0.0.1:8080/", Lang::Fr, None);
        let p = SearchParams {
            epci: Some("243500139".into()),
            rayon: Some(10),
            page: 1,
            par_page: 20,
            ..SearchParams::default()
        };
        assert_eq!(
            api.search_url(&p),
            "http://127.0.0.1:8080/api/v1/search?epci=243500139&page=1&par_page=20"
        );
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
