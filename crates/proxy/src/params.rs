//! The search of a request, resolved against the referential and translated into France
//! Travail's parameters.
//!
//! The vocabulary and its rules are `emploi_types::recherche`'s: [`SearchQuery`] reads a request
//! with them (400 for a value that breaks its rule, 422 for values that do not go together);
//! [`resolve`] then names the territory and the métier (422 for a code that names nothing), so
//! that nothing invalid reaches the upstream budget.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use emploi_territory::Referentiel;
use emploi_types::api::{GenreMetier, GenreTerritoire, MetierChoix, Territoire};
use emploi_types::recherche::{Invalide, MAX_ACCESSIBLES, Param, Recherche, Refus, Tri, Zone};

use crate::error::{AppError, AppResult};
use crate::metiers::{AppellationCodes, resolve as resolve_metier};
use crate::sites::Site;

/// France Travail's largest range: the proxy always asks for whole windows of this many offers
/// (0-149, 150-299, ...) and cuts pages out of them, so that the pages of one search, whatever
/// their size, cost one call per 150 offers (a deep link to page 5 of 20 offers is one call).
pub const WINDOW: u32 = 150;

impl From<Invalide> for AppError {
    fn from(e: Invalide) -> Self {
        let message = crate::error::Message::new(e.fr, e.en);
        match e.refus {
            Refus::Forme => AppError::BadRequest { parametre: e.parametre, message },
            Refus::Sens => AppError::Unprocessable { parametre: e.parametre, message },
        }
    }
}

/// The query of `GET /api/v1/search`: the search, and the proxy's own `sonde` (`site` is the
/// site guard's).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    /// What is searched.
    pub recherche: Recherche,
    /// An optional search, answered only from the cache or from spare capacity.
    pub sonde: bool,
}

impl SearchQuery {
    /// Reads the query string `raw`.
    pub fn parse(raw: Option<&str>) -> AppResult<Self> {
        let pairs = crate::routes::query_pairs(raw)?;
        let pairs = || pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let recherche = Recherche::from_query(pairs(), &Param::ALL, &["site", "sonde"])?;
        let sonde = match pairs().find(|(k, _)| *k == "sonde").map(|(_, v)| v) {
            None | Some("0") => false,
            Some("1") => true,
            Some(_) => {
                return Err(AppError::bad_request(
                    "sonde",
                    "sonde vaut 1 (recherche facultative) ou 0.",
                    "sonde is 1 (an optional search) or 0.",
                ));
            }
        };
        Ok(Self { recherche, sonde })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SearchQuery {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> AppResult<Self> {
        Self::parse(parts.uri.query())
    }
}

/// The query of `GET /api/v1/marche`: a territory only.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneQuery(pub Recherche);

impl<S: Send + Sync> FromRequestParts<S> for ZoneQuery {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> AppResult<Self> {
        let pairs = crate::routes::query_pairs(parts.uri.query())?;
        let pairs = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        Ok(Self(Recherche::from_query(pairs, &Param::TERRITOIRE, &["site"])?))
    }
}

/// `r` with the site's default territory when it names none. A radius it gives is kept around
/// the site's commune, and left for [`Recherche::check`] to refuse around anything else.
pub fn with_default_territory(mut r: Recherche, site: &Site) -> Recherche {
    if let Zone::DuSite { rayon } = r.zone
        && let Some(territory) = &site.config.territory
    {
        match rayon {
            None => r.zone = territory.clone(),
            Some(rayon) => {
                if let Some(zone) = territory.with_rayon(rayon).filter(Zone::is_set) {
                    r.zone = zone;
                }
            }
        }
    }
    r
}

/// `r` (a territory's panel: the market, its figures, its events) with the site's default
/// territory, resolved, and that territory: a 422 when neither names one. No métier is read.
pub fn resolve_territory(
    r: Recherche,
    site: &Site,
    referentiel: &Referentiel,
) -> AppResult<(SearchRequest, Territoire)> {
    let none = || {
        AppError::unprocessable(
            "commune",
            "Indiquez un territoire : commune, epci ou departement.",
            "Give a territory: commune, epci or departement.",
        )
    };
    let asked = with_default_territory(r, site);
    if !asked.zone.is_set() {
        return Err(none());
    }
    let request = resolve(asked, referentiel, AppellationCodes::Off)?;
    let territoire = request.territoire.clone().ok_or_else(none)?;
    Ok((request, territoire))
}

/// A search ready to send: the territory and the métier named, France Travail's communes.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// What was asked.
    pub recherche: Recherche,
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
}

impl SearchRequest {
    /// Page size.
    pub fn par_page(&self) -> u32 {
        self.recherche.par_page
    }

