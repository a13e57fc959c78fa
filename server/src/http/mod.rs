//! HTTP plumbing shared by every domain: the authenticated-caller extractor, request-body
//! configuration (so malformed input becomes a 4xx envelope, never a 500), pagination, language
//! negotiation, request ids and the request's trace, the metrics endpoint's access check and the
//! OpenAPI document.

pub mod allowed_methods;
pub mod constraints;
pub mod extractors;
pub mod hygiene;
pub mod idempotency;
pub mod json_numbers;
pub mod lang;
pub mod metrics;
pub mod openapi;
pub mod pagination;
pub mod payload;
pub mod request_id;
