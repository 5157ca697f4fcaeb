//! Kubeplay's core: a Kubernetes cluster simulated as deterministic state machines in virtual
//! time. No I/O, no clock, no randomness but the seeded generator in `sim`: the same seed and
//! the same commands give the same transcript, natively and in the browser.

// Numbers (see num.rs and the README's "Numbers" section): `as` casts that may truncate, wrap
// or lose a sign are denied everywhere, since nothing catches them at run time. Arithmetic on
// numbers a user controls is denied unchecked in the modules those numbers flow through
// (`#![deny(clippy::arithmetic_side_effects)]` at their top); elsewhere arithmetic is on
// lengths and counts of things held in memory, and overflow checks (on in every profile)
// turn any mistake into a caught error.
#![cfg_attr(
    not(test),
    deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap, clippy::cast_sign_loss)
)]

pub mod api;
pub mod cluster;
pub mod controllers;
pub mod kubectl;
pub mod kubelet;
pub mod labels;
pub mod labs;
pub mod net;
pub mod num;
pub mod runtime;
pub mod scheduler;
pub mod session;
pub mod sim;
pub mod snapshot;
pub mod store;
pub mod topology;

pub use cluster::World;
pub use session::Session;
