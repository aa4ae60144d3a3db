//! A territory's official labour-market figures (*Marché du travail*, France Travail – Dares).
//!
//! France Travail publishes its indicators by département, région and for France, and job
//! seekers (DE_1) by EPCI too; a commune has no figures of its own. So a commune is read at its
//! EPCI (job seekers) or its département, an EPCI at itself (job seekers) or the département
//! holding most of its people, and each figure falls back to the région, then France, when the
//! level answers without rows (spec B8). Every figure says the level and the period it was
//! found at. The recruitment difficulty is asked for the métiers the territory's offers want
//! most (the market overview's), at the département's level and up.

use emploi_types::api::{Chiffre, GenreTerritoire, Indicateurs, Portee, Tension, Territoire};
use emploi_types::ft::marche::{CritereIndicateur, INDICATEURS, Indicateur};
use emploi_types::recherche::{Recherche, Zone};
use futures::future::join_all;

use super::search::upstream_error;
use crate::AppState;
use crate::error::{AppError, AppResult, Message};
use crate::params::resolve_territory;
use crate::sites::Site;
use crate::upstream::{Reach, UpstreamError};

/// The source every figure is shown with.
pub const SOURCE: &str = "France Travail – Dares";

/// Métiers whose recruitment difficulty is given.
const TENSIONS: usize = 3;

