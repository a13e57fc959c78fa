//! The limits the server enforces on request fields, stated for the OpenAPI document from the
//! same constants the parsers use: a domain lists its rules (`FieldRule`s on its DTO schemas,
//! `ParamRule`s on query parameters) beside its parser, and [`apply`] writes them into the
//! document as `minLength`/`maxLength`, `minimum`/`maximum`, `pattern`, `enum`, `minItems`…
//!
//! utoipa's attributes take literal numbers only; stating a limit here instead keeps one number
//! per limit. A rule naming a schema or field the document does not have is reported by
//! [`apply`] (and a test fails on it), so a renamed field cannot silently lose its limits.

use utoipa::openapi::schema::{ArrayItems, Object, Schema};

use crate::input::NOT_BLANK;
use utoipa::openapi::{OpenApi, RefOr};

/// What a field (or each item of an array field) must be.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Text a person types: at least one visible character, at most `max` characters.
    Text { max: usize },
    /// Optional text: at most `max` characters (may be empty).
    MaxChars(usize),
    /// Any characters, blanks included, `min..=max` of them (passwords).
    Chars { min: usize, max: usize },
    /// An integer in `min..=max`.
    Range { min: i64, max: i64 },
    /// An array's length, and whether its items must be distinct.
    Items { min: usize, max: Option<usize>, unique: bool },
    /// A regular expression (ECMA-262, anchored where it must match whole).
    Pattern(&'static str),
    /// One of these strings.
    OneOf(&'static [&'static str]),
}

/// A rule on one field of a component schema (`CreateNoticeRequest.title`).
#[derive(Debug, Clone, Copy)]
pub struct FieldRule {
    pub schema: &'static str,
    pub field: &'static str,
    pub rule: Rule,
}

impl FieldRule {
    pub const fn new(schema: &'static str, field: &'static str, rule: Rule) -> Self {
        Self { schema, field, rule }
    }
}

/// A rule on every query parameter of this name (`limit`, `week`).
#[derive(Debug, Clone, Copy)]
pub struct ParamRule {
    pub name: &'static str,
    pub rule: Rule,
}

/// Writes `fields` and `params` into `document`; answers the rules whose target is missing.
pub fn apply(document: &mut OpenApi, fields: &[FieldRule], params: &[ParamRule]) -> Vec<String> {
    let mut missing = Vec::new();
    let mut schemas = document.components.as_mut().map(|c| &mut c.schemas);
    for rule in fields {
        let target = schemas
            .as_deref_mut()
            .and_then(|s| s.get_mut(rule.schema))
            .and_then(|s| match s {
                RefOr::T(Schema::Object(object)) => object.properties.get_mut(rule.field),
                _ => None,
            })
            .and_then(|field| match field {
                RefOr::T(schema) => Some(schema),
                RefOr::Ref(_) => None,
            });
        if !target.is_some_and(|schema| constrain(schema, rule.rule)) {
            missing.push(format!("{}.{}", rule.schema, rule.field));
        }
    }
    for rule in params {
        let mut found = false;
        for item in document.paths.paths.values_mut() {
            for operation in
                [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
            {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let RefOr::T(parameter) = parameter
                        && parameter.name == rule.name
                        && let Some(RefOr::T(schema)) = parameter.schema.as_mut()
                    {
                        found |= constrain(schema, rule.rule);
                    }
                }
            }
        }
        if !found {
            missing.push(format!("query parameter {}", rule.name));
        }
    }
    missing
}

/// Applies `rule` to a field's schema (to the items, for an array and a scalar rule).
fn constrain(schema: &mut Schema, rule: Rule) -> bool {
    match (schema, rule) {
        (Schema::Array(array), Rule::Items { min, max, unique }) => {
            array.min_items = (min > 0).then_some(min);
            array.max_items = max;
            array.unique_items = unique;
            true
        }
        (Schema::Array(array), rule) => match &mut array.items {
            ArrayItems::RefOrSchema(items) => match items.as_mut() {
                RefOr::T(Schema::Object(object)) => constrain_scalar(object, rule),
                _ => false,
            },
            _ => false,
        },
        (Schema::Object(object), rule) => constrain_scalar(object, rule),
        _ => false,
    }
}

fn constrain_scalar(object: &mut Object, rule: Rule) -> bool {
    match rule {
        Rule::Text { max } => {
            object.min_length = Some(1);
            object.max_length = Some(max);
            object.pattern = Some(NOT_BLANK.into());
        }
        Rule::MaxChars(max) => object.max_length = Some(max),
        Rule::Chars { min, max } => {
            object.min_length = Some(min);
            object.max_length = Some(max);
        }
        Rule::Range { min, max } => {
            object.minimum = Some(utoipa::Number::Int(min as isize));
            object.maximum = Some(utoipa::Number::Int(max as isize));
        }
        Rule::Pattern(pattern) => object.pattern = Some(pattern.into()),
        Rule::OneOf(values) => {
            object.enum_values = Some(values.iter().map(|v| serde_json::Value::from(*v)).collect());
        }
        Rule::Items { .. } => return false,
    }
    true
}
