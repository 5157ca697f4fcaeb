//! The scheduling framework's shapes: a snapshot of each node with what is already placed on
//! it, filter results with their reason strings, and the FitError message users read in
//! `FailedScheduling` events (pkg/scheduler/framework/types.go `FitError.Error`).

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod};

use crate::api::quantity::Quantity;

/// Resource amounts the scheduler counts, in milli-units for cpu and bytes for the rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resources {
    pub milli_cpu: i64,
    pub memory: i64,
    pub ephemeral_storage: i64,
    pub pods: i64,
    pub scalar: BTreeMap<String, i64>,
}

impl Resources {
    pub fn from_list(list: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>) -> Self {
        let mut r = Resources::default();
        for (k, v) in list.into_iter().flatten() {
            let Ok(q) = Quantity::parse(&v.0) else {
                continue;
            };
            match k.as_str() {
                "cpu" => r.milli_cpu = q.milli_value(),
                "memory" => r.memory = q.value(),
                "ephemeral-storage" => r.ephemeral_storage = q.value(),
                "pods" => r.pods = q.value(),
                _ => {
                    r.scalar.insert(k.clone(), q.value());
                }
            }
        }
        r
    }

    /// Sums saturate: two `8Ei` requests wrapped negative in 1.35 and a node "fitted" them
    /// (kubernetes/kubernetes#102134, fixed upstream in 2026); here they stay too big to fit.
    pub fn add(&mut self, o: &Resources) {
        self.milli_cpu = self.milli_cpu.saturating_add(o.milli_cpu);
        self.memory = self.memory.saturating_add(o.memory);
        self.ephemeral_storage = self.ephemeral_storage.saturating_add(o.ephemeral_storage);
        for (k, v) in &o.scalar {
            let e = self.scalar.entry(k.clone()).or_default();
            *e = e.saturating_add(*v);
        }
    }

    fn max(&mut self, o: &Resources) {
        self.milli_cpu = self.milli_cpu.max(o.milli_cpu);
        self.memory = self.memory.max(o.memory);
        self.ephemeral_storage = self.ephemeral_storage.max(o.ephemeral_storage);
        for (k, v) in &o.scalar {
            let e = self.scalar.entry(k.clone()).or_default();
            *e = (*e).max(*v);
        }
    }
}

/// Default request counted for scoring when a container asks for none
/// (pkg/scheduler/util/pod_resources.go).
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;

/// `resourcehelper.PodRequests`: the larger of the app containers' sum and the largest init
/// container, plus overhead. With `non_zero`, containers without requests count the scoring
/// defaults.
pub fn pod_requests(pod: &Pod, non_zero: bool) -> Resources {
    let Some(spec) = &pod.spec else {
        return Resources::default();
    };
    let requests_of = |c: &k8s_openapi::api::core::v1::Container| {
        let mut r = Resources::from_list(c.resources.as_ref().and_then(|r| r.requests.as_ref()));
        if non_zero {
            let has = |k: &str| {
                c.resources
                    .as_ref()
                    .and_then(|r| r.requests.as_ref())
                    .is_some_and(|m| m.contains_key(k))
            };
            if !has("cpu") {
                r.milli_cpu = DEFAULT_MILLI_CPU_REQUEST;
            }
            if !has("memory") {
                r.memory = DEFAULT_MEMORY_REQUEST;
            }
        }
        r
    };
    let mut sum = Resources::default();
    for c in &spec.containers {
        sum.add(&requests_of(c));
    }
    for c in spec.init_containers.iter().flatten() {
        sum.max(&requests_of(c));
    }
    sum.add(&Resources::from_list(spec.overhead.as_ref()));
    sum
}

/// A node and what the scheduler believes is placed on it.
pub struct NodeInfo<'a> {
    pub node: &'a Node,
    /// Pods placed on the node (bound and not terminal).
    pub pod_count: i64,
    /// (host IP, protocol, port) of every hostPort those pods hold.
    pub host_ports: &'a [(String, String, i32)],
    pub requested: &'a Resources,
    pub non_zero_requested: &'a Resources,
    pub allocatable: &'a Resources,
}

/// What the pods placed on one node take, kept up to date by the scheduler's cache.
#[derive(Clone, Debug, Default)]
pub struct NodeUsage {
    pub pod_count: i64,
    pub host_ports: Vec<(String, String, i32)>,
    pub requested: Resources,
    pub non_zero_requested: Resources,
}

/// What a node offers: its allocatable resources, or its capacity when it reports none.
pub fn allocatable(node: &Node) -> Resources {
    let status = node.status.as_ref();
    let alloc = status
        .and_then(|s| s.allocatable.as_ref())
        .or(status.and_then(|s| s.capacity.as_ref()));
    Resources::from_list(alloc)
}

impl<'a> NodeInfo<'a> {
    pub fn new(node: &'a Node, usage: &'a NodeUsage, allocatable: &'a Resources) -> Self {
        NodeInfo {
            node,
            pod_count: usage.pod_count,
            host_ports: &usage.host_ports,
            requested: &usage.requested,
            non_zero_requested: &usage.non_zero_requested,
            allocatable,
        }
    }

    pub fn name(&self) -> &str {
        self.node.metadata.name.as_deref().unwrap_or("")
    }
}

/// Why a plugin rejected a node. `unresolvable` marks reasons preemption cannot fix.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejection {
    pub reasons: Vec<String>,
    pub unresolvable: bool,
}

impl Rejection {
    pub fn unresolvable(reason: impl Into<String>) -> Self {
        Rejection {
            reasons: vec![reason.into()],
            unresolvable: true,
        }
    }
    pub fn unschedulable(reasons: Vec<String>) -> Self {
        Rejection {
            reasons,
            unresolvable: false,
        }
    }
}

/// `FitError.Error()`: `0/3 nodes are available: <sorted reason histogram>. preemption: ...`.
/// The preemption part is what DefaultPreemption reports when no pod can be evicted (the
/// simulation runs no preemption): unresolvable nodes are "not helpful", the rest have no
/// victims.
pub fn fit_error(num_nodes: usize, rejections: &[Rejection]) -> String {
    let mut histogram: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rejections {
        for reason in &r.reasons {
            let n = histogram.entry(reason.as_str()).or_default();
            *n = n.saturating_add(1);
        }
    }
    let mut entries: Vec<String> = histogram.iter().map(|(reason, n)| format!("{n} {reason}")).collect();
    entries.sort();
    let mut msg = format!("0/{num_nodes} nodes are available: {}.", entries.join(", "));
    let not_helpful = rejections.iter().filter(|r| r.unresolvable).count();
    let no_victims = rejections.len().saturating_sub(not_helpful);
    let mut parts = Vec::new();
    if not_helpful > 0 {
        parts.push(format!("{not_helpful} Preemption is not helpful for scheduling"));
    }
    if no_victims > 0 {
        parts.push(format!("{no_victims} No preemption victims found for incoming pod"));
    }
    parts.sort();
    msg.push_str(&format!(
        " preemption: 0/{num_nodes} nodes are available: {}.",
        parts.join(", ")
    ));
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of k8s-semantics.md §8.5, derived from FitError.Error.
    #[test]
    fn fit_error_format() {
        let taint = Rejection::unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }");
        let cpu = Rejection::unschedulable(vec!["Insufficient cpu".into()]);
        assert_eq!(
            fit_error(3, &[taint, cpu.clone(), cpu]),
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        );
    }
}
