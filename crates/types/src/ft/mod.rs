//! France Travail's wire formats: *Offres d'emploi v2* here (search result, offer, token,
//! errors), *Mes événements emploi* in [`evenements`], *Marché du travail* in [`marche`].
//!
//! Field names follow the upstream JSON exactly, including its irregular spellings
//! (`appellationlibelle`, `experienceExige`, `accessibleTH`). Optional fields are omitted when
//! absent, as upstream does, and unknown fields are ignored when reading. This module is not the
//! proxy's public API: see [`crate::api`] for that.

use serde::{Deserialize, Serialize};

pub mod evenements;
pub mod marche;

/// Base of the France Travail candidate site, where residents view and apply to an offer: append
/// the offer id.
pub const CANDIDATE_SITE: &str = "https://candidat.francetravail.fr/offres/recherche/detail/";

/// Body of a `200`/`206` answer to `GET /v2/offres/search`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ResultatRecherche {
    /// The offers of the requested window (1 to 150 items).
    #[serde(default)]
    pub resultats: Vec<Offre>,
    /// Facet counts over the whole filtered set, not just the window.
    #[serde(default)]
    pub filtres_possibles: Vec<FiltrePossible>,
}

/// One facet of a search result (`typeContrat`, `experience`, `qualification`, `natureContrat`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiltrePossible {
    /// Name of the facet, e.g. `typeContrat`.
    pub filtre: String,
    /// Counts per value; zero counts are omitted upstream.
    #[serde(default)]
    pub agregation: Vec<Agregation>,
}

/// One value of a facet and how many offers carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Agregation {
    /// The value, e.g. `CDI`.
    pub valeur_possible: String,
    /// Number of offers with that value.
    pub nb_resultats: u32,
}

/// A job offer, as found in search results and returned by the detail endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Offre {
    /// Opaque 7-character identifier.
    pub id: String,
    /// Title, often with "(H/F)".
    pub intitule: String,
    /// Plain text with `\n` line breaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Creation date, UTC ISO-8601 with milliseconds.
    pub date_creation: String,
    /// Last update, UTC ISO-8601 with milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_actualisation: Option<String>,
    /// Workplace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lieu_travail: Option<LieuTravail>,
    /// ROME code, e.g. `M1805`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rome_code: Option<String>,
    /// ROME label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rome_libelle: Option<String>,
    /// Appellation label (lower-case `l` upstream).
    #[serde(default, rename = "appellationlibelle", skip_serializing_if = "Option::is_none")]
    pub appellation_libelle: Option<String>,
    /// Employer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise: Option<Entreprise>,
    /// Contract type code (`CDI`, `CDD`, `MIS`, ...).
    pub type_contrat: String,
    /// Contract label, e.g. `CDD - 4 Mois`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_contrat_libelle: Option<String>,
    /// Contract nature as a label (not a code), e.g. `Contrat travail`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nature_contrat: Option<String>,
    /// `D` (beginner accepted), `S` (wished) or `E` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experience_exige: Option<String>,
    /// Experience label, e.g. `Débutant accepté`, `3 An(s)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experience_libelle: Option<String>,
    /// Free comment on experience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experience_commentaire: Option<String>,
    /// Training requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formations: Option<Vec<Formation>>,
    /// Languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub langues: Option<Vec<Exigence>>,
    /// Driving licences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permis: Option<Vec<Exigence>>,
    /// Office tools; upstream documents an array but has shown a plain string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outils_bureautiques: Option<StringOrList>,
    /// Skills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competences: Option<Vec<Competence>>,
    /// Salary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salaire: Option<Salaire>,
    /// Working time label, e.g. `35H/semaine\nTravail en journée`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duree_travail_libelle: Option<String>,
    /// `Temps plein` or `Temps partiel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duree_travail_libelle_converti: Option<String>,
    /// Complement to working conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complement_exercice: Option<String>,
    /// Working conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition_exercice: Option<String>,
    /// True for apprenticeship and professionalisation contracts.
    #[serde(default)]
    pub alternance: bool,
    /// How to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// France Travail agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agence: Option<Agence>,
    /// Number of positions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nombre_postes: Option<u32>,
    /// Accessible to disabled workers.
    #[serde(default, rename = "accessibleTH", skip_serializing_if = "Option::is_none")]
    pub accessible_th: Option<bool>,
    /// Travel code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deplacement_code: Option<String>,
    /// Travel label, e.g. `Jamais`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deplacement_libelle: Option<String>,
    /// Qualification code `1`..`9`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification_code: Option<String>,
    /// Qualification label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification_libelle: Option<String>,
    /// NAF sub-class, e.g. `62.01Z`.
    #[serde(default, rename = "codeNAF", skip_serializing_if = "Option::is_none")]
    pub code_naf: Option<String>,
    /// NAF division, e.g. `62`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secteur_activite: Option<String>,
    /// NAF label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secteur_activite_libelle: Option<String>,
    /// Soft skills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualites_professionnelles: Option<Vec<QualiteProfessionnelle>>,
    /// Headcount band, e.g. `20 à 49 salariés`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tranche_effectif_etab: Option<String>,
    /// Origin of the offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origine_offre: Option<OrigineOffre>,
    /// Hard-to-fill flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offres_manque_candidats: Option<bool>,
    /// Working context (arrays; tolerate strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contexte_travail: Option<ContexteTravail>,
    /// Employer is an "entreprise adaptée".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise_adaptee: Option<bool>,
    /// Employer is labelled "handi-engagé".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employeur_handi_engage: Option<bool>,
}

/// Either one string or a list of strings (upstream is inconsistent on some fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StringOrList {
    /// A plain string.
    One(String),
    /// A list of strings.
    Many(Vec<String>),
}

