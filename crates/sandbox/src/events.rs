//! *Mes événements emploi*: a deterministic agenda of job datings, forums, information meetings,
//! workshops, company visits and online fairs in real communes, and its search as France
//! Travail's `POST /mee/evenements` answers it (spec part A).
//!
//! Each event is a small [`Event`]; its France Travail object is rendered on demand, so the same
//! seed gives byte-identical answers.

use emploi_territory::{Referentiel, distance_km};
use emploi_types::ft::evenements::{Evenement, PAGE_EVENEMENT, PageEvenements, TYPES};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use time::{Date, Duration, Month, OffsetDateTime, UtcOffset, Weekday};

use crate::catalogue::pick_weighted;

/// How many events the agenda holds, spread from 30 days before the clock to 90 days after:
/// about 75 a day, which puts some 9,000 ahead of the clock, in line with the 13,000 France
/// Travail lists nationwide at a time (spec A, one client's count).
pub const EVENTS: usize = 12_000;
/// Days of the agenda before the clock.
const DAYS_BEFORE: i64 = 30;
/// Days of the agenda after the clock.
const DAYS_AFTER: i64 = 90;
/// Page size when `size` is not given.
pub const SIZE_DEFAULT: u32 = 20;
/// Largest page.
pub const SIZE_MAX: u32 = 100;

/// ROME grands domaines, the events' `secteurActivite`.
pub const SECTEURS: [(char, &str); 14] = [
    ('A', "agriculture, pêche et espaces naturels"),
    ('B', "arts et façonnage d'ouvrages d'art"),
    ('C', "banque, assurance et immobilier"),
    ('D', "commerce, vente et grande distribution"),
    ('E', "communication, média et multimédia"),
    ('F', "construction, bâtiment et travaux publics"),
    ('G', "hôtellerie, restauration, tourisme et animation"),
    ('H', "industrie"),
    ('I', "installation et maintenance"),
    ('J', "santé"),
    ('K', "services à la personne et à la collectivité"),
    ('L', "spectacle"),
    ('M', "support à l'entreprise"),
    ('N', "transport et logistique"),
];

/// Share of each type of [`TYPES`], in per mille: information meetings and workshops first, then
/// job datings; forums, visits, online fairs and conferences are rarer.
const TYPE_SHARES: [u32; 8] = [300, 80, 40, 250, 50, 200, 70, 10];

/// Who organises an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Organiser {
    Agence,
    MissionLocale,
    CapEmploi,
    Commune,
}

/// One event of the agenda.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) id: u64,
    /// Index into the referential's communes.
    commune: u32,
    /// Index into [`TYPES`].
    kind: u8,
    /// Start, Unix seconds.
    pub(crate) start: i64,
    minutes: u16,
    on_site: bool,
    remote: bool,
    /// Indices into [`SECTEURS`]; empty for an event open to every sector.
    secteurs: Vec<u8>,
    organiser: Organiser,
    places: u16,
    registered: u16,
    variant: u8,
}

/// The agenda, in date order.
#[derive(Debug)]
pub(crate) struct Agenda {
    pub(crate) events: Vec<Event>,
}

