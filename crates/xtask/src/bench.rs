//! `cargo xtask bench`: measurements written to `docs/benchmarks.md` with the command that
//! produced them.

use std::io::Write;

use anyhow::{Context, Result};

use crate::setup::{self, Needs};

/// One measured file.
struct Size {
    name: &'static str,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

pub(crate) fn run(_args: &[String]) -> Result<()> {
    setup::ensure(Needs { browser: false })?;
    setup::build_widget()?;
    let sizes = widget_sizes()?;
    let mut md = String::new();
    md.push_str(
        "# Benchmarks\n\nProduced by `cargo xtask bench` on the project's 2-core machine.\n\n",
    );
    md.push_str("## Widget bytes\n\nFiles a host page downloads before the first results, from `widget/dist` after `trunk build` (release, `wasm-release` profile, wasm-opt 132 `-Oz`). gzip level 9, brotli quality 11. The CSS is compiled into the wasm (it is adopted as a constructable stylesheet), so it has no file of its own.\n\n");
    md.push_str("| file | raw (B) | gzip (B) | brotli (B) |\n| --- | ---: | ---: | ---: |\n");
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for s in &sizes {
        md.push_str(&format!("| {} | {} | {} | {} |\n", s.name, s.raw, s.gzip, s.brotli));
        raw += s.raw;
        gz += s.gzip;
        br += s.brotli;
    }
    md.push_str(&format!("| **total** | **{raw}** | **{gz}** | **{br}** |\n\n"));
    md.push_str(&format!(
        "Budget: ≤ 90 kB brotli in total → {} ({:.1} kB).\n",
        if br <= 90_000 { "within budget" } else { "OVER BUDGET" },
        br as f64 / 1000.0
    ));
    std::fs::create_dir_all("docs")?;
    let mut f = std::fs::File::create("docs/benchmarks.md")?;
    f.write_all(md.as_bytes())?;
    println!("{md}");
    Ok(())
}

fn widget_sizes() -> Result<Vec<Size>> {
    let files = [
        ("offres-emploi.js (loader)", "widget/dist/offres-emploi.js"),
        ("emploi-widget.js (wasm-bindgen glue)", "widget/dist/emploi-widget.js"),
        ("emploi-widget_bg.wasm", "widget/dist/emploi-widget_bg.wasm"),
    ];
    files
        .iter()
        .map(|(name, path)| {
            let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
            Ok(Size { name, raw: bytes.len(), gzip: gzip(&bytes)?, brotli: brotli(&bytes)? })
        })
        .collect()
}

fn gzip(bytes: &[u8]) -> Result<usize> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes)?;
    Ok(e.finish()?.len())
}

fn brotli(bytes: &[u8]) -> Result<usize> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out.len())
}
