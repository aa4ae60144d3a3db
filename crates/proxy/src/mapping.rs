//! Mapping of France Travail objects into the proxy's public types.
//!
//! Only what a resident needs is kept. URLs pass only if they are http(s), so that a
//! `javascript:` link can never reach the widget.

use emploi_territory::{Referentiel, distance_km};
use emploi_types::api::{
    Badge, Facette, Facettes, OffreComplement, OffreDetail, OffreResume, Partenaire,
};
use emploi_types::ft::{ContexteTravail, FiltrePossible, Offre, StringOrList};

use crate::upstream::{Carte, CarteFields};

pub use emploi_types::ft::CANDIDATE_SITE;

/// A result card from an offer; `centre` is the searched commune, for the distance.
pub fn resume(carte: &Carte, referentiel: &Referentiel, centre: Option<(f64, f64)>) -> OffreResume {
    let offre = carte.fields();
    let lieu = offre.lieu_travail.as_ref();
    let place = lieu.and_then(|l| {
        if let Some(c) = l.commune.as_deref().and_then(|code| referentiel.commune(code)) {
            return Some(format!("{} ({})", c.nom, c.departement));
        }
        let libelle = l.libelle.as_deref()?.trim();
        Some(match libelle.split_once(" - ") {
            Some((dep, name)) if dep.len() <= 3 => format!("{} ({dep})", name.trim()),
            _ => libelle.to_owned(),
        })
    });
    let distance = match (centre, lieu.and_then(|l| Some((l.latitude?, l.longitude?)))) {
        (Some(c), Some(p)) => Some((distance_km(c, p) * 10.0).round() / 10.0),
        _ => None,
    };
    OffreResume {
        id: offre.id.to_string(),
        intitule: offre.intitule.to_string(),
        entreprise: offre.entreprise.as_ref().and_then(|e| e.nom.as_deref().map(str::to_owned)),
        lieu: place,
        distance_km: distance,
        type_contrat: offre.type_contrat.to_string(),
        contrat: offre.type_contrat_libelle.as_deref().map(str::to_owned),
        temps_travail: offre.duree_travail_libelle_converti.as_deref().map(str::to_owned),
        salaire: offre.salaire.as_ref().and_then(|s| {
            s.libelle
                .as_deref()
                .map(salary_label)
                .or_else(|| s.commentaire.as_deref().map(str::to_owned))
        }),
        minutes_hebdo: offre.duree_travail_libelle.as_deref().and_then(weekly_minutes),
        badges: badges(&offre),
        date_creation: offre.date_creation.to_string(),
    }
}

/// The badges an offer earns, in [`Badge::ALL`] order.
fn badges(offre: &CarteFields<'_>) -> Vec<Badge> {
    let adaptee = offre.entreprise_adaptee == Some(true)
        || offre.entreprise.as_ref().and_then(|e| e.entreprise_adaptee) == Some(true);
    Badge::ALL
        .into_iter()
        .filter(|b| match b {
            Badge::Alternance => offre.alternance,
            Badge::Debutant => offre.experience_exige.as_deref() == Some("D"),
            Badge::HandiEngage => offre.employeur_handi_engage == Some(true),
            Badge::EntrepriseAdaptee => adaptee,
            Badge::ManqueCandidats => offre.offres_manque_candidats == Some(true),
        })
        .collect()
}

/// Weekly minutes from France Travail's working time (`35H/semaine`, `24H30/semaine\n…`, `39H`):
/// its first line, when it states hours.
pub fn weekly_minutes(libelle: &str) -> Option<u32> {
    let line = libelle.lines().next()?.trim();
    let (hours, rest) = line.split_once(['H', 'h'])?;
    let minutes = rest.split('/').next()?.trim();
    let hours: u32 = hours.trim().parse().ok()?;
    let minutes: u32 = if minutes.is_empty() { 0 } else { minutes.parse().ok()? };
    (hours <= 99 && minutes < 60).then_some(hours * 60 + minutes)
}

