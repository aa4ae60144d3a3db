//! A search result card, packed: the sixteen texts a card reads from a France Travail offer
//! live in one allocation, with their ends, presence bits and flags beside it.
//!
//! Cached windows hold up to 150 cards each, and a proxy holds many windows. As a plain struct
//! of `String`s and `Option<String>`s a card took 432 bytes plus one allocation per text (about
//! 820 bytes of resident memory a card in `load_bench`); packed, it is a 112-byte struct and one
//! allocation of its texts' length. Decoding makes one allocation per card instead of up to
//! sixteen.
//!
//! [`CarteFields`] is the card's one vocabulary: France Travail's JSON is read through it
//! (borrowing the texts that need no unescaping), the shared cache writes and reads it, and
//! readers get it back from [`Carte::fields`] without copying.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use emploi_types::ft::Offre;

/// A text of France Travail's JSON, borrowed from the answer when it has no escapes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Text<'a>(pub Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Self {
        Self(Cow::Borrowed(s))
    }
}

impl From<String> for Text<'_> {
    fn from(s: String) -> Self {
        Self(Cow::Owned(s))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// The fields of an offer a card reads, under France Travail's names (a subset of [`Offre`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarteFields<'a> {
    /// Offer id.
    #[serde(borrow)]
    pub id: Text<'a>,
    /// Title.
    #[serde(borrow)]
    pub intitule: Text<'a>,
    /// Creation date (newest-first merging).
    #[serde(borrow)]
    pub date_creation: Text<'a>,
    /// Workplace with coordinates (place and distance).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub lieu_travail: Option<LieuCarte<'a>>,
    /// ROME code (market panel).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub rome_code: Option<Text<'a>>,
    /// ROME label (market panel).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub rome_libelle: Option<Text<'a>>,
    /// Employer, its name only.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub entreprise: Option<EntrepriseCarte<'a>>,
    /// Contract code.
    #[serde(borrow)]
    pub type_contrat: Text<'a>,
    /// Contract label.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub type_contrat_libelle: Option<Text<'a>>,
    /// Full or part time.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub duree_travail_libelle_converti: Option<Text<'a>>,
    /// Salary label and comment.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub salaire: Option<SalaireCarte<'a>>,
    /// Working time as written (`35H/semaine\nTravail en journée`): its weekly hours.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub duree_travail_libelle: Option<Text<'a>>,
    /// Work-study (badge).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub alternance: bool,
    /// `D` when beginners are accepted (badge).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub experience_exige: Option<Text<'a>>,
    /// Employer committed to disabled workers (badge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employeur_handi_engage: Option<bool>,
    /// Adapted company (badge), at the top level or in `entreprise`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise_adaptee: Option<bool>,
    /// Lacks candidates (badge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offres_manque_candidats: Option<bool>,
}

/// The workplace as a card shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LieuCarte<'a> {
    /// `"<dept> - <COMMUNE>"`, a département, a region or `France`.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub libelle: Option<Text<'a>>,
    /// WGS84 latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// WGS84 longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Postal code.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub code_postal: Option<Text<'a>>,
    /// INSEE code (arrondissement code for Paris, Lyon, Marseille).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub commune: Option<Text<'a>>,
}

/// The employer as a card shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntrepriseCarte<'a> {
    /// Name.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub nom: Option<Text<'a>>,
    /// Adapted company (badge), where older offers carry it.
    #[serde(default, rename = "entrepriseAdaptee", skip_serializing_if = "Option::is_none")]
    pub entreprise_adaptee: Option<bool>,
}

/// The salary as a card shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SalaireCarte<'a> {
    /// e.g. `Mensuel de 2275.0 Euros à 3033.0 Euros sur 12.0 mois`.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub libelle: Option<Text<'a>>,
    /// e.g. `Selon expérience`.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub commentaire: Option<Text<'a>>,
}

/// Where each text sits in [`Carte::texts`], in packing order.
const ID: usize = 0;
const INTITULE: usize = 1;
const DATE_CREATION: usize = 2;
const LIEU_LIBELLE: usize = 3;
const LIEU_CODE_POSTAL: usize = 4;
const LIEU_COMMUNE: usize = 5;
const ROME_CODE: usize = 6;
const ROME_LIBELLE: usize = 7;
const ENTREPRISE_NOM: usize = 8;
const TYPE_CONTRAT: usize = 9;
const TYPE_CONTRAT_LIBELLE: usize = 10;
const DUREE_CONVERTI: usize = 11;
const SALAIRE_LIBELLE: usize = 12;
const SALAIRE_COMMENTAIRE: usize = 13;
const DUREE_LIBELLE: usize = 14;
const EXPERIENCE_EXIGE: usize = 15;
const TEXTS: usize = 16;

