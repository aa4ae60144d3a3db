//! The proxy's public JSON API (`/api/v1/...`), as read by the widget.
//!
//! Field names are French and snake_case, like the query parameters and the widget's attributes.
//! These types carry what a resident needs, not the whole upstream offer: the proxy maps the
//! France Travail objects (see [`crate::ft`]) into them.

use serde::{Deserialize, Serialize};

/// The licence France Travail's offers are reused under ("Licence de réutilisation de la base
/// de données des offres d'emploi de France Travail"): every display links to it, with the
/// source and the date of the last update (its article 4).
pub const LICENCE_URL: &str = "https://francetravail.io/produits-partages/documentation/conditions-dutilisation-api/licence-offres-emploi";

/// Answer of `GET /api/v1/search`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    /// Offers of the requested page.
    pub offres: Vec<OffreResume>,
    /// Number of matching offers (may exceed what can be paged through).
    pub total: u32,
    /// Page number, from 1.
    pub page: u32,
    /// Page size.
    pub par_page: u32,
    /// Number of offers that can be paged through (France Travail stops at 3,150).
    pub accessibles: u32,
    /// Facet counts over the whole result set.
    pub facettes: Facettes,
    /// The territory the search applied to, with its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territoire: Option<Territoire>,
    /// The métier the search applied to (`metier`), with its label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metier: Option<MetierChoix>,
    /// True when served from cache because France Travail failed.
    #[serde(default)]
    pub stale: bool,
    /// When France Travail gave these offers (the oldest of the answers they come from), in
    /// RFC 3339 UTC to the second: the "last update" the offers licence asks every display to
    /// show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mis_a_jour: Option<String>,
}

/// A métier the keywords field suggests, and the one a search applies (`metier`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetierChoix {
    /// What the code is.
    pub genre: GenreMetier,
    /// ROME code (`J1501`) or appellation code (`38444`).
    pub code: String,
    /// Label, e.g. `Aide-soignant / Aide-soignante`.
    pub libelle: String,
}

/// What a métier code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GenreMetier {
    /// A ROME fiche (`codeROME` at France Travail).
    Rome,
    /// A ROME appellation, a job title within a fiche (`appellation` at France Travail).
    Appellation,
}

/// A search territory as applied by the proxy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Territoire {
    /// Kind of territory.
    pub genre: GenreTerritoire,
    /// INSEE code, SIREN or département code.
    pub code: String,
    /// Display name, e.g. `Rennes`.
    pub nom: String,
    /// Radius in km, for a commune.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rayon: Option<u32>,
}

/// Kind of territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GenreTerritoire {
    /// A commune (INSEE code), with a radius.
    Commune,
    /// An EPCI (SIREN), expanded to its member communes.
    Epci,
    /// A département.
    Departement,
}

/// Facet counts of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facettes {
    /// By contract type code (`CDI`, `CDD`, ...).
    #[serde(default)]
    pub type_contrat: Vec<Facette>,
    /// By experience code.
    #[serde(default)]
    pub experience: Vec<Facette>,
    /// By qualification code.
    #[serde(default)]
    pub qualification: Vec<Facette>,
    /// By contract nature code.
    #[serde(default)]
    pub nature_contrat: Vec<Facette>,
}

/// One value of a facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facette {
    /// The value, e.g. `CDI`.
    pub valeur: String,
    /// How many offers carry it.
    pub nombre: u32,
}

/// An offer as shown on a result card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OffreResume {
    /// France Travail identifier.
    pub id: String,
    /// Title.
    pub intitule: String,
    /// Employer name, when public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise: Option<String>,
    /// Place label, e.g. `Rennes (35)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lieu: Option<String>,
    /// Distance in km from the searched commune, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// Contract type code.
    pub type_contrat: String,
    /// Contract label, e.g. `CDD - 6 Mois`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contrat: Option<String>,
    /// `Temps plein` / `Temps partiel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temps_travail: Option<String>,
    /// Salary label, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salaire: Option<String>,
    /// Weekly working time in minutes, when France Travail states hours (`35H/semaine`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes_hebdo: Option<u32>,
    /// What the offer is notable for, in [`Badge::ALL`] order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub badges: Vec<Badge>,
    /// Creation date, ISO-8601 UTC.
    pub date_creation: String,
}

