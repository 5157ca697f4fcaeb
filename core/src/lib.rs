//! Kubeplay's core: a Kubernetes cluster simulated as deterministic state machines in virtual
//! time. No I/O, no clock, no randomness but the seeded generator in `sim`: the same seed and
//! the same commands give the same transcript, natively and in the browser.

pub mod api;
pub mod controllers;
pub mod kubectl;
pub mod kubelet;
pub mod labs;
pub mod net;
pub mod runtime;
pub mod scheduler;
pub mod session;
pub mod sim;
pub mod snapshot;
pub mod store;

pub use session::Session;
pub use sim::World;
