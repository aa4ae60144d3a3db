//! `GET /api/v1/openapi.json`: the OpenAPI document of the public API, generated from the
//! handlers' annotations and the `emploi-types` schemas.

use axum::Json;
use utoipa::OpenApi;

/// The document's root.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "emploi-proxy",
        description = "France Travail job offers for the <offres-emploi> widget: search, offer detail, places, métiers and market overview. Every call but this document needs a site key (`site`) and a page origin allowed for it.",
    ),
    paths(
        crate::routes::search::search_offers,
        crate::routes::offres::get_offer,
        crate::routes::lieux::list_places,
        crate::routes::metiers::list_metiers,
        crate::routes::marche::market,
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
