//! Resource families. Each module has a `router()` returning its routes together with
//! their OpenAPI operations; `lib.rs` merges them.

pub mod edge;
pub mod jobs;
pub mod optix;
pub mod system;
