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

/// The weighted sum of the score plugins for each feasible node (each plugin 0..=100 after
/// its normalisation over the feasible nodes, as the framework's NormalizeScore does).
pub fn scores(pod: &Pod, feasible: &[&NodeInfo<'_>]) -> Vec<i64> {
    let taints: Vec<i64> = feasible.iter().map(|n| taint_toleration::raw_score(pod, n)).collect();
    let affinity: Vec<i64> = feasible.iter().map(|n| node_affinity::raw_score(pod, n)).collect();
    let taints = taint_toleration::normalize(&taints);
    let affinity = node_affinity::normalize(&affinity);
    feasible
        .iter()
        .enumerate()
        .map(|(i, n)| {
            [
                taints.get(i).copied().unwrap_or(0).saturating_mul(3),
                affinity.get(i).copied().unwrap_or(0).saturating_mul(2),
                node_resources_fit::least_allocated(pod, n),
                node_resources_fit::balanced_allocation(pod, n),
            ]
            .iter()
            .fold(0i64, |sum, s| sum.saturating_add(*s))
        })
        .collect()
}
