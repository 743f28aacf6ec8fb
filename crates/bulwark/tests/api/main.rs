//! Integration tests: one test binary (faster to link), a module per area. Each test
//! starts the real `bulwark` binary on a fresh database: SQLite by default, PostgreSQL
//! when `BULWARK_TEST_DATABASE_URL` is set (CI runs the suite both ways).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a failed step should fail the test loudly"
)]

mod access;
mod audit;
mod auth;
mod cloud_sync;
mod config;
mod deployments;
mod devices;
mod edge_families;
mod event_retention;
mod iac_api;
mod iac_cli;
mod identity;
mod idp_fakes;
mod image_scans;
mod integrations;
mod inventory;
mod jobs;
mod login_oidc;
mod login_saml;
#[path = "../../../bulwark-cloud-aws/tests/support/moto.rs"]
mod moto;
mod openapi;
mod processes;
mod support;
mod tenancy;
