//! The national-scale simulation of `cargo xtask bench --national` (issue 26): one France
//! Travail application shared by the sites of every commune, a simulated day on tokio's paused
//! (virtual) clock, through the proxy's real search cache (`upstream::layer::Layer`), budget
//! (`upstream::Budget`) and refresh scheduler (`upstream::refresh`).
//!
//! **What is simulated and what is real.** Real: the cache with its freshness rules, its flights
//! and its memory bound; the budget (9 calls a second, turns, the refresh class and its
//! reserve); the scheduler and its demand record. Simulated: France Travail (a call costs a
//! log-normal latency, `emploi_sandbox::Latency::FRANCE_TRAVAIL_API`, and returns a window of
//! cards sized by the commune's population; calls over 10 in a second are counted as 429s), and
//! residents (the traffic model below). HTTP is left out: the hit path's cost is measured by
//! `load_bench`, not here.
//!
//! **Traffic model.** One site per commune of the embedded referential (about 35,000, their
//! default first view a 10 km radius search around the commune). A site's views a day follow
//! its population, heavy-tailed: `views = 20 · (population / median population)^0.6`, scaled so
//! that the mean is 20 views a day, at least 1. The views of a day follow a daily curve (hourly
//! weights: nights low, peaks mid-morning and early afternoon). Each view is the site's first
//! view; 30 % of them go on to a keyword search, its keywords drawn from a Zipf law (s = 1.1)
//! over 300 searches, so popular searches repeat and rare ones do not.
//!
//! **Policies compared in the same run.** `today`: an answer fresh 5 minutes, then a miss (stale
//! only on failure), no scheduler. `issue 26`: fresh 5 minutes, served as current up to 24
//! hours while one refresh runs behind, each site's first view registered at start and the
//! scheduler on. Each at 1x, 2x and 5x the traffic model. The day simulated is the second one
//! (the first warms the caches: a proxy runs for weeks).
//!
//! Usage: `national [--quick]` (one JSON line per run; `--quick`: 2,000 sites).

// A benchmark driver: failing loudly is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use emploi_proxy::metrics::Metrics;
use emploi_proxy::upstream::layer::{Fetcher, Freshness, Layer, Weigh, now_ms};
use emploi_proxy::upstream::refresh::{Demand, Policy, Scheduler};
use emploi_proxy::upstream::{
    Budget, Caller, Carte, CarteFields, Cartes, Class, EntrepriseCarte, LieuCarte, SalaireCarte,
    SearchPage, UpstreamError,
};
use emploi_sandbox::Latency;
use futures::FutureExt;
use rand::{Rng, SeedableRng};
use serde_json::json;

const DAY: u64 = 24 * 3600;
/// Hourly weights of residents' views (0 h to 23 h).
const HOURLY: [f64; 24] = [
    0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 1.6, 2.6, 3.2, 3.4, 3.0, 2.2, 2.6, 3.0, 2.8, 2.4, 2.0, 1.8,
    1.6, 1.4, 1.1, 0.7, 0.4,
];

/// France Travail, simulated: its limit of 10 calls a second per application as a token
/// bucket (10 a second, bursts of 10), calls counted per simulated second.
#[derive(Default)]
struct FranceTravail {
    over_limit: AtomicU64,
    /// When the bucket is full again, in seconds from the start.
    full_at: Mutex<f64>,
    /// Calls per simulated second (the second's index from the start).
    per_second: Mutex<BTreeMap<u64, u32>>,
}

impl FranceTravail {
    fn call(&self, now: f64) -> bool {
        *self.per_second.lock().unwrap().entry(now as u64).or_default() += 1;
        let mut full_at = self.full_at.lock().unwrap();
        let at = full_at.max(now);
        if at - now <= 0.9 + 1e-9 {
            *full_at = at + 0.1;
            true
        } else {
            self.over_limit.fetch_add(1, Ordering::Relaxed);
            false
        }
    }
}

