//! `GET /api/v1/lieux?q=…&limit=…`: place autocomplete from the embedded referential.

use axum::Json;
use axum::extract::{RawQuery, State};
use emploi_territory::Place;
use emploi_types::api::{GenreTerritoire, Lieu};

use crate::AppState;
use crate::error::{AppError, AppResult};

/// Communes, arrondissements and EPCI matching a name or postal code prefix.
pub(crate) async fn list_places(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<Vec<Lieu>>> {
    let pairs = super::query_pairs(raw.as_deref())?;
    let mut q = None;
    let mut limit = 8usize;
    for (name, value) in &pairs {
        match name.as_str() {
            "q" => q = Some(value.as_str()),
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
                    format!("Paramètre inconnu « {other} ». Paramètres acceptés : q, limit."),
                    format!("Unknown parameter \"{other}\". Accepted parameters: q, limit."),
                ));
            }
        }
    }
    let q = q.map(str::trim).filter(|q| q.chars().count() >= 2 && q.chars().count() <= 80).ok_or_else(|| {
        AppError::bad_request(
            "q",
            "Tapez de 2 à 80 caractères : un nom de commune, d'intercommunalité ou un code postal.",
            "Type 2 to 80 characters: a commune or intercommunality name, or a postal code.",
        )
    })?;
    let places = state
        .referentiel
        .places(q, limit)
        .into_iter()
        .map(|p| match p {
            Place::Commune(c) => Lieu {
                genre: GenreTerritoire::Commune,
                code: c.code.clone(),
                nom: c.nom.clone(),
                departement: Some(c.departement.clone()),
                code_postal: c.codes_postaux.first().cloned(),
                population: c.population,
            },
            Place::Epci(e) => Lieu {
                genre: GenreTerritoire::Epci,
                code: e.code.clone(),
                nom: e.nom.clone(),
                departement: None,
                code_postal: None,
                population: e.population,
            },
        })
        .collect();
    Ok(Json(places))
}