/// The official figures of `zone` (the site's default when it names none).
pub(crate) async fn figures(state: &AppState, site: &Site, zone: Zone) -> AppResult<Indicateurs> {
    if state.upstream.apis().marche == Reach::Refused {
        return Err(not_offered());
    }
    let asked = Recherche { zone: zone.clone(), ..Recherche::default() };
    let (_, territoire) = resolve_territory(asked, site, &state.referentiel)?;
    let levels = levels(&territoire, &state.referentiel);
    let coarse: Vec<(&'static str, String)> =
        levels.iter().filter(|(l, _)| *l != "EPCI").cloned().collect();
    let [de, _, emb, persp] = INDICATEURS;
    let demandeurs = first_with_rows(state, de, &levels, ("CUMUL", "CUMUL"), "A");
    let embauches = first_with_rows(state, emb, &coarse, ("CUMUL", "CUMUL"), "TOUT-TOUTE");
    // The métiers come from the offers' market overview (cached a day); without it, none.
    let metiers = async {
        super::market::overview(state, site, zone).await.map(|m| m.metiers).unwrap_or_default()
    };
    let (demandeurs, embauches, metiers) = futures::join!(demandeurs, embauches, metiers);
    let tensions = join_all(metiers.iter().take(TENSIONS).map(|m| {
        let coarse = &coarse;
        async move {
            let found =
                first_with_rows(state, persp, coarse, ("ROME", &m.code), "PERSPECTIVE").await?;
            Ok::<_, UpstreamError>(found.and_then(|(row, portee, _)| {
                let score = row.valeur_principale_nom.as_deref()?.parse::<u8>().ok()?;
                Some(Tension {
                    code: m.code.clone(),
                    libelle: row.lib_activite.unwrap_or_else(|| m.libelle.clone()),
                    score: score.clamp(1, 5),
                    portee,
                })
            }))
        }
    }))
    .await;
    // France Travail's refusal is the panel's absence; a failure of every call is a 503.
    let refused = |r: &Result<_, UpstreamError>| matches!(r, Err(UpstreamError::Forbidden));
    if refused(&demandeurs) || refused(&embauches) {
        return Err(not_offered());
    }
    let mut stale = false;
    let mut chiffre = |r: Result<Option<Found>, UpstreamError>| -> AppResult<Option<Chiffre>> {
        let Some((row, portee, was_stale)) = r.map_err(upstream_error)? else { return Ok(None) };
        stale |= was_stale;
        let valeur = row.valeur_principale_nombre.filter(|v| *v >= 0.0).map(|v| v.round() as u64);
        Ok(valeur.map(|valeur| Chiffre { valeur, portee }))
    };
    let demandeurs = chiffre(demandeurs)?;
    let embauches = chiffre(embauches)?;
    Ok(Indicateurs {
        territoire: Some(territoire),
        demandeurs,
        embauches,
        tensions: tensions.into_iter().filter_map(|t| t.ok().flatten()).collect(),
        source: SOURCE.to_owned(),
        stale,
    })
}

/// The answer when the application cannot reach the indicators API: the panel leaves them out.
fn not_offered() -> AppError {
    AppError::NotFound(Message::new(
        "Les chiffres officiels du marché du travail ne sont pas proposés par ce service.",
        "Official labour-market figures are not offered by this service.",
    ))
}

/// The levels to ask, finest first: (type, code).
pub(crate) fn levels(
    t: &Territoire,
    referentiel: &emploi_territory::Referentiel,
) -> Vec<(&'static str, String)> {
    let mut levels = Vec::new();
    let departement = match t.genre {
        GenreTerritoire::Commune => {
            let c = referentiel.commune(&t.code);
            if let Some(epci) = c.and_then(|c| c.epci.as_ref()) {
                levels.push(("EPCI", epci.to_string()));
            }
            c.map(|c| c.departement.to_string())
        }
        GenreTerritoire::Epci => {
            levels.push(("EPCI", t.code.clone()));
            // The département holding most of the EPCI's people.
            let mut people: Vec<(String, u64)> = Vec::new();
            for c in referentiel.epci(&t.code).iter().flat_map(|e| &e.membres) {
                if let Some(c) = referentiel.commune(c) {
                    match people.iter_mut().find(|(d, _)| *d == c.departement.as_str()) {
                        Some((_, n)) => *n += u64::from(c.population),
                        None => people.push((c.departement.to_string(), u64::from(c.population))),
                    }
                }
            }
            people.into_iter().max_by_key(|(_, n)| *n).map(|(d, _)| d)
        }
        GenreTerritoire::Departement => Some(t.code.clone()),
    };
    if let Some(d) = departement {
        let region = referentiel.departement(&d).map(|d| d.region.to_string());
        levels.push(("DEP", d));
        if let Some(r) = region {
            levels.push(("REG", r));
        }
    }
    levels.push(("NAT", "FR".to_owned()));
    levels
}

/// A row found, where and when it holds, and whether it was served stale.
type Found = (emploi_types::ft::marche::ValeursParPeriode, Portee, bool);

/// The latest row of `indicateur` for `activite` and the nomenclature code `code`, at the
/// first of `levels` that has one; `None` when none has.
async fn first_with_rows(
    state: &AppState,
    indicateur: Indicateur,
    levels: &[(&'static str, String)],
    (type_activite, activite): (&str, &str),
    code: &str,
) -> Result<Option<Found>, UpstreamError> {
    for (niveau, territoire) in levels {
        let criteres = CritereIndicateur {
            code_type_territoire: (*niveau).to_owned(),
            code_territoire: territoire.clone(),
            code_type_activite: type_activite.to_owned(),
            code_activite: activite.to_owned(),
            code_type_periode: indicateur.periode.to_owned(),
            code_type_nomenclature: Some(indicateur.nomenclature.to_owned()),
            derniere_periode: Some(true),
            liste_code_nomenclature: Some(vec![code.to_owned()]),
            sans_caracteristiques: Some(true),
        };
        let served = state.upstream.indicator(indicateur, &criteres).await?;
        let row = served.value.liste_valeurs_par_periode.as_ref().and_then(|rows| {
            rows.iter().find(|r| r.code_nomenclature.as_deref().is_none_or(|c| c == code))
        });
        if let Some(row) = row {
            let portee = Portee {
                niveau: (*niveau).to_owned(),
                territoire: row.lib_territoire.clone().unwrap_or_else(|| territoire.clone()),
                periode: row.lib_periode.clone().unwrap_or_else(|| row.code_periode.clone()),
                mis_a_jour: row
                    .dat_maj
                    .clone()
                    .unwrap_or_else(|| served.value.dat_maj.clone())
                    .chars()
                    .take(10)
                    .collect(),
            };
            return Ok(Some((row.clone(), portee, served.stale)));
        }
    }
    Ok(None)
}
