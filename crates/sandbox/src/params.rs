//! Parsing and validation of the search parameters, in France Travail's order and with its
//! messages.
//!
//! The first invalid parameter wins. Messages that were captured from the real service are copied
//! exactly (French guillemets with their spaces included); the few that were never captured are
//! plausible French sentences in the same style, listed in the crate README.

use emploi_territory::{Referentiel, fold};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::catalogue::Catalogue;

/// Largest window France Travail serves in one call.
pub const MAX_WINDOW: u32 = 150;
/// Largest start index of a window.
pub const MAX_START: u32 = 3000;

/// Every `typeContrat` code the referential knows (`DDT` included, though no offer carries it).
const ALL_TYPES_CONTRAT: [&str; 12] =
    ["CDI", "CDD", "MIS", "SAI", "CCE", "FRA", "LIB", "REP", "TTI", "DDI", "DIN", "DDT"];
/// Every `natureContrat` code the referential knows.
const ALL_NATURES_CONTRAT: [&str; 20] = [
    "E1", "E2", "FA", "FJ", "FS", "FT", "FU", "I1", "NS", "FV", "FW", "FX", "FY", "PS", "PR", "CC",
    "CU", "EE", "ER", "CI",
];
const GRANDS_DOMAINES: [&str; 22] = [
    "A", "B", "C", "C15", "D", "E", "F", "G", "H", "I", "J", "K", "L", "L14", "M", "M13", "M14",
    "M15", "M16", "M17", "M18", "N",
];
const PUBLIEE_DEPUIS: [u32; 5] = [1, 3, 7, 14, 31];

/// A rejected parameter: the French message of the 400 body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParamError(pub String);

/// Sort order of the `sort` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// `0`: relevance, then distance, then date.
    #[default]
    Relevance,
    /// `1`: date, then relevance, then distance.
    Date,
    /// `2`: distance, then relevance, then date.
    Distance,
}

/// A validated search.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) sort: Sort,
    /// Folded keywords (AND).
    pub(crate) mots_cles: Vec<String>,
    /// Commune centres `(code, coords)` and arrondissement families for `distance=0`.
    pub(crate) communes: Vec<CommuneCentre>,
    pub(crate) distance_km: f64,
    pub(crate) departements: Vec<String>,
    pub(crate) region: Option<String>,
    pub(crate) codes_rome: Vec<String>,
    /// The ROME fiche (index) of the `appellation` asked for.
    pub(crate) appellation: Option<u16>,
    pub(crate) rome_prefix: Option<String>,
    pub(crate) secteurs: Vec<String>,
    pub(crate) codes_naf: Vec<String>,
    pub(crate) experience: Vec<String>,
    pub(crate) experience_exigence: Option<u8>,
    pub(crate) types_contrat: Vec<String>,
    pub(crate) natures_contrat: Vec<String>,
    pub(crate) qualification: Option<String>,
    pub(crate) temps_plein: Option<bool>,
    pub(crate) origine: Option<u8>,
    pub(crate) acces_th: Option<bool>,
    pub(crate) entreprises_adaptees: Option<bool>,
    pub(crate) handi_engages: Option<bool>,
    pub(crate) mrs: Option<bool>,
    pub(crate) manque_candidats: Option<bool>,
    /// Minimum salary and its period (`M`, `A`, `H`, `C`).
    pub(crate) salaire_min: Option<(f64, u8)>,
    /// Weekly minutes, from `dureeHebdoMin` / `dureeHebdoMax` (`HHMM`).
    pub(crate) minutes_min: Option<u32>,
    pub(crate) minutes_max: Option<u32>,
    /// Partner codes and whether they are included (`INCLUS`) or excluded (`EXCLU`).
    pub(crate) partenaires: Option<(Vec<String>, bool)>,
    /// Inclusive lower bound on the creation date, Unix seconds.
    pub(crate) created_after: Option<i64>,
    /// Inclusive upper bound on the creation date, Unix seconds.
    pub(crate) created_before: Option<i64>,
}

/// A searched commune.
#[derive(Debug, Clone)]
pub(crate) struct CommuneCentre {
    /// The code itself plus, for a whole city, its arrondissements (used by `distance=0`).
    pub(crate) codes: Vec<String>,
    pub(crate) coords: Option<(f64, f64)>,
}

