//! A territory's coming events (*Mes événements emploi*), for the API, the plain pages, the
//! poster and the iCalendar feed.
//!
//! France Travail matches events by exact postal codes or by départements, never by distance.
//! Every request asks, for each département its territory touches, that département's events
//! from today over [`WINDOW_DAYS`], one [`crate::upstream::EVENTS_PAGE`] page soonest first; the
//! proxy then merges them, keeps the events of the territory (within the radius of the commune's
//! centre, in the EPCI's communes) and applies the resident's filters itself. So every territory
//! that touches a département shares its one cached answer: about a hundred keys for the whole
//! country, each refreshed about once an hour.

use std::collections::BTreeSet;

use emploi_territory::{Referentiel, distance_km};
use emploi_types::agenda::{FiltresEvenements, Modalite};
use emploi_types::api::{EvenementResume, Evenements, Territoire};
use emploi_types::ft::evenements::{CriteresEvenements, Evenement};
use emploi_types::recherche::{Recherche, Zone};

use super::search::upstream_error;
use crate::AppState;
use crate::error::{AppError, AppResult, Message};
use crate::params::resolve_territory;
use crate::sites::Site;
use crate::upstream::Reach;

/// Days ahead asked for, today included.
pub const WINDOW_DAYS: i64 = 90;

/// Events listed at most.
pub const LISTED: usize = 20;

/// The coming events of `zone` (the site's default when it names none) that pass `filtres`.
pub(crate) async fn coming(
    state: &AppState,
    site: &Site,
    zone: Zone,
    filtres: &FiltresEvenements,
) -> AppResult<Evenements> {
    if state.upstream.apis().evenements == Reach::Refused {
        return Err(not_offered());
    }
    let asked = Recherche { zone, ..Recherche::default() };
    let (request, territoire) = resolve_territory(asked, site, &state.referentiel)?;
    let place = Place::of(&territoire, &state.referentiel, request.centre);
    let today = time::OffsetDateTime::now_utc().date();
    let day = |d: time::Date| {
        d.format(time::macros::format_description!("[year]-[month]-[day]")).unwrap_or_default()
    };
    let (first, last) = (day(today), day(today + time::Duration::days(WINDOW_DAYS - 1)));
    // One request per département, each shared by every territory that touches it.
    let asks = place.departements.iter().map(|departement| {
        let criteres = CriteresEvenements {
            departements: Some(vec![departement.clone()]),
            date_debut: Some(first.clone()),
            date_fin: Some(last.clone()),
            ..CriteresEvenements::default()
        };
        async move { state.upstream.events(&criteres).await }
    });
    let pages = futures::future::try_join_all(asks).await.map_err(|e| match e {
        crate::upstream::UpstreamError::Forbidden => not_offered(),
        e => upstream_error(e),
    })?;
    let stale = pages.iter().any(|p| p.stale);
    let fetched_at = pages.iter().map(|p| p.fetched_at).min().unwrap_or(u64::MAX);
    let mut seen = BTreeSet::new();
    let mut evenements: Vec<EvenementResume> = pages
        .iter()
        .flat_map(|p| p.value.content.iter())
        .filter(|e| seen.insert(e.id))
        .filter(|e| place.holds(e, &state.referentiel) && passes(e, filtres))
        .map(resume)
        .collect();
    // Soonest first across départements (UTC starts, `YYYY-MM-DDTHH:MM:SSZ`).
    evenements.sort_by(|a, b| a.debut.cmp(&b.debut).then(a.id.cmp(&b.id)));
    evenements.truncate(LISTED);
    Ok(Evenements {
        territoire: Some(territoire),
        evenements,
        stale,
        mis_a_jour: super::update_date(fetched_at),
    })
}

/// The answer when the application cannot reach the events API: the widget leaves its panel out.
fn not_offered() -> AppError {
    AppError::NotFound(Message::new(
        "Les événements emploi ne sont pas proposés par ce service.",
        "Job events are not offered by this service.",
    ))
}

/// The territory an event must fall in.
struct Place {
    /// The départements asked of France Travail.
    departements: BTreeSet<String>,
    kind: Kind,
}

