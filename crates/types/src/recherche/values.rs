//! The closed sets a search's values come from: sort orders, experience, contract types.

use serde::{Deserialize, Serialize};

/// Sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    /// Relevance (France Travail `sort=0`), the default.
    #[default]
    Pertinence,
    /// Newest first (`sort=1`).
    Date,
    /// Nearest first (`sort=2`), around a commune.
    Distance,
}

impl Tri {
    /// Every sort order.
    pub const ALL: [Tri; 3] = [Tri::Pertinence, Tri::Date, Tri::Distance];

    /// Its value in a query.
    pub const fn code(self) -> &'static str {
        match self {
            Tri::Pertinence => "pertinence",
            Tri::Date => "date",
            Tri::Distance => "distance",
        }
    }

    /// France Travail's `sort` value.
    pub const fn upstream(self) -> &'static str {
        match self {
            Tri::Pertinence => "0",
            Tri::Date => "1",
            Tri::Distance => "2",
        }
    }

    /// The sort order written `code`.
    pub fn from_code(code: &str) -> Option<Tri> {
        Tri::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Experience asked by the offer: France Travail's `experience` durations, and beginners
/// accepted (`experienceExigence=D`), which says more than "under a year" and is one choice of the
/// same filter rather than a second filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Experience {
    /// `D`: beginners accepted.
    #[serde(rename = "D")]
    Debutant,
    /// `1`: under a year.
    #[serde(rename = "1")]
    MoinsDUnAn,
    /// `2`: 1 to 3 years.
    #[serde(rename = "2")]
    UnATroisAns,
    /// `3`: over 3 years.
    #[serde(rename = "3")]
    PlusDeTroisAns,
}

impl Experience {
    /// Every value.
    pub const ALL: [Experience; 4] = [
        Experience::Debutant,
        Experience::MoinsDUnAn,
        Experience::UnATroisAns,
        Experience::PlusDeTroisAns,
    ];

    /// Its value in a query (and France Travail's, in [`Experience::upstream`]'s parameter).
    pub const fn code(self) -> &'static str {
        match self {
            Experience::Debutant => "D",
            Experience::MoinsDUnAn => "1",
            Experience::UnATroisAns => "2",
            Experience::PlusDeTroisAns => "3",
        }
    }

    /// France Travail's parameter for it.
    pub const fn upstream(self) -> &'static str {
        match self {
            Experience::Debutant => "experienceExigence",
            _ => "experience",
        }
    }

    /// The value written `code`.
    pub fn from_code(code: &str) -> Option<Experience> {
        Experience::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// The position's level (France Travail's `qualification`: `0` non-cadre, `9` cadre).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Qualification {
    /// Non-cadre (`0`).
    NonCadre,
    /// Cadre (`9`).
    Cadre,
}

impl Qualification {
    /// Every value.
    pub const ALL: [Qualification; 2] = [Qualification::NonCadre, Qualification::Cadre];

    /// Its value in a query.
    pub const fn code(self) -> &'static str {
        match self {
            Qualification::NonCadre => "non-cadre",
            Qualification::Cadre => "cadre",
        }
    }

    /// France Travail's code, also the value its `qualification` facet counts.
    pub const fn upstream(self) -> &'static str {
        match self {
            Qualification::NonCadre => "0",
            Qualification::Cadre => "9",
        }
    }

    /// The value written `code`.
    pub fn from_code(code: &str) -> Option<Qualification> {
        Qualification::ALL.into_iter().find(|q| q.code() == code)
    }
}

/// The period a minimum salary is counted in (France Travail's `periodeSalaire`; its `C`, per
/// engagement, is for performers and left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PeriodeSalaire {
    /// A month (`M`).
    Mois,
    /// A year (`A`).
    An,
    /// An hour (`H`).
    Heure,
}

impl PeriodeSalaire {
    /// Every value.
    pub const ALL: [PeriodeSalaire; 3] =
        [PeriodeSalaire::Mois, PeriodeSalaire::An, PeriodeSalaire::Heure];