/// A window of `n` cards with the sizes of real ones (title, employer, place, salary).
fn window(n: usize, commune: &str) -> SearchPage {
    let resultats = (0..n)
        .map(|i| {
            Carte::from(&CarteFields {
                id: format!("{:03}{:04}", i % 1000, commune.len() * 37 + i).into(),
                intitule: format!("Agent d'entretien des espaces verts (H/F) n°{i}").into(),
                date_creation: "2026-12-03T08:15:42.000Z".into(),
                lieu_travail: Some(LieuCarte {
                    libelle: Some(format!("35 - {commune}").into()),
                    latitude: Some(48.11),
                    longitude: Some(-1.68),
                    code_postal: Some("35000".into()),
                    commune: Some(commune.into()),
                }),
                rome_code: Some("A1203".into()),
                rome_libelle: Some("Aménagement et entretien des espaces verts".into()),
                entreprise: Some(EntrepriseCarte {
                    nom: Some("Jardins et paysages de l'Ouest".into()),
                    entreprise_adaptee: Some(false),
                }),
                type_contrat: "CDI".into(),
                type_contrat_libelle: Some("Contrat à durée indéterminée".into()),
                duree_travail_libelle_converti: Some("Temps plein".into()),
                salaire: Some(SalaireCarte {
                    libelle: Some("Mensuel de 1900.0 Euros à 2100.0 Euros sur 12.0 mois".into()),
                    commentaire: None,
                }),
                // A real card carries its working time and badge fields (the cache's weight too).
                duree_travail_libelle: Some("35H/semaine\nTravail en journée".into()),
                alternance: false,
                experience_exige: Some("S".into()),
                employeur_handi_engage: Some(false),
                entreprise_adaptee: Some(false),
                offres_manque_candidats: Some(false),
            })
        })
        .collect();
    SearchPage { result: Cartes { resultats, filtres_possibles: Vec::new() }, total: n as u32 }
}

/// Windows of 0 to 150 cards, made once.
fn windows() -> &'static [SearchPage] {
    static WINDOWS: std::sync::OnceLock<Vec<SearchPage>> = std::sync::OnceLock::new();
    WINDOWS.get_or_init(|| (0..=150).map(|n| window(n, "Commune")).collect())
}

struct Site {
    commune: String,
    offers: usize,
    views: f64,
}