impl Agenda {
    /// Draws the agenda from `seed` around the clock `now`, in communes weighted by population
    /// (towns of 2,000 inhabitants or more, where agencies and missions locales meet people).
    pub(crate) fn generate(seed: u64, now: i64, referentiel: &Referentiel) -> Self {
        let communes = referentiel.communes();
        let mut cumulative = Vec::new();
        let mut candidates = Vec::new();
        let mut total = 0u64;
        for (i, c) in communes.iter().enumerate() {
            if Referentiel::is_split_city(&c.code)
                || c.coords().is_none()
                || c.population < 2_000
                || c.codes_postaux.is_empty()
            {
                continue;
            }
            total += u64::from(c.population);
            cumulative.push(total);
            candidates.push(u32::try_from(i).unwrap_or(0));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x00E7_E7E7);
        let today = day_of(now);
        let mut events = Vec::with_capacity(EVENTS);
        for n in 0..EVENTS {
            let draw = rng.random_range(0..total.max(1));
            let commune = candidates[cumulative.partition_point(|&c| c <= draw)];
            let kind = pick_weighted(&mut rng, TYPE_SHARES);
            let code = TYPES[usize::from(kind)].0;
            // Weekdays only, at one of the usual hours, local time.
            let mut day = today + Duration::days(rng.random_range(-DAYS_BEFORE..=DAYS_AFTER));
            while matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
                day += Duration::days(1);
            }
            let (hour, minute) =
                [(9, 0), (9, 30), (10, 0), (13, 30), (14, 0), (14, 30)][rng.random_range(0..6)];
            let minutes: u16 = match code {
                14 | 17 => [180, 240, 300][rng.random_range(0..3)],
                18 => [120, 150, 180][rng.random_range(0..3)],
                _ => [60, 90, 120, 180][rng.random_range(0..4)],
            };
            let departement = &communes[commune as usize].departement;
            let local = day.with_hms(hour, minute, 0).unwrap_or(day.midnight()).assume_utc();
            let start =
                local.unix_timestamp() - i64::from(offset_at(departement, local).whole_seconds());
            let remote =
                code == 17 || (matches!(code, 13 | 15 | 16) && rng.random_range(0..5) == 0);
            let on_site = code != 17 && (!remote || rng.random_range(0..4) == 0);
            let secteurs: Vec<u8> = if matches!(code, 14 | 15) && rng.random_range(0..2) == 0 {
                Vec::new()
            } else {
                let first = rng.random_range(0..14u8);
                let mut list = vec![first];
                if rng.random_range(0..4) == 0 {
                    let second = rng.random_range(0..14u8);
                    if second != first {
                        list.push(second);
                    }
                }
                list
            };
            let organiser = match rng.random_range(0..100) {
                0..60 => Organiser::Agence,
                60..80 => Organiser::MissionLocale,
                80..90 => Organiser::CapEmploi,
                _ => Organiser::Commune,
            };
            let places: u16 = match code {
                14 => [0, 200, 300, 500][rng.random_range(0..4)],
                18 => rng.random_range(15..=60),
                _ => rng.random_range(8..=30),
            };
            let days_ahead = (day - today).whole_days();
            let filled = if days_ahead < 0 { 1.0 } else { 1.0 - days_ahead as f64 / 100.0 };
            let registered = (f64::from(places) * filled * rng.random_range(0.3..1.0)) as u16;
            events.push(Event {
                id: 410_000 + n as u64,
                commune,
                kind,
                start,
                minutes,
                on_site,
                remote,
                secteurs,
                organiser,
                places,
                registered: registered.min(places),
                variant: rng.random_range(0..3),
            });
        }
        events.sort_by_key(|e| (e.start, e.id));
        Self { events }
    }

    /// The event with id `id`.
    pub(crate) fn get(&self, id: u64) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }
}

/// A search of the agenda, read from the JSON criteria and the paging of the query string.
#[derive(Debug, Default)]
pub(crate) struct Criteres {
    codes_postaux: Option<Vec<String>>,
    departements: Option<Vec<String>>,
    debut: Option<Date>,
    fin: Option<Date>,
    kind: Option<u8>,
    /// `true`: on site; `false`: remote.
    on_site: Option<bool>,
    secteur: Option<u8>,
    around: Option<((f64, f64), f64)>,
    descending: bool,
    page: u32,
    size: u32,
}

/// A refused search: the message of the 400 body.
#[derive(Debug)]
pub(crate) struct Refus(pub(crate) String);

