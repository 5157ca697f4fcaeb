//! The default plugins of kube-scheduler that Kubeplay runs, in the order of
//! pkg/scheduler/apis/config/v1/default_plugins.go. A node is rejected by the first filter
//! that fails, as the framework's RunFilterPlugins stops there.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod node_affinity;
pub mod node_name;
pub mod node_ports;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod taint_toleration;

use k8s_openapi::api::core::v1::Pod;

use super::framework::{NodeInfo, Rejection};

pub fn filter(pod: &Pod, node: &NodeInfo<'_>) -> Result<(), Rejection> {
    node_unschedulable::filter(pod, node)?;
    node_name::filter(pod, node)?;
    taint_toleration::filter(pod, node)?;
    node_affinity::filter(pod, node)?;
    node_ports::filter(pod, node)?;
    node_resources_fit::filter(pod, node)?;
    Ok(())
}

/// Weighted sum of the score plugins for one node (each 0..=100 before weighting).
pub fn score(pod: &Pod, node: &NodeInfo<'_>, all: &[NodeInfo<'_>]) -> i64 {
    [
        taint_toleration::score(pod, node, all).saturating_mul(3),
        node_affinity::score(pod, node, all).saturating_mul(2),
        node_resources_fit::least_allocated(pod, node),
        node_resources_fit::balanced_allocation(pod, node),
    ]
    .iter()
    .fold(0i64, |sum, s| sum.saturating_add(*s))
}
