//! Jiaxiao (家校): the server behind a parent/teacher app for family–school collaboration under 双减.
//!
//! Where things live — one folder per domain, each with `mod.rs` (what it owns, its routes),
//! `handlers.rs` (HTTP in/out), `dto.rs` (what the mobile app sees), `service.rs` (transactions),
//! `repo.rs` (sea-orm queries) and `model.rs` (entities and domain types):
//! - [`auth`]: accounts, activation, sign-in, tokens, sessions.
//! - [`access`]: the one place that decides who may see what.
//! - [`org`]: districts, schools, classes, staff, students, guardians, `/me`.
//! - [`roster`]: CSV roster import (staff and students with guardians).
//! - [`policy`]: the 双减 content rules every text sent to families passes (rule ids of DOMAIN.md; pure).
//! - [`guard`]: runs those rules for every sender, counts refusals, the draft check endpoint.
//! - [`notices`]: school → families and bureau → schools notices, receipts, recall.
//! - [`conversations`]: guardian–teacher threads with attachments, read state, cooling-off.
//! - [`inbox`]: the one inbox of everything addressed to a person.
//! - [`delivery`]: the outbox and its worker: push, email, quiet hours, devices, preferences.
//! - [`realtime`]: Server-Sent Events of new inbox items, and the bus behind them (Redis across instances).
//! - [`jobs`]: scheduled work (scheduled notices, deadline reminders).
//! - [`demo`]: the demo district behind `server --demo`.
//! - [`http`], [`infra`]: cross-cutting plumbing (extractors, pagination, OpenAPI; database,
//!   Redis, rate limits, clock).

pub mod access;
pub mod afterschool;
pub mod auth;
pub mod calendar;
pub mod complaints;
pub mod config;
pub mod conversations;
pub mod delivery;
pub mod demo;
pub mod error;
pub mod files;
pub mod guard;
pub mod homework;
pub mod http;
pub mod i18n;
pub mod inbox;
pub mod infra;
pub mod input;
pub mod jobs;
#[cfg(test)]
mod layers;
pub mod mentoring;
pub mod notices;
pub mod org;
pub mod parent_school;
pub mod policy;
pub mod realtime;
pub mod reporting;
pub mod roster;
pub mod startup;
pub mod state;
pub mod telemetry;

pub use config::Settings;
pub use startup::Application;
pub use state::AppState;
