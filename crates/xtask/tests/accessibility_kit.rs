//! `docs/accessibilite.md` cites, for each RGAA criterion, the test that checks it, as
//! `[test: <file> › <test name>]`. A kit that cites a test renamed or removed would promise what
//! nothing checks any more: this test fails then, naming the citation.

use std::path::Path;

/// The citations of `kit`: (file, test name).
fn citations(kit: &str) -> Vec<(String, String)> {
    kit.split("[test: ")
        .skip(1)
        .filter_map(|rest| {
            let cited = rest.split(']').next()?;
            let (file, name) = cited.split_once(" › ")?;
            Some((file.trim().to_owned(), name.trim().to_owned()))
        })
        .collect()
}

/// Whether `source` (the text of a test file) defines a test called `name`: a Playwright
/// `test('…'` (quotes escaped as written in the source) or a Rust `fn name(`.
fn defines(source: &str, file: &str, name: &str) -> bool {
    if file.ends_with(".rs") {
        return source.contains(&format!("fn {name}("));
    }
    let single = name.replace('\'', "\\'");
    let double = name.replace('"', "\\\"");
    source.contains(&format!("test('{single}'"))
        || source.contains(&format!("test(\"{double}\""))
        || source.contains(&format!("test(`{name}`"))
}

#[test]
fn every_test_the_accessibility_kit_cites_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let kit = std::fs::read_to_string(root.join("docs/accessibilite.md"))
        .unwrap_or_else(|e| panic!("docs/accessibilite.md: {e}"));
    let cited = citations(&kit);
    assert!(
        cited.len() >= 40,
        "the kit cites {} tests: is its citation format intact?",
        cited.len()
    );
    let missing: Vec<String> = cited
        .iter()
        .filter(|(file, name)| {
            std::fs::read_to_string(root.join(file))
                .map_or(true, |source| !defines(&source, file, name))
        })
        .map(|(file, name)| format!("{file} › {name}"))
        .collect();
    assert!(
        missing.is_empty(),
        "cited in docs/accessibilite.md but not found:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_renamed_test_is_caught() {
    let kit = "| 9.1 | yes | … | [test: a.spec.mjs › the page\u{2019}s outline] [test: b.rs › outline_is_whole] |";
    let cited = citations(kit);
    assert_eq!(cited.len(), 2);
    assert!(defines("test('the page\u{2019}s outline', async", "a.spec.mjs", &cited[0].1));
    assert!(!defines("test('the page outline', async", "a.spec.mjs", &cited[0].1));
    assert!(defines("fn outline_is_whole() {", "b.rs", &cited[1].1));
    assert!(!defines("fn outline_is_whole_now() {", "b.rs", &cited[1].1));
    assert!(defines(r"test('fields\' edges', async", "c.spec.mjs", "fields' edges"));
}
