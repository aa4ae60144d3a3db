//! The events' vocabulary: what a resident may ask of the job fairs near them, beside the
//! territory (which is the search's [`crate::recherche::Zone`]). One reader for the proxy's
//! endpoints, the feed and the plain pages, one writer for the widget's requests and links.

use crate::ft::evenements::TYPES;
use crate::recherche::Invalide;

/// The events filters' query names, in the order [`FiltresEvenements::query`] writes them.
pub const NOMS: [&str; 4] = ["type", "modalite", "du", "au"];

/// How an event is attended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Modalite {
    /// On site (France Travail's `ENPHY`).
    SurPlace,
    /// Online (`ADIST`).
    EnLigne,
}

impl Modalite {
    /// The query value.
    pub fn name(self) -> &'static str {
        match self {
            Self::SurPlace => "sur-place",
            Self::EnLigne => "en-ligne",
        }
    }

    /// France Travail's code.
    pub fn code(self) -> &'static str {
        match self {
            Self::SurPlace => "ENPHY",
            Self::EnLigne => "ADIST",
        }
    }
}

/// The filters of an events request. Days are local `YYYY-MM-DD`, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FiltresEvenements {
    /// France Travail's type code (13 information meeting … 32 other).
    pub genre: Option<u32>,
    /// On site or online.
    pub modalite: Option<Modalite>,
    /// First day.
    pub du: Option<String>,
    /// Last day.
    pub au: Option<String>,
}

impl FiltresEvenements {
    /// Reads the filters among `pairs`, ignoring every other name (the territory and the site
    /// key are read by their own readers): a value that breaks its rule is a 400, an end before
    /// the start a 422.
    pub fn from_query<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, Invalide> {
        let mut f = Self::default();
        for (name, value) in pairs {
            match name {
                "type" => {
                    let code = TYPES.iter().map(|t| t.0).find(|c| c.to_string() == value);
                    let Some(code) = code else {
                        let codes: Vec<String> = TYPES.iter().map(|t| t.0.to_string()).collect();
                        return Err(Invalide::forme(
                            "type",
                            format!("« type » doit être l'un de : {}.", codes.join(", ")),
                            format!("\"type\" must be one of: {}.", codes.join(", ")),
                        ));
                    };
                    f.genre = Some(code);
                }
                "modalite" => {
                    f.modalite = Some(match value {
                        "sur-place" => Modalite::SurPlace,
                        "en-ligne" => Modalite::EnLigne,
                        _ => {
                            return Err(Invalide::forme(
                                "modalite",
                                "« modalite » vaut sur-place ou en-ligne.",
                                "\"modalite\" is sur-place or en-ligne.",
                            ));
                        }
                    });
                }
                "du" | "au" => {
                    if !is_day(value) {
                        return Err(Invalide::forme(
                            name,
                            format!("« {name} » est une date AAAA-MM-JJ."),
                            format!("\"{name}\" is a YYYY-MM-DD date."),
                        ));
                    }
                    let day = Some(value.to_owned());
                    if name == "du" { f.du = day } else { f.au = day }
                }
                _ => {}
            }
        }
        if let (Some(du), Some(au)) = (&f.du, &f.au)
            && au < du
        {
            return Err(Invalide::sens(
                "au",
                "La date de fin précède la date de début.",
                "The end date comes before the start date.",
            ));
        }
        Ok(f)
    }

    /// The filters as query pairs, in [`NOMS`]' order (empty ones left out).
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(g) = self.genre {
            pairs.push(("type", g.to_string()));
        }
        if let Some(m) = self.modalite {
            pairs.push(("modalite", m.name().to_owned()));
        }
        if let Some(d) = &self.du {
            pairs.push(("du", d.clone()));
        }
        if let Some(d) = &self.au {
            pairs.push(("au", d.clone()));
        }
        pairs
    }
}

/// `YYYY-MM-DD` with a month 01–12 and a day 01–31.
fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
        return false;
    }
    if !digits(8..10) {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_back_what_they_write() {
        let pairs =
            [("site", "demo"), ("type", "14"), ("modalite", "en-ligne"), ("du", "2026-12-07")];
        let f = FiltresEvenements::from_query(pairs).expect("valid");
        assert_eq!(f.genre, Some(14));
        assert_eq!(f.modalite, Some(Modalite::EnLigne));
        let written = f.query();
        let back = FiltresEvenements::from_query(written.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, Ok(f));
    }

    #[test]
    fn bad_values_are_refused_with_their_parameter() {
        for (name, value) in [
            ("type", "12"),
            ("type", "x"),
            ("type", "014"),
            ("type", "+14"),
            ("modalite", "both"),
            ("du", "2026-13-01"),
            ("au", "7/12/2026"),
        ] {
            let e = FiltresEvenements::from_query([(name, value)]).expect_err(value);
            assert_eq!((e.parametre.as_str(), e.refus), (name, crate::recherche::Refus::Forme));
        }
        let e = FiltresEvenements::from_query([("du", "2026-12-10"), ("au", "2026-12-01")])
            .expect_err("reversed");
        assert_eq!(e.refus, crate::recherche::Refus::Sens);
    }
}
