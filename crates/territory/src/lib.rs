#![doc = include_str!("../README.md")]

mod fold;
mod geo;
mod metiers;

use std::collections::HashMap;
use std::io::Read;

use compact_str::CompactString;
use serde::Deserialize;

pub use fold::fold;
pub use geo::distance_km;
pub use metiers::{Metier, WordQuery, best_matches, folded_label, is_rome_code};

/// Codes of the three cities split into municipal arrondissements, with their arrondissements'
/// code range. France Travail only knows the arrondissement codes.
const SPLIT_CITIES: [(&str, &str); 3] = [("75056", "751"), ("69123", "6938"), ("13055", "132")];

/// A commune or a municipal arrondissement.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Commune {
    /// INSEE code (5 characters, `2A`/`2B` in Corsica).
    pub code: CompactString,
    /// Official name, e.g. `Saint-Malo`, `Paris 11e Arrondissement`.
    pub nom: CompactString,
    /// La Poste postal codes (a boxed slice: most communes have one, and a `Vec` read by serde
    /// reserves four; 2.3 MB over the 35,000 communes).
    #[serde(default)]
    pub codes_postaux: Box<[CompactString]>,
    /// Département code.
    pub departement: CompactString,
    /// Région code.
    pub region: CompactString,
    /// INSEE population (0 when unknown).
    #[serde(default, deserialize_with = "null_as_zero")]
    pub population: u32,
    /// SIREN of the commune's EPCI, if any.
    #[serde(default)]
    pub epci: Option<CompactString>,
    /// WGS84 latitude of the centre.
    pub lat: Option<f64>,
    /// WGS84 longitude of the centre.
    pub lon: Option<f64>,
    /// For an arrondissement, the INSEE code of its city (`75056`, `69123`, `13055`).
    #[serde(default, rename = "commune")]
    pub arrondissement_de: Option<CompactString>,
}

impl Commune {
    /// Coordinates, when known.
    pub fn coords(&self) -> Option<(f64, f64)> {
        Some((self.lat?, self.lon?))
    }
}

/// An EPCI à fiscalité propre.
#[derive(Debug, Clone, Deserialize)]
pub struct Epci {
    /// SIREN (9 digits).
    pub code: CompactString,
    /// Name, e.g. `Rennes Métropole`.
    pub nom: CompactString,
    /// `CC`, `CA`, `CU`, `METRO` or `MET69`.
    #[serde(rename = "type")]
    pub genre: CompactString,
    /// DGCL population.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub population: u32,
    /// INSEE codes of the member communes, sorted.
    pub membres: Box<[CompactString]>,
}

/// A département (or an overseas collectivity).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Departement {
    /// Code, e.g. `35`, `2A`, `971`.
    pub code: CompactString,
    /// Name.
    pub nom: CompactString,
    /// Région code.
    pub region: CompactString,
}

/// A région.
#[derive(Debug, Clone, Deserialize)]
pub struct Region {
    /// Code, e.g. `53`.
    pub code: CompactString,
    /// Name.
    pub nom: CompactString,
}

