//! Finishing `widget/dist` after Trunk. First the module is split (wasm-split): Trunk 0.21 has
//! no such step, so the module Trunk built is cut here into the main module and the chunks the
//! widget loads when first needed (widget/src/split.rs), then bound (wasm-bindgen) and optimised
//! (wasm-opt) again; the chunk loader wasm-split writes is bundled into the glue. Then
//! fingerprinted names for the files that never change under a given name (the wasm module, its
//! chunks and its glue), so that the proxy can serve them as immutable; the glue and the loader
//! minified (esbuild); the loader keeps its stable name (host pages reference it) and is
//! rewritten to name the fingerprinted files. Then brotli and gzip variants of every text and
//! wasm file, for the proxy to serve precompressed.

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

/// The module as cargo linked it for Trunk (with its relocations, see setup::build_widget).
const LINKED: &str = "target/wasm32-unknown-unknown/wasm-release/emploi-widget.wasm";
/// wasm-opt's options for the module and its chunks (binaryen 132).
const WASM_OPT: [&str; 6] = [
    "-Oz",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--converge",
    "--strip-producers",
    "--quiet",
];

/// Splits, fingerprints and precompresses `widget/dist` in place.
pub(crate) fn finish() -> Result<()> {
    let dist = Path::new(DIST);
    let chunks = split(dist)?;
    // The glue as wasm-bindgen writes it is readable, long JavaScript: minified it is a third.
    // Bundled, it takes the chunk loader in (which imports the glue back).
    bundle(&dist.join("emploi-widget.js"))?;
    std::fs::remove_file(dist.join(SPLIT_LOADER))?;
    minify(&dist.join("widget.css"))?;
    // The chunks' names in the glue, fingerprinted before the glue is.
    let glue_path = dist.join("emploi-widget.js");
    let mut glue = std::fs::read_to_string(&glue_path).context("reading the glue")?;
    for stem in chunks {
        let hashed = fingerprint(dist, &stem, "wasm")?;
        let quoted = format!("\"./{stem}.wasm\"");
        ensure!(glue.contains(&quoted), "the glue does not name the chunk {stem}");
        glue = glue.replace(&quoted, &format!("\"./{hashed}\""));
    }
    std::fs::write(&glue_path, glue)?;
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
        let hashed = fingerprint(dist, stem, ext)?;
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

/// The chunk loader wasm-split writes beside the main module, imported by the glue.
const SPLIT_LOADER: &str = "__wasm_split.js";

/// Cuts the linked module into the main module and its chunks, binds the main module into
/// `dist` (glue and wasm, over Trunk's), optimises all, and returns the chunks' file stems.
fn split(dist: &Path) -> Result<Vec<String>> {
    let work = Path::new("target/wasm-split");
    if work.exists() {
        std::fs::remove_dir_all(work)?;
    }
    std::fs::create_dir_all(work)?;
    let out = work.to_str().context("non-UTF-8 path")?;
    let args = [LINKED, out, "--target", "web", "--out-name", "emploi-widget"];
    crate::cmd::run("wasm-split-cli", &args, &[])?;
    let main = work.join("emploi-widget.wasm");
    let main = main.to_str().context("non-UTF-8 path")?;
    let dist_dir = dist.to_str().context("non-UTF-8 path")?;
    // The chunks import the main module's table, memory and the globals lld shares with them.
    let bindgen = [
        "--target",
        "web",
        "--keep-lld-exports",
        "--no-typescript",
        "--out-name",
        "emploi-widget",
        "--out-dir",
        dist_dir,
        main,
    ];
    crate::cmd::run("wasm-bindgen", &bindgen, &[])?;
    optimise(&dist.join("emploi-widget_bg.wasm"), &dist.join("emploi-widget_bg.wasm"))?;
    std::fs::copy(work.join(SPLIT_LOADER), dist.join(SPLIT_LOADER))?;
    let mut chunks = Vec::new();
    for entry in std::fs::read_dir(work)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        if let Some(stem) = name.strip_suffix(".wasm")
            && stem != "emploi-widget"
        {
            optimise(&path, &dist.join(&name))?;
            chunks.push(stem.to_owned());
        }
    }
    ensure!(
        !chunks.is_empty(),
        "wasm-split found no split point: was the module built with --features split?"
    );
    chunks.sort();
    Ok(chunks)
}

/// wasm-opt from node_modules (binaryen 132) on `input`, written to `output`.
fn optimise(input: &Path, output: &Path) -> Result<()> {
    let (input, output) =
        (input.to_str().context("non-UTF-8 path")?, output.to_str().context("non-UTF-8 path")?);
    let mut args = WASM_OPT.to_vec();
    args.extend([input, "-o", output]);
    crate::cmd::run("node_modules/.bin/wasm-opt", &args, &[])
}

/// Renames `dist/stem.ext` to `stem-<hash>.ext` (the first 8 bytes of its SHA-256) and returns
/// the new name.
fn fingerprint(dist: &Path, stem: &str, ext: &str) -> Result<String> {
    let plain = format!("{stem}.{ext}");
    let bytes = std::fs::read(dist.join(&plain)).with_context(|| format!("reading {plain}"))?;
    let digest = Sha256::digest(&bytes);
    let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let hashed = format!("{stem}-{hash}.{ext}");
    std::fs::rename(dist.join(&plain), dist.join(&hashed))?;
    Ok(hashed)
}

/// Bundles and minifies an ES module in place with esbuild: its relative imports come in.
fn bundle(path: &Path) -> Result<()> {
    // wasm-bindgen imports the chunk loader twice under one key (the same module namespace).
    esbuild(path, &["--bundle", "--log-override:duplicate-object-key=silent"])
}

/// Minifies an ES module or a stylesheet in place with esbuild.
fn minify(path: &Path) -> Result<()> {
    esbuild(path, &[])
}

/// esbuild (from node_modules, pinned in package.json) minifying `path` in place, with `extra`.
fn esbuild(path: &Path, extra: &[&str]) -> Result<()> {
    let file = path.to_str().context("non-UTF-8 path")?;
    let out = format!("--outfile={file}");
    let mut args = vec![file, "--minify", "--allow-overwrite", out.as_str()];
    if !file.ends_with(".css") {
        args.push("--format=esm");
    }
    args.extend(extra);
    crate::cmd::run("node_modules/.bin/esbuild", &args, &[])
}

/// The fingerprinted file `stem-<hash>.ext` of the last build.
pub(crate) fn find(stem: &str, ext: &str) -> Result<PathBuf> {
    let found = built(ext)?.into_iter().find(|(s, _)| s == stem);
    found.map(|(_, path)| path).with_context(|| format!("no {stem}-<hash>.{ext} in {DIST}"))
}

/// The module's chunks of the last build, by name: their stems (`split_market`...) and files.
pub(crate) fn chunks() -> Result<Vec<(String, PathBuf)>> {
    let mut chunks: Vec<_> = built("wasm")?
        .into_iter()
        .filter(|(stem, _)| stem.starts_with("split_") || stem.starts_with("chunk_"))
        .collect();
    chunks.sort();
    Ok(chunks)
}

/// The fingerprinted files `<stem>-<hash>.<ext>` of the last build: stems and paths.
fn built(ext: &str) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(DIST).context("no widget build: run cargo xtask build-widget")? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let hashed = name.strip_suffix(&format!(".{ext}")).and_then(|n| n.rsplit_once('-'));
        if let Some((stem, hash)) = hashed
            && hash.len() == 16
        {
            out.push((stem.to_owned(), path.clone()));
        }
    }
    Ok(out)
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
