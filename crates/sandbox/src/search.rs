//! Execution of a validated search over the catalogue: filtering, relevance, sorting, facets and
//! the window.

use std::cmp::Ordering;

use emploi_territory::distance_km;
use emploi_types::ft::{Agregation, FiltrePossible};

use crate::catalogue::{
    Catalogue, EXPERIENCE_CODES, NATURES_CONTRAT, PARTNERS, Place, QUALIFICATION_CODES, Record,
    TYPES_CONTRAT,
};
use crate::params::{SearchFilter, Sort};

/// The outcome of a search before it is turned into an HTTP answer.
#[derive(Debug)]
pub struct SearchOutcome {
    /// Positions in the catalogue of the offers in the requested window, in order.
    pub window: Vec<usize>,
    /// Number of matching offers.
    pub total: usize,
    /// Facets over the whole filtered set.
    pub facets: Vec<FiltrePossible>,
}

struct Hit {
    index: usize,
    relevance: u32,
    distance: f64,
    date: i64,
}

/// Runs `filter` over the catalogue.
pub fn run(cat: &Catalogue, filter: &SearchFilter) -> SearchOutcome {
    let keyword_romes = keyword_matches(cat, filter);
    let mut hits: Vec<Hit> = Vec::with_capacity(cat.records.len() / 4);
    for (index, r) in cat.records.iter().enumerate() {
        if !matches_static(r, filter, keyword_romes.as_deref(), cat) {
            continue;
        }
        let distance = if filter.communes.is_empty() {
            0.0
        } else {
            match nearest_distance(r, filter, cat) {
                Some(d) => d,
                None => continue,
            }
        };
        let relevance = relevance(r, filter);
        hits.push(Hit {
            index,
            relevance,
            distance,
            date: r.date_creation * 1000 + i64::from(r.date_millis),
        });
    }

    let facets = facets(cat, &hits);
    let by_relevance = |a: &Hit, b: &Hit| b.relevance.cmp(&a.relevance);
    let by_distance =
        |a: &Hit, b: &Hit| a.distance.partial_cmp(&b.distance).unwrap_or(Ordering::Equal);
    let by_date = |a: &Hit, b: &Hit| b.date.cmp(&a.date);
    let tie = |a: &Hit, b: &Hit| a.index.cmp(&b.index);
    let order = |a: &Hit, b: &Hit| {
        match filter.sort {
            Sort::Relevance => by_relevance(a, b).then(by_distance(a, b)).then(by_date(a, b)),
            Sort::Date => by_date(a, b).then(by_relevance(a, b)).then(by_distance(a, b)),
            Sort::Distance => by_distance(a, b).then(by_relevance(a, b)).then(by_date(a, b)),
        }
        .then(tie(a, b))
    };

    let total = hits.len();
    let start = filter.start as usize;
    let end = (filter.end as usize + 1).min(total);
    if start >= total {
        return SearchOutcome { window: Vec::new(), total, facets };
    }
    // Only the first `end` hits in order are needed: partition around the window's end, then
    // sort that prefix (linear plus k log k instead of n log n over the whole result).
    if end < total {
        hits.select_nth_unstable_by(end, order);
        hits.truncate(end);
    }
    hits.sort_unstable_by(order);
    let window = hits[start..end].iter().map(|h| h.index).collect();
    SearchOutcome { window, total, facets }
}

/// For each keyword, which ROME fiches match it; `None` when there is no keyword.
fn keyword_matches(cat: &Catalogue, filter: &SearchFilter) -> Option<Vec<bool>> {
    if filter.mots_cles.is_empty() {
        return None;
    }
    let patterns: Vec<String> = filter.mots_cles.iter().map(|k| format!(" {k}")).collect();
    Some(
        cat.romes
            .iter()
            .map(|rome| patterns.iter().all(|p| rome.folded.contains(p.as_str())))
            .collect(),
    )
}