/// Sandbox behaviours the public material disagrees on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quirks {
    /// Accept the whole-city codes of Paris, Lyon and Marseille in `commune` (a 2026 measurement
    /// says they are accepted; an older client documents a 400). Defaults to true.
    pub accept_whole_city_codes: bool,
    /// Status of a last page that does not start at 0: 206 (default) or 200.
    pub last_page_status: u16,
    /// Send `Content-Range: offres */0` on a zero-result 204. Defaults to false (no header).
    pub zero_result_content_range: bool,
    /// Seconds subtracted from `minCreationDate`/`maxCreationDate` before filtering, to emulate
    /// the unverified hypothesis that upstream reads them as Paris local time despite the `Z`
    /// (3600 or 7200). Defaults to 0 (UTC, as written).
    pub creation_date_offset_secs: i64,
}

impl Default for Quirks {
    fn default() -> Self {
        Self {
            accept_whole_city_codes: true,
            last_page_status: 206,
            zero_result_content_range: false,
            creation_date_offset_secs: 0,
        }
    }
}

/// Parses and validates raw query pairs. Unknown parameters are ignored, as upstream does.
pub fn parse_search(
    pairs: &[(String, String)],
    cat: &Catalogue,
    quirks: Quirks,
) -> Result<SearchFilter, ParamError> {
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let list = |name: &str| -> Vec<String> {
        get(name)
            .map(|v| v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    };
    let mut f = SearchFilter { end: MAX_WINDOW - 1, ..SearchFilter::default() };

    // 1. range: syntax, then width, then start.
    if let Some(range) = get("range") {
        let (start, end) = parse_range(range).ok_or_else(|| {
            ParamError("Format du paramètre « range » incorrect. <entier>-<entier> attendu.".into())
        })?;
        if end - start + 1 > u64::from(MAX_WINDOW) {
            return Err(ParamError("La plage de résultats demandée est trop importante.".into()));
        }
        if start > u64::from(MAX_START) {
            return Err(ParamError(
                "La position de début doit être inférieure ou égale à 3000.".into(),
            ));
        }
        f.start = u32::try_from(start).unwrap_or(MAX_START);
        f.end = u32::try_from(end).unwrap_or(MAX_START + MAX_WINDOW);
    }

    // 2. motsCles.
    if let Some(raw) = get("motsCles") {
        let words: Vec<&str> = raw.split(',').map(str::trim).collect();
        if words.len() > 7 || words.iter().any(|w| w.chars().count() < 2) {
            return Err(ParamError("Format du paramètre « motsCles » incorrect. 7 mots-clé au maximum séparés par des virgules et d'au moins 2 caractères.".into()));
        }
        f.mots_cles = words.iter().map(|w| fold(w)).filter(|w| !w.is_empty()).collect();
    }

    // 3. Enumerations and formats.
    if let Some(sort) = get("sort") {
        f.sort = match sort {
            "0" => Sort::Relevance,
            "1" => Sort::Date,
            "2" => Sort::Distance,
            _ => return Err(invalid_value("sort")),
        };
    }
    f.types_contrat = list("typeContrat");
    if f.types_contrat.iter().any(|t| !ALL_TYPES_CONTRAT.contains(&t.as_str())) {
        return Err(invalid_value("typeContrat"));
    }
    f.natures_contrat = list("natureContrat");
    if f.natures_contrat.iter().any(|t| !ALL_NATURES_CONTRAT.contains(&t.as_str())) {
        return Err(invalid_value("natureContrat"));
    }
    if let Some(gd) = get("grandDomaine") {
        if !GRANDS_DOMAINES.contains(&gd) {
            return Err(ParamError("Format du paramètre « grandDomaine » incorrect. A, B, C, C15, D, E, F, G, H, I, J, K, L, L14, M15, M18, M, M16, M17, M13, M14 ou N attendu.".into()));
        }
        f.rome_prefix = Some(gd.to_owned());
    }
    if let Some(domaine) = get("domaine") {
        let ok = domaine.len() == 3
            && domaine.as_bytes()[0].is_ascii_uppercase()
            && domaine[1..].bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return Err(invalid_value("domaine"));
        }
        f.rome_prefix = Some(domaine.to_owned());
    }
    if let Some(exigence) = get("experienceExigence") {
        f.experience_exigence = Some(match exigence {
            "D" => 0,
            "S" => 1,
            "E" => 2,
            _ => {
                return Err(ParamError(
                    "Format du paramètre « experienceExigence » incorrect. D, E ou S attendu."
                        .into(),
                ));
            }
        });
    }
    f.experience = list("experience");
    if f.experience.iter().any(|e| !["0", "1", "2", "3"].contains(&e.as_str())) {
        return Err(invalid_value("experience"));
    }
    if let Some(q) = get("qualification") {
        if !["0", "9"].contains(&q) {
            return Err(invalid_value("qualification"));
        }
        f.qualification = Some(q.to_owned());
    }
    if let Some(o) = get("origineOffre") {
        f.origine = Some(match o {
            "1" => 1,
            "2" => 2,
            _ => return Err(invalid_value("origineOffre")),
        });
    }
    if let Some(mode) = get("modeSelectionPartenaires")
        && !["INCLUS", "EXCLU"].contains(&mode)
    {
        return Err(invalid_value("modeSelectionPartenaires"));
    }
    if let Some(p) = get("periodeSalaire")
        && !["M", "A", "H", "C"].contains(&p)
    {
        return Err(invalid_value("periodeSalaire"));
    }
    f.temps_plein = boolean(get("tempsPlein"), "tempsPlein")?;
    f.acces_th = boolean(get("accesTravailleurHandicape"), "accesTravailleurHandicape")?;
    f.entreprises_adaptees = boolean(get("entreprisesAdaptees"), "entreprisesAdaptees")?;
    f.handi_engages = boolean(get("employeursHandiEngages"), "employeursHandiEngages")?;
    f.mrs = boolean(get("offresMRS"), "offresMRS")?;
    f.manque_candidats = boolean(get("offresManqueCandidats"), "offresManqueCandidats")?;
    boolean(get("inclureLimitrophes"), "inclureLimitrophes")?;
    if let Some(d) = get("publieeDepuis") {
        let days: u32 = d.parse().map_err(|_| invalid_value("publieeDepuis"))?;
        if !PUBLIEE_DEPUIS.contains(&days) {
            return Err(invalid_value("publieeDepuis"));
        }
        f.created_after = Some(cat.params.now - i64::from(days) * 24 * 3600);
    }
    let min_date = get("minCreationDate").map(|d| parse_date(d, "minCreationDate")).transpose()?;
    let max_date = get("maxCreationDate").map(|d| parse_date(d, "maxCreationDate")).transpose()?;
    let distance = match get("distance") {
        Some(d) => Some(d.parse::<u32>().map_err(|_| invalid_value("distance"))?),
        None => None,
    };
    // HHMM: 8 hours are 800, 24h30 is 2430.
    let hhmm = |name: &str| -> Result<Option<u32>, ParamError> {
        let Some(v) = get(name) else { return Ok(None) };
        match v.parse::<u32>() {
            Ok(n) if v.bytes().all(|b| b.is_ascii_digit()) && n % 100 < 60 => {
                Ok(Some(n / 100 * 60 + n % 100))
            }
            _ => Err(invalid_value(name)),
        }
    };
    f.minutes_min = hhmm("dureeHebdoMin")?;
    f.minutes_max = hhmm("dureeHebdoMax")?;
    for name in ["dureeContratMin", "dureeContratMax", "salaireMin"] {
        if let Some(v) = get(name)
            && !v.parse::<f64>().is_ok_and(|x| x.is_finite() && x >= 0.0)
        {
            return Err(invalid_value(name));
        }
    }
    f.codes_rome = list("codeROME");
    if f.codes_rome.len() > 200
        || f.codes_rome.iter().any(|c| !cat.romes.iter().any(|r| &r.code == c))
    {
        return Err(invalid_value("codeROME"));
    }
    if let Some(code) = get("appellation") {
        f.appellation = Some(
            crate::referentials::appellation_rome(code, cat.romes.len())
                .ok_or_else(|| invalid_value("appellation"))?,
        );
    }
    f.secteurs = list("secteurActivite");
    if f.secteurs.len() > 2
        || f.secteurs
            .iter()
            .any(|s| !cat.nafs.iter().any(|n| n.niveau == "division" && &n.code == s))
    {
        return Err(invalid_value("secteurActivite"));
    }
    f.codes_naf = list("codeNAF");
    if f.codes_naf.len() > 2
        || f.codes_naf
            .iter()
            .any(|s| !cat.nafs.iter().any(|n| n.niveau == "sous-classe" && &n.code == s))
    {
        return Err(invalid_value("codeNAF"));
    }

    // 4. Referential codes.
    let communes = list("commune");
    if communes.len() > 5 {
        return Err(invalid_value("commune"));
    }
    for code in &communes {
        f.communes.push(commune_centre(&cat.referentiel, code, quirks)?);
    }
    f.departements = list("departement");
    if f.departements.len() > 5
        || f.departements.iter().any(|d| cat.referentiel.departement(d).is_none())
    {
        return Err(invalid_value("departement"));
    }
    if let Some(region) = get("region") {
        if cat.referentiel.region(region).is_none() {
            return Err(invalid_value("region"));
        }
        f.region = Some(region.to_owned());
    }

    // 5. Pairing rules.
    match (min_date, max_date) {
        (Some(min), Some(max)) => {
            let (min, max) =
                (min - quirks.creation_date_offset_secs, max - quirks.creation_date_offset_secs);
            f.created_after = Some(f.created_after.map_or(min, |a| a.max(min)));
            f.created_before = Some(max);
        }
        (None, None) => {}
        _ => {
            return Err(ParamError(
                "Les paramètres « minCreationDate » et « maxCreationDate » doivent être renseignés ensemble.".into(),
            ));
        }
    }
    match (get("salaireMin"), get("periodeSalaire")) {
        (Some(amount), Some(period)) => {
            let amount = amount.parse::<f64>().map_err(|_| invalid_value("salaireMin"))?;
            f.salaire_min = Some((amount, period.as_bytes()[0]));
        }
        (None, None) => {}
        _ => {
            return Err(ParamError(
                "Les paramètres « salaireMin » et « periodeSalaire » doivent être renseignés ensemble."
                    .into(),
            ));
        }
    }
    if let Some(list) = get("partenaires") {
        let include = get("modeSelectionPartenaires") != Some("EXCLU");
        f.partenaires = Some((list.split(',').map(|p| p.trim().to_owned()).collect(), include));
    }
    f.distance_km = f64::from(distance.unwrap_or(10));
    Ok(f)
}