impl Criteres {
    /// Reads the criteria body and the query's `page`, `size` and `sort`. Unknown fields are
    /// ignored; a wrong value of a known one is a 400.
    pub(crate) fn read(body: &Value, query: &[(String, String)]) -> Result<Self, Refus> {
        let Some(body) = body.as_object() else {
            return Err(Refus("Le corps de la requête doit être un objet JSON.".to_owned()));
        };
        let param = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let number = |name: &str, default: u32| match param(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<u32>()
                .map_err(|_| Refus(format!("Le paramètre {name} doit être un entier positif."))),
        };
        let size = number("size", SIZE_DEFAULT)?;
        if size == 0 {
            return Err(Refus("Le paramètre size doit être au moins 1.".to_owned()));
        }
        let mut c =
            Criteres { page: number("page", 0)?, size: size.min(SIZE_MAX), ..Criteres::default() };
        match param("sort") {
            None | Some("dateEvenement" | "dateEvenement,asc") => {}
            Some("dateEvenement,desc") => c.descending = true,
            Some(other) => return Err(Refus(format!("Tri inconnu : {other}."))),
        }
        let list = |name: &str| -> Result<Option<Vec<String>>, Refus> {
            match body.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .map(Some)
                    .ok_or_else(|| Refus(format!("{name} doit être une liste de chaînes."))),
                Some(_) => {
                    Err(Refus(format!("{name} doit être une liste, même pour une seule valeur.")))
                }
            }
        };
        c.codes_postaux = list("codePostal")?;
        c.departements = list("departements")?;
        let date = |name: &str| -> Result<Option<Date>, Refus> {
            match body.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => {
                    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
                        .map(Some)
                        .map_err(|_| {
                            Refus(format!("{name} doit être une date au format AAAA-MM-JJ."))
                        })
                }
                Some(_) => Err(Refus(format!("{name} doit être une date au format AAAA-MM-JJ."))),
            }
        };
        c.debut = date("dateDebut")?;
        c.fin = date("dateFin")?;
        c.kind = match body.get("typeEvenement") {
            None | Some(Value::Null) => None,
            Some(v) => {
                // A number or a numeric string, as clients send both.
                let code = v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
                let kind =
                    code.and_then(|code| TYPES.iter().position(|(c, _)| u64::from(*c) == code));
                Some(
                    kind.and_then(|k| u8::try_from(k).ok())
                        .ok_or_else(|| Refus(format!("typeEvenement inconnu : {v}.")))?,
                )
            }
        };
        c.on_site = match body.get("modalite").and_then(Value::as_str) {
            None => None,
            Some("ENPHY") => Some(true),
            Some("ADIST") => Some(false),
            Some(other) => {
                return Err(Refus(format!("modalite inconnue : {other} (ENPHY ou ADIST).")));
            }
        };
        c.secteur = match body.get("secteurActivite").and_then(Value::as_str) {
            None => None,
            Some(letter) => Some(
                SECTEURS
                    .iter()
                    .position(|(l, _)| letter.len() == 1 && letter.starts_with(*l))
                    .and_then(|i| u8::try_from(i).ok())
                    .ok_or_else(|| Refus(format!("secteurActivite inconnu : {letter} (A à N).")))?,
            ),
        };
        let coordinate = |name: &str| body.get(name).and_then(Value::as_f64);
        if let (Some(lat), Some(lon), Some(rayon)) =
            (coordinate("latitude"), coordinate("longitude"), coordinate("rayon"))
        {
            c.around = Some(((lat, lon), rayon));
        }
        Ok(c)
    }

    fn matches(&self, e: &Event, referentiel: &Referentiel) -> bool {
        let commune = &referentiel.communes()[e.commune as usize];
        if let Some(codes) = &self.codes_postaux
            && !codes.iter().any(|c| commune.codes_postaux.first() == Some(&compact(c)))
        {
            return false;
        }
        if let Some(deps) = &self.departements
            && !deps.iter().any(|d| d == commune.departement.as_str())
        {
            return false;
        }
        let day = local_day(e, &commune.departement);
        if self.debut.is_some_and(|d| day < d) || self.fin.is_some_and(|d| day > d) {
            return false;
        }
        if self.kind.is_some_and(|k| k != e.kind) {
            return false;
        }
        match self.on_site {
            Some(true) if !e.on_site => return false,
            Some(false) if !e.remote => return false,
            _ => {}
        }
        if let Some(s) = self.secteur
            && !e.secteurs.is_empty()
            && !e.secteurs.contains(&s)
        {
            return false;
        }
        if let Some((centre, rayon)) = self.around
            && commune.coords().is_none_or(|c| distance_km(centre, c) > rayon)
        {
            return false;
        }
        true
    }
}

fn compact(s: &str) -> compact_str::CompactString {
    compact_str::CompactString::from(s.trim())
}

/// The page of the agenda `c` asks for.
pub(crate) fn search(agenda: &Agenda, referentiel: &Referentiel, c: &Criteres) -> PageEvenements {
    let found: Vec<&Event> = agenda.events.iter().filter(|e| c.matches(e, referentiel)).collect();
    let total = found.len();
    let start = (c.page as usize).saturating_mul(c.size as usize);
    let page: Vec<Evenement> = if c.descending {
        found
            .iter()
            .rev()
            .skip(start)
            .take(c.size as usize)
            .map(|e| render(e, referentiel))
            .collect()
    } else {
        found.iter().skip(start).take(c.size as usize).map(|e| render(e, referentiel)).collect()
    };
    PageEvenements { total_elements: total as u64, content: page }
}

