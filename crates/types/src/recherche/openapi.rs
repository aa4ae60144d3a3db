//! The parameters in the OpenAPI document: names, descriptions and schemas written from the
//! constants and values the code checks with.

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
            Param::Alternance => "true: work-study offers only (apprenticeship and \
                professionalisation, France Travail's natureContrat E2,FS). France Travail ORs \
                it with contract types, so it does not go with types_contrat (a 422)"
                .to_owned(),
            Param::HeuresMin => format!("At least this many hours a week (1 to {MAX_HEURES})"),
            Param::HeuresMax => format!(
                "At most this many hours a week (1 to {MAX_HEURES}); not below heures_min (a 422 \
                 otherwise)"
            ),
            Param::Qualification => "cadre or non-cadre".to_owned(),
            Param::Secteurs => format!(
                "The employer's sector: up to {MAX_SECTEURS} NAF rév. 2 divisions, \
                 comma-separated (86,87)"
            ),
            Param::SalaireMin => "Minimum salary in euros, per periode_salaire; the two go \
                together (a 422 otherwise)"
                .to_owned(),
            Param::PeriodeSalaire => "The period of salaire_min".to_owned(),
            Param::HandiEngage => "true: only employers committed to disabled workers \
                (handi-engagés) and adapted companies (entreprises adaptées)"
                .to_owned(),
            Param::ManqueCandidats => "true: only offers that lack candidates (France Travail: \
                over 15 days old with under 4 applications)"
                .to_owned(),
            Param::Origine => {
                "Whose offers: toutes (default), france-travail, or partenaires".to_owned()
            }
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
                return Schema::Array(ArrayBuilder::new().items(items).min_items(Some(1)).build());
            }
            Param::Experience => one_of(Type::String, Experience::ALL.map(Experience::code)),
            Param::TempsPlein | Param::Alternance | Param::HandiEngage | Param::ManqueCandidats => {
                ObjectBuilder::new().schema_type(SchemaType::Type(Type::Boolean))
            }
            Param::HeuresMin | Param::HeuresMax => whole(1, MAX_HEURES),
            Param::SalaireMin => whole(1, MAX_SALAIRE),
            Param::Qualification => {
                one_of(Type::String, Qualification::ALL.map(Qualification::code))
            }
            Param::PeriodeSalaire => {
                one_of(Type::String, PeriodeSalaire::ALL.map(PeriodeSalaire::code))
            }
            Param::Origine => one_of(Type::String, Origine::ALL.map(Origine::code))
                .default(Some(Origine::default().code().into())),
            Param::Secteurs => {
                let items = one_of(Type::String, SECTEURS.map(|s| s.0));
                return Schema::Array(
                    ArrayBuilder::new()
                        .items(items)
                        .min_items(Some(1))
                        .max_items(Some(MAX_SECTEURS))
                        .build(),
                );
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
        if matches!(self, Param::TypesContrat | Param::Secteurs) {
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
