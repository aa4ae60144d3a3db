//! The search's one text form: the lenient reader of deep links, attributes and forms
//! ([`Recherche::set`]), each value as text, and the pairs every query string is written from.

use super::*;
use crate::api::GenreTerritoire;

impl Recherche {
    /// Sets `param` from text as the widget reads it (deep links, attributes, forms): an empty
    /// value unsets it, a value that breaks its rule leaves the setting as it was (the proxy
    /// says what is wrong when it matters); surrounding spaces and case are forgiven, and
    /// unknown contract types and sectors left out. Work-study and contract types replace each
    /// other (France Travail would OR them); an amount without a period is counted a month, a
    /// period without an amount is left out, and removing the amount removes its period. Returns
    /// what was wrong, if anything.
    pub fn set(&mut self, param: Param, value: &str) -> Option<Invalide> {
        let value = value.trim();
        if value.is_empty() {
            match param {
                Param::Q => self.q.clear(),
                Param::Metier => self.metier = None,
                // Removing the territory's name leaves the site's; removing a radius, the
                // default one.
                Param::Commune | Param::Epci | Param::Departement => {
                    if self.zone.param() == Some(param) {
                        self.zone = Zone::default();
                    }
                }
                Param::Rayon => {
                    self.zone = match &self.zone {
                        Zone::Commune { code, .. } => {
                            Zone::new(GenreTerritoire::Commune, code.clone(), None)
                        }
                        Zone::DuSite { .. } => Zone::default(),
                        other => other.clone(),
                    }
                }
                Param::TypesContrat => self.types_contrat.clear(),
                Param::Alternance => self.alternance = false,
                Param::Experience => self.experience = None,
                Param::TempsPlein => self.temps_plein = None,
                Param::HeuresMin => self.heures_min = None,
                Param::HeuresMax => self.heures_max = None,
                Param::Qualification => self.qualification = None,
                Param::Secteurs => self.secteurs.clear(),
                Param::SalaireMin => {
                    self.salaire_min = None;
                    self.periode_salaire = None;
                }
                Param::PeriodeSalaire => self.periode_salaire = None,
                Param::HandiEngage => self.handi_engage = false,
                Param::ManqueCandidats => self.manque_candidats = false,
                Param::Origine => self.origine = Origine::Toutes,
                Param::PublieeDepuis => self.publiee_depuis = None,
                Param::Tri => self.tri = Tri::default(),
                Param::Page => self.page = 1,
                Param::ParPage => self.par_page = PAR_PAGE_DEFAUT,
            }
            return None;
        }
        match param {
            Param::Q => {
                self.q = value.to_owned();
                None
            }
            Param::TypesContrat => {
                let known: Vec<String> = value
                    .split(',')
                    .map(|t| t.trim().to_ascii_uppercase())
                    .filter(|t| TypeContrat::from_code(t).is_some())
                    .collect();
                self.types_contrat.clear();
                if known.is_empty() {
                    return None;
                }
                // France Travail would OR the two: choosing contract types ends work-study only.
                self.alternance = false;
                self.read(param, &known.join(",")).err()
            }
            Param::Secteurs => {
                let known: Vec<&str> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| secteur_libelle(s).is_some())
                    .take(MAX_SECTEURS)
                    .collect();
                self.secteurs.clear();
                if known.is_empty() { None } else { self.read(param, &known.join(",")).err() }
            }
            Param::SalaireMin => {
                let wrong = self.read(param, value).err();
                // An amount is counted a month unless its period was read before it.
                if self.salaire_min.is_some() && self.periode_salaire.is_none() {
                    self.periode_salaire = Some(PeriodeSalaire::Mois);
                }
                wrong
            }
            Param::Alternance => {
                let wrong = self.read(param, &value.to_ascii_lowercase()).err();
                // Work-study replaces the contract list, which France Travail would OR with it.
                if self.alternance {
                    self.types_contrat.clear();
                }
                wrong
            }
            // A period means nothing without an amount: a form that sends its period list with
            // no amount chosen leaves it unset (the amount's list comes first, as pairs write).
            Param::PeriodeSalaire if self.salaire_min.is_none() => None,
            Param::HandiEngage
            | Param::ManqueCandidats
            | Param::TempsPlein
            | Param::Qualification
            | Param::PeriodeSalaire
            | Param::Origine => self.read(param, &value.to_ascii_lowercase()).err(),
            Param::Experience => self.read(param, &value.to_ascii_uppercase()).err(),
            // Another territory replaces the one named (its radius kept for a commune).
            Param::Epci | Param::Departement => {
                let before = std::mem::take(&mut self.zone);
                let wrong = self.read(param, &value.to_ascii_uppercase()).err();
                if wrong.is_some() {
                    self.zone = before;
                }
                wrong
            }
            Param::Commune | Param::Metier => self.read(param, &value.to_ascii_uppercase()).err(),
            _ => self.read(param, value).err(),
        }
    }

    /// The value of `param` as text, `None` when unset.
    pub fn value(&self, param: Param) -> Option<String> {
        let flag = |on: bool| on.then(|| "true".to_owned());
        match param {
            Param::Q => Some(self.q.trim().to_owned()).filter(|q| !q.is_empty()),
            Param::Metier => self.metier.clone(),
            Param::Commune | Param::Epci | Param::Departement => {
                self.zone.code().filter(|_| self.zone.param() == Some(param)).map(str::to_owned)
            }
            Param::Rayon => self.zone.rayon().map(|r| r.to_string()),
            Param::TypesContrat => {
                Some(self.types_contrat.iter().map(|t| t.code()).collect::<Vec<_>>().join(","))
                    .filter(|l| !l.is_empty())
            }
            Param::Alternance => flag(self.alternance),
            Param::Experience => self.experience.map(|e| e.code().to_owned()),
            Param::TempsPlein => self.temps_plein.map(|t| t.to_string()),
            Param::HeuresMin => self.heures_min.map(|h| h.to_string()),
            Param::HeuresMax => self.heures_max.map(|h| h.to_string()),
            Param::Qualification => self.qualification.map(|q| q.code().to_owned()),
            Param::Secteurs => Some(self.secteurs.join(",")).filter(|l| !l.is_empty()),
            Param::SalaireMin => self.salaire_min.map(|s| s.to_string()),
            // A period means nothing without an amount, and is not written without one.
            Param::PeriodeSalaire => self
                .periode_salaire
                .filter(|_| self.salaire_min.is_some())
                .map(|p| p.code().to_owned()),
            Param::HandiEngage => flag(self.handi_engage),
            Param::ManqueCandidats => flag(self.manque_candidats),
            Param::Origine => {
                Some(self.origine.code().to_owned()).filter(|_| self.origine != Origine::Toutes)
            }
            Param::PublieeDepuis => self.publiee_depuis.map(|d| d.to_string()),
            Param::Tri => Some(self.tri.code().to_owned()),
            Param::Page => Some(self.page.max(1).to_string()),
            Param::ParPage => Some(self.par_page.to_string()),
        }
    }

    /// The set parameters and their values, in [`Param::ALL`] order (a commune before its
    /// radius). The search's text form, which [`Recherche::from_query`] reads back.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        Param::ALL.into_iter().filter_map(|p| self.value(p).map(|v| (p.name(), v))).collect()
    }

    /// The search's canonical query string, `k=v&k=v` from [`Recherche::pairs`]: the one
    /// writer behind the widget's requests, its deep links and the proxy's cache keys.
    pub fn query(&self) -> String {
        query(self.pairs())
    }
}

/// `k=v&k=v` with percent-encoded values.
pub fn query(pairs: impl IntoIterator<Item = (&'static str, String)>) -> String {
    let mut out = String::with_capacity(128);
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        encode_into(&mut out, &v);
    }
    out
}

/// Percent-encodes a query value (UTF-8; unreserved characters kept).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    encode_into(&mut out, value);
    out
}

/// Appends `value` percent-encoded to `out`.
fn encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
}
