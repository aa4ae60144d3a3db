//! The sandbox's data set: tens of thousands of synthetic offers, generated deterministically from
//! a seed at start-up and kept in a compact form.
//!
//! Each offer is a small [`Record`] holding what search filters and sorts on. The full France
//! Travail `Offre` object (description, skills, contact...) is rendered on demand from the record
//! and a per-offer random stream (see `offer.rs`), so memory stays small and the same seed always
//! gives byte-identical responses.

use std::collections::HashMap;

use emploi_territory::Referentiel;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;

/// Contract type codes with their share of offers, in per mille.
pub(crate) const TYPES_CONTRAT: [(&str, u32); 11] = [
    ("CDI", 455),
    ("CDD", 300),
    ("MIS", 165),
    ("SAI", 40),
    ("LIB", 12),
    ("FRA", 6),
    ("CCE", 6),
    ("DIN", 6),
    ("TTI", 4),
    ("DDI", 4),
    ("REP", 2),
];

/// Partners whose offers France Travail relays (upper-case codes, as offers name them).
pub(crate) const PARTNERS: [&str; 6] =
    ["METEOJOB", "INDEED", "CADREMPLOI", "HELLOWORK", "JOBIJOBA", "BEETWEEN"];

/// The gross monthly minimum wage (SMIC) at 35 hours, in euros: 1,801.80 since November 2024
/// (INSEE). Apprentices are paid a share of it.
const SMIC_MENSUEL: f64 = 1_801.80;

/// ROME domains (first letter) of the trades that train most apprentices: agriculture, retail,
/// building, hotels and catering, industry, installation and maintenance.
const APPRENTICE_DOMAINS: &str = "ADFGHI";

/// Contract nature codes, labels (as offers carry them) and share in per mille.
pub(crate) const NATURES_CONTRAT: [(&str, &str, u32); 6] = [
    ("E1", "Contrat travail", 890),
    ("E2", "Contrat apprentissage", 60),
    ("FS", "Cont. professionnalisation", 25),
    ("I1", "Insertion par l'activ.éco.", 12),
    ("CC", "CDI de chantier ou d'opération", 8),
    ("PS", "Portage salarial", 5),
];

/// ROME fiches that carry many more offers than the rest (care, catering, logistics, building,
/// cleaning...), as on the real job board. Each weighs as much as 60 ordinary fiches.
pub(crate) const COMMON_ROMES: [&str; 25] = [
    "J1501", "G1803", "G1609", "N4101", "N1103", "N1105", "K1302", "K2204", "N1110", "F1703",
    "F1603", "M1203", "M1805", "D1102", "D1202", "I1310", "N4120", "J1301", "F1606", "H2206",
    "N1101", "D1416", "I1203", "A1203", "K1311",
];
const COMMON_ROME_WEIGHT: u64 = 60;

/// Values of the `experience` facet, in upstream order (only 1-3 occur here).
pub(crate) const EXPERIENCE_CODES: [&str; 3] = ["1", "2", "3"];
/// Values of the `qualification` facet, in upstream order.
pub(crate) const QUALIFICATION_CODES: [&str; 3] = ["0", "9", "X"];

/// Qualification labels by code `1`..`9`.
pub(crate) const QUALIFICATIONS: [&str; 9] = [
    "Manoeuvre",
    "Ouvrier spécialisé",
    "Ouvrier qualifié (P1,P2)",
    "Ouvrier qualifié (P3,P4,OHQ)",
    "Employé non qualifié",
    "Employé qualifié",
    "Technicien",
    "Agent de maîtrise",
    "Cadre",
];

/// One ROME 4.0 fiche, from the referential.
#[derive(Debug)]
pub(crate) struct Rome {
    pub(crate) code: String,
    pub(crate) libelle: String,
    pub(crate) secteurs_naf: Vec<String>,
    /// Code and label folded, after a space (see `emploi_territory::folded_label`).
    pub(crate) folded: String,
}

/// One NAF entry.
#[derive(Debug, Deserialize)]
pub(crate) struct Naf {
    pub(crate) code: String,
    pub(crate) libelle: String,
    pub(crate) niveau: String,
}

/// Where an offer is located.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Place {
    /// In a commune (index into the referential's communes), at its centre.
    Commune(u32),
    /// Only a département is given (index into the referential's départements).
    Departement(u16),
    /// `France entière`.
    France,
}