#[derive(Default)]
struct Outcomes {
    first_views: u64,
    first_views_at_once: u64,
    searches: u64,
    searches_at_once: u64,
    waits_ms: Vec<u64>,
    ages_s: Vec<u64>,
    refused: u64,
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn run(sites: Arc<Vec<Site>>, load: f64, swr: bool) -> serde_json::Value {
    let ft = Arc::new(FranceTravail::default());
    let settings = emploi_proxy::config::Budget {
        calls_per_second: 9,
        wait: Duration::from_secs(2),
        instances: 1,
        refresh_reserve: 4,
    };
    let budget = Arc::new(Budget::new(&settings, 0, None));
    let start = tokio::time::Instant::now();
    let draws = Arc::new(AtomicU64::new(0));
    let latency = Latency::FRANCE_TRAVAIL_API;
    let by_key: Arc<std::collections::HashMap<String, (String, usize)>> = Arc::new(
        sites.iter().map(|s| (s.commune.clone(), (s.commune.clone(), s.offers))).collect(),
    );
    // Each key's last fetch and the weight of its real answer.
    let held: Arc<Mutex<std::collections::HashMap<String, (u64, usize)>>> = Arc::default();
    let fetcher: Fetcher<SearchPage> = {
        let (ft, budget, draws, by_key, held) = (
            Arc::clone(&ft),
            Arc::clone(&budget),
            Arc::clone(&draws),
            Arc::clone(&by_key),
            Arc::clone(&held),
        );
        Arc::new(move |key: String| {
            let (ft, budget, draws, by_key, held) = (
                Arc::clone(&ft),
                Arc::clone(&budget),
                Arc::clone(&draws),
                Arc::clone(&by_key),
                Arc::clone(&held),
            );
            async move {
                budget.acquire().await?;
                if !ft.call(start.elapsed().as_secs_f64()) {
                    return Err(UpstreamError::RateLimited(1));
                }
                tokio::time::sleep(latency.draw(draws.fetch_add(1, Ordering::Relaxed))).await;
                let commune = key.split('|').next().unwrap_or_default();
                let offers = by_key.get(commune).map_or(5, |(_, n)| *n);
                // A keyword search finds a fifth of the commune's offers.
                let n = if key.contains('|') { offers.div_ceil(5) } else { offers };
                // The answer held is `n` empty cards (simulating two days in minutes, copying
                // real cards a million times would be the whole run); the memory a real one
                // takes is counted apart, from a real window of `n` cards.
                let at = now_ms();
                held.lock().unwrap().insert(key, (at, windows()[n].weight()));
                Ok(SearchPage {
                    result: Cartes {
                        resultats: vec![Carte::default(); n],
                        filtres_possibles: vec![],
                    },
                    total: n as u32,
                })
            }
            .boxed()
        })
    };
    let freshness = Freshness {
        fresh: Duration::from_secs(300),
        max_age: if swr { Duration::from_secs(DAY) } else { Duration::from_secs(300) },
        keep: Duration::from_secs(DAY),
    };
    let demand = Arc::new(Demand::default());
    let layer = Layer::new(
        "search",
        freshness,
        // Sized for the national cache (the proxy's 64 MB would hold about a thousand windows).
        8 << 30,
        Duration::from_secs(10),
        None,
        Arc::new(Metrics::new()),
        fetcher,
        swr.then(|| Arc::clone(&demand)),
    );
    let scheduler = swr.then(|| {
        Arc::new(Scheduler::new(
            Arc::clone(&layer),
            Arc::clone(&demand),
            Policy {
                per_second: 5.0,
                min_interval: Duration::from_secs(300),
                max_interval: Duration::from_secs(6 * 3600),
                forget_after: Duration::from_secs(DAY),
            },
        ))
    });
    if let Some(s) = &scheduler {
        // Start-up: each site's first view registered (pinned), in the refresh class.
        let refresher = Caller { site: Arc::from("-"), client: None, class: Class::Refresh };
        for site in sites.iter() {
            let _ = refresher.clone().scope(layer.get(site.commune.clone())).await;
        }
        tokio::spawn(Arc::clone(s).run());
    }

    // Two days of views; the second is measured.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(26);
    let zipf: Vec<f64> = {
        let w: Vec<f64> = (1..=300).map(|k| 1.0 / f64::from(k).powf(1.1)).collect();
        let total: f64 = w.iter().sum();
        w.iter()
            .scan(0.0, |acc, x| {
                *acc += x / total;
                Some(*acc)
            })
            .collect()
    };
    let hourly_total: f64 = HOURLY.iter().sum();
    let mut events: Vec<(u64, u32, Option<u32>)> = Vec::new();
    for day in 0..2u64 {
        for (i, site) in sites.iter().enumerate() {
            // Poisson-ish: the whole views, plus one with the fraction's chance.
            let mean = site.views * load;
            let n = mean.floor() as u64 + u64::from(rng.random::<f64>() < mean.fract());
            for _ in 0..n {
                let u: f64 = rng.random::<f64>() * hourly_total;
                let mut acc = 0.0;
                let mut hour = 23;
                for (h, w) in HOURLY.iter().enumerate() {
                    acc += w;
                    if u < acc {
                        hour = h;
                        break;
                    }
                }
                let at = day * DAY + hour as u64 * 3600 + rng.random_range(0..3600);
                let search = (rng.random::<f64>() < 0.3).then(|| {
                    let u: f64 = rng.random();
                    zipf.iter().position(|c| u < *c).unwrap_or(299) as u32
                });
                events.push((at * 1000 + rng.random_range(0..1000), i as u32, search));
            }
        }
    }
    events.sort_unstable();
    let outcomes = Arc::new(Mutex::new(Outcomes::default()));
    let measured_from = DAY * 1000;
    let t0 = tokio::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (at_ms, site, search) in events {
        tokio::time::sleep_until(t0 + Duration::from_millis(at_ms)).await;
        let (layer, outcomes, sites) =
            (Arc::clone(&layer), Arc::clone(&outcomes), Arc::clone(&sites));
        tasks.spawn(async move {
            let resident = Caller {
                site: Arc::from(sites[site as usize].commune.as_str()),
                client: None,
                class: Class::Resident,
            };
            let commune = sites[site as usize].commune.clone();
            let keys: Vec<(bool, String)> = std::iter::once((true, commune.clone()))
                .chain(search.map(|k| (false, format!("{commune}|q{k}"))))
                .collect();
            for (first, key) in keys {
                let asked = tokio::time::Instant::now();
                let served = resident.clone().scope(layer.get(key)).await;
                let waited = asked.elapsed().as_millis() as u64;
                if at_ms < measured_from {
                    continue;
                }
                let mut o = outcomes.lock().unwrap();
                let at_once = waited == 0 && served.is_ok();
                if first {
                    o.first_views += 1;
                    o.first_views_at_once += u64::from(at_once);
                } else {
                    o.searches += 1;
                    o.searches_at_once += u64::from(at_once);
                }
                o.waits_ms.push(waited);
                match served {
                    Ok(s) => o.ages_s.push(now_ms().saturating_sub(s.fetched_at) / 1000),
                    Err(_) => o.refused += 1,
                }
            }
        });
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
    let layer_entries = layer.held().await.0;
    // What the proxy's cache would hold at the end: the answers fetched within the last `keep`
    // (a day), each weighing what a real one of its size weighs.
    let end = now_ms();
    let (entries, bytes) = held
        .lock()
        .unwrap()
        .values()
        .filter(|(at, _)| end.saturating_sub(*at) < DAY * 1000)
        .fold((0u64, 0usize), |(n, b), (_, w)| (n + 1, b + w));
    let o = outcomes.lock().unwrap();
    let mut waits = o.waits_ms.clone();
    waits.sort_unstable();
    let mut ages = o.ages_s.clone();
    ages.sort_unstable();
    let seconds = ft.per_second.lock().unwrap();
    let day2: Vec<u32> = seconds.range(DAY..2 * DAY).map(|(_, n)| *n).collect();
    let calls_day2: u64 = day2.iter().map(|n| u64::from(*n)).sum();
    let tally = scheduler.as_ref().map(|s| s.tally()).unwrap_or_default();
    json!({
        "measure": "national",
        "policy": if swr { "issue 26" } else { "today" },
        "load": load,
        "sites": sites.len(),
        "first_views": o.first_views,
        "first_views_at_once_pct": 100.0 * o.first_views_at_once as f64 / o.first_views.max(1) as f64,
        "searches": o.searches,
        "searches_at_once_pct": 100.0 * o.searches_at_once as f64 / o.searches.max(1) as f64,
        "wait_ms_p50": percentile(&waits, 0.5),
        "wait_ms_p95": percentile(&waits, 0.95),
        "wait_ms_p99": percentile(&waits, 0.99),
        "age_s_p50": percentile(&ages, 0.5),
        "age_s_p99": percentile(&ages, 0.99),
        "age_s_max": ages.last().copied().unwrap_or(0),
        "ft_calls_per_s_mean": calls_day2 as f64 / DAY as f64,
        "ft_calls_per_s_peak": day2.iter().max().copied().unwrap_or(0),
        "ft_calls_per_s_peak_minute": seconds
            .range(DAY..2 * DAY)
            .fold(BTreeMap::<u64, u32>::new(), |mut m, (s, n)| {
                *m.entry(s / 60).or_default() += n;
                m
            })
            .values()
            .max()
            .map_or(0.0, |n| f64::from(*n) / 60.0),
        "ft_429": ft.over_limit.load(Ordering::Relaxed),
        "resident_503": o.refused,
        "refreshes": tally.refreshed,
        "refreshes_refused": tally.refused,
        "cache_entries": entries,
        "cache_json_mb": bytes as f64 / 1_048_576.0,
        "layer_entries": layer_entries,
    })
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let referentiel = emploi_territory::Referentiel::load();
    let mut communes: Vec<_> = referentiel.communes().iter().filter(|c| c.lat.is_some()).collect();
    if quick {
        communes.truncate(2_000);
    }
    let mut populations: Vec<u32> = communes.iter().map(|c| c.population.max(1)).collect();
    populations.sort_unstable();
    let median = f64::from(populations[populations.len() / 2]);
    let raw: Vec<f64> =
        communes.iter().map(|c| (f64::from(c.population.max(1)) / median).powf(0.6)).collect();
    let scale = 20.0 * raw.len() as f64 / raw.iter().sum::<f64>();
    let sites: Arc<Vec<Site>> = Arc::new(
        communes
            .iter()
            .zip(&raw)
            .map(|(c, r)| Site {
                commune: c.code.to_string(),
                // Offers within 10 km: about one per 60 residents of the commune, 5 to 150.
                offers: (c.population as usize / 60).clamp(5, 150),
                views: (r * scale).max(1.0),
            })
            .collect(),
    );
    for load in [1.0, 2.0, 5.0] {
        for swr in [false, true] {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap();
            let started = std::time::Instant::now();
            let mut line = runtime.block_on(run(Arc::clone(&sites), load, swr));
            line["wall_seconds"] = json!(started.elapsed().as_secs());
            println!("{line}");
        }
    }
}
