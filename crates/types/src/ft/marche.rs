//! *Marché du travail* (`/partenaire/stats-offres-demandes-emploi/v1`): an indicator's criteria
//! and answer, and the territory and period referentials, as France Travail writes them (JSON
//! only when asked with `Accept: application/json`).

use serde::{Deserialize, Serialize};

/// Scopes a token needs for this API: the API's and its domain's.
pub const SCOPES: [&str; 2] = ["api_stats-offres-demandes-emploiv1", "offresetdemandesemploi"];

/// The JSON body of `POST /indicateur/stat-…`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CritereIndicateur {
    /// `NAT`, `REG`, `DEP`, `BASBMO`, `EPCI`...
    pub code_type_territoire: String,
    /// The territory's code, always a string (`FR`, `53`, `2A`, `971`, a SIREN).
    pub code_territoire: String,
    /// `CUMUL`, `ROME`, `DOMAINE`...
    pub code_type_activite: String,
    /// `CUMUL` or a code of that type.
    pub code_activite: String,
    /// `TRIMESTRE` or `ANNEE`, as the indicator has it.
    pub code_type_periode: String,
    /// The indicator's nomenclature (`CATCAND`, `ORIGINEOFF`, `CATCANDxDUREEEMP`,
    /// `TYPE_TENSION`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_type_nomenclature: Option<String>,
    /// Only the latest period (all periods when false or absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derniere_periode: Option<bool>,
    /// Only these nomenclature codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liste_code_nomenclature: Option<Vec<String>>,
    /// Leave the breakdown by characteristic out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sans_caracteristiques: Option<bool>,
}

/// An indicator's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicateurRetour {
    /// When the indicator's data were refreshed (the date to show as the update).
    pub dat_maj: String,
    /// `DE_1`, `EMB_1`, `PERSP_2`...
    pub code_indicateur: String,
    /// `DEMANDEURS`, `EMBAUCHES`...
    #[serde(default)]
    pub code_famille: String,
    /// Label.
    #[serde(default)]
    pub lib_indicateur: String,
    /// One row per period and nomenclature code, latest period first; absent, not empty, when
    /// there is no data (some clients met `valeursParPeriode`).
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "valeursParPeriode")]
    pub liste_valeurs_par_periode: Option<Vec<ValeursParPeriode>>,
}

/// One row of an indicator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValeursParPeriode {
    /// Row refresh date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dat_maj: Option<String>,
    /// Territory type.
    pub code_type_territoire: String,
    /// Territory code.
    pub code_territoire: String,
    /// Territory label (upper case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lib_territoire: Option<String>,
    /// Activity type.
    pub code_type_activite: String,
    /// Activity code.
    pub code_activite: String,
    /// Activity label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lib_activite: Option<String>,
    /// Nomenclature code (`A`, `ABC`, `TOFF`, `PERSPECTIVE`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_nomenclature: Option<String>,
    /// Nomenclature label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lib_nomenclature: Option<String>,
    /// `TRIMESTRE` or `ANNEE`.
    pub code_type_periode: String,
    /// `2026T2`, `2025`.
    pub code_periode: String,
    /// `2ème trimestre 2026`, `ANNEE 2025`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lib_periode: Option<String>,
    /// The main count (job seekers, offers, hires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valeur_principale_nombre: Option<f64>,
    /// A share in %, whose meaning depends on the indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valeur_secondaire_pourcentage: Option<f64>,
    /// An ordinal score as text, `1` to `5` (tension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valeur_principale_nom: Option<String>,
    /// A decimal value (tension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valeur_principale_decimale: Option<f64>,
    /// Breakdown by characteristic (without the total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liste_valeur_par_caract: Option<Vec<ValeurParCaract>>,
}

/// One characteristic's share of a row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValeurParCaract {
    /// `GENRE`, `AGE`...
    pub code_type_caract: String,
    /// `F`, `AGE1`...
    pub code_caract: String,
    /// Label.
    #[serde(default)]
    pub lib_caract: String,
    /// Count.
    #[serde(default)]
    pub nombre: f64,
    /// Share in %.
    #[serde(default)]
    pub pourcentage: f64,
    /// Hidden for statistical secrecy.
    #[serde(default)]
    pub masque: bool,
}

/// `GET /referentiel/territoires/{type}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Territoires {
    /// The territories of the type.
    pub territoires: Vec<TerritoireStat>,
}

/// A territory of the statistics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TerritoireStat {
    /// Refresh date.
    pub dat_maj: String,
    /// Its type.
    pub code_type_territoire: String,
    /// Its code.
    pub code_territoire: String,
    /// Its label (upper case).
    pub libelle_territoire: String,
    /// Type of its parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_type_territoire_parent: Option<String>,
    /// Code of its parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_territoire_parent: Option<String>,
}

/// `GET /referentiel/periodes/{type}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Periodes {
    /// The periods, the most distant future first.
    pub periodes: Vec<Periode>,
}

/// A period of the statistics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Periode {
    /// Refresh date.
    pub dat_maj: String,
    /// `TRIMESTRE` or `ANNEE`.
    pub code_type_periode: String,
    /// `2026T2`, `2025`.
    pub code_periode: String,
    /// 1 for the most distant future period, increasing towards the past.
    pub ordre_periode: u32,
    /// `2ème trimestre 2026`, `ANNEE 2025`.
    pub libelle_periode: String,
}

/// The indicators this product reads: endpoint, indicator code, family, label, nomenclature
/// type and period type, as France Travail pairs them (another pair is a 400).
pub const INDICATEURS: [Indicateur; 4] = [
    Indicateur {
        chemin: "stat-demandeurs",
        code: "DE_1",
        famille: "DEMANDEURS",
        libelle: "Nombre et % de DE par catégories x caractéristiques, % par activités (Rome, Compétence)",
        nomenclature: "CATCAND",
        periode: "TRIMESTRE",
    },
    Indicateur {
        chemin: "stat-offres",
        code: "OFF_1",
        famille: "OFFRES",
        libelle: "Offres d'emploi enregistrées",
        nomenclature: "ORIGINEOFF",
        periode: "TRIMESTRE",
    },
    Indicateur {
        chemin: "stat-embauches",
        code: "EMB_1",
        famille: "EMBAUCHES",
        libelle: "Embauches",
        nomenclature: "CATCANDxDUREEEMP",
        periode: "TRIMESTRE",
    },
    Indicateur {
        chemin: "stat-perspective-employeur",
        code: "PERSP_2",
        famille: "PERSPECTIVES",
        libelle: "Difficultés de recrutement",
        nomenclature: "TYPE_TENSION",
        periode: "ANNEE",
    },
];

/// One indicator endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indicateur {
    /// Path under `/indicateur/`.
    pub chemin: &'static str,
    /// `DE_1`...
    pub code: &'static str,
    /// Family.
    pub famille: &'static str,
    /// Label.
    pub libelle: &'static str,
    /// Its one nomenclature type.
    pub nomenclature: &'static str,
    /// Its one period type.
    pub periode: &'static str,
}

impl Indicateur {
    /// The indicator served at `/indicateur/{chemin}`.
    pub fn by_path(chemin: &str) -> Option<Indicateur> {
        INDICATEURS.into_iter().find(|i| i.chemin == chemin)
    }

    /// The indicator whose code is `code`.
    pub fn by_code(code: &str) -> Option<Indicateur> {
        INDICATEURS.into_iter().find(|i| i.code == code)
    }
}