/// What an offer is notable for, shown as badges on cards, in the detail, on the plain pages, in
/// the print view and in the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Badge {
    /// Work-study: apprenticeship or professionalisation (France Travail's `alternance`).
    Alternance,
    /// Beginners accepted (`experienceExige` `D`).
    Debutant,
    /// The employer is committed to disabled workers (`employeurHandiEngage`).
    HandiEngage,
    /// An adapted company, employing mostly disabled workers (`entrepriseAdaptee`).
    EntrepriseAdaptee,
    /// The offer lacks candidates (`offresManqueCandidats`).
    ManqueCandidats,
}

impl Badge {
    /// Every badge, in display order.
    pub const ALL: [Badge; 5] = [
        Badge::Alternance,
        Badge::Debutant,
        Badge::HandiEngage,
        Badge::EntrepriseAdaptee,
        Badge::ManqueCandidats,
    ];

    /// Its French and English texts.
    pub const fn names(self) -> (&'static str, &'static str) {
        match self {
            Badge::Alternance => ("Alternance", "Work-study"),
            Badge::Debutant => ("Débutant accepté", "Beginners accepted"),
            Badge::HandiEngage => ("Employeur handi-engagé", "Disability-committed employer"),
            Badge::EntrepriseAdaptee => ("Entreprise adaptée", "Adapted company"),
            Badge::ManqueCandidats => ("Manque de candidats", "Lacks candidates"),
        }
    }
}

/// Answer of `GET /api/v1/offres/{id}`: the card fields and what the detail adds, in one flat
/// JSON object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OffreDetail {
    /// The card fields.
    #[serde(flatten)]
    pub resume: OffreResume,
    /// What the detail adds.
    #[serde(flatten)]
    pub complement: OffreComplement,
}

/// The fields of an offer's detail that its card does not have. Deserializable alone from the
/// detail's JSON, which the widget does: `flatten` needs serde's buffering code, several
/// kilobytes in the wasm bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OffreComplement {
    /// Full description, plain text with line breaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Employer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise_description: Option<String>,
    /// Employer web site (http/https only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise_url: Option<String>,
    /// Working time label, e.g. `35H/semaine`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duree_travail: Option<String>,
    /// Experience label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experience: Option<String>,
    /// Qualification label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<String>,
    /// Sector label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secteur: Option<String>,
    /// Required or wished training.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formations: Vec<String>,
    /// Skills.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub competences: Vec<String>,
    /// Soft skills.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualites: Vec<String>,
    /// Languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub langues: Vec<String>,
    /// Driving licences.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permis: Vec<String>,
    /// Number of positions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nombre_postes: Option<u32>,
    /// The métier as the employer names it (France Travail's appellation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appellation: Option<String>,
    /// Nature of the contract, e.g. `Contrat travail`, `Contrat apprentissage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nature_contrat: Option<String>,
    /// How often the job travels, e.g. `Jamais`, `Fréquents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deplacements: Option<String>,
    /// Headcount band of the establishment, e.g. `20 à 49 salariés`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effectif: Option<String>,
    /// Working hours, as listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub horaires: Vec<String>,
    /// Conditions of the job (its exercise conditions and their complement).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// What comes with the salary (bonuses, meals, vehicle...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub avantages: Vec<String>,
    /// Office software asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outils: Vec<String>,
    /// The recruiter's contact as France Travail gives it, line by line (name, address,
    /// telephone, how to apply, comment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<String>,
    /// The recruiter's site (http/https only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_url: Option<String>,
    /// The France Travail agency in charge, line by line (telephone, how to reach it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agence: Vec<String>,
    /// When France Travail last updated the offer (RFC 3339, UTC, to the second).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actualisee: Option<String>,
    /// Open to disabled workers, as the employer states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessible_th: Option<bool>,
    /// The employer's logo (http/https only), which the offers licence asks to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise_logo: Option<String>,
    /// The partner sites the offer comes from, for offers France Travail relays.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partenaires: Vec<Partenaire>,
    /// Where to apply: the employer's apply URL or the France Travail page (http/https only).
    pub url_postuler: String,
    /// The offer on the France Travail candidate site.
    pub url_france_travail: String,
}

/// A partner site relaying an offer, with its links checked (http/https only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partenaire {
    /// The partner's name, e.g. `METEOJOB`.
    pub nom: String,
    /// The offer on the partner's site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The partner's logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// One answer of `GET /api/v1/lieux` (place autocomplete).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lieu {
    /// Commune (or arrondissement) or EPCI.
    pub genre: GenreTerritoire,
    /// INSEE code or SIREN.
    pub code: String,
    /// Name.
    pub nom: String,
    /// Département code, for a commune.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departement: Option<String>,
    /// First postal code, for a commune.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_postal: Option<String>,
    /// Population, used for ranking.
    pub population: u32,
}

