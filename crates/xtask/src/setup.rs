//! Installing the tools the build and the tests need, each only when missing or at the wrong
//! version. Versions are pinned where the toolchain notes found they matter:
//! Trunk 0.21.14 (0.22 needs a newer rustc), wasm-bindgen-cli equal to the `wasm-bindgen` crate in
//! Cargo.lock, wasm-opt from npm binaryen 132 (Debian's 108 breaks the module), Debian's Chromium,
//! wasm-split-cli from `wasm_split_cli_support` (the splitter of the `wasm_split_helpers` crate
//! the widget's `split` feature uses).

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::cmd::{output, run};

const TRUNK_VERSION: &str = "0.21.14";
/// `wasm_split_cli_support`, whose chunk format matches `wasm_split_helpers` 0.2 (Cargo.lock).
const WASM_SPLIT_VERSION: &str = "0.2.4";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What to install besides the build tools.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Needs {
    /// Debian's chromium and chromium-driver, for browser tests, and a Java runtime for the Nu
    /// Html Checker they run (npm `vnu-jar`).
    pub(crate) browser: bool,
    /// Debian's redis-server, for the scale-out tests.
    pub(crate) redis: bool,
    /// Debian's nginx, the baseline of the cache benchmark.
    pub(crate) nginx: bool,
    /// Debian's WordPress, PHP and MariaDB, for the plugin's browser test.
    pub(crate) wordpress: bool,
}

/// Installs whatever is missing.
pub(crate) fn ensure(needs: Needs) -> Result<()> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_split()?;
    // One apt-get run for every missing system package, before the node modules: vnu-jar's
    // install script (run by npm versions that run install scripts) downloads a Java runtime
    // when it finds none, and nothing is to be downloaded from GitHub.
    let mut missing = Vec::new();
    if needs.browser
        && !(Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists())
    {
        missing.extend(["chromium", "chromium-driver"]);
    }
    if needs.browser && output("java", &["-version"]).is_none() {
        missing.push("default-jre-headless");
    }
    if needs.redis && !Path::new("/usr/bin/redis-server").exists() {
        missing.push("redis-server");
    }
    if needs.nginx && !Path::new("/usr/sbin/nginx").exists() {
        missing.push("nginx");
    }
    if needs.wordpress && !crate::wordpress::installed() {
        missing.extend(crate::wordpress::PACKAGES);
    }
    if !missing.is_empty() {
        ensure_debian(&missing)?;
    }
    ensure_node_modules()
}

/// Builds the widget bundle into `widget/dist` (release, size profile, wasm-opt 132).
pub(crate) fn build_widget() -> Result<()> {
    // Trunk runs offline (Trunk.toml) so that it never tries to download a tool; cargo must then
    // find every crate locally.
    run("cargo", &["fetch"], &[])?;
    // wasm-split needs the linker's relocations to cut the module (dist::split).
    let relocs = [("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", "-Clink-args=--emit-relocs")];
    run("trunk", &["build", "--config", "Trunk.toml"], &relocs)?;
    crate::dist::finish()
}

fn ensure_wasm_split() -> Result<()> {
    // The CLI has no --version: cargo's list of installed packages says which one is there.
    let wanted = format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}:");
    let installed = output("cargo", &["install", "--list"]).unwrap_or_default();
    if installed.lines().any(|l| l == wanted) && output("wasm-split-cli", &["--help"]).is_some() {
        return Ok(());
    }
    let args = [
        "install",
        "--locked",
        "wasm_split_cli_support",
        "--version",
        WASM_SPLIT_VERSION,
        "--features",
        "build-binary",
    ];
    run("cargo", &args, &[])
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    run("rustup", &["target", "add", WASM_TARGET], &[])
}

fn ensure_trunk() -> Result<()> {
    if output("trunk", &["--version"]).as_deref() == Some(&format!("trunk {TRUNK_VERSION}")) {
        return Ok(());
    }
    run("cargo", &["install", "--locked", "trunk", "--version", TRUNK_VERSION], &[])
}

fn ensure_wasm_bindgen() -> Result<()> {
    let version = wasm_bindgen_version()?;
    let wanted = format!("wasm-bindgen {version}");
    if output("wasm-bindgen", &["--version"]).as_deref() == Some(wanted.as_str())
        && output("wasm-bindgen-test-runner", &["--version"]).is_some()
    {
        return Ok(());
    }
    let args = ["install", "--locked", "wasm-bindgen-cli", "--version", version.as_str()];
    if run("cargo", &args, &[]).is_ok() {
        return Ok(());
    }
    // The registry mirror sometimes lags behind the CLI's own lockfile: build it unlocked.
    run("cargo", &["install", "wasm-bindgen-cli", "--version", version.as_str()], &[])
}

/// The `wasm-bindgen` crate version in Cargo.lock: the CLI must match it exactly.
pub(crate) fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string("Cargo.lock").context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            let version = lines.next().unwrap_or_default();
            if let Some(v) = version.trim().strip_prefix("version = \"") {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    bail!("no wasm-bindgen in Cargo.lock")
}

fn ensure_node_modules() -> Result<()> {
    let wasm_opt_ok = output("node_modules/.bin/wasm-opt", &["--version"])
        .is_some_and(|v| v.contains("version 132"));
    // Every other devDependency of package.json (a new one means `npm ci` again).
    let others_ok = ["@playwright/test", "axe-core", "esbuild"]
        .iter()
        .all(|name| Path::new(&format!("node_modules/{name}/package.json")).exists());
    if wasm_opt_ok && others_ok {
        return Ok(());
    }
    if output("npm", &["--version"]).is_none() {
        ensure_debian(&["nodejs", "npm"])?;
    }
    // Playwright must not try to download its own browsers: we use Debian's Chromium.
    run("npm", &["ci", "--no-audit", "--no-fund"], &[("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")])
}

/// Installs Debian packages (as root, or through sudo).
pub(crate) fn ensure_debian(packages: &[&str]) -> Result<()> {
    let root = output("id", &["-u"]).as_deref() == Some("0");
    let (program, prefix): (&str, Vec<&str>) =
        if root { ("apt-get", vec![]) } else { ("sudo", vec!["apt-get"]) };
    let with = |args: &[&str]| -> Vec<String> {
        prefix.iter().chain(args.iter()).map(|s| (*s).to_owned()).collect()
    };
    let env = [("DEBIAN_FRONTEND", "noninteractive")];
    let update = with(&["update", "-qq"]);
    run(program, &update.iter().map(String::as_str).collect::<Vec<_>>(), &env)?;
    let mut install = with(&["install", "-y", "-qq"]);
    install.extend(packages.iter().map(|p| (*p).to_owned()));
    run(program, &install.iter().map(String::as_str).collect::<Vec<_>>(), &env)
}
