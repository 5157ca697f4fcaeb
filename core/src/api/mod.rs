//! The API: manifests in, typed objects out, through the same defaulting, admission and
//! validation a real API server applies.

pub mod admission;
pub mod decode;
pub mod defaults;
pub mod errors;
pub mod events;
pub mod manifest;
pub mod quantity;
pub mod server;
pub mod validation;

pub use errors::{ApiError, Reason};
pub use server::ApiServer;
