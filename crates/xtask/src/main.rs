//! `cargo xtask`: the project's automation, so that a newcomer needs two commands.
//!
//! - `cargo xtask demo`: installs what is missing, builds the widget, serves the demo.
//! - `cargo xtask test`: installs what is missing (browser included) and runs every check.
//! - `cargo xtask bench`: measures and writes `docs/benchmarks.md`.
//! - `cargo xtask fuzz`: 100,000 generated bad inputs per property (a few hundred in `test`).
//! - `cargo xtask load`: a 60-second load test of the proxy, recorded in `docs/benchmarks.md`.
//! - `cargo xtask openapi`: only the OpenAPI property test (Schemathesis), also part of `test`.
//! - `cargo xtask wordpress <proxy origin> [port]`: a real WordPress with the plugin, as the
//!   browser tests start it.
//!
//! Every install step is idempotent and uses only the package registries (crates.io, npm,
//! Debian): nothing is downloaded from GitHub.

mod bench;
mod cmd;
mod dist;
mod openapi;
mod setup;
mod test;
mod wordpress;

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = cmd::workspace_root()?;
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("demo") => demo(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        Some("load") => bench::load(&args[1..]),
        Some("openapi") => openapi_check(),
        Some("wordpress") => wordpress::serve(
            args.get(1).map_or("http://127.0.0.1:8080", String::as_str),
            args.get(2).and_then(|p| p.parse().ok()),
        ),
        Some("setup") => {
            setup::ensure(setup::Needs { browser: true, redis: true, nginx: true, wordpress: true })
        }
        Some("build-widget") => {
            setup::ensure(setup::Needs::default())?;
            setup::build_widget()
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  demo          install what is missing, build, serve the demo on http://127.0.0.1:8080/\n  test          install what is missing and run every test (browser included)\n  bench         run the benchmarks and write docs/benchmarks.md\n  fuzz          run the bad-input properties with 100,000 cases each (--cases N)\n  load          run the 60 s load test and record it in docs/benchmarks.md\n  openapi       run only the OpenAPI property test (Schemathesis) against the proxy\n  wordpress     start a WordPress with the plugin, for a proxy at the given origin\n  setup         only install the tools\n  build-widget  only build the widget bundle"
            );
            bail!("unknown or missing command");
        }
    }
}

/// The OpenAPI property test on its own (debug builds of the proxy and the sandbox).
fn openapi_check() -> Result<()> {
    cmd::run("cargo", &["build", "-p", "emploi-proxy", "-p", "emploi-sandbox", "--bins"], &[])?;
    let (ok, found) = openapi::run_against_proxy()?;
    println!(
        "openapi: {} test cases, {} operations passed, {} failed",
        found.cases, found.passed, found.failed
    );
    if !ok || found.failed > 0 {
        bail!("the proxy does not keep its OpenAPI document");
    }
    Ok(())
}

fn demo(args: &[String]) -> Result<()> {
    let addr = args
        .iter()
        .position(|a| a == "--addr")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    setup::ensure(setup::Needs::default())?;
    setup::build_widget()?;
    cmd::run("cargo", &["build", "--release", "-p", "emploi-proxy", "--features", "sandbox"], &[])?;
    println!("\nDemo: http://{addr}/  (Ctrl-C to stop)\n");
    // Sandbox mode is asked for by name: the proxy never falls into it by itself.
    cmd::run(
        "target/release/emploi-proxy",
        &[],
        &[("EMPLOI_ADDR", addr.as_str()), ("EMPLOI_SANDBOX", "1")],
    )
}

/// The bad-input properties of the proxy (query strings of every endpoint, configuration files)
/// with many cases, in release mode.
fn fuzz(args: &[String]) -> Result<()> {
    let cases = args
        .iter()
        .position(|a| a == "--cases")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| "100000".to_owned());
    setup::ensure(setup::Needs::default())?;
    let env = [("PROPTEST_CASES", cases.as_str())];
    cmd::run("cargo", &["test", "--release", "-p", "emploi-proxy", "--test", "fuzz"], &env)?;
    cmd::run(
        "cargo",
        &["test", "--release", "-p", "emploi-proxy", "--lib", "config::file::tests"],
        &env,
    )
}