/// The searchable core of one offer.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub(crate) id: String,
    pub(crate) place: Place,
    /// Latitude and longitude, for offers placed in a commune with coordinates.
    pub(crate) coords: Option<(f64, f64)>,
    pub(crate) departement: compact_str::CompactString,
    pub(crate) region: compact_str::CompactString,
    pub(crate) rome: u16,
    pub(crate) type_contrat: u8,
    pub(crate) nature: u8,
    /// `D`, `S` or `E`.
    pub(crate) experience_exige: u8,
    /// Months of experience asked (0 for beginners).
    pub(crate) experience_mois: u16,
    /// `1`..`9`, 0 when not given.
    pub(crate) qualification: u8,
    pub(crate) temps_plein: bool,
    /// Unix seconds.
    pub(crate) date_creation: i64,
    /// Milliseconds part of the creation date.
    pub(crate) date_millis: u16,
    pub(crate) naf: u16,
    /// `1` France Travail, `2` partner.
    pub(crate) origine: u8,
    pub(crate) accessible_th: bool,
    pub(crate) entreprise_adaptee: bool,
    pub(crate) handi_engage: bool,
    pub(crate) mrs: bool,
    pub(crate) manque_candidats: bool,
    /// Stable per-offer part of the relevance score (0..1000), derived from the id.
    pub(crate) jitter: u16,
    /// Weekly working time in minutes.
    pub(crate) minutes_hebdo: u16,
    /// The low end of the monthly salary for those hours, in euros; `None`: "Selon profil".
    pub(crate) salaire: Option<u32>,
    /// The partner publishing it (an index into [`PARTNERS`]), for partner offers.
    pub(crate) partenaire: Option<u8>,
    /// Carries hostile text (only with the hostile switch on).
    pub(crate) hostile: bool,
}

impl Record {
    /// Index into [`EXPERIENCE_CODES`]: < 1 year, 1-3 years, > 3 years.
    pub(crate) fn experience_bucket(&self) -> usize {
        match self.experience_mois {
            0..12 => 0,
            12..=36 => 1,
            _ => 2,
        }
    }

    /// Facet value of the `experience` filter.
    pub(crate) fn experience_code(&self) -> &'static str {
        EXPERIENCE_CODES[self.experience_bucket()]
    }

    /// Index into [`QUALIFICATION_CODES`]: non-cadre, cadre, not given.
    pub(crate) fn qualification_bucket(&self) -> usize {
        match self.qualification {
            0 => 2,
            9 => 1,
            _ => 0,
        }
    }

    /// Facet value of the `qualification` filter.
    pub(crate) fn qualification_code(&self) -> &'static str {
        QUALIFICATION_CODES[self.qualification_bucket()]
    }

    pub(crate) fn type_contrat_code(&self) -> &'static str {
        TYPES_CONTRAT[usize::from(self.type_contrat)].0
    }

    pub(crate) fn nature_code(&self) -> &'static str {
        NATURES_CONTRAT[usize::from(self.nature)].0
    }
}

/// Generation parameters.
#[derive(Debug, Clone, Copy)]
pub struct CatalogueParams {
    /// Seed of every random choice.
    pub seed: u64,
    /// Number of offers.
    pub offers: usize,
    /// The sandbox clock, in Unix seconds: offers are published in the 60 days before it.
    pub now: i64,
    /// Make about one offer in 40 carry hostile text.
    pub hostile: bool,
}

/// The generated data set and the reference data it was drawn from.
#[derive(Debug)]
pub(crate) struct Catalogue {
    pub(crate) params: CatalogueParams,
    pub(crate) referentiel: Referentiel,
    pub(crate) romes: Vec<Rome>,
    pub(crate) nafs: Vec<Naf>,
    /// NAF division code → label, for rendering.
    pub(crate) division_labels: HashMap<String, String>,
    pub(crate) records: Vec<Record>,
    pub(crate) by_id: HashMap<String, u32>,
}

const SIXTY_DAYS: i64 = 60 * 24 * 3600;

