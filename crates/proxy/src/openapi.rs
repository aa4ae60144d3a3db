//! `GET /api/v1/openapi.json`: the OpenAPI document of the public API, generated from the
//! handlers' annotations and the `emploi-types` schemas.

use axum::Json;
use utoipa::OpenApi;

/// The document's root.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "emploi-proxy",
        description = "France Travail job offers for the <offres-emploi> widget: search, offer detail, places, métiers, market overview, job events and official labour-market figures. Every call but this document needs a site key (`site`) and a page origin allowed for it.",
    ),
    paths(
        crate::routes::search::search_offers,
        crate::routes::offres::get_offer,
        crate::routes::lieux::list_places,
        crate::routes::metiers::list_metiers,
        crate::routes::marche::market,
        crate::routes::evenements::list,
        crate::routes::evenements::calendar,
        crate::routes::evenements::figures,
        crate::routes::vue::first_view,
        crate::routes::flux::feed,
        crate::routes::offres::apply,
    ),
    tags(
        (name = "offres", description = "Job offers"),
        (name = "territoires", description = "Places and local market"),
        (name = "widget", description = "The widget's server-rendered first view"),
    )
)]
pub struct ApiDoc;

/// Serves the document.
pub(crate) async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The API reference in Markdown (`docs/api.md`), written from the document: each operation
/// with its parameters (type, constraints, description) and its answers. A test keeps the
/// committed file equal to it.
pub fn reference(doc: &serde_json::Value) -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "# Public API reference\n\n<!-- Written from /api/v1/openapi.json by the proxy's tests \
         (crates/proxy/tests/access.rs); do not edit: change the code and run \
         `EMPLOI_WRITE_DOCS=1 cargo test -p emploi-proxy --test access`. -->\n\n",
    );
    if let Some(text) = doc["info"]["description"].as_str() {
        let _ = writeln!(out, "{text}\n");
    }
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let _ = writeln!(out, "## `{} {path}`\n", method.to_uppercase());
            if let Some(text) = op["description"].as_str().or(op["summary"].as_str()) {
                let _ = writeln!(out, "{}\n", text.trim());
            }
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            if !params.is_empty() {
                out.push_str(
                    "| parameter | in | type and rule | what |\n| --- | --- | --- | --- |\n",
                );
                for p in &params {
                    let name = p["name"].as_str().unwrap_or("");
                    let required =
                        if p["required"].as_bool() == Some(true) { " (required)" } else { "" };
                    let _ = writeln!(
                        out,
                        "| `{name}`{required} | {} | {} | {} |",
                        p["in"].as_str().unwrap_or(""),
                        cell(&rule(&p["schema"])),
                        cell(p["description"].as_str().unwrap_or(""))
                    );
                }
                out.push('\n');
            }
            out.push_str("| status | answer |\n| --- | --- |\n");
            for (status, answer) in op["responses"].as_object().into_iter().flatten() {
                let _ = writeln!(
                    out,
                    "| {status} | {} |",
                    cell(answer["description"].as_str().unwrap_or(""))
                );
            }
            out.push('\n');
        }
    }
    out
}

/// A parameter's schema in words: its type and every constraint.
fn rule(schema: &serde_json::Value) -> String {
    let mut parts = Vec::new();
    let kind = schema["type"].as_str().unwrap_or("");
    if kind == "array" {
        parts.push(format!("list of {}, comma-separated", rule(&schema["items"])));
    } else if !kind.is_empty() {
        parts.push(kind.to_owned());
    }
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values
            .iter()
            .map(|v| format!("`{}`", v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect();
        parts.push(format!("one of {}", values.join(", ")));
    }
    let bound = |key: &str, what: &str| schema[key].as_u64().map(|n| format!("{what} {n}"));
    parts.extend(bound("minimum", "≥"));
    parts.extend(bound("maximum", "≤"));
    parts.extend(bound("minLength", "at least").map(|s| format!("{s} characters")));
    parts.extend(bound("maxLength", "at most").map(|s| format!("{s} characters")));
    parts.extend(bound("minItems", "at least").map(|s| format!("{s} item")));
    if let Some(pattern) = schema["pattern"].as_str() {
        parts.push(format!("pattern `{pattern}`"));
    }
    if !schema["default"].is_null() {
        let d = &schema["default"];
        parts
            .push(format!("default `{}`", d.as_str().map_or_else(|| d.to_string(), str::to_owned)));
    }
    parts.join(", ")
}