/// Error envelope of every non-2xx answer of the proxy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Machine-readable code; the widget matches on this, never on the message.
    pub code: ApiErrorCode,
    /// Human-readable message (French by default, English with `Accept-Language: en`).
    pub message: String,
    /// The offending parameter, for `bad_request` and `unprocessable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parametre: Option<String>,
    /// Seconds to wait before retrying, for `rate_limited` and `upstream_unavailable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
}

/// Machine-readable error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ApiErrorCode {
    /// A parameter breaks its rule (400).
    BadRequest,
    /// Parameters valid one by one that cannot be searched together, or a code that names
    /// nothing known (422).
    Unprocessable,
    /// Unknown site key or origin not allowed.
    Forbidden,
    /// No such offer or route.
    NotFound,
    /// Too many requests from this client or site.
    RateLimited,
    /// France Travail is down, slow or out of budget.
    UpstreamUnavailable,
    /// A bug on our side.
    Internal,
}

/// Answer of `GET /api/v1/marche`: the territory's job market at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Marche {
    /// The territory, with its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territoire: Option<Territoire>,
    /// Offers open in the territory.
    pub total: u32,
    /// Offers by contract type (France Travail's aggregate over all of them), most first.
    pub par_contrat: Vec<Facette>,
    /// The most frequent métiers (ROME), most first.
    pub metiers: Vec<Metier>,
    /// Number of offers the métiers were counted over: the most recent ones, up to 150.
    pub echantillon: u32,
    /// True when served from cache because France Travail failed.
    #[serde(default)]
    pub stale: bool,
    /// When France Travail gave these figures, in RFC 3339 UTC to the second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mis_a_jour: Option<String>,
}

/// A métier of the ROME and its number of offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Metier {
    /// ROME code, e.g. `G1603`.
    pub code: String,
    /// Label, e.g. `Personnel polyvalent en restauration`.
    pub libelle: String,
    /// Offers for it in the counted set.
    pub nombre: u32,
}

/// Answer of `GET /api/v1/evenements`: the coming job fairs, forums and information meetings of
/// a territory, from France Travail's *Mes événements emploi*.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evenements {
    /// The territory, with its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territoire: Option<Territoire>,
    /// The events, soonest first.
    pub evenements: Vec<EvenementResume>,
    /// True when served from cache because France Travail failed.
    #[serde(default)]
    pub stale: bool,
    /// When France Travail gave this list, in RFC 3339 UTC to the second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mis_a_jour: Option<String>,
}

/// One event as a list shows it, with what a calendar entry needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvenementResume {
    /// France Travail's id.
    pub id: u64,
    /// Title.
    pub titre: String,
    /// Type label (`Job dating`, `Forum`…).
    pub genre: String,
    /// Start, RFC 3339 in UTC.
    pub debut: String,
    /// End, RFC 3339 in UTC.
    pub fin: String,
    /// The event's time zone (IANA), in which to show its times.
    pub fuseau: String,
    /// Start in that zone, `YYYY-MM-DDTHH:MM` (what to show).
    pub debut_local: String,
    /// End in that zone, `YYYY-MM-DDTHH:MM`.
    pub fin_local: String,
    /// Commune.
    pub ville: String,
    /// Postal code.
    pub code_postal: String,
    /// Venue, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lieu: Option<String>,
    /// Can be attended on site.
    pub sur_place: bool,
    /// Can be attended online.
    pub en_ligne: bool,
    /// Organiser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisateur: Option<String>,
    /// Places left, when the event counts them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places_restantes: Option<u32>,
    /// France Travail's page of the event, where residents register.
    pub inscription: String,
}

/// Answer of `GET /api/v1/indicateurs`: official labour-market figures of a territory (France
/// Travail – Dares), each with its period, the territory level it was found at and its update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Indicateurs {
    /// The territory asked for, with its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territoire: Option<Territoire>,
    /// Category A job seekers (DE_1), when published for the territory or one containing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demandeurs: Option<Chiffre>,
    /// Hires in the quarter (EMB_1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embauches: Option<Chiffre>,
    /// Recruitment difficulty (PERSP_2) of the territory's most-wanted métiers.
    pub tensions: Vec<Tension>,
    /// The source to show: `France Travail – Dares`.
    pub source: String,
    /// True when served from cache because France Travail failed.
    #[serde(default)]
    pub stale: bool,
}

