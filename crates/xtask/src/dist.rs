//! Finishing `widget/dist` after Trunk: fingerprinted names for the files that never change
//! under a given name (the wasm module and its glue), so that the proxy can serve them as
//! immutable; the glue and the loader minified (esbuild); the loader keeps its stable name (host pages reference it) and is rewritten to name
//! the fingerprinted files. Then brotli and gzip variants of every text and wasm file, for the
//! proxy to serve precompressed.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, ensure};
use sha2::{Digest, Sha256};

/// The build's output directory.
pub(crate) const DIST: &str = "widget/dist";
const LOADER: &str = "offres-emploi.js";
/// Trunk's names for the files to fingerprint.
const FINGERPRINTED: [(&str, &str); 3] =
    [("emploi-widget", "js"), ("emploi-widget_bg", "wasm"), ("widget", "css")];

/// Fingerprints and precompresses `widget/dist` in place.
pub(crate) fn finish() -> Result<()> {
    let dist = Path::new(DIST);
    // The glue as wasm-bindgen writes it is readable, long JavaScript: minified it is a third.
    minify(&dist.join("emploi-widget.js"))?;
    minify(&dist.join("widget.css"))?;
    let loader_path = dist.join(LOADER);
    let mut loader = std::fs::read_to_string(&loader_path).context("reading the built loader")?;
    // The attributes the element observes are the Rust list, the one the widget reads.
    let placeholder = "[/* element attributes */]";
    ensure!(loader.contains(placeholder), "the loader has no attribute list to write");
    let names: Vec<String> =
        emploi_types::recherche::element_attributes().map(|a| format!("'{a}'")).collect();
    loader = loader.replace(placeholder, &format!("[{}]", names.join(", ")));
    let index_path = dist.join("index.html");
    let mut index = std::fs::read_to_string(&index_path).unwrap_or_default();
    for (stem, ext) in FINGERPRINTED {
        let plain = format!("{stem}.{ext}");
        let bytes = std::fs::read(dist.join(&plain)).with_context(|| format!("reading {plain}"))?;
        let digest = Sha256::digest(&bytes);
        let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        let hashed = format!("{stem}-{hash}.{ext}");
        std::fs::rename(dist.join(&plain), dist.join(&hashed))?;
        let quoted = format!("'{plain}'");
        ensure!(loader.contains(&quoted), "the loader does not name {plain}");
        loader = loader.replace(&quoted, &format!("'{hashed}'"));
        index = index.replace(&plain, &hashed);
    }
    std::fs::write(&loader_path, loader)?;
    minify(&loader_path)?;
    if !index.is_empty() {
        std::fs::write(&index_path, index)?;
    }
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "js" | "wasm" | "css" | "html" | "json"));
        if compressible {
            let bytes = std::fs::read(&path)?;
            std::fs::write(with_suffix(&path, "br"), brotli(&bytes)?)?;
            std::fs::write(with_suffix(&path, "gz"), gzip(&bytes)?)?;
        }
    }
    Ok(())
}

/// Minifies an ES module in place with esbuild (from node_modules, pinned in package.json).
fn minify(path: &Path) -> Result<()> {
    let file = path.to_str().context("non-UTF-8 path")?;
    let out = format!("--outfile={file}");
    let mut args = vec![file, "--minify", "--allow-overwrite", out.as_str()];
    if !file.ends_with(".css") {
        args.push("--format=esm");
    }
    crate::cmd::run("node_modules/.bin/esbuild", &args, &[])
}

/// The fingerprinted file `stem-<hash>.ext` of the last build.
pub(crate) fn find(stem: &str, ext: &str) -> Result<PathBuf> {
    for entry in std::fs::read_dir(DIST).context("no widget build: run cargo xtask build-widget")? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let hash = name.strip_prefix(stem).and_then(|r| r.strip_prefix('-'));
        if hash.and_then(|h| h.strip_suffix(&format!(".{ext}"))).is_some_and(|h| h.len() == 16) {
            return Ok(path);
        }
    }
    anyhow::bail!("no {stem}-<hash>.{ext} in {DIST}")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// gzip, level 9.
pub(crate) fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes)?;
    Ok(e.finish()?)
}

/// brotli, quality 11.
pub(crate) fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}
