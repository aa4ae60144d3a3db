//! The métiers the keywords field suggests and a search can apply: the ROME 4.0 fiches embedded
//! in the referential and, with real credentials, France Travail's appellations referential
//! (job titles within the fiches), fetched through the upstream cache (kept a day, shared over
//! Redis, stale-if-error) and folded once per fetch.

use std::sync::{Arc, Mutex, PoisonError};

use emploi_territory::{Referentiel, WordQuery, folded_label, is_rome_code};
use emploi_types::api::{GenreMetier, MetierChoix};
use emploi_types::ft::CodeLibelle;

use crate::error::{AppError, AppResult};
use crate::upstream::Upstream;

/// One appellation, folded for look-ups.
#[derive(Debug)]
pub struct Appellation {
    /// Its code and label.
    pub choix: MetierChoix,
    folded: String,
}

/// The appellations of one fetch, folded.
pub type Appellations = Arc<Vec<Appellation>>;

/// What a search knows of appellation codes.
#[derive(Debug, Clone, Copy)]
pub enum AppellationCodes<'a> {
    /// None are offered (sandbox mode): a `metier` is a ROME code.
    Off,
    /// They are offered, but France Travail cannot list them now (nor any older copy): a code
    /// of the right shape is taken as it is.
    Unavailable,
    /// The list.
    Known(&'a [Appellation]),
}

/// Where métiers come from.
#[derive(Debug)]
pub struct Metiers {
    referentiel: Arc<Referentiel>,
    /// The upstream, when appellations are asked for (real credentials).
    upstream: Option<Arc<Upstream>>,
    /// The last fetched list and its folded form, refolded when the cache hands a new list.
    folded: Mutex<Option<(Arc<Vec<CodeLibelle>>, Appellations)>>,
}

