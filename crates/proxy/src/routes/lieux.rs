//! `GET /api/v1/lieux?q=…&limit=…`: place autocomplete from the embedded referential.

use axum::Json;
use axum::extract::{RawQuery, State};
use emploi_territory::Place;
use emploi_types::api::{GenreTerritoire, Lieu};

use crate::AppState;
use crate::error::{AppError, AppResult};

/// Communes, arrondissements and EPCI matching a name or postal code prefix.
#[utoipa::path(
    get,
    path = "/api/v1/lieux",
    tag = "territoires",
    params(
        super::SiteParam,
        ("q" = String, Query, min_length = 2, max_length = 80, description = "2 to 80 characters: a name (accents, case, hyphens ignored; st = saint) or a postal code"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 20, description = "1-20 (default 8)"),
    ),
    responses(
        (status = 200, description = "Places, largest population first", body = Vec<Lieu>),
        (status = 400, description = "Invalid parameter", body = emploi_types::api::ApiError),
        (status = 403, description = "Unknown site key or origin not allowed", body = emploi_types::api::ApiError),
        (status = 429, description = "Over the per-client limit, or this client's share of France Travail calls", body = emploi_types::api::ApiError),
    )
)]
pub(crate) async fn list_places(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<Vec<Lieu>>> {
    let pairs = super::query_pairs(raw.as_deref())?;
    let (q, limit) = query_and_limit(&pairs)?;
    let q = q.ok_or_else(|| {
        AppError::bad_request(
            "q",
            "Tapez de 2 à 80 caractères : un nom de commune, d'intercommunalité ou un code postal.",
            "Type 2 to 80 characters: a commune or intercommunality name, or a postal code.",
        )
    })?;
    let places = state.referentiel.places(q, limit).into_iter().map(lieu).collect();
    Ok(Json(places))
}

/// The `q` and `limit` of a suggestion request (`site` is the guard's), each given once: `q`
/// `None` unless 2 to 80 characters long (as the document says: spaces count, the search
/// ignores them); `limit` 1 to 20, 8 by default.
pub(crate) fn query_and_limit(pairs: &[(String, String)]) -> AppResult<(Option<&str>, usize)> {
    let mut q = None;
    let mut limit = 8usize;
    for (i, (name, value)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(n, _)| n == name) {
            return Err(emploi_types::recherche::Invalide::repeated(name).into());
        }
        match name.as_str() {
            "q" => q = Some(value.as_str()),
            // Checked by the site guard.
            "site" => {}
            "limit" => {
                limit = value.parse().ok().filter(|l| (1..=20).contains(l)).ok_or_else(|| {
                    AppError::bad_request(
                        "limit",
                        "« limit » doit être un nombre entier entre 1 et 20.",
                        "\"limit\" must be a whole number between 1 and 20.",
                    )
                })?;
            }
            other => {
                return Err(AppError::bad_request(
                    other,
                    format!("Paramètre inconnu « {other} ». Paramètres acceptés : site, q, limit."),
                    format!("Unknown parameter \"{other}\". Accepted parameters: site, q, limit."),
                ));
            }
        }
    }
    let q = q.filter(|q| (2..=80).contains(&q.chars().count())).map(str::trim);
    Ok((q, limit))
}

/// A place of the referential as the API shows it.
pub(crate) fn lieu(place: Place<'_>) -> Lieu {
    match place {
        Place::Commune(c) => Lieu {
            genre: GenreTerritoire::Commune,
            code: c.code.to_string(),
            nom: c.nom.to_string(),
            departement: Some(c.departement.to_string()),
            code_postal: c.codes_postaux.first().map(ToString::to_string),
            population: c.population,
        },
        Place::Epci(e) => Lieu {
            genre: GenreTerritoire::Epci,
            code: e.code.to_string(),
            nom: e.nom.to_string(),
            departement: None,
            code_postal: None,
            population: e.population,
        },
    }
}
