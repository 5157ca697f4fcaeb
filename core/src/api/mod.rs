//! The API: manifests in, typed objects out, through the same defaulting, admission and
//! validation a real API server applies.

pub mod admission;
pub mod autoscaling;
pub mod decode;
pub mod defaults;
pub mod errors;
pub mod events;
mod eviction;
pub mod gojson;
pub mod manifest;
pub mod patch;
pub mod quantity;
pub mod scale;
pub mod server;
pub mod validation;
pub mod workqueue;

pub use errors::{ApiError, Reason};
pub use server::ApiServer;

/// The context a component runs with: the API server as its client, and timers of its own task
/// type `T` (see [`crate::sim::Context`]).
pub type Cx<'a, T> = crate::sim::Context<'a, ApiServer, T>;
