//! The widget's own pages on the proxy, which work without JavaScript: the search page
//! (`/offres`), an offer's page (`/offres/{id}`) and the notice-board print view
//! (`/offres/imprimer`). Their addresses carry the element's settings (site key, language,
//! theme…) and the search, with the parameter names of a deep link ([`encode_state`]), so that
//! the search form submits straight to them as a plain GET form.

use crate::api::encode;
use crate::config::WidgetConfig;
use crate::i18n::Lang;
use crate::link::encode_state;
use crate::params::{Param, Recherche, query};
use emploi_types::recherche::Invalide;

/// Settings (element attributes) that every page address carries, besides the search itself:
/// the site key and the display attributes.
pub fn carried() -> impl Iterator<Item = &'static str> {
    std::iter::once("site").chain(emploi_types::recherche::DISPLAY_ATTRIBUTES)
}

/// Keys that only a page's own search (its form, its links) sends: an address with one of them
/// holds a search; one without (the snippet's link, the iframe's first address) starts from
/// the element's settings.
pub const SEARCH_ONLY: [&str; 8] = [
    "q",
    "types_contrat",
    "experience",
    "temps_plein",
    "publiee_depuis",
    "page",
    "par_page",
    "lieu",
];

/// Where a widget's pages are and the settings their addresses carry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pages {
    /// The search page's address, e.g. `//emploi.example/offres` (absolute, since the widget's
    /// shadow root resolves relative addresses against the host page).
    pub path: String,
    /// `(attribute, value)` pairs carried by every address and form.
    pub settings: Vec<(&'static str, String)>,
}

impl Pages {
    /// The pages under `base` (the proxy's root, ending in `/`) for an element's settings.
    pub fn of_config(base: &str, config: &WidgetConfig) -> Self {
        let mut settings = Vec::new();
        if let Some(site) = &config.site {
            settings.push(("site", site.clone()));
        }
        settings.push(("lang", config.lang.tag().to_owned()));
        if let Some(title) = &config.titre {
            settings.push(("titre", title.clone()));
        }
        if config.verrouiller_lieu {
            settings.push(("verrouiller-lieu", String::new()));
        }
        if config.marche {
            settings.push(("marche", String::new()));
        }
        if config.evenements {
            settings.push(("evenements", String::new()));
        }
        Self { path: format!("{base}offres"), settings }
    }

    /// Adds display settings (theme, mode, compact, `--oe-*` values) the pages carry too.
    pub fn with(mut self, extra: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        self.settings.extend(extra);
        self
    }

    /// The query of `p` with the settings: the page is always named, so that the address
    /// counts as a search ([`SEARCH_ONLY`]).
    fn query(&self, p: &Recherche) -> String {
        let mut state: Vec<(&'static str, String)> = p.pairs();
        if !state.iter().any(|(k, _)| *k == "page") {
            state.push(("page", p.page.max(1).to_string()));
        }
        query(self.settings.iter().cloned().chain(state))
    }

    /// The search page showing pages 1 to `p.page` of `p`.
    pub fn search(&self, p: &Recherche) -> String {
        format!("{}?{}", self.path, self.query(p))
    }

    /// An offer's page, which links back to `p`.
    pub fn offer(&self, p: &Recherche, id: &str) -> String {
        format!("{}/{}?{}", self.path, encode(id), self.query(p))
    }

    /// The print view of `p`.
    pub fn print(&self, p: &Recherche) -> String {
        format!("{}/imprimer?{}", self.path, self.query(&Recherche { page: 1, ..p.clone() }))
    }

    /// The events poster of `p`'s territory.
    pub fn events_poster(&self, p: &Recherche) -> String {
        let q = self.query(&Recherche { page: 1, ..p.clone() });
        format!("{}/evenements/imprimer?{q}", self.path)
    }

    /// The Atom feed of `p` (`/api/v1/flux`, beside the pages).
    pub fn feed(&self, p: &Recherche) -> String {
        let base = self.path.strip_suffix("offres").unwrap_or(&self.path);
        format!("{base}api/v1/flux?{}", self.query(&Recherche { page: 1, ..p.clone() }))
    }

    /// "Postuler" for an offer: the proxy counts the click for the site and sends the resident
    /// to the offer's application address.
    pub fn apply(&self, id: &str) -> String {
        let base = self.path.strip_suffix("offres").unwrap_or(&self.path);
        let site = self.settings.iter().filter(|(k, _)| *k == "site").cloned();
        format!("{base}api/v1/postuler/{}?{}", encode(id), query(site))
    }

    /// The language the settings name.
    pub fn lang(&self) -> Lang {
        self.settings
            .iter()
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::parse(v))
            .unwrap_or_default()
    }
}

