#![doc = include_str!("../README.md")]

mod decision;
mod enums;
mod error;
mod index;
mod model;

pub use decision::{AccessHit, AccessMatches, Decision, PolicyHit, Reason, StepUp, Verdict};
pub use enums::{AccessType, ActionFamily, PolicyAction, PolicyType, Status};
pub use error::EnumError;
pub use index::{Index, IndexStats};
pub use model::{
    Access, App, Clause, Filter, Group, Policy, Principal, Snapshot, TimeWindow, User,
};
