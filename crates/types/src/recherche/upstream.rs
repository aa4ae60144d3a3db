//! France Travail's names for a search's filters: what the proxy sends upstream, written from the
//! typed values so that no filter is threaded by hand.

use super::*;

impl Recherche {
    /// France Travail's parameters for this search's filters, in [`Param::ALL`] order. The words,
    /// métier, territory, order and range are the proxy's to resolve, and are not here.
    ///
    /// Two of France Travail's quirks shape them: `natureContrat` is ORed with `typeContrat`,
    /// so work-study is sent only without contract types ([`Recherche::check`] refuses both);
    /// and `entreprisesAdaptees` is ORed with `employeursHandiEngages`, which is what
    /// `handi_engage` asks for.
    pub fn france_travail_filters(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let on = || "true".to_owned();
        if let Some(types) = self.value(Param::TypesContrat) {
            out.push(("typeContrat", types));
        } else if self.alternance {
            out.push(("natureContrat", NATURES_ALTERNANCE.join(",")));
        }
        if let Some(e) = self.experience {
            out.push((e.upstream(), e.code().to_owned()));
        }
        if let Some(full) = self.temps_plein {
            out.push(("tempsPlein", full.to_string()));
        }
        // HHMM: 8 hours are 800.
        if let Some(h) = self.heures_min {
            out.push(("dureeHebdoMin", (h * 100).to_string()));
        }
        if let Some(h) = self.heures_max {
            out.push(("dureeHebdoMax", (h * 100).to_string()));
        }
        if let Some(q) = self.qualification {
            out.push(("qualification", q.upstream().to_owned()));
        }
        if !self.secteurs.is_empty() {
            out.push(("secteurActivite", self.secteurs.join(",")));
        }
        if let (Some(s), Some(p)) = (self.salaire_min, self.periode_salaire) {
            out.push(("salaireMin", s.to_string()));
            out.push(("periodeSalaire", p.upstream().to_owned()));
        }
        if self.handi_engage {
            out.push(("employeursHandiEngages", on()));
            out.push(("entreprisesAdaptees", on()));
        }
        if self.manque_candidats {
            out.push(("offresManqueCandidats", on()));
        }
        if let Some(o) = self.origine.upstream() {
            out.push(("origineOffre", o.to_owned()));
        }
        if let Some(days) = self.publiee_depuis {
            out.push(("publieeDepuis", days.to_string()));
        }
        out
    }
}
