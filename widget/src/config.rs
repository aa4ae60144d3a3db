//! The widget's settings, read from the element's attributes.
//!
//! Parsing is pure (a list of attribute names and values in, a [`WidgetConfig`] plus warnings
//! out) so that it is tested natively. An invalid value falls back to the default and produces
//! one warning naming the accepted values; it never stops the widget.

use crate::i18n::Lang;

/// Attributes the element observes.
pub const ATTRIBUTES: [&str; 17] = [
    "site",
    "commune",
    "epci",
    "departement",
    "rayon",
    "mots-cles",
    "metier",
    "types-contrat",
    "tri",
    "par-page",
    "lang",
    "titre",
    "theme",
    "mode",
    "verrouiller-lieu",
    "marche",
    "compact",
];

/// Theme presets (styled by `:host([theme=…])` in the stylesheet).
pub const THEMES: [&str; 4] = ["neutre", "contraste", "sombre", "institutionnel"];
/// Colour modes (styled by `:host([mode=…])`).
pub const MODES: [&str; 4] = ["light", "dark", "auto", "host"];

/// Everything the webmaster can set on the element.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetConfig {
    /// Public site key, registered on the proxy for the host's origins.
    pub site: Option<String>,
    /// INSEE code of the commune.
    pub commune: Option<String>,
    /// SIREN of an EPCI (used when no commune is given).
    pub epci: Option<String>,
    /// Département code (used when no commune or EPCI is given).
    pub departement: Option<String>,
    /// Radius in km around the commune. Defaults to 10.
    pub rayon: u32,
    /// Initial keywords.
    pub mots_cles: String,
    /// Initial métier: a ROME code (`J1501`) or an appellation code (5 or 6 digits).
    pub metier: Option<String>,
    /// Contract type filter, e.g. `CDI,CDD`.
    pub types_contrat: Vec<String>,
    /// Sort: `pertinence`, `date` or `distance`. Defaults to `date`.
    pub tri: String,
    /// Page size, 10 to 50. Defaults to 20.
    pub par_page: u32,
    /// Interface language.
    pub lang: Lang,
    /// Heading shown above the form.
    pub titre: Option<String>,
    /// The resident cannot change the place (`verrouiller-lieu`).
    pub verrouiller_lieu: bool,
    /// Shows the local market overview (`marche`).
    pub marche: bool,
}

impl Default for WidgetConfig {
    fn default() -> Self {
        Self {
            site: None,
            commune: None,
            epci: None,
            departement: None,
            rayon: 10,
            mots_cles: String::new(),
            metier: None,
            types_contrat: Vec::new(),
            tri: "date".to_owned(),
            par_page: 20,
            lang: Lang::Fr,
            titre: None,
            verrouiller_lieu: false,
            marche: false,
        }
    }
}

