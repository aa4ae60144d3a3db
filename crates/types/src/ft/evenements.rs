//! *Mes événements emploi* (`/partenaire/evenements/v1`): the events search's criteria and
//! answer, and one event, as France Travail writes them.

use serde::{Deserialize, Serialize};

/// Scopes a token needs for this API: the API's and its domain's.
pub const SCOPES: [&str; 2] = ["api_evenementsv1", "evenements"];

/// Base of the public page of an event, where residents register: append the event id.
pub const PAGE_EVENEMENT: &str =
    "https://mesevenementsemploi.francetravail.fr/mes-evenements-emploi/evenement/";

/// The JSON body of `POST /mee/evenements` (paging is in the query string: `page` from 0,
/// `size` up to 100). Every field is optional; lists are lists even for one value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CriteresEvenements {
    /// Postal codes, matched exactly (no proximity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_postal: Option<Vec<String>>,
    /// Département codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departements: Option<Vec<String>>,
    /// First day, `YYYY-MM-DD`; without it past events come back too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_debut: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_fin: Option<String>,
    /// Event type code (13 information meeting, 14 forum, 15 conference, 16 workshop, 17
    /// online fair, 18 job dating, 31 company visit, 32 other).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_evenement: Option<u32>,
    /// `ENPHY` (on site) or `ADIST` (remote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modalite: Option<String>,
}

/// The answer to `POST /mee/evenements`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageEvenements {
    /// Matches over all pages.
    pub total_elements: u64,
    /// This page's events.
    #[serde(default)]
    pub content: Vec<Evenement>,
}

/// One event, in a search answer or alone (`GET /mee/evenement/{id}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evenement {
    /// Numeric id, in the detail path and the public page.
    pub id: u64,
    /// Title (trailing spaces happen).
    pub titre: String,
    /// Free text, possibly with markup.
    #[serde(default)]
    pub description: String,
    /// Programme of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deroulement: Option<String>,
    /// Type label: `Job dating`, `Forum`, ...
    #[serde(default, rename = "type")]
    pub type_libelle: String,
    /// Day and start instant, ISO 8601 with an offset (`2026-10-14T07:30:00.000+00:00`).
    pub date_evenement: String,
    /// Start time, `HH:MM:SS`, in UTC.
    #[serde(default)]
    pub heure_debut: String,
    /// End time, `HH:MM:SS`, in UTC.
    #[serde(default)]
    pub heure_fin: String,
    /// The event's time zone, to show its times (`Europe/Paris`, `Indian/Reunion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Commune label.
    #[serde(default)]
    pub ville: String,
    /// Postal code.
    #[serde(default)]
    pub code_postal: String,
    /// INSEE code of the commune.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_insee: Option<String>,
    /// Latitude (WGS 84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude (WGS 84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// `en physique`, `à distance`.
    #[serde(default)]
    pub modalites: Vec<String>,
    /// Objectives.
    #[serde(default)]
    pub objectifs: Vec<String>,
    /// Audiences: `Ouvert à tous`, ...
    #[serde(default)]
    pub publics: Vec<String>,
    /// National operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Vec<String>>,
    /// What attending brings.
    #[serde(default)]
    pub benefices: Option<Vec<String>>,
    /// Diplomas targeted.
    #[serde(default)]
    pub diplomes: Option<Vec<String>>,
    /// ROME grands domaines, domains or codes.
    #[serde(default)]
    pub codes_rome: Vec<String>,
    /// Open to several sectors.
    #[serde(default)]
    pub multisectoriel: bool,
    /// On-site places (0: not applicable).
    #[serde(default)]
    pub nombre_place_total_presentiel: u32,
    /// Remote places (0: not applicable).
    #[serde(default)]
    pub nombre_place_total_distance: u32,
    /// Registered on site.
    #[serde(default)]
    pub nombre_inscrit_presentiel: u32,
    /// Registered remotely.
    #[serde(default)]
    pub nombre_inscrit_distance: u32,
    /// Ids of linked offers.
    #[serde(default)]
    pub offres_id: Option<Vec<String>>,
    /// The public page, where residents register.
    #[serde(default)]
    pub url_detail_evenement: String,
    /// The organiser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libelle_organisateur_principal: Option<String>,
    /// The venue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libelle_etablissement: Option<String>,
}

/// The event types: request code and answer label.
pub const TYPES: [(u32, &str); 8] = [
    (13, "Réunion d'information"),
    (14, "Forum"),
    (15, "Conférence"),
    (16, "Atelier"),
    (17, "Salon en ligne"),
    (18, "Job dating"),
    (31, "Visite d'entreprise"),
    (32, "Autre"),
];

/// The label of event type `code`.
pub fn type_libelle(code: u32) -> Option<&'static str> {
    TYPES.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}
