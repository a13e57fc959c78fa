//! The OpenAPI document the mobile team builds against. Paths and schemas are collected from the
//! `#[utoipa::path]` handlers registered in the server's route table (`startup::api_routes`), so the document cannot
//! list a route the server does not serve. `mobile-api-spec/openapi.json` is this document,
//! committed; a test fails when the two drift (`UPDATE_SPEC=1 cargo test` rewrites it).

use actix_web::App;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{Code, ErrorBody};
use crate::http::constraints::{self, FieldRule, ParamRule};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jiaxiao (家校) API",
        description = "Family–school collaboration under 双减. See mobile-api-spec/README.md for authentication, pagination, errors and languages.\n\nEvery authenticated POST takes an optional `Idempotency-Key` header (1–128 characters, unique per intended action, kept 24 hours): a retry with the same key and the same body answers the first response again (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_key_reused`, and a retry while the first is still running 409 `idempotency_in_progress`.\n\nNo string in a body or a query may contain the NUL character (U+0000), and dates and times have four-digit years (RFC 3339): such input is refused (422 `validation_failed` in a body, 400 `invalid_query` in a query) naming the field.",
        license(name = "Apache-2.0")
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth, &SharedErrors),
    tags(
        (name = "auth", description = "Activation, sign-in, tokens and sessions"),
        (name = "org", description = "Districts, schools, classes, children and the caller's profile"),
        (name = "roster", description = "CSV roster import by school admins"),
        (name = "policy", description = "双减 content rules: lint a draft before sending"),
        (name = "notices", description = "Notices with receipts: school → families, bureau → schools"),
        (name = "inbox", description = "One inbox of everything addressed to the caller"),
        (name = "delivery", description = "Devices, notification preferences, school quiet hours"),
        (name = "conversations", description = "Guardian–teacher conversations with attachments"),
        (name = "calendar", description = "The school calendar: terms, holidays and make-up days"),
        (name = "mentoring", description = "全员导师制: mentors, coverage, the three tasks, home visits"),
        (name = "parent_school", description = "家长学校: courses, sessions and check-in, the family's credit ledger"),
        (name = "complaints", description = "监管举报: families' complaints to the bureau, forwarded to schools, closed with an outcome"),
        (name = "reporting", description = "The bureau's dashboard: aggregates only, small cells suppressed"),
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

/// The answers an operation can give because of its shape, whatever its handler does: declared
/// once as shared responses (`#/components/responses/…`, each naming its codes from the code
/// table) and referenced from every operation that does not describe that status itself.
///
/// | the operation…                  | can answer                                                |
/// |---------------------------------|-----------------------------------------------------------|
/// | is bearer-secured               | 401 `unauthenticated`                                     |
/// | has path parameters             | 404 `not_found` (an id that does not parse names nothing) |
/// | has query parameters            | 400 `invalid_query`, 422 `validation_failed`              |
/// | takes a body                    | 400 `invalid_json`, 413, 415, 422 `validation_failed`     |
/// | is a bearer-secured POST        | 409 and 422 for a misused `Idempotency-Key`               |
///
/// `Idempotency-Key` itself is described once, in the document's description, not as a parameter
/// of each POST: clients add it in one interceptor (like `Authorization`), and a generated client
/// or fuzzer that fills it in per call would reuse one value for different requests.
struct SharedErrors;

/// One shared response: its component name, status and the codes it may carry.
struct Shared {
    name: &'static str,
    status: u16,
    codes: &'static [Code],
}

const UNAUTHENTICATED: Shared = Shared { name: "Unauthenticated", status: 401, codes: &[Code::Unauthenticated] };
const NOT_FOUND: Shared = Shared { name: "NotFound", status: 404, codes: &[Code::NotFound] };
const BAD_QUERY: Shared = Shared { name: "InvalidQuery", status: 400, codes: &[Code::InvalidQuery] };
const BAD_BODY: Shared =
    Shared { name: "InvalidBody", status: 400, codes: &[Code::InvalidQuery, Code::InvalidJson, Code::InvalidBody] };
const INVALID: Shared = Shared { name: "ValidationFailed", status: 422, codes: &[Code::ValidationFailed] };
const INVALID_OR_KEY_REUSED: Shared = Shared {
    name: "ValidationFailedOrKeyReused",
    status: 422,
    codes: &[Code::ValidationFailed, Code::IdempotencyKeyReused],
};
const IN_PROGRESS: Shared =
    Shared { name: "IdempotencyInProgress", status: 409, codes: &[Code::IdempotencyInProgress] };
const TOO_LARGE: Shared = Shared { name: "PayloadTooLarge", status: 413, codes: &[Code::PayloadTooLarge] };
const MEDIA_TYPE: Shared = Shared { name: "UnsupportedMediaType", status: 415, codes: &[Code::UnsupportedMediaType] };

const ALL_SHARED: &[Shared] = &[
    UNAUTHENTICATED,
    NOT_FOUND,
    BAD_QUERY,
    BAD_BODY,
    INVALID,
    INVALID_OR_KEY_REUSED,
    IN_PROGRESS,
    TOO_LARGE,
    MEDIA_TYPE,
];

impl Shared {
    fn response(&self) -> utoipa::openapi::Response {
        let description = self
            .codes
            .iter()
            .map(|code| format!("`{}`: {}", code.as_str(), code.message().en))
            .collect::<Vec<_>>()
            .join(" Or ");
        ResponseBuilder::new()
            .description(description)
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
            .build()
    }
}

impl Modify for SharedErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for shared in ALL_SHARED {
            components.responses.insert(shared.name.to_owned(), RefOr::T(shared.response()));
        }
    }
}