/// Presence bits past the texts' own (bit `i` for text `i`).
const LIEU: u32 = 1 << 16;
const ENTREPRISE: u32 = 1 << 17;
const SALAIRE: u32 = 1 << 18;
const LATITUDE: u32 = 1 << 19;
const LONGITUDE: u32 = 1 << 20;

/// The two-bit places of the `Option<bool>` flags (`0` absent, `2` false, `3` true), and the
/// work-study bit.
const HANDI_ENGAGE: u32 = 0;
const ADAPTEE: u32 = 2;
const MANQUE_CANDIDATS: u32 = 4;
const ENTREPRISE_ADAPTEE: u32 = 6;
const ALTERNANCE: u16 = 1 << 8;

/// One search result card, packed (see the module's documentation). Built from
/// [`CarteFields`] or an [`Offre`], read back with [`Carte::fields`]; it serializes as
/// France Travail's JSON.
#[derive(Clone, Default, PartialEq)]
pub struct Carte {
    /// The texts one after the other.
    texts: Box<str>,
    /// The end of each text in `texts`.
    ends: [u32; TEXTS],
    /// Which optional texts and objects France Travail gave.
    present: u32,
    latitude: f64,
    longitude: f64,
    /// The badges' flags.
    flags: u16,
}

impl Carte {
    /// The offer's id, without building the other fields.
    pub fn id(&self) -> &str {
        self.text(ID)
    }

    /// The offer's creation date, without building the other fields.
    pub fn date_creation(&self) -> &str {
        self.text(DATE_CREATION)
    }

    /// The ROME code, for the market panel.
    pub fn rome_code(&self) -> Option<&str> {
        self.optional(ROME_CODE)
    }

    /// The ROME label, for the market panel.
    pub fn rome_libelle(&self) -> Option<&str> {
        self.optional(ROME_LIBELLE)
    }

    fn optional(&self, i: usize) -> Option<&str> {
        (self.present & (1 << i) != 0).then(|| self.text(i))
    }

    fn text(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.texts.get(start..self.ends[i] as usize).unwrap_or_default()
    }

    /// The card's fields, borrowed from it.
    pub fn fields(&self) -> CarteFields<'_> {
        let text = |i: usize| Text(Cow::Borrowed(self.text(i)));
        let optional = |i: usize| self.optional(i).map(|t| Text(Cow::Borrowed(t)));
        let has = |bit: u32| self.present & bit != 0;
        let flag = |at: u32| match (self.flags >> at) & 3 {
            2 => Some(false),
            3 => Some(true),
            _ => None,
        };
        CarteFields {
            id: text(ID),
            intitule: text(INTITULE),
            date_creation: text(DATE_CREATION),
            lieu_travail: has(LIEU).then(|| LieuCarte {
                libelle: optional(LIEU_LIBELLE),
                latitude: has(LATITUDE).then_some(self.latitude),
                longitude: has(LONGITUDE).then_some(self.longitude),
                code_postal: optional(LIEU_CODE_POSTAL),
                commune: optional(LIEU_COMMUNE),
            }),
            rome_code: optional(ROME_CODE),
            rome_libelle: optional(ROME_LIBELLE),
            entreprise: has(ENTREPRISE).then(|| EntrepriseCarte {
                nom: optional(ENTREPRISE_NOM),
                entreprise_adaptee: flag(ENTREPRISE_ADAPTEE),
            }),
            type_contrat: text(TYPE_CONTRAT),
            type_contrat_libelle: optional(TYPE_CONTRAT_LIBELLE),
            duree_travail_libelle_converti: optional(DUREE_CONVERTI),
            salaire: has(SALAIRE).then(|| SalaireCarte {
                libelle: optional(SALAIRE_LIBELLE),
                commentaire: optional(SALAIRE_COMMENTAIRE),
            }),
            duree_travail_libelle: optional(DUREE_LIBELLE),
            alternance: self.flags & ALTERNANCE != 0,
            experience_exige: optional(EXPERIENCE_EXIGE),
            employeur_handi_engage: flag(HANDI_ENGAGE),
            entreprise_adaptee: flag(ADAPTEE),
            offres_manque_candidats: flag(MANQUE_CANDIDATS),
        }
    }

    /// The length of the card's texts, for the cache's weight.
    pub fn text_len(&self) -> usize {
        self.texts.len()
    }

    /// Whether a flag shows on the card (`Some(true)` or `Some(false)`), for the JSON's length.
    pub fn flags_given(&self) -> usize {
        [HANDI_ENGAGE, ADAPTEE, MANQUE_CANDIDATS, ENTREPRISE_ADAPTEE]
            .iter()
            .filter(|&&at| (self.flags >> at) & 3 != 0)
            .count()
    }
}