/// The detail panel from an offer.
pub fn detail(offre: &Offre, referentiel: &Referentiel) -> OffreDetail {
    let candidate = format!("{CANDIDATE_SITE}{}", offre.id);
    let apply = offre
        .contact
        .as_ref()
        .and_then(|c| c.url_postulation.as_deref())
        .filter(|u| is_http(u))
        .or_else(|| {
            offre
                .origine_offre
                .as_ref()
                .and_then(|o| o.url_origine.as_deref())
                .filter(|u| is_http(u))
        })
        .map_or_else(|| candidate.clone(), str::to_owned);
    let contexte = |list: fn(&ContexteTravail) -> Option<&StringOrList>| -> Vec<String> {
        offre.contexte_travail.as_ref().and_then(list).map(StringOrList::items).unwrap_or_default()
    };
    let labels = |items: Option<&Vec<emploi_types::ft::Exigence>>| -> Vec<String> {
        items.map(|v| v.iter().map(|e| e.libelle.clone()).collect()).unwrap_or_default()
    };
    let complement = OffreComplement {
        description: offre.description.clone(),
        entreprise_description: offre.entreprise.as_ref().and_then(|e| e.description.clone()),
        entreprise_url: http_link(offre.entreprise.as_ref().and_then(|e| e.url.as_ref())),
        duree_travail: offre.duree_travail_libelle.clone(),
        experience: offre.experience_libelle.clone(),
        qualification: offre.qualification_libelle.clone(),
        secteur: offre.secteur_activite_libelle.clone(),
        formations: offre
            .formations
            .iter()
            .flatten()
            .filter_map(|f| match (&f.niveau_libelle, &f.domaine_libelle) {
                (Some(n), Some(d)) => Some(format!("{n} – {d}")),
                (Some(n), None) => Some(n.clone()),
                (None, Some(d)) => Some(d.clone()),
                (None, None) => None,
            })
            .collect(),
        competences: offre.competences.iter().flatten().map(|c| c.libelle.clone()).collect(),
        qualites: offre
            .qualites_professionnelles
            .iter()
            .flatten()
            .map(|q| q.libelle.clone())
            .collect(),
        langues: labels(offre.langues.as_ref()),
        permis: labels(offre.permis.as_ref()),
        nombre_postes: offre.nombre_postes,
        appellation: offre.appellation_libelle.clone(),
        nature_contrat: offre.nature_contrat.clone(),
        deplacements: offre.deplacement_libelle.clone(),
        effectif: offre.tranche_effectif_etab.clone(),
        horaires: contexte(|c| c.horaires.as_ref()),
        conditions: [&offre.condition_exercice, &offre.complement_exercice]
            .into_iter()
            .flatten()
            .cloned()
            .chain(contexte(|c| c.conditions_exercice.as_ref()))
            .collect(),
        avantages: offre
            .salaire
            .as_ref()
            .map(|s| {
                let listed = s.liste_complements.iter().flatten().map(|c| c.libelle.clone());
                [&s.complement1, &s.complement2]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .chain(listed)
                    .collect()
            })
            .unwrap_or_default(),
        outils: offre.outils_bureautiques.as_ref().map(StringOrList::items).unwrap_or_default(),
        contact: offre
            .contact
            .as_ref()
            .map(|c| {
                [
                    &c.nom,
                    &c.coordonnees1,
                    &c.coordonnees2,
                    &c.coordonnees3,
                    &c.telephone,
                    &c.courriel,
                    &c.commentaire,
                ]
                .into_iter()
                .flatten()
                .cloned()
                .collect()
            })
            .map(distinct)
            .unwrap_or_default(),
        contact_url: http_link(offre.contact.as_ref().and_then(|c| c.url_recruteur.as_ref())),
        agence: offre
            .agence
            .as_ref()
            .map(|a| distinct([&a.telephone, &a.courriel].into_iter().flatten().cloned().collect()))
            .unwrap_or_default(),
        actualisee: offre.date_actualisation.as_deref().and_then(to_the_second),
        accessible_th: offre.accessible_th,
        entreprise_logo: http_link(offre.entreprise.as_ref().and_then(|e| e.logo.as_ref())),
        partenaires: offre
            .origine_offre
            .iter()
            .flat_map(|o| o.partenaires.iter().flatten())
            .map(|p| Partenaire {
                nom: p.nom.clone(),
                url: http_link(p.url.as_ref()),
                logo: http_link(p.logo.as_ref()),
            })
            .collect(),
        url_postuler: apply,
        url_france_travail: candidate,
    };
    OffreDetail { resume: resume(&Carte::from(offre), referentiel, None), complement }
}