/// A parameter that is not sent is how a query, header or path says "none": utoipa types an
/// `Option<T>` parameter as `[T, null]`, which would invite the text `null`, refused as not a `T`.
fn parameters_are_never_null(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        if let RefOr::T(parameter) = parameter
            && let Some(RefOr::T(Schema::Object(object))) = parameter.schema.as_mut()
            && let SchemaType::Array(types) = &object.schema_type
        {
            let types: Vec<Type> = types.iter().filter(|t| **t != Type::Null).cloned().collect();
            object.schema_type = match types.as_slice() {
                [one] => SchemaType::Type(one.clone()),
                _ => SchemaType::Array(types),
            };
        }
    }
}

/// Adds the shared answers to one operation (`is_post`: its method is POST).
fn declare_shared_errors(operation: &mut Operation, is_post: bool) {
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let located = |place: ParameterIn| parameters.iter().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place));
    let (has_path, has_query) = (located(ParameterIn::Path), located(ParameterIn::Query));
    let has_body = operation.request_body.is_some();
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let idempotent = secured && is_post;

    let mut applies: Vec<&Shared> = Vec::new();
    if secured {
        applies.push(&UNAUTHENTICATED);
    }
    if has_path {
        applies.push(&NOT_FOUND);
    }
    if has_body {
        applies.extend([&BAD_BODY, &TOO_LARGE, &MEDIA_TYPE]);
    } else if has_query {
        applies.push(&BAD_QUERY);
    }
    if idempotent {
        applies.extend([&IN_PROGRESS, &INVALID_OR_KEY_REUSED]);
    } else if has_body || has_query {
        applies.push(&INVALID);
    }
    for shared in applies {
        operation
            .responses
            .responses
            .entry(shared.status.to_string())
            .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/responses/{}", shared.name))));
    }
}

/// Declares the shared answers on every operation (see [`SharedErrors`]); runs after the routes
/// are collected, since the `#[openapi]` modifiers run before them.
fn declare_shared_errors_everywhere(openapi: &mut utoipa::openapi::OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        for (operation, is_post) in [
            (&mut item.get, false),
            (&mut item.put, false),
            (&mut item.post, true),
            (&mut item.delete, false),
            (&mut item.patch, false),
        ] {
            if let Some(operation) = operation {
                parameters_are_never_null(operation);
                declare_shared_errors(operation, is_post);
            }
        }
    }
}

/// The whole document, from the routes `configure` mounts (the server's own route table), with
/// the domains' field and parameter limits; also answers the limits whose field it lacks.
pub fn document(
    configure: fn(&mut ServiceConfig),
    fields: &[FieldRule],
    params: &[ParamRule],
) -> (utoipa::openapi::OpenApi, Vec<String>) {
    let (_app, mut api) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(configure).split_for_parts();
    declare_shared_errors_everywhere(&mut api);
    let unapplied = constraints::apply(&mut api, fields, params);
    (api, unapplied)
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn to_committed_json(document: &utoipa::openapi::OpenApi) -> String {
    let mut json = document.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}
