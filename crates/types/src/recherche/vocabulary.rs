//! The names of a search's parameters and of the element's attributes, and the limits each value
//! follows.

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
/// Most hours a week a search may ask for (`heures_min`, `heures_max`): France Travail writes
/// them `HHMM`, and 48 is the legal weekly maximum.
pub const MAX_HEURES: u32 = 48;
/// Largest minimum salary a search may ask for, in euros (a year's, the largest period).
pub const MAX_SALAIRE: u32 = 500_000;
/// At most this many sectors (France Travail's `secteurActivite` takes two).
pub const MAX_SECTEURS: usize = 2;
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
    /// `alternance`: work-study offers only (apprenticeship, professionalisation).
    Alternance,
    /// `experience`: experience asked, or beginners accepted.
    Experience,
    /// `temps_plein`: full or part time.
    TempsPlein,
    /// `heures_min`: at least this many hours a week.
    HeuresMin,
    /// `heures_max`: at most this many hours a week.
    HeuresMax,
    /// `qualification`: cadre or non-cadre.
    Qualification,
    /// `secteurs`: the employer's sector (NAF divisions).
    Secteurs,
    /// `salaire_min`: minimum salary, in euros per `periode_salaire`.
    SalaireMin,
    /// `periode_salaire`: the period of the minimum salary.
    PeriodeSalaire,
    /// `handi_engage`: employers committed to disabled workers, and adapted companies.
    HandiEngage,
    /// `manque_candidats`: offers that lack candidates.
    ManqueCandidats,
    /// `origine`: France Travail's offers, its partners', or both.
    Origine,
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
    pub const ALL: [Param; 23] = [
        Param::Q,
        Param::Metier,
        Param::Commune,
        Param::Epci,
        Param::Departement,
        Param::Rayon,
        Param::TypesContrat,
        Param::Alternance,
        Param::Experience,
        Param::TempsPlein,
        Param::HeuresMin,
        Param::HeuresMax,
        Param::Qualification,
        Param::Secteurs,
        Param::SalaireMin,
        Param::PeriodeSalaire,
        Param::HandiEngage,
        Param::ManqueCandidats,
        Param::Origine,
        Param::PublieeDepuis,
        Param::Tri,
        Param::Page,
        Param::ParPage,
    ];
    /// The parameters that say where to search: one territory, and a radius around a commune.
    pub const TERRITOIRE: [Param; 4] =
        [Param::Commune, Param::Epci, Param::Departement, Param::Rayon];
    /// The filters (what "Effacer les filtres" removes).
    pub const FILTRES: [Param; 15] = [
        Param::Metier,
        Param::TypesContrat,
        Param::Alternance,
        Param::Experience,
        Param::TempsPlein,
        Param::HeuresMin,
        Param::HeuresMax,
        Param::Qualification,
        Param::Secteurs,
        Param::SalaireMin,
        Param::PeriodeSalaire,
        Param::HandiEngage,
        Param::ManqueCandidats,
        Param::Origine,
        Param::PublieeDepuis,
    ];
    /// The filters a commune may preset with the element's attributes to build a page for one
    /// public ("Jobs for young people", "Accessible jobs", ...), beside the territory.
    pub const PRESETS: [Param; 3] = [Param::Alternance, Param::HandiEngage, Param::ManqueCandidats];

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
            Param::Alternance => "alternance",
            Param::Experience => "experience",
            Param::TempsPlein => "temps_plein",
            Param::HeuresMin => "heures_min",
            Param::HeuresMax => "heures_max",
            Param::Qualification => "qualification",
            Param::Secteurs => "secteurs",
            Param::SalaireMin => "salaire_min",
            Param::PeriodeSalaire => "periode_salaire",
            Param::HandiEngage => "handi_engage",
            Param::ManqueCandidats => "manque_candidats",
            Param::Origine => "origine",
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
            Param::Alternance => Some("alternance"),
            Param::HeuresMin => Some("heures-min"),
            Param::HeuresMax => Some("heures-max"),
            Param::Qualification => Some("qualification"),
            Param::Secteurs => Some("secteurs"),
            Param::SalaireMin => Some("salaire-min"),
            Param::PeriodeSalaire => Some("periode-salaire"),
            Param::HandiEngage => Some("handi-engage"),
            Param::ManqueCandidats => Some("manque-candidats"),
            Param::Origine => Some("origine"),
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
pub const DISPLAY_ATTRIBUTES: [&str; 8] =
    ["lang", "titre", "theme", "mode", "verrouiller-lieu", "marche", "evenements", "compact"];

/// Every attribute `<offres-emploi>` reads: `site`, the search settings ([`Param::attribute`]),
/// then the display ones. The loader's list is written from this one when the widget is built.
pub fn element_attributes() -> impl Iterator<Item = &'static str> {
    std::iter::once("site")
        .chain(Param::ALL.into_iter().filter_map(Param::attribute))
        .chain(DISPLAY_ATTRIBUTES)
}
