//! The search vocabulary, defined once: what a search asks for ([`Recherche`]), the names of its
//! parameters ([`Param`]), the rule each value follows, and the search's one text form.
//!
//! The proxy validates `/api/v1/search` with it ([`Recherche::from_query`], then
//! [`Recherche::check`]), the widget keeps its state in it and writes its requests, deep links
//! and no-JavaScript forms with it ([`Recherche::pairs`], [`Recherche::set`]), the element's
//! attributes are named by it ([`Param::attribute`], [`element_attributes`]), and the OpenAPI
//! document is derived from it (`IntoParams`, with the `openapi` feature), with the same
//! constraints, which the tests check against the code.
//!
//! Two kinds of refusal, told apart by [`Refus`]: a value that breaks its own rule (the document
//! says so: 400), and values that are each valid but cannot be searched together or name nothing
//! known (422).

use serde::{Deserialize, Serialize};

/// Keywords are limited to this many characters.
pub const MAX_Q: usize = 200;
/// At most this many comma-separated keyword terms.
pub const MAX_TERMES: usize = 7;
/// Largest radius around a commune, in km.
pub const MAX_RAYON: u32 = 100;
/// Radius when a commune is searched without one.
pub const RAYON_DEFAUT: u32 = 10;
/// Largest page size.
pub const MAX_PAR_PAGE: u32 = 50;
/// Page size when none is given.
pub const PAR_PAGE_DEFAUT: u32 = 20;
/// France Travail serves offers 0 to 3149 of a result, no further.
pub const MAX_ACCESSIBLES: u32 = 3150;
/// The first offer of a page is at most offer 3000 (France Travail's last range starts there).
pub const DERNIER_DEBUT: u32 = 3000;
/// Largest page number (with one offer a page).
pub const MAX_PAGE: u32 = DERNIER_DEBUT + 1;
/// The publication ages offered, in days.
pub const PUBLIEE_DEPUIS: [u32; 5] = [1, 3, 7, 14, 31];

/// `q`: at most 7 comma-separated terms, each with no kept character or at least 2.
pub const MOTIF_Q: &str = "^[^,0-9A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F@#$%^&+./-]*(?:[0-9A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F@#$%^&+./-][^,0-9A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F@#$%^&+./-]*[0-9A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F@#$%^&+./-][^,]*)?(?:,[^,0-9A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F@#$%^&+./-]*(?:[0-9A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F@#$%^&+./-][^,0-9A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F@#$%^&+./-]*[0-9A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F@#$%^&+./-][^,]*)?){0,6}$";
/// `metier`: a ROME code (a letter and 4 digits) or an appellation code (5 or 6 digits).
pub const MOTIF_METIER: &str = "^(?:[A-Za-z][0-9]{4}|[0-9]{5,6})$";
/// `commune`: an INSEE code (`35238`, `2A004`).
pub const MOTIF_COMMUNE: &str = "^(?:[0-9]{2}|2[AB])[0-9]{3}$";
/// `epci`: a SIREN (9 digits).
pub const MOTIF_EPCI: &str = "^[0-9]{9}$";
/// `departement`: `35`, `2A`, `971`.
pub const MOTIF_DEPARTEMENT: &str = "^(?:[0-9]{2}|2[AB]|97[0-9])$";

/// Whether `c` is kept in a keyword: France Travail's letters, digits and few symbols (every
/// other character separates words).
fn garde(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}')
        || "@#$%^&+./-".contains(c)
}

/// One parameter of a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    /// `q`: keywords.
    Q,
    /// `metier`: a ROME or appellation code.
    Metier,
    /// `commune`: an INSEE code.
    Commune,
    /// `epci`: an EPCI's SIREN.
    Epci,
    /// `departement`: a département code.
    Departement,
    /// `rayon`: km around the commune.
    Rayon,
    /// `types_contrat`: contract types.
    TypesContrat,
    /// `experience`: experience asked.
    Experience,
    /// `temps_plein`: full or part time.
    TempsPlein,
    /// `publiee_depuis`: maximum age in days.
    PublieeDepuis,
    /// `tri`: sort order.
    Tri,
    /// `page`: page number from 1.
    Page,
    /// `par_page`: page size.
    ParPage,
}

impl Param {
    /// Every parameter, in URL order.
    pub const ALL: [Param; 13] = [
        Param::Q,
        Param::Metier,
        Param::Commune,
        Param::Epci,
        Param::Departement,
        Param::Rayon,
        Param::TypesContrat,
        Param::Experience,
        Param::TempsPlein,
        Param::PublieeDepuis,
        Param::Tri,
        Param::Page,
        Param::ParPage,
    ];
    /// The parameters that say where to search: one territory, and a radius around a commune.
    pub const TERRITOIRE: [Param; 4] =
        [Param::Commune, Param::Epci, Param::Departement, Param::Rayon];
    /// The filters (what "Effacer les filtres" removes).
    pub const FILTRES: [Param; 5] = [
        Param::Metier,
        Param::TypesContrat,
        Param::Experience,
        Param::TempsPlein,
        Param::PublieeDepuis,
    ];