/// Where and when an official figure holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Portee {
    /// The level it was found at: `EPCI`, `DEP`, `REG` or `NAT` (a coarser one than asked when
    /// France Travail publishes none finer).
    pub niveau: String,
    /// That territory's name, as France Travail writes it.
    pub territoire: String,
    /// The period (`3ème trimestre 2026`, `ANNEE 2026`).
    pub periode: String,
    /// When France Travail last refreshed it, `YYYY-MM-DD`.
    pub mis_a_jour: String,
}

/// A count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Chiffre {
    /// The count.
    pub valeur: u64,
    /// Where and when.
    pub portee: Portee,
}

/// A métier's recruitment difficulty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tension {
    /// ROME code.
    pub code: String,
    /// Label.
    pub libelle: String,
    /// Score from 1 (easy) to 5 (very hard).
    pub score: u8,
    /// Where and when.
    pub portee: Portee,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn resume_strategy() -> impl Strategy<Value = OffreResume> {
        (
            "[A-Z0-9]{7}",
            ".{0,40}",
            proptest::option::of(".{0,20}"),
            proptest::option::of(0.0f64..200.0),
            "(CDI|CDD|MIS)",
            proptest::option::of(0u32..3000),
            proptest::sample::subsequence(Badge::ALL.to_vec(), 0..=Badge::ALL.len()),
        )
            .prop_map(
                |(id, intitule, entreprise, distance_km, type_contrat, minutes_hebdo, badges)| {
                    OffreResume {
                        id,
                        intitule,
                        entreprise,
                        lieu: Some("Rennes (35)".into()),
                        distance_km,
                        type_contrat,
                        contrat: None,
                        temps_travail: Some("Temps plein".into()),
                        salaire: None,
                        minutes_hebdo,
                        badges,
                        date_creation: "2026-11-20T08:00:00.000Z".into(),
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn search_response_round_trips_through_json(
            offres in proptest::collection::vec(resume_strategy(), 0..5),
            total in 0u32..100_000,
            stale in any::<bool>(),
        ) {
            let value = SearchResponse {
                offres,
                total,
                page: 1,
                par_page: 20,
                accessibles: total.min(3150),
                facettes: Facettes {
                    type_contrat: vec![Facette { valeur: "CDI".into(), nombre: total }],
                    ..Facettes::default()
                },
                territoire: Some(Territoire {
                    genre: GenreTerritoire::Commune,
                    code: "35238".into(),
                    nom: "Rennes".into(),
                    rayon: Some(10),
                }),
                metier: stale.then(|| MetierChoix {
                    genre: GenreMetier::Rome,
                    code: "J1501".into(),
                    libelle: "Aide-soignant / Aide-soignante".into(),
                }),
                stale,
                mis_a_jour: stale.then(|| "2026-12-04T20:31:07Z".into()),
            };
            let json = serde_json::to_string(&value).unwrap();
            prop_assert_eq!(serde_json::from_str::<SearchResponse>(&json).unwrap(), value);
        }

        #[test]
        fn offer_detail_round_trips_through_json(resume in resume_strategy(), desc in ".{0,200}") {
            let value = OffreDetail {
                resume,
                complement: OffreComplement {
                    description: Some(desc),
                    competences: vec!["Accueillir une clientèle".into()],
                    contact: vec!["M. Martin".into(), "02 99 00 00 00".into()],
                    partenaires: vec![Partenaire {
                        nom: "METEOJOB".into(),
                        url: Some("https://www.meteojob.example/offre/1".into()),
                        logo: None,
                    }],
                    url_postuler: "https://candidat.francetravail.fr/offres/recherche/detail/123ABCD".into(),
                    url_france_travail: "https://candidat.francetravail.fr/offres/recherche/detail/123ABCD".into(),
                    ..OffreComplement::default()
                },
            };
            let json = serde_json::to_string(&value).unwrap();
            // The widget reads the two halves separately from the same object.
            prop_assert_eq!(&serde_json::from_str::<OffreResume>(&json).unwrap(), &value.resume);
            prop_assert_eq!(&serde_json::from_str::<OffreComplement>(&json).unwrap(), &value.complement);
            prop_assert_eq!(serde_json::from_str::<OffreDetail>(&json).unwrap(), value);
        }
    }

    #[test]
    fn api_error_codes_are_snake_case_on_the_wire() {
        let err = ApiError {
            code: ApiErrorCode::UpstreamUnavailable,
            message: "France Travail est indisponible.".into(),
            parametre: None,
            retry_after: Some(5),
        };
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "upstream_unavailable");
        assert_eq!(json["retry_after"], 5);
        assert!(json.get("parametre").is_none());
    }
}