impl From<&CarteFields<'_>> for Carte {
    fn from(f: &CarteFields<'_>) -> Self {
        let lieu = f.lieu_travail.as_ref();
        let entreprise = f.entreprise.as_ref();
        let salaire = f.salaire.as_ref();
        let texts: [Option<&str>; TEXTS] = [
            Some(&f.id),
            Some(&f.intitule),
            Some(&f.date_creation),
            lieu.and_then(|l| l.libelle.as_deref()),
            lieu.and_then(|l| l.code_postal.as_deref()),
            lieu.and_then(|l| l.commune.as_deref()),
            f.rome_code.as_deref(),
            f.rome_libelle.as_deref(),
            entreprise.and_then(|e| e.nom.as_deref()),
            Some(&f.type_contrat),
            f.type_contrat_libelle.as_deref(),
            f.duree_travail_libelle_converti.as_deref(),
            salaire.and_then(|s| s.libelle.as_deref()),
            salaire.and_then(|s| s.commentaire.as_deref()),
            f.duree_travail_libelle.as_deref(),
            f.experience_exige.as_deref(),
        ];
        let mut packed = String::with_capacity(texts.iter().flatten().map(|t| t.len()).sum());
        let mut ends = [0; TEXTS];
        let mut present = 0;
        for (i, text) in texts.iter().enumerate() {
            if let Some(text) = text {
                present |= 1 << i;
                packed.push_str(text);
            }
            // A card's texts are a few hundred bytes; France Travail's answers are bounded far
            // below 4 GB before they are read.
            ends[i] = u32::try_from(packed.len()).unwrap_or(u32::MAX);
        }
        let latitude = lieu.and_then(|l| l.latitude);
        let longitude = lieu.and_then(|l| l.longitude);
        for (given, bit) in [
            (lieu.is_some(), LIEU),
            (entreprise.is_some(), ENTREPRISE),
            (salaire.is_some(), SALAIRE),
            (latitude.is_some(), LATITUDE),
            (longitude.is_some(), LONGITUDE),
        ] {
            if given {
                present |= bit;
            }
        }
        let flag = |value: Option<bool>, at: u32| match value {
            None => 0,
            Some(false) => 2 << at,
            Some(true) => 3 << at,
        };
        let flags = flag(f.employeur_handi_engage, HANDI_ENGAGE)
            | flag(f.entreprise_adaptee, ADAPTEE)
            | flag(f.offres_manque_candidats, MANQUE_CANDIDATS)
            | flag(entreprise.and_then(|e| e.entreprise_adaptee), ENTREPRISE_ADAPTEE)
            | if f.alternance { ALTERNANCE } else { 0 };
        Self {
            texts: packed.into_boxed_str(),
            ends,
            present,
            latitude: latitude.unwrap_or_default(),
            longitude: longitude.unwrap_or_default(),
            flags,
        }
    }
}

