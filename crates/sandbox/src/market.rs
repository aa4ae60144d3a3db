//! *Marché du travail*: official-looking indicators for France, its régions, départements and
//! (job seekers only) EPCI, computed on demand from the referential's populations and the seed,
//! as France Travail's `POST /indicateur/stat-…` answers them (spec part B).
//!
//! A région's figure is the sum of its départements', France's the sum of its régions', so that
//! the levels agree; a ROME code's figure is its share of the territory's.

use std::collections::HashMap;

use emploi_territory::Referentiel;
use emploi_types::ft::marche::{
    Indicateur, IndicateurRetour, Periode, Periodes, TerritoireStat, Territoires, ValeurParCaract,
    ValeursParPeriode,
};
use serde_json::Value;
use time::{Date, Duration, Month, OffsetDateTime};

use crate::catalogue::COMMON_ROMES;

/// Quarters of history served.
const TRIMESTRES: i32 = 12;
/// Years of history served.
const ANNEES: i32 = 4;
/// Territory types France Travail knows but for which the sandbox has no data: employment
/// basins need France Travail's basin lexicon, which the referential does not hold; communes and
/// local committees are not covered (spec B3.1, B8).
const SANS_DONNEES: [&str; 4] = ["BASBMO", "COM", "CLPE", "ZE"];
/// Activity types France Travail knows (spec B3.3); the sandbox has data for `CUMUL` and `ROME`.
const ACTIVITES: [&str; 15] = [
    "CUMUL", "MOYENNE", "ROME", "DOMAINE", "FAP87", "FAP225", "NAF5", "NAF21", "NAF88", "FORM",
    "FORM14", "FORM65", "NOEUD", "RACINE", "ETRE",
];

/// The six sub-indicators of recruitment difficulty (their codes are not public: spec B3.4).
const SOUS_TENSIONS: [(&str, &str); 6] = [
    ("INTENSITE_EMBAUCHES", "Intensité d'embauches"),
    ("CONDITIONS_TRAVAIL", "Conditions de travail contraignantes"),
    ("NON_DURABILITE", "Non-durabilité de l'emploi"),
    ("MANQUE_MAIN_OEUVRE", "Manque de main-d'œuvre disponible"),
    ("LIEN_FORMATION_EMPLOI", "Lien formation-emploi"),
    ("INADEQUATION_GEOGRAPHIQUE", "Inadéquation géographique"),
];

/// Disputed behaviours of the indicators (spec part F).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct MarketQuirks {
    /// Indicators served at the EPCI level (one client reports job seekers only).
    pub epci_indicators: Vec<String>,
    /// A valid request without data: `false` answers 200 with the header only (the default),
    /// `true` a 404 whose message says `Status code = 404`.
    pub no_data_404: bool,
}

impl Default for MarketQuirks {
    fn default() -> Self {
        Self { epci_indicators: vec!["DE_1".to_owned()], no_data_404: false }
    }
}