/// Validates an offer id for the detail endpoint: 7 upper-case letters or digits (an assumption:
/// every id seen has that shape).
pub fn valid_offer_id(id: &str) -> bool {
    id.len() == 7 && id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

fn commune_centre(
    r: &Referentiel,
    code: &str,
    quirks: Quirks,
) -> Result<CommuneCentre, ParamError> {
    let commune = r.commune(code).ok_or_else(|| invalid_value("commune"))?;
    let mut codes = vec![commune.code.to_string()];
    if Referentiel::is_split_city(code) {
        if !quirks.accept_whole_city_codes {
            return Err(invalid_value("commune"));
        }
        codes.extend(r.arrondissements(code).iter().map(ToString::to_string));
    }
    Ok(CommuneCentre { codes, coords: commune.coords() })
}

fn parse_range(range: &str) -> Option<(u64, u64)> {
    let (a, b) = range.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|c| c.is_ascii_digit());
    if !digits(a) || !digits(b) {
        return None;
    }
    let (start, end) = (a.parse().ok()?, b.parse().ok()?);
    (start <= end).then_some((start, end))
}

fn boolean(value: Option<&str>, name: &str) -> Result<Option<bool>, ParamError> {
    match value {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => {
            Err(ParamError(format!("Format du paramètre « {name} » incorrect. Booléen attendu.")))
        }
    }
}

fn parse_date(value: &str, name: &str) -> Result<i64, ParamError> {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::PrimitiveDateTime::parse(value, format).map(|t| t.assume_utc().unix_timestamp()).map_err(
        |_| {
            ParamError(format!(
                "Format du paramètre « {name} » incorrect. yyyy-MM-ddTHH:mm:ssZ attendu."
            ))
        },
    )
}

fn invalid_value(name: &str) -> ParamError {
    ParamError(format!("Valeur du paramètre « {name} » incorrecte."))
}

/// The current time in Unix seconds (for the default clock).
pub fn now_unix() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}
