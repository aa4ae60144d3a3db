//! The error policy of the proxy.
//!
//! Every failure a handler can meet is an [`AppError`]. It becomes an HTTP status plus the
//! `emploi_types::api::ApiError` envelope, with a message in French by default and in English when
//! the request asks for it (`Accept-Language: en`), rendered by the `localize_errors` middleware.
//! Responses never carry upstream bodies, tokens or internal detail: `internal` detail is logged,
//! not sent.

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use emploi_types::api::{ApiError, ApiErrorCode};

/// `Result` of handlers.
pub type AppResult<T> = Result<T, AppError>;

/// A user-facing message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// French text (default).
    pub fr: String,
    /// English text.
    pub en: String,
}

impl Message {
    /// A message from its two texts.
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self { fr: fr.into(), en: en.into() }
    }
}

/// Language of the messages, from `Accept-Language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// French (default).
    #[default]
    Fr,
    /// English.
    En,
}

impl From<emploi_widget::i18n::Lang> for Lang {
    /// The widget's language, for the messages it shows.
    fn from(lang: emploi_widget::i18n::Lang) -> Self {
        match lang {
            emploi_widget::i18n::Lang::Fr => Self::Fr,
            emploi_widget::i18n::Lang::En => Self::En,
        }
    }
}

impl Lang {
    /// The preferred of French and English in an `Accept-Language` header; French otherwise.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let Some(value) = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
            return Self::Fr;
        };
        let mut best: Option<(f32, Self)> = None;
        for (tag, q) in crate::negotiation::weighted(value) {
            let tag = tag.to_ascii_lowercase();
            let lang = if tag == "fr" || tag.starts_with("fr-") {
                Self::Fr
            } else if tag == "en" || tag.starts_with("en-") {
                Self::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Self::Fr, |(_, lang)| lang)
    }
}

