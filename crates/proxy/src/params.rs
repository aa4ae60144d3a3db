//! Validation of the public search parameters and their translation into France Travail's.
//!
//! Everything France Travail would reject is rejected here first, with a message naming the
//! parameter, so that nothing invalid reaches the upstream budget.

use emploi_territory::Referentiel;
use emploi_types::api::{GenreMetier, GenreTerritoire, MetierChoix, Territoire};

use crate::error::{AppError, AppResult};
use crate::metiers::{AppellationCodes, resolve};

/// Parameters accepted by `GET /api/v1/search`, in documentation order.
pub const SEARCH_PARAMS: [&str; 15] = [
    "site",
    "q",
    "metier",
    "commune",
    "epci",
    "departement",
    "rayon",
    "types_contrat",
    "experience",
    "temps_plein",
    "publiee_depuis",
    "tri",
    "page",
    "par_page",
    "sonde",
];

/// Contract type codes France Travail knows.
pub const TYPES_CONTRAT: [&str; 12] =
    ["CDI", "CDD", "MIS", "SAI", "CCE", "FRA", "LIB", "REP", "TTI", "DDI", "DIN", "DDT"];
/// Radius options are free between 0 and this many km.
pub const MAX_RAYON: u32 = 100;
/// Largest page size.
pub const MAX_PAR_PAGE: u32 = 50;
/// France Travail serves offers 0 to 3149 of a result, no further.
pub const MAX_REACHABLE: u32 = 3150;
/// France Travail's largest range: the proxy always asks for whole windows of this many offers
/// (0-149, 150-299, ...) and cuts pages out of them, so that the pages of one search, whatever
/// their size, cost one call per 150 offers (a deep link to page 5 of 20 offers is one call).
pub const WINDOW: u32 = 150;

/// Sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    /// Relevance (France Travail `sort=0`).
    Pertinence,
    /// Newest first (`sort=1`).
    Date,
    /// Nearest first (`sort=2`), with a commune.
    Distance,
}

/// A validated search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// Keywords, as France Travail's comma-separated `motsCles`.
    pub mots_cles: Option<String>,
    /// The métier: `codeROME` or `appellation` at France Travail.
    pub metier: Option<MetierChoix>,
    /// The territory and its display name.
    pub territoire: Option<Territoire>,
    /// Coordinates of the searched commune, for distances.
    pub centre: Option<(f64, f64)>,
    /// The commune code sent upstream with `distance` (an arrondissement for Paris, Lyon and
    /// Marseille searched with a radius).
    pub commune_upstream: Option<String>,
    /// Communes searched one by one (distance 0) in batches of 5 and merged: an EPCI's members,
    /// or the arrondissements of a whole city searched with radius 0.
    pub communes: Vec<String>,
    /// Contract types.
    pub types_contrat: Vec<String>,
    /// Experience codes 1-3.
    pub experience: Option<String>,
    /// Full time (`true`) or part time (`false`).
    pub temps_plein: Option<bool>,
    /// Maximum age in days.
    pub publiee_depuis: Option<u32>,
    /// Sort order.
    pub tri: Tri,
    /// Page from 1.
    pub page: u32,
    /// Page size.
    pub par_page: u32,
}

impl SearchRequest {
    /// Index of the first offer of the page.
    pub fn start(&self) -> u32 {
        (self.page - 1) * self.par_page
    }

    /// Starts of the windows that hold the page (one, or two when the page straddles a
    /// window's end).
    pub fn windows(&self) -> Vec<u32> {
        let start = self.start();
        let last = (start + self.par_page).min(MAX_REACHABLE).saturating_sub(1).max(start);
        (start / WINDOW..=last / WINDOW).map(|w| w * WINDOW).collect()
    }

    /// The France Travail query of the window holding the page's first offer.
    pub fn upstream_query(&self) -> Vec<(String, String)> {
        self.window_query(self.start() / WINDOW * WINDOW)
    }