/// One territory with data.
#[derive(Debug, Clone)]
struct Zone {
    label: String,
    parent: Option<(&'static str, String)>,
    /// The départements it adds up (its own code for a département).
    departements: Vec<String>,
    /// Its population, for an EPCI (which adds up no département).
    population: Option<u32>,
}

/// The indicators' data set.
#[derive(Debug)]
pub(crate) struct Statistiques {
    seed: u64,
    now: i64,
    zones: HashMap<(&'static str, String), Zone>,
    populations: HashMap<String, u64>,
    /// ROME code → share of a territory's figures (they add up to 1) and label.
    romes: HashMap<String, (f64, String)>,
    pub(crate) quirks: MarketQuirks,
}

/// A refused indicator request: the message of the 400 body.
#[derive(Debug)]
pub(crate) struct Refus(pub(crate) String);

impl Statistiques {
    pub(crate) fn new(
        seed: u64,
        now: i64,
        referentiel: &Referentiel,
        quirks: MarketQuirks,
    ) -> Self {
        let mut populations: HashMap<String, u64> = HashMap::new();
        for c in referentiel.communes() {
            if c.arrondissement_de.is_none() {
                *populations.entry(c.departement.to_string()).or_default() +=
                    u64::from(c.population);
            }
        }
        let mut zones = HashMap::new();
        let overseas = |d: &str| d.len() == 3;
        let all: Vec<String> = referentiel
            .departements()
            .iter()
            .filter(|d| d.region.len() == 2 || ["977", "978"].contains(&d.code.as_str()))
            .map(|d| d.code.to_string())
            .collect();
        let split =
            |keep: fn(&str) -> bool| all.iter().filter(|d| keep(d)).cloned().collect::<Vec<_>>();
        for (code, label, deps) in [
            ("FR", "FRANCE", all.clone()),
            ("FMO", "FRANCE METROPOLITAINE", split(|d| d.len() != 3)),
            ("DOM", "DEPARTEMENTS D'OUTRE-MER", split(|d| d.len() == 3)),
        ] {
            let zone = Zone {
                label: label.to_owned(),
                parent: None,
                departements: deps,
                population: None,
            };
            zones.insert(("NAT", code.to_owned()), zone);
        }
        // The statistics know the 18 régions (two-character codes); Saint-Barthélemy and
        // Saint-Martin are départements of Guadeloupe's there; other overseas collectivities
        // are not covered.
        let region_of = |d: &emploi_territory::Departement| match d.code.as_str() {
            "977" | "978" => Some("01".to_owned()),
            _ => (d.region.len() == 2).then(|| d.region.to_string()),
        };
        for r in referentiel.regions().iter().filter(|r| r.code.len() == 2) {
            let deps: Vec<String> = referentiel
                .departements()
                .iter()
                .filter(|d| region_of(d).as_deref() == Some(r.code.as_str()))
                .map(|d| d.code.to_string())
                .collect();
            let parent = if deps.iter().any(|d| overseas(d)) { "DOM" } else { "FMO" };
            let zone = Zone {
                label: majuscules(&r.nom),
                parent: Some(("NAT", parent.to_owned())),
                departements: deps,
                population: None,
            };
            zones.insert(("REG", r.code.to_string()), zone);
        }
        for d in referentiel.departements() {
            let Some(region) = region_of(d) else { continue };
            let zone = Zone {
                label: majuscules(&d.nom),
                parent: Some(("REG", region)),
                departements: vec![d.code.to_string()],
                population: None,
            };
            zones.insert(("DEP", d.code.to_string()), zone);
        }
        for e in referentiel.epcis() {
            let departement = e
                .membres
                .first()
                .and_then(|m| referentiel.commune(m))
                .map(|c| c.departement.to_string())
                .unwrap_or_default();
            let zone = Zone {
                label: majuscules(&e.nom),
                parent: Some(("DEP", departement.clone())),
                departements: vec![departement],
                population: Some(e.population),
            };
            zones.insert(("EPCI", e.code.to_string()), zone);
        }
        let weights: Vec<(String, f64, String)> = referentiel
            .metiers()
            .iter()
            .map(|m| {
                let common = if COMMON_ROMES.contains(&m.code.as_str()) { 25.0 } else { 1.0 };
                let w = common * (0.4 + noise(seed, &["rome", &m.code]));
                (m.code.to_string(), w, m.libelle.to_string())
            })
            .collect();
        let total: f64 = weights.iter().map(|w| w.1).sum();
        let romes = weights.into_iter().map(|(c, w, l)| (c, (w / total, l))).collect();
        Self { seed, now, zones, populations, romes, quirks }
    }