    /// The query parameter's name.
    pub const fn name(self) -> &'static str {
        match self {
            Param::Q => "q",
            Param::Metier => "metier",
            Param::Commune => "commune",
            Param::Epci => "epci",
            Param::Departement => "departement",
            Param::Rayon => "rayon",
            Param::TypesContrat => "types_contrat",
            Param::Experience => "experience",
            Param::TempsPlein => "temps_plein",
            Param::PublieeDepuis => "publiee_depuis",
            Param::Tri => "tri",
            Param::Page => "page",
            Param::ParPage => "par_page",
        }
    }

    /// The `<offres-emploi>` attribute that sets it, for those the element takes.
    pub const fn attribute(self) -> Option<&'static str> {
        match self {
            Param::Q => Some("mots-cles"),
            Param::Metier => Some("metier"),
            Param::Commune => Some("commune"),
            Param::Epci => Some("epci"),
            Param::Departement => Some("departement"),
            Param::Rayon => Some("rayon"),
            Param::TypesContrat => Some("types-contrat"),
            Param::Tri => Some("tri"),
            Param::ParPage => Some("par-page"),
            Param::Experience | Param::TempsPlein | Param::PublieeDepuis | Param::Page => None,
        }
    }

    /// The parameter named `name`.
    pub fn from_name(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The parameter the element's attribute `name` sets.
    pub fn from_attribute(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.attribute() == Some(name))
    }
}

/// Offers a view rendered on the server (a first view, a plain page) shows at most: past it, a
/// plain page asks the resident to refine the search, and the widget's module loads on from
/// there. It bounds the render work an address with a large `page` can ask for.
pub const MAX_RENDERED: u32 = 200;

/// Longest heading (`titre`) an element may set, in characters: a heading, not a page of text
/// rendered into every first view and plain page.
pub const MAX_TITRE: usize = 120;

/// The element's attributes that are not search settings, in the loader's order after them.
pub const DISPLAY_ATTRIBUTES: [&str; 7] =
    ["lang", "titre", "theme", "mode", "verrouiller-lieu", "marche", "compact"];

/// Every attribute `<offres-emploi>` reads: `site`, the search settings ([`Param::attribute`]),
/// then the display ones. The loader's list is written from this one when the widget is built.
pub fn element_attributes() -> impl Iterator<Item = &'static str> {
    std::iter::once("site")
        .chain(Param::ALL.into_iter().filter_map(Param::attribute))
        .chain(DISPLAY_ATTRIBUTES)
}

/// Sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    /// Relevance (France Travail `sort=0`), the default.
    #[default]
    Pertinence,
    /// Newest first (`sort=1`).
    Date,
    /// Nearest first (`sort=2`), around a commune.
    Distance,
}

impl Tri {
    /// Every sort order.
    pub const ALL: [Tri; 3] = [Tri::Pertinence, Tri::Date, Tri::Distance];