    /// Index of the first offer of the page.
    pub fn start(&self) -> u32 {
        self.recherche.start()
    }

    /// Starts of the windows that hold the page (one, or two when the page straddles a
    /// window's end).
    pub fn windows(&self) -> Vec<u32> {
        let start = self.start();
        let last = (start + self.par_page()).min(MAX_ACCESSIBLES).saturating_sub(1).max(start);
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
        match (&self.recherche.zone, &self.territoire) {
            (Zone::Commune { rayon, .. }, Some(t)) => {
                let code = self.commune_upstream.clone().unwrap_or_else(|| t.code.clone());
                q.push(("commune".to_owned(), code));
                q.push(("distance".to_owned(), rayon.to_string()));
            }
            (Zone::Departement { .. }, Some(t)) => {
                q.push(("departement".to_owned(), t.code.clone()));
            }
            // An EPCI is searched as its communes, in batches.
            _ => {}
        }
        self.push_filters(&mut q);
        q.push(("sort".to_owned(), self.recherche.tri.upstream().to_owned()));
        q.push(("range".to_owned(), range(start)));
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
        q.push(("sort".to_owned(), Tri::Date.upstream().to_owned()));
        q.push(("range".to_owned(), range(start)));
        q
    }

    fn push_filters(&self, q: &mut Vec<(String, String)>) {
        let r = &self.recherche;
        if let Some(m) = &self.metier {
            let name = match m.genre {
                GenreMetier::Rome => "codeROME",
                GenreMetier::Appellation => "appellation",
            };
            q.push((name.to_owned(), m.code.clone()));
        }
        q.extend(r.france_travail_filters().into_iter().map(|(k, v)| (k.to_owned(), v)));
    }
}

/// France Travail's `range` of the window starting at `start`.
fn range(start: u32) -> String {
    let end = (start + WINDOW - 1).min(MAX_ACCESSIBLES - 1);
    format!("{start}-{end}")
}

/// Names what `r` searches in the referential (and France Travail's appellations, when known:
/// see [`resolve_metier`]), once its values have been checked together.
pub fn resolve(
    r: Recherche,
    referentiel: &Referentiel,
    appellations: AppellationCodes<'_>,
) -> AppResult<SearchRequest> {
    r.check()?;
    let metier =
        r.metier.as_deref().map(|v| resolve_metier(v, referentiel, appellations)).transpose()?;
    let mut centre = None;
    let mut commune_upstream = None;
    let mut communes = Vec::new();
    let territoire = match &r.zone {
        Zone::Commune { code, rayon } => {
            let commune = referentiel.commune(code).ok_or_else(|| {
                AppError::unprocessable(
                    "commune",
                    format!("Commune inconnue : « {code} ». Indiquez un code INSEE (5 caractères), par exemple 35238 pour Rennes."),
                    format!("Unknown commune \"{code}\". Use an INSEE code (5 characters), for example 35238 for Rennes."),
                )
            })?;
            centre = commune.coords();
            let arrondissements = referentiel.arrondissements(&commune.code);
            if !arrondissements.is_empty() {
                // France Travail knows Paris, Lyon and Marseille by their arrondissements only.
                if *rayon == 0 {
                    communes = arrondissements.iter().map(ToString::to_string).collect();
                } else {
                    commune_upstream = arrondissements.first().map(ToString::to_string);
                }
            }
            Some(Territoire {
                genre: GenreTerritoire::Commune,
                code: commune.code.to_string(),
                nom: commune.nom.to_string(),
                rayon: Some(*rayon),
            })
        }
        Zone::Epci { code } => {
            let epci = referentiel.epci(code).ok_or_else(|| {
                AppError::unprocessable(
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
        }
        Zone::Departement { code } => {
            let dep = referentiel.departement(code).ok_or_else(|| {
                AppError::unprocessable(
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
        }
        Zone::DuSite { .. } => None,
    };
    if r.tri == Tri::Distance && !communes.is_empty() {
        return Err(AppError::unprocessable(
            "tri",
            "Le tri par distance demande une commune et un rayon.",
            "Sorting by distance needs a commune and a radius.",
        ));
    }
    Ok(SearchRequest {
        mots_cles: r.mots_cles(),
        recherche: r,
        metier,
        territoire,
        centre,
        commune_upstream,
        communes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn referentiel() -> &'static Referentiel {
        static R: OnceLock<Referentiel> = OnceLock::new();
        R.get_or_init(Referentiel::load)
    }

    fn parse_with(query: &str, codes: AppellationCodes<'_>) -> AppResult<SearchRequest> {
        resolve(SearchQuery::parse(Some(query))?.recherche, referentiel(), codes)
    }

    fn parse(query: &str) -> AppResult<SearchRequest> {
        parse_with(query, AppellationCodes::Off)
    }

    /// The parameter a query is refused for, and whether with a 400 (its own rule).
    fn rejected(query: &str) -> (String, bool) {
        match parse(query) {
            Err(AppError::BadRequest { parametre, .. }) => (parametre, true),
            Err(AppError::Unprocessable { parametre, .. }) => (parametre, false),
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
        assert_eq!(parse("q=+%21+").unwrap().mots_cles, None);
        assert_eq!(rejected("q=a"), ("q".to_owned(), true));
        assert_eq!(rejected("q=aa,bb,cc,dd,ee,ff,gg,hh"), ("q".to_owned(), true));
    }

    #[test]
    fn invalid_values_name_their_parameter() {
        // A value that breaks its own rule: 400.
        for (query, param) in [
            ("commune=3500", "commune"),
            ("commune=35238&rayon=101", "rayon"),
            ("types_contrat=CDI,XYZ", "types_contrat"),
            ("publiee_depuis=2", "publiee_depuis"),
            ("publiee_depuis=", "publiee_depuis"),
            ("par_page=51", "par_page"),
            ("page=0", "page"),
            ("foo=1", "foo"),
            ("q=a1&q=b2", "q"),
            ("sonde=2", "sonde"),
        ] {
            assert_eq!(rejected(query), (param.to_owned(), true), "{query}");
        }
        // Valid values that do not go together or name nothing known: 422.
        for (query, param) in [
            ("commune=35000", "commune"),
            ("departement=99", "departement"),
            ("epci=999999999", "epci"),
            ("departement=35&rayon=10", "rayon"),
            ("tri=distance", "tri"),
            ("commune=75056&rayon=0&tri=distance", "tri"),
            ("page=152&par_page=20", "page"),
            ("commune=35238&departement=35", "departement"),
        ] {
            assert_eq!(rejected(query), (param.to_owned(), false), "{query}");
        }
    }

    #[test]
    fn a_metier_is_sent_as_france_travail_matches_it() {
        let q = parse("metier=j1501&commune=35238").unwrap().upstream_query();
        assert!(q.contains(&("codeROME".to_owned(), "J1501".to_owned())), "{q:?}");
        let q = parse_with("metier=38444&epci=243500139", AppellationCodes::Unavailable).unwrap();
        let batch = q.batch_query(&q.communes[..5], 0);
        assert!(batch.contains(&("appellation".to_owned(), "38444".to_owned())), "{batch:?}");
        assert_eq!(rejected("metier=Z1234"), ("metier".to_owned(), false));
        assert_eq!(rejected("metier=aide"), ("metier".to_owned(), true));
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
                (proptest::sample::select(Param::ALL.map(Param::name).to_vec()), "\\PC{0,30}"), 0..6)
        ) {
            let query = pairs.into_iter().map(|(k, v)| format!("{k}={}", emploi_widget::api::encode(&v))).collect::<Vec<_>>().join("&");
            if let Ok(r) = parse(&query) {
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
