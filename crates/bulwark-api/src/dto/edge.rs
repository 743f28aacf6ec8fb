//! Wire objects of the Edge families in `routes/edge/families`, one submodule per
//! family, field for field as the seed gives them. Every field is optional on the
//! wire (see [`wire_object!`](crate::wire_object)); request bodies are separate types
//! so that fields the server maintains cannot be sent.

pub mod accounts;
pub mod app_control;
pub mod client_configs;
pub mod connectors;
pub mod countries;
pub mod devices;
pub mod integrations;
pub mod posture;