    /// The answer of `indicateur` to the criteria `body`, `None` inside when there is no data.
    pub(crate) fn indicateur(
        &self,
        indicateur: Indicateur,
        body: &Value,
    ) -> Result<IndicateurRetour, Refus> {
        let field = |name: &str| -> Result<String, Refus> {
            body.get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| Refus(format!("Le champ {name} est obligatoire.")))
        };
        if !body.is_object() {
            return Err(Refus("Le corps de la requête doit être un objet JSON.".to_owned()));
        }
        let (type_territoire, territoire) =
            (field("codeTypeTerritoire")?, field("codeTerritoire")?);
        let (type_activite, activite) = (field("codeTypeActivite")?, field("codeActivite")?);
        let type_periode = field("codeTypePeriode")?;
        let invalid = |what: &str, value: &str| {
            Refus(format!(
                "Combinaison de critères invalide pour l'indicateur {} : {what} {value} non autorisé.",
                indicateur.code
            ))
        };
        if type_periode != indicateur.periode {
            return Err(invalid("codeTypePeriode", &type_periode));
        }
        match body.get("codeTypeNomenclature").and_then(Value::as_str) {
            Some(n) if n == indicateur.nomenclature => {}
            Some(n) => return Err(invalid("codeTypeNomenclature", n)),
            None => {
                return Err(Refus(format!(
                    "Le champ codeTypeNomenclature est obligatoire pour l'indicateur {} ({}).",
                    indicateur.code, indicateur.nomenclature
                )));
            }
        }
        if !["NAT", "REG", "DEP", "EPCI"].contains(&type_territoire.as_str())
            && !SANS_DONNEES.contains(&type_territoire.as_str())
        {
            return Err(Refus(format!("codeTypeTerritoire inconnu : {type_territoire}.")));
        }
        if !ACTIVITES.contains(&type_activite.as_str()) {
            return Err(Refus(format!("codeTypeActivite inconnu : {type_activite}.")));
        }
        let derniere = body.get("dernierePeriode").and_then(Value::as_bool).unwrap_or(false);
        let periodes = filter(list(body, "listeCodePeriode")?, self.periodes(indicateur.periode));
        let periodes = if derniere { periodes.into_iter().take(1).collect() } else { periodes };
        let codes = filter(list(body, "listeCodeNomenclature")?, nomenclature(indicateur.code));
        let details = !body.get("sansCaracteristiques").and_then(Value::as_bool).unwrap_or(false);

        let mut answer = IndicateurRetour {
            dat_maj: self.dat_maj(indicateur.periode),
            code_indicateur: indicateur.code.to_owned(),
            code_famille: indicateur.famille.to_owned(),
            lib_indicateur: indicateur.libelle.to_owned(),
            liste_valeurs_par_periode: None,
        };
        let key = (territory_key(&type_territoire), territoire.clone());
        let Some(zone) = self.zones.get(&key) else { return Ok(answer) };
        if type_territoire == "EPCI"
            && !self.quirks.epci_indicators.iter().any(|i| i == indicateur.code)
        {
            return Ok(answer);
        }
        let (share, lib_activite) = match type_activite.as_str() {
            "CUMUL" if activite == "CUMUL" => (1.0, "Toutes activités".to_owned()),
            "ROME" => match self.romes.get(&activite) {
                Some((share, label)) => (*share, label.clone()),
                None => return Ok(answer),
            },
            _ => return Ok(answer),
        };
        let mut rows = Vec::new();
        for (code_periode, lib_periode) in &periodes {
            for (code, lib) in &codes {
                let mut row = ValeursParPeriode {
                    dat_maj: Some(answer.dat_maj.clone()),
                    code_type_territoire: type_territoire.clone(),
                    code_territoire: territoire.clone(),
                    lib_territoire: Some(zone.label.clone()),
                    code_type_activite: type_activite.clone(),
                    code_activite: activite.clone(),
                    lib_activite: Some(lib_activite.clone()),
                    code_nomenclature: Some((*code).to_owned()),
                    lib_nomenclature: Some((*lib).to_owned()),
                    code_type_periode: type_periode.clone(),
                    code_periode: code_periode.clone(),
                    lib_periode: Some(lib_periode.clone()),
                    ..ValeursParPeriode::default()
                };
                self.fill(&mut row, indicateur, zone, share, details);
                rows.push(row);
            }
        }
        if !rows.is_empty() {
            answer.liste_valeurs_par_periode = Some(rows);
        }
        Ok(answer)
    }

