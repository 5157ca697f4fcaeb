//! The scheduler's cache (pkg/scheduler/backend/cache): what the pods placed on each node
//! request, kept from pod events instead of recounted at every cycle, so a scheduling cycle
//! costs the number of nodes, not the number of pods in the cluster.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;

use super::framework::{NodeUsage, Resources, pod_requests};
use super::plugins::node_ports::host_ports;
use crate::store::ObjectKey;

/// One placed pod's share of its node.
#[derive(Clone, Debug)]
struct Share {
    requested: Resources,
    non_zero_requested: Resources,
    host_ports: Vec<(String, String, i32)>,
}

#[derive(Default)]
pub struct Cache {
    /// Placed pods by node.
    placed: BTreeMap<String, BTreeMap<ObjectKey, Share>>,
    /// The node each placed pod is on.
    node_of: BTreeMap<ObjectKey, String>,
    usage: BTreeMap<String, NodeUsage>,
}

static NONE: NodeUsage = NodeUsage {
    pod_count: 0,
    host_ports: Vec::new(),
    requested: Resources {
        milli_cpu: 0,
        memory: 0,
        ephemeral_storage: 0,
        pods: 0,
        scalar: BTreeMap::new(),
    },
    non_zero_requested: Resources {
        milli_cpu: 0,
        memory: 0,
        ephemeral_storage: 0,
        pods: 0,
        scalar: BTreeMap::new(),
    },
};

impl Cache {
    /// Accounts a pod as placed on `node`, or not placed anywhere (`None`: unbound, terminal or
    /// deleted).
    pub fn set(&mut self, key: &ObjectKey, pod: Option<&Pod>, node: Option<&str>) {
        if let Some(old) = self.node_of.remove(key) {
            if let Some(m) = self.placed.get_mut(&old) {
                m.remove(key);
            }
            self.recount(&old);
        }
        let (Some(pod), Some(node)) = (pod, node) else {
            return;
        };
        let share = Share {
            requested: pod_requests(pod, false),
            non_zero_requested: pod_requests(pod, true),
            host_ports: host_ports(pod),
        };
        self.placed
            .entry(node.to_string())
            .or_default()
            .insert(key.clone(), share);
        self.node_of.insert(key.clone(), node.to_string());
        self.recount(node);
    }

    fn recount(&mut self, node: &str) {
        let mut u = NodeUsage::default();
        for s in self.placed.get(node).into_iter().flat_map(|m| m.values()) {
            u.pod_count = u.pod_count.saturating_add(1);
            u.requested.add(&s.requested);
            u.non_zero_requested.add(&s.non_zero_requested);
            u.host_ports.extend(s.host_ports.iter().cloned());
        }
        if u.pod_count == 0 {
            self.usage.remove(node);
            self.placed.remove(node);
        } else {
            self.usage.insert(node.to_string(), u);
        }
    }

    pub fn usage(&self, node: &str) -> &NodeUsage {
        self.usage.get(node).unwrap_or(&NONE)
    }
}
