//! Controllers of kube-controller-manager, each a level-triggered reconcile woken by watch
//! events and timers, writing through the API like any client.

pub mod namespace;
