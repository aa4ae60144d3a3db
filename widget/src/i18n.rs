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
};

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
}