    /// Its value in a query.
    pub const fn code(self) -> &'static str {
        match self {
            Tri::Pertinence => "pertinence",
            Tri::Date => "date",
            Tri::Distance => "distance",
        }
    }

    /// France Travail's `sort` value.
    pub const fn upstream(self) -> &'static str {
        match self {
            Tri::Pertinence => "0",
            Tri::Date => "1",
            Tri::Distance => "2",
        }
    }

    /// The sort order written `code`.
    pub fn from_code(code: &str) -> Option<Tri> {
        Tri::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Experience asked by the offer (France Travail's `experience`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Experience {
    /// `1`: under a year.
    #[serde(rename = "1")]
    MoinsDUnAn,
    /// `2`: 1 to 3 years.
    #[serde(rename = "2")]
    UnATroisAns,
    /// `3`: over 3 years.
    #[serde(rename = "3")]
    PlusDeTroisAns,
}

impl Experience {
    /// Every value.
    pub const ALL: [Experience; 3] =
        [Experience::MoinsDUnAn, Experience::UnATroisAns, Experience::PlusDeTroisAns];

    /// Its value in a query (and France Travail's).
    pub const fn code(self) -> &'static str {
        match self {
            Experience::MoinsDUnAn => "1",
            Experience::UnATroisAns => "2",
            Experience::PlusDeTroisAns => "3",
        }
    }

    /// The value written `code`.
    pub fn from_code(code: &str) -> Option<Experience> {
        Experience::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// France Travail's contract types (`typeContrat`), in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum TypeContrat {
    /// Contrat à durée indéterminée.
    Cdi,
    /// Contrat à durée déterminée.
    Cdd,
    /// Mission intérimaire.
    Mis,
    /// Contrat de travail saisonnier.
    Sai,
    /// CDI intérimaire.
    Din,
    /// CDD d'insertion.
    Ddi,
    /// Contrat de travail temporaire d'insertion.
    Tti,
    /// CDD Tremplin.
    Ddt,
    /// Profession commerciale.
    Cce,
    /// Franchise.
    Fra,
    /// Profession libérale.
    Lib,
    /// Reprise d'entreprise.
    Rep,
}

impl TypeContrat {
    /// Every contract type, in display order.
    pub const ALL: [TypeContrat; 12] = [
        TypeContrat::Cdi,
        TypeContrat::Cdd,
        TypeContrat::Mis,
        TypeContrat::Sai,
        TypeContrat::Din,
        TypeContrat::Ddi,
        TypeContrat::Tti,
        TypeContrat::Ddt,
        TypeContrat::Cce,
        TypeContrat::Fra,
        TypeContrat::Lib,
        TypeContrat::Rep,
    ];

    /// France Travail's code.
    pub const fn code(self) -> &'static str {
        match self {
            TypeContrat::Cdi => "CDI",
            TypeContrat::Cdd => "CDD",
            TypeContrat::Mis => "MIS",
            TypeContrat::Sai => "SAI",
            TypeContrat::Din => "DIN",
            TypeContrat::Ddi => "DDI",
            TypeContrat::Tti => "TTI",
            TypeContrat::Ddt => "DDT",
            TypeContrat::Cce => "CCE",
            TypeContrat::Fra => "FRA",
            TypeContrat::Lib => "LIB",
            TypeContrat::Rep => "REP",
        }
    }

    /// Its short names for residents, in French and in English.
    pub const fn names(self) -> (&'static str, &'static str) {
        match self {
            TypeContrat::Cdi => ("CDI", "Permanent (CDI)"),
            TypeContrat::Cdd => ("CDD", "Fixed-term (CDD)"),
            TypeContrat::Mis => ("Intérim", "Temporary agency work"),
            TypeContrat::Sai => ("Saisonnier", "Seasonal"),
            TypeContrat::Din => ("CDI intérimaire", "Permanent agency contract"),
            TypeContrat::Ddi => ("CDD d'insertion", "Fixed-term integration contract"),
            TypeContrat::Tti => ("Intérim d'insertion", "Temporary integration work"),
            TypeContrat::Ddt => ("CDD Tremplin", "Springboard fixed-term contract"),
            TypeContrat::Cce => ("Profession commerciale", "Commercial agent"),
            TypeContrat::Fra => ("Franchise", "Franchise"),
            TypeContrat::Lib => ("Profession libérale", "Self-employed"),
            TypeContrat::Rep => ("Reprise d'entreprise", "Business takeover"),
        }
    }

    /// The contract type of France Travail's code `code`.
    pub fn from_code(code: &str) -> Option<TypeContrat> {
        TypeContrat::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Where a search looks: one territory (a commune with its radius, an EPCI or a département).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Zone {
    /// INSEE code of a commune. One territory at most among `commune`, `epci` and
    /// `departement` (422 otherwise); the site's default territory when none is given.
    pub commune: Option<String>,
    /// SIREN of an EPCI, searched commune by commune. Not with `commune` or `departement`.
    pub epci: Option<String>,
    /// Département code. Not with `commune` or `epci`.
    pub departement: Option<String>,
    /// Radius in km around the commune (10 when not given); only with a commune (422 otherwise).
    pub rayon: Option<u32>,
}

impl Zone {
    /// Whether it names a territory.
    pub fn is_set(&self) -> bool {
        self.commune.is_some() || self.epci.is_some() || self.departement.is_some()
    }
}

/// What a search asks for. Its territory is [`Zone`]; the rest are its words and filters, its
/// order and its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recherche {
    /// Keywords: at most 7 comma-separated terms, each with at least 2 letters, digits or
    /// `@#$%^&+./-` (other characters separate words), 200 characters at most.
    pub q: String,
    /// A métier, matched by France Travail itself: a ROME code (`codeROME`, e.g. J1501) or an
    /// appellation code (5 or 6 digits), as `/api/v1/metiers` suggests them. An unknown code is a
    /// 422.
    pub metier: Option<String>,
    /// Where to search.
    pub zone: Zone,
    /// Contract types, comma-separated (`CDI,CDD`).
    pub types_contrat: Vec<TypeContrat>,
    /// Experience: 1 (under a year), 2 (1 to 3 years), 3 (over 3 years).
    pub experience: Option<Experience>,
    /// `true`: full time; `false`: part time.
    pub temps_plein: Option<bool>,
    /// Published within this many days: 1, 3, 7, 14 or 31.
    pub publiee_depuis: Option<u32>,
    /// Sort: `pertinence` (default), `date`, or `distance` (around a commune; 422 otherwise).
    pub tri: Tri,
    /// Page from 1 (default 1). Its first offer is at most offer 3000, France Travail's last
    /// range (422 otherwise): with 20 offers a page, page 151 at most.
    pub page: u32,
    /// Page size, 1 to 50 (default 20).
    pub par_page: u32,
}

/// The parameters in the OpenAPI document: names, descriptions and schemas written from the
/// constants and values the code checks with.
#[cfg(feature = "openapi")]
mod openapi {
    use super::*;
    use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
    use utoipa::openapi::{RefOr, Required};

    fn text(pattern: &str) -> ObjectBuilder {
        ObjectBuilder::new().schema_type(SchemaType::Type(Type::String)).pattern(Some(pattern))
    }

    fn whole(min: u32, max: u32) -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Integer))
            .minimum(Some(min))
            .maximum(Some(max))
    }

    fn one_of<T: Into<serde_json::Value>>(
        kind: Type,
        values: impl IntoIterator<Item = T>,
    ) -> ObjectBuilder {
        ObjectBuilder::new().schema_type(SchemaType::Type(kind)).enum_values(Some(values))
    }

    impl Param {
        /// What the parameter means, for the document.
        pub fn description(self) -> String {
            match self {
                Param::Q => format!(
                    "Keywords: at most {MAX_TERMES} comma-separated terms, each with no letter, \
                     digit or `@#$%^&+./-` or at least 2 of them (other characters separate \
                     words), {MAX_Q} characters at most"
                ),
                Param::Metier => "A métier, matched by France Travail itself: a ROME code \
                    (`codeROME`, e.g. J1501) or an appellation code (5 or 6 digits), as \
                    /api/v1/metiers suggests them; a code that names none is a 422"
                    .to_owned(),
                Param::Commune => "INSEE code of a commune, e.g. 35238. One territory at most \
                    among commune, epci and departement (two are a 422); the site's default \
                    territory when none is given; a code that names no commune is a 422"
                    .to_owned(),
                Param::Epci => "SIREN of an EPCI, e.g. 243500139, searched commune by commune. \
                    Not with commune or departement"
                    .to_owned(),
                Param::Departement => "Département code, e.g. 35, 2A, 971. Not with commune or \
                    epci"
                    .to_owned(),
                Param::Rayon => format!(
                    "Radius in km around the commune ({RAYON_DEFAUT} when not given); only with \
                     a commune (a 422 otherwise)"
                ),
                Param::TypesContrat => "Contract types, comma-separated (CDI,CDD)".to_owned(),
                Param::Experience => {
                    "Experience: 1 (under a year), 2 (1 to 3 years), 3 (over 3 years)".to_owned()
                }
                Param::TempsPlein => "true: full time; false: part time".to_owned(),
                Param::PublieeDepuis => "Published within this many days".to_owned(),
                Param::Tri => "Sort; distance only around a commune (a 422 otherwise)".to_owned(),
                Param::Page => format!(
                    "Page from 1. Its first offer is at most offer {DERNIER_DEBUT}, France \
                     Travail's last range (a 422 otherwise): with {PAR_PAGE_DEFAUT} offers a \
                     page, page {} at most",
                    DERNIER_DEBUT / PAR_PAGE_DEFAUT + 1
                ),
                Param::ParPage => format!("Page size (default {PAR_PAGE_DEFAUT})"),
            }
        }

        /// Its schema, with the rule [`Recherche::read`] applies.
        pub fn schema(self) -> Schema {
            let object = match self {
                Param::Q => text(MOTIF_Q).max_length(Some(MAX_Q)),
                Param::Metier => text(MOTIF_METIER),
                Param::Commune => text(MOTIF_COMMUNE),
                Param::Epci => text(MOTIF_EPCI),
                Param::Departement => text(MOTIF_DEPARTEMENT),
                Param::Rayon => whole(0, MAX_RAYON),
                Param::TypesContrat => {
                    let items = one_of(Type::String, TypeContrat::ALL.map(TypeContrat::code));
                    return Schema::Array(
                        ArrayBuilder::new().items(items).min_items(Some(1)).build(),
                    );
                }
                Param::Experience => one_of(Type::String, Experience::ALL.map(Experience::code)),
                Param::TempsPlein => {
                    ObjectBuilder::new().schema_type(SchemaType::Type(Type::Boolean))
                }
                Param::PublieeDepuis => one_of(Type::Integer, PUBLIEE_DEPUIS),
                Param::Tri => one_of(Type::String, Tri::ALL.map(Tri::code))
                    .default(Some(Tri::default().code().into())),
                Param::Page => whole(1, MAX_PAGE).default(Some(1.into())),
                Param::ParPage => whole(1, MAX_PAR_PAGE).default(Some(PAR_PAGE_DEFAUT.into())),
            };
            Schema::Object(object.build())
        }

        /// Its entry in the document: an optional query parameter.
        pub fn parameter(self) -> Parameter {
            let mut p = ParameterBuilder::new()
                .name(self.name())
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(self.description()))
                .schema(Some(RefOr::T(self.schema())));
            if self == Param::TypesContrat {
                // One value, comma-separated.
                p = p.style(Some(ParameterStyle::Form)).explode(Some(false));
            }
            p.build()
        }
    }

    /// The words, filters, order and page of `/api/v1/search` (the territory is [`Zone`]).
    impl utoipa::IntoParams for Recherche {
        fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
            Param::ALL
                .into_iter()
                .filter(|p| !Param::TERRITOIRE.contains(p))
                .map(Param::parameter)
                .collect()
        }
    }

    /// The territory of a search or of the market overview.
    impl utoipa::IntoParams for Zone {
        fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
            Param::TERRITOIRE.into_iter().map(Param::parameter).collect()
        }
    }
}

