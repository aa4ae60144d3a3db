//! How long 35,000 sites take to load, and what they hold in memory (issue 28): the AMF's
//! members, one site per commune of the referential and one per EPCI until 35,000, each with
//! two origins (`https://www.<name>.fr`, `https://*.<name>.fr`) and its territory.
//!
//! Measured, as a reload does it: reading and checking the file (`config::load_file`: TOML,
//! the vocabulary's rules, the referential), then swapping the site table in
//! (`Access::replace_sites`); times are medians of 5 rounds. Memory is the first round's, in
//! resident memory (Linux `/proc/self/status`, jemalloc as in the proxy), above what was
//! resident before: once loaded, with the parsed file dropped (the table, and what the
//! allocator keeps of the freed parse), and the peak while loading (the parsed file included). Prints one JSON line; `cargo xtask bench --sites`
//! writes it to docs/benchmarks.md.

#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::time::Instant;

use emploi_proxy::config::Limits;
use emploi_proxy::sites::Access;

// As the proxy's binary.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// A line of `/proc/self/status` in bytes (`VmRSS`: resident now; `VmHWM`: its peak).
fn status(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| {
            v.trim_start_matches(':').trim().trim_end_matches("kB").trim().parse::<usize>().ok()
        })
        .unwrap_or(0);
    kib * 1024
}

const SITES: usize = 35_000;
const ROUNDS: usize = 5;

fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'é' | 'è' | 'ê' | 'ë' | 'É' => out.push('e'),
            'à' | 'â' => out.push('a'),
            'î' | 'ï' => out.push('i'),
            'ô' => out.push('o'),
            'û' | 'ù' | 'ü' => out.push('u'),
            'ç' => out.push('c'),
            _ if !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    out.trim_matches('-').to_owned()
}

fn main() {
    let referentiel = emploi_territory::Referentiel::load();
    let mut text = String::new();
    let communes = referentiel.communes().iter().map(|c| (&c.code, &c.nom, "commune"));
    let epcis = referentiel.epcis().iter().map(|e| (&e.code, &e.nom, "epci"));
    for (code, nom, param) in communes.chain(epcis).take(SITES) {
        let host = format!("{}-{code}", slug(nom));
        writeln!(text, "[[sites]]\nkey = \"{param}-{code}\"\nname = \"{nom}\"").unwrap();
        writeln!(text, "origins = [\"https://www.{host}.fr\", \"https://*.{host}.fr\"]").unwrap();
        writeln!(text, "{param} = \"{code}\"").unwrap();
        if param == "commune" {
            text.push_str("rayon = 10\n");
        }
        text.push('\n');
    }
    let path = std::env::temp_dir().join(format!("emploi-sites-{}.toml", std::process::id()));
    std::fs::write(&path, &text).unwrap();

    let mut read_ms = Vec::new();
    let mut swap_ms = Vec::new();
    let (mut table, mut peak, mut sites) = (0, 0, 0);
    let mut kept = Vec::new();
    for round in 0..ROUNDS {
        let access = Access::new(&[], &Limits::default());
        // Resets VmHWM to the resident size now (Linux 4.0 and later).
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let before = status("VmRSS");
        let started = Instant::now();
        let read = emploi_proxy::config::load_file(&path, &referentiel).unwrap();
        let read_at = Instant::now();
        let change = access.replace_sites(&read.sites);
        let swapped = Instant::now();
        sites = change.added.len();
        drop((read, change));
        if round == 0 {
            table = status("VmRSS").saturating_sub(before);
            peak = status("VmHWM").saturating_sub(before);
        }
        read_ms.push((read_at - started).as_secs_f64() * 1000.0);
        swap_ms.push((swapped - read_at).as_secs_f64() * 1000.0);
        // Kept, so that later rounds do not reuse the first one's freed pages as if new.
        kept.push(access);
    }
    let _ = std::fs::remove_file(&path);
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mb = |b: usize| b as f64 / (1 << 20) as f64;
    println!(
        "{}",
        serde_json::json!({
            "measure": "sites",
            "sites": sites,
            "rounds": ROUNDS,
            "file_mb": mb(text.len()),
            "read_ms_median": median(&mut read_ms),
            "swap_ms_median": median(&mut swap_ms),
            "resident_mb": mb(table),
            "peak_mb": mb(peak),
        })
    );
}