impl From<&Offre> for Carte {
    fn from(o: &Offre) -> Self {
        fn text(s: &Option<String>) -> Option<Text<'_>> {
            s.as_deref().map(Text::from)
        }
        Self::from(&CarteFields {
            id: Text::from(o.id.as_str()),
            intitule: Text::from(o.intitule.as_str()),
            date_creation: Text::from(o.date_creation.as_str()),
            lieu_travail: o.lieu_travail.as_ref().map(|l| LieuCarte {
                libelle: text(&l.libelle),
                latitude: l.latitude,
                longitude: l.longitude,
                code_postal: text(&l.code_postal),
                commune: text(&l.commune),
            }),
            rome_code: text(&o.rome_code),
            rome_libelle: text(&o.rome_libelle),
            entreprise: o.entreprise.as_ref().map(|e| EntrepriseCarte {
                nom: text(&e.nom),
                entreprise_adaptee: e.entreprise_adaptee,
            }),
            type_contrat: Text::from(o.type_contrat.as_str()),
            type_contrat_libelle: text(&o.type_contrat_libelle),
            duree_travail_libelle_converti: text(&o.duree_travail_libelle_converti),
            salaire: o.salaire.as_ref().map(|s| SalaireCarte {
                libelle: text(&s.libelle),
                commentaire: text(&s.commentaire),
            }),
            duree_travail_libelle: text(&o.duree_travail_libelle),
            alternance: o.alternance,
            experience_exige: text(&o.experience_exige),
            employeur_handi_engage: o.employeur_handi_engage,
            entreprise_adaptee: o.entreprise_adaptee,
            offres_manque_candidats: o.offres_manque_candidats,
        })
    }
}

impl fmt::Debug for Carte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fields().fmt(f)
    }
}

impl Serialize for Carte {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.fields().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Carte {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        CarteFields::deserialize(deserializer).map(|fields| Self::from(&fields))
    }
}

#[cfg(test)]
pub(super) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A card with every field given (the cache's weight test starts from it too).
    pub(in crate::upstream) fn every_field() -> CarteFields<'static> {
        CarteFields {
            id: "201ABCD".into(),
            intitule: "Boulanger (H/F)".into(),
            date_creation: "2026-11-20T08:00:00.000Z".into(),
            lieu_travail: Some(LieuCarte {
                libelle: Some("35 - RENNES".into()),
                latitude: Some(48.11),
                longitude: Some(-1.68),
                code_postal: Some("35000".into()),
                commune: Some("35238".into()),
            }),
            rome_code: Some("D1102".into()),
            rome_libelle: Some("Boulangerie - viennoiserie".into()),
            entreprise: Some(EntrepriseCarte {
                nom: Some("Fournil du Thabor".into()),
                entreprise_adaptee: Some(false),
            }),
            type_contrat: "CDI".into(),
            type_contrat_libelle: Some("Contrat à durée indéterminée".into()),
            duree_travail_libelle_converti: Some("Temps plein".into()),
            salaire: Some(SalaireCarte {
                libelle: Some("Mensuel de 2275.0 Euros".into()),
                commentaire: Some("Selon expérience".into()),
            }),
            duree_travail_libelle: Some("35H/semaine\nTravail en journée".into()),
            alternance: true,
            experience_exige: Some("D".into()),
            employeur_handi_engage: Some(true),
            entreprise_adaptee: Some(false),
            offres_manque_candidats: None,
        }
    }

    /// Every field comes back as it went in, absent, empty or given, and through the JSON.
    #[test]
    fn a_card_gives_back_its_fields() {
        let full = every_field();
        assert_eq!(Carte::from(&full).fields(), full);
        let sparse = CarteFields {
            lieu_travail: Some(LieuCarte { latitude: Some(0.0), ..LieuCarte::default() }),
            entreprise: Some(EntrepriseCarte { nom: None, entreprise_adaptee: Some(true) }),
            rome_code: Some("".into()),
            employeur_handi_engage: Some(false),
            ..CarteFields::default()
        };
        assert_eq!(Carte::from(&sparse).fields(), sparse);
        assert_eq!(Carte::default().fields(), CarteFields::default());
        for fields in [full, sparse] {
            let card = Carte::from(&fields);
            let json = serde_json::to_vec(&card).unwrap();
            assert_eq!(json, serde_json::to_vec(&fields).unwrap());
            assert_eq!(serde_json::from_slice::<Carte>(&json).unwrap(), card);
        }
    }

    /// Texts without escapes are borrowed from the answer; escaped ones are unescaped.
    #[test]
    fn texts_are_borrowed_unless_escaped() {
        let json = r#"{"id":"1","intitule":"Agent \"polyvalent\"","dateCreation":"d","typeContrat":"CDI"}"#;
        let fields: CarteFields<'_> = serde_json::from_str(json).unwrap();
        assert!(matches!(fields.id.0, Cow::Borrowed("1")));
        assert_eq!(&*fields.intitule, "Agent \"polyvalent\"");
        assert!(matches!(fields.intitule.0, Cow::Owned(_)));
    }

    #[test]
    fn a_card_is_small() {
        assert!(std::mem::size_of::<Carte>() <= 112, "{}", std::mem::size_of::<Carte>());
    }
}