/// France Travail's object for `e`.
pub(crate) fn render(e: &Event, referentiel: &Referentiel) -> Evenement {
    let commune = &referentiel.communes()[e.commune as usize];
    let (code, label) = TYPES[usize::from(e.kind)];
    let ville = commune.nom.to_string();
    let secteur = e.secteurs.first().map(|&s| SECTEURS[usize::from(s)].1);
    let departement = referentiel
        .departement(&commune.departement)
        .map_or_else(|| commune.departement.to_string(), |d| d.nom.to_string());
    let titre = title(code, e.variant, secteur, &ville, &departement);
    let (organisateur, etablissement) = match e.organiser {
        Organiser::Agence => {
            (format!("France Travail {ville}"), format!("Agence France Travail {ville}"))
        }
        Organiser::MissionLocale => {
            (format!("Mission locale de {ville}"), format!("Mission locale de {ville}"))
        }
        Organiser::CapEmploi => {
            (format!("Cap emploi {departement}"), format!("Cap emploi {departement}"))
        }
        Organiser::Commune => (format!("Ville de {ville}"), "Salle des fêtes".to_owned()),
    };
    let start = OffsetDateTime::from_unix_timestamp(e.start).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let end = start + Duration::minutes(i64::from(e.minutes));
    let hms = |t: OffsetDateTime| format!("{:02}:{:02}:00", t.hour(), t.minute());
    let mut modalites = Vec::new();
    if e.on_site {
        modalites.push("en physique".to_owned());
    }
    if e.remote {
        modalites.push("à distance".to_owned());
    }
    let (presentiel, distance) = match (e.on_site, e.remote) {
        (true, false) => (e.places, 0),
        (false, true) => (0, e.places),
        _ => (e.places / 2 + e.places % 2, e.places / 2),
    };
    let inscrits_presentiel = e.registered.min(presentiel);
    let (lat, lon) = commune.coords().unzip();
    Evenement {
        id: e.id,
        titre,
        description: description(code, secteur, &ville),
        deroulement: Some(programme(code).to_owned()),
        type_libelle: label.to_owned(),
        date_evenement: format!(
            "{:04}-{:02}-{:02}T{}.000+00:00",
            start.year(),
            u8::from(start.month()),
            start.day(),
            hms(start)
        ),
        heure_debut: hms(start),
        heure_fin: hms(end),
        timezone: Some(time_zone(&commune.departement).to_owned()),
        ville,
        code_postal: commune.codes_postaux.first().map(ToString::to_string).unwrap_or_default(),
        code_insee: Some(commune.code.to_string()),
        latitude: lat,
        longitude: lon,
        modalites,
        objectifs: vec![
            match code {
                18 | 14 | 17 => "Recruter",
                16 => "Préparer sa candidature",
                31 => "Découvrir un métier",
                _ => "S'informer",
            }
            .to_owned(),
        ],
        publics: vec![
            match e.organiser {
                Organiser::MissionLocale => "Jeunes de 16 à 25 ans",
                Organiser::CapEmploi => "Personnes en situation de handicap",
                _ => "Ouvert à tous",
            }
            .to_owned(),
        ],
        operations: Some(Vec::new()),
        benefices: (code == 18).then(|| vec!["Rencontrer des recruteurs".to_owned()]),
        diplomes: None,
        codes_rome: e.secteurs.iter().map(|&s| SECTEURS[usize::from(s)].0.to_string()).collect(),
        multisectoriel: e.secteurs.len() != 1,
        nombre_place_total_presentiel: u32::from(presentiel),
        nombre_place_total_distance: u32::from(distance),
        nombre_inscrit_presentiel: u32::from(inscrits_presentiel),
        nombre_inscrit_distance: u32::from(
            e.registered.saturating_sub(inscrits_presentiel).min(distance),
        ),
        offres_id: None,
        url_detail_evenement: format!("{PAGE_EVENEMENT}{}", e.id),
        libelle_organisateur_principal: Some(organisateur),
        libelle_etablissement: Some(etablissement),
    }
}

