//! The OpenAPI document the mobile team builds against. Paths and schemas are collected from the
//! `#[utoipa::path]` handlers registered in the server's route table (`startup::api_routes`), so the document cannot
//! list a route the server does not serve. `mobile-api-spec/openapi.json` is this document,
//! committed; a test fails when the two drift (`UPDATE_SPEC=1 cargo test` rewrites it).

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jiaxiao (家校) API",
        description = "Family–school collaboration under 双减. See mobile-api-spec/README.md for authentication, pagination, errors and languages.",
        license(name = "Apache-2.0")
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Activation, sign-in, tokens and sessions"),
        (name = "org", description = "Districts, schools, classes, children and the caller's profile"),
        (name = "roster", description = "CSV roster import by school admins"),
        (name = "policy", description = "双减 content rules: lint a draft before sending"),
        (name = "notices", description = "Notices with receipts: school → families, bureau → schools"),
        (name = "inbox", description = "One inbox of everything addressed to the caller"),
        (name = "delivery", description = "Devices, notification preferences, school quiet hours"),
        (name = "conversations", description = "Guardian–teacher conversations with attachments"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// The whole document, from the routes `configure` mounts (the server's own route table).
pub fn document(configure: fn(&mut ServiceConfig)) -> utoipa::openapi::OpenApi {
    let (_app, api) = App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(configure).split_for_parts();
    api
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn to_committed_json(document: &utoipa::openapi::OpenApi) -> String {
    let mut json = document.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}
