//! The search vocabulary, defined once: what a search asks for ([`Recherche`]), the names of its
//! parameters ([`Param`]), the rule each value follows, and the search's one text form.
//!
//! The proxy validates `/api/v1/search` with it ([`Recherche::from_query`], then
//! [`Recherche::check`]), the widget keeps its state in it and writes its requests, deep links
//! and no-JavaScript forms with it ([`Recherche::pairs`], [`Recherche::set`]), the element's
//! attributes are named by it ([`Param::attribute`], [`element_attributes`]), and the OpenAPI
//! document is derived from it (`IntoParams`, with the `openapi` feature), with the same
//! constraints, which the tests check against the code.
//!
//! Two kinds of refusal, told apart by [`Refus`]: a value that breaks its own rule (the document
//! says so: 400), and values that are each valid but cannot be searched together or name nothing
//! known (422).

#[cfg(feature = "openapi")]
mod openapi;
mod paging;
mod rules;
mod secteurs;
#[cfg(test)]
mod tests;
mod text;
mod upstream;
mod values;
mod vocabulary;

pub use rules::{Invalide, Refus};
pub use secteurs::{SECTEURS, secteur_libelle};
pub use text::{encode, query};
pub use values::*;
pub use vocabulary::*;

use crate::api::GenreTerritoire;

/// Where a search looks: one territory, so that two territories, or a radius around anything
/// but a commune, cannot be written down. A request that names none asks for the site's own
/// territory ([`Zone::DuSite`]); the proxy puts it in before checking the search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zone {
    /// The site's default territory (all of France for a site without one), at `rayon` km if it
    /// is a commune (a 422 otherwise, see [`Recherche::check`]).
    DuSite {
        /// The radius asked for, the site's own when `None`.
        rayon: Option<u32>,
    },
    /// A commune (INSEE code) and the radius around it, in km.
    Commune {
        /// INSEE code, e.g. 35238.
        code: String,
        /// Radius in km, 0 to [`MAX_RAYON`].
        rayon: u32,
    },
    /// An EPCI (SIREN), searched commune by commune.
    Epci {
        /// SIREN, 9 digits.
        code: String,
    },
    /// A département.
    Departement {
        /// Département code, e.g. 35, 2A or 971.
        code: String,
    },
}

impl Default for Zone {
    /// The site's territory, at its own radius.
    fn default() -> Self {
        Zone::DuSite { rayon: None }
    }
}

impl Zone {
    /// The territory of `genre` named `code`; `rayon` (around a commune only) is
    /// [`RAYON_DEFAUT`] when not given.
    pub fn new(genre: GenreTerritoire, code: String, rayon: Option<u32>) -> Self {
        match genre {
            GenreTerritoire::Commune => {
                Zone::Commune { code, rayon: rayon.unwrap_or(RAYON_DEFAUT) }
            }
            GenreTerritoire::Epci => Zone::Epci { code },
            GenreTerritoire::Departement => Zone::Departement { code },
        }
    }

    /// Whether it names a territory (not the site's default).
    pub fn is_set(&self) -> bool {
        !matches!(self, Zone::DuSite { .. })
    }

    /// The kind of territory it names.
    pub fn genre(&self) -> Option<GenreTerritoire> {
        match self {
            Zone::DuSite { .. } => None,
            Zone::Commune { .. } => Some(GenreTerritoire::Commune),
            Zone::Epci { .. } => Some(GenreTerritoire::Epci),
            Zone::Departement { .. } => Some(GenreTerritoire::Departement),
        }
    }

    /// The code of the territory it names.
    pub fn code(&self) -> Option<&str> {
        match self {
            Zone::DuSite { .. } => None,
            Zone::Commune { code, .. } | Zone::Epci { code } | Zone::Departement { code } => {
                Some(code)
            }
        }
    }

