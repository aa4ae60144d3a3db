//! The widget's settings, read from the element's attributes.
//!
//! Parsing is pure (a list of attribute names and values in, a [`WidgetConfig`] plus warnings
//! out) so that it is tested natively. An invalid value falls back to the default and produces
//! one warning naming the accepted values; it never stops the widget.

use emploi_types::recherche::{MAX_TITRE, Param, Recherche, Tri, Zone};

use crate::i18n::Lang;

/// Theme presets (styled by `:host([theme=…])` in the stylesheet).
pub const THEMES: [&str; 4] = ["neutre", "contraste", "sombre", "institutionnel"];
/// Colour modes (styled by `:host([mode=…])`).
pub const MODES: [&str; 4] = ["light", "dark", "auto", "host"];
/// Smallest page size an element may ask for.
const MIN_PAR_PAGE: u32 = 10;

/// Whether `name` is an attribute the element reads (the loader observes the same list, written
/// from [`emploi_types::recherche::element_attributes`] when the widget is built).
pub fn is_attribute(name: &str) -> bool {
    emploi_types::recherche::element_attributes().any(|a| a == name)
}

/// Everything the webmaster can set on the element.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetConfig {
    /// Public site key, registered on the proxy for the host's origins.
    pub site: Option<String>,
    /// The element's own search: its territory (`commune` with `rayon`, 10 km by default;
    /// `epci`; `departement`), `mots-cles`, `metier`, `types-contrat`, `tri` (`date` by default)
    /// and `par-page` (10 to 50, 20 by default).
    pub recherche: Recherche,
    /// Interface language.
    pub lang: Lang,
    /// Heading shown above the form.
    pub titre: Option<String>,
    /// The resident cannot change the place (`verrouiller-lieu`).
    pub verrouiller_lieu: bool,
    /// Shows the local market overview and the official figures (`marche`).
    pub marche: bool,
    /// Shows the territory's coming job events (`evenements`).
    pub evenements: bool,
}

impl Default for WidgetConfig {
    fn default() -> Self {
        Self {
            site: None,
            recherche: Recherche { tri: Tri::Date, ..Recherche::default() },
            lang: Lang::Fr,
            titre: None,
            verrouiller_lieu: false,
            marche: false,
            evenements: false,
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
            if let Some(param) = Param::from_attribute(name) {
                let small =
                    param == Param::ParPage && value.parse::<u32>().is_ok_and(|n| n < MIN_PAR_PAGE);
                // One territory: the first one named.
                let second = param != Param::Rayon
                    && Param::TERRITOIRE.contains(&param)
                    && c.recherche.zone.is_set()
                    && !value.is_empty();
                if small {
                    warnings.push(format!(
                        "par-page=\"{value}\" ignoré : nombre entre {MIN_PAR_PAGE} et 50 attendu."
                    ));
                } else if second {
                    warnings.push(format!(
                        "{name}=\"{value}\" ignoré : une seule zone (commune, epci ou departement)."
                    ));
                } else if let Some(e) = c.recherche.set(param, value) {
                    warnings.push(format!("{name}=\"{value}\" ignoré : {}", e.fr));
                }
                continue;
            }
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
                "lang" => match Lang::parse(value) {
                    Some(lang) => {
                        c.lang = lang;
                        lang_set = true;
                    }
                    None => warnings
                        .push(format!("lang=\"{value}\" ignoré : valeurs acceptées fr, en.")),
                },
                "titre" if value.chars().count() > MAX_TITRE => warnings.push(format!(
                    "titre ignoré : {MAX_TITRE} caractères au plus ({} donnés).",
                    value.chars().count()
                )),
                "titre" if !value.is_empty() => c.titre = Some(value.to_owned()),
                // Boolean attributes: present means on, unless written "false".
                "verrouiller-lieu" => c.verrouiller_lieu = value != "false",
                "marche" => c.marche = value != "false",
                "evenements" => c.evenements = value != "false",
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
        let r = &mut c.recherche;
        // Without a territory attribute the proxy searches the site's own, whose kind the
        // element does not know: a radius or a distance sort waits for a commune.
        if !r.zone.is_set() {
            r.zone = Zone::default();
        }
        if r.zone.commune().is_none() && r.tri == Tri::Distance {
            r.tri = Tri::Date;
        }
        (c, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 25, point 12: `titre` had no length limit, and is rendered into every view.
    #[test]
    fn a_heading_longer_than_its_limit_is_ignored() {
        let long = "é".repeat(MAX_TITRE + 1);
        let (c, warnings) = WidgetConfig::from_attributes([("titre", long.as_str())], None);
        assert_eq!((c.titre, warnings.len()), (None, 1));
        let fits = "é".repeat(MAX_TITRE);
        let (c, _) = WidgetConfig::from_attributes([("titre", fits.as_str())], None);
        assert_eq!(c.titre.as_deref(), Some(fits.as_str()));
    }

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
        let r = &c.recherche;
        assert_eq!(r.metier.as_deref(), Some("D1102"));
        assert_eq!(r.zone, Zone::Commune { code: "35238".into(), rayon: 20 });
        assert_eq!(r.q, "boulanger");
        assert_eq!(r.par_page, 10);
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
        assert!(warnings[1].contains("entre 0 et 100"), "{warnings:?}");
    }

    #[test]
    fn every_setting_is_an_observed_attribute() {
        for name in ["site", "commune", "rayon", "mots-cles", "metier", "types-contrat", "par-page"]
        {
            assert!(is_attribute(name), "{name} is not read from the element");
        }
        assert!(!is_attribute("experience"));
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
        assert_eq!(c.recherche.zone, Zone::Epci { code: "243500139".into() });
        let (c, warnings) = WidgetConfig::from_attributes([("epci", "Rennes")], None);
        assert_eq!((c.recherche.zone, warnings.len()), (Zone::default(), 1));
    }

    #[test]
    fn one_territory_the_first_named_with_a_radius_only_around_a_commune() {
        let (c, warnings) = WidgetConfig::from_attributes(
            [("rayon", "30"), ("commune", "35238"), ("departement", "35")],
            None,
        );
        assert_eq!(c.recherche.zone, Zone::Commune { code: "35238".into(), rayon: 30 });
        assert!(warnings.len() == 1 && warnings[0].contains("une seule zone"), "{warnings:?}");
        let (c, warnings) =
            WidgetConfig::from_attributes([("epci", "243500139"), ("rayon", "30")], None);
        assert_eq!(c.recherche.zone, Zone::Epci { code: "243500139".into() });
        assert!(warnings[0].contains("qu'à une commune"), "{warnings:?}");
        // Around the site's own territory, whose kind the element does not know.
        let (c, _) = WidgetConfig::from_attributes([("rayon", "30"), ("tri", "distance")], None);
        assert_eq!((c.recherche.zone, c.recherche.tri), (Zone::default(), Tri::Date));
    }

    #[test]
    fn language_comes_from_the_element_then_the_page() {
        let (c, _) = WidgetConfig::from_attributes([], Some("en-GB"));
        assert_eq!(c.lang, Lang::En);
        let (c, _) = WidgetConfig::from_attributes([("lang", "fr")], Some("en"));
        assert_eq!(c.lang, Lang::Fr);
    }
}