impl WidgetConfig {
    /// Reads attributes; `page_lang` is the host page's `<html lang>`, used when the element has
    /// no `lang` of its own. Returns the settings and one warning per ignored value.
    pub fn from_attributes<'a>(
        attrs: impl IntoIterator<Item = (&'a str, &'a str)>,
        page_lang: Option<&str>,
    ) -> (Self, Vec<String>) {
        let mut c = Self::default();
        let mut warnings = Vec::new();
        let mut lang_set = false;
        for (name, value) in attrs {
            let value = value.trim();
            match name {
                "site" => {
                    let valid = (2..=64).contains(&value.len())
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                    if valid {
                        c.site = Some(value.to_owned());
                    } else {
                        warnings.push(format!("site=\"{value}\" ignoré : clé de site attendue (lettres, chiffres, - ou _), fournie par le service."));
                    }
                }
                "commune" => {
                    if value.len() == 5 && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
                        c.commune = Some(value.to_ascii_uppercase());
                    } else {
                        warnings.push(format!("commune=\"{value}\" ignoré : code INSEE à 5 caractères attendu (ex. 35238)."));
                    }
                }
                "epci" => {
                    if value.len() == 9 && value.bytes().all(|b| b.is_ascii_digit()) {
                        c.epci = Some(value.to_owned());
                    } else {
                        warnings.push(format!(
                            "epci=\"{value}\" ignoré : SIREN à 9 chiffres attendu (ex. 243500139)."
                        ));
                    }
                }
                "departement" => {
                    if (2..=3).contains(&value.len())
                        && value.bytes().all(|b| b.is_ascii_alphanumeric())
                    {
                        c.departement = Some(value.to_ascii_uppercase());
                    } else {
                        warnings.push(format!("departement=\"{value}\" ignoré : code de département attendu (ex. 35, 2A, 971)."));
                    }
                }
                "rayon" => match value.parse::<u32>() {
                    Ok(r) if r <= 100 => c.rayon = r,
                    _ => warnings.push(format!(
                        "rayon=\"{value}\" ignoré : nombre de km entre 0 et 100 attendu."
                    )),
                },
                "mots-cles" => c.mots_cles = value.to_owned(),
                "metier" => {
                    let code = value.to_ascii_uppercase();
                    let b = code.as_bytes();
                    let rome = b.len() == 5
                        && (b'A'..=b'N').contains(&b[0])
                        && b[1..].iter().all(u8::is_ascii_digit);
                    let appellation =
                        (5..=6).contains(&b.len()) && b.iter().all(u8::is_ascii_digit);
                    if rome || appellation {
                        c.metier = Some(code);
                    } else {
                        warnings.push(format!("metier=\"{value}\" ignoré : code ROME (ex. J1501) ou code d'appellation (5 ou 6 chiffres) attendu."));
                    }
                }
                "types-contrat" => c.types_contrat = crate::params::contract_list(value),
                "tri" => match value {
                    "pertinence" | "date" | "distance" => c.tri = value.to_owned(),
                    _ => warnings.push(format!(
                        "tri=\"{value}\" ignoré : valeurs acceptées pertinence, date, distance."
                    )),
                },
                "par-page" => match value.parse::<u32>() {
                    Ok(n) if (10..=50).contains(&n) => c.par_page = n,
                    _ => warnings.push(format!(
                        "par-page=\"{value}\" ignoré : nombre entre 10 et 50 attendu."
                    )),
                },
                "lang" => match Lang::parse(value) {
                    Some(lang) => {
                        c.lang = lang;
                        lang_set = true;
                    }
                    None => warnings
                        .push(format!("lang=\"{value}\" ignoré : valeurs acceptées fr, en.")),
                },
                "titre" if !value.is_empty() => c.titre = Some(value.to_owned()),
                // Boolean attributes: present means on, unless written "false".
                "verrouiller-lieu" => c.verrouiller_lieu = value != "false",
                "marche" => c.marche = value != "false",
                // The stylesheet applies them; an unknown value falls back to the default look.
                "theme" if !THEMES.contains(&value) => warnings.push(format!(
                    "theme=\"{value}\" ignoré : valeurs acceptées {}.",
                    THEMES.join(", ")
                )),
                "mode" if !MODES.contains(&value) => warnings.push(format!(
                    "mode=\"{value}\" ignoré : valeurs acceptées {}.",
                    MODES.join(", ")
                )),
                _ => {}
            }
        }
        if !lang_set && let Some(lang) = page_lang.and_then(Lang::parse) {
            c.lang = lang;
        }
        if c.commune.is_none() && c.tri == "distance" {
            c.tri = "date".to_owned();
        }
        (c, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_webmaster_attributes() {
        let (c, warnings) = WidgetConfig::from_attributes(
            [
                ("commune", "35238"),
                ("rayon", "20"),
                ("mots-cles", "boulanger"),
                ("metier", "d1102"),
                ("par-page", "10"),
            ],
            None,
        );
        assert!(warnings.is_empty());
        assert_eq!(c.metier.as_deref(), Some("D1102"));
        assert_eq!(c.commune.as_deref(), Some("35238"));
        assert_eq!(c.rayon, 20);
        assert_eq!(c.mots_cles, "boulanger");
        assert_eq!(c.par_page, 10);
        assert_eq!(c.lang, Lang::Fr);
    }

    #[test]
    fn invalid_values_fall_back_to_defaults_with_one_warning_each() {
        let (c, warnings) = WidgetConfig::from_attributes(
            [
                ("commune", "Rennes"),
                ("rayon", "500"),
                ("tri", "hasard"),
                ("par-page", "5"),
                ("lang", "xx"),
                ("site", "clé secrète"),
                ("metier", "aide-soignant"),
            ],
            None,
        );
        assert_eq!(c, WidgetConfig::default());
        assert_eq!(warnings.len(), 7);
        assert!(warnings[1].contains("entre 0 et 100"));
    }

    #[test]
    fn every_setting_is_an_observed_attribute() {
        for name in [
            "site",
            "commune",
            "epci",
            "departement",
            "rayon",
            "mots-cles",
            "metier",
            "types-contrat",
            "tri",
            "par-page",
            "lang",
            "titre",
        ] {
            assert!(ATTRIBUTES.contains(&name), "{name} is not read from the element");
        }
    }

    #[test]
    fn the_loader_observes_exactly_these_attributes() {
        let loader = include_str!("../loader/offres-emploi.js");
        let start = loader.find("const ATTRIBUTES = [").expect("the loader lists its attributes");
        let end = start + loader[start..].find("];").expect("the list ends");
        let listed: Vec<&str> = loader[start..end].split('\'').skip(1).step_by(2).collect();
        assert_eq!(listed, ATTRIBUTES);
    }

    #[test]
    fn boolean_attributes_are_on_when_present() {
        let (c, _) =
            WidgetConfig::from_attributes([("verrouiller-lieu", ""), ("marche", "false")], None);
        assert!(c.verrouiller_lieu);
        assert!(!c.marche);
    }

    #[test]
    fn an_epci_is_read_by_its_siren() {
        let (c, warnings) = WidgetConfig::from_attributes([("epci", "243500139")], None);
        assert!(warnings.is_empty());
        assert_eq!(c.epci.as_deref(), Some("243500139"));
        let (c, warnings) = WidgetConfig::from_attributes([("epci", "Rennes")], None);
        assert_eq!((c.epci, warnings.len()), (None, 1));
    }

    #[test]
    fn language_comes_from_the_element_then_the_page() {
        let (c, _) = WidgetConfig::from_attributes([], Some("en-GB"));
        assert_eq!(c.lang, Lang::En);
        let (c, _) = WidgetConfig::from_attributes([("lang", "fr")], Some("en"));
        assert_eq!(c.lang, Lang::Fr);
    }
}