/// Every failure a request can end in.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// A parameter is invalid.
    #[error("bad parameter {parametre}: {}", message.en)]
    BadRequest {
        /// The offending parameter.
        parametre: String,
        /// What is wrong.
        message: Message,
    },
    /// Parameters valid one by one that cannot be searched together, or a code that names
    /// nothing known.
    #[error("unprocessable {parametre}: {}", message.en)]
    Unprocessable {
        /// The parameter at fault.
        parametre: String,
        /// What is wrong.
        message: Message,
    },
    /// Unknown site key, or a page not allowed to use it.
    #[error("forbidden: {}", .0.en)]
    Forbidden(Message),
    /// A page that needs a secret (a site's usage report) asked without it, or with a wrong
    /// one. No API route answers it, so its envelope uses the `forbidden` code.
    #[error("unauthorized: {}", .0.en)]
    Unauthorized(Message),
    /// No such offer or route.
    #[error("not found: {}", .0.en)]
    NotFound(Message),
    /// The API only answers GET (and CORS preflights).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The client or the site is over its limit.
    #[error("rate limited, retry after {retry_after} s")]
    RateLimited {
        /// Seconds to wait.
        retry_after: u32,
    },
    /// France Travail is down, slow, out of budget or answering nonsense.
    #[error("upstream unavailable: {detail}")]
    UpstreamUnavailable {
        /// Seconds to wait, when known.
        retry_after: Option<u32>,
        /// Internal detail, logged only.
        detail: String,
    },
    /// A bug on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A bad parameter.
    pub fn bad_request(parametre: &str, fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self::BadRequest { parametre: parametre.to_owned(), message: Message::new(fr, en) }
    }

    /// Values that do not go together, or a code that names nothing known.
    pub fn unprocessable(parametre: &str, fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self::Unprocessable { parametre: parametre.to_owned(), message: Message::new(fr, en) }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::UpstreamUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn retry_after(&self) -> Option<u32> {
        match self {
            Self::RateLimited { retry_after } => Some(*retry_after),
            Self::UpstreamUnavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The envelope sent to the client, in `lang`.
    pub fn envelope(&self, lang: Lang) -> ApiError {
        let pick = |m: &Message| match lang {
            Lang::Fr => m.fr.clone(),
            Lang::En => m.en.clone(),
        };
        let (code, message, parametre) = match self {
            Self::BadRequest { parametre, message } => {
                (ApiErrorCode::BadRequest, pick(message), Some(parametre.clone()))
            }
            Self::Unprocessable { parametre, message } => {
                (ApiErrorCode::Unprocessable, pick(message), Some(parametre.clone()))
            }
            Self::Forbidden(message) | Self::Unauthorized(message) => {
                (ApiErrorCode::Forbidden, pick(message), None)
            }
            Self::NotFound(message) => (ApiErrorCode::NotFound, pick(message), None),
            Self::MethodNotAllowed => (
                ApiErrorCode::BadRequest,
                pick(&Message::new(
                    "Cette API ne répond qu'aux requêtes GET.",
                    "This API only answers GET requests.",
                )),
                None,
            ),
            Self::RateLimited { retry_after } => (
                ApiErrorCode::RateLimited,
                pick(&Message::new(
                    format!("Trop de recherches en peu de temps. Réessayez dans {retry_after} s."),
                    format!("Too many searches in a short time. Try again in {retry_after} s."),
                )),
                None,
            ),
            Self::UpstreamUnavailable { .. } => (
                ApiErrorCode::UpstreamUnavailable,
                pick(&Message::new(
                    "Le service de France Travail ne répond pas pour le moment. Réessayez dans quelques instants.",
                    "The France Travail service is not answering right now. Please try again shortly.",
                )),
                None,
            ),
            Self::Internal(_) => (
                ApiErrorCode::Internal,
                pick(&Message::new(
                    "Une erreur inattendue s'est produite. Réessayez plus tard.",
                    "An unexpected error occurred. Please try again later.",
                )),
                None,
            ),
        };
        ApiError { code, message, parametre, retry_after: self.retry_after() }
    }

    fn render(&self, lang: Lang) -> Response {
        let mut response = (self.status(), Json(self.envelope(lang))).into_response();
        if let Some(seconds) = self.retry_after() {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response.extensions_mut().insert(self.clone());
        response
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.render(Lang::Fr)
    }
}

/// Middleware: re-renders error envelopes in the request's language and logs internal detail.
pub async fn localize_errors(request: Request, next: Next) -> Response {
    let lang = Lang::from_headers(request.headers());
    let response = next.run(request).await;
    let Some(error) = response.extensions().get::<AppError>().cloned() else {
        return response;
    };
    match &error {
        AppError::Internal(detail) => tracing::error!(%detail, "internal error"),
        AppError::UpstreamUnavailable { detail, .. } => {
            tracing::warn!(%detail, "upstream unavailable")
        }
        _ => {}
    }
    if lang == Lang::Fr {
        return response;
    }
    error.render(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(value: &str) -> Lang {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(value).unwrap());
        Lang::from_headers(&h)
    }

    #[test]
    fn accept_language_picks_the_preferred_of_french_and_english() {
        assert_eq!(Lang::from_headers(&HeaderMap::new()), Lang::Fr);
        assert_eq!(lang("en"), Lang::En);
        assert_eq!(lang("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(lang("de-DE,en;q=0.5,fr;q=0.8"), Lang::Fr);
        assert_eq!(lang("de"), Lang::Fr);
        assert_eq!(lang("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr);
    }

    #[test]
    fn envelopes_never_carry_internal_detail() {
        let err = AppError::UpstreamUnavailable {
            retry_after: Some(5),
            detail: "token XYZ refused by https://secret.example".to_owned(),
        };
        let env = err.envelope(Lang::En);
        assert_eq!(env.code, ApiErrorCode::UpstreamUnavailable);
        assert!(!env.message.contains("XYZ"));
        assert_eq!(env.retry_after, Some(5));
        let internal = AppError::Internal("panic at line 3".into()).envelope(Lang::Fr);
        assert!(!internal.message.contains("line 3"));
    }
}