impl Catalogue {
    pub(crate) fn generate(params: CatalogueParams, referentiel: Referentiel) -> Self {
        let romes: Vec<Rome> = referentiel
            .metiers()
            .iter()
            .map(|m| Rome {
                code: m.code.to_string(),
                libelle: m.libelle.to_string(),
                secteurs_naf: m.secteurs_naf.iter().map(ToString::to_string).collect(),
                folded: m.folded().to_owned(),
            })
            .collect();
        let nafs: Vec<Naf> = parse(include_str!("../data/naf.json"));
        let naf_by_division = sous_classes_by_division(&nafs);

        // Offers are placed in communes weighted by population; whole-city codes are replaced by
        // their arrondissements, as France Travail does.
        let communes = referentiel.communes();
        let mut cumulative = Vec::with_capacity(communes.len());
        let mut candidates = Vec::with_capacity(communes.len());
        let mut total: u64 = 0;
        for (i, c) in communes.iter().enumerate() {
            if Referentiel::is_split_city(&c.code) || c.coords().is_none() || c.population == 0 {
                continue;
            }
            total += u64::from(c.population);
            cumulative.push(total);
            candidates.push(i);
        }
        let dep_index: HashMap<&str, u16> = referentiel
            .departements()
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.as_str(), u16::try_from(i).unwrap_or(u16::MAX)))
            .collect();

        let mut rome_cumulative = Vec::with_capacity(romes.len());
        let mut rome_total = 0u64;
        for rome in &romes {
            rome_total +=
                if COMMON_ROMES.contains(&rome.code.as_str()) { COMMON_ROME_WEIGHT } else { 1 };
            rome_cumulative.push(rome_total);
        }

        let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
        let mut records = Vec::with_capacity(params.offers);
        let mut by_id = HashMap::with_capacity(params.offers);
        for n in 0..params.offers {
            let draw = rng.random_range(0..total);
            let commune_idx = candidates[cumulative.partition_point(|&c| c <= draw)];
            let commune = &communes[commune_idx];
            let mut departement = commune.departement.clone();
            let mut region = commune.region.clone();
            let roll = rng.random_range(0..1000);
            let (place, coords) = if roll < 955 {
                (Place::Commune(u32::try_from(commune_idx).unwrap_or(0)), commune.coords())
            } else if roll < 995 {
                (
                    Place::Departement(dep_index.get(departement.as_str()).copied().unwrap_or(0)),
                    None,
                )
            } else {
                // "France entière": no département or région filter matches it.
                departement.clear();
                region.clear();
                (Place::France, None)
            };

            let rome_draw = rng.random_range(0..rome_total);
            let rome = rome_cumulative.partition_point(|&c| c <= rome_draw);
            let divisions = &romes[rome].secteurs_naf;
            let division = &divisions[rng.random_range(0..divisions.len())];
            let naf = naf_by_division
                .get(division.as_str())
                .map(|list| list[rng.random_range(0..list.len())])
                .unwrap_or(0);

            let mut type_contrat = pick_weighted(&mut rng, TYPES_CONTRAT.iter().map(|t| t.1));
            // Apprenticeships are mostly in the trades that train apprentices.
            let trade = romes[rome].code.starts_with(|c| APPRENTICE_DOMAINS.contains(c));
            let nature = pick_weighted(
                &mut rng,
                NATURES_CONTRAT.iter().map(|t| match t.0 {
                    "E2" if trade => 130,
                    "E2" => 20,
                    _ => t.2,
                }),
            );
            let alternance = matches!(NATURES_CONTRAT[usize::from(nature)].0, "E2" | "FS");
            let mut experience_exige = pick_weighted(&mut rng, [450, 300, 250]);
            let experience_mois = match experience_exige {
                0 => 0,
                _ => [6, 12, 24, 36, 60][rng.random_range(0..5)],
            };
            let mut qualification = if rng.random_bool(0.1) { 0 } else { rng.random_range(1..=9) };
            let mut temps_plein = rng.random_bool(0.8);
            // Newer offers are more numerous: a squared draw leans towards the clock.
            let age = (rng.random::<f64>().powi(2) * SIXTY_DAYS as f64) as i64;
            let date_creation = params.now - age;
            let origine = if rng.random_bool(0.6) { 1 } else { 2 };
            let id = if origine == 1 {
                format!(
                    "{:03}{}",
                    rng.random_range(100..1000),
                    (0..4).map(|_| char::from(rng.random_range(b'A'..=b'Z'))).collect::<String>()
                )
            } else {
                format!("{}", rng.random_range(1_000_000..10_000_000))
            };
            if by_id.contains_key(&id) {
                // Keep ids unique without disturbing the random stream of later offers.
                continue;
            }
            by_id.insert(id.clone(), u32::try_from(records.len()).unwrap_or(u32::MAX));
            let jitter = u16::try_from(
                id.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 1000,
            )
            .unwrap_or(0);
            let mut experience_mois = experience_mois;
            if alternance {
                // A work-study contract is a CDD (mostly) or a CDI, full time, open to
                // beginners, for an employee or worker position.
                type_contrat = contract_index(if jitter % 100 < 85 { "CDD" } else { "CDI" });
                temps_plein = true;
                experience_exige = 0;
                experience_mois = 0;
                qualification = [3, 5, 6][usize::from(jitter % 3)];
            }
            // The id's hash gives the hours (its last digit), whether a salary is stated (its
            // tens) and the salary's spread (its hundreds), so the three do not follow each other.
            let minutes_hebdo: u16 = match (temps_plein, jitter % 10) {
                (true, 0) => 39 * 60,
                (true, _) => 35 * 60,
                (false, j) => [20, 24, 28, 30][usize::from(j % 4)] * 60,
            };
            let salaire = (alternance || (jitter / 10) % 10 >= 3).then(|| {
                let pay = Pay {
                    qualification,
                    experience_mois,
                    minutes: minutes_hebdo,
                    alternance,
                    interim: TYPES_CONTRAT[usize::from(type_contrat)].0 == "MIS",
                };
                pay.monthly(f64::from(jitter / 100) / 60.0)
            });
            let partenaire = (origine == 2).then(|| (records.len() % PARTNERS.len()) as u8);
            records.push(Record {
                id,
                place,
                coords,
                departement,
                region,
                rome: u16::try_from(rome).unwrap_or(0),
                type_contrat,
                nature,
                experience_exige,
                experience_mois,
                qualification,
                temps_plein,
                date_creation,
                date_millis: rng.random_range(0..1000),
                naf,
                origine,
                accessible_th: rng.random_bool(0.15),
                entreprise_adaptee: rng.random_bool(0.01),
                handi_engage: rng.random_bool(0.05),
                mrs: rng.random_bool(0.03),
                manque_candidats: age > 15 * 24 * 3600 && rng.random_bool(0.2),
                jitter,
                minutes_hebdo,
                salaire,
                partenaire,
                hostile: params.hostile && n % 40 == 7,
            });
        }
        let division_labels = nafs
            .iter()
            .filter(|n| n.niveau == "division")
            .map(|n| (n.code.clone(), n.libelle.clone()))
            .collect();
        Self { params, referentiel, romes, nafs, division_labels, records, by_id }
    }

    pub(crate) fn record(&self, id: &str) -> Option<(usize, &Record)> {
        self.by_id.get(id).map(|&i| (i as usize, &self.records[i as usize]))
    }
}

