//! The ROME 4.0 métiers (fiches): codes, labels and the NAF divisions they are linked to, and
//! the métier look-up of the keywords field.

use compact_str::CompactString;
use serde::Deserialize;

use crate::fold;

/// One ROME 4.0 fiche, e.g. `J1501` "Aide-soignant / Aide-soignante".
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metier {
    /// ROME code: a letter A to N and four digits.
    pub code: CompactString,
    /// Label, masculine and feminine forms.
    pub libelle: CompactString,
    /// Two-digit NAF divisions the fiche is linked to.
    pub secteurs_naf: Vec<CompactString>,
    #[serde(skip)]
    folded: String,
}

impl Metier {
    /// Code and label folded for look-ups (see [`fold`]), after a space so that word starts
    /// are found with a plain `contains(" word")`.
    pub fn folded(&self) -> &str {
        &self.folded
    }
}

/// Whether `code` has the shape of a ROME code (`J1501`).
pub fn is_rome_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5 && (b'A'..=b'N').contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit)
}

/// The parsed fiches, with their labels folded and sorted by code.
pub(crate) fn with_folded(mut metiers: Vec<Metier>) -> Vec<Metier> {
    metiers.sort_by(|a, b| a.code.cmp(&b.code));
    for m in &mut metiers {
        m.folded = folded_label(&m.code, &m.libelle);
    }
    metiers
}

/// `code` and `label` as [`Metier::folded`] holds them.
pub fn folded_label(code: &str, label: &str) -> String {
    format!(" {}", fold(&format!("{code} {label}")))
}

/// A typed query matched against folded labels: every word of the query must start a word of
/// the label ("aide soi" finds "Aide-soignant / Aide-soignante"), accents and case ignored.
#[derive(Debug, Clone)]
pub struct WordQuery {
    /// The folded query after a space.
    whole: String,
    /// Each folded word after a space.
    words: Vec<String>,
}

impl WordQuery {
    /// The query of `text`, `None` when it has no letter or digit.
    pub fn new(text: &str) -> Option<Self> {
        let folded = fold(text);
        if folded.is_empty() {
            return None;
        }
        let words = folded.split(' ').map(|w| format!(" {w}")).collect();
        Some(Self { whole: format!(" {folded}"), words })
    }

    /// How well a folded label (as [`folded_label`] makes them) matches: `None` when some word
    /// is missing, `Some(0)` when the label, past its code, starts with the whole query,
    /// `Some(1)` when the query's words appear in order, `Some(2)` otherwise.
    pub fn rank(&self, folded: &str) -> Option<u8> {
        if !self.words.iter().all(|w| folded.contains(w.as_str())) {
            return None;
        }
        // Past the code: " aide soignant aide soignante".
        let label = folded.get(1..).and_then(|f| f.find(' ').map(|i| &f[i..])).unwrap_or("");
        if label.starts_with(&self.whole) || folded.starts_with(&self.whole) {
            Some(0)
        } else if folded.contains(&self.whole) {
            Some(1)
        } else {
            Some(2)
        }
    }
}

/// The best matches of `query` among `items`, best rank first, then shorter labels, then in
/// their order; at most `limit`.
pub fn best_matches<'a, T>(
    items: &'a [T],
    query: &str,
    limit: usize,
    folded: impl Fn(&T) -> &str,
) -> Vec<&'a T> {
    let Some(q) = WordQuery::new(query) else { return Vec::new() };
    let mut found: Vec<(u8, usize, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let f = folded(item);
            q.rank(f).map(|rank| (rank, f.len(), i))
        })
        .collect();
    found.sort_unstable();
    found.into_iter().take(limit).map(|(_, _, i)| &items[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metiers() -> Vec<Metier> {
        #[allow(clippy::unwrap_used)]
        with_folded(serde_json::from_str(include_str!("../data/rome.json")).unwrap())
    }

    fn codes(found: &[&Metier]) -> Vec<String> {
        found.iter().map(|m| m.code.to_string()).collect()
    }

    #[test]
    fn accents_case_and_word_starts_are_ignored() {
        let all = metiers();
        let found = best_matches(&all, "aide soi", 5, Metier::folded);
        assert_eq!(
            found.first().map(|m| m.libelle.as_str()),
            Some("Aide-soignant / Aide-soignante")
        );
        let accented = best_matches(&all, "AIDE-SOÏ", 5, Metier::folded);
        assert_eq!(codes(&found), codes(&accented));
        // Word starts only: "oignant" is inside a word.
        assert!(best_matches(&all, "oignant", 5, Metier::folded).is_empty());
    }

    #[test]
    fn a_code_finds_its_fiche_and_labels_starting_with_the_query_come_first() {
        let all = metiers();
        assert_eq!(codes(&best_matches(&all, "j1501", 3, Metier::folded)), ["J1501"]);
        let found = best_matches(&all, "boulanger", 5, Metier::folded);
        assert!(
            found[0].folded().starts_with(&format!(" {} boulanger", found[0].code.to_lowercase()))
        );
        assert!(best_matches(&all, " ,; ", 5, Metier::folded).is_empty());
    }

    #[test]
    fn rome_codes_have_a_letter_a_to_n_and_four_digits() {
        assert!(is_rome_code("J1501") && is_rome_code("N4101"));
        assert!(!is_rome_code("Z1501") && !is_rome_code("j1501") && !is_rome_code("J150"));
        assert!(metiers().iter().all(|m| is_rome_code(&m.code)));
    }
}
