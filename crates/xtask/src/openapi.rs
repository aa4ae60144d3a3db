//! The OpenAPI-driven property test: Schemathesis, pinned in `tests/openapi/requirements.txt`
//! and installed in `target/schemathesis`, against the debug proxy talking to the sandbox
//! process over HTTP, with the settings of `tests/openapi/schemathesis.toml`. Everything runs on
//! 127.0.0.1 and stops by itself (the run's time is bounded in the settings).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::cmd::{Server, free_port, output, run, wait_for};
use crate::test::number_before;

/// Where the pinned Schemathesis is installed.
const VENV: &str = "target/schemathesis";
const REQUIREMENTS: &str = "tests/openapi/requirements.txt";
const SETTINGS: &str = "tests/openapi/schemathesis.toml";

/// The pinned version, read from the requirements file.
fn pinned() -> Result<String> {
    let text = std::fs::read_to_string(REQUIREMENTS).context("reading the requirements")?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("schemathesis=="))
        .map(str::to_owned)
        .context("no schemathesis pin in the requirements")
}

/// Installs the pinned Schemathesis in its own virtual environment, when missing.
pub(crate) fn ensure() -> Result<()> {
    let bin = format!("{VENV}/bin/schemathesis");
    let version = pinned()?;
    if output(&bin, &["--version"]).is_some_and(|v| v.contains(&version)) {
        return Ok(());
    }
    if !Path::new(&format!("{VENV}/bin/pip")).exists() {
        run("python3", &["-m", "venv", VENV], &[])?;
    }
    let pip = format!("{VENV}/bin/pip");
    run(&pip, &["install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS], &[])
}

/// What one run found.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Outcome {
    /// Test cases generated and sent.
    pub(crate) cases: u32,
    /// Operations that passed every check.
    pub(crate) passed: u32,
    /// Operations with a failure or an error.
    pub(crate) failed: u32,
}

/// Starts the sandbox and the proxy (debug builds, already built) and runs Schemathesis
/// against the proxy's document. Returns whether it passed and its counts.
pub(crate) fn run_against_proxy() -> Result<(bool, Outcome)> {
    ensure()?;
    let (port, upstream) = (free_port()?, free_port()?);
    let secret = format!("openapi-{}", std::process::id());
    let sandbox = format!("http://127.0.0.1:{upstream}");
    let _sandbox = Server(
        Command::new("target/debug/emploi-sandbox")
            .args(["--addr", &format!("127.0.0.1:{upstream}"), "--client-id", "PAR_openapi"])
            .args(["--client-secret", &secret, "--rate-limit", "1000"])
            .spawn()
            .context("starting the sandbox")?,
    );
    wait_for(&format!("{sandbox}/_sandbox/stats"))?;
    let proxy = format!("http://127.0.0.1:{port}");
    let _proxy = Server(
        Command::new("target/debug/emploi-proxy")
            .env("EMPLOI_ADDR", format!("127.0.0.1:{port}"))
            .env("EMPLOI_ADMIN_ADDR", "off")
            .env("EMPLOI_CONFIG", "tests/openapi/proxy.toml")
            .env("FT_CLIENT_ID", "PAR_openapi")
            .env("FT_CLIENT_SECRET", &secret)
            .env(
                "FT_TOKEN_URL",
                format!("{sandbox}/connexion/oauth2/access_token?realm=%2Fpartenaire"),
            )
            .env("FT_API_BASE", format!("{sandbox}/partenaire/offresdemploi/v2"))
            .env("EMPLOI_LOG", "error")
            .spawn()
            .context("starting the proxy")?,
    );
    wait_for(&format!("{proxy}/healthz"))?;
    let bin = format!("{VENV}/bin/schemathesis");
    let document = format!("{proxy}/api/v1/openapi.json");
    let junit = "target/openapi/junit.xml";
    let (ok, out) = crate::cmd::run_capture(
        &bin,
        &[
            "--config-file",
            SETTINGS,
            "run",
            &document,
            "--url",
            &proxy,
            "--no-color",
            "--report",
            "junit",
            "--report-junit-path",
            junit,
        ],
        &[],
    )?;
    Ok((ok, outcome(&out)))
}

/// Reads Schemathesis' summary: `Tested: N` operations, the line after `Test cases:`
/// (`N generated, ...`) and the closing line (`=== 3 failures in 80.2s ===`).
fn outcome(out: &str) -> Outcome {
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    let mut tested: u32 = 0;
    let mut o = Outcome::default();
    for (i, line) in lines.iter().enumerate() {
        if let Some(n) = line.strip_prefix("Tested:") {
            tested = n.trim().parse().unwrap_or(0);
        }
        if *line == "Test cases:" {
            o.cases = lines.get(i + 1).map_or(0, |next| number_before(next, " generated"));
        }
        if line.starts_with("===") && line.contains(" in ") {
            o.failed = number_before(line, " failure") + number_before(line, " error");
        }
    }
    o.passed = tested.saturating_sub(o.failed);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summary() {
        let out = "API Operations:\n  Selected: 8/8\n  Tested: 8\n\nTest cases:\n  34770 generated, 3 found 3 unique failures\n\n==== 3 failures in 300.00s ====";
        let o = outcome(out);
        assert_eq!((o.cases, o.passed, o.failed), (34770, 5, 3));
        let clean = "  Tested: 8\nTest cases:\n  900 generated, 900 passed\n=== No issues found in 9.1s ===";
        let o = outcome(clean);
        assert_eq!((o.cases, o.passed, o.failed), (900, 8, 0));
    }
}