enum Kind {
    /// Within `rayon` km of `centre` (or in the commune itself, for an event without
    /// coordinates).
    Around { centre: (f64, f64), rayon: f64, commune: String },
    /// In one of these communes.
    Among(BTreeSet<String>),
    /// Anywhere in the départements.
    Whole,
}

impl Place {
    fn of(t: &Territoire, referentiel: &Referentiel, centre: Option<(f64, f64)>) -> Self {
        use emploi_types::api::GenreTerritoire as G;
        match (t.genre, centre) {
            (G::Commune, Some(centre)) => {
                let rayon = f64::from(t.rayon.unwrap_or(0)).max(1.0);
                let departements = referentiel
                    .communes()
                    .iter()
                    .filter(|c| c.coords().is_some_and(|p| distance_km(centre, p) <= rayon))
                    .map(|c| c.departement.to_string())
                    .chain(referentiel.commune(&t.code).map(|c| c.departement.to_string()))
                    .collect();
                Self { departements, kind: Kind::Around { centre, rayon, commune: t.code.clone() } }
            }
            (G::Commune, None) => {
                let commune = referentiel.commune(&t.code);
                Self {
                    departements: commune.map(|c| c.departement.to_string()).into_iter().collect(),
                    kind: Kind::Among(std::iter::once(t.code.clone()).collect()),
                }
            }
            (G::Epci, _) => {
                let members: BTreeSet<String> = referentiel
                    .epci(&t.code)
                    .map(|e| e.membres.iter().map(ToString::to_string).collect())
                    .unwrap_or_default();
                let departements = members
                    .iter()
                    .filter_map(|m| referentiel.commune(m))
                    .map(|c| c.departement.to_string())
                    .collect();
                Self { departements, kind: Kind::Among(members) }
            }
            (G::Departement, _) => {
                Self { departements: std::iter::once(t.code.clone()).collect(), kind: Kind::Whole }
            }
        }
    }

    fn holds(&self, e: &Evenement, referentiel: &Referentiel) -> bool {
        match &self.kind {
            Kind::Whole => true,
            Kind::Among(communes) => e.code_insee.as_ref().is_some_and(|c| {
                communes.contains(c)
                    || referentiel
                        .commune(c)
                        .and_then(|c| c.arrondissement_de.as_ref())
                        .is_some_and(|city| communes.contains(city.as_str()))
            }),
            Kind::Around { centre, rayon, commune } => match (e.latitude, e.longitude) {
                (Some(lat), Some(lon)) => distance_km(*centre, (lat, lon)) <= *rayon,
                _ => e.code_insee.as_deref() == Some(commune.as_str()),
            },
        }
    }
}

/// Whether `e` passes the resident's filters.
fn passes(e: &Evenement, f: &FiltresEvenements) -> bool {
    let day = e.date_evenement.get(..10).unwrap_or_default();
    let genre = f.genre.and_then(emploi_types::ft::evenements::type_libelle);
    let (sur_place, en_ligne) = modalites(e);
    genre.is_none_or(|g| e.type_libelle.trim() == g)
        && f.modalite.is_none_or(|m| match m {
            Modalite::SurPlace => sur_place,
            Modalite::EnLigne => en_ligne,
        })
        && f.du.as_deref().is_none_or(|d| day >= d)
        && f.au.as_deref().is_none_or(|d| day <= d)
}

/// On site, online.
fn modalites(e: &Evenement) -> (bool, bool) {
    let has = |m: &str| e.modalites.iter().any(|x| x.eq_ignore_ascii_case(m));
    (has("en physique"), has("à distance"))
}

