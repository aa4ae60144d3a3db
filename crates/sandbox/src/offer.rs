//! Rendering of a full France Travail `Offre` object from a catalogue record.
//!
//! Everything not needed for search (company, description, skills, salary text, contact...) is
//! drawn here from a random stream seeded by the catalogue seed and the offer's position, so the
//! same offer always renders to the same bytes.

use emploi_types::ft::{
    Agence, CodeLibelle, Competence, Contact, ContexteTravail, Entreprise, Exigence, Formation,
    LieuTravail, Offre, OrigineOffre, Partenaire, QualiteProfessionnelle, Salaire, StringOrList,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::catalogue::{Catalogue, NATURES_CONTRAT, PARTNERS, Place, QUALIFICATIONS, Record};

pub use emploi_types::ft::CANDIDATE_SITE;

/// What kind of employer a NAF code is, for its name: the most specific prefix of the code
/// wins (a bakery is `10.71`, a hospital `86.10`), then the division, then a generic company.
/// The NAF itself is drawn from the offer's ROME sectors, so an aide-soignant works for a care
/// home or a hospital, never for a bakery.
const EMPLOYER_KINDS: [(&str, &[&str]); 44] = [
    ("10.71", &["Boulangerie", "Fournil", "Boulangerie-pâtisserie"]),
    ("10.13", &["Charcuterie", "Salaisons"]),
    ("10", &["Conserverie", "Laiterie", "Biscuiterie", "Maison"]),
    ("11", &["Brasserie", "Distillerie", "Domaine"]),
    ("16", &["Scierie", "Menuiserie"]),
    ("25", &["Ateliers", "Chaudronnerie", "Mécanique"]),
    ("01", &["EARL", "GAEC", "Ferme", "Domaine"]),
    ("02", &["Exploitation forestière", "Sylviculture"]),
    ("03", &["Pêcheries", "Mareyage"]),
    ("41", &["Entreprise", "Bâtiment", "Constructions"]),
    ("42", &["Travaux publics", "Terrassement"]),
    ("43.32", &["Menuiserie"]),
    ("43.21", &["Électricité"]),
    ("43.22", &["Plomberie", "Chauffage"]),
    ("43", &["Bâtiment", "Entreprise", "Rénovation"]),
    ("45", &["Garage", "Automobiles", "Carrosserie"]),
    ("46", &["Comptoir", "Distribution", "Négoce"]),
    ("47.11", &["Supermarché", "Supérette"]),
    ("47", &["Magasin", "Boutique", "Comptoir"]),
    ("49", &["Transports", "Autocars"]),
    ("52", &["Logistique", "Entrepôts"]),
    ("53", &["Messagerie", "Courses"]),
    ("55", &["Hôtel", "Résidence hôtelière", "Auberge"]),
    ("56.30", &["Café", "Bar"]),
    ("56", &["Restaurant", "Brasserie", "Bistrot", "Traiteur"]),
    ("62", &["Société", "Solutions", "Informatique"]),
    ("64", &["Banque", "Caisse"]),
    ("65", &["Assurances", "Mutuelle"]),
    ("68", &["Agence immobilière", "Immobilier"]),
    ("69", &["Cabinet", "Étude"]),
    ("71", &["Bureau d'études", "Cabinet"]),
    ("73", &["Agence", "Communication"]),
    ("78", &["Intérim", "Agence d'emploi"]),
    ("80", &["Sécurité", "Gardiennage"]),
    ("81", &["Propreté", "Espaces verts", "Nettoyage"]),
    ("84", &["Communauté de communes", "Syndicat intercommunal"]),
    ("85", &["École", "Institut", "Centre de formation"]),
    ("86.10", &["Centre hospitalier", "Clinique", "Hôpital privé"]),
    ("86", &["Cabinet médical", "Centre de santé", "Laboratoire"]),
    ("87", &["EHPAD", "Résidence", "Foyer"]),
    ("88", &["Association", "Aide à domicile", "Crèche"]),
    ("90", &["Compagnie", "Théâtre", "Association"]),
    ("93", &["Club", "Complexe sportif", "Association"]),
    ("96", &["Salon", "Institut", "Pressing"]),
];
/// Employers named without a trade suffix (public bodies, associations, schools, care).
const NON_PROFIT_DIVISIONS: [&str; 7] = ["84", "85", "87", "88", "90", "93", "94"];
const GENERIC_KINDS: [&str; 4] = ["Société", "Groupe", "Entreprise", "Établissements"];

/// The kinds of employer an offer with NAF `code` may name.
pub(crate) fn employer_kinds(code: &str) -> &'static [&'static str] {
    EMPLOYER_KINDS
        .iter()
        .filter(|(prefix, _)| code.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map_or(&GENERIC_KINDS[..], |(_, kinds)| kinds)
}

const COMPANY_NAMES: [&str; 24] = [
    "Morel",
    "Lefèvre",
    "Bernard",
    "Garnier",
    "Le Gall",
    "Rousseau",
    "Fontaine",
    "Chevalier",
    "Perrin",
    "Marchand",
    "Bertrand",
    "Guérin",
    "Robin",
    "Lemoine",
    "Caron",
    "Dupuis",
    "Kerbrat",
    "Riviere",
    "Da Silva",
    "Nguyen",
    "Haddad",
    "Martineau",
    "Colas",
    "Pichon",
];
const COMPANY_SUFFIXES: [&str; 6] = ["", " SAS", " SARL", " & Fils", " Services", " SA"];
const SKILLS: [&str; 12] = [
    "Accueillir une clientèle",
    "Organiser son poste de travail",
    "Respecter les règles d'hygiène et de sécurité",
    "Renseigner un client sur les produits et services",
    "Planifier des interventions",
    "Contrôler la qualité d'une production",
    "Utiliser un logiciel de gestion",
    "Travailler en équipe pluridisciplinaire",
    "Rédiger un compte rendu",
    "Entretenir un équipement ou du matériel",
    "Gérer un stock de produits",
    "Conseiller et orienter un public",
];
const SOFT_SKILLS: [(&str, &str); 5] = [
    (
        "Faire preuve d'autonomie",
        "Capacité à prendre en charge son activité sans devoir être encadré de façon continue.",
    ),
    (
        "Travailler en équipe",
        "Capacité à se coordonner avec les autres membres de l'entreprise pour atteindre les objectifs fixés.",
    ),
    (
        "Faire preuve de rigueur et de précision",
        "Capacité à suivre les règles et procédures établies sans commettre d'erreur.",
    ),
    (
        "Faire preuve de réactivité",
        "Capacité à réagir rapidement face à des événements et à adapter son comportement.",
    ),
    ("Avoir le sens du service", "Capacité à être attentif aux besoins de ses interlocuteurs."),
];
const TRAININGS: [&str; 5] = [
    "CAP, BEP et équivalents",
    "Bac ou équivalent",
    "Bac+2 ou équivalents",
    "Bac+3, Bac+4 ou équivalents",
    "Bac+5 et plus ou équivalents",
];
const HEADCOUNTS: [&str; 6] = [
    "1 ou 2 salariés",
    "3 à 5 salariés",
    "6 à 9 salariés",
    "10 à 19 salariés",
    "20 à 49 salariés",
    "50 à 99 salariés",
];

/// Hostile strings used when the hostile switch is on: markup, script URLs, huge words, odd
/// Unicode. A client must render them as inert text.
pub const HOSTILE_TEXTS: [&str; 5] = [
    "<img src=x onerror=\"window.__pwned=1\">Développeur <b>H/F</b>",
    "<script>window.__pwned=1</script>Serveur (H/F)",
    "Cuisinier\u{202E}F/H reinisiuC\u{202C} 🍳 Z͑͗̕a̴l̸g̷o",
    "Agent d'entretien Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "\"><svg onload=window.__pwned=1>Vendeur",
];

/// Renders the full offer at position `index` of the catalogue.
pub(crate) fn render(cat: &Catalogue, index: usize) -> Offre {
    let r = &cat.records[index];
    let mut rng = ChaCha8Rng::seed_from_u64(
        cat.params.seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    );
    let rome = &cat.romes[usize::from(r.rome)];
    let naf = &cat.nafs[usize::from(r.naf)];
    let division_label = cat.division_labels.get(&naf.code[..2]).cloned();
    let (masc, fem) = split_gender(&rome.libelle);
    let appellation = if rng.random_bool(0.5) { masc.clone() } else { fem };
    let hostile = r.hostile.then(|| HOSTILE_TEXTS[(index / 40) % HOSTILE_TEXTS.len()]);
    let intitule = match hostile {
        Some(text) => text.to_owned(),
        None => format!("{masc} (H/F)"),
    };

    let company = company_name(&naf.code, &mut rng);
    let anonymous = rng.random_bool(0.06);
    let entreprise = if anonymous {
        Entreprise { entreprise_adaptee: Some(r.entreprise_adaptee), ..Entreprise::default() }
    } else {
        let slug: String =
            company.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
        let with_site = Entreprise {
            nom: Some(company.to_uppercase()),
            description: rng.random_bool(0.6).then(|| {
                format!(
                    "{company} est une entreprise de {} salariés du secteur « {} ».",
                    rng.random_range(3..250),
                    naf.libelle
                )
            }),
            logo: None,
            url: match hostile {
                Some(_) => Some("javascript:window.__pwned=1".to_owned()),
                None => rng.random_bool(0.4).then(|| format!("https://www.{slug}.example")),
            },
            entreprise_adaptee: Some(r.entreprise_adaptee),
        };
        // Employers with a site have a logo there (drawn from nothing new: the rest of the
        // offer stays as it was generated before logos).
        Entreprise {
            logo: match hostile {
                Some(_) => Some("javascript:window.__pwned=2".to_owned()),
                None => with_site.url.as_ref().map(|site| format!("{site}/logo.png")),
            },
            ..with_site
        }
    };

    let lieu_travail = Some(lieu_travail(cat, r));
    let created = r.date_creation;
    let updated = (created + rng.random_range(0..5 * 24 * 3600)).min(cat.params.now.max(created));
    let (type_libelle, duree_mois) = type_contrat_libelle(r, &mut rng);
    let url_candidat = format!("{CANDIDATE_SITE}{}", r.id);
    let apply_sentence = format!("Pour postuler, utiliser le lien suivant : {url_candidat}");
    let url_postulation = match hostile {
        Some(_) => Some("javascript:window.__pwned=1".to_owned()),
        None if r.origine == 2 => Some(format!(
            "https://emplois.{}.example/offre/{}",
            PARTNERS[index % PARTNERS.len()].to_lowercase(),
            r.id
        )),
        None => None,
    };

    let qualification_code = (r.qualification > 0).then(|| r.qualification.to_string());
    let experience_libelle = match (r.experience_exige, r.experience_mois) {
        (0, _) => "Débutant accepté".to_owned(),
        (_, m) if m < 12 => format!("{m} Mois"),
        (_, m) => format!("{} An(s)", m / 12),
    };
    let hebdo = match r.minutes_hebdo % 60 {
        0 => format!("{}H", r.minutes_hebdo / 60),
        m => format!("{}H{m:02}", r.minutes_hebdo / 60),
    };
    let horaires =
        if rng.random_bool(0.7) { "Travail en journée" } else { "Travail en horaires décalés" };
    let duree_travail = format!("{hebdo}/semaine\n{horaires}");

    Offre {
        id: r.id.clone(),
        intitule,
        description: Some(description(r, &masc, &company, duree_mois, hostile, &mut rng)),
        date_creation: iso_millis(created, r.date_millis),
        date_actualisation: Some(iso_millis(updated, rng.random_range(0..1000))),
        lieu_travail,
        rome_code: Some(rome.code.clone()),
        rome_libelle: Some(rome.libelle.clone()),
        appellation_libelle: Some(appellation),
        entreprise: Some(entreprise),
        type_contrat: r.type_contrat_code().to_owned(),
        type_contrat_libelle: Some(type_libelle),
        nature_contrat: Some(NATURES_CONTRAT[usize::from(r.nature)].1.to_owned()),
        experience_exige: Some(["D", "S", "E"][usize::from(r.experience_exige)].to_owned()),
        experience_libelle: Some(experience_libelle),
        experience_commentaire: None,
        formations: rng.random_bool(0.4).then(|| {
            vec![Formation {
                code_formation: Some(format!("{}", rng.random_range(10_000..50_000))),
                domaine_libelle: Some(
                    rome.libelle.split(" / ").next().unwrap_or("").to_lowercase(),
                ),
                niveau_libelle: Some(TRAININGS[rng.random_range(0..TRAININGS.len())].to_owned()),
                commentaire: None,
                exigence: Some(if rng.random_bool(0.5) { "E" } else { "S" }.to_owned()),
            }]
        }),
        langues: rng.random_bool(0.15).then(|| {
            vec![Exigence { libelle: "Anglais".to_owned(), exigence: Some("S".to_owned()) }]
        }),
        permis: rng.random_bool(0.3).then(|| {
            vec![Exigence {
                libelle: "B - Véhicule léger".to_owned(),
                exigence: Some(if rng.random_bool(0.5) { "E" } else { "S" }.to_owned()),
            }]
        }),
        outils_bureautiques: None,
        competences: Some(
            (0..rng.random_range(1..4))
                .map(|k| Competence {
                    code: Some(format!("{}", 100_000 + (usize::from(r.rome) * 7 + k) % 900_000)),
                    libelle: SKILLS[(usize::from(r.rome) + k * 5) % SKILLS.len()].to_owned(),
                    exigence: Some("E".to_owned()),
                })
                .collect(),
        ),
        salaire: Some(salaire(r, &mut rng)),
        duree_travail_libelle: Some(duree_travail.clone()),
        duree_travail_libelle_converti: Some(
            if r.temps_plein { "Temps plein" } else { "Temps partiel" }.to_owned(),
        ),
        complement_exercice: None,
        condition_exercice: None,
        alternance: matches!(r.nature_code(), "E2" | "FS"),
        contact: Some(Contact {
            nom: (!anonymous)
                .then(|| format!("{} - M. ou Mme le responsable", company.to_uppercase())),
            coordonnees1: Some(url_postulation.clone().unwrap_or_else(|| apply_sentence.clone())),
            courriel: Some(apply_sentence.clone()),
            url_postulation: url_postulation.clone(),
            ..Contact::default()
        }),
        agence: Some(Agence { telephone: None, courriel: Some(apply_sentence) }),
        nombre_postes: Some(if rng.random_bool(0.85) { 1 } else { rng.random_range(2..6) }),
        accessible_th: Some(r.accessible_th),
        deplacement_code: Some("1".to_owned()),
        deplacement_libelle: Some("Jamais".to_owned()),
        qualification_libelle: qualification_code
            .as_ref()
            .map(|_| QUALIFICATIONS[usize::from(r.qualification) - 1].to_owned()),
        qualification_code,
        code_naf: Some(naf.code.clone()),
        secteur_activite: Some(naf.code[..2].to_owned()),
        secteur_activite_libelle: division_label,
        qualites_professionnelles: Some(
            (0..2)
                .map(|k| {
                    let (libelle, desc) = SOFT_SKILLS[(index + k * 2) % SOFT_SKILLS.len()];
                    QualiteProfessionnelle {
                        libelle: libelle.to_owned(),
                        description: Some(desc.to_owned()),
                    }
                })
                .collect(),
        ),
        tranche_effectif_etab: rng
            .random_bool(0.2)
            .then(|| HEADCOUNTS[rng.random_range(0..HEADCOUNTS.len())].to_owned()),
        origine_offre: Some(OrigineOffre {
            origine: r.origine.to_string(),
            url_origine: Some(url_candidat),
            partenaires: (r.origine == 2).then(|| {
                let name = PARTNERS[index % PARTNERS.len()];
                vec![Partenaire {
                    nom: name.to_owned(),
                    url: url_postulation.clone(),
                    logo: Some(format!(
                        "https://www.francetravail.fr/static/img/partenaires/{}80.png",
                        name.to_lowercase()
                    )),
                }]
            }),
        }),
        offres_manque_candidats: Some(r.manque_candidats),
        contexte_travail: Some(ContexteTravail {
            horaires: Some(StringOrList::Many(vec![duree_travail])),
            conditions_exercice: None,
        }),
        entreprise_adaptee: Some(r.entreprise_adaptee),
        employeur_handi_engage: Some(r.handi_engage),
    }
}

/// Formats Unix seconds plus milliseconds as `2026-03-02T09:14:27.318Z`.
pub(crate) fn iso_millis(secs: i64, millis: u16) -> String {
    let t = OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let base = t.format(&Rfc3339).unwrap_or_default();
    // Rfc3339 gives `...:27Z` for whole seconds.
    format!("{}.{millis:03}Z", base.trim_end_matches('Z'))
}

fn lieu_travail(cat: &Catalogue, r: &Record) -> LieuTravail {
    let referentiel = &cat.referentiel;
    match r.place {
        Place::Commune(i) => {
            let c = &referentiel.communes()[i as usize];
            LieuTravail {
                libelle: Some(format!("{} - {}", c.departement, c.nom)),
                latitude: c.lat,
                longitude: c.lon,
                code_postal: c.codes_postaux.first().map(ToString::to_string),
                commune: Some(c.code.to_string()),
            }
        }
        Place::Departement(i) => {
            let d = &referentiel.departements()[usize::from(i)];
            LieuTravail {
                libelle: Some(format!("{} - {}", d.code, d.nom)),
                ..LieuTravail::default()
            }
        }
        Place::France => {
            LieuTravail { libelle: Some("France".to_owned()), ..LieuTravail::default() }
        }
    }
}

/// `Préparateur / Préparatrice de commandes` → (`Préparateur de commandes`,
/// `Préparatrice de commandes`): the words after the feminine form are shared by both.
fn split_gender(libelle: &str) -> (String, String) {
    match libelle.split_once(" / ") {
        Some((m, f)) => {
            let k = m.split_whitespace().count();
            let suffix: Vec<&str> = f.split_whitespace().skip(k).collect();
            if suffix.is_empty() {
                (m.to_owned(), f.to_owned())
            } else {
                (format!("{m} {}", suffix.join(" ")), f.to_owned())
            }
        }
        None => (libelle.to_owned(), libelle.to_owned()),
    }
}

/// An employer's name that fits its NAF code: `Boulangerie Morel`, `EHPAD Fontaine`,
/// `Transports Garnier SAS`.
fn company_name(naf: &str, rng: &mut ChaCha8Rng) -> String {
    let kinds = employer_kinds(naf);
    let kind = kinds[rng.random_range(0..kinds.len())];
    let name = COMPANY_NAMES[rng.random_range(0..COMPANY_NAMES.len())];
    let suffix = if NON_PROFIT_DIVISIONS.contains(&naf.get(..2).unwrap_or("")) {
        ""
    } else {
        COMPANY_SUFFIXES[rng.random_range(0..COMPANY_SUFFIXES.len())]
    };
    format!("{kind} {name}{suffix}")
}

fn type_contrat_libelle(r: &Record, rng: &mut ChaCha8Rng) -> (String, Option<u32>) {
    match r.type_contrat_code() {
        "CDI" => ("CDI".to_owned(), None),
        "CDD" => {
            let m = [1, 2, 3, 4, 6, 8, 12, 18][rng.random_range(0..8)];
            (format!("CDD - {m} Mois"), Some(m))
        }
        "MIS" => {
            let d = rng.random_range(1..30);
            (format!("Intérim - {d} Jour(s)"), None)
        }
        "SAI" => {
            let m = rng.random_range(1..7);
            (format!("Contrat travail saisonnier - {m} Mois"), Some(m))
        }
        "DIN" => ("CDI intérimaire".to_owned(), None),
        "LIB" => ("Profession libérale".to_owned(), None),
        "FRA" => ("Franchise".to_owned(), None),
        "CCE" => ("Profession commerciale".to_owned(), None),
        "TTI" => ("Contrat travail temporaire insertion".to_owned(), None),
        "DDI" => ("CDD insertion - 4 Mois".to_owned(), Some(4)),
        _ => ("Reprise d'entreprise".to_owned(), None),
    }
}

fn salaire(r: &Record, rng: &mut ChaCha8Rng) -> Salaire {
    let Some(low) = r.salaire.map(f64::from) else {
        return Salaire { commentaire: Some("Selon profil".to_owned()), ..Salaire::default() };
    };
    let hours_a_month = f64::from(r.minutes_hebdo) / 60.0 * 52.0 / 12.0;
    let libelle = match r.type_contrat_code() {
        _ if matches!(r.nature_code(), "E2" | "FS") => {
            format!("Mensuel de {low:.1} Euros sur 12.0 mois")
        }
        "MIS" => format!("Horaire de {:.2} Euros sur 12.0 mois", low / hours_a_month),
        _ if r.qualification == 9 => {
            format!("Annuel de {:.1} Euros à {:.1} Euros sur 12.0 mois", low * 12.0, low * 14.5)
        }
        _ => format!("Mensuel de {low:.1} Euros à {:.1} Euros sur 12.0 mois", low * 1.15),
    };
    let complements = rng.random_bool(0.4).then(|| {
        vec![CodeLibelle {
            code: "17".to_owned(),
            libelle: "Titres restaurant / Prime de panier".to_owned(),
        }]
    });
    Salaire {
        libelle: Some(libelle),
        commentaire: None,
        complement1: complements.as_ref().map(|c| c[0].libelle.clone()),
        complement2: None,
        liste_complements: complements,
    }
}

fn description(
    r: &Record,
    metier: &str,
    company: &str,
    duree_mois: Option<u32>,
    hostile: Option<&str>,
    rng: &mut ChaCha8Rng,
) -> String {
    let mut text = String::with_capacity(900);
    if let Some(h) = hostile {
        text.push_str(h);
        text.push_str("\n<a href=\"javascript:window.__pwned=1\">Cliquez ici</a>\n");
    }
    text.push_str(&format!(
        "{company} recherche un(e) {} pour renforcer son équipe.\n\n",
        metier.to_lowercase()
    ));
    text.push_str("Vos missions :\n");
    for k in 0..rng.random_range(3..6) {
        text.push_str("- ");
        text.push_str(
            SKILLS[(usize::from(r.rome) + k * 3 + rng.random_range(0..3)) % SKILLS.len()],
        );
        text.push('\n');
    }
    text.push('\n');
    text.push_str(match r.experience_exige {
        0 => "Débutant(e) accepté(e) : une formation en interne est prévue.\n",
        1 => "Une première expérience sur un poste similaire serait appréciée.\n",
        _ => "Une expérience confirmée sur un poste similaire est exigée.\n",
    });
    if let Some(m) = duree_mois {
        text.push_str(&format!("Contrat de {m} mois, prise de poste rapide.\n"));
    }
    if rng.random_bool(0.5) {
        text.push_str("Poste accessible en transports en commun. Mutuelle et participation aux frais de transport.\n");
    }
    if r.nature_code() == "E2" {
        text.push_str("Contrat en alternance : vous préparez un diplôme en centre de formation.\n");
    }
    text.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::{employer_kinds, render, split_gender};
    use crate::catalogue::{Catalogue, CatalogueParams};

    /// Issue 13, point 9: employers were named at random, so a bakery hired a hospital agent.
    #[test]
    fn employers_are_named_for_their_sector() {
        let params =
            CatalogueParams { seed: 42, offers: 3_000, now: 1_795_176_000, hostile: false };
        let cat = Catalogue::generate(params, emploi_territory::Referentiel::load());
        let mut named = 0;
        for i in 0..cat.records.len() {
            let offre = render(&cat, i);
            let (Some(naf), Some(nom)) =
                (offre.code_naf.as_deref(), offre.entreprise.and_then(|e| e.nom))
            else {
                continue;
            };
            named += 1;
            let kinds = employer_kinds(naf);
            assert!(
                kinds.iter().any(|k| nom.starts_with(&k.to_uppercase())),
                "{nom} (NAF {naf}) is not one of {kinds:?}"
            );
            let rome = offre.rome_code.unwrap_or_default();
            // The NAF division comes from the ROME's sectors, the name from the NAF.
            let rome_sectors = &cat.romes[usize::from(cat.records[i].rome)].secteurs_naf;
            assert!(rome_sectors.iter().any(|d| naf.starts_with(d.as_str())), "{rome}: {naf}");
            if rome == "J1501" {
                assert!(!nom.starts_with("BOULANGERIE") && !nom.starts_with("GARAGE"), "{nom}");
            }
        }
        assert!(named > 2_500, "{named}");
        assert_eq!(employer_kinds("10.71C"), ["Boulangerie", "Fournil", "Boulangerie-pâtisserie"]);
        assert_eq!(employer_kinds("86.10Z")[0], "Centre hospitalier");
        assert_eq!(employer_kinds("99.00Z")[0], "Société");
    }

    #[test]
    fn gendered_titles_keep_their_shared_words() {
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(
            split_gender("Préparateur / Préparatrice de commandes"),
            pair("Préparateur de commandes", "Préparatrice de commandes")
        );
        assert_eq!(
            split_gender("Vendeur ambulant / Vendeuse ambulante"),
            pair("Vendeur ambulant", "Vendeuse ambulante")
        );
        assert_eq!(split_gender("Manutentionnaire"), pair("Manutentionnaire", "Manutentionnaire"));
    }
}