    /// Sets the values of `row`.
    fn fill(
        &self,
        row: &mut ValeursParPeriode,
        i: Indicateur,
        zone: &Zone,
        share: f64,
        details: bool,
    ) {
        let code = row.code_nomenclature.clone().unwrap_or_default();
        let periode = row.code_periode.clone();
        // People of the zone, times a rate by département, a season and the activity's share.
        let count = |rate: f64| -> f64 {
            let people: f64 = match zone.population {
                Some(p) => f64::from(p) * self.factor(&zone.departements[0], &periode),
                None => zone
                    .departements
                    .iter()
                    .map(|d| {
                        let p = self.populations.get(d).copied().unwrap_or(0) as f64;
                        p * self.factor(d, &periode)
                    })
                    .sum(),
            };
            ((people * rate * share) / 10.0).round() * 10.0
        };
        match i.code {
            "DE_1" => {
                let rate = |c: &str| match c {
                    "A" => 0.044,
                    "B" => 0.011,
                    "C" => 0.023,
                    "ABC" => 0.078,
                    "D" => 0.005,
                    "E" => 0.004,
                    _ => 0.087,
                };
                let n = count(rate(&code));
                row.valeur_principale_nombre = Some(n);
                let all = count(rate("ABCDE"));
                row.valeur_secondaire_pourcentage =
                    Some(if all > 0.0 { (n / all * 1000.0).round() / 10.0 } else { 0.0 });
                if details {
                    let caract = |t: &str, c: &str, l: &str, pct: f64| {
                        let nombre = (n * pct / 1000.0).round() * 10.0;
                        ValeurParCaract {
                            code_type_caract: t.to_owned(),
                            code_caract: c.to_owned(),
                            lib_caract: l.to_owned(),
                            nombre,
                            pourcentage: pct,
                            masque: nombre < 10.0,
                        }
                    };
                    row.liste_valeur_par_caract = Some(vec![
                        caract("GENRE", "H", "Homme", 48.0),
                        caract("GENRE", "F", "Femme", 52.0),
                        caract("AGE", "AGE1", "15-24 ans", 14.0),
                        caract("AGE", "AGE2", "25-49 ans", 57.0),
                        caract("AGE", "AGE3", "50 ans et +", 29.0),
                    ]);
                }
            }
            "OFF_1" => {
                let rate = match code.as_str() {
                    "TOFF" => 0.0062,
                    "TOFF-CUMUL12MOIS" => 0.0245,
                    "PE" => 0.0028,
                    _ => 0.011,
                };
                row.valeur_principale_nombre = Some(count(rate));
            }
            "EMB_1" => {
                let rate = match code.as_str() {
                    "ABCDE-SUP1M" => 0.0055,
                    "ABCDE-TOUTE" => 0.0102,
                    _ => 0.024,
                };
                let n = count(rate);
                row.valeur_principale_nombre = Some(n);
                // The hiring rate of job seekers in the quarter, in %.
                let seekers = count(0.078);
                row.valeur_secondaire_pourcentage =
                    Some(if seekers > 0.0 { (n / seekers * 1000.0).round() / 10.0 } else { 0.0 });
            }
            _ => {
                // Recruitment difficulty, 0 to 1, for the activity in the zone; its score 1 to 5.
                let dep = zone.departements.first().map_or("", String::as_str);
                let base = noise(self.seed, &["tension", row.code_activite.as_str()]);
                let common = COMMON_ROMES.contains(&row.code_activite.as_str());
                let local = noise(self.seed, &["tension", dep, &code, &periode]) - 0.5;
                let mut value = 0.25 + base * 0.5 + if common { 0.2 } else { 0.0 } + local * 0.2;
                if row.code_activite == "CUMUL" {
                    value = 0.5 + local * 0.2;
                }
                let value = value.clamp(0.02, 0.98);
                row.valeur_principale_decimale = Some((value * 100.0).round() / 100.0);
                row.valeur_principale_nom =
                    Some(((value * 5.0).ceil() as u8).clamp(1, 5).to_string());
            }
        }
    }

    /// How much more or less than the national rate a département has, in a period (0.75 to
    /// 1.3, and up to ±3 % from one period to the next).
    fn factor(&self, departement: &str, periode: &str) -> f64 {
        let place = 0.75 + 0.55 * noise(self.seed, &["dep", departement]);
        let season = 0.97 + 0.06 * noise(self.seed, &["saison", departement, periode]);
        place * season
    }

    /// The published periods of a type, latest first, with their labels.
    pub(crate) fn periodes(&self, type_periode: &str) -> Vec<(String, String)> {
        let (year, quarter) = self.dernier_trimestre();
        match type_periode {
            "ANNEE" => (0..ANNEES)
                .map(|k| {
                    let y = self.derniere_annee() - k;
                    (y.to_string(), format!("ANNEE {y}"))
                })
                .collect(),
            _ => (0..TRIMESTRES)
                .map(|k| {
                    let index = year * 4 + quarter - 1 - k;
                    let (y, q) = (index.div_euclid(4), index.rem_euclid(4) + 1);
                    (format!("{y}T{q}"), trimestre_libelle(y, q))
                })
                .collect(),
        }
    }