/// The index of the contract type `code` in [`TYPES_CONTRAT`].
fn contract_index(code: &str) -> u8 {
    let i = TYPES_CONTRAT.iter().position(|t| t.0 == code).unwrap_or(0);
    u8::try_from(i).unwrap_or(0)
}

/// What an offer's pay follows.
struct Pay {
    qualification: u8,
    experience_mois: u16,
    /// Weekly minutes.
    minutes: u16,
    alternance: bool,
    /// Temporary work, which adds the end-of-mission allowance (10 %).
    interim: bool,
}

impl Pay {
    /// The low end of the monthly salary in euros, `spread` (0 to 0.15) above its base: an
    /// apprentice's share of the minimum wage (43 % to 78 %, by age and year), or a wage rising
    /// with the qualification and the experience, never below the minimum wage for the hours.
    fn monthly(&self, spread: f64) -> u32 {
        let hours_share = f64::from(self.minutes) / (35.0 * 60.0);
        let monthly = if self.alternance {
            SMIC_MENSUEL * (0.43 + spread * 2.3)
        } else {
            let base = 1_850.0
                + f64::from(self.qualification) * 260.0
                + f64::from(self.experience_mois) * 6.0;
            let bonus = if self.interim { 1.1 } else { 1.0 };
            (base * (0.95 + spread) * bonus).max(SMIC_MENSUEL) * hours_share
        };
        ((monthly / 10.0).round() * 10.0) as u32
    }
}

pub(crate) fn pick_weighted(
    rng: &mut ChaCha8Rng,
    weights: impl IntoIterator<Item = u32> + Clone,
) -> u8 {
    let total: u32 = weights.clone().into_iter().sum();
    let mut draw = rng.random_range(0..total);
    for (i, w) in weights.into_iter().enumerate() {
        if draw < w {
            return u8::try_from(i).unwrap_or(0);
        }
        draw -= w;
    }
    0
}

fn sous_classes_by_division(nafs: &[Naf]) -> HashMap<&str, Vec<u16>> {
    let mut map: HashMap<&str, Vec<u16>> = HashMap::new();
    for (i, naf) in nafs.iter().enumerate() {
        if naf.niveau == "sous-classe" {
            map.entry(&naf.code[..2]).or_default().push(u16::try_from(i).unwrap_or(0));
        }
    }
    map
}

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> T {
    // Embedded at compile time and covered by tests: a failure is a build bug.
    #[allow(clippy::panic)]
    serde_json::from_str(json).unwrap_or_else(|e| panic!("embedded sandbox data is invalid: {e}"))
}