fn title(code: u32, variant: u8, secteur: Option<&str>, ville: &str, departement: &str) -> String {
    let secteur = secteur.unwrap_or("tous secteurs");
    match (code, variant) {
        (13, 0) => format!("Réunion d'information : recrutement {secteur}"),
        (13, 1) => "Réunion d'information : créer son entreprise".to_owned(),
        (13, _) => format!("Réunion d'information : se former aux métiers {secteur}"),
        (14, 0) => format!("Forum de l'emploi de {ville}"),
        (14, 1) => format!("Forum alternance et apprentissage de {ville}"),
        (14, _) => format!("Forum des métiers {secteur}"),
        (15, _) => format!("Conférence : le marché du travail à {ville}"),
        (16, 0) => "Atelier : réussir son CV et sa lettre de motivation".to_owned(),
        (16, 1) => "Atelier : préparer son entretien d'embauche".to_owned(),
        (16, _) => format!("Atelier : découvrir les métiers {secteur}"),
        (17, _) => format!("Salon en ligne : recrutement {secteur} – {departement}"),
        (18, 0) => format!("Job dating {secteur}"),
        (18, 1) => format!("Job dating : emplois saisonniers à {ville}"),
        (18, _) => format!("Job dating alternance {secteur}"),
        (31, _) => format!("Visite d'entreprise : les métiers {secteur}"),
        _ => format!("Rencontre emploi à {ville}"),
    }
}

fn description(code: u32, secteur: Option<&str>, ville: &str) -> String {
    let secteur = secteur.unwrap_or("de tous les secteurs");
    match code {
        18 => format!(
            "<p>Rencontrez en direct des employeurs {secteur} qui recrutent près de {ville}.</p><p>Venez avec plusieurs CV.</p>"
        ),
        14 => format!(
            "<p>Entreprises, centres de formation et partenaires de l'emploi réunis à {ville}.</p>"
        ),
        17 => format!("<p>Postulez en ligne aux offres d'employeurs {secteur}.</p>"),
        16 => "<p>Un atelier en petit groupe, animé par un conseiller.</p>".to_owned(),
        31 => format!("<p>Découvrez une entreprise {secteur} et ses métiers, sur place.</p>"),
        _ => format!("<p>Informations sur les métiers {secteur} et les recrutements à venir.</p>"),
    }
}

fn programme(code: u32) -> &'static str {
    match code {
        18 => "Accueil, présentation des postes puis entretiens de 10 minutes.",
        14 => "Stands des entreprises et des organismes de formation, conférences courtes.",
        16 => "Tour de table, exercices pratiques, conseils personnalisés.",
        17 => "Consultez les offres, postulez en ligne, les recruteurs vous recontactent.",
        _ => "Présentation, questions-réponses.",
    }
}

/// The IANA zone of a département (overseas ones have their own).
fn time_zone(departement: &str) -> &'static str {
    match departement {
        "971" | "977" | "978" => "America/Guadeloupe",
        "972" => "America/Martinique",
        "973" => "America/Cayenne",
        "974" => "Indian/Reunion",
        "976" => "Indian/Mayotte",
        _ => "Europe/Paris",
    }
}

/// The UTC offset of a département's local time at `local` (France's summer time from the last
/// Sunday of March to the last Sunday of October; none overseas).
fn offset_at(departement: &str, local: OffsetDateTime) -> UtcOffset {
    let hours = match time_zone(departement) {
        "America/Guadeloupe" | "America/Martinique" => -4,
        "America/Cayenne" => -3,
        "Indian/Reunion" => 4,
        "Indian/Mayotte" => 3,
        _ => {
            let year = local.year();
            let summer = last_sunday(year, Month::March)..last_sunday(year, Month::October);
            if summer.contains(&local.date()) { 2 } else { 1 }
        }
    };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

fn last_sunday(year: i32, month: Month) -> Date {
    let last = Date::from_calendar_date(year, month, month.length(year)).unwrap_or(Date::MIN);
    last - Duration::days(i64::from(last.weekday().number_days_from_sunday()))
}

/// The local day of an event.
fn local_day(e: &Event, departement: &str) -> Date {
    let utc = OffsetDateTime::from_unix_timestamp(e.start).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let local = utc.to_offset(offset_at(departement, utc));
    local.date()
}

fn day_of(unix: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_has_summer_time_and_reunion_none() {
        let summer =
            Date::from_calendar_date(2026, Month::July, 1).unwrap().midnight().assume_utc();
        let winter =
            Date::from_calendar_date(2026, Month::December, 1).unwrap().midnight().assume_utc();
        assert_eq!(offset_at("35", summer).whole_hours(), 2);
        assert_eq!(offset_at("35", winter).whole_hours(), 1);
        assert_eq!(offset_at("974", summer).whole_hours(), 4);
        assert_eq!(
            last_sunday(2026, Month::March),
            Date::from_calendar_date(2026, Month::March, 29).unwrap()
        );
    }
}
