//! The territory's job market at a glance.
//!
//! Counts by contract type are France Travail's own aggregate over every open offer of the
//! territory (the `filtresPossibles` of a search). France Travail publishes no per-métier
//! aggregate in this API, so the top métiers are counted over the most recent offers (one
//! 150-offer window per call) and the answer says over how many (`echantillon`).

use std::collections::HashMap;

use emploi_types::api::{Marche, Metier};
use emploi_types::recherche::{Recherche, Tri, Zone};
use futures::future::try_join_all;

use super::search::upstream_error;
use crate::error::AppResult;
use crate::params::{WINDOW, resolve_territory};
use crate::upstream::Carte;
use crate::{AppState, mapping, multi};

/// Métiers listed.
const TOP: usize = 5;

/// The market overview of `zone` (the site's default when it names none).
pub(crate) async fn overview(
    state: &AppState,
    site: &crate::sites::Site,
    zone: Zone,
) -> AppResult<Marche> {
    // The newest 150 offers of each call are the sample the métiers are counted over.
    let asked = Recherche { zone, tri: Tri::Date, par_page: WINDOW, ..Recherche::default() };
    let (request, _) = resolve_territory(asked, site, &state.referentiel)?;
    let queries: Vec<Vec<(String, String)>> = if request.communes.is_empty() {
        vec![request.upstream_query()]
    } else {
        request.communes.chunks(multi::BATCH).map(|c| request.batch_query(c, 0)).collect()
    };
    let pages = try_join_all(queries.into_iter().map(|q| state.upstream.aggregate(q)))
        .await
        .map_err(upstream_error)?;
    let stale = pages.iter().any(|p| p.stale);
    let fetched_at = pages.iter().map(|p| p.fetched_at).min().unwrap_or(u64::MAX);
    let total = pages.iter().map(|p| p.value.total).sum();
    let facets = multi::sum_facets(pages.iter().map(|p| &p.value.result.filtres_possibles));
    let mut par_contrat = mapping::facettes(&facets).type_contrat;
    par_contrat.sort_by(|a, b| b.nombre.cmp(&a.nombre).then_with(|| a.valeur.cmp(&b.valeur)));
    let sample: Vec<&Carte> = pages.iter().flat_map(|p| p.value.result.resultats.iter()).collect();
    Ok(Marche {
        territoire: request.territoire.clone(),
        total,
        par_contrat,
        metiers: top_metiers(&sample),
        echantillon: u32::try_from(sample.len()).unwrap_or(u32::MAX),
        stale,
        mis_a_jour: super::update_date(fetched_at),
    })
}

/// The most frequent ROME codes of `offers`, most first, ties by code.
fn top_metiers(offers: &[&Carte]) -> Vec<Metier> {
    let mut counts: HashMap<&str, (u32, &str)> = HashMap::new();
    for o in offers {
        if let Some(code) = o.rome_code() {
            let label = o.rome_libelle().unwrap_or(code);
            counts.entry(code).or_insert((0, label)).0 += 1;
        }
    }
    let mut metiers: Vec<Metier> = counts
        .into_iter()
        .map(|(code, (nombre, libelle))| Metier {
            code: code.to_owned(),
            libelle: libelle.to_owned(),
            nombre,
        })
        .collect();
    metiers.sort_by(|a, b| b.nombre.cmp(&a.nombre).then_with(|| a.code.cmp(&b.code)));
    metiers.truncate(TOP);
    metiers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::CarteFields;

    #[test]
    fn metiers_are_ranked_by_count_then_code() {
        let offer = |code: &str| {
            Carte::from(&CarteFields {
                rome_code: Some(code.into()),
                rome_libelle: Some(format!("Métier {code}").into()),
                ..CarteFields::default()
            })
        };
        let offers: Vec<Carte> =
            ["B", "A", "B", "C", "A", "B", "D", "E", "F", "G"].iter().map(|c| offer(c)).collect();
        let refs: Vec<&Carte> = offers.iter().collect();
        let top = top_metiers(&refs);
        assert_eq!(top.len(), TOP);
        assert_eq!((top[0].code.as_str(), top[0].nombre), ("B", 3));
        assert_eq!((top[1].code.as_str(), top[1].nombre), ("A", 2));
        assert_eq!(top[2].code, "C");
        assert_eq!(top[0].libelle, "Métier B");
    }
}
