//! The widget's files and the demo site.
//!
//! Widget files are public and fetched from any host page: CORS `*`, precompressed brotli and
//! gzip variants when the build wrote them, immutable caching for fingerprinted names
//! (`name-<16 hex>.ext`) and a short lifetime for the rest, the loader first among them: a
//! webmaster's page always names the same loader URL, and the loader names the current
//! fingerprinted files.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;

/// Seconds a non-fingerprinted file may be reused without asking again.
const SHORT_MAX_AGE: &str = "public, max-age=300";
/// A fingerprinted file never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The widget's files, for nesting under `/widget`.
pub(crate) fn widget<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
        .layer(axum::middleware::from_fn(cache_control))
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([Method::GET]))
}

/// The demo site. A page `x.html` with a file `x.html.csp` beside it is served with that file's
/// content as its `Content-Security-Policy` (the demo's CSP pages).
pub(crate) fn site<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let root = dir.to_owned();
    Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
        .layer(axum::middleware::from_fn(move |request: Request, next: Next| {
            let root = root.clone();
            async move { with_csp(&root, request, next).await }
        }))
}

async fn with_csp(root: &Path, request: Request, next: Next) -> Response {
    // Only plain path segments: nothing can point outside the site's directory.
    let segments: Option<Vec<&str>> = request
        .uri()
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| (s != ".." && s != "." && !s.contains('\\')).then_some(s))
        .collect();
    let sidecar =
        segments.filter(|s| s.last().is_some_and(|name| name.ends_with(".html"))).map(|s| {
            let mut path = root.to_owned();
            path.extend(s);
            path.as_mut_os_string().push(".csp");
            path
        });
    let mut response = next.run(request).await;
    if let Some(path) = sidecar
        && let Ok(policy) = tokio::fs::read_to_string(&path).await
        && let Ok(value) = HeaderValue::from_str(policy.trim())
    {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = is_fingerprinted(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == axum::http::StatusCode::NOT_MODIFIED {
        let value = if immutable { IMMUTABLE } else { SHORT_MAX_AGE };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// Whether the file name ends in `-<16 hex digits>.<ext>`.
fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let Some((stem, _ext)) = name.rsplit_once('.') else { return false };
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    })
}

#[cfg(test)]
mod tests {
    use super::is_fingerprinted;

    #[test]
    fn only_fingerprinted_names_are_immutable() {
        assert!(is_fingerprinted("/emploi-widget_bg-0123456789abcdef.wasm"));
        assert!(is_fingerprinted("/widget/emploi-widget-0123456789abcdef.js"));
        assert!(!is_fingerprinted("/offres-emploi.js"));
        assert!(!is_fingerprinted("/emploi-widget_bg.wasm"));
        assert!(!is_fingerprinted("/x-0123456789ABCDEF.js"));
        assert!(!is_fingerprinted("/x-0123456789abcde.js"));
    }
}
