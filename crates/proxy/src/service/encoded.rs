//! Answers kept encoded: JSON and brotli, compressed once when cached.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// A search answer as JSON and as brotli, compressed once when it is cached (a 20-offer page:
/// 6.6 kB of JSON, about a fifth of that compressed), so that a cache hit costs no compression.
#[derive(Debug, Clone)]
pub struct Encoded {
    json: Bytes,
    brotli: Bytes,
}

impl Encoded {
    /// Compresses `json` once.
    pub(crate) fn new(json: Bytes) -> Self {
        let mut brotli = Vec::with_capacity(json.len() / 4);
        // Quality 4 with a 64 kB window (an answer of 50 offers is about 17 kB): 55 µs for a
        // 6.5 kB page, to 28 %. Measured with the brotli crate: quality 5 gains 5 % more and
        // costs twice as much with a 1 MB window, and 60 times as much (3 ms) with a small one.
        let params = brotli::enc::BrotliEncoderParams {
            quality: 4,
            lgwin: 16,
            size_hint: json.len(),
            ..Default::default()
        };
        // Compressing from memory into memory cannot fail; an empty result falls back to JSON.
        let _ = brotli::BrotliCompress(&mut &json[..], &mut brotli, &params);
        Self { json, brotli: Bytes::from(brotli) }
    }

    /// The answer as JSON.
    pub(crate) fn json(&self) -> &Bytes {
        &self.json
    }

    /// Bytes held, for the cache's weigher.
    pub fn weight(&self) -> usize {
        self.json.len() + self.brotli.len()
    }

    /// The response, brotli-compressed when the client takes it.
    pub(crate) fn response(&self, brotli: bool) -> Response {
        let json = HeaderValue::from_static("application/json");
        let vary = HeaderValue::from_static("accept-encoding");
        if brotli && !self.brotli.is_empty() {
            let br = HeaderValue::from_static("br");
            let headers = [
                (header::CONTENT_TYPE, json),
                (header::CONTENT_ENCODING, br),
                (header::VARY, vary),
            ];
            (headers, self.brotli.clone()).into_response()
        } else {
            ([(header::CONTENT_TYPE, json), (header::VARY, vary)], self.json.clone())
                .into_response()
        }
    }
}

/// Whether `Accept-Encoding` takes brotli (`br`, not with `q=0`).
pub(crate) fn accepts_brotli(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts.next().is_some_and(|coding| coding.eq_ignore_ascii_case("br"))
                && !parts.any(|p| p.replace(' ', "").eq_ignore_ascii_case("q=0"))
        })
    })
}
