//! Which methods each known path serves, read from the OpenAPI document (itself built from the
//! route table), so that a request with a method a known path does not serve answers
//! `405 method_not_allowed` with an `Allow` header instead of "no such route". actix routes by
//! method guard, so without this a wrong method looks like an unknown path. The same table knows
//! each operation's query parameters, so a parameter it does not take (a typo: `?curser=`) is
//! refused with `400 invalid_query` instead of being silently ignored.

use actix_web::http::header::ALLOW;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use crate::error::{ApiError, Code};

/// Path templates (`/api/v1/notices/{notice_id}`) with the methods each serves, and for each
/// documented operation the query parameters it takes.
#[derive(Debug, Default)]
pub struct AllowedMethods {
    routes: Vec<(Vec<Segment>, Vec<&'static str>)>,
    queries: Vec<(Vec<Segment>, &'static str, Vec<String>)>,
}

#[derive(Debug, PartialEq)]
enum Segment {
    Literal(String),
    Parameter,
}

/// The segments after the leading `/`; a trailing or doubled `/` leaves an empty one, as the
/// router sees it.
fn split(path: &str) -> std::str::Split<'_, char> {
    path.strip_prefix('/').unwrap_or(path).split('/')
}

fn segments(template: &str) -> Vec<Segment> {
    split(template)
        .map(|s| if s.starts_with('{') && s.ends_with('}') { Segment::Parameter } else { Segment::Literal(s.into()) })
        .collect()
}

impl AllowedMethods {
    /// Every operation of `document`, plus the routes served outside it (`extra`: template and
    /// methods, e.g. the health checks).
    pub fn from_document(document: &utoipa::openapi::OpenApi, extra: &[(&str, &[&'static str])]) -> Self {
        let mut routes = Vec::new();
        let mut queries = Vec::new();
        for (template, item) in &document.paths.paths {
            for (method, operation) in [
                ("GET", &item.get),
                ("PUT", &item.put),
                ("POST", &item.post),
                ("DELETE", &item.delete),
                ("PATCH", &item.patch),
            ] {
                let Some(operation) = operation else { continue };
                let names = operation
                    .parameters
                    .iter()
                    .flatten()
                    .filter_map(|p| match p {
                        utoipa::openapi::RefOr::T(p) if p.parameter_in == utoipa::openapi::path::ParameterIn::Query => {
                            Some(p.name.clone())
                        }
                        _ => None,
                    })
                    .collect();
                queries.push((segments(template), method, names));
            }
            let methods: Vec<&'static str> = [
                ("GET", item.get.is_some()),
                ("PUT", item.put.is_some()),
                ("POST", item.post.is_some()),
                ("DELETE", item.delete.is_some()),
                ("PATCH", item.patch.is_some()),
            ]
            .into_iter()
            .filter_map(|(method, served)| served.then_some(method))
            .collect();
            routes.push((segments(template), methods));
        }
        for (template, methods) in extra {
            routes.push((segments(template), methods.to_vec()));
        }
        // Literal segments win over parameters (`/notices/preview` before `/notices/{id}`), as
        // in the router: more literal segments first.
        routes.sort_by_key(|(segments, _)| {
            std::cmp::Reverse(segments.iter().filter(|s| **s != Segment::Parameter).count())
        });
        queries.sort_by_key(|(segments, _, _)| {
            std::cmp::Reverse(segments.iter().filter(|s| **s != Segment::Parameter).count())
        });
        Self { routes, queries }
    }

    /// The query parameters the documented operation at `path` with `method` takes (`None`: not a
    /// documented operation, so nothing to check).
    pub fn query_names(&self, path: &str, method: &str) -> Option<&[String]> {
        let wanted: Vec<&str> = split(path).collect();
        self.queries
            .iter()
            .find(|(template, m, _)| *m == method && matches(template, &wanted))
            .map(|(_, _, names)| names.as_slice())
    }

    /// The methods `path` is served with, when it is a known path.
    pub fn allowed(&self, path: &str) -> Option<&[&'static str]> {
        let wanted: Vec<&str> = split(path).collect();
        self.routes.iter().find(|(template, _)| matches(template, &wanted)).map(|(_, methods)| methods.as_slice())
    }
}

fn matches(template: &[Segment], wanted: &[&str]) -> bool {
    template.len() == wanted.len()
        && template.iter().zip(wanted).all(|(segment, part)| match segment {
            Segment::Literal(literal) => literal == part,
            Segment::Parameter => !part.is_empty(),
        })
}

/// Refuses a query parameter the operation does not take (400 `invalid_query`, naming it).
pub async fn refuse_unknown_query(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    if !req.query_string().is_empty()
        && let Some(table) = req.app_data::<web::Data<AllowedMethods>>()
        && let Some(names) = table.query_names(req.path(), req.method().as_str())
        && let Ok(pairs) = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        && let Some((unknown, _)) = pairs.0.iter().find(|(name, _)| !names.contains(name))
    {
        let error = ApiError::new(Code::InvalidQuery)
            .with_message(crate::error::Message::new(
                format!("不支持查询参数 {unknown}。"),
                format!("This request takes no query parameter {unknown}."),
            ))
            .with_details(serde_json::json!({ "field": unknown }));
        return Ok(req.into_response(error.error_response()));
    }
    next.call(req).await.map(actix_web::dev::ServiceResponse::map_into_boxed_body)
}

/// The answer for every request no route took: 405 with `Allow` on a known path, else 404.
pub async fn no_such_route(req: HttpRequest) -> HttpResponse {
    wrong_method(&req).unwrap_or_else(|| ApiError::new(Code::NoSuchRoute).error_response())
}

/// 405 with `Allow` when `req`'s path is known and does not take its method.
pub fn wrong_method(req: &HttpRequest) -> Option<HttpResponse> {
    let table = req.app_data::<web::Data<AllowedMethods>>()?;
    let methods = table.allowed(req.path()).filter(|m| !m.is_empty() && !m.contains(&req.method().as_str()))?;
    let allow = methods.join(", ");
    let mut response =
        ApiError::new(Code::MethodNotAllowed).with_details(serde_json::json!({ "allow": methods })).error_response();
    if let Ok(value) = allow.parse() {
        response.headers_mut().insert(ALLOW, value);
    }
    Some(response)
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::OpenApiBuilder;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem, PathsBuilder};

    use super::*;

    fn table() -> AllowedMethods {
        let paths = PathsBuilder::new()
            .path("/api/v1/notices", PathItem::new(HttpMethod::Get, OperationBuilder::new().build()))
            .path("/api/v1/notices/{notice_id}", PathItem::new(HttpMethod::Get, OperationBuilder::new().build()))
            .path("/api/v1/notices/preview", PathItem::new(HttpMethod::Post, OperationBuilder::new().build()))
            .build();
        let mut document = OpenApiBuilder::new().paths(paths).build();
        if let Some(item) = document.paths.paths.get_mut("/api/v1/notices") {
            item.post = Some(OperationBuilder::new().build());
        }
        AllowedMethods::from_document(&document, &[("/healthz", &["GET"])])
    }

    #[test]
    fn a_known_path_lists_the_methods_it_serves() {
        let table = table();
        assert_eq!(table.allowed("/api/v1/notices"), Some(&["GET", "POST"][..]));
        assert_eq!(table.allowed("/healthz"), Some(&["GET"][..]));
    }

    #[test]
    fn a_literal_segment_wins_over_a_parameter() {
        let table = table();
        assert_eq!(table.allowed("/api/v1/notices/preview"), Some(&["POST"][..]));
        assert_eq!(table.allowed("/api/v1/notices/8f0c1a7e-0000-4000-8000-000000000000"), Some(&["GET"][..]));
    }

    #[test]
    fn a_documented_operation_knows_its_query_parameters() {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        let mut document = OpenApiBuilder::new()
            .paths(
                PathsBuilder::new()
                    .path("/api/v1/notices", PathItem::new(HttpMethod::Get, OperationBuilder::new().build())),
            )
            .build();
        if let Some(get) = document.paths.paths.get_mut("/api/v1/notices").and_then(|i| i.get.as_mut()) {
            get.parameters = Some(vec![utoipa::openapi::RefOr::T(
                ParameterBuilder::new().name("cursor").parameter_in(ParameterIn::Query).build(),
            )]);
        }
        let table = AllowedMethods::from_document(&document, &[("/healthz", &["GET"])]);
        assert_eq!(table.query_names("/api/v1/notices", "GET"), Some(&["cursor".to_owned()][..]));
        assert_eq!(table.query_names("/api/v1/notices", "POST"), None);
        assert_eq!(table.query_names("/healthz", "GET"), None, "undocumented routes are not checked");
    }

    #[test]
    fn an_unknown_path_is_not_a_route() {
        let table = table();
        assert_eq!(table.allowed("/api/v1/nothing"), None);
        assert_eq!(table.allowed("/api/v1/notices/a/b"), None);
        assert_eq!(table.allowed("/api/v1/notices//"), None);
    }
}