/// An event as the list shows it.
fn resume(e: &Evenement) -> EvenementResume {
    let day = e.date_evenement.get(..10).unwrap_or_default();
    let at = |hms: &str| format!("{day}T{}Z", hms.get(..8).unwrap_or("00:00:00"));
    let fuseau = e.timezone.clone().unwrap_or_else(|| "Europe/Paris".to_owned());
    let (sur_place, en_ligne) = modalites(e);
    let places = |total: u32, taken: u32| (total > 0).then(|| total.saturating_sub(taken));
    let restantes = match (
        places(e.nombre_place_total_presentiel, e.nombre_inscrit_presentiel),
        places(e.nombre_place_total_distance, e.nombre_inscrit_distance),
    ) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    };
    let inscription = if e.url_detail_evenement.starts_with("https://") {
        e.url_detail_evenement.clone()
    } else {
        format!("{}{}", emploi_types::ft::evenements::PAGE_EVENEMENT, e.id)
    };
    EvenementResume {
        id: e.id,
        titre: e.titre.trim().to_owned(),
        genre: e.type_libelle.trim().to_owned(),
        debut_local: local(&at(&e.heure_debut), &fuseau),
        fin_local: local(&at(&e.heure_fin), &fuseau),
        debut: at(&e.heure_debut),
        fin: at(&e.heure_fin),
        fuseau,
        ville: e.ville.clone(),
        code_postal: e.code_postal.clone(),
        lieu: e.libelle_etablissement.clone(),
        sur_place,
        en_ligne,
        organisateur: e.libelle_organisateur_principal.clone(),
        places_restantes: restantes,
        inscription,
    }
}

/// `utc` (RFC 3339, `Z`) in the zone `fuseau` as `YYYY-MM-DDTHH:MM` (Paris' time for a zone
/// France Travail names that the zone database does not know).
fn local(utc: &str, fuseau: &str) -> String {
    let zone: chrono_tz::Tz = fuseau.parse().unwrap_or(chrono_tz::Europe::Paris);
    chrono::DateTime::parse_from_rfc3339(utc)
        .map(|t| t.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_else(|_| utc.chars().take(16).collect())
}

/// The events as an iCalendar file (RFC 5545): one `VEVENT` each, times in UTC, the
/// registration page as its `URL`, the list's source in the description.
pub(crate) fn calendar(events: &Evenements, name: &str) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    let mut cal = Calendar::new();
    cal.name(name);
    for e in &events.evenements {
        let utc = |s: &str| {
            time::PrimitiveDateTime::parse(
                s.trim_end_matches('Z'),
                time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
            )
            .ok()
            .and_then(|t| {
                let t = t.assume_utc();
                chrono::DateTime::from_timestamp(t.unix_timestamp(), 0)
            })
        };
        let (Some(start), Some(end)) = (utc(&e.debut), utc(&e.fin)) else { continue };
        let place = match (&e.lieu, e.sur_place) {
            (Some(lieu), true) => format!("{lieu}, {} {}", e.code_postal, e.ville),
            (None, true) => format!("{} {}", e.code_postal, e.ville),
            _ => "En ligne".to_owned(),
        };
        let mut about =
            format!("{} – {}", e.genre, e.organisateur.as_deref().unwrap_or("France Travail"));
        if e.en_ligne && e.sur_place {
            about.push_str("\nSur place ou en ligne.");
        }
        about.push_str(&format!(
            "\nInscription : {}\nSource : France Travail (Mes événements emploi)",
            e.inscription
        ));
        let event = Event::new()
            .uid(&format!("{}@evenements.francetravail.fr", e.id))
            .summary(&e.titre)
            .description(&about)
            .location(&place)
            .url(&e.inscription)
            .starts(start)
            .ends(end)
            .done();
        cal.push(event);
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_follow_the_zone_and_its_summer_time() {
        assert_eq!(local("2026-12-07T08:30:00Z", "Europe/Paris"), "2026-12-07T09:30");
        assert_eq!(local("2026-07-07T08:30:00Z", "Europe/Paris"), "2026-07-07T10:30");
        assert_eq!(local("2026-12-07T05:00:00Z", "Indian/Reunion"), "2026-12-07T09:00");
        assert_eq!(local("2026-12-07T13:00:00Z", "America/Guadeloupe"), "2026-12-07T09:00");
        assert_eq!(local("2026-12-07T08:30:00Z", "Mars/Olympus"), "2026-12-07T09:30");
    }
}
