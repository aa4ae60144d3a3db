//! The rule each value follows, and what the values mean together: reading a request strictly
//! and checking it, with refusals in French and English.

use super::*;
use crate::api::GenreTerritoire;

/// Whether `c` is kept in a keyword: France Travail's letters, digits and few symbols (every
/// other character separates words).
fn garde(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}')
        || "@#$%^&+./-".contains(c)
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refus {
    /// A value breaks its own rule, an unknown or repeated parameter (400).
    Forme,
    /// Values valid one by one that cannot be searched together, or a code that names nothing
    /// known (422).
    Sens,
}

/// A refused search: the parameter at fault and what is wrong, in French and in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalide {
    /// The parameter at fault.
    pub parametre: String,
    /// Which kind of refusal.
    pub refus: Refus,
    /// The message in French.
    pub fr: String,
    /// The message in English.
    pub en: String,
}

impl Invalide {
    /// A value that breaks its rule.
    pub fn forme(parametre: &str, fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self { parametre: parametre.to_owned(), refus: Refus::Forme, fr: fr.into(), en: en.into() }
    }

    /// A parameter given more than once (for every endpoint of the API).
    pub fn repeated(name: &str) -> Self {
        Self::forme(
            name,
            format!("Le paramètre « {name} » est donné plusieurs fois : donnez-le une seule fois."),
            format!("Parameter \"{name}\" is given more than once: give it once."),
        )
    }

    /// Values that do not go together, or a code that names nothing known.
    pub fn sens(parametre: &str, fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self { parametre: parametre.to_owned(), refus: Refus::Sens, fr: fr.into(), en: en.into() }
    }
}

/// A radius given for an EPCI or a département.
fn rayon_hors_commune() -> Invalide {
    Invalide::sens(
        "rayon",
        "Le rayon ne s'applique qu'à une commune.",
        "The radius only applies to a commune.",
    )
}

/// A whole number of `param` between `min` and `max` (digits only).
fn number(param: Param, value: &str, min: u32, max: u32) -> Result<u32, Invalide> {
    let name = param.name();
    value
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| value.parse::<u32>().ok())
        .flatten()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            Invalide::forme(
                name,
                format!("« {name} » doit être un nombre entier entre {min} et {max}."),
                format!("\"{name}\" must be a whole number between {min} and {max}."),
            )
        })
}

/// `true` or `false` for `param`.
fn flag(param: Param, value: &str) -> Result<bool, Invalide> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => {
            let name = param.name();
            Err(Invalide::forme(
                name,
                format!("« {name} » vaut true ou false."),
                format!("\"{name}\" is true or false."),
            ))
        }
    }
}

/// The value of `param` written `value`, one of `codes`.
fn choice<T>(
    param: Param,
    value: &str,
    from_code: impl Fn(&str) -> Option<T>,
    codes: &[&str],
) -> Result<T, Invalide> {
    from_code(value).ok_or_else(|| {
        let (name, codes) = (param.name(), codes.join(", "));
        Invalide::forme(
            name,
            format!("« {value} » n'est pas une valeur de « {name} ». Valeurs possibles : {codes}."),
            format!("\"{value}\" is not a value of \"{name}\". Possible values: {codes}."),
        )
    })
}

/// Whether `value` is an INSEE commune code.
fn is_commune(v: &[u8]) -> bool {
    v.len() == 5
        && (v[..2].iter().all(u8::is_ascii_digit) || (v[0] == b'2' && matches!(v[1], b'A' | b'B')))
        && v[2..].iter().all(u8::is_ascii_digit)
}

/// Whether `value` is a département code.
fn is_departement(v: &[u8]) -> bool {
    match v {
        [a, b] => {
            a.is_ascii_digit() && b.is_ascii_digit() || (*a == b'2' && matches!(b, b'A' | b'B'))
        }
        [b'9', b'7', c] => c.is_ascii_digit(),
        _ => false,
    }
}

/// Whether `value` is a ROME code (`J1501`) or an appellation code (5 or 6 digits).
fn is_metier(v: &[u8]) -> bool {
    let rome = v.len() == 5 && v[0].is_ascii_alphabetic() && v[1..].iter().all(u8::is_ascii_digit);
    rome || ((5..=6).contains(&v.len()) && v.iter().all(u8::is_ascii_digit))
}

