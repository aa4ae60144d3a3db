//! What a search asks for, and its one text form: `key=value` pairs with the proxy's parameter
//! names. The same pairs build the proxy URL, fill the setting lists and make the deep link.

use crate::api::encode;

/// Keys of a search, in URL order.
pub const KEYS: [&str; 13] = [
    "q",
    "metier",
    "commune",
    "epci",
    "departement",
    "rayon",
    "types_contrat",
    "experience",
    "temps_plein",
    "publiee_depuis",
    "tri",
    "page",
    "par_page",
];

/// What a search asks for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchParams {
    /// Keywords.
    pub q: String,
    /// A métier: a ROME code (`J1501`) or an appellation code, which France Travail matches
    /// itself (the proxy names it in its answer).
    pub metier: Option<String>,
    /// INSEE code.
    pub commune: Option<String>,
    /// SIREN of an EPCI.
    pub epci: Option<String>,
    /// Département code.
    pub departement: Option<String>,
    /// Radius in km, with a commune.
    pub rayon: Option<u32>,
    /// Contract types.
    pub types_contrat: Vec<String>,
    /// Experience code: `1` (under a year), `2` (1 to 3 years), `3` (over 3 years).
    pub experience: Option<String>,
    /// Full time (`true`) or part time (`false`).
    pub temps_plein: Option<bool>,
    /// Published within this many days (1, 3, 7, 14 or 31).
    pub publiee_depuis: Option<u32>,
    /// `pertinence`, `date` or `distance`.
    pub tri: String,
    /// Page from 1.
    pub page: u32,
    /// Page size.
    pub par_page: u32,
}

/// The largest page the proxy serves.
const MAX_PAGE_SIZE: u32 = 50;
/// France Travail serves a result's offers 0 to 3149: a page may start at 3000 at most.
const LAST_START: u32 = 3000;

/// Keys that say where to search: one territory, and a radius around a commune.
pub const TERRITORY: [&str; 4] = ["commune", "epci", "departement", "rayon"];