/// The search a page's address asks for: the element's settings (`start`), or, when the address
/// holds a search of its own ([`SEARCH_ONLY`]), that search over them. `pairs` are the
/// address's decoded pairs; repeated `types_contrat` (one per ticked box) are joined. A value
/// that breaks its rule is an error naming it (an empty one, a form's "any", is no value).
pub fn search_of(pairs: &[(String, String)], start: &Recherche) -> Result<Recherche, Invalide> {
    if !pairs.iter().any(|(k, _)| SEARCH_ONLY.contains(&k.as_str())) {
        return Ok(start.clone());
    }
    for (key, value) in pairs {
        if let Some(param) = Param::from_name(key)
            && let Some(e) = Recherche::default().set(param, value)
        {
            return Err(e);
        }
    }
    let mut state: Vec<(&'static str, String)> = Vec::new();
    let mut contracts = Vec::new();
    for (key, value) in pairs {
        let Some(key) = Param::from_name(key).map(Param::name) else { continue };
        if key == "types_contrat" {
            contracts.push(value.clone());
        } else {
            state.retain(|(k, _)| *k != key);
            state.push((key, value.clone()));
        }
    }
    state.push(("types_contrat", contracts.join(",")));
    Ok(crate::link::decode_state(&query(state), start).0)
}

/// The link value of `p`, for comparing searches.
pub fn state_of(p: &Recherche) -> String {
    encode_state(p, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports, reason = "the fixtures name what they need")]
    use crate::params::{Tri, TypeContrat, Zone};

    fn pairs(q: &str) -> Vec<(String, String)> {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.replace("%2C", ",")))
            .collect()
    }

    fn start() -> Recherche {
        Recherche {
            zone: Zone::Commune { code: "35238".into(), rayon: 10 },
            q: "boulanger".into(),
            tri: Tri::Date,
            page: 1,
            par_page: 20,
            ..Recherche::default()
        }
    }

    #[test]
    fn an_address_without_a_search_starts_from_the_settings() {
        assert_eq!(
            search_of(&pairs("site=demo&commune=35238&rayon=10"), &start()).unwrap(),
            start()
        );
    }

    #[test]
    fn a_submitted_form_is_the_search_with_every_ticked_box() {
        let form = "site=demo&q=vendeur&commune=35238&rayon=20&tri=date&par_page=20\
                    &types_contrat=CDI&types_contrat=CDD&experience=&page=1";
        let p = search_of(&pairs(form), &start()).unwrap();
        assert_eq!(p.q, "vendeur");
        assert_eq!(p.zone.rayon(), Some(20));
        assert_eq!(p.types_contrat, [TypeContrat::Cdi, TypeContrat::Cdd]);
        assert_eq!(p.experience, None);
        let bad = search_of(&pairs("q=vendeur&rayon=999&page=1"), &start()).unwrap_err();
        assert_eq!(bad.parametre, "rayon");
    }

    #[test]
    fn page_addresses_round_trip_through_search_of() {
        let pages = Pages {
            path: "//proxy/offres".into(),
            settings: vec![("site", "demo".into()), ("lang", "fr".into())],
        };
        let p = Recherche {
            types_contrat: vec![TypeContrat::Cdi, TypeContrat::Mis],
            temps_plein: Some(true),
            page: 3,
            ..start()
        };
        let href = pages.search(&p);
        let q = href.split_once('?').unwrap().1;
        assert!(q.starts_with("site=demo&lang=fr&q=boulanger"), "{q}");
        assert_eq!(search_of(&pairs(q), &Recherche::default()).unwrap(), p);
        // The first page is named too, so that the address holds a search.
        let first = pages.search(&Recherche { page: 1, q: String::new(), ..p.clone() });
        let q = first.split_once('?').unwrap().1;
        assert_eq!(search_of(&pairs(q), &start()).unwrap().q, "");
        assert!(pages.offer(&p, "201ABCD").starts_with("//proxy/offres/201ABCD?site=demo"));
        assert!(pages.print(&p).contains("&page=1"));
        assert!(pages.feed(&p).starts_with("//proxy/api/v1/flux?site=demo&lang=fr&q=boulanger"));
    }
}