    /// The INSEE code of the commune it names.
    pub fn commune(&self) -> Option<&str> {
        match self {
            Zone::Commune { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The radius: around its commune, or asked for around the site's territory.
    pub fn rayon(&self) -> Option<u32> {
        match self {
            Zone::Commune { rayon, .. } => Some(*rayon),
            Zone::DuSite { rayon } => *rayon,
            Zone::Epci { .. } | Zone::Departement { .. } => None,
        }
    }

    /// The same territory at `rayon` km, when it is a commune or the site's territory (`None`
    /// for an EPCI or a département, which have no radius).
    pub fn with_rayon(&self, rayon: u32) -> Option<Zone> {
        match self {
            Zone::Commune { code, .. } => Some(Zone::Commune { code: code.clone(), rayon }),
            Zone::DuSite { .. } => Some(Zone::DuSite { rayon: Some(rayon) }),
            Zone::Epci { .. } | Zone::Departement { .. } => None,
        }
    }

    /// The parameter that names its territory (`commune`, `epci`, `departement`).
    pub fn param(&self) -> Option<Param> {
        self.genre().map(|g| match g {
            GenreTerritoire::Commune => Param::Commune,
            GenreTerritoire::Epci => Param::Epci,
            GenreTerritoire::Departement => Param::Departement,
        })
    }
}

/// What a search asks for. Its territory is [`Zone`]; the rest are its words and filters, its
/// order and its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recherche {
    /// Keywords: at most 7 comma-separated terms, each with at least 2 letters, digits or
    /// `@#$%^&+./-` (other characters separate words), 200 characters at most.
    pub q: String,
    /// A métier, matched by France Travail itself: a ROME code (`codeROME`, e.g. J1501) or an
    /// appellation code (5 or 6 digits), as `/api/v1/metiers` suggests them. An unknown code is a
    /// 422.
    pub metier: Option<String>,
    /// Where to search.
    pub zone: Zone,
    /// Contract types, comma-separated (`CDI,CDD`).
    pub types_contrat: Vec<TypeContrat>,
    /// Work-study offers only (France Travail's `natureContrat=E2,FS`). France Travail ORs it
    /// with contract types, so the two never go together (a 422): on, it replaces the list.
    pub alternance: bool,
    /// Experience: D (beginners accepted), 1 (under a year), 2 (1 to 3 years), 3 (over 3 years).
    pub experience: Option<Experience>,
    /// `true`: full time; `false`: part time.
    pub temps_plein: Option<bool>,
    /// At least this many hours a week (1 to 48).
    pub heures_min: Option<u32>,
    /// At most this many hours a week (1 to 48; not below `heures_min`, a 422 otherwise).
    pub heures_max: Option<u32>,
    /// Cadre or non-cadre.
    pub qualification: Option<Qualification>,
    /// The employer's sector: up to 2 NAF divisions (`86,87`).
    pub secteurs: Vec<String>,
    /// Minimum salary in euros, per `periode_salaire` (the two go together, a 422 otherwise).
    pub salaire_min: Option<u32>,
    /// The period of `salaire_min`.
    pub periode_salaire: Option<PeriodeSalaire>,
    /// Only employers committed to disabled workers ("handi-engagés") and adapted companies.
    pub handi_engage: bool,
    /// Only offers that lack candidates (France Travail: over 15 days old, under 4 applications).
    pub manque_candidats: bool,
    /// France Travail's offers, its partners', or both (the default).
    pub origine: Origine,
    /// Published within this many days: 1, 3, 7, 14 or 31.
    pub publiee_depuis: Option<u32>,
    /// Sort: `pertinence` (default), `date`, or `distance` (around a commune; 422 otherwise).
    pub tri: Tri,
    /// Page from 1 (default 1). Its first offer is at most offer 3000, France Travail's last
    /// range (422 otherwise): with 20 offers a page, page 151 at most.
    pub page: u32,
    /// Page size, 1 to 50 (default 20).
    pub par_page: u32,
}

impl Default for Recherche {
    fn default() -> Self {
        Self {
            q: String::new(),
            metier: None,
            zone: Zone::default(),
            types_contrat: Vec::new(),
            alternance: false,
            experience: None,
            temps_plein: None,
            heures_min: None,
            heures_max: None,
            qualification: None,
            secteurs: Vec::new(),
            salaire_min: None,
            periode_salaire: None,
            handi_engage: false,
            manque_candidats: false,
            origine: Origine::Toutes,
            publiee_depuis: None,
            tri: Tri::default(),
            page: 1,
            par_page: PAR_PAGE_DEFAUT,
        }
    }
}