impl StringOrList {
    /// All items as a list.
    pub fn items(&self) -> Vec<String> {
        match self {
            Self::One(s) => vec![s.clone()],
            Self::Many(v) => v.clone(),
        }
    }
}

/// Workplace of an offer; every inner field is optional upstream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LieuTravail {
    /// `"<dept> - <COMMUNE>"`, a département, a region or `France`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libelle: Option<String>,
    /// WGS84 latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// WGS84 longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_postal: Option<String>,
    /// INSEE code (arrondissement code for Paris, Lyon, Marseille).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
}

/// Employer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Entreprise {
    /// Name; absent for anonymous employers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nom: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Logo URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Web site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// "Entreprise adaptée".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise_adaptee: Option<bool>,
}

/// A training requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Formation {
    /// Training code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_formation: Option<String>,
    /// Domain label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domaine_libelle: Option<String>,
    /// Level label, e.g. `CAP, BEP et équivalents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub niveau_libelle: Option<String>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commentaire: Option<String>,
    /// `E` required or `S` wished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exigence: Option<String>,
}

/// A language or licence with its requirement level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Exigence {
    /// Label, e.g. `Anglais`, `B - Véhicule léger`.
    pub libelle: String,
    /// `E` required or `S` wished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exigence: Option<String>,
}

/// A skill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Competence {
    /// Skill code; absent for free-text skills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Label.
    pub libelle: String,
    /// `E` required or `S` wished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exigence: Option<String>,
}

/// Salary information.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Salaire {
    /// e.g. `Mensuel de 2275.0 Euros à 3033.0 Euros sur 12.0 mois`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libelle: Option<String>,
    /// e.g. `Selon expérience`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commentaire: Option<String>,
    /// First complement, e.g. `Primes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complement1: Option<String>,
    /// Second complement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complement2: Option<String>,
    /// Structured complements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liste_complements: Option<Vec<CodeLibelle>>,
}

/// A `{code, libelle}` pair, the shape of most referentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CodeLibelle {
    /// Code.
    pub code: String,
    /// Label.
    pub libelle: String,
}

/// Contact for applying.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nom: Option<String>,
    /// Address line or apply sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordonnees1: Option<String>,
    /// Address line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordonnees2: Option<String>,
    /// Address line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordonnees3: Option<String>,
    /// Telephone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    /// Usually the "Pour postuler..." sentence, not an e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courriel: Option<String>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commentaire: Option<String>,
    /// Recruiter's site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_recruteur: Option<String>,
    /// Apply URL (ATS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_postulation: Option<String>,
}

/// France Travail agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Agence {
    /// Telephone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    /// Usually the "Pour postuler..." sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courriel: Option<String>,
}

/// A soft skill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct QualiteProfessionnelle {
    /// Label.
    pub libelle: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Origin of an offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OrigineOffre {
    /// `1` France Travail, `2` partner.
    pub origine: String,
    /// Candidate-site URL of the offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_origine: Option<String>,
    /// Partners, for origin `2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partenaires: Option<Vec<Partenaire>>,
}

/// A partner site carrying the offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Partenaire {
    /// Upper-case partner code, e.g. `METEOJOB`.
    pub nom: String,
    /// The ad on the partner's site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Partner logo URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// Working context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ContexteTravail {
    /// Working hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horaires: Option<StringOrList>,
    /// Working conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions_exercice: Option<StringOrList>,
}

/// Body of a `400`/`500` from the API gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErreurApi {
    /// HTTP status repeated in the body.
    pub code_http: u16,
    /// French message; what every client reads.
    pub message: String,
    /// Opaque error code.
    #[serde(default)]
    pub code_erreur: String,
}

/// Successful answer of the token endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessToken {
    /// Granted scopes, space-separated.
    pub scope: String,
    /// Lifetime in seconds (1499 in practice; always read it).
    pub expires_in: u64,
    /// `Bearer`.
    pub token_type: String,
    /// Opaque token.
    pub access_token: String,
}

/// Error answer of the token endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenError {
    /// `invalid_client`, `invalid_scope`, ...
    pub error: String,
    /// Human description.
    pub error_description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_fields_are_omitted_not_null() {
        let offre = Offre {
            id: "123ABCD".into(),
            intitule: "Boulanger (H/F)".into(),
            date_creation: "2026-11-20T08:00:00.000Z".into(),
            type_contrat: "CDI".into(),
            appellation_libelle: Some("Boulanger".into()),
            accessible_th: Some(false),
            code_naf: Some("10.71C".into()),
            ..Offre::default()
        };
        let json = serde_json::to_string(&offre).unwrap();
        assert!(!json.contains("null"), "{json}");
        assert!(json.contains("\"appellationlibelle\":\"Boulanger\""), "{json}");
        assert!(json.contains("\"accessibleTH\":false"), "{json}");
        assert!(json.contains("\"codeNAF\":\"10.71C\""), "{json}");
        assert_eq!(serde_json::from_str::<Offre>(&json).unwrap(), offre);
    }

    #[test]
    fn office_tools_accept_a_string_or_a_list() {
        let one: ContexteTravail = serde_json::from_str(r#"{"horaires":"35H"}"#).unwrap();
        assert_eq!(one.horaires.unwrap().items(), vec!["35H".to_owned()]);
        let many: ContexteTravail =
            serde_json::from_str(r#"{"horaires":["35H","Travail de nuit"]}"#).unwrap();
        assert_eq!(many.horaires.unwrap().items().len(), 2);
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let offre: Offre = serde_json::from_str(
            r#"{"id":"1","intitule":"x","dateCreation":"d","typeContrat":"CDI","nouveau":42}"#,
        )
        .unwrap();
        assert_eq!(offre.id, "1");
    }
}