    /// Its value in a query.
    pub const fn code(self) -> &'static str {
        match self {
            PeriodeSalaire::Mois => "mois",
            PeriodeSalaire::An => "an",
            PeriodeSalaire::Heure => "heure",
        }
    }

    /// France Travail's code.
    pub const fn upstream(self) -> &'static str {
        match self {
            PeriodeSalaire::Mois => "M",
            PeriodeSalaire::An => "A",
            PeriodeSalaire::Heure => "H",
        }
    }

    /// The value written `code`.
    pub fn from_code(code: &str) -> Option<PeriodeSalaire> {
        PeriodeSalaire::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Whose offers: France Travail's own and its partners' (job boards, agencies' sites), or one of
/// the two (France Travail's `origineOffre`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Origine {
    /// Both, the default (no `origineOffre`).
    #[default]
    Toutes,
    /// France Travail's own offers only (`origineOffre=1`).
    FranceTravail,
    /// Partners' offers only (`origineOffre=2`).
    Partenaires,
}

impl Origine {
    /// Every value.
    pub const ALL: [Origine; 3] = [Origine::Toutes, Origine::FranceTravail, Origine::Partenaires];

    /// Its value in a query.
    pub const fn code(self) -> &'static str {
        match self {
            Origine::Toutes => "toutes",
            Origine::FranceTravail => "france-travail",
            Origine::Partenaires => "partenaires",
        }
    }

    /// France Travail's `origineOffre`, `None` for both.
    pub const fn upstream(self) -> Option<&'static str> {
        match self {
            Origine::Toutes => None,
            Origine::FranceTravail => Some("1"),
            Origine::Partenaires => Some("2"),
        }
    }

    /// The value written `code`.
    pub fn from_code(code: &str) -> Option<Origine> {
        Origine::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// France Travail's contract natures (`natureContrat`) that make up work-study ("alternance"):
/// apprenticeship (`E2`) and professionalisation (`FS`).
pub const NATURES_ALTERNANCE: [&str; 2] = ["E2", "FS"];

/// France Travail's contract types (`typeContrat`), in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum TypeContrat {
    /// Contrat à durée indéterminée.
    Cdi,
    /// Contrat à durée déterminée.
    Cdd,
    /// Mission intérimaire.
    Mis,
    /// Contrat de travail saisonnier.
    Sai,
    /// CDI intérimaire.
    Din,
    /// CDD d'insertion.
    Ddi,
    /// Contrat de travail temporaire d'insertion.
    Tti,
    /// CDD Tremplin.
    Ddt,
    /// Profession commerciale.
    Cce,
    /// Franchise.
    Fra,
    /// Profession libérale.
    Lib,
    /// Reprise d'entreprise.
    Rep,
}

impl TypeContrat {
    /// Every contract type, in display order.
    pub const ALL: [TypeContrat; 12] = [
        TypeContrat::Cdi,
        TypeContrat::Cdd,
        TypeContrat::Mis,
        TypeContrat::Sai,
        TypeContrat::Din,
        TypeContrat::Ddi,
        TypeContrat::Tti,
        TypeContrat::Ddt,
        TypeContrat::Cce,
        TypeContrat::Fra,
        TypeContrat::Lib,
        TypeContrat::Rep,
    ];

    /// France Travail's code.
    pub const fn code(self) -> &'static str {
        match self {
            TypeContrat::Cdi => "CDI",
            TypeContrat::Cdd => "CDD",
            TypeContrat::Mis => "MIS",
            TypeContrat::Sai => "SAI",
            TypeContrat::Din => "DIN",
            TypeContrat::Ddi => "DDI",
            TypeContrat::Tti => "TTI",
            TypeContrat::Ddt => "DDT",
            TypeContrat::Cce => "CCE",
            TypeContrat::Fra => "FRA",
            TypeContrat::Lib => "LIB",
            TypeContrat::Rep => "REP",
        }
    }

    /// Its short names for residents, in French and in English.
    pub const fn names(self) -> (&'static str, &'static str) {
        match self {
            TypeContrat::Cdi => ("CDI", "Permanent (CDI)"),
            TypeContrat::Cdd => ("CDD", "Fixed-term (CDD)"),
            TypeContrat::Mis => ("Intérim", "Temporary agency work"),
            TypeContrat::Sai => ("Saisonnier", "Seasonal"),
            TypeContrat::Din => ("CDI intérimaire", "Permanent agency contract"),
            TypeContrat::Ddi => ("CDD d'insertion", "Fixed-term integration contract"),
            TypeContrat::Tti => ("Intérim d'insertion", "Temporary integration work"),
            TypeContrat::Ddt => ("CDD Tremplin", "Springboard fixed-term contract"),
            TypeContrat::Cce => ("Profession commerciale", "Commercial agent"),
            TypeContrat::Fra => ("Franchise", "Franchise"),
            TypeContrat::Lib => ("Profession libérale", "Self-employed"),
            TypeContrat::Rep => ("Reprise d'entreprise", "Business takeover"),
        }
    }

    /// The contract type of France Travail's code `code`.
    pub fn from_code(code: &str) -> Option<TypeContrat> {
        TypeContrat::ALL.into_iter().find(|t| t.code() == code)
    }
}
