//! `cargo xtask test`: every check, in the order that fails fastest, ending on one plain
//! `summary: N passed, N failed` line that CI reads.

use anyhow::{Result, bail};

use crate::cmd::{self, free_port, run_capture};
use crate::setup::{self, Needs};

/// Counts of one test step.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    passed: u32,
    failed: u32,
}

pub(crate) fn run(args: &[String]) -> Result<()> {
    let skip_lint = args.iter().any(|a| a == "--no-lint");
    setup::ensure(Needs { browser: true, redis: true, nginx: false, wordpress: true })?;
    crate::openapi::ensure()?;

    if !skip_lint {
        cmd::run("cargo", &["fmt", "--all", "--check"], &[])?;
        cmd::run(
            "cargo",
            &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
            &[],
        )?;
        // The in-process sandbox is a cargo feature of the proxy, off in production builds.
        let sandbox = ["clippy", "-p", "emploi-proxy", "--features", "sandbox", "--all-targets"];
        cmd::run("cargo", &[&sandbox[..], &["--", "-D", "warnings"]].concat(), &[])?;
        // The wire types must build for the browser; the widget's tests run there too.
        let wasm = ["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"];
        let mut types = vec!["clippy", "-p", "emploi-types", "--lib"];
        types.extend(wasm);
        cmd::run("cargo", &types, &[])?;
        // The widget's browser build (`csr`), on its own: never with the proxy's `ssr`.
        let mut widget =
            vec!["clippy", "-p", "emploi-widget", "--features", "csr", "--all-targets"];
        widget.extend(wasm);
        cmd::run("cargo", &widget, &[])?;
        // And the release module's build, whose parts are chunks of their own (`split`).
        let mut split = vec!["clippy", "-p", "emploi-widget", "--features", "split", "--bins"];
        split.extend(wasm);
        cmd::run("cargo", &split, &[])?;
    }
    setup::build_widget()?;
    cmd::run("cargo", &["build", "-p", "emploi-proxy", "-p", "emploi-sandbox", "--bins"], &[])?;

    let mut total = Counts::default();
    let mut failures = Vec::new();

    // Native unit, property and integration tests.
    let (ok, out) = run_capture("cargo", &["test", "--workspace", "--all-targets"], &[])?;
    add(&mut total, cargo_counts(&out), ok, "cargo test", &mut failures);

    // The OpenAPI document against the proxy, as an integrator's generated client would find it.
    let (ok, found) = crate::openapi::run_against_proxy()?;
    println!(
        "openapi: {} test cases over {} operations, {} failed",
        found.cases,
        found.passed + found.failed,
        found.failed
    );
    let counts = Counts { passed: found.passed, failed: found.failed };
    add(&mut total, counts, ok, "schemathesis", &mut failures);

    // Widget component tests in headless Chromium.
    let webdriver = std::env::current_dir()?.join("widget/webdriver.json");
    let webdriver = webdriver.to_string_lossy().into_owned();
    let (ok, out) = run_capture(
        "cargo",
        &["test", "-p", "emploi-widget", "--features", "csr", "--target", "wasm32-unknown-unknown"],
        &[
            ("CHROMEDRIVER", "/usr/bin/chromedriver"),
            ("WASM_BINDGEN_TEST_WEBDRIVER_JSON", webdriver.as_str()),
            ("WASM_BINDGEN_TEST_TIMEOUT", "60"),
        ],
    )?;
    add(&mut total, cargo_counts(&out), ok, "wasm-bindgen-test", &mut failures);

    // End-to-end in Chromium against the real proxy and sandbox.
    let port = free_port()?.to_string();
    let host_port = free_port()?.to_string();
    let sandbox_port = free_port()?.to_string();
    let admin_port = free_port()?.to_string();
    let wordpress_port = free_port()?.to_string();
    let (ok, out) = run_capture(
        "npx",
        &["playwright", "test", "--config", "tests/playwright.config.mjs"],
        &[
            ("PROXY_PORT", port.as_str()),
            ("HOST_PORT", host_port.as_str()),
            ("SANDBOX_PORT", sandbox_port.as_str()),
            ("ADMIN_PORT", admin_port.as_str()),
            ("WORDPRESS_PORT", wordpress_port.as_str()),
            ("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        ],
    )?;
    add(&mut total, playwright_counts(&out), ok, "playwright", &mut failures);

    println!("\nsummary: {} passed, {} failed", total.passed, total.failed);
    if !failures.is_empty() {
        bail!("failed: {}", failures.join(", "));
    }
    Ok(())
}

fn add(total: &mut Counts, counts: Counts, ok: bool, step: &str, failures: &mut Vec<String>) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    if !ok || counts.failed > 0 {
        failures.push(step.to_owned());
        if counts.failed == 0 {
            // A step that failed without a failing test (build error...) still counts as one.
            total.failed += 1;
        }
    }
}

/// Sums `test result: ok. 12 passed; 0 failed; ...` lines.
fn cargo_counts(out: &str) -> Counts {
    let mut c = Counts::default();
    for line in out.lines().filter(|l| l.trim_start().starts_with("test result:")) {
        c.passed += number_before(line, " passed");
        c.failed += number_before(line, " failed");
    }
    c
}

/// Reads Playwright's `  12 passed (3.4s)` and `  1 failed` lines.
fn playwright_counts(out: &str) -> Counts {
    let mut c = Counts::default();
    for line in out.lines().map(str::trim) {
        let first = line.split_whitespace().next().unwrap_or("");
        if first.parse::<u32>().is_err() {
            continue;
        }
        if line.contains(" passed") && !line.contains(';') {
            c.passed += number_before(line, " passed");
        } else if line.ends_with(" failed") || line.contains(" failed ") {
            c.failed += number_before(line, " failed");
        } else if line.contains(" flaky") {
            c.failed += number_before(line, " flaky");
        }
    }
    c
}

/// The number just before `word` in `line` (0 when there is none).
pub(crate) fn number_before(line: &str, word: &str) -> u32 {
    line.find(word)
        .and_then(|i| line[..i].split(|c: char| !c.is_ascii_digit()).next_back())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_and_playwright_summaries() {
        let cargo = "test result: ok. 12 passed; 0 failed; 0 ignored\ntest result: FAILED. 3 passed; 2 failed; 0 ignored";
        let c = cargo_counts(cargo);
        assert_eq!((c.passed, c.failed), (15, 2));
        let pw = "Running 5 tests using 1 worker\n  4 passed (3.2s)\n  1 failed\n";
        let p = playwright_counts(pw);
        assert_eq!((p.passed, p.failed), (4, 1));
    }
}