    /// The France Travail query of the window starting at `start`, in a fixed order (it is
    /// also the cache key).
    pub fn window_query(&self, start: u32) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = Vec::new();
        if let Some(m) = &self.mots_cles {
            q.push(("motsCles".to_owned(), m.clone()));
        }
        if let Some(t) = &self.territoire {
            match t.genre {
                GenreTerritoire::Commune => {
                    let code = self.commune_upstream.clone().unwrap_or_else(|| t.code.clone());
                    q.push(("commune".to_owned(), code));
                    q.push(("distance".to_owned(), t.rayon.unwrap_or(10).to_string()));
                }
                GenreTerritoire::Departement => q.push(("departement".to_owned(), t.code.clone())),
                GenreTerritoire::Epci => {}
            }
        }
        self.push_filters(&mut q);
        let sort = match self.tri {
            Tri::Pertinence => "0",
            Tri::Date => "1",
            Tri::Distance => "2",
        };
        q.push(("sort".to_owned(), sort.to_owned()));
        let end = (start + WINDOW - 1).min(MAX_REACHABLE - 1);
        q.push(("range".to_owned(), format!("{start}-{end}")));
        q
    }

    /// The query of one batch of a multi-commune search: up to 5 communes at distance 0, newest
    /// first, the 150-offer window starting at `start`.
    pub fn batch_query(&self, communes: &[String], start: u32) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = Vec::new();
        if let Some(m) = &self.mots_cles {
            q.push(("motsCles".to_owned(), m.clone()));
        }
        q.push(("commune".to_owned(), communes.join(",")));
        q.push(("distance".to_owned(), "0".to_owned()));
        self.push_filters(&mut q);
        q.push(("sort".to_owned(), "1".to_owned()));
        let end = (start + WINDOW - 1).min(MAX_REACHABLE - 1);
        q.push(("range".to_owned(), format!("{start}-{end}")));
        q
    }

    fn push_filters(&self, q: &mut Vec<(String, String)>) {
        if let Some(m) = &self.metier {
            let name = match m.genre {
                GenreMetier::Rome => "codeROME",
                GenreMetier::Appellation => "appellation",
            };
            q.push((name.to_owned(), m.code.clone()));
        }
        if !self.types_contrat.is_empty() {
            q.push(("typeContrat".to_owned(), self.types_contrat.join(",")));
        }
        if let Some(e) = &self.experience {
            q.push(("experience".to_owned(), e.clone()));
        }
        if let Some(tp) = self.temps_plein {
            q.push(("tempsPlein".to_owned(), tp.to_string()));
        }
        if let Some(d) = self.publiee_depuis {
            q.push(("publieeDepuis".to_owned(), d.to_string()));
        }
    }
}

