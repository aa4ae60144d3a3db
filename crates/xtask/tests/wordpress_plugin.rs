//! The WordPress plugin passes on the element's attributes by name: its block and its shortcode
//! must know the same list as the element (`emploi_types::recherche::element_attributes`, less
//! `site`, which the plugin's settings give). A new setting of the vocabulary that the plugin
//! does not know fails here.

use std::path::Path;

#[test]
fn the_plugin_knows_every_element_attribute() {
    let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../widget/wordpress/offres-emploi");
    let expected: Vec<&str> =
        emploi_types::recherche::element_attributes().filter(|a| *a != "site").collect();

    let php = std::fs::read_to_string(plugin.join("offres-emploi.php")).unwrap_or_default();
    let list = php
        .split("const OFFRES_EMPLOI_ATTRIBUTES = array(")
        .nth(1)
        .and_then(|rest| rest.split(");").next())
        .unwrap_or_default();
    let in_php: Vec<&str> =
        list.split(',').map(|s| s.trim().trim_matches('\'')).filter(|s| !s.is_empty()).collect();
    assert_eq!(in_php, expected, "OFFRES_EMPLOI_ATTRIBUTES in offres-emploi.php");

    let block = std::fs::read_to_string(plugin.join("block.json")).unwrap_or_default();
    let block: serde_json::Value = serde_json::from_str(&block).unwrap_or_default();
    let in_block: Vec<&str> = block["attributes"]
        .as_object()
        .map(|a| a.keys().map(String::as_str).filter(|k| *k != "affichage").collect())
        .unwrap_or_default();
    let mut sorted = expected.clone();
    sorted.sort_unstable();
    assert_eq!(in_block, sorted, "block.json's attributes (besides affichage)");
}