fn matches_static(r: &Record, f: &SearchFilter, romes: Option<&[bool]>, cat: &Catalogue) -> bool {
    if let Some(romes) = romes
        && !romes[usize::from(r.rome)]
    {
        return false;
    }
    if let Some(after) = f.created_after
        && r.date_creation < after
    {
        return false;
    }
    if let Some(before) = f.created_before
        && r.date_creation > before
    {
        return false;
    }
    if !f.departements.is_empty() && !f.departements.iter().any(|d| *d == r.departement) {
        return false;
    }
    if let Some(region) = &f.region
        && *region != r.region
    {
        return false;
    }
    // typeContrat and natureContrat are OR-ed together, AND-ed with the rest.
    if !f.types_contrat.is_empty() || !f.natures_contrat.is_empty() {
        let t = f.types_contrat.iter().any(|t| t == r.type_contrat_code());
        let n = f.natures_contrat.iter().any(|n| n == r.nature_code());
        if !t && !n {
            return false;
        }
    }
    if !f.experience.is_empty() && !f.experience.iter().any(|e| e == r.experience_code()) {
        return false;
    }
    if let Some(ex) = f.experience_exigence
        && ex != r.experience_exige
    {
        return false;
    }
    if let Some(q) = &f.qualification
        && q != r.qualification_code()
    {
        return false;
    }
    if let Some(tp) = f.temps_plein
        && tp != r.temps_plein
    {
        return false;
    }
    if let Some(o) = f.origine
        && o != r.origine
    {
        return false;
    }
    let rome = &cat.romes[usize::from(r.rome)];
    if !f.codes_rome.is_empty() && !f.codes_rome.iter().any(|c| c == &rome.code) {
        return false;
    }
    if f.appellation.is_some_and(|a| a != r.rome) {
        return false;
    }
    if let Some(prefix) = &f.rome_prefix
        && !rome.code.starts_with(prefix.as_str())
    {
        return false;
    }
    let naf = &cat.nafs[usize::from(r.naf)].code;
    if !f.secteurs.is_empty() && !f.secteurs.iter().any(|s| naf.starts_with(s.as_str())) {
        return false;
    }
    if !f.codes_naf.is_empty() && !f.codes_naf.iter().any(|c| c == naf) {
        return false;
    }
    if f.acces_th == Some(true) && !r.accessible_th {
        return false;
    }
    // entreprisesAdaptees and employeursHandiEngages are OR-ed together.
    let ea = f.entreprises_adaptees == Some(true);
    let he = f.handi_engages == Some(true);
    if (ea || he) && !((ea && r.entreprise_adaptee) || (he && r.handi_engage)) {
        return false;
    }
    if f.mrs == Some(true) && !r.mrs {
        return false;
    }
    if f.manque_candidats == Some(true) && !r.manque_candidats {
        return false;
    }
    if let Some(min) = f.minutes_min
        && u32::from(r.minutes_hebdo) < min
    {
        return false;
    }
    if let Some(max) = f.minutes_max
        && u32::from(r.minutes_hebdo) > max
    {
        return false;
    }
    // An offer without a stated salary never meets a minimum.
    if let Some((min, period)) = f.salaire_min {
        let Some(monthly) = r.salaire else { return false };
        let monthly = f64::from(monthly);
        let offered = match period {
            b'A' => monthly * 12.0,
            b'H' => monthly * 12.0 / (f64::from(r.minutes_hebdo) / 60.0 * 52.0),
            // A per-engagement salary ("cachet") is not among these offers.
            b'C' => return false,
            _ => monthly,
        };
        if offered < min {
            return false;
        }
    }
    // origineOffre=1 keeps France Travail's offers whatever the partners asked; otherwise the
    // listed partners are included or excluded, France Travail's own offers staying unless
    // origineOffre=2 (the spec's §4 table).
    if let Some((list, include)) = &f.partenaires
        && f.origine != Some(1)
        && let Some(partner) = r.partenaire
    {
        let listed = list.iter().any(|p| p == PARTNERS[usize::from(partner)]);
        if listed != *include {
            return false;
        }
    }
    true
}

/// Distance to the nearest searched commune within the radius, or `None` when out of reach.
fn nearest_distance(r: &Record, f: &SearchFilter, cat: &Catalogue) -> Option<f64> {
    let Place::Commune(i) = r.place else { return None };
    let code = cat.referentiel.communes()[i as usize].code.as_str();
    let coords = r.coords?;
    let mut best: Option<f64> = None;
    for centre in &f.communes {
        if f.distance_km == 0.0 {
            // distance=0: the commune itself (and, for a whole city, its arrondissements).
            if centre.codes.iter().any(|c| c == code) {
                return Some(0.0);
            }
            continue;
        }
        let Some(c) = centre.coords else { continue };
        // Cheap latitude band check before the trigonometry.
        if (coords.0 - c.0).abs() * 111.0 > f.distance_km + 1.0 {
            continue;
        }
        let d = distance_km(c, coords);
        if d <= f.distance_km {
            best = Some(best.map_or(d, |b: f64| b.min(d)));
        }
    }
    best
}

/// A stable relevance score: keyword fit first, then a per-offer constant so that relevance and
/// date orders differ, as they do upstream.
fn relevance(r: &Record, f: &SearchFilter) -> u32 {
    let fit = u32::try_from(f.mots_cles.len()).unwrap_or(0) * 1000;
    fit + u32::from(r.jitter)
}

fn facets(cat: &Catalogue, hits: &[Hit]) -> Vec<FiltrePossible> {
    let mut types = [0u32; TYPES_CONTRAT.len()];
    let mut natures = [0u32; NATURES_CONTRAT.len()];
    // experience in upstream order 0, 4, 1, 2, 3 (only 1-3 occur here); qualification 0, 9, X.
    let mut experience = [0u32; 3];
    let mut qualification = [0u32; 3];
    for h in hits {
        let r = &cat.records[h.index];
        types[usize::from(r.type_contrat)] += 1;
        natures[usize::from(r.nature)] += 1;
        experience[r.experience_bucket()] += 1;
        qualification[r.qualification_bucket()] += 1;
    }
    let mut type_values: Vec<(&str, u32)> =
        TYPES_CONTRAT.iter().zip(types).map(|((c, _), n)| (*c, n)).collect();
    type_values.sort_by(|a, b| a.0.cmp(b.0));
    let mut nature_values: Vec<(&str, u32)> =
        NATURES_CONTRAT.iter().zip(natures).map(|((c, _, _), n)| (*c, n)).collect();
    nature_values.sort_by(|a, b| a.0.cmp(b.0));
    vec![
        facet("typeContrat", type_values),
        facet("experience", EXPERIENCE_CODES.into_iter().zip(experience).collect()),
        facet("qualification", QUALIFICATION_CODES.into_iter().zip(qualification).collect()),
        facet("natureContrat", nature_values),
    ]
}

fn facet(name: &str, values: Vec<(&str, u32)>) -> FiltrePossible {
    FiltrePossible {
        filtre: name.to_owned(),
        agregation: values
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(v, n)| Agregation { valeur_possible: v.to_owned(), nb_resultats: n })
            .collect(),
    }
}