/// `k=v&k=v` with percent-encoded values.
pub fn query(pairs: impl IntoIterator<Item = (&'static str, String)>) -> String {
    let parts: Vec<String> =
        pairs.into_iter().map(|(k, v)| format!("{k}={}", encode(&v))).collect();
    parts.join("&")
}

/// Contract type codes from a comma-separated list (`cdi, ,mis` → `CDI`, `MIS`).
pub fn contract_list(value: &str) -> Vec<String> {
    value.split(',').map(|t| t.trim().to_ascii_uppercase()).filter(|t| !t.is_empty()).collect()
}

fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

impl SearchParams {
    /// Whether any filter (métier, contract, experience, working time, publication age) is set.
    pub fn has_filters(&self) -> bool {
        self.metier.is_some()
            || !self.types_contrat.is_empty()
            || self.experience.is_some()
            || self.temps_plein.is_some()
            || self.publiee_depuis.is_some()
    }

    /// The same search without any filter.
    pub fn without_filters(&self) -> Self {
        Self {
            metier: None,
            types_contrat: Vec::new(),
            experience: None,
            temps_plein: None,
            publiee_depuis: None,
            ..self.clone()
        }
    }

    /// The value of `key` as text, `None` when unset.
    pub fn get(&self, key: &str) -> Option<String> {
        match key {
            "q" => non_empty(self.q.trim()),
            "metier" => self.metier.clone(),
            "commune" => self.commune.clone(),
            "epci" => self.epci.clone(),
            "departement" => self.departement.clone(),
            "rayon" => self.rayon.map(|r| r.to_string()),
            "types_contrat" => non_empty(&self.types_contrat.join(",")),
            "experience" => self.experience.clone(),
            "temps_plein" => self.temps_plein.map(|t| t.to_string()),
            "publiee_depuis" => self.publiee_depuis.map(|d| d.to_string()),
            "tri" => non_empty(&self.tri),
            "page" => Some(self.page.max(1).to_string()),
            "par_page" => Some(self.par_page.to_string()),
            _ => None,
        }
    }

    /// Sets `key` from text: an empty value unsets it, a value that does not parse leaves the
    /// setting as it was (the proxy validates the rest and says what is wrong).
    pub fn set(&mut self, key: &str, value: &str) {
        let value = value.trim();
        let number = value.parse::<u32>().ok();
        match key {
            "q" => self.q = value.to_owned(),
            "metier" => self.metier = non_empty(&value.to_ascii_uppercase()),
            "commune" => self.commune = non_empty(value),
            "epci" => self.epci = non_empty(value),
            "departement" => self.departement = non_empty(value),
            "rayon" if value.is_empty() || number.is_some() => self.rayon = number,
            "types_contrat" => self.types_contrat = contract_list(value),
            "experience" => self.experience = non_empty(value),
            "temps_plein" => self.temps_plein = value.parse().ok(),
            "publiee_depuis" if value.is_empty() || number.is_some() => {
                self.publiee_depuis = number
            }
            "tri" => self.tri = value.to_owned(),
            "page" => self.page = number.unwrap_or(1).max(1),
            "par_page" => {
                self.par_page =
                    number.filter(|n| (1..=MAX_PAGE_SIZE).contains(n)).unwrap_or(self.par_page)
            }
            _ => {}
        }
    }

    /// The requests that fetch pages 1 to `page` in order, in as few as possible: requests of up
    /// to 50 offers made of whole pages of this size, then the pages left, together when they
    /// line up (with 20 offers a page, page 5 is two requests of 40 and page 5 itself; with 10,
    /// page 4 is one request of 40). Pages past France Travail's last reachable offer are left
    /// out.
    pub fn pages_up_to(&self) -> Vec<SearchParams> {
        let size = self.par_page.clamp(1, MAX_PAGE_SIZE);
        let last = self.page.clamp(1, LAST_START / size + 1);
        let per_request = MAX_PAGE_SIZE / size;
        let whole = last / per_request;
        let done = whole * per_request;
        let rest = last - done;
        let request = |page, par_page| SearchParams { page, par_page, ..self.clone() };
        let mut requests: Vec<_> =
            (1..=whole).map(|page| request(page, size * per_request)).collect();
        if rest > 0 && done.is_multiple_of(rest) {
            requests.push(request(done / rest + 1, size * rest));
        } else {
            requests.extend((done + 1..=last).map(|page| request(page, size)));
        }
        requests
    }

    /// Whether `other` is the same search, whatever the pages of the two.
    pub fn same_search(&self, other: &SearchParams) -> bool {
        SearchParams { page: other.page, ..self.clone() } == *other
    }

    /// Forgets the territory (and its radius).
    pub fn clear_territory(&mut self) {
        for key in TERRITORY {
            self.set(key, "");
        }
    }

    /// The set keys and their values, in [`KEYS`] order, with one territory: a commune (with
    /// its radius), else an EPCI, else a département.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let skip = |key: &str| match key {
            "epci" => self.commune.is_some(),
            "departement" => self.commune.is_some() || self.epci.is_some(),
            "rayon" => self.commune.is_none(),
            _ => false,
        };
        KEYS.iter().filter(|k| !skip(k)).filter_map(|k| self.get(k).map(|v| (*k, v))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SearchParams {
        SearchParams {
            q: "aide-soignant".into(),
            metier: Some("J1501".into()),
            commune: Some("35238".into()),
            rayon: Some(20),
            types_contrat: vec!["CDI".into(), "CDD".into()],
            temps_plein: Some(false),
            tri: "date".into(),
            page: 2,
            par_page: 10,
            ..SearchParams::default()
        }
    }

    #[test]
    fn every_key_round_trips_through_text() {
        let p = sample();
        let mut copy = SearchParams::default();
        for (key, value) in p.pairs() {
            copy.set(key, &value);
        }
        assert_eq!(copy, p);
    }

    #[test]
    fn bad_text_leaves_the_setting_alone_and_empty_text_unsets_it() {
        let mut p = sample();
        p.set("rayon", "loin");
        p.set("par_page", "500");
        p.set("page", "-3");
        assert_eq!((p.rayon, p.par_page, p.page), (Some(20), 10, 1));
        p.set("rayon", "");
        p.set("types_contrat", " cdi, ,mis ");
        p.set("inconnu", "x");
        assert_eq!(p.rayon, None);
        assert_eq!(p.types_contrat, ["CDI", "MIS"]);
    }

    #[test]
    fn pages_up_to_a_page_cover_exactly_its_offers_in_few_requests() {
        let offsets = |p: &SearchParams| {
            p.pages_up_to()
                .iter()
                .map(|r| ((r.page - 1) * r.par_page, r.page * r.par_page))
                .collect::<Vec<_>>()
        };
        let p = |page, par_page| SearchParams { page, par_page, ..sample() };
        assert_eq!(offsets(&p(1, 20)), [(0, 20)]);
        assert_eq!(offsets(&p(2, 20)), [(0, 40)]);
        assert_eq!(offsets(&p(5, 20)), [(0, 40), (40, 80), (80, 100)]);
        assert_eq!(offsets(&p(4, 10)), [(0, 40)]);
        assert_eq!(offsets(&p(7, 10)), [(0, 50), (50, 60), (60, 70)]);
        assert_eq!(offsets(&p(3, 50)), [(0, 50), (50, 100), (100, 150)]);
        assert_eq!(offsets(&p(3, 30)), [(0, 30), (30, 60), (60, 90)]);
        // Every request keeps the search; nothing starts past offer 3000.
        let far = p(400, 20).pages_up_to();
        assert!(far.iter().all(|r| r.q == "aide-soignant" && (r.page - 1) * r.par_page <= 3000));
        assert_eq!(far.last().map(|r| (r.page, r.par_page)), Some((151, 20)));
    }

    #[test]
    fn only_one_territory_is_sent() {
        let p = SearchParams {
            epci: Some("243500139".into()),
            departement: Some("35".into()),
            rayon: Some(10),
            page: 1,
            par_page: 20,
            ..SearchParams::default()
        };
        let keys: Vec<&str> = p.pairs().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["epci", "page", "par_page"]);
    }
}