/// Validates raw query pairs against the referential (and France Travail's appellations, when
/// known: see [`resolve`]).
pub fn parse_search(
    pairs: &[(String, String)],
    referentiel: &Referentiel,
    appellations: AppellationCodes<'_>,
) -> AppResult<SearchRequest> {
    for (name, _) in pairs {
        if !SEARCH_PARAMS.contains(&name.as_str()) {
            return Err(AppError::bad_request(
                name,
                format!(
                    "Paramètre inconnu « {name} ». Paramètres acceptés : {}.",
                    SEARCH_PARAMS.join(", ")
                ),
                format!(
                    "Unknown parameter \"{name}\". Accepted parameters: {}.",
                    SEARCH_PARAMS.join(", ")
                ),
            ));
        }
        if pairs.iter().filter(|(n, _)| n == name).count() > 1 {
            return Err(AppError::bad_request(
                name,
                format!("Le paramètre « {name} » est répété."),
                format!("Parameter \"{name}\" is repeated."),
            ));
        }
    }
    let get = |name: &str| {
        pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    };

    let mots_cles = get("q").map(mots_cles).transpose()?.flatten();
    let metier = get("metier").map(|v| resolve(v, referentiel, appellations)).transpose()?;

    let rayon = get("rayon").map(|v| number(v, "rayon", 0, MAX_RAYON)).transpose()?;
    let zones = ["commune", "epci", "departement"];
    let given: Vec<&str> = zones.iter().copied().filter(|z| get(z).is_some()).collect();
    if given.len() > 1 {
        return Err(AppError::bad_request(
            given[1],
            "Indiquez une seule zone : commune, intercommunalité (epci) ou département.",
            "Give one area only: commune, intercommunality (epci) or département.",
        ));
    }
    let mut centre = None;
    let mut commune_upstream = None;
    let mut communes = Vec::new();
    let territoire = if let Some(code) = get("commune") {
        let commune = referentiel.commune(code).ok_or_else(|| {
            AppError::bad_request(
                "commune",
                format!("Commune inconnue : « {code} ». Indiquez un code INSEE (5 caractères), par exemple 35238 pour Rennes."),
                format!("Unknown commune \"{code}\". Use an INSEE code (5 characters), for example 35238 for Rennes."),
            )
        })?;
        let rayon = rayon.unwrap_or(10);
        centre = commune.coords();
        let arrondissements = referentiel.arrondissements(&commune.code);
        if !arrondissements.is_empty() {
            // France Travail knows Paris, Lyon and Marseille by their arrondissements only.
            if rayon == 0 {
                communes = arrondissements.iter().map(ToString::to_string).collect();
            } else {
                commune_upstream = arrondissements.first().map(ToString::to_string);
            }
        }
        Some(Territoire {
            genre: GenreTerritoire::Commune,
            code: commune.code.to_string(),
            nom: commune.nom.to_string(),
            rayon: Some(rayon),
        })
    } else if let Some(code) = get("epci") {
        let epci = referentiel.epci(code).ok_or_else(|| {
            AppError::bad_request(
                "epci",
                format!("Intercommunalité inconnue : « {code} ». Indiquez le SIREN de l'EPCI (9 chiffres), par exemple 243500139 pour Rennes Métropole."),
                format!("Unknown intercommunality \"{code}\". Use the EPCI's SIREN (9 digits), for example 243500139 for Rennes Métropole."),
            )
        })?;
        for member in &epci.membres {
            let arrondissements = referentiel.arrondissements(member);
            if arrondissements.is_empty() {
                communes.push(member.to_string());
            } else {
                communes.extend(arrondissements.iter().map(ToString::to_string));
            }
        }
        Some(Territoire {
            genre: GenreTerritoire::Epci,
            code: epci.code.to_string(),
            nom: epci.nom.to_string(),
            rayon: None,
        })
    } else if let Some(code) = get("departement") {
        let dep = referentiel.departement(code).ok_or_else(|| {
            AppError::bad_request(
                "departement",
                format!("Département inconnu : « {code} »."),
                format!("Unknown département \"{code}\"."),
            )
        })?;
        Some(Territoire {
            genre: GenreTerritoire::Departement,
            code: dep.code.to_string(),
            nom: dep.nom.to_string(),
            rayon: None,
        })
    } else {
        None
    };
    if rayon.is_some() && territoire.as_ref().is_none_or(|t| t.genre != GenreTerritoire::Commune) {
        return Err(AppError::bad_request(
            "rayon",
            "Le rayon ne s'applique qu'à une commune.",
            "The radius only applies to a commune.",
        ));
    }

    let types_contrat: Vec<String> = match get("types_contrat") {
        Some(list) => list
            .split(',')
            .map(|t| t.trim().to_ascii_uppercase())
            .filter(|t| !t.is_empty())
            .map(|t| {
                if TYPES_CONTRAT.contains(&t.as_str()) {
                    Ok(t)
                } else {
                    Err(AppError::bad_request(
                        "types_contrat",
                        format!(
                            "Type de contrat inconnu : « {t} ». Valeurs possibles : {}.",
                            TYPES_CONTRAT.join(", ")
                        ),
                        format!(
                            "Unknown contract type \"{t}\". Possible values: {}.",
                            TYPES_CONTRAT.join(", ")
                        ),
                    ))
                }
            })
            .collect::<AppResult<_>>()?,
        None => Vec::new(),
    };
    let experience = get("experience")
        .map(|v| match v {
            "1" | "2" | "3" => Ok(v.to_owned()),
            _ => Err(AppError::bad_request(
                "experience",
                "Expérience : valeurs possibles 1 (moins d'un an), 2 (1 à 3 ans), 3 (plus de 3 ans).",
                "Experience: possible values 1 (under a year), 2 (1 to 3 years), 3 (over 3 years).",
            )),
        })
        .transpose()?;
    let temps_plein = get("temps_plein")
        .map(|v| match v {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(AppError::bad_request(
                "temps_plein",
                "temps_plein vaut true (temps plein) ou false (temps partiel).",
                "temps_plein is true (full time) or false (part time).",
            )),
        })
        .transpose()?;
    // `sonde` changes how the budget is spent (the site guard reads it), not the search.
    if get("sonde").is_some_and(|v| v != "0" && v != "1") {
        return Err(AppError::bad_request(
            "sonde",
            "sonde vaut 1 (recherche facultative) ou 0.",
            "sonde is 1 (an optional search) or 0.",
        ));
    }
    let publiee_depuis = get("publiee_depuis")
        .map(|v| match v.parse::<u32>() {
            Ok(d @ (1 | 3 | 7 | 14 | 31)) => Ok(d),
            _ => Err(AppError::bad_request(
                "publiee_depuis",
                "publiee_depuis vaut 1, 3, 7, 14 ou 31 (jours).",
                "publiee_depuis is 1, 3, 7, 14 or 31 (days).",
            )),
        })
        .transpose()?;
    let tri = match get("tri") {
        None | Some("pertinence") => Tri::Pertinence,
        Some("date") => Tri::Date,
        Some("distance") if centre.is_some() && communes.is_empty() => Tri::Distance,
        Some("distance") => {
            return Err(AppError::bad_request(
                "tri",
                "Le tri par distance demande une commune et un rayon.",
                "Sorting by distance needs a commune and a radius.",
            ));
        }
        Some(other) => {
            return Err(AppError::bad_request(
                "tri",
                format!(
                    "Tri inconnu : « {other} ». Valeurs possibles : pertinence, date, distance."
                ),
                format!("Unknown sort \"{other}\". Possible values: pertinence, date, distance."),
            ));
        }
    };
    let page = get("page").map(|v| number(v, "page", 1, MAX_REACHABLE)).transpose()?.unwrap_or(1);
    let par_page =
        get("par_page").map(|v| number(v, "par_page", 1, MAX_PAR_PAGE)).transpose()?.unwrap_or(20);
    let request = SearchRequest {
        mots_cles,
        metier,
        territoire,
        centre,
        commune_upstream,
        communes,
        types_contrat,
        experience,
        temps_plein,
        publiee_depuis,
        tri,
        page,
        par_page,
    };
    if request.start() > 3000 {
        return Err(AppError::bad_request(
            "page",
            "France Travail ne donne accès qu'aux 3 150 premières offres d'une recherche : affinez votre recherche.",
            "France Travail only gives access to the first 3,150 offers of a search: refine your search.",
        ));
    }
    Ok(request)
}

