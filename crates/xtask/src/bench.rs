//! `cargo xtask bench`: measurements written to `docs/benchmarks.md` with the command that
//! produced them.

use std::io::Write;

use anyhow::{Context, Result};

use crate::dist;
use crate::setup::{self, Needs};

/// One measured file.
struct Size {
    name: &'static str,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

pub(crate) fn run(_args: &[String]) -> Result<()> {
    setup::ensure(Needs { browser: false, redis: false, nginx: true })?;
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
    md.push_str(&sandbox_section()?);
    std::fs::create_dir_all("docs")?;
    let mut f = std::fs::File::create("docs/benchmarks.md")?;
    f.write_all(md.as_bytes())?;
    println!("{md}");
    Ok(())
}

/// Runs the sandbox's search benchmark (release build) and renders its JSON lines as a section.
fn sandbox_section() -> Result<String> {
    let (ok, out) = crate::cmd::run_capture(
        "cargo",
        &[
            "run",
            "--quiet",
            "--release",
            "-p",
            "emploi-sandbox",
            "--example",
            "search_bench",
            "--",
            "300",
        ],
        &[],
    )?;
    anyhow::ensure!(ok, "the sandbox benchmark failed");
    let lines: Vec<serde_json::Value> =
        out.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let mut md = String::from(
        "\n## Sandbox search latency and memory\n\nCommand: `cargo run --release -p emploi-sandbox --example search_bench -- 300` (run by `cargo xtask bench`). The full default data set (seed 42), each query sent 300 times in sequence through the sandbox's router in-process (token check, validation, search over every offer, rendering of the window, JSON), one core. Latency is per request, the default window of up to 150 offers included. Goals (issue 3): p50 ≤ 2 ms, resident memory ≤ 200 MB. The machine is shared and noisy: on the same build, runs minutes apart differed by up to 3× on the unfiltered queries (p50 1.4 to 4.7 ms for `range=0-19`), so compare runs side by side before reading a change into them.\n\n",
    );
    for l in &lines {
        match l["measure"].as_str() {
            Some("startup") => md.push_str(&format!(
                "Data set: {} offers generated in {} ms; resident memory {:.1} MB after generation (process total, referential included).\n\n| query | parameters | p50 (ms) | p99 (ms) | response bytes |\n| --- | --- | ---: | ---: | ---: |\n",
                l["offers"], l["generation_ms"], l["rss_kib"].as_f64().unwrap_or(0.0) / 1024.0
            )),
            Some("search") => md.push_str(&format!(
                "| {} | `{}` | {} | {} | {} |\n",
                l["name"].as_str().unwrap_or(""),
                l["query"].as_str().unwrap_or(""),
                l["p50_ms"], l["p99_ms"], l["bytes"]
            )),
            Some("end") => md.push_str(&format!(
                "\nResident memory after the runs: {:.1} MB.\n",
                l["rss_kib"].as_f64().unwrap_or(0.0) / 1024.0
            )),
            _ => {}
        }
    }
    Ok(md)
}

fn widget_sizes() -> Result<Vec<Size>> {
    let files = [
        ("offres-emploi.js (loader)", std::path::Path::new(dist::DIST).join("offres-emploi.js")),
        ("emploi-widget-<hash>.js (wasm-bindgen glue)", dist::find("emploi-widget", "js")?),
        ("emploi-widget_bg-<hash>.wasm", dist::find("emploi-widget_bg", "wasm")?),
    ];
    files
        .iter()
        .map(|(name, path)| {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Ok(Size {
                name,
                raw: bytes.len(),
                gzip: dist::gzip(&bytes)?.len(),
                brotli: dist::brotli(&bytes)?.len(),
            })
        })
        .collect()
}
