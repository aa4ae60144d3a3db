//! Searches over many communes: an EPCI's members, or the arrondissements of Paris, Lyon or
//! Marseille searched with radius 0.
//!
//! France Travail takes at most 5 communes per call, so the communes are searched in batches of
//! 5 at distance 0, concurrently (the outbound budget paces them), newest first. The batches'
//! answers are merged lazily, k-way: only the windows needed to reach the requested page are
//! fetched (one 150-offer window per batch for the first pages, more only for deep pages), so the
//! cost stays close to one call per batch. The communes are disjoint, so totals and facet counts
//! add up exactly; offers are still deduplicated by id. France Travail's relevance scores are not
//! comparable across calls, so such a search is always ordered newest first, whatever `tri` says.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use emploi_types::ft::{Agregation, FiltrePossible};
use futures::future::try_join_all;

use crate::params::SearchRequest;
use crate::upstream::{Carte, SearchPage, Upstream, UpstreamError};
use emploi_types::recherche::MAX_ACCESSIBLES as MAX_REACHABLE;

/// France Travail's limit of communes per call.
pub const BATCH: usize = 5;

/// A merged page.
#[derive(Debug, Default)]
pub struct Merged {
    /// The offers of the requested page, newest first.
    pub offres: Vec<Carte>,
    /// Matches over all communes.
    pub total: u32,
    /// Facets summed over all batches.
    pub facets: Vec<FiltrePossible>,
    /// True when any batch came from the stale store.
    pub stale: bool,
    /// When France Travail gave the oldest batch, in Unix milliseconds.
    pub fetched_at: u64,
}

struct Batch<'a> {
    communes: &'a [String],
    windows: Vec<Arc<SearchPage>>,
    total: u32,
    /// Position of the next offer to merge, over the concatenated windows.
    next: usize,
}

impl Batch<'_> {
    fn fetched(&self) -> usize {
        self.windows.iter().map(|w| w.result.resultats.len()).sum()
    }

    fn at(&self, i: usize) -> Option<&Carte> {
        let mut i = i;
        for w in &self.windows {
            if i < w.result.resultats.len() {
                return w.result.resultats.get(i);
            }
            i -= w.result.resultats.len();
        }
        None
    }

    fn can_fetch_more(&self) -> bool {
        let fetched = u32::try_from(self.fetched()).unwrap_or(u32::MAX);
        fetched < self.total
            && fetched < MAX_REACHABLE
            && !self.windows.last().is_some_and(|w| w.result.resultats.is_empty())
    }
}

/// Searches `request.communes` and returns the requested page.
pub async fn search(upstream: &Upstream, request: &SearchRequest) -> Result<Merged, UpstreamError> {
    let chunks: Vec<&[String]> = request.communes.chunks(BATCH).collect();
    let first =
        try_join_all(chunks.iter().map(|c| upstream.search(request.batch_query(c, 0)))).await?;
    let mut stale = false;
    let mut fetched_at = u64::MAX;
    let mut batches: Vec<Batch<'_>> = chunks
        .iter()
        .zip(first)
        .map(|(communes, served)| {
            stale |= served.stale;
            fetched_at = fetched_at.min(served.fetched_at);
            Batch { communes, total: served.value.total, windows: vec![served.value], next: 0 }
        })
        .collect();

    let start = request.start() as usize;
    let wanted = (start + request.par_page() as usize).min(MAX_REACHABLE as usize);
    let mut merged: Vec<Carte> = Vec::with_capacity(wanted);
    let mut seen = HashSet::new();
    while merged.len() < wanted {
        // Make sure every batch that has more offers has its next one at hand.
        for b in &mut batches {
            if b.next >= b.fetched() && b.can_fetch_more() {
                let from = u32::try_from(b.fetched()).unwrap_or(MAX_REACHABLE);
                let served = upstream.search(request.batch_query(b.communes, from)).await?;
                stale |= served.stale;
                fetched_at = fetched_at.min(served.fetched_at);
                b.windows.push(served.value);
            }
        }
        // Newest first across batches; ties by id so that the order is stable.
        let best = batches
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.at(b.next).map(|o| (i, o)))
            .max_by(|(_, a), (_, b)| {
                a.date_creation().cmp(b.date_creation()).then(b.id().cmp(a.id()))
            })
            .map(|(i, _)| i);
        let Some(i) = best else { break };
        let batch = &mut batches[i];
        if let Some(offre) = batch.at(batch.next)
            && seen.insert(offre.id().to_owned())
        {
            merged.push(offre.clone());
        }
        batch.next += 1;
    }

    let total = batches.iter().map(|b| b.total).sum();
    let facets = sum_facets(batches.iter().map(|b| &b.windows[0].result.filtres_possibles));
    let offres = merged.into_iter().skip(start).collect();
    Ok(Merged { offres, total, facets, stale, fetched_at })
}

pub(crate) fn sum_facets<'a>(
    all: impl Iterator<Item = &'a Vec<FiltrePossible>>,
) -> Vec<FiltrePossible> {
    let order = ["typeContrat", "experience", "qualification", "natureContrat"];
    let mut sums: BTreeMap<&str, BTreeMap<String, u32>> = BTreeMap::new();
    for facets in all {
        for f in facets {
            if let Some(name) = order.iter().find(|n| **n == f.filtre) {
                let values = sums.entry(name).or_default();
                for a in &f.agregation {
                    *values.entry(a.valeur_possible.clone()).or_default() += a.nb_resultats;
                }
            }
        }
    }
    order
        .iter()
        .filter_map(|name| {
            sums.remove(name).map(|values| FiltrePossible {
                filtre: (*name).to_owned(),
                agregation: values
                    .into_iter()
                    .map(|(valeur_possible, nb_resultats)| Agregation {
                        valeur_possible,
                        nb_resultats,
                    })
                    .collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facets_add_up_value_by_value_in_upstream_order() {
        let facet = |name: &str, values: &[(&str, u32)]| FiltrePossible {
            filtre: name.to_owned(),
            agregation: values
                .iter()
                .map(|(v, n)| Agregation { valeur_possible: (*v).to_owned(), nb_resultats: *n })
                .collect(),
        };
        let a =
            vec![facet("typeContrat", &[("CDI", 3), ("CDD", 1)]), facet("experience", &[("1", 4)])];
        let b =
            vec![facet("experience", &[("1", 1), ("2", 2)]), facet("typeContrat", &[("CDI", 2)])];
        let sum = sum_facets([&a, &b].into_iter());
        assert_eq!(sum[0].filtre, "typeContrat");
        assert_eq!(
            sum[0].agregation,
            vec![
                Agregation { valeur_possible: "CDD".into(), nb_resultats: 1 },
                Agregation { valeur_possible: "CDI".into(), nb_resultats: 5 },
            ]
        );
        assert_eq!(sum[1].agregation.iter().map(|a| a.nb_resultats).sum::<u32>(), 7);
    }
}
