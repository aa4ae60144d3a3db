//! `cargo xtask bench`: measurements written to `docs/benchmarks.md` with the command that
//! produced them.

use std::io::Write;

use anyhow::{Context, Result};

use crate::cmd::{Server, free_port, wait_for};
use crate::dist;
use crate::setup::{self, Needs};

/// One measured file.
struct Size {
    name: String,
    /// A chunk of the module, loaded the first time its part of the interface is needed.
    later: bool,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

pub(crate) fn run(args: &[String]) -> Result<()> {
    if args.first().map(String::as_str) == Some("--proxy") {
        return proxy_only(args.get(1).map(String::as_str));
    }
    if args.first().map(String::as_str) == Some("--national") {
        return national_only();
    }
    if args.first().map(String::as_str) == Some("--sites") {
        return sites_only();
    }
    setup::ensure(Needs { browser: true, nginx: true, ..Needs::default() })?;
    setup::build_widget()?;
    let sizes = widget_sizes()?;
    let mut md = String::new();
    let commit = crate::cmd::output("git", &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let date = crate::cmd::output("date", &["-u", "+%Y-%m-%d"]).unwrap_or_default();
    md.push_str(&format!(
        "# Benchmarks\n\nProduced by `cargo xtask bench` on {} at commit {} (with the working tree's changes, if any), on the project's shared 2-core machine: every figure below is from that one run, except the load test's section, which `cargo xtask load` writes.\n\n",
        date.trim(),
        commit.trim()
    ));
    md.push_str("## Widget bytes\n\nThe widget's files, from `widget/dist` after `cargo xtask build-widget` (Trunk release, `wasm-release` profile, the module split by wasm-split, then wasm-opt 132 `-Oz`, glue and CSS minified by esbuild). gzip level 9, brotli quality 11, as the proxy serves them precompressed. The loader and the stylesheet come before the first results (with the first view's answer, measured in the browser below); the glue and the wasm before the widget is interactive. The module's chunks (wasm-split, `widget/src/split.rs`) load the first time their part is needed: `split_offer_detail` on the first offer opened, `split_market` and `split_agenda` with the market and events panels (before the takeover when the first view shows them), `chunk_*` with the parts that share them (the panels' texts are in one); they are not in the total.\n\n");
    md.push_str("| file | raw (B) | gzip (B) | brotli (B) |\n| --- | ---: | ---: | ---: |\n");
    for s in &sizes {
        md.push_str(&format!("| {} | {} | {} | {} |\n", s.name, s.raw, s.gzip, s.brotli));
    }
    let br: usize = sizes.iter().filter(|s| !s.later).map(|s| s.brotli).sum();
    md.push_str(&format!("| **total** | | | **{br}** |\n"));
    md.push_str(&sandbox_section()?);
    md.push_str(&proxy_section()?);
    md.push_str(&first_results_section()?);
    md.push_str(&lighthouse_section()?);
    // The load test and the national simulation have their own commands; keep their last
    // results.
    let previous = std::fs::read_to_string(BENCHMARKS).unwrap_or_default();
    for heading in [LOAD_HEADING, NATIONAL_HEADING, SITES_HEADING] {
        if let Some(section) = section_of(&previous, heading) {
            md.push_str(&section);
        }
    }
    std::fs::create_dir_all("docs")?;
    let mut f = std::fs::File::create(BENCHMARKS)?;
    f.write_all(md.as_bytes())?;
    println!("{md}");
    Ok(())
}

/// Runs a benchmark program and returns its JSON lines.
fn json_lines(program: &str, args: &[&str], what: &str) -> Result<Vec<serde_json::Value>> {
    let (ok, out) = crate::cmd::run_capture(program, args, &[])?;
    anyhow::ensure!(ok, "the {what} failed");
    Ok(out.lines().filter_map(|l| serde_json::from_str(l).ok()).collect())
}

/// The line of `measure`.
fn measure(lines: &[serde_json::Value], measure: &str) -> Result<serde_json::Value> {
    lines
        .iter()
        .find(|l| l["measure"] == measure)
        .cloned()
        .with_context(|| format!("no {measure} result"))
}

const BENCHMARKS: &str = "docs/benchmarks.md";
const LOAD_HEADING: &str = "\n## Load test\n";
const NATIONAL_HEADING: &str = "\n## National simulation\n";
const SITES_HEADING: &str = "\n## 35,000 sites\n";

/// `cargo xtask bench --sites`: loading 35,000 sites as a reload does
/// (`crates/proxy/examples/sites_load.rs`), written in place of the last one's section.
fn sites_only() -> Result<()> {
    crate::cmd::run(
        "cargo",
        &["build", "--release", "-p", "emploi-proxy", "--example", "sites_load"],
        &[],
    )?;
    let lines = json_lines("target/release/examples/sites_load", &[], "sites load")?;
    let l = measure(&lines, "sites")?;
    let commit = crate::cmd::output("git", &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let date = crate::cmd::output("date", &["-u", "+%Y-%m-%d"]).unwrap_or_default();
    let mb = |k: &str| l[k].as_f64().unwrap_or(0.0);
    let md = format!(
        "{SITES_HEADING}\nCommand: `cargo xtask bench --sites` (`target/release/examples/sites_load`), on {} at commit {}. A configuration file of {} sites ({:.1} MB: one per commune of the referential, then one per EPCI, each with two origins and its territory), read and checked as a start or a reload does (TOML, the search vocabulary's rules, the referential), then swapped in as the live site table. Times are medians of {} rounds; memory is the first round's resident memory (jemalloc, as the proxy) above what was resident before.\n\n| read and check (ms) | swap (ms) | resident once loaded (MB) | peak while loading (MB) |\n| ---: | ---: | ---: | ---: |\n| {:.0} | {:.1} | {:.1} | {:.1} |\n",
        date.trim(),
        commit.trim(),
        l["sites"],
        mb("file_mb"),
        l["rounds"],
        mb("read_ms_median"),
        mb("swap_ms_median"),
        mb("resident_mb"),
        mb("peak_mb"),
    );
    write_section(SITES_HEADING, &md)?;
    println!("{md}");
    Ok(())
}

/// `cargo xtask bench --national`: the national-scale simulation
/// (`crates/proxy/examples/national.rs`, its model in its documentation), written in place of
/// the last one's section.
fn national_only() -> Result<()> {
    crate::cmd::run(
        "cargo",
        &["build", "--release", "-p", "emploi-proxy", "--example", "national"],
        &[],
    )?;
    let lines = json_lines("target/release/examples/national", &[], "national simulation")?;
    let commit = crate::cmd::output("git", &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let date = crate::cmd::output("date", &["-u", "+%Y-%m-%d"]).unwrap_or_default();
    let mut md = format!(
        "{NATIONAL_HEADING}\nCommand: `cargo xtask bench --national` (`target/release/examples/national`), on {} at commit {}. One site per commune of the referential, a simulated day (after a day of warm-up) on tokio's paused clock, through the proxy's real search cache, budget (9 calls/s, refresh reserve 4) and refresh scheduler; France Travail simulated with its 10 calls/s limit and the sandbox's realistic latency (350 ms median, 1.5 s at p99). The traffic model and what is real or simulated are in the program's documentation. `today`: fresh 5 minutes, then a miss (stale only on failure); `issue 26`: served up to 24 h while one refresh runs behind, sites' first views registered, the scheduler on. \"At once\": answered without waiting for France Travail. Ages in seconds; cache size is the answers' JSON (in memory about as much again).\n\n| load | policy | first views | at once | searches | at once | wait p50/p95/p99 (ms) | age p50/p99/max (s) | FT calls/s mean / peak minute / peak second | FT 429 | resident 503 | refreshes (refused) | cache entries / MB | wall (s) |\n| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | --- | --- | ---: |\n",
        date.trim(),
        commit.trim()
    );
    for l in &lines {
        md.push_str(&format!(
            "| {}× | {} | {} | {:.3} % | {} | {:.1} % | {}/{}/{} | {}/{}/{} | {:.2} / {:.2} / {} | {} | {} | {} ({}) | {} / {:.0} | {} |\n",
            l["load"], l["policy"].as_str().unwrap_or(""), l["first_views"], l["first_views_at_once_pct"].as_f64().unwrap_or(0.0),
            l["searches"], l["searches_at_once_pct"].as_f64().unwrap_or(0.0),
            l["wait_ms_p50"], l["wait_ms_p95"], l["wait_ms_p99"], l["age_s_p50"], l["age_s_p99"], l["age_s_max"],
            l["ft_calls_per_s_mean"].as_f64().unwrap_or(0.0), l["ft_calls_per_s_peak_minute"].as_f64().unwrap_or(0.0), l["ft_calls_per_s_peak"], l["ft_429"], l["resident_503"],
            l["refreshes"], l["refreshes_refused"], l["cache_entries"], l["cache_json_mb"].as_f64().unwrap_or(0.0), l["wall_seconds"],
        ));
    }
    if let Some(first) = lines.first() {
        md.push_str(&format!("\nSites: {}.\n", first["sites"]));
    }
    write_section(NATIONAL_HEADING, &md)?;
    println!("{md}");
    Ok(())
}

/// Writes `md` in docs/benchmarks.md in place of the section starting at `heading`, or at its
/// end when there is none.
fn write_section(heading: &str, md: &str) -> Result<()> {
    let previous = std::fs::read_to_string(BENCHMARKS).unwrap_or_default();
    let out = match section_of(&previous, heading) {
        Some(old) => previous.replacen(&old, md, 1),
        None => format!("{previous}{md}"),
    };
    std::fs::write(BENCHMARKS, out)?;
    Ok(())
}

/// The section starting at `heading`, up to the next `## ` heading.
fn section_of(md: &str, heading: &str) -> Option<String> {
    let start = md.find(heading)?;
    let rest = &md[start + heading.len()..];
    let end = rest.find("\n## ").map_or(md.len(), |i| start + heading.len() + i);
    Some(md[start..end].to_owned())
}

/// `cargo xtask bench --proxy [<baseline proxy binary>]`: only the proxy's section, written in
/// place of the last full run's, with the run it comes from; with a baseline (a release build
/// of an earlier commit), the cache hits of both side by side as well.
fn proxy_only(baseline: Option<&str>) -> Result<()> {
    setup::ensure(Needs { nginx: true, ..Needs::default() })?;
    let mut section = proxy_section()?;
    let commit = crate::cmd::output("git", &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let date = crate::cmd::output("date", &["-u", "+%Y-%m-%d"]).unwrap_or_default();
    let note = format!(
        "\n## Proxy\n\nThis section alone comes from `cargo xtask bench --proxy{}` on {} at commit {}, not from the run the header names.\n",
        // The baseline's path is this machine's: the report names it by its role.
        if baseline.is_some() { " <baseline>" } else { "" },
        date.trim(),
        commit.trim()
    );
    section = section.replacen("\n## Proxy\n", &note, 1);
    if let Some(baseline) = baseline {
        section.push_str(&baseline_section(baseline)?);
    }
    write_section("\n## Proxy\n", &section)?;
    println!("{section}");
    Ok(())
}

/// Cache hits through this build, a baseline build and nginx, in turn (`load_bench --hits-against`).
fn baseline_section(baseline: &str) -> Result<String> {
    let lines = json_lines(
        "target/release/examples/load_bench",
        &["target/release/emploi-proxy", "/usr/sbin/nginx", "5", "--hits-against", baseline],
        "baseline comparison",
    )?;
    let m = measure(&lines, "hits_against")?;
    let f = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let (p, b, n) = (f(&m["proxy_rps"]), f(&m["baseline_rps"]), f(&m["nginx_rps"]));
    Ok(format!(
        "### Cache hits against a baseline build, 200 connections\n\nCommand: `target/release/examples/load_bench target/release/emploi-proxy /usr/sbin/nginx 5 --hits-against <baseline>`. The same cached search through this build, the baseline build (`<baseline>`, an earlier commit built in release) and nginx `proxy_cache`, in turn, {} s per run, 5 rounds; medians. Errors (non-200): {}.\n\n| | requests/s | runs |\n| --- | ---: | --- |\n| this build | {p:.0} | {} |\n| baseline build | {b:.0} | {} |\n| nginx `proxy_cache` | {n:.0} | {} |\n\nRatio to nginx: this build **{:.2}×**, baseline **{:.2}×**; this build against the baseline: **{:.2}×**.\n\n",
        m["seconds"],
        m["errors"],
        m["proxy_runs"],
        m["baseline_runs"],
        m["nginx_runs"],
        p / n,
        b / n,
        p / b,
    ))
}

/// The release proxy and its load generator (`crates/proxy/examples/load_bench.rs`).
fn build_load_bench() -> Result<()> {
    crate::cmd::run(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "emploi-proxy",
            "--features",
            "sandbox",
            "--bins",
            "--example",
            "load_bench",
            "--example",
            "client_memory",
        ],
        &[],
    )
}

/// The per-client structures' memory after 1,000,000 distinct addresses (`client_memory`).
fn client_memory_section() -> Result<String> {
    let lines = json_lines("target/release/examples/client_memory", &[], "client memory")?;
    let m = measure(&lines, "client_memory")?;
    let f = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    Ok(format!(
        "### Per-client structures, 1,000,000 addresses

Command: `target/release/examples/client_memory` (built by `cargo xtask bench`). One request from each of {} distinct client addresses (half IPv4, half IPv6 in distinct /64s), each also taking a France Travail call of its own through the budget's per-client share, as fast as one thread goes: the worst case of a crowd or a script rotating addresses. Growth of the process's resident memory: **{:.1} MB** ({:.0} bytes an address). Clients held at the end: {} by the gate's request limiter (pruned every 4,096 checks, a client forgotten once its allowance is whole again, 200 ms after one request at 300 a minute) and {} by the budget's share (whole again 1 s after one call at 60 a minute). After 2.5 s and a pruning, clients held: {} (the allocator keeps the pages for the next clients: resident growth then {:.1} MB).

",
        m["addresses"],
        f(&m["bytes"]) / 1e6,
        f(&m["bytes_per_address"]),
        m["tracked_gate"],
        m["tracked_budget"],
        m["after_prune_tracked"],
        f(&m["after_prune_bytes"]) / 1e6,
    ))
}

/// `cargo xtask load`: the 60-second load test, written into its section of docs/benchmarks.md.
pub(crate) fn load(args: &[String]) -> Result<()> {
    let seconds = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| "60".to_owned());
    setup::ensure(Needs::default())?;
    build_load_bench()?;
    let lines = json_lines(
        "target/release/examples/load_bench",
        &["target/release/emploi-proxy", "-", seconds.as_str(), "--soak"],
        "load test",
    )?;
    let l = measure(&lines, "soak")?;
    let mib = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN) / 1024.0;
    let num = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let section = format!(
        "{LOAD_HEADING}\nCommand: `cargo xtask load` (`target/release/examples/load_bench target/release/emploi-proxy - {seconds} --soak`). {} s at saturation on 127.0.0.1: {} workers without pause, {} sites, {} client addresses (through `X-Forwarded-For` from a trusted proxy), 300 possible searches (100 sites' default communes × 3 keywords) skewed towards popular sites, so that the first part of the run is mostly misses paced by the budget and the second part mostly hits; per-IP limit 120/min, per-site 3,000/min; the sandbox at France Travail's 10 calls/s, the proxy at its default budget (9 calls/s).\n\n- Requests: {} ({:.0}/s). Answers: {}.\n- Errors other than 429/503 with `Retry-After`: **{}** (goal 0).\n- Upstream calls: {} ({:.2}/s); France Travail 429s: **{}** (goal 0).\n- Proxy memory (VmRSS, sampled every second): {:.1} MB at start; over the second half of the run between {:.1} and {:.1} MB; {:.1} MB at the end.\n",
        l["seconds"],
        l["workers"],
        l["sites"],
        l["addresses"],
        l["requests"],
        num(&l["rps"]),
        l["answers"].as_str().unwrap_or(""),
        l["errors"],
        l["upstream_calls"],
        num(&l["upstream_per_second"]),
        l["upstream_429"],
        mib(&l["rss_first_kib"]),
        mib(&l["rss_min_second_half_kib"]),
        mib(&l["rss_max_second_half_kib"]),
        mib(&l["rss_last_kib"]),
    );
    let old = std::fs::read_to_string(BENCHMARKS).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
    let new = match section_of(&old, LOAD_HEADING) {
        Some(previous) => old.replace(&previous, &section),
        None => format!("{}\n{section}", old.trim_end()),
    };
    std::fs::write(BENCHMARKS, new)?;
    println!("{section}");
    Ok(())
}

/// The release proxy in sandbox mode on `port`, serving `site_dir` as its site.
fn start_proxy(port: u16, site_dir: &str) -> Result<Server> {
    let proxy = Server(
        std::process::Command::new("target/release/emploi-proxy")
            .env("EMPLOI_ADDR", format!("127.0.0.1:{port}"))
            .env("EMPLOI_ADMIN_ADDR", "off")
            .env("EMPLOI_SANDBOX", "1")
            .env("EMPLOI_SITE_DIR", site_dir)
            // Its own usage counts, out of the working tree and of a demo's way.
            .env("EMPLOI_USAGE_FILE", format!("target/bench-usage-{port}.redb"))
            .env("EMPLOI_LOG", "error")
            .spawn()
            .context("starting the proxy")?,
    );
    wait_for(&format!("http://127.0.0.1:{port}/healthz"))?;
    Ok(proxy)
}

/// Time to first results and to interactive, and their bytes, in Chromium: the widget against
/// the hand-written baseline, on loopback and on a throttled phone (tests/bench).
fn first_results_section() -> Result<String> {
    let (proxy_port, host_port) = (free_port()?, free_port()?);
    let proxy = format!("http://127.0.0.1:{proxy_port}");
    let host = format!("http://127.0.0.1:{host_port}");
    // The baseline's script is served from the proxy's origin, as the loader is.
    let _proxy = start_proxy(proxy_port, "tests/bench/proxy-site")?;
    let _host = Server(
        std::process::Command::new("node")
            .arg("tests/host-server.mjs")
            .env("HOST_PORT", host_port.to_string())
            .env("PROXY_ORIGIN", &proxy)
            .spawn()
            .context("starting the host server")?,
    );
    wait_for(&format!("{host}/healthz"))?;
    let lines = json_lines(
        "node",
        &["tests/bench/first-results.mjs", host.as_str(), proxy.as_str(), "20"],
        "first-results benchmark",
    )?;
    let profile = |name: &str| {
        lines
            .iter()
            .find(|l| l["measure"] == "first_results" && l["profile"] == name)
            .cloned()
            .with_context(|| format!("no first_results line for {name}"))
    };
    let (lo, phone) = (profile("loopback")?, profile("phone")?);
    let f = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let kb = |v: &serde_json::Value| f(v) / 1000.0;
    let dash = |v: &serde_json::Value, scale: f64, digits: usize| {
        v.as_f64().map_or("–".to_owned(), |x| format!("{:.*}", digits, x / scale))
    };
    let mut md = format!(
        "\n## Time to first results\n\nCommand: `node tests/bench/first-results.mjs <host> <proxy> 20` (run by `cargo xtask bench` against the release proxy in sandbox mode and `tests/host-server.mjs`). Headless Debian Chromium; each visit in a fresh browser context (a first visit: nothing cached in the browser; the proxy's caches warmed by one unmeasured round). *First results*: from navigation start to the animation frame after the first result card is in the DOM (the server's first view, for the widget). *Interactive*: the animation frame after the widget's `offres-emploi:recherche` event, which the WebAssembly module sends once it has taken over from the first view. *Bytes*: received from the proxy's origin until then (headers and compressed bodies, as Chromium's network domain reports them, partial downloads included); the loader, first view and CSS column counts only those three (the baseline's script and search, for the baseline), the next one also what else had arrived by then (the glue and the wasm, or the part of them downloaded by then). `bench-widget.html` is the snippet (Rennes, 10 km, 20 offers); the baseline `bench-plain.html` loads an external script from the proxy's origin that fetches the same search and writes 20 list items. The kinds of page alternate, {} visits each; medians.\n\nThe phone: CDP `Network.emulateNetworkConditions` (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up) and `Emulation.setCPUThrottlingRate` 4×. The loader asks for the module's glue and wasm once a first view has arrived; `widget-eager` is the other order: the same snippet on `bench-widget-eager.html`, which preloads them (the wasm at low fetch priority), so that they download at once, beside the first view. `widget-panels` is the same snippet with the `marche` and `evenements` attributes (`bench-widget-panels.html`): its first view carries the market overview, the official figures and the events, and the module takes over once the two panels' chunks have loaded.\n\n| profile | page | first results (ms) | interactive (ms) | loader, first view, CSS before first results (kB) | all bytes before first results (kB) | bytes until interactive (kB) | first results, each visit (ms) |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n",
        lo["runs"]
    );
    for (name, l, kinds) in [
        ("loopback", &lo, &["widget", "plain"][..]),
        ("phone", &phone, &["widget", "plain", "widget-eager", "widget-panels"][..]),
    ] {
        for kind in kinds {
            let k = &l[*kind];
            md.push_str(&format!(
                "| {name} | {kind} | {} | {} | {} | {} | {} | {} |\n",
                dash(&k["first_ms"], 1.0, 0),
                dash(&k["interactive_ms"], 1.0, 0),
                dash(&k["bytes_first_own"], 1000.0, 1),
                dash(&k["bytes_first"], 1000.0, 1),
                dash(&k["bytes_interactive"], 1000.0, 1),
                k["first_runs"]
            ));
        }
    }
    let ratio = |l: &serde_json::Value| f(&l["widget"]["first_ms"]) / f(&l["plain"]["first_ms"]);
    let w = &phone["widget"];
    let eager = &phone["widget-eager"];
    let panels = &phone["widget-panels"];
    md.push_str(&format!(
        "\n- First results, widget / baseline: **{:.2}×** on the phone (goal ≤ 1.0×), **{:.2}×** on loopback (goal ≤ 1.2×).\n- Interactive on the phone: **{:.0} ms after first results** (goal ≤ 1,000 ms).\n- Bytes before first results on the phone: loader, first view and CSS **{:.1} kB** (goal ≤ 20 kB), {:.1} kB with what else had arrived; until interactive: **{:.1} kB** (goal ≤ 150 kB).\n- Module order on the phone: first results at {:.0} ms and interactive at {:.0} ms when the module is fetched once the first view has arrived (the loader's order, `widget`), {:.0} and {:.0} ms when it is fetched at once (`widget-eager`).\n- With the market and events panels on the phone (`widget-panels`): loader, first view and CSS **{:.1} kB** before first results ({:.1} kB without the panels); **{:.1} kB** until interactive ({:.1} kB without); first results at {:.0} ms, interactive at {:.0} ms.\n",
        ratio(&phone),
        ratio(&lo),
        f(&w["interactive_ms"]) - f(&w["first_ms"]),
        kb(&w["bytes_first_own"]),
        kb(&w["bytes_first"]),
        kb(&w["bytes_interactive"]),
        f(&w["first_ms"]),
        f(&w["interactive_ms"]),
        f(&eager["first_ms"]),
        f(&eager["interactive_ms"]),
        kb(&panels["bytes_first_own"]),
        kb(&w["bytes_first_own"]),
        kb(&panels["bytes_interactive"]),
        kb(&w["bytes_interactive"]),
        f(&panels["first_ms"]),
        f(&panels["interactive_ms"]),
    ));
    Ok(md)
}

/// Lighthouse (npm, pinned in package.json) on the demo's home page, mobile.
fn lighthouse_section() -> Result<String> {
    let port = free_port()?;
    let _proxy = start_proxy(port, "demo-site")?;
    let url = format!("http://127.0.0.1:{port}/");
    let lines =
        json_lines("node", &["tests/bench/lighthouse.mjs", url.as_str(), "5"], "Lighthouse run")?;
    let l = measure(&lines, "lighthouse")?;
    let f = |k: &str| l[k].as_f64().unwrap_or(f64::NAN);
    Ok(format!(
        "\n## Lighthouse\n\nCommand: `node tests/bench/lighthouse.mjs http://127.0.0.1:<port>/ 5` (run by `cargo xtask bench`): Lighthouse {} (npm, pinned), its default mobile settings (simulated throttling: 150 ms RTT, 1.6 Mbit/s, CPU 4×), Debian's headless Chromium, on the demo's home page (`demo-site/index.html`, two widgets) served by the release proxy in sandbox mode. {} runs; medians.\n\n| performance | accessibility | CLS | LCP (ms) | TBT (ms) | FCP (ms) | performance, each run |\n| ---: | ---: | ---: | ---: | ---: | ---: | --- |\n| **{:.0}** | **{:.0}** | **{}** | {:.0} | {:.0} | {:.0} | {} |\n\nGoals: performance ≥ 95, accessibility 100, CLS 0. Accessibility audits failed in any run: {}.\n",
        l["version"].as_str().unwrap_or("?"),
        l["runs"],
        f("performance"),
        f("accessibility"),
        l["cls"],
        f("lcp_ms"),
        f("tbt_ms"),
        f("fcp_ms"),
        l["performance_runs"],
        match l["accessibility_failing"].as_array() {
            Some(ids) if !ids.is_empty() => ids
                .iter()
                .map(|id| format!("`{}`", id.as_str().unwrap_or("?")))
                .collect::<Vec<_>>()
                .join(", "),
            _ => "none".to_owned(),
        },
    ))
}

/// Runs the proxy's load benchmark (release builds; nginx as the cache baseline) and renders its
/// JSON lines as a section.
fn proxy_section() -> Result<String> {
    build_load_bench()?;
    let lines = json_lines(
        "target/release/examples/load_bench",
        &["target/release/emploi-proxy", "/usr/sbin/nginx", "5"],
        "proxy benchmark",
    )?;
    let find = |m: &str| measure(&lines, m).unwrap_or_default();
    let f = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let mut md = String::from(
        "\n## Proxy\n\nCommand: `cargo build --release -p emploi-proxy --features sandbox --bins --example load_bench && target/release/examples/load_bench target/release/emploi-proxy /usr/sbin/nginx 5` (run by `cargo xtask bench`). Everything on 127.0.0.1 of the same 2-core machine: the sandbox and the load generator (reqwest, closed loop, one request at a time per connection) in one process, the release proxy in its own process, Debian's nginx with `proxy_cache` as the baseline. The load generator competes with the servers for the two cores, the same way for every target, so ratios are more meaningful than absolute figures.\n\n",
    );
    let hits = find("hits");
    let (prps, nrps) = (f(&hits["proxy_rps"]), f(&hits["nginx_rps"]));
    md.push_str(&format!(
        "### Cache hits, 200 connections\n\nThe same search ({} bytes of JSON) answered from the cache, {} s per run after a 1 s warm-up, proxy and nginx alternately, 5 runs each (throughput varies by a third from run to run on this shared machine); medians. Errors (non-200): {}.\n\n| | requests/s | p50 (ms) | p99 (ms) | runs (requests/s) |\n| --- | ---: | ---: | ---: | --- |\n| emploi-proxy (moka) | {:.0} | {:.2} | {:.2} | {} |\n| nginx `proxy_cache` | {:.0} | {:.2} | {:.2} | {} |\n\nThroughput ratio proxy / nginx: **{:.2}×** (goal ≥ 1.0×); proxy p99 at saturation {:.2} ms (goal ≤ 5 ms; see the fixed rate below).\n\n",
        hits["bytes"], hits["seconds"], hits["errors"],
        prps, f(&hits["proxy_p50_ms"]), f(&hits["proxy_p99_ms"]), hits["proxy_rps_runs"],
        nrps, f(&hits["nginx_p50_ms"]), f(&hits["nginx_p99_ms"]), hits["nginx_rps_runs"],
        prps / nrps, f(&hits["proxy_p99_ms"]),
    ));
    let fixed = find("hits_fixed_rate");
    md.push_str(&format!(
        "### Cache hits at a fixed rate, 200 connections\n\nAt saturation a closed loop measures its own queue: 200 connections each waiting for their answer make p99 mostly the time a request waits behind the others (nginx included). Here the same hits are sent at a fixed {:.0} requests/s (half of nginx's median throughput above), spread over 200 connections, each on its own schedule; a request's latency counts from when it was due, so a late start counts too (tokio's timer adds up to 1 ms to both targets). {} s per run after a 1 s warm-up, proxy and nginx alternately, 3 runs each; medians. Errors (non-200): {}.\n\n| | p50 (ms) | p99 (ms) | runs (p99, ms) |\n| --- | ---: | ---: | --- |\n| emploi-proxy (moka) | {:.2} | {:.2} | {} |\n| nginx `proxy_cache` | {:.2} | {:.2} | {} |\n\nProxy p99 at a fixed rate: **{:.2} ms** (goal ≤ 5 ms).\n\n",
        f(&fixed["rate"]), fixed["seconds"], fixed["errors"],
        f(&fixed["proxy_p50_ms"]), f(&fixed["proxy_p99_ms"]), fixed["proxy_p99_runs"],
        f(&fixed["nginx_p50_ms"]), f(&fixed["nginx_p99_ms"]), fixed["nginx_p99_runs"],
        f(&fixed["proxy_p99_ms"]),
    ));
    let misses = find("misses");
    md.push_str(&format!(
        "### Cache misses\n\n{} different searches (96 départements by relevance, then by date), one at a time, each a miss, sent straight to the sandbox (with a token) and through the proxy (site check, validation, budget, token, call, mapping, the first 20 of the 150-offer window cut out), alternately; both ask France Travail for the same window of 150 offers, as the proxy does since pages are cut from shared windows.\n\n| | p50 (ms) | p99 (ms) |\n| --- | ---: | ---: |\n| sandbox directly | {:.2} | {:.2} |\n| through the proxy | {:.2} | {:.2} |\n\nOverhead at p50: **{:+.2} ms** (goal ≤ +1 ms).\n\n",
        misses["samples"], f(&misses["direct_p50_ms"]), f(&misses["direct_p99_ms"]),
        f(&misses["proxy_p50_ms"]), f(&misses["proxy_p99_ms"]),
        f(&misses["proxy_p50_ms"]) - f(&misses["direct_p50_ms"]),
    ));
    let epci = find("epci");
    md.push_str(&format!(
        "### An EPCI against one commune, France Travail answering in 50 ms\n\n{} ({} communes, {} batches of 5), {} different keywords, each searched for Rennes + 10 km and for the EPCI, alternately, all misses; sandbox latency 50 ms per call; budget 1,000 calls/s so that only the batching is measured (at the default 9 calls/s, 9 of the 10 batches of a 50-commune EPCI go at once and the tenth about 110 ms later, and the next search waits for the budget to refill).\n\n| | p50 (ms) |\n| --- | ---: |\n| one commune | {:.1} |\n| EPCI | {:.1} |\n\nRatio: **{:.2}×** (goal ≤ 2×).\n\n",
        epci["epci"].as_str().unwrap_or(""), epci["communes"], epci["batches"], epci["samples"],
        f(&epci["single_p50_ms"]), f(&epci["epci_p50_ms"]),
        f(&epci["epci_p50_ms"]) / f(&epci["single_p50_ms"]),
    ));
    let rss = find("rss");
    md.push_str(&format!(
        "### Memory at 1,000 connections\n\nResident memory of the proxy process (VmRSS, sampled every 100 ms) while 1,000 connections send cache hits for {} s: idle {:.1} MB, peak **{:.1} MB** (goal ≤ 64 MB); {:.0} requests/s, p99 {:.1} ms, errors {}.\n\n",
        hits["seconds"], f(&rss["idle_kib"]) / 1024.0, f(&rss["peak_kib"]) / 1024.0, f(&rss["rps"]), f(&rss["p99_ms"]), rss["errors"],
    ));
    md.push_str(&client_memory_section()?);
    md.push_str("### Other endpoints, 50 connections\n\nEach answer cached (the suggestion lists read only the embedded referential), closed loop, one run each after a 1 s warm-up; the search hit is the baseline of the same run.\n\n| endpoint | path | requests/s | p50 (ms) | p99 (ms) | errors | ratio to the search hit |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    let endpoints: Vec<_> = lines.iter().filter(|l| l["measure"] == "endpoint").collect();
    let baseline = endpoints.first().map_or(f64::NAN, |l| f(&l["rps"]));
    for l in &endpoints {
        md.push_str(&format!(
            "| {} | `{}` | {:.0} | {:.2} | {:.2} | {} | {:.2}× |\n",
            l["endpoint"].as_str().unwrap_or(""),
            l["path"].as_str().unwrap_or(""),
            f(&l["rps"]),
            f(&l["p50_ms"]),
            f(&l["p99_ms"]),
            l["errors"],
            f(&l["rps"]) / baseline,
        ));
    }
    md.push('\n');
    let render = find("render");
    md.push_str(&format!(
        "### Server render of first views\n\n{} first views (5 communes × 60 titles: each a first-view miss over a cached search, 20 cards), rendered by the release proxy with the widget's components; the time is the render's own, from the answer's `Server-Timing`. p50 **{:.2} ms**, p99 **{:.2} ms**.\n\n",
        render["samples"], f(&render["p50_ms"]), f(&render["p99_ms"]),
    ));
    let zipf = find("zipf");
    md.push_str(&format!(
        "### Upstream calls for a Zipf log\n\n{} searches over {} sites (each with its own default commune), drawn from 1,000 possible searches with P(rank r) ∝ r^-1.1 (seed 7), replayed by 16 workers; the proxy at its default budget (9 calls/s), the sandbox at France Travail's limit (10 calls/s); search TTL 5 min, longer than the run. Distinct searches in the log: {}; upstream search calls: **{}** (goal ≤ distinct); France Travail 429s: **{}** (goal 0); proxy answers: {}; {:.1} s.\n",
        zipf["searches"], zipf["sites"], zipf["distinct"], zipf["upstream_searches"], zipf["upstream_429"],
        zipf["statuses"].as_str().unwrap_or(""), f(&zipf["seconds"]),
    ));
    md.push_str("\n### France Travail calls per resident action\n\nEach action on a territory nothing else in the run searched, so that every 150-offer window it needs is a miss; 1.5 s between actions, as a resident pauses (the budget's burst refills); the requests are the widget's (a deep link is restored in requests of 40 offers, then the page left). Calls counted at the sandbox.\n\n| action | widget requests | France Travail calls | answers |\n| --- | ---: | ---: | --- |\n");
    for action in lines.iter().filter(|l| l["measure"] == "action") {
        md.push_str(&format!(
            "| {} | {} | **{}** | {} |\n",
            action["action"].as_str().unwrap_or(""),
            action["requests"],
            action["calls"],
            action["statuses"].as_str().unwrap_or(""),
        ));
    }
    Ok(md)
}

/// Runs the sandbox's search benchmark (release build) and renders its JSON lines as a section.
fn sandbox_section() -> Result<String> {
    let lines = json_lines(
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
        "sandbox benchmark",
    )?;
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
    // Name, file, and whether it loads later than the widget's takeover (a chunk).
    let mut files = vec![
        (
            "offres-emploi.js (loader)".to_owned(),
            std::path::Path::new(dist::DIST).join("offres-emploi.js"),
            false,
        ),
        ("widget-<hash>.css".to_owned(), dist::find("widget", "css")?, false),
        (
            "emploi-widget-<hash>.js (wasm-bindgen glue)".to_owned(),
            dist::find("emploi-widget", "js")?,
            false,
        ),
        ("emploi-widget_bg-<hash>.wasm".to_owned(), dist::find("emploi-widget_bg", "wasm")?, false),
    ];
    files.extend(
        dist::chunks()?
            .into_iter()
            .map(|(stem, path)| (format!("{stem}-<hash>.wasm (chunk)"), path, true)),
    );
    files
        .into_iter()
        .map(|(name, path, later)| {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            Ok(Size {
                name,
                later,
                raw: bytes.len(),
                gzip: dist::gzip(&bytes)?.len(),
                brotli: dist::brotli(&bytes)?.len(),
            })
        })
        .collect()
}