    /// The latest quarter published: quarters come out about 60 days after their end.
    fn dernier_trimestre(&self) -> (i32, i32) {
        let day = OffsetDateTime::from_unix_timestamp(self.now - 60 * 86_400)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .date();
        // The quarter before the one `day` is in ended at least 60 days ago.
        let q = (i32::from(u8::from(day.month())) - 1) / 3 + 1;
        if q == 1 { (day.year() - 1, 4) } else { (day.year(), q - 1) }
    }

    /// The latest year of the employers' survey, published each April.
    fn derniere_annee(&self) -> i32 {
        let day = OffsetDateTime::from_unix_timestamp(self.now)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .date();
        if day.month() >= Month::May { day.year() } else { day.year() - 1 }
    }

    /// When an indicator of a period type was last refreshed.
    fn dat_maj(&self, type_periode: &str) -> String {
        let date = if type_periode == "ANNEE" {
            Date::from_calendar_date(self.derniere_annee(), Month::April, 15).unwrap_or(Date::MIN)
        } else {
            let (y, q) = self.dernier_trimestre();
            let month =
                Month::try_from(u8::try_from(q * 3).unwrap_or(12)).unwrap_or(Month::December);
            let end = Date::from_calendar_date(y, month, month.length(y)).unwrap_or(Date::MIN);
            end + Duration::days(55)
        };
        let summer = (Month::April..=Month::October).contains(&date.month());
        format!(
            "{:04}-{:02}-{:02}T10:04:19{}",
            date.year(),
            u8::from(date.month()),
            date.day(),
            if summer { "+02:00" } else { "+01:00" }
        )
    }

    /// `GET /referentiel/territoires/{type}`.
    pub(crate) fn territoires(&self, type_territoire: &str) -> Option<Territoires> {
        if !["NAT", "REG", "DEP"].contains(&type_territoire) {
            return None;
        }
        let dat_maj = self.dat_maj("TRIMESTRE");
        let mut territoires: Vec<TerritoireStat> = self
            .zones
            .iter()
            .filter(|((t, _), _)| *t == type_territoire)
            .map(|((t, code), z)| TerritoireStat {
                dat_maj: dat_maj.clone(),
                code_type_territoire: (*t).to_owned(),
                code_territoire: code.clone(),
                libelle_territoire: z.label.clone(),
                code_type_territoire_parent: z.parent.as_ref().map(|p| p.0.to_owned()),
                code_territoire_parent: z.parent.as_ref().map(|p| p.1.clone()),
            })
            .collect();
        territoires.sort_by(|a, b| a.code_territoire.cmp(&b.code_territoire));
        Some(Territoires { territoires })
    }

    /// `GET /referentiel/periodes/{type}`: every period to 2030, the most distant future first.
    pub(crate) fn periodes_referentiel(&self, type_periode: &str) -> Option<Periodes> {
        let dat_maj = self.dat_maj("TRIMESTRE");
        let codes: Vec<(String, String)> = match type_periode {
            "TRIMESTRE" => (2010 * 4..2031 * 4)
                .rev()
                .map(|i| {
                    let (y, q) = (i / 4, i % 4 + 1);
                    (format!("{y}T{q}"), trimestre_libelle(y, q))
                })
                .collect(),
            "ANNEE" => (2010..=2030).rev().map(|y| (y.to_string(), format!("ANNEE {y}"))).collect(),
            _ => return None,
        };
        let periodes = codes
            .into_iter()
            .enumerate()
            .map(|(k, (code, label))| Periode {
                dat_maj: dat_maj.clone(),
                code_type_periode: type_periode.to_owned(),
                code_periode: code,
                ordre_periode: u32::try_from(k + 1).unwrap_or(u32::MAX),
                libelle_periode: label,
            })
            .collect();
        Some(Periodes { periodes })
    }
}

/// The territory types' static names.
fn territory_key(t: &str) -> &'static str {
    match t {
        "NAT" => "NAT",
        "REG" => "REG",
        "DEP" => "DEP",
        "EPCI" => "EPCI",
        _ => "",
    }
}

