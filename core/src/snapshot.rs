//! What the page draws: nodes with their pods, each pod with the STATUS word `kubectl get
//! pods` would print. Built from the API objects only, like any client would.

use crate::cluster::World;
use crate::kubectl::printers::columns::{node_roles, node_status_word, pod_cells};
use crate::store::{Kind, Object};

#[derive(Clone, Debug, PartialEq)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    /// `kubectl get pods` STATUS: `Running`, `ContainerCreating`, `CrashLoopBackOff`, ...
    pub status: String,
    /// `1/1`.
    pub ready: String,
    pub restarts: String,
    /// A colour class for the status: `running`, `pending`, `waiting`, `failed`,
    /// `succeeded`, `terminating`.
    pub class: &'static str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    pub name: String,
    pub status: String,
    /// Whether the node's machine (kind's container) is running: `docker stop` stops it.
    pub running: bool,
    pub roles: String,
    pub pods: Vec<PodView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// Virtual time, in milliseconds since the cluster epoch.
    pub now: u64,
    pub nodes: Vec<NodeView>,
    /// Pods no node has taken yet.
    pub unscheduled: Vec<PodView>,
}

fn class_of(status: &str, ready: &str) -> &'static str {
    let all_ready = ready.split_once('/').is_some_and(|(a, b)| a == b);
    match status {
        "Running" if all_ready => "running",
        "Running" => "waiting",
        "Completed" | "Succeeded" => "succeeded",
        "Terminating" => "terminating",
        "Pending" | "ContainerCreating" | "PodInitializing" => "pending",
        s if s.starts_with("Init:") && s[5..].chars().next().is_some_and(|c| c.is_ascii_digit()) => "pending",
        _ => "failed",
    }
}

/// Namespaces of the cluster's own workloads.
const SYSTEM_NAMESPACES: &[&str] = &["kube-system", "kube-public", "kube-node-lease", "local-path-storage"];

pub fn snapshot(world: &World) -> Snapshot {
    let now = world.now();
    let machines = world.machines_list();
    let mut nodes: Vec<NodeView> = world
        .api()
        .list(Kind::Node, None)
        .filter_map(|o| match o {
            Object::Node(n) => Some(NodeView {
                name: o.name().to_string(),
                status: node_status_word(n),
                running: !machines.iter().any(|(m, up)| m == o.name() && !up),
                roles: node_roles(n),
                pods: Vec::new(),
            }),
            _ => None,
        })
        .collect();
    let mut unscheduled = Vec::new();
    for o in world.api().list(Kind::Pod, None) {
        let Object::Pod(p) = o else { continue };
        // The cluster's own pods (control plane, DNS, networking, storage) are left out of
        // the drawing, as `kubectl get pods` leaves them out without `-A`.
        if SYSTEM_NAMESPACES.contains(&o.namespace()) {
            continue;
        }
        let cells = pod_cells(p, now, String::new());
        let view = PodView {
            namespace: o.namespace().to_string(),
            name: o.name().to_string(),
            class: class_of(&cells[1], &cells[0]),
            status: cells[1].clone(),
            ready: cells[0].clone(),
            restarts: cells[2].clone(),
        };
        match p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .and_then(|n| nodes.iter_mut().find(|v| v.name == n))
        {
            Some(node) => node.pods.push(view),
            None => unscheduled.push(view),
        }
    }
    Snapshot {
        now,
        nodes,
        unscheduled,
    }
}