/// France Travail's RFC 3339 date-time (`2026-12-03T08:15:42.000Z`) in UTC to the second
/// (`2026-12-03T08:15:42Z`), written as every update date is ([`crate::service::update_date`]),
/// the form the widget writes out; `None` if it is not one.
fn to_the_second(date: &str) -> Option<String> {
    let at =
        time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339).ok()?;
    crate::service::update_date(u64::try_from(at.unix_timestamp()).ok()?.checked_mul(1000)?)
}

/// `lines` without their repeats (France Travail often gives the same "how to apply" sentence
/// as an address line and as the e-mail), first occurrences kept in order.
fn distinct(lines: Vec<String>) -> Vec<String> {
    let mut kept: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        if !line.trim().is_empty() && !kept.contains(&line) {
            kept.push(line);
        }
    }
    kept
}

/// Facets in the public shape.
pub fn facettes(filtres: &[FiltrePossible]) -> Facettes {
    let values = |name: &str| -> Vec<Facette> {
        filtres
            .iter()
            .find(|f| f.filtre == name)
            .map(|f| {
                f.agregation
                    .iter()
                    .map(|a| Facette { valeur: a.valeur_possible.clone(), nombre: a.nb_resultats })
                    .collect()
            })
            .unwrap_or_default()
    };
    Facettes {
        type_contrat: values("typeContrat"),
        experience: values("experience"),
        qualification: values("qualification"),
        nature_contrat: values("natureContrat"),
    }
}

/// `url` if it is an absolute http(s) URL: the only links and images an offer passes on.
fn http_link(url: Option<&String>) -> Option<String> {
    url.filter(|u| is_http(u)).cloned()
}

