//! Black-box tests over HTTP: one binary, every test on a fresh app and database.

mod access;
mod afterschool;
mod afterschool_ratings;
mod auth;
mod calendar;
mod contract;
mod conversations;
mod delivery;
mod demo;
mod errors;
mod guard;
mod health;
mod homework;
mod idempotency;
mod inbox;
mod mentoring;
mod mentoring_records;
mod mentoring_visits;
mod notices;
mod observability;
mod parent_school;
mod provisioning;
mod realtime;
mod reporting;
mod roster;
mod spec;
