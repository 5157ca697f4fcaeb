//! The cluster as data: its machines, with their names, capacity, labels and taints. By default
//! what `kind create cluster` with two workers gives: `kind-control-plane` (tainted NoSchedule)
//! and `kind-worker`, `kind-worker2`. A lab may declare its own nodes instead (the study notes
//! speak of `master`, `work1`, `work2`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Taint;

/// One node of a cluster, as a lab declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSpec {
    pub name: String,
    pub control_plane: bool,
    /// CPU capacity in millicores.
    pub cpu_millis: i64,
    /// Memory capacity in KiB, as cAdvisor reports it.
    pub memory_kib: i64,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    /// The node's InternalIP.
    pub ip: String,
    /// Its podCIDR, when the topology fixes it (kind's nodes got theirs at creation);
    /// otherwise the node IPAM controller hands one out.
    pub pod_cidr: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterSpec {
    pub nodes: Vec<NodeSpec>,
}

impl NodeSpec {
    /// A node as kind makes one: 4 CPUs and about 8 GiB, shared with its siblings on one host.
    pub fn kind(name: &str, control_plane: bool, ip: &str, pod_cidr: Option<&str>) -> Self {
        let mut labels = BTreeMap::new();
        let mut taints = Vec::new();
        if control_plane {
            labels.insert("node-role.kubernetes.io/control-plane".into(), String::new());
            labels.insert(
                "node.kubernetes.io/exclude-from-external-load-balancers".into(),
                String::new(),
            );
            taints.push(Taint {
                key: "node-role.kubernetes.io/control-plane".into(),
                effect: "NoSchedule".into(),
                ..Default::default()
            });
        }
        NodeSpec {
            name: name.into(),
            control_plane,
            cpu_millis: 4000,
            memory_kib: 8_070_400,
            labels,
            taints,
            ip: ip.into(),
            pod_cidr: pod_cidr.map(Into::into),
        }
    }
}

impl ClusterSpec {
    pub fn kind_default() -> Self {
        ClusterSpec {
            nodes: vec![
                NodeSpec::kind("kind-control-plane", true, "172.18.0.3", Some("10.244.0.0/24")),
                NodeSpec::kind("kind-worker", false, "172.18.0.2", Some("10.244.2.0/24")),
                NodeSpec::kind("kind-worker2", false, "172.18.0.4", Some("10.244.1.0/24")),
            ],
        }
    }
}