/// One answer of [`Referentiel::places`].
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// A commune or an arrondissement.
    Commune(&'a Commune),
    /// An EPCI.
    Epci(&'a Epci),
}

/// The whole referential, loaded from the embedded data.
#[derive(Debug)]
pub struct Referentiel {
    communes: Vec<Commune>,
    /// Indices of `communes` sorted by code, for binary search (a hash map of the codes took
    /// 2 MB; this takes 140 kB).
    commune_index: Vec<u32>,
    epcis: Vec<Epci>,
    epci_index: HashMap<CompactString, usize>,
    departements: Vec<Departement>,
    regions: Vec<Region>,
    arrondissements: HashMap<CompactString, Vec<CompactString>>,
    /// Sorted (folded name suffix starting at a word, place) pairs for prefix look-ups.
    name_index: Vec<(CompactString, PlaceId)>,
    metiers: Vec<Metier>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PlaceId {
    Commune(usize),
    Epci(usize),
}

impl Referentiel {
    /// Parses the embedded data. Takes a few tens of milliseconds: build it once and share it.
    pub fn load() -> Self {
        let mut communes: Vec<Commune> = parse(embedded!("communes"), "communes");
        let arrondissements: Vec<Commune> =
            parse(embedded!("arrondissements-municipaux"), "arrondissements");
        let mut epcis: Vec<Epci> = parse(embedded!("epci"), "epci");
        let departements: Vec<Departement> = parse(embedded!("departements"), "departements");
        let regions: Vec<Region> = parse(embedded!("regions"), "regions");

        let mut by_city: HashMap<CompactString, Vec<CompactString>> = HashMap::new();
        let city_epci: HashMap<CompactString, Option<CompactString>> =
            communes.iter().map(|c| (c.code.clone(), c.epci.clone())).collect();
        for mut arr in arrondissements {
            if let Some(city) = &arr.arrondissement_de {
                by_city.entry(city.clone()).or_default().push(arr.code.clone());
                arr.epci = city_epci.get(city).cloned().flatten();
            }
            communes.push(arr);
        }
        for codes in by_city.values_mut() {
            codes.sort();
        }

        let mut commune_index: Vec<u32> =
            (0..communes.len()).map(|i| u32::try_from(i).unwrap_or(u32::MAX)).collect();
        commune_index
            .sort_unstable_by(|&a, &b| communes[a as usize].code.cmp(&communes[b as usize].code));
        let epci_index = epcis.iter().enumerate().map(|(i, e)| (e.code.clone(), i)).collect();

        let mut name_index = Vec::with_capacity(communes.len() * 3);
        for (i, c) in communes.iter().enumerate() {
            push_suffixes(&mut name_index, &c.nom, PlaceId::Commune(i));
        }
        for (i, e) in epcis.iter().enumerate() {
            push_suffixes(&mut name_index, &e.nom, PlaceId::Epci(i));
        }
        name_index.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // serde and the pushes above grow vectors by doubling: without this, the communes alone
        // would reserve 65,536 places for 35,014 (6 MB more address space; the referential's
        // live allocations went from 24.8 to 15.2 MB with this and the sorted code index).
        communes.shrink_to_fit();
        name_index.shrink_to_fit();
        epcis.shrink_to_fit();

        Self {
            communes,
            commune_index,
            epcis,
            epci_index,
            departements,
            regions,
            arrondissements: by_city,
            name_index,
            metiers: metiers::with_folded(parse(embedded!("rome"), "rome")),
        }
    }

    /// All communes and arrondissements.
    pub fn communes(&self) -> &[Commune] {
        &self.communes
    }

    /// A commune or arrondissement by INSEE code.
    pub fn commune(&self, code: &str) -> Option<&Commune> {
        let found = self
            .commune_index
            .binary_search_by(|&i| self.communes[i as usize].code.as_str().cmp(code));
        found.ok().map(|at| &self.communes[self.commune_index[at] as usize])
    }

    /// The arrondissement codes of Paris (`75056`), Lyon (`69123`) or Marseille (`13055`);
    /// empty for any other code.
    pub fn arrondissements(&self, city: &str) -> &[CompactString] {
        self.arrondissements.get(city).map(Vec::as_slice).unwrap_or_default()
    }

    /// True for the whole-city codes of Paris, Lyon and Marseille.
    pub fn is_split_city(code: &str) -> bool {
        SPLIT_CITIES.iter().any(|(city, _)| *city == code)
    }

    /// All EPCI.
    pub fn epcis(&self) -> &[Epci] {
        &self.epcis
    }

    /// An EPCI by SIREN.
    pub fn epci(&self, siren: &str) -> Option<&Epci> {
        self.epci_index.get(siren).map(|&i| &self.epcis[i])
    }

    /// All départements.
    pub fn departements(&self) -> &[Departement] {
        &self.departements
    }

    /// A département by code.
    pub fn departement(&self, code: &str) -> Option<&Departement> {
        self.departements.iter().find(|d| d.code == code)
    }

    /// The ROME 4.0 métiers, by code.
    pub fn metiers(&self) -> &[Metier] {
        &self.metiers
    }

    /// A métier by ROME code.
    pub fn metier(&self, code: &str) -> Option<&Metier> {
        self.metiers.binary_search_by(|m| m.code.as_str().cmp(code)).ok().map(|i| &self.metiers[i])
    }

    /// Métier look-up for the keywords field: fiches whose code or label has a word starting
    /// with each word of the query ([`WordQuery`]), best first.
    pub fn metiers_matching(&self, query: &str, limit: usize) -> Vec<&Metier> {
        best_matches(&self.metiers, query, limit, Metier::folded)
    }

    /// All régions.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// A région by code.
    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.code == code)
    }

    /// Place autocomplete: communes, arrondissements and EPCI whose name has a word starting with
    /// the query (accents, case, hyphens and apostrophes folded, `st` = `saint`), or communes whose
    /// postal code starts with it. Exact names first, then by population.
    pub fn places(&self, query: &str, limit: usize) -> Vec<Place<'_>> {
        let q = fold(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut found: Vec<(bool, u32, PlaceId)> = Vec::new();
        if q.bytes().all(|b| b.is_ascii_digit()) {
            for (i, c) in self.communes.iter().enumerate() {
                if c.codes_postaux.iter().any(|cp| cp.starts_with(&q)) {
                    found.push((false, c.population, PlaceId::Commune(i)));
                }
            }
        } else {
            let start = self.name_index.partition_point(|(key, _)| key.as_str() < q.as_str());
            let mut seen = std::collections::HashSet::new();
            for (key, id) in self.name_index[start..].iter().take_while(|(k, _)| k.starts_with(&q))
            {
                if seen.insert(*id) {
                    let exact = key == q.as_str() && self.folded_name(*id) == q;
                    found.push((exact, self.population(*id), *id));
                }
            }
        }
        found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        found
            .into_iter()
            .take(limit)
            .map(|(_, _, id)| match id {
                PlaceId::Commune(i) => Place::Commune(&self.communes[i]),
                PlaceId::Epci(i) => Place::Epci(&self.epcis[i]),
            })
            .collect()
    }

    fn population(&self, id: PlaceId) -> u32 {
        match id {
            PlaceId::Commune(i) => self.communes[i].population,
            PlaceId::Epci(i) => self.epcis[i].population,
        }
    }

    fn folded_name(&self, id: PlaceId) -> String {
        match id {
            PlaceId::Commune(i) => fold(&self.communes[i].nom),
            PlaceId::Epci(i) => fold(&self.epcis[i].nom),
        }
    }
}

