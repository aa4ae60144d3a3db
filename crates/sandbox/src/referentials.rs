//! The `/v2/referentiel/{name}` lists.
//!
//! Lists with real data behind them (communes, départements, régions, contract types, ROME
//! métiers, NAF codes and divisions) are built from the embedded reference data. The others
//! (`appellations`, `domaines`, `themes`, `langues`, `niveauxFormations`, `pays`, `continents`,
//! `permis`, `naturesContrats`) are small plausible lists, documented as such in the README.

use emploi_territory::Referentiel;
use serde_json::{Value, json};

use crate::catalogue::Catalogue;

/// Every referential name France Travail serves.
pub const NAMES: [&str; 16] = [
    "appellations",
    "communes",
    "continents",
    "departements",
    "domaines",
    "langues",
    "metiers",
    "nafs",
    "naturesContrats",
    "niveauxFormations",
    "pays",
    "permis",
    "regions",
    "secteursActivites",
    "themes",
    "typesContrats",
];

/// The JSON array of the referential `name`, or `None` for an unknown name.
pub fn referential(cat: &Catalogue, name: &str) -> Option<Value> {
    let pairs = |items: &[(&str, &str)]| -> Value {
        Value::Array(items.iter().map(|(c, l)| json!({"code": c, "libelle": l})).collect())
    };
    Some(match name {
        "communes" => communes(&cat.referentiel),
        "departements" => Value::Array(
            cat.referentiel
                .departements()
                .iter()
                .filter(|d| cat.referentiel.region(&d.region).is_some())
                .map(|d| {
                    let region = cat.referentiel.region(&d.region).map(|r| r.nom.clone());
                    json!({"code": d.code, "libelle": d.nom, "region": {"code": d.region, "libelle": region}})
                })
                .collect(),
        ),
        "regions" => Value::Array(
            cat.referentiel
                .regions()
                .iter()
                .map(|r| json!({"code": r.code, "libelle": r.nom}))
                .collect(),
        ),
        "typesContrats" => serde_json::from_str(include_str!("../data/types-contrats.json")).ok()?,
        "metiers" => Value::Array(
            cat.romes.iter().map(|r| json!({"code": r.code, "libelle": r.libelle})).collect(),
        ),
        "appellations" => Value::Array(
            cat.romes
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let label = r.libelle.split(" / ").next().unwrap_or(&r.libelle);
                    json!({"code": appellation_code(i), "libelle": label})
                })
                .collect(),
        ),
        "nafs" => Value::Array(
            cat.nafs
                .iter()
                .filter(|n| n.niveau == "sous-classe")
                .map(|n| json!({"code": n.code, "libelle": n.libelle}))
                .collect(),
        ),
        "secteursActivites" => Value::Array(
            cat.nafs
                .iter()
                .filter(|n| n.niveau == "division")
                .map(|n| json!({"code": n.code, "libelle": n.libelle}))
                .collect(),
        ),
        "naturesContrats" => pairs(&[
            ("E1", "Contrat travail"),
            ("E2", "Contrat apprentissage"),
            ("FS", "Cont. professionnalisation"),
            ("I1", "Insertion par l'activ.éco."),
            ("CC", "CDI de chantier ou d'opération"),
            ("PS", "Portage salarial"),
            ("NS", "Emploi non salarié"),
            ("CU", "Contrat unique d'insertion"),
        ]),
        "niveauxFormations" => pairs(&[
            ("AFS", "Aucune formation scolaire"),
            ("CP4", "Primaire à 4ème"),
            ("CFG", "4ème achevée"),
            ("C3A", "Bac ou équivalent"),
            ("NV5", "CAP, BEP et équivalents"),
            ("NV4", "Bac ou équivalent"),
            ("NV3", "Bac+2 ou équivalents"),
            ("NV2", "Bac+3, Bac+4 ou équivalents"),
            ("NV1", "Bac+5 et plus ou équivalents"),
        ]),
        "permis" => pairs(&[
            ("AM", "AM - Cyclomoteur"),
            ("A", "A - Moto"),
            ("B", "B - Véhicule léger"),
            ("BE", "BE - Véhicule léger + remorque"),
            ("C", "C - Poids lourd"),
            ("CE", "CE - Super lourd"),
            ("D", "D - Transport en commun"),
        ]),
        "langues" => pairs(&[
            ("AN", "Anglais"),
            ("AL", "Allemand"),
            ("ES", "Espagnol"),
            ("IT", "Italien"),
            ("AR", "Arabe"),
            ("PO", "Portugais"),
            ("BR", "Breton"),
        ]),
        "continents" => pairs(&[
            ("AF", "Afrique"),
            ("AM", "Amérique"),
            ("AS", "Asie"),
            ("9C", "Europe hors France"),
            ("9F", "Océanie"),
            ("XX", "Monde"),
        ]),
        "pays" => pairs(&[
            ("01", "France"),
            ("02", "Allemagne"),
            ("03", "Belgique"),
            ("04", "Espagne"),
            ("05", "Italie"),
            ("06", "Luxembourg"),
            ("07", "Suisse"),
        ]),
        "themes" => pairs(&[
            ("1", "Agriculture"),
            ("2", "Artisanat"),
            ("3", "Commerce"),
            ("4", "Construction"),
            ("5", "Hôtellerie, restauration"),
            ("6", "Industrie"),
            ("7", "Santé"),
            ("8", "Services à la personne"),
            ("9", "Transport et logistique"),
        ]),
        "domaines" => pairs(&[
            ("A11", "Engins agricoles et forestiers"),
            ("D11", "Commerce alimentaire"),
            ("F17", "Construction, bâtiment et travaux publics"),
            ("G17", "Hôtellerie"),
            ("G18", "Restauration"),
            ("J15", "Soins"),
            ("K12", "Action sociale"),
            ("M18", "Systèmes d'information et de télécommunication"),
            ("N11", "Magasinage, manutention des charges"),
        ]),
        _ => return None,
    })
}

/// The made-up appellation code of the `i`-th ROME fiche: one appellation per fiche, its
/// masculine label.
fn appellation_code(i: usize) -> String {
    (10_000 + i * 7).to_string()
}

/// The ROME fiche (index among `fiches`) of an appellation code the sandbox made up.
pub(crate) fn appellation_rome(code: &str, fiches: usize) -> Option<u16> {
    let n: usize = code.parse().ok().filter(|_| code.bytes().all(|b| b.is_ascii_digit()))?;
    let i = n.checked_sub(10_000).filter(|d| d % 7 == 0)? / 7;
    (i < fiches).then(|| u16::try_from(i).ok()).flatten()
}

/// One row per (INSEE code, postal code), upper-case labels without accents, arrondissements
/// rather than the whole-city codes of Paris, Lyon and Marseille.
fn communes(r: &Referentiel) -> Value {
    let mut rows = Vec::with_capacity(40_000);
    for c in r.communes() {
        if Referentiel::is_split_city(&c.code) {
            continue;
        }
        let libelle = deunicode_upper(&c.nom);
        for cp in &c.codes_postaux {
            rows.push(json!({"code": c.code, "libelle": libelle, "codePostal": cp, "codeDepartement": c.departement}));
        }
    }
    Value::Array(rows)
}

fn deunicode_upper(name: &str) -> String {
    emploi_territory::fold(name).to_uppercase()
}
