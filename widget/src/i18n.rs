//! The message catalogue: every text the widget shows, in French (default) and English, as plain
//! static data.

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// French.
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// `fr`, `fr-FR`, `en`, `en-GB`... (case-insensitive); `None` for anything else.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Self::Fr),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// BCP 47 tag for `Intl` and `Accept-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Fr => "fr-FR",
            Self::En => "en-GB",
        }
    }

    /// The catalogue of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Self::Fr => &FR,
            Self::En => &EN,
        }
    }

    /// The panels' texts of this language.
    pub fn panel_texts(self) -> &'static PanelTexts {
        match self {
            Self::Fr => &FR_PANELS,
            Self::En => &EN_PANELS,
        }
    }

    /// The offer detail's own texts of this language.
    pub fn detail_texts(self) -> &'static DetailTexts {
        match self {
            Self::Fr => &FR_DETAIL,
            Self::En => &EN_DETAIL,
        }
    }
}

/// Every text of the interface.
#[derive(Debug)]
pub struct Texts {
    /// Default heading.
    pub title: &'static str,
    /// Accessible name of the search landmark.
    pub search_region: &'static str,
    /// Label of the keyword field.
    pub keywords_label: &'static str,
    /// Placeholder of the keyword field.
    pub keywords_placeholder: &'static str,
    /// Search button.
    pub search_button: &'static str,
    /// Shown while the first search runs.
    pub loading: &'static str,
    /// `{n}` offers, singular.
    pub count_one: &'static str,
    /// `{n}` offers, plural.
    pub count_many: &'static str,
    /// No offer.
    pub count_none: &'static str,
    /// ` à moins de {rayon} km de {lieu}`.
    pub within: &'static str,
    /// ` à {lieu}` (a commune, radius 0).
    pub in_place: &'static str,
    /// ` sur le territoire de {lieu}` (an EPCI or a département).
    pub in_area: &'static str,
    /// Empty result advice.
    pub empty_advice: &'static str,
    /// Title of the results list.
    pub results_label: &'static str,
    /// Network failure.
    pub error_network: &'static str,
    /// France Travail unavailable.
    pub error_upstream: &'static str,
    /// Too many requests: `{s}` seconds.
    pub error_rate_limited: &'static str,
    /// Anything else.
    pub error_other: &'static str,
    /// Retry button.
    pub retry: &'static str,
    /// Stale results notice.
    pub stale_notice: &'static str,
    /// Load more button.
    pub more: &'static str,
    /// Cap notice.
    pub cap_notice: &'static str,
    /// `{n} km` distance label.
    pub km: &'static str,
    /// Link to France Travail on each card.
    pub view_offer: &'static str,
    /// Published label prefix.
    pub published: &'static str,
    /// Source line.
    pub source: &'static str,
    /// When the offers shown were last updated, `{date}` the date and time (the licence's
    /// "date of last update").
    pub updated_on: &'static str,
    /// The link to the offers' reuse licence.
    pub licence_link: &'static str,
    /// Months, for written-out dates.
    pub months: [&'static str; 12],
    /// Link to the notice-board print view of the current search.
    pub print_action: &'static str,
    /// Link to the Atom feed of the current search.
    pub follow_search: &'static str,
    /// Submit button of the filters on a plain page.
    pub apply_filters: &'static str,
    /// Link from an offer's page back to the search.
    pub back_to_offers: &'static str,
    /// Print view: heading, `{place}` the territory's name.
    pub print_title: &'static str,
    /// Print view: the source and update line, `{date}` the update's date and time.
    pub print_source: &'static str,
    /// Print view: under each QR code.
    pub print_scan: &'static str,
    /// Said after a link that opens a new tab, to screen readers only.
    pub new_tab: &'static str,
    /// The text alternative of an offer's QR code (`{url}`: the address it holds).
    pub print_qr: &'static str,
    /// Print view: the print button.
    pub print_button: &'static str,
    /// Heading of a plain page's error.
    pub page_error: &'static str,
    /// Label of the radius list.
    pub radius_label: &'static str,
    /// Radius 0: the commune only.
    pub radius_zero: &'static str,
    /// Filter panel summary.
    pub filters: &'static str,
    /// Contract types legend.
    pub contract_legend: &'static str,
    /// Experience list label.
    pub experience_label: &'static str,
    /// No preference.
    pub any: &'static str,
    /// Experience code 1.
    pub experience_1: &'static str,
    /// Experience code 2.
    pub experience_2: &'static str,
    /// Experience code 3.
    pub experience_3: &'static str,
    /// Working time list label.
    pub time_label: &'static str,
    /// Full time.
    pub full_time: &'static str,
    /// Part time.
    pub part_time: &'static str,
    /// Experience code D: beginners accepted.
    pub experience_d: &'static str,
    /// Work-study list label.
    pub alternance_label: &'static str,
    /// Work-study only.
    pub alternance_on: &'static str,
    /// Why the contract types are off while work-study is on.
    pub alternance_note: &'static str,
    /// Minimum weekly hours list label.
    pub hours_min_label: &'static str,
    /// Maximum weekly hours list label.
    pub hours_max_label: &'static str,
    /// `{n}` hours a week.
    pub hours: &'static str,
    /// Qualification list label.
    pub qualification_label: &'static str,
    /// Cadre.
    pub cadre: &'static str,
    /// Non-cadre.
    pub non_cadre: &'static str,
    /// Sector list label.
    pub sector_label: &'static str,
    /// Two sectors `{a}` and `{b}`.
    pub two_sectors: &'static str,
    /// Minimum salary list label.
    pub salary_label: &'static str,
    /// Salary period list label.
    pub period_label: &'static str,
    /// `{n}` euros a month.
    pub per_month: &'static str,
    /// `{n}` euros a year.
    pub per_year: &'static str,
    /// `{n}` euros an hour.
    pub per_hour: &'static str,
    /// A month.
    pub month: &'static str,
    /// A year.
    pub year: &'static str,
    /// An hour.
    pub hour: &'static str,
    /// Disability list label.
    pub handi_label: &'static str,
    /// Handi-engaged employers and adapted companies.
    pub handi_on: &'static str,
    /// Lacking candidates list label.
    pub lacking_label: &'static str,
    /// Offers lacking candidates.
    pub lacking_on: &'static str,
    /// Origin list label.
    pub origin_label: &'static str,
    /// Both origins.
    pub origin_all: &'static str,
    /// France Travail only.
    pub origin_ft: &'static str,
    /// Partners only.
    pub origin_partners: &'static str,
    /// A chip: `{l}` label, `{v}` value.
    pub chip: &'static str,
    /// Badges list label.
    pub badges: &'static str,
    /// Weekly hours `{n}` on a card.
    pub hours_week: &'static str,
    /// Publication age list label.
    pub published_label: &'static str,
    /// Published within a day.
    pub day_one: &'static str,
    /// Published within `{n}` days.
    pub days: &'static str,
    /// Sort list label.
    pub sort_label: &'static str,
    /// Sort by relevance.
    pub sort_relevance: &'static str,
    /// Sort by date.
    pub sort_date: &'static str,
    /// Sort by distance.
    pub sort_distance: &'static str,
    /// Page size list label.
    pub per_page_label: &'static str,
    /// Accessible name of the active filter list.
    pub active_filters: &'static str,
    /// Accessible name of a chip: `{f}` is the filter.
    pub remove_filter: &'static str,
    /// Reset button.
    pub reset: &'static str,
    /// Accessible hint of a card's title button.
    pub open_detail: &'static str,
    /// Close button of the detail.
    pub close: &'static str,
    /// While an offer's detail loads.
    pub detail_loading: &'static str,
    /// Apply button.
    pub apply: &'static str,
    /// Link to the offer on France Travail.
    pub view_on_ft: &'static str,
    /// Description heading.
    pub description: &'static str,
    /// Employer heading.
    pub company: &'static str,
    /// Contract fact label.
    pub fact_contract: &'static str,
    /// Working hours fact label.
    pub fact_hours: &'static str,
    /// Salary fact label.
    pub fact_salary: &'static str,
    /// Experience fact label.
    pub fact_experience: &'static str,
    /// Qualification fact label.
    pub fact_qualification: &'static str,
    /// Sector fact label.
    pub fact_sector: &'static str,
    /// Number of positions fact label.
    pub fact_positions: &'static str,
    /// Skills heading.
    pub skills: &'static str,
    /// Soft skills heading.
    pub qualities: &'static str,
    /// Training heading.
    pub training: &'static str,
    /// Languages heading.
    pub languages: &'static str,
    /// Driving licences heading.
    pub licences: &'static str,
    /// Heading of the empty-state suggestions.
    pub suggestions: &'static str,
    /// Suggestion: widen to `{n}` km.
    pub widen: &'static str,
    /// Suggestion: remove the filters.
    pub drop_filters: &'static str,
    /// Suggestion: search without keywords.
    pub drop_keywords: &'static str,
    /// Label of the place field.
    pub place_label: &'static str,
    /// Placeholder of the place field.
    pub place_hint: &'static str,
    /// Accessible name of the place suggestions.
    pub places: &'static str,
    /// Accessible name of the métier suggestions of the keywords field.
    pub metiers: &'static str,
    /// The chip of a chosen métier (`{m}`: its label).
    pub metier_chip: &'static str,
    /// Suffix of an EPCI in the suggestions.
    pub epci: &'static str,
    /// Suffix of a département in the suggestions.
    pub departement: &'static str,
    /// Link to the same search on France Travail.
    pub same_search_on_ft: &'static str,
    /// Published today.
    pub today: &'static str,
    /// Published yesterday.
    pub yesterday: &'static str,
    /// `{n}` days ago (2 to 6).
    pub days_ago: &'static str,
    /// One week ago.
    pub last_week: &'static str,
    /// `{n}` weeks ago.
    pub weeks_ago: &'static str,
    /// One month ago.
    pub last_month: &'static str,
    /// `{n}` months ago.
    pub months_ago: &'static str,
    /// Between a text and its value (French typography puts a space before the colon).
    pub colon: &'static str,
    /// The detail could not be loaded.
    pub detail_error: &'static str,
}

static FR: Texts = Texts {
    title: "Offres d'emploi près de chez vous",
    search_region: "Rechercher une offre d'emploi",
    keywords_label: "Métier, mots-clés",
    keywords_placeholder: "ex. boulanger, aide-soignant",
    search_button: "Rechercher",
    loading: "Recherche des offres…",
    count_one: "{n} offre",
    count_many: "{n} offres",
    count_none: "Aucune offre",
    within: " à moins de {rayon} km de {lieu}",
    in_place: " à {lieu}",
    in_area: " sur le territoire : {lieu}",
    empty_advice: "Essayez d'autres mots-clés ou élargissez la zone de recherche.",
    results_label: "Résultats de la recherche",
    error_network: "Impossible de joindre le service. Vérifiez votre connexion internet puis réessayez.",
    error_upstream: "Le service de France Travail ne répond pas pour le moment. Réessayez dans quelques instants.",
    error_rate_limited: "Trop de recherches en peu de temps. Réessayez dans {s} secondes.",
    error_other: "La recherche n'a pas abouti.",
    retry: "Réessayer",
    stale_notice: "France Travail ne répond pas : ces résultats datent de la dernière recherche réussie.",
    more: "Afficher plus d'offres",
    cap_notice: "France Travail n'affiche que les 3 150 premières offres : affinez votre recherche pour voir les autres.",
    km: "{n} km",
    view_offer: "Voir l'offre",
    published: "Publiée",
    source: "Offres France Travail",
    updated_on: "mises à jour le {date}",
    licence_link: "Licence de réutilisation",
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    print_action: "Imprimer / afficher en mairie",
    follow_search: "Suivre cette recherche (flux Atom)",
    apply_filters: "Appliquer les filtres",
    back_to_offers: "Retour aux offres",
    print_title: "Offres d'emploi : {place}",
    print_source: "Source : France Travail, offres mises à jour le {date}. Toutes les offres sur francetravail.fr.",
    print_scan: "Scannez pour lire l'offre et postuler",
    new_tab: " (nouvel onglet)",
    print_qr: "Code QR de l'adresse de l'offre : {url}",
    print_button: "Imprimer",
    page_error: "Cette page ne peut pas s'afficher",
    radius_label: "Rayon",
    radius_zero: "Commune seule",
    filters: "Filtres",
    contract_legend: "Type de contrat",
    experience_label: "Expérience",
    any: "Indifférent",
    experience_1: "Moins d'un an",
    experience_2: "1 à 3 ans",
    experience_3: "Plus de 3 ans",
    time_label: "Temps de travail",
    full_time: "Temps plein",
    part_time: "Temps partiel",
    experience_d: "Débutant accepté",
    alternance_label: "Alternance",
    alternance_on: "Alternance uniquement (apprentissage, professionnalisation)",
    alternance_note: "L'alternance remplace les types de contrat : France Travail ne sait pas chercher les deux à la fois.",
    hours_min_label: "Heures par semaine, au moins",
    hours_max_label: "Heures par semaine, au plus",
    hours: "{n} h",
    qualification_label: "Statut",
    cadre: "Cadre",
    non_cadre: "Non-cadre",
    sector_label: "Secteur d'activité",
    two_sectors: "{a} ou {b}",
    salary_label: "Salaire minimum",
    period_label: "Période du salaire",
    per_month: "{n} € par mois",
    per_year: "{n} € par an",
    per_hour: "{n} € de l'heure",
    month: "Par mois",
    year: "Par an",
    hour: "De l'heure",
    handi_label: "Handicap",
    handi_on: "Employeurs handi-engagés et entreprises adaptées",
    lacking_label: "Candidats",
    lacking_on: "Offres qui manquent de candidats",
    origin_label: "Offres publiées par",
    origin_all: "France Travail et ses partenaires",
    origin_ft: "France Travail seulement",
    origin_partners: "Sites partenaires seulement",
    chip: "{l} : {v}",
    badges: "Points à noter",
    hours_week: "{n}/semaine",
    published_label: "Publiée depuis",
    day_one: "moins de 24 h",
    days: "moins de {n} jours",
    sort_label: "Trier par",
    sort_relevance: "Pertinence",
    sort_date: "Date de publication",
    sort_distance: "Distance",
    per_page_label: "Offres par page",
    active_filters: "Filtres actifs",
    remove_filter: "Retirer le filtre : {f}",
    reset: "Réinitialiser les filtres",
    open_detail: "Voir le détail de l'offre",
    close: "Fermer",
    detail_loading: "Chargement de l'offre…",
    apply: "Postuler",
    view_on_ft: "Voir l'offre sur francetravail.fr",
    description: "Description du poste",
    company: "L'entreprise",
    fact_contract: "Contrat",
    fact_hours: "Durée du travail",
    fact_salary: "Salaire",
    fact_experience: "Expérience",
    fact_qualification: "Qualification",
    fact_sector: "Secteur",
    fact_positions: "Postes",
    skills: "Compétences",
    qualities: "Qualités professionnelles",
    training: "Formation",
    languages: "Langues",
    licences: "Permis",
    suggestions: "Pour trouver des offres :",
    widen: "Élargir à {n} km",
    drop_filters: "Retirer les filtres",
    drop_keywords: "Chercher sans mots-clés",
    colon: " : ",
    today: "aujourd’hui",
    yesterday: "hier",
    days_ago: "il y a {n} jours",
    last_week: "la semaine dernière",
    weeks_ago: "il y a {n} semaines",
    last_month: "le mois dernier",
    months_ago: "il y a {n} mois",
    place_label: "Lieu",
    place_hint: "Commune, code postal, intercommunalité…",
    places: "Lieux proposés",
    metiers: "Métiers proposés",
    metier_chip: "Métier : {m}",
    epci: "intercommunalité",
    departement: "département",
    same_search_on_ft: "Voir la même recherche sur francetravail.fr",
    detail_error: "Impossible d'afficher cette offre.",
};

static EN: Texts = Texts {
    title: "Job offers near you",
    search_region: "Search job offers",
    keywords_label: "Job, keywords",
    keywords_placeholder: "e.g. baker, care assistant",
    search_button: "Search",
    loading: "Searching for offers…",
    count_one: "{n} offer",
    count_many: "{n} offers",
    count_none: "No offers",
    within: " within {rayon} km of {lieu}",
    in_place: " in {lieu}",
    in_area: " in {lieu}",
    empty_advice: "Try other keywords or widen the search area.",
    results_label: "Search results",
    error_network: "The service cannot be reached. Check your internet connection and try again.",
    error_upstream: "The France Travail service is not answering right now. Please try again shortly.",
    error_rate_limited: "Too many searches in a short time. Try again in {s} seconds.",
    error_other: "The search did not succeed.",
    retry: "Try again",
    stale_notice: "France Travail is not answering: these results come from the last successful search.",
    more: "Show more offers",
    cap_notice: "France Travail only shows the first 3,150 offers: refine your search to see the others.",
    km: "{n} km",
    view_offer: "View the offer",
    published: "Published",
    source: "France Travail offers",
    updated_on: "updated {date}",
    licence_link: "Reuse licence",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    print_action: "Print / post at the town hall",
    follow_search: "Follow this search (Atom feed)",
    apply_filters: "Apply the filters",
    back_to_offers: "Back to the offers",
    print_title: "Job offers: {place}",
    print_source: "Source: France Travail, offers updated {date}. Every offer on francetravail.fr.",
    print_scan: "Scan to read the offer and apply",
    new_tab: " (new tab)",
    print_qr: "QR code of the offer's address: {url}",
    print_button: "Print",
    page_error: "This page cannot be shown",
    radius_label: "Radius",
    radius_zero: "Commune only",
    filters: "Filters",
    contract_legend: "Contract type",
    experience_label: "Experience",
    any: "Any",
    experience_1: "Under a year",
    experience_2: "1 to 3 years",
    experience_3: "Over 3 years",
    time_label: "Working time",
    full_time: "Full time",
    part_time: "Part time",
    experience_d: "Beginners accepted",
    alternance_label: "Work-study",
    alternance_on: "Work-study only (apprenticeship, professionalisation)",
    alternance_note: "Work-study replaces the contract types: France Travail cannot search for both at once.",
    hours_min_label: "Hours a week, at least",
    hours_max_label: "Hours a week, at most",
    hours: "{n} h",
    qualification_label: "Level",
    cadre: "Managerial (cadre)",
    non_cadre: "Non-managerial",
    sector_label: "Sector",
    two_sectors: "{a} or {b}",
    salary_label: "Minimum salary",
    period_label: "Salary period",
    per_month: "€{n} a month",
    per_year: "€{n} a year",
    per_hour: "€{n} an hour",
    month: "A month",
    year: "A year",
    hour: "An hour",
    handi_label: "Disability",
    handi_on: "Disability-committed employers and adapted companies",
    lacking_label: "Candidates",
    lacking_on: "Offers lacking candidates",
    origin_label: "Offers published by",
    origin_all: "France Travail and its partners",
    origin_ft: "France Travail only",
    origin_partners: "Partner sites only",
    chip: "{l}: {v}",
    badges: "Worth knowing",
    hours_week: "{n} a week",
    published_label: "Published within",
    day_one: "the last 24 hours",
    days: "the last {n} days",
    sort_label: "Sort by",
    sort_relevance: "Relevance",
    sort_date: "Publication date",
    sort_distance: "Distance",
    per_page_label: "Offers per page",
    active_filters: "Active filters",
    remove_filter: "Remove the filter: {f}",
    reset: "Reset filters",
    open_detail: "See the offer's details",
    close: "Close",
    detail_loading: "Loading the offer…",
    apply: "Apply",
    view_on_ft: "See the offer on francetravail.fr",
    description: "Job description",
    company: "The employer",
    fact_contract: "Contract",
    fact_hours: "Working hours",
    fact_salary: "Salary",
    fact_experience: "Experience",
    fact_qualification: "Qualification",
    fact_sector: "Sector",
    fact_positions: "Positions",
    skills: "Skills",
    qualities: "Soft skills",
    training: "Training",
    languages: "Languages",
    licences: "Driving licences",
    suggestions: "To find offers:",
    widen: "Widen to {n} km",
    drop_filters: "Remove the filters",
    drop_keywords: "Search without keywords",
    colon: ": ",
    today: "today",
    yesterday: "yesterday",
    days_ago: "{n} days ago",
    last_week: "last week",
    weeks_ago: "{n} weeks ago",
    last_month: "last month",
    months_ago: "{n} months ago",
    place_label: "Place",
    place_hint: "Town, postcode, intercommunality…",
    places: "Suggested places",
    metiers: "Suggested jobs",
    metier_chip: "Job: {m}",
    epci: "intercommunality",
    departement: "département",
    same_search_on_ft: "See the same search on francetravail.fr",
    detail_error: "This offer cannot be shown.",
};

/// The texts of an offer's detail that its card does not use: the rest of what France Travail
/// gives for the offer, all of which the offers licence asks to show. Apart from [`Texts`], as
/// [`PanelTexts`] are, so that they are data of the detail's chunk in the browser.
#[derive(Debug)]
pub struct DetailTexts {
    /// The métier as the employer names it, fact label.
    pub appellation: &'static str,
    /// Nature of the contract, fact label.
    pub nature: &'static str,
    /// Travel, fact label.
    pub travel: &'static str,
    /// Headcount of the establishment, fact label.
    pub headcount: &'static str,
    /// Working hours heading.
    pub hours: &'static str,
    /// Conditions of the job heading.
    pub conditions: &'static str,
    /// What comes with the salary, heading.
    pub benefits: &'static str,
    /// Office software heading.
    pub software: &'static str,
    /// The recruiter's contact heading.
    pub contact: &'static str,
    /// Link to the recruiter's site.
    pub recruiter_site: &'static str,
    /// The France Travail agency heading.
    pub agency: &'static str,
    /// Heading of the partner sites an offer comes from.
    pub partners: &'static str,
    /// When France Travail last updated the offer, fact label.
    pub updated: &'static str,
    /// Open to disabled workers, fact label.
    pub accessible_th: &'static str,
    /// Yes, as a fact's value.
    pub yes: &'static str,
}

static FR_DETAIL: DetailTexts = DetailTexts {
    appellation: "Métier",
    nature: "Nature du contrat",
    travel: "Déplacements",
    headcount: "Effectif de l'établissement",
    hours: "Horaires",
    conditions: "Conditions d'exercice",
    benefits: "Avantages",
    software: "Outils bureautiques",
    contact: "Contact",
    recruiter_site: "Site du recruteur",
    agency: "Agence France Travail",
    partners: "Offre diffusée par",
    updated: "Actualisée le",
    accessible_th: "Ouverte aux travailleurs handicapés",
    yes: "Oui",
};

static EN_DETAIL: DetailTexts = DetailTexts {
    appellation: "Occupation",
    nature: "Type of contract",
    travel: "Travel",
    headcount: "Size of the establishment",
    hours: "Working hours",
    conditions: "Working conditions",
    benefits: "Benefits",
    software: "Office software",
    contact: "Contact",
    recruiter_site: "Recruiter's site",
    agency: "France Travail agency",
    partners: "Offer published by",
    updated: "Updated on",
    accessible_th: "Open to disabled workers",
    yes: "Yes",
};

/// The texts of the panels beside the search (the market overview, the official figures, the
/// events). Apart from [`Texts`] so that, in the browser, they are data of the panels' chunks
/// (wasm-split moves data that only a chunk's code reaches), not of the module every widget
/// loads.
#[derive(Debug)]
pub struct PanelTexts {
    /// Weekdays, from Monday.
    pub weekdays: [&'static str; 7],
    /// Heading of the events panel.
    pub events_title: &'static str,
    /// An event attended online only.
    pub events_online: &'static str,
    /// An event attended on site or online.
    pub events_both: &'static str,
    /// Organiser, before its name.
    pub events_by: &'static str,
    /// `{n}` places left.
    pub events_places: &'static str,
    /// Link to register, on France Travail's page.
    pub events_register: &'static str,
    /// Link to add an event to a calendar (an `.ics` file).
    pub events_add: &'static str,
    /// Link to subscribe to the territory's events.
    pub events_subscribe: &'static str,
    /// Link to the events poster for a notice board.
    pub events_poster: &'static str,
    /// The QR code of an event's registration page: `{url}`.
    pub events_qr: &'static str,
    /// No coming event.
    pub events_none: &'static str,
    /// The events' source.
    pub events_source: &'static str,
    /// Heading of the official figures.
    pub figures_title: &'static str,
    /// Category A job seekers.
    pub figures_seekers: &'static str,
    /// Hires in the quarter.
    pub figures_hires: &'static str,
    /// Heading of the recruitment difficulty.
    pub figures_tension: &'static str,
    /// Caption of the difficulty's table.
    pub figures_tension_caption: &'static str,
    /// Column of the métier.
    pub figures_job: &'static str,
    /// Column of the score.
    pub figures_score: &'static str,
    /// The five difficulty levels, 1 to 5.
    pub figures_levels: [&'static str; 5],
    /// The levels France Travail publishes at: EPCI, DEP, REG, NAT.
    pub figures_scopes: [&'static str; 4],
    /// Where, when and from whom a figure is: `{source}`, `{territoire}`, `{niveau}`,
    /// `{periode}`, `{maj}`.
    pub figures_note: &'static str,
    /// Heading of the market panel.
    pub market_title: &'static str,
    /// Contract split heading.
    pub market_contracts: &'static str,
    /// Top jobs heading.
    pub market_jobs: &'static str,
    /// Sample note: `{n}` offers.
    pub market_sample: &'static str,
}

static FR_PANELS: PanelTexts = PanelTexts {
    weekdays: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    events_title: "Événements emploi à venir",
    events_online: "En ligne",
    events_both: "Sur place ou en ligne",
    events_by: "Organisé par",
    events_places: "{n} places restantes",
    events_register: "S'inscrire",
    events_add: "Ajouter à mon agenda",
    events_subscribe: "S'abonner aux événements (iCalendar)",
    events_poster: "Imprimer l'affiche des événements",
    events_qr: "Code QR de la page d'inscription : {url}",
    events_none: "Aucun événement emploi annoncé près d'ici pour le moment.",
    events_source: "Source : France Travail, Mes événements emploi.",
    figures_title: "Chiffres officiels",
    figures_seekers: "Demandeurs d'emploi (catégorie A)",
    figures_hires: "Embauches sur le trimestre",
    figures_tension: "Difficulté de recrutement des métiers les plus recherchés",
    figures_tension_caption: "Difficulté de recrutement, de 1 (faible) à 5 (très forte)",
    figures_job: "Métier",
    figures_score: "Difficulté",
    figures_levels: ["faible", "modérée", "moyenne", "forte", "très forte"],
    figures_scopes: ["intercommunalité", "département", "région", "France"],
    figures_note: "Source : {source} · {territoire} ({niveau}) · {periode} · mis à jour le {maj}",
    market_title: "Le marché de l'emploi local",
    market_contracts: "Offres par type de contrat",
    market_jobs: "Métiers les plus recherchés",
    market_sample: "Métiers comptés sur les {n} offres les plus récentes.",
};

static EN_PANELS: PanelTexts = PanelTexts {
    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    events_title: "Coming job events",
    events_online: "Online",
    events_both: "On site or online",
    events_by: "Organised by",
    events_places: "{n} places left",
    events_register: "Register",
    events_add: "Add to my calendar",
    events_subscribe: "Subscribe to the events (iCalendar)",
    events_poster: "Print the events poster",
    events_qr: "QR code of the registration page: {url}",
    events_none: "No job event announced near here for now.",
    events_source: "Source: France Travail, Mes événements emploi.",
    figures_title: "Official figures",
    figures_seekers: "Job seekers (category A)",
    figures_hires: "Hires in the quarter",
    figures_tension: "Recruitment difficulty of the most wanted jobs",
    figures_tension_caption: "Recruitment difficulty, from 1 (low) to 5 (very high)",
    figures_job: "Job",
    figures_score: "Difficulty",
    figures_levels: ["low", "moderate", "medium", "high", "very high"],
    figures_scopes: ["intermunicipality", "département", "région", "France"],
    figures_note: "Source: {source} · {territoire} ({niveau}) · {periode} · updated {maj}",
    market_title: "The local job market",
    market_contracts: "Offers by contract type",
    market_jobs: "Most wanted jobs",
    market_sample: "Jobs counted over the {n} most recent offers.",
};

impl Lang {
    /// The name of a contract type code (the code itself when unknown).
    pub fn contract(self, code: &str) -> String {
        emploi_types::recherche::TypeContrat::from_code(code).map_or_else(
            || code.to_owned(),
            |t| {
                let (fr, en) = t.names();
                if self == Self::Fr { fr.to_owned() } else { en.to_owned() }
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_language_tags() {
        assert_eq!(Lang::parse("fr"), Some(Lang::Fr));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("EN_us"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn contract_codes_have_names_in_both_languages() {
        assert_eq!(Lang::Fr.contract("MIS"), "Intérim");
        assert_eq!(Lang::En.contract("SAI"), "Seasonal");
        assert_eq!(Lang::Fr.contract("XYZ"), "XYZ");
    }
}