/// True for absolute http(s) URLs.
pub fn is_http(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// `Mensuel de 2275.0 Euros à 3033.0 Euros sur 12.0 mois` → `2 275 € à 3 033 € par mois`.
/// Unrecognised labels are returned as they are.
pub fn salary_label(libelle: &str) -> String {
    let (period, rest) = match libelle.split_once(" de ") {
        Some(("Mensuel", rest)) => ("par mois", rest),
        Some(("Annuel", rest)) => ("par an", rest),
        Some(("Horaire", rest)) => ("de l'heure", rest),
        _ => return libelle.to_owned(),
    };
    let amounts: Vec<String> = rest
        .split(" Euros")
        .filter_map(|chunk| chunk.trim().trim_start_matches("à ").trim().parse::<f64>().ok())
        .take(2)
        .map(euros)
        .collect();
    match amounts.as_slice() {
        [low, high] => format!("{low} à {high} {period}"),
        [one] => format!("{one} {period}"),
        _ => libelle.to_owned(),
    }
}

fn euros(amount: f64) -> String {
    // Hourly rates keep their cents; larger amounts read better in whole euros.
    if amount < 100.0 && amount.fract().abs() > 0.004 {
        return format!("{amount:.2} €").replace('.', ",");
    }
    let digits = format!("{}", amount.round() as i64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    format!("{out} €")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_carry_the_badges_and_weekly_hours_france_travail_states() {
        let offre: Offre =
            serde_json::from_str(include_str!("../../types/ft-samples/offre-alternance.json"))
                .unwrap();
        let card = Carte::from(&offre);
        // Cached cards are written and read back: the badges' fields survive.
        let card: Carte = serde_json::from_str(&serde_json::to_string(&card).unwrap()).unwrap();
        let badges = super::badges(&card.fields());
        assert_eq!(
            badges,
            [Badge::Alternance, Badge::Debutant, Badge::HandiEngage, Badge::ManqueCandidats]
        );
        let other: Offre =
            serde_json::from_str(include_str!("../../types/ft-samples/offre.json")).unwrap();
        assert_eq!(super::badges(&Carte::from(&other).fields()), [Badge::HandiEngage]);
        assert_eq!(weekly_minutes("35H/semaine\nTravail en horaires décalés"), Some(2100));
        assert_eq!(weekly_minutes("24H30/semaine"), Some(1470));
        assert_eq!(weekly_minutes("39H"), Some(2340));
        assert_eq!(weekly_minutes("temps partiel"), None);
        assert_eq!(weekly_minutes("Horaires variables"), None);
    }

    #[test]
    fn salary_labels_read_like_french() {
        assert_eq!(
            salary_label("Mensuel de 2275.0 Euros à 3033.0 Euros sur 12.0 mois"),
            "2\u{202F}275 € à 3\u{202F}033 € par mois"
        );
        assert_eq!(salary_label("Horaire de 11.65 Euros sur 12.0 mois"), "11,65 € de l'heure");
        assert_eq!(
            salary_label("Annuel de 38000.0 Euros à 45000.0 Euros sur 12.0 mois"),
            "38\u{202F}000 € à 45\u{202F}000 € par an"
        );
        assert_eq!(salary_label("Selon profil"), "Selon profil");
    }

    /// The offers licence: the detail shows everything France Travail gives for the offer, the
    /// employer's and partners' logos included (only http links, as every link).
    #[test]
    fn the_detail_keeps_all_that_france_travail_gives() {
        let referentiel = Referentiel::load();
        let offre: Offre =
            serde_json::from_str(include_str!("../../types/ft-samples/offre.json")).unwrap();
        let c = detail(&offre, &referentiel).complement;
        assert_eq!(c.appellation.as_deref(), Some("Aide-soignant / Aide-soignante de nuit"));
        assert_eq!(c.nature_contrat.as_deref(), Some("Contrat travail"));
        assert_eq!(c.deplacements.as_deref(), Some("Ponctuels Zone départementale"));
        assert_eq!(c.effectif.as_deref(), Some("50 à 99 salariés"));
        assert_eq!(c.horaires, ["Travail de nuit"]);
        assert_eq!(c.avantages, ["Prime de nuit"]);
        assert_eq!(c.outils, ["Logiciel de soins"]);
        // The apply sentence is both an address line and the "e-mail": said once.
        assert_eq!(c.contact.len(), 2, "{:?}", c.contact);
        assert_eq!(c.contact[0], "EHPAD LES TILLEULS - Mme Nadia Perrin");
        assert!(c.contact[1].starts_with("Pour postuler"));
        assert_eq!(c.agence.len(), 1);
        assert_eq!(c.entreprise_logo, None);
        assert_eq!(
            c.actualisee.as_deref(),
            offre.date_actualisation.as_deref().map(|d| format!("{}Z", &d[..19])).as_deref()
        );
        assert!(c.actualisee.is_some());

        let mut offre: Offre =
            serde_json::from_str(include_str!("../../types/ft-samples/offre-alternance.json"))
                .unwrap();
        let c = detail(&offre, &referentiel).complement;
        assert_eq!(
            c.entreprise_logo.as_deref(),
            Some("https://entreprise.francetravail.fr/static/img/logos/fournil-du-chateau.png")
        );
        assert_eq!(c.horaires, ["Travail en horaires décalés", "Travail le samedi"]);
        assert_eq!(
            c.partenaires,
            [Partenaire {
                nom: "HELLOWORK".into(),
                url: Some("https://emplois.hellowork.example/offre/7351920".into()),
                logo: Some(
                    "https://www.francetravail.fr/static/img/partenaires/hellowork80.png".into()
                ),
            }]
        );
        assert!(c.agence.is_empty());

        // A logo or a partner link that is not http is left out, never shown as a link.
        if let Some(e) = offre.entreprise.as_mut() {
            e.logo = Some("javascript:alert(1)".into());
        }
        if let Some(p) = offre.origine_offre.as_mut().and_then(|o| o.partenaires.as_mut()) {
            p[0].url = Some("javascript:alert(2)".into());
        }
        let c = detail(&offre, &referentiel).complement;
        assert_eq!(c.entreprise_logo, None);
        assert_eq!(c.partenaires[0].url, None);
        assert_eq!(c.partenaires[0].nom, "HELLOWORK");
    }

    #[test]
    fn only_http_urls_pass() {
        assert!(is_http("https://candidat.francetravail.fr/x"));
        assert!(!is_http("javascript:alert(1)"));
        assert!(!is_http(" JAVASCRIPT:alert(1)"));
        assert!(!is_http("data:text/html,x"));
    }
}