/// Whether `code` has the shape of an appellation code (5 or 6 digits).
pub fn is_appellation_code(code: &str) -> bool {
    (5..=6).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

impl Metiers {
    /// Métiers from the referential, and appellations through `upstream` when given.
    pub fn new(referentiel: Arc<Referentiel>, upstream: Option<Arc<Upstream>>) -> Self {
        Self { referentiel, upstream, folded: Mutex::new(None) }
    }

    /// Whether appellations are fetched from France Travail.
    pub fn with_appellations(&self) -> bool {
        self.upstream.is_some()
    }

    /// France Travail's appellations, `None` without real credentials or when France Travail
    /// cannot give them (nor any older copy): suggestions are then the ROME fiches alone.
    pub async fn appellations(&self) -> Option<Appellations> {
        let upstream = self.upstream.as_ref()?;
        let served = match upstream.referential("appellations").await {
            Ok(served) => served.value,
            Err(e) => {
                tracing::warn!(error = %e, "no appellations referential: ROME fiches only");
                return None;
            }
        };
        let lock = || self.folded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((raw, folded)) = lock().as_ref()
            && Arc::ptr_eq(raw, &served)
        {
            return Some(Arc::clone(folded));
        }
        let folded: Appellations = Arc::new(
            served
                .iter()
                .filter(|a| is_appellation_code(&a.code) && !a.libelle.trim().is_empty())
                .map(|a| Appellation {
                    folded: folded_label(&a.code, &a.libelle),
                    choix: MetierChoix {
                        genre: GenreMetier::Appellation,
                        code: a.code.clone(),
                        libelle: a.libelle.clone(),
                    },
                })
                .collect(),
        );
        *lock() = Some((served, Arc::clone(&folded)));
        Some(folded)
    }

    /// The best `limit` métiers for a typed query: ROME fiches and appellations whose code or
    /// label has a word starting with each word of the query. Labels starting with the query
    /// come first; within a rank, fiches (the wider searches) before appellations, then shorter
    /// labels.
    pub async fn suggest(&self, query: &str, limit: usize) -> Vec<MetierChoix> {
        let Some(q) = WordQuery::new(query) else { return Vec::new() };
        let appellations = self.appellations().await;
        let mut found: Vec<(u8, u8, usize, MetierChoix)> = Vec::new();
        let mut fiche_labels = std::collections::HashSet::new();
        for m in self.referentiel.metiers() {
            if let Some(rank) = q.rank(m.folded()) {
                fiche_labels.insert(emploi_territory::fold(&m.libelle));
                let choix = MetierChoix {
                    genre: GenreMetier::Rome,
                    code: m.code.to_string(),
                    libelle: m.libelle.to_string(),
                };
                found.push((rank, 0, m.libelle.len(), choix));
            }
        }
        for a in appellations.iter().flat_map(|list| list.iter()) {
            // An appellation worded as its fiche adds nothing: the fiche is the wider search.
            if let Some(rank) = q.rank(&a.folded)
                && !fiche_labels.contains(&emploi_territory::fold(&a.choix.libelle))
            {
                found.push((rank, 1, a.choix.libelle.len(), a.choix.clone()));
            }
        }
        found.sort_by(|a, b| (a.0, a.1, a.2, &a.3.code).cmp(&(b.0, b.1, b.2, &b.3.code)));
        found.into_iter().take(limit).map(|f| f.3).collect()
    }
}

/// The métier of a search's `metier` value: a ROME code of the referential, or an appellation
/// code as `appellations` allows.
pub fn resolve(
    value: &str,
    referentiel: &Referentiel,
    appellations: AppellationCodes<'_>,
) -> AppResult<MetierChoix> {
    let code = value.trim().to_ascii_uppercase();
    let unknown = || {
        AppError::unprocessable(
            "metier",
            format!(
                "Métier inconnu : « {value} ». Choisissez un métier proposé par le champ des mots-clés, ou un code ROME (par exemple J1501)."
            ),
            format!(
                "Unknown métier \"{value}\". Choose one the keywords field suggests, or a ROME code (for example J1501)."
            ),
        )
    };
    if is_rome_code(&code) {
        let m = referentiel.metier(&code).ok_or_else(unknown)?;
        return Ok(MetierChoix { genre: GenreMetier::Rome, code, libelle: m.libelle.to_string() });
    }
    if is_appellation_code(&code) {
        return match appellations {
            AppellationCodes::Known(list) => list
                .iter()
                .find(|a| a.choix.code == code)
                .map(|a| a.choix.clone())
                .ok_or_else(unknown),
            AppellationCodes::Unavailable => {
                Ok(MetierChoix { genre: GenreMetier::Appellation, libelle: code.clone(), code })
            }
            AppellationCodes::Off => Err(AppError::unprocessable(
                "metier",
                format!(
                    "« {value} » est un code d'appellation, que ce service ne propose pas : indiquez un code ROME (une lettre de A à N et 4 chiffres, par exemple J1501)."
                ),
                format!(
                    "\"{value}\" is an appellation code, which this service does not offer: give a ROME code (a letter A to N and 4 digits, for example J1501)."
                ),
            )),
        };
    }
    Err(AppError::unprocessable(
        "metier",
        format!(
            "« metier » vaut un code ROME (une lettre de A à N et 4 chiffres, par exemple J1501) ou un code d'appellation (5 ou 6 chiffres), pas « {value} »."
        ),
        format!(
            "\"metier\" is a ROME code (a letter A to N and 4 digits, for example J1501) or an appellation code (5 or 6 digits), not \"{value}\"."
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn referentiel() -> &'static Referentiel {
        static R: std::sync::OnceLock<Referentiel> = std::sync::OnceLock::new();
        R.get_or_init(Referentiel::load)
    }

    fn appellation(code: &str, libelle: &str) -> Appellation {
        Appellation {
            folded: folded_label(code, libelle),
            choix: MetierChoix {
                genre: GenreMetier::Appellation,
                code: code.into(),
                libelle: libelle.into(),
            },
        }
    }

    #[tokio::test]
    async fn fiches_are_suggested_without_appellations() {
        let metiers = Metiers::new(Arc::new(Referentiel::load()), None);
        let found = metiers.suggest("aide soi", 8).await;
        assert_eq!(found[0].code, "J1501");
        assert!(found.iter().all(|m| m.genre == GenreMetier::Rome));
        assert!(metiers.suggest("  ", 8).await.is_empty());
    }

    #[test]
    fn a_metier_is_a_known_rome_code_or_an_appellation_code() {
        let r = referentiel();
        let m = resolve("j1501", r, AppellationCodes::Off).unwrap();
        assert_eq!((m.genre, m.code.as_str()), (GenreMetier::Rome, "J1501"));
        assert_eq!(m.libelle, "Aide-soignant / Aide-soignante");
        let rejected = |value: &str, codes: AppellationCodes<'_>| matches!(resolve(value, r, codes), Err(AppError::Unprocessable { parametre, .. }) if parametre == "metier");
        let off = AppellationCodes::Off;
        assert!(rejected("Z9999", off) && rejected("A0000", off) && rejected("aide", off));
        // Appellations: refused where none are offered, taken as they are when France Travail
        // cannot list them, checked against the list otherwise.
        assert!(rejected("38444", off));
        let unavailable = resolve("38444", r, AppellationCodes::Unavailable).unwrap();
        assert_eq!(
            (unavailable.genre, unavailable.libelle.as_str()),
            (GenreMetier::Appellation, "38444")
        );
        let list = [appellation("38444", "Aide-soignant / Aide-soignante de nuit")];
        let known = AppellationCodes::Known(&list);
        assert_eq!(resolve("38444", r, known).unwrap().libelle, list[0].choix.libelle);
        assert!(rejected("38445", known));
    }
}