/// The nomenclature codes of an indicator, with their labels.
fn nomenclature(code: &str) -> Vec<(&'static str, &'static str)> {
    match code {
        "DE_1" => vec![
            ("A", "Demandeurs d'Emploi de catégorie A"),
            ("B", "Demandeurs d'Emploi de catégorie B"),
            ("C", "Demandeurs d'Emploi de catégorie C"),
            ("ABC", "Demandeurs d'Emploi de catégories A,B ou C"),
            ("D", "Demandeurs d'Emploi de catégorie D"),
            ("E", "Demandeurs d'Emploi de catégorie E"),
            ("ABCDE", "Demandeurs d'Emploi toutes catégories"),
        ],
        "OFF_1" => vec![
            ("TOFF", "Toutes offres"),
            ("TOFF-CUMUL12MOIS", "Toutes offres - cumul 12 mois"),
            ("PE", "Offres déposées à France Travail"),
            ("PE-CUMUL12MOIS", "Offres déposées à France Travail - cumul 12 mois"),
        ],
        "EMB_1" => vec![
            ("ABCDE-SUP1M", "Demandeurs ABCDE - emploi de plus d'un mois"),
            ("ABCDE-TOUTE", "Demandeurs ABCDE - emploi de toute durée"),
            ("TOUT-TOUTE", "Toutes embauches - toute durée"),
        ],
        _ => std::iter::once(("PERSPECTIVE", "Indicateur principal de tension"))
            .chain(SOUS_TENSIONS)
            .collect(),
    }
}

/// The items of `all` whose code `wanted` names (all of them without a list).
fn filter<T: AsRef<str>, L>(wanted: Option<Vec<String>>, all: Vec<(T, L)>) -> Vec<(T, L)> {
    match wanted {
        None => all,
        Some(w) => all.into_iter().filter(|(c, _)| w.iter().any(|x| x == c.as_ref())).collect(),
    }
}

/// A list criterion, as an array or a comma-separated string (clients send both).
fn list(body: &Value, name: &str) -> Result<Option<Vec<String>>, Refus> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.split(',').map(|x| x.trim().to_owned()).collect())),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(|| Refus(format!("{name} doit être une liste de chaînes."))),
        Some(_) => Err(Refus(format!("{name} doit être une liste de chaînes."))),
    }
}

fn trimestre_libelle(year: i32, quarter: i32) -> String {
    let rank = if quarter == 1 { "1er".to_owned() } else { format!("{quarter}ème") };
    format!("{rank} trimestre {year}")
}

/// A name in upper case without accents, as the statistics write territories.
fn majuscules(name: &str) -> String {
    name.to_uppercase()
        .chars()
        .map(|c| match c {
            'À' | 'Â' | 'Ä' => 'A',
            'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'Î' | 'Ï' => 'I',
            'Ô' | 'Ö' => 'O',
            'Ù' | 'Û' | 'Ü' => 'U',
            'Ç' => 'C',
            other => other,
        })
        .collect::<String>()
        .replace('Œ', "OE")
}

/// A number in [0, 1) drawn from the seed and `parts` (FNV-1a, stable across builds).
fn noise(seed: u64, parts: &[&str]) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    // Mix the high bits down before scaling.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_come_out_sixty_days_after_their_end() {
        let at = |y, m, d| {
            Date::from_calendar_date(y, m, d).unwrap().midnight().assume_utc().unix_timestamp()
        };
        let stats = |now| Statistiques {
            seed: 1,
            now,
            zones: HashMap::new(),
            populations: HashMap::new(),
            romes: HashMap::new(),
            quirks: MarketQuirks::default(),
        };
        assert_eq!(stats(at(2026, Month::December, 5)).dernier_trimestre(), (2026, 3));
        assert_eq!(stats(at(2026, Month::November, 15)).dernier_trimestre(), (2026, 2));
        assert_eq!(stats(at(2026, Month::February, 1)).dernier_trimestre(), (2025, 3));
        let s = stats(at(2026, Month::December, 5));
        assert_eq!(s.periodes("TRIMESTRE")[0].0, "2026T3");
        assert_eq!(
            s.periodes("TRIMESTRE")[3],
            ("2025T4".to_owned(), "4ème trimestre 2025".to_owned())
        );
        assert_eq!(s.periodes("ANNEE")[0].0, "2026");
        assert_eq!(majuscules("Île-de-France"), "ILE-DE-FRANCE");
    }
}