fn push_suffixes(index: &mut Vec<(CompactString, PlaceId)>, name: &str, id: PlaceId) {
    let folded = fold(name);
    let mut start = 0;
    loop {
        index.push((CompactString::from(&folded[start..]), id));
        match folded[start..].find(' ') {
            Some(pos) => start += pos + 1,
            None => break,
        }
    }
}

/// One data file, compressed by build.rs.
macro_rules! embedded {
    ($name:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".json.deflate")).as_slice()
    };
}
use embedded;

fn parse<T: serde::de::DeserializeOwned>(compressed: &[u8], what: &str) -> T {
    // The data is embedded at compile time and covered by tests: a failure here is a build bug.
    #[allow(clippy::panic)]
    let fail = |e: &dyn std::fmt::Display| panic!("embedded {what} data is invalid: {e}");
    let mut json = Vec::new();
    if let Err(e) = flate2::read::DeflateDecoder::new(compressed).read_to_end(&mut json) {
        fail(&e);
    }
    serde_json::from_slice(&json).unwrap_or_else(|e| fail(&e))
}

fn null_as_zero<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(Option::<u32>::deserialize(d)?.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn referentiel() -> &'static Referentiel {
        static REF: OnceLock<Referentiel> = OnceLock::new();
        REF.get_or_init(Referentiel::load)
    }

    fn names(places: &[Place<'_>]) -> Vec<String> {
        places
            .iter()
            .map(|p| match p {
                Place::Commune(c) => c.nom.to_string(),
                Place::Epci(e) => e.nom.to_string(),
            })
            .collect()
    }

    #[test]
    fn loads_every_commune_and_arrondissement() {
        let r = referentiel();
        assert_eq!(r.communes().len(), 34_969 + 45);
        assert_eq!(r.commune("35238").unwrap().nom, "Rennes");
        assert_eq!(r.commune("75111").unwrap().arrondissement_de.as_deref(), Some("75056"));
        assert_eq!(r.epcis().len(), 1_255);
        assert_eq!(r.departement("2A").unwrap().nom, "Corse-du-Sud");
    }

    #[test]
    fn split_cities_list_their_arrondissements() {
        let r = referentiel();
        assert_eq!(r.arrondissements("75056").len(), 20);
        assert_eq!(r.arrondissements("69123").len(), 9);
        assert_eq!(r.arrondissements("13055").len(), 16);
        assert!(r.arrondissements("35238").is_empty());
        // Arrondissements inherit their city's EPCI.
        assert_eq!(r.commune("69381").unwrap().epci, r.commune("69123").unwrap().epci);
    }

    #[test]
    fn autocomplete_folds_accents_case_and_saint() {
        let r = referentiel();
        assert_eq!(names(&r.places("rennes", 1)), ["Rennes"]);
        assert_eq!(names(&r.places("st malo", 1)), ["Saint-Malo"]);
        assert_eq!(names(&r.places("SAINT-MALO", 1)), ["Saint-Malo"]);
        assert_eq!(names(&r.places("besancon", 1)), ["Besançon"]);
        assert!(names(&r.places("l'hay", 5)).iter().any(|n| n == "L'Haÿ-les-Roses"));
    }

    #[test]
    fn autocomplete_finds_postal_codes_and_epci() {
        let r = referentiel();
        assert!(names(&r.places("35000", 5)).contains(&"Rennes".to_owned()));
        assert!(names(&r.places("rennes metropole", 3)).contains(&"Rennes Métropole".to_owned()));
    }

    #[test]
    fn autocomplete_ranks_by_population() {
        let r = referentiel();
        let found = r.places("paris", 3);
        assert_eq!(names(&found)[0], "Paris");
    }

    #[test]
    fn distance_between_rennes_and_saint_malo_is_about_65_km() {
        let r = referentiel();
        let (a, b) = (r.commune("35238").unwrap(), r.commune("35288").unwrap());
        let d = distance_km(a.coords().unwrap(), b.coords().unwrap());
        assert!((60.0..70.0).contains(&d), "{d}");
    }
}
