//! Answers kept encoded: JSON and gzip, compressed once when cached.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use flate2::{Compress, Compression, Crc, FlushCompress, Status};

use crate::negotiation::weighted;
use crate::spare::Spare;

/// Deflate's level. Measured on this proxy's answers with a reused compressor (zlib-rs), medians
/// of 200, warm / cold caches: a 7.6 kB page to 1,920 bytes in 43 / 56 µs, and a 51 kB first
/// view to 8,032 bytes in 299 / 336 µs. Brotli at quality 4, what the proxy used before, made
/// 1,953 and 7,917 bytes in 428 / 521 and 944 / 1,082 µs (its own buffers reused: about 100 /
/// 170 µs for the page); level 9 gains under 1 % for twice the time on first views.
const LEVEL: u32 = 6;

/// The compressor's state (about 300 kB), kept while answers are compressed and dropped once
/// they stop ([`crate::spare`]): with the allocator returning freed pages at once, a new one
/// costs its page faults every time.
static COMPRESSOR: Spare<Option<Compress>> = Spare::new(None);

/// A search answer or a first view as JSON and as gzip, compressed once when it is cached (a
/// 20-offer page: 7.6 kB of JSON, about a quarter of that compressed), so that a cache hit costs
/// no compression.
#[derive(Debug, Clone)]
pub struct Encoded {
    json: Bytes,
    gzip: Bytes,
}

impl Encoded {
    /// Compresses `json` once.
    pub(crate) fn new(json: Bytes) -> Self {
        let gzip = match COMPRESSOR.try_use() {
            Some(mut kept) => gzip(kept.get_or_insert_with(compressor), &json),
            // Another answer is being compressed: this one gets its own compressor.
            None => gzip(&mut compressor(), &json),
        };
        // An empty result (which compressing memory into memory does not give) falls back to
        // JSON.
        Self { json, gzip: Bytes::from(gzip.unwrap_or_default()) }
    }

    /// The answer as JSON.
    pub(crate) fn json(&self) -> &Bytes {
        &self.json
    }

    /// Bytes held, for the cache's weigher.
    pub fn weight(&self) -> usize {
        self.json.len() + self.gzip.len()
    }

    /// The response, gzip-compressed when the client takes it.
    pub(crate) fn response(&self, gzip: bool) -> Response {
        let json = HeaderValue::from_static("application/json");
        let vary = HeaderValue::from_static("accept-encoding");
        if gzip && !self.gzip.is_empty() {
            let encoding = HeaderValue::from_static("gzip");
            let headers = [
                (header::CONTENT_TYPE, json),
                (header::CONTENT_ENCODING, encoding),
                (header::VARY, vary),
            ];
            (headers, self.gzip.clone()).into_response()
        } else {
            ([(header::CONTENT_TYPE, json), (header::VARY, vary)], self.json.clone())
                .into_response()
        }
    }
}

/// A raw-deflate compressor at [`LEVEL`].
fn compressor() -> Compress {
    Compress::new(Compression::new(LEVEL), false)
}

/// `input` as one gzip member (RFC 1952: a 10-byte header, the deflate stream, its CRC-32 and
/// length), compressed by `compress` from its start; `None` if deflate reports an error.
fn gzip(compress: &mut Compress, input: &[u8]) -> Option<Vec<u8>> {
    // Magic, deflate, no flags, no time, no extra flags, unknown system.
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    compress.reset();
    let mut out = Vec::with_capacity(HEADER.len() + input.len() / 3 + 64);
    out.extend_from_slice(&HEADER);
    loop {
        let read = usize::try_from(compress.total_in()).ok()?;
        match compress.compress_vec(&input[read..], &mut out, FlushCompress::Finish).ok()? {
            Status::StreamEnd => break,
            // The output is full: it grows, and deflate goes on.
            Status::Ok | Status::BufError => out.reserve(out.capacity().max(4096)),
        }
    }
    let mut crc = Crc::new();
    crc.update(input);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // ISIZE: the length modulo 2^32.
    out.extend_from_slice(&(input.len() as u32).to_le_bytes());
    Some(out)
}

/// Whether `Accept-Encoding` takes gzip (`gzip`, its alias `x-gzip`, or `*`; not with a zero
/// weight).
pub(crate) fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        weighted(v).any(|(coding, q)| {
            q > 0.0 && ["gzip", "x-gzip", "*"].iter().any(|name| coding.eq_ignore_ascii_case(name))
        })
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::io::Read;

    use super::*;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut back).unwrap();
        back
    }

    /// A reused compressor gives the bytes of a new one, each a whole gzip member that reads
    /// back to its input, for inputs that fill the first output buffer several times over.
    #[test]
    fn a_reused_compressor_gives_whole_gzip_members() {
        let page: String = (0..20_000)
            .map(|i| {
                format!(
                    r#"{{"id":"{i:07}","intitule":"Offre {}","lieu":"Rennes"}},"#,
                    i * 7919 % 1013
                )
            })
            .collect();
        let mut kept = compressor();
        for n in [0, 1, 3_000, 7_600, 60_000, 7_600, page.len()] {
            let input = &page.as_bytes()[..n];
            let reused = gzip(&mut kept, input).unwrap();
            assert_eq!(reused, gzip(&mut compressor(), input).unwrap(), "{n} bytes");
            assert_eq!(gunzip(&reused), input, "{n} bytes");
            assert_eq!(&reused[..3], &[0x1f, 0x8b, 8]);
        }
    }

    #[test]
    fn encoded_answers_carry_their_gzip_copy() {
        let json = Bytes::from(r#"{"offres":[],"total":0}"#.repeat(50));
        let encoded = Encoded::new(json.clone());
        assert_eq!(encoded.json(), &json);
        assert_eq!(gunzip(&encoded.gzip), json);
        assert!(encoded.gzip.len() < json.len() / 4);
        assert_eq!(encoded.weight(), json.len() + encoded.gzip.len());
    }

    #[test]
    fn accept_encoding_is_read_as_browsers_write_it() {
        let takes = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
            accepts_gzip(&headers)
        };
        assert!(takes("gzip, deflate, br, zstd"));
        assert!(takes("GZIP"));
        assert!(takes("br;q=1.0, x-gzip;q=0.5"));
        assert!(takes("*"));
        assert!(!takes("br, zstd"));
        assert!(!takes("gzip;q=0, br"));
        assert!(!takes("gzip; q = 0"));
        assert!(!takes("gzip;q=0.000"));
        assert!(takes("gzip;q=0.001"));
        assert!(!takes("identity"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