impl Default for Recherche {
    fn default() -> Self {
        Self {
            q: String::new(),
            metier: None,
            zone: Zone::default(),
            types_contrat: Vec::new(),
            experience: None,
            temps_plein: None,
            publiee_depuis: None,
            tri: Tri::default(),
            page: 1,
            par_page: PAR_PAGE_DEFAUT,
        }
    }
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
    /// value only for `q`). What the values mean together is [`Recherche::check`]'s.
    pub fn from_query<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        accepted: &[Param],
        extra: &[&str],
    ) -> Result<Self, Invalide> {
        let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
        let mut r = Recherche::default();
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
            if let Some(param) = param {
                r.read(param, value)?;
            }
        }
        Ok(r)
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
                self.zone.commune = code(
                    is_commune(value.as_bytes()),
                    "un code INSEE de 5 caractères, ex. 35238 pour Rennes.",
                    "an INSEE code of 5 characters, e.g. 35238 for Rennes.",
                )?;
            }
            Param::Epci => {
                self.zone.epci = code(
                    value.len() == 9 && value.bytes().all(|b| b.is_ascii_digit()),
                    "le SIREN de l'EPCI, 9 chiffres, ex. 243500139 pour Rennes Métropole.",
                    "the EPCI's SIREN, 9 digits, e.g. 243500139 for Rennes Métropole.",
                )?;
            }
            Param::Departement => {
                self.zone.departement = code(
                    is_departement(value.as_bytes()),
                    "un code de département, ex. 35, 2A ou 971.",
                    "a département code, e.g. 35, 2A or 971.",
                )?;
            }
            Param::Rayon => self.zone.rayon = Some(number(param, value, 0, MAX_RAYON)?),
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
                        "Expérience : valeurs possibles 1 (moins d'un an), 2 (1 à 3 ans), 3 (plus de 3 ans).",
                        "Experience: possible values 1 (under a year), 2 (1 to 3 years), 3 (over 3 years).",
                    )
                })?);
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

    /// Sets `param` from text as the widget reads it (deep links, attributes, forms): an empty
    /// value unsets it, a value that breaks its rule leaves the setting as it was (the proxy
    /// says what is wrong when it matters); surrounding spaces and case are forgiven, and
    /// unknown contract types left out. Returns what was wrong, if anything.
    pub fn set(&mut self, param: Param, value: &str) -> Option<Invalide> {
        let value = value.trim();
        if value.is_empty() {
            match param {
                Param::Q => self.q.clear(),
                Param::Metier => self.metier = None,
                Param::Commune => self.zone.commune = None,
                Param::Epci => self.zone.epci = None,
                Param::Departement => self.zone.departement = None,
                Param::Rayon => self.zone.rayon = None,
                Param::TypesContrat => self.types_contrat.clear(),
                Param::Experience => self.experience = None,
                Param::TempsPlein => self.temps_plein = None,
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
                if known.is_empty() { None } else { self.read(param, &known.join(",")).err() }
            }
            Param::Commune | Param::Departement | Param::Metier => {
                self.read(param, &value.to_ascii_uppercase()).err()
            }
            _ => self.read(param, value).err(),
        }
    }

    /// The value of `param` as text, `None` when unset.
    pub fn value(&self, param: Param) -> Option<String> {
        let text = |v: &Option<String>| v.clone();
        match param {
            Param::Q => Some(self.q.trim().to_owned()).filter(|q| !q.is_empty()),
            Param::Metier => text(&self.metier),
            Param::Commune => text(&self.zone.commune),
            Param::Epci => text(&self.zone.epci),
            Param::Departement => text(&self.zone.departement),
            Param::Rayon => self.zone.rayon.map(|r| r.to_string()),
            Param::TypesContrat => {
                Some(self.types_contrat.iter().map(|t| t.code()).collect::<Vec<_>>().join(","))
                    .filter(|l| !l.is_empty())
            }
            Param::Experience => self.experience.map(|e| e.code().to_owned()),
            Param::TempsPlein => self.temps_plein.map(|t| t.to_string()),
            Param::PublieeDepuis => self.publiee_depuis.map(|d| d.to_string()),
            Param::Tri => Some(self.tri.code().to_owned()),
            Param::Page => Some(self.page.max(1).to_string()),
            Param::ParPage => Some(self.par_page.to_string()),
        }
    }

    /// The set parameters and their values, in [`Param::ALL`] order, with one territory: a
    /// commune (with its radius), else an EPCI, else a département. The search's text form,
    /// which [`Recherche::from_query`] reads back.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let z = &self.zone;
        let skip = |p: Param| match p {
            Param::Epci => z.commune.is_some(),
            Param::Departement => z.commune.is_some() || z.epci.is_some(),
            Param::Rayon => z.commune.is_none(),
            _ => false,
        };
        Param::ALL
            .into_iter()
            .filter(|p| !skip(*p))
            .filter_map(|p| self.value(p).map(|v| (p.name(), v)))
            .collect()
    }

    /// What the values mean together: one territory, a radius and a distance sort only around a
    /// commune, a page France Travail can serve; and the keywords' rule, since [`Recherche::set`]
    /// keeps them as typed. The proxy calls it once the site's default territory is applied.
    pub fn check(&self) -> Result<(), Invalide> {
        // Keywords are the one value the lenient reader keeps as given.
        keywords(&self.q)?;
        let z = &self.zone;
        let given: Vec<&str> =
            [("commune", &z.commune), ("epci", &z.epci), ("departement", &z.departement)]
                .into_iter()
                .filter(|(_, v)| v.is_some())
                .map(|(n, _)| n)
                .collect();
        if given.len() > 1 {
            return Err(Invalide::sens(
                given[1],
                "Indiquez une seule zone : commune, intercommunalité (epci) ou département.",
                "Give one area only: commune, intercommunality (epci) or département.",
            ));
        }
        if z.rayon.is_some() && z.commune.is_none() {
            return Err(Invalide::sens(
                "rayon",
                "Le rayon ne s'applique qu'à une commune.",
                "The radius only applies to a commune.",
            ));
        }
        if self.tri == Tri::Distance && z.commune.is_none() {
            return Err(Invalide::sens(
                "tri",
                "Le tri par distance demande une commune.",
                "Sorting by distance needs a commune.",
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

    /// Index of the first offer of the page.
    pub fn start(&self) -> u32 {
        self.page.max(1).saturating_sub(1).saturating_mul(self.par_page)
    }

    /// Whether any filter ([`Param::FILTRES`]) is set.
    pub fn has_filters(&self) -> bool {
        Param::FILTRES.into_iter().any(|p| self.value(p).is_some())
    }

    /// The same search without any filter.
    pub fn without_filters(&self) -> Self {
        let mut p = self.clone();
        for f in Param::FILTRES {
            p.set(f, "");
        }
        p
    }

    /// Whether `other` is the same search, whatever the pages of the two.
    pub fn same_search(&self, other: &Recherche) -> bool {
        Recherche { page: other.page, ..self.clone() } == *other
    }

    /// This search with its page brought within [`MAX_RENDERED`] offers, for a view rendered on
    /// the server.
    pub fn rendered(&self) -> Recherche {
        let size = self.par_page.clamp(1, MAX_PAR_PAGE);
        let last = (MAX_RENDERED / size).max(1);
        Recherche { page: self.page.clamp(1, last), ..self.clone() }
    }

    /// The requests that fetch pages 1 to `page` in order, in as few as possible: requests of up
    /// to 50 offers made of whole pages of this size, then the pages left, together when they
    /// line up (with 20 offers a page, page 5 is two requests of 40 and page 5 itself; with 10,
    /// page 4 is one request of 40). Pages past France Travail's last reachable offer are left
    /// out.
    pub fn pages_up_to(&self) -> Vec<Recherche> {
        let size = self.par_page.clamp(1, MAX_PAR_PAGE);
        let last = self.page.clamp(1, DERNIER_DEBUT / size + 1);
        let per_request = MAX_PAR_PAGE / size;
        let whole = last / per_request;
        let done = whole * per_request;
        let rest = last - done;
        let request = |page, par_page| Recherche { page, par_page, ..self.clone() };
        let mut requests: Vec<_> =
            (1..=whole).map(|page| request(page, size * per_request)).collect();
        if rest > 0 && done.is_multiple_of(rest) {
            requests.push(request(done / rest + 1, size * rest));
        } else {
            requests.extend((done + 1..=last).map(|page| request(page, size)));
        }
        requests
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Recherche {
        Recherche {
            q: "aide-soignant".into(),
            metier: Some("J1501".into()),
            zone: Zone { commune: Some("35238".into()), rayon: Some(20), ..Zone::default() },
            types_contrat: vec![TypeContrat::Cdi, TypeContrat::Cdd],
            experience: Some(Experience::UnATroisAns),
            temps_plein: Some(false),
            publiee_depuis: Some(7),
            tri: Tri::Date,
            page: 2,
            par_page: 10,
        }
    }

    fn read(query: &str) -> Result<Recherche, Invalide> {
        let pairs: Vec<(String, String)> = form_pairs(query);
        Recherche::from_query(
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &Param::ALL,
            &["site"],
        )
    }

    fn form_pairs(query: &str) -> Vec<(String, String)> {
        query
            .split('&')
            .filter(|s| !s.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (k.to_owned(), v.replace("%2C", ","))
            })
            .collect()
    }

    fn refused(query: &str) -> (String, Refus) {
        match read(query).and_then(|r| r.check().map(|()| r)) {
            Err(e) => (e.parametre, e.refus),
            Ok(r) => panic!("{query} accepted: {r:?}"),
        }
    }

    #[test]
    fn the_text_form_reads_back_to_the_same_search() {
        let p = sample();
        let pairs = p.pairs();
        let back =
            Recherche::from_query(pairs.iter().map(|(k, v)| (*k, v.as_str())), &Param::ALL, &[])
                .unwrap();
        assert_eq!(back, p);
        let mut lenient = Recherche::default();
        for (k, v) in &pairs {
            assert_eq!(lenient.set(Param::from_name(k).unwrap(), v), None);
        }
        assert_eq!(lenient, p);
    }

    #[test]
    fn each_value_follows_its_rule() {
        for (query, param) in [
            ("commune=35000x", "commune"),
            ("commune=", "commune"),
            ("publiee_depuis=", "publiee_depuis"),
            ("publiee_depuis=2", "publiee_depuis"),
            ("rayon=101", "rayon"),
            ("rayon=+5", "rayon"),
            ("types_contrat=CDI,XYZ", "types_contrat"),
            ("types_contrat=cdi", "types_contrat"),
            ("tri=loin", "tri"),
            ("par_page=51", "par_page"),
            ("page=0", "page"),
            ("q=a", "q"),
            ("q=a!,bb", "q"),
            ("q=aa,bb,cc,dd,ee,ff,gg,hh", "q"),
            ("metier=aide", "metier"),
            ("foo=1", "foo"),
            ("q=aa&q=bb", "q"),
        ] {
            assert_eq!(refused(query), (param.to_owned(), Refus::Forme), "{query}");
        }
    }

    /// Issue 15: `commune=&epci=&departement=` answered "« commune » est répété".
    #[test]
    fn empty_territories_are_named_as_empty() {
        let e = read("commune=&epci=&departement=").unwrap_err();
        assert_eq!(e.parametre, "commune");
        assert!(e.fr.contains("est vide") && e.en.contains("is empty"), "{e:?}");
    }

    #[test]
    fn values_that_do_not_go_together_are_422() {
        for (query, param) in [
            ("commune=35238&departement=35", "departement"),
            ("epci=243500139&departement=35", "departement"),
            ("departement=35&rayon=10", "rayon"),
            ("rayon=10", "rayon"),
            ("epci=243500139&tri=distance", "tri"),
            ("page=152&par_page=20", "page"),
        ] {
            assert_eq!(refused(query), (param.to_owned(), Refus::Sens), "{query}");
        }
        assert!(read("page=151&par_page=20").unwrap().check().is_ok());
        assert!(read("page=3001&par_page=1").unwrap().check().is_ok());
    }

    #[test]
    fn keywords_are_cleaned_for_france_travail() {
        let r = read("q=aide-soignant(e), <b>nuit</b>").unwrap();
        assert_eq!(r.mots_cles().as_deref(), Some("aide-soignant e,b nuit /b"));
        assert_eq!(read("q=++").unwrap().mots_cles().as_deref(), Some("++"));
        assert_eq!(read("q=  ").unwrap().mots_cles(), None);
        assert_eq!(read("q=cœur,ÉTÉ").unwrap().mots_cles().as_deref(), Some("cœur,ÉTÉ"));
    }

    #[test]
    fn the_lenient_reader_forgives_case_and_leaves_bad_values_alone() {
        let mut p = sample();
        assert!(p.set(Param::Rayon, "loin").is_some());
        p.set(Param::ParPage, "500");
        p.set(Param::Page, "-3");
        assert_eq!((p.zone.rayon, p.par_page, p.page), (Some(20), 10, 2));
        p.set(Param::Rayon, "");
        p.set(Param::TypesContrat, " cdi, ,mis,xyz ");
        p.set(Param::Commune, " 2a004 ");
        assert_eq!(p.zone.rayon, None);
        assert_eq!(p.types_contrat, [TypeContrat::Cdi, TypeContrat::Mis]);
        assert_eq!(p.zone.commune.as_deref(), Some("2A004"));
    }

    #[test]
    fn only_one_territory_is_written() {
        let p = Recherche {
            zone: Zone {
                epci: Some("243500139".into()),
                departement: Some("35".into()),
                rayon: Some(10),
                ..Zone::default()
            },
            ..Recherche::default()
        };
        let keys: Vec<&str> = p.pairs().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["epci", "tri", "page", "par_page"]);
    }

    #[test]
    fn pages_up_to_a_page_cover_exactly_its_offers_in_few_requests() {
        let offsets = |p: &Recherche| {
            p.pages_up_to()
                .iter()
                .map(|r| ((r.page - 1) * r.par_page, r.page * r.par_page))
                .collect::<Vec<_>>()
        };
        let p = |page, par_page| Recherche { page, par_page, ..sample() };
        assert_eq!(offsets(&p(1, 20)), [(0, 20)]);
        assert_eq!(offsets(&p(2, 20)), [(0, 40)]);
        assert_eq!(offsets(&p(5, 20)), [(0, 40), (40, 80), (80, 100)]);
        assert_eq!(offsets(&p(4, 10)), [(0, 40)]);
        assert_eq!(offsets(&p(7, 10)), [(0, 50), (50, 60), (60, 70)]);
        assert_eq!(offsets(&p(3, 50)), [(0, 50), (50, 100), (100, 150)]);
        assert_eq!(offsets(&p(3, 30)), [(0, 30), (30, 60), (60, 90)]);
        let far = p(400, 20).pages_up_to();
        assert!(far.iter().all(|r| r.q == "aide-soignant" && r.start() <= DERNIER_DEBUT));
        assert_eq!(far.last().map(|r| (r.page, r.par_page)), Some((151, 20)));
    }

    #[test]
    fn the_element_attributes_are_site_the_search_settings_and_the_display_ones() {
        let all: Vec<&str> = element_attributes().collect();
        assert_eq!(all.len(), 17);
        assert_eq!(all[..3], ["site", "mots-cles", "metier"]);
        for p in Param::ALL {
            assert_eq!(p.attribute().and_then(Param::from_attribute), p.attribute().map(|_| p));
        }
    }

    /// The patterns the document publishes are the rules the code applies: a value matches
    /// its pattern exactly when it is read without error.
    mod patterns {
        use super::*;
        use proptest::prelude::*;

        /// The characters a keyword keeps (France Travail's letters, digits and few symbols); every
        /// other character separates words. As a regular-expression class body (ECMA-262, Python and
        /// Rust read it alike).
        const GARDES: &str = "0-9A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F@#$%^&+./-";

        fn agrees(pattern: &str, param: Param, value: &str) -> Result<(), TestCaseError> {
            let re = regex::Regex::new(pattern).unwrap();
            let accepted = Recherche::default().read(param, value).is_ok();
            prop_assert_eq!(re.is_match(value), accepted, "{} = {:?}", param.name(), value);
            Ok(())
        }

        #[test]
        fn the_keyword_pattern_is_built_from_the_kept_characters() {
            let s = format!("[^,{GARDES}]");
            let a = format!("[{GARDES}]");
            let term = format!("{s}*(?:{a}{s}*{a}[^,]*)?");
            assert_eq!(MOTIF_Q, format!("^{term}(?:,{term}){{0,6}}$"));
        }

        proptest! {
            #[test]
            fn keywords(v in "[a-zé!( ,.-]{0,30}|\\PC{0,12}") {
                if v.chars().count() <= MAX_Q {
                    agrees(MOTIF_Q, Param::Q, &v)?;
                }
            }

            #[test]
            fn codes(v in "[0-9AB2a-zJ]{0,10}|[0-9]{2,10}|\\PC{0,6}") {
                if !v.is_empty() {
                    agrees(MOTIF_METIER, Param::Metier, &v)?;
                    agrees(MOTIF_COMMUNE, Param::Commune, &v)?;
                    agrees(MOTIF_EPCI, Param::Epci, &v)?;
                    agrees(MOTIF_DEPARTEMENT, Param::Departement, &v)?;
                }
            }
        }
    }
}
