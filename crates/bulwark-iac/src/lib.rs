//! Bulwark's infrastructure-as-code scanning engine.
//!
//! A scan takes a [`ScanInput`] (in-memory files gathered from a directory
//! or an uploaded archive under [`Limits`]), parses each file once into a
//! located document model, evaluates the rules a [`RuleSelection`] enables
//! and returns a serializable [`Report`]; [`present`] renders it as JSON,
//! SARIF 2.1.0, JUnit XML or a table.
//!
//! ```no_run
//! use bulwark_iac::{Engine, Limits, ScanInput, ScanOptions, Severity, present};
//! let engine = Engine::builtin()?;
//! let input = ScanInput::from_dir("infra".as_ref(), &Limits::default())?;
//! let report = engine.scan(&input, &ScanOptions::default());
//! print!("{}", present::to_table(&report));
//! let failed = report.fails_at(Severity::High);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Architecture invariant:** the engine is pure. It does no network,
//! database or HTTP work and writes no files; the server and the CLI bring
//! input in and take reports out.
//!
//! Formats: Terraform HCL2 (+ tfvars, modules), Terraform plan JSON,
//! CloudFormation YAML/JSON, Kubernetes manifests (incl. rendered Helm and
//! Kustomize output), Dockerfiles and Azure ARM templates.

pub mod archive;
mod engine;
pub mod error;
pub mod input;
pub mod model;
pub mod parse;
pub mod policy;
pub mod present;
pub mod report;
pub mod rules;
pub mod severity;

pub use engine::{Engine, ScanOptions};
pub use error::{InputError, RuleError};
pub use input::{Limits, ScanInput, SkippedFile, SourceFile};
pub use model::Framework;
pub use parse::{FileError, Progress};
pub use policy::RuleSelection;
pub use present::OutputFormat;
pub use report::{Finding, Report, SeverityCounts};
pub use rules::Rule;
pub use severity::Severity;