/// France Travail's keywords from `q`: its terms with separators made single spaces, empty
/// terms left out, joined by commas; or what is wrong with `q`.
fn keywords(q: &str) -> Result<Vec<String>, Invalide> {
    if q.chars().count() > MAX_Q {
        return Err(Invalide::forme(
            "q",
            format!("Les mots-clés sont limités à {MAX_Q} caractères."),
            format!("Keywords are limited to {MAX_Q} characters."),
        ));
    }
    let segments: Vec<&str> = q.split(',').collect();
    let terms: Vec<String> = segments
        .iter()
        .map(|term| {
            let words: Vec<String> = term
                .split(|c: char| !garde(c))
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect();
            words.join(" ")
        })
        .filter(|t| !t.is_empty())
        .collect();
    if segments.len() > MAX_TERMES || terms.iter().any(|t| t.chars().count() < 2) {
        return Err(Invalide::forme(
            "q",
            format!(
                "Mots-clés : {MAX_TERMES} au maximum, séparés par des virgules, d'au moins 2 lettres ou chiffres chacun."
            ),
            format!(
                "Keywords: at most {MAX_TERMES}, separated by commas, each with at least 2 letters or digits."
            ),
        ));
    }
    Ok(terms)
}

impl Recherche {
    /// Reads a request's query pairs strictly: every parameter known (one of [`Param::ALL`], or
    /// `extra`, which the caller reads itself) and given once, every value by its rule (an empty
    /// value only for `q`), one territory at most and a radius with no other than a commune
    /// (422s, since [`Zone`] holds no other). What the other values mean together is
    /// [`Recherche::check`]'s.
    pub fn from_query<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        accepted: &[Param],
        extra: &[&str],
    ) -> Result<Self, Invalide> {
        let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
        let mut r = Recherche::default();
        let mut conflict = None;
        for (i, (name, value)) in pairs.iter().enumerate() {
            let param = Param::from_name(name).filter(|p| accepted.contains(p));
            if param.is_none() && !extra.contains(name) {
                let list: Vec<&str> =
                    extra.iter().copied().chain(accepted.iter().map(|p| p.name())).collect();
                let list = list.join(", ");
                return Err(Invalide::forme(
                    name,
                    format!("Paramètre inconnu « {name} ». Paramètres acceptés : {list}."),
                    format!("Unknown parameter \"{name}\". Accepted parameters: {list}."),
                ));
            }
            if pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(Invalide::repeated(name));
            }
            let Some(param) = param else { continue };
            if param != Param::Rayon && Param::TERRITOIRE.contains(&param) && r.zone.is_set() {
                // A second territory: its value still follows its rule.
                Recherche::default().read(param, value)?;
                conflict.get_or_insert_with(|| {
                    Invalide::sens(
                        name,
                        "Indiquez une seule zone : commune, intercommunalité (epci) ou département.",
                        "Give one area only: commune, intercommunality (epci) or département.",
                    )
                });
                continue;
            }
            match r.read(param, value) {
                Err(e) if e.refus == Refus::Sens => {
                    conflict.get_or_insert(e);
                }
                other => other?,
            }
        }
        // Values that break their rule come before values that do not go together.
        conflict.map_or(Ok(r), Err)
    }

    /// Sets `param` from `value` by its rule, or says what is wrong.
    pub fn read(&mut self, param: Param, value: &str) -> Result<(), Invalide> {
        let name = param.name();
        if value.is_empty() && param != Param::Q {
            return Err(Invalide::forme(
                name,
                format!("« {name} » est vide : donnez une valeur ou retirez le paramètre."),
                format!("\"{name}\" is empty: give a value or leave the parameter out."),
            ));
        }
        let code = |ok: bool, fr: &str, en: &str| {
            if ok {
                Ok(Some(value.to_owned()))
            } else {
                Err(Invalide::forme(
                    name,
                    format!("« {value} » n'est pas un code valide pour « {name} » : {fr}"),
                    format!("\"{value}\" is not a valid \"{name}\": {en}"),
                ))
            }
        };
        match param {
            Param::Q => {
                keywords(value)?;
                self.q = value.to_owned();
            }
            Param::Metier => {
                self.metier = code(
                    is_metier(value.as_bytes()),
                    "un code ROME (une lettre et 4 chiffres, ex. J1501) ou un code d'appellation (5 ou 6 chiffres).",
                    "a ROME code (a letter and 4 digits, e.g. J1501) or an appellation code (5 or 6 digits).",
                )?
                .map(|m| m.to_ascii_uppercase());
            }
            Param::Commune => {
                let code = code(
                    is_commune(value.as_bytes()),
                    "un code INSEE de 5 caractères, ex. 35238 pour Rennes.",
                    "an INSEE code of 5 characters, e.g. 35238 for Rennes.",
                )?
                .unwrap_or_default();
                // A radius read before its commune, or the commune's being replaced, is kept.
                self.zone = Zone::new(GenreTerritoire::Commune, code, self.zone.rayon());
            }
            Param::Epci | Param::Departement => {
                let code = if param == Param::Epci {
                    code(
                        value.len() == 9 && value.bytes().all(|b| b.is_ascii_digit()),
                        "le SIREN de l'EPCI, 9 chiffres, ex. 243500139 pour Rennes Métropole.",
                        "the EPCI's SIREN, 9 digits, e.g. 243500139 for Rennes Métropole.",
                    )
                } else {
                    code(
                        is_departement(value.as_bytes()),
                        "un code de département, ex. 35, 2A ou 971.",
                        "a département code, e.g. 35, 2A or 971.",
                    )
                }?
                .unwrap_or_default();
                if self.zone.rayon().is_some() {
                    return Err(rayon_hors_commune());
                }
                let genre = if param == Param::Epci {
                    GenreTerritoire::Epci
                } else {
                    GenreTerritoire::Departement
                };
                self.zone = Zone::new(genre, code, None);
            }
            Param::Rayon => {
                let rayon = number(param, value, 0, MAX_RAYON)?;
                self.zone = self.zone.with_rayon(rayon).ok_or_else(rayon_hors_commune)?;
            }
            Param::TypesContrat => {
                let mut list = Vec::new();
                for item in value.split(',') {
                    let t = TypeContrat::from_code(item).ok_or_else(|| {
                        let all: Vec<&str> = TypeContrat::ALL.iter().map(|t| t.code()).collect();
                        let all = all.join(", ");
                        Invalide::forme(
                            name,
                            format!("Type de contrat inconnu : « {item} ». Valeurs possibles, séparées par des virgules : {all}."),
                            format!("Unknown contract type \"{item}\". Possible values, comma-separated: {all}."),
                        )
                    })?;
                    if !list.contains(&t) {
                        list.push(t);
                    }
                }
                self.types_contrat = list;
            }
            Param::Experience => {
                self.experience = Some(Experience::from_code(value).ok_or_else(|| {
                    Invalide::forme(
                        name,
                        "Expérience : valeurs possibles D (débutant accepté), 1 (moins d'un an), 2 (1 à 3 ans), 3 (plus de 3 ans).",
                        "Experience: possible values D (beginners accepted), 1 (under a year), 2 (1 to 3 years), 3 (over 3 years).",
                    )
                })?);
            }
            Param::Alternance => self.alternance = flag(param, value)?,
            Param::HandiEngage => self.handi_engage = flag(param, value)?,
            Param::ManqueCandidats => self.manque_candidats = flag(param, value)?,
            Param::HeuresMin => self.heures_min = Some(number(param, value, 1, MAX_HEURES)?),
            Param::HeuresMax => self.heures_max = Some(number(param, value, 1, MAX_HEURES)?),
            Param::SalaireMin => self.salaire_min = Some(number(param, value, 1, MAX_SALAIRE)?),
            Param::Qualification => {
                let codes = Qualification::ALL.map(Qualification::code);
                self.qualification = Some(choice(param, value, Qualification::from_code, &codes)?);
            }
            Param::PeriodeSalaire => {
                let codes = PeriodeSalaire::ALL.map(PeriodeSalaire::code);
                self.periode_salaire =
                    Some(choice(param, value, PeriodeSalaire::from_code, &codes)?);
            }
            Param::Origine => {
                let codes = Origine::ALL.map(Origine::code);
                self.origine = choice(param, value, Origine::from_code, &codes)?;
            }
            Param::Secteurs => {
                let mut list: Vec<String> = Vec::new();
                for item in value.split(',') {
                    if secteur_libelle(item).is_none() {
                        return Err(Invalide::forme(
                            name,
                            format!(
                                "Secteur inconnu : « {item} ». Donnez une ou deux divisions de la NAF (2 chiffres, ex. 86 pour les activités pour la santé humaine), séparées par une virgule."
                            ),
                            format!(
                                "Unknown sector \"{item}\". Give one or two NAF divisions (2 digits, e.g. 86 for human health activities), separated by a comma."
                            ),
                        ));
                    }
                    if !list.iter().any(|s| s == item) {
                        list.push(item.to_owned());
                    }
                }
                if list.len() > MAX_SECTEURS {
                    return Err(Invalide::forme(
                        name,
                        format!("{MAX_SECTEURS} secteurs au plus."),
                        format!("{MAX_SECTEURS} sectors at most."),
                    ));
                }
                self.secteurs = list;
            }
            Param::TempsPlein => {
                self.temps_plein = Some(match value {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(Invalide::forme(
                            name,
                            "temps_plein vaut true (temps plein) ou false (temps partiel).",
                            "temps_plein is true (full time) or false (part time).",
                        ));
                    }
                });
            }
            Param::PublieeDepuis => {
                let days = value.parse::<u32>().ok().filter(|d| {
                    PUBLIEE_DEPUIS.contains(d) && value.bytes().all(|b| b.is_ascii_digit())
                });
                self.publiee_depuis = Some(days.ok_or_else(|| {
                    Invalide::forme(
                        name,
                        "publiee_depuis vaut 1, 3, 7, 14 ou 31 (jours).",
                        "publiee_depuis is 1, 3, 7, 14 or 31 (days).",
                    )
                })?);
            }
            Param::Tri => {
                self.tri = Tri::from_code(value).ok_or_else(|| {
                    Invalide::forme(
                        name,
                        format!("Tri inconnu : « {value} ». Valeurs possibles : pertinence, date, distance."),
                        format!("Unknown sort \"{value}\". Possible values: pertinence, date, distance."),
                    )
                })?;
            }
            Param::Page => self.page = number(param, value, 1, MAX_PAGE)?,
            Param::ParPage => self.par_page = number(param, value, 1, MAX_PAR_PAGE)?,
        }
        Ok(())
    }

    /// What the values mean together: a radius and a distance sort only around a commune (the
    /// site's territory put in), a page France Travail can serve; and the keywords' rule, since [`Recherche::set`]
    /// keeps them as typed. The proxy calls it once the site's default territory is applied.
    pub fn check(&self) -> Result<(), Invalide> {
        // Keywords are the one value the lenient reader keeps as given.
        keywords(&self.q)?;
        if matches!(self.zone, Zone::DuSite { rayon: Some(_) }) {
            // A radius asked for around a site's territory that is not a commune.
            return Err(rayon_hors_commune());
        }
        if self.tri == Tri::Distance && self.zone.commune().is_none() {
            return Err(Invalide::sens(
                "tri",
                "Le tri par distance demande une commune.",
                "Sorting by distance needs a commune.",
            ));
        }
        if self.alternance && !self.types_contrat.is_empty() {
            return Err(Invalide::sens(
                "alternance",
                "L'alternance ne se combine pas avec des types de contrat : France Travail donnerait les offres de l'un OU de l'autre. Choisissez l'alternance seule, ou des types de contrat.",
                "Work-study does not combine with contract types: France Travail would return offers of either. Choose work-study alone, or contract types.",
            ));
        }
        if self.salaire_min.is_some() != self.periode_salaire.is_some() {
            let missing =
                if self.salaire_min.is_some() { "periode_salaire" } else { "salaire_min" };
            return Err(Invalide::sens(
                missing,
                "Le salaire minimum (salaire_min) et sa période (periode_salaire : mois, an ou heure) vont ensemble : donnez les deux.",
                "The minimum salary (salaire_min) and its period (periode_salaire: mois, an or heure) go together: give both.",
            ));
        }
        if let (Some(min), Some(max)) = (self.heures_min, self.heures_max)
            && min > max
        {
            return Err(Invalide::sens(
                "heures_max",
                format!("Le nombre d'heures maximum ({max} h) est inférieur au minimum ({min} h)."),
                format!("The maximum hours ({max} h) are below the minimum ({min} h)."),
            ));
        }
        if self.start() > DERNIER_DEBUT {
            return Err(Invalide::sens(
                "page",
                "France Travail ne donne accès qu'aux 3 150 premières offres d'une recherche : affinez votre recherche.",
                "France Travail only gives access to the first 3,150 offers of a search: refine your search.",
            ));
        }
        Ok(())
    }

    /// France Travail's `motsCles`: the terms of `q` cleaned, comma-joined; `None` without any.
    pub fn mots_cles(&self) -> Option<String> {
        let terms = keywords(&self.q).unwrap_or_default();
        (!terms.is_empty()).then(|| terms.join(","))
    }
}