/// Normalises free text into France Travail keywords: at most 7 comma-separated terms of at least
/// 2 characters, each made of letters, digits, spaces and the few symbols France Travail allows.
fn mots_cles(raw: &str) -> AppResult<Option<String>> {
    if raw.chars().count() > 200 {
        return Err(AppError::bad_request(
            "q",
            "Les mots-clés sont limités à 200 caractères.",
            "Keywords are limited to 200 characters.",
        ));
    }
    let terms: Vec<String> = raw
        .split(',')
        .map(|term| {
            let cleaned: String = term
                .chars()
                .map(|c| if c.is_alphanumeric() || "@#$%^&+./-".contains(c) { c } else { ' ' })
                .collect();
            cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|t| !t.is_empty())
        .collect();
    if terms.is_empty() {
        return Ok(None);
    }
    if terms.len() > 7 || terms.iter().any(|t| t.chars().count() < 2) {
        return Err(AppError::bad_request(
            "q",
            "Mots-clés : 7 au maximum, séparés par des virgules, d'au moins 2 caractères chacun.",
            "Keywords: at most 7, separated by commas, each at least 2 characters long.",
        ));
    }
    Ok(Some(terms.join(",")))
}

fn number(value: &str, name: &str, min: u32, max: u32) -> AppResult<u32> {
    match value.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(AppError::bad_request(
            name,
            format!("« {name} » doit être un nombre entier entre {min} et {max}."),
            format!("\"{name}\" must be a whole number between {min} and {max}."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn referentiel() -> &'static Referentiel {
        static R: OnceLock<Referentiel> = OnceLock::new();
        R.get_or_init(Referentiel::load)
    }

    fn parse(query: &str) -> AppResult<SearchRequest> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
        parse_search(&pairs, referentiel(), AppellationCodes::Off)
    }

    fn rejected_param(query: &str) -> String {
        match parse(query) {
            Err(AppError::BadRequest { parametre, .. }) => parametre,
            other => panic!("{query}: {other:?}"),
        }
    }

    #[test]
    fn a_commune_search_becomes_commune_distance_sort_and_range() {
        let r = parse("q=boulanger&commune=35238&rayon=20&page=2&par_page=10").unwrap();
        assert_eq!(r.territoire.as_ref().unwrap().nom, "Rennes");
        let q = r.upstream_query();
        let expected = [
            ("motsCles", "boulanger"),
            ("commune", "35238"),
            ("distance", "20"),
            ("sort", "0"),
            ("range", "0-149"),
        ];
        assert_eq!(q, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
        assert_eq!(r.windows(), [0]);
    }

    /// Issue 13, point 4: each page was its own call, so a deep link to page N restored in
    /// requests of 50 offers cost N·size/50 calls; pages now share 150-offer windows.
    #[test]
    fn pages_are_cut_from_shared_150_offer_windows() {
        let windows = |q: &str| parse(q).unwrap().windows();
        assert_eq!(windows("page=1&par_page=20"), [0]);
        assert_eq!(windows("page=7&par_page=20"), [0]);
        assert_eq!(windows("page=8&par_page=20"), [0, 150], "offers 140-159 straddle");
        assert_eq!(windows("page=3&par_page=50"), [0]);
        assert_eq!(windows("page=4&par_page=50"), [150]);
        assert_eq!(windows("page=151&par_page=20"), [3000]);
        assert_eq!(windows("page=61&par_page=50"), [3000]);
        // Restoring 3 pages of 20 as the widget does (40 offers, then page 3): one window.
        assert_eq!(windows("page=1&par_page=40"), windows("page=3&par_page=20"));
        let r = parse("page=8&par_page=20").unwrap();
        assert_eq!(r.window_query(150).last().unwrap().1, "150-299");
    }

    #[test]
    fn keywords_are_normalised_for_france_travail() {
        let r = parse("q=aide-soignant%28e%29,+%3Cb%3Enuit%3C/b%3E").unwrap();
        assert_eq!(r.mots_cles.as_deref(), Some("aide-soignant e,b nuit /b"));
        assert_eq!(parse("q=++").unwrap().mots_cles, None);
        assert_eq!(rejected_param("q=a"), "q");
        assert_eq!(rejected_param("q=aa,bb,cc,dd,ee,ff,gg,hh"), "q");
    }

    #[test]
    fn invalid_values_name_their_parameter() {
        assert_eq!(rejected_param("commune=35000"), "commune");
        assert_eq!(rejected_param("departement=99"), "departement");
        assert_eq!(rejected_param("commune=35238&rayon=101"), "rayon");
        assert_eq!(rejected_param("departement=35&rayon=10"), "rayon");
        assert_eq!(rejected_param("types_contrat=CDI,XYZ"), "types_contrat");
        assert_eq!(rejected_param("publiee_depuis=2"), "publiee_depuis");
        assert_eq!(rejected_param("tri=distance"), "tri");
        assert_eq!(rejected_param("par_page=51"), "par_page");
        assert_eq!(rejected_param("page=0"), "page");
        assert_eq!(rejected_param("page=152&par_page=20"), "page");
        assert_eq!(rejected_param("commune=35238&departement=35"), "departement");
        assert_eq!(rejected_param("foo=1"), "foo");
        assert_eq!(rejected_param("q=a1&q=b2"), "q");
    }

    #[test]
    fn a_metier_is_sent_as_france_travail_matches_it() {
        let q = parse("metier=j1501&commune=35238").unwrap().upstream_query();
        assert!(q.contains(&("codeROME".to_owned(), "J1501".to_owned())), "{q:?}");
        let pairs =
            [("metier", "38444"), ("epci", "243500139")].map(|(k, v)| (k.to_owned(), v.to_owned()));
        let q = parse_search(&pairs, referentiel(), AppellationCodes::Unavailable).unwrap();
        let batch = q.batch_query(&q.communes[..5], 0);
        assert!(batch.contains(&("appellation".to_owned(), "38444".to_owned())), "{batch:?}");
        assert_eq!(rejected_param("metier=Z1234"), "metier");
        assert_eq!(rejected_param("metier=aide"), "metier");
    }

    #[test]
    fn the_last_reachable_page_stops_at_3149() {
        let r = parse("page=151&par_page=20").unwrap();
        assert_eq!(r.upstream_query().last().unwrap().1, "3000-3149");
        let r = parse("page=61&par_page=50").unwrap();
        assert_eq!(r.upstream_query().last().unwrap().1, "3000-3149");
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics_and_valid_requests_respect_upstream_limits(
            pairs in proptest::collection::vec(
                (proptest::sample::select(SEARCH_PARAMS.to_vec()), "\\PC{0,30}"), 0..6)
        ) {
            let pairs: Vec<(String, String)> =
                pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            if let Ok(r) = parse_search(&pairs, referentiel(), AppellationCodes::Off) {
                for start in r.windows() {
                    let q = r.window_query(start);
                    let range = &q.last().unwrap().1;
                    let (a, b) = range.split_once('-').unwrap();
                    let (a, b): (u32, u32) = (a.parse().unwrap(), b.parse().unwrap());
                    proptest::prop_assert!(a <= 3000 && b - a < 150 && a <= b);
                }
                if let Some(m) = &r.mots_cles {
                    let terms: Vec<&str> = m.split(',').collect();
                    proptest::prop_assert!(terms.len() <= 7);
                    proptest::prop_assert!(terms.iter().all(|t| t.chars().count() >= 2));
                }
            }
        }
    }
}
