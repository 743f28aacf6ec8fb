//! Entities stored by Bulwark. Wire shapes live in `bulwark-api`; these are the
//! domain's view, with ids, owners and timestamps the server maintains.

mod account;
mod audit;
mod iac;
mod job;
mod object;
mod session;
mod token;

pub use account::Account;
pub use audit::{AuditEvent, AuditQuery};
pub use iac::IacScan;
pub use job::{Job, JobAttempt, JobState, NewJob};
pub use object::{ObjectFilter, StoredObject};
pub use session::{LoginType, Session};
pub use token::{ApiToken, TokenPatch};
