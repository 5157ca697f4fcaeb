//! The Node object a kubelet registers and keeps up to date: labels, addresses, capacity and
//! the condition list in the order pkg/kubelet/nodestatus/setters.go writes it.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    DaemonEndpoint, Node, NodeAddress, NodeCondition, NodeDaemonEndpoints, NodeSpec as ApiNodeSpec, NodeStatus,
    NodeSystemInfo,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::api::events::{EventType, Source};
use crate::sim::clock::{Millis, api_time};
use crate::store::Object;
use crate::topology::NodeSpec;

pub const KUBELET_VERSION: &str = "v1.35.0";
pub const OS_IMAGE: &str = "Debian GNU/Linux 12 (bookworm)";
pub const KERNEL_VERSION: &str = "6.8.0-kubeplay";
pub const CONTAINER_RUNTIME: &str = "containerd://2.2.0";

fn condition(ty: &str, status: &str, reason: &str, message: &str, now: Millis) -> NodeCondition {
    NodeCondition {
        type_: ty.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_heartbeat_time: Some(api_time(now)),
        last_transition_time: Some(api_time(now)),
    }
}

/// Capacity equals allocatable on kind: it reserves nothing for the system.
fn resources(spec: &NodeSpec) -> BTreeMap<String, Quantity> {
    let cpu = if spec.cpu_millis % 1000 == 0 {
        (spec.cpu_millis / 1000).to_string()
    } else {
        format!("{}m", spec.cpu_millis)
    };
    [
        ("cpu", cpu),
        ("ephemeral-storage", "61202244Ki".to_string()),
        ("hugepages-1Gi", "0".to_string()),
        ("hugepages-2Mi", "0".to_string()),
        ("memory", format!("{}Ki", spec.memory_kib)),
        ("pods", "110".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Quantity(v)))
    .collect()
}

/// The Node as a freshly registered, Ready kubelet reports it.
pub fn registered_node(spec: &NodeSpec, now: Millis) -> Node {
    let mut labels: BTreeMap<String, String> = [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", spec.name.as_str()),
        ("kubernetes.io/os", "linux"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    labels.extend(spec.labels.clone());
    Node {
        metadata: ObjectMeta {
            name: Some(spec.name.clone()),
            labels: Some(labels),
            annotations: Some(
                [
                    ("node.alpha.kubernetes.io/ttl", "0"),
                    ("volumes.kubernetes.io/controller-managed-attach-detach", "true"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ),
            ..Default::default()
        },
        spec: Some(ApiNodeSpec {
            pod_cidr: spec.pod_cidr.clone(),
            pod_cidrs: spec.pod_cidr.clone().map(|c| vec![c]),
            provider_id: Some(format!("kind://docker/kind/{}", spec.name)),
            taints: if spec.taints.is_empty() {
                None
            } else {
                Some(spec.taints.clone())
            },
            ..Default::default()
        }),
        status: Some(NodeStatus {
            addresses: Some(vec![
                NodeAddress {
                    type_: "InternalIP".into(),
                    address: spec.ip.clone(),
                },
                NodeAddress {
                    type_: "Hostname".into(),
                    address: spec.name.clone(),
                },
            ]),
            allocatable: Some(resources(spec)),
            capacity: Some(resources(spec)),
            conditions: Some(vec![
                condition(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                    now,
                ),
                condition(
                    "DiskPressure",
                    "False",
                    "KubeletHasNoDiskPressure",
                    "kubelet has no disk pressure",
                    now,
                ),
                condition(
                    "PIDPressure",
                    "False",
                    "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available",
                    now,
                ),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
            ]),
            daemon_endpoints: Some(NodeDaemonEndpoints {
                kubelet_endpoint: Some(DaemonEndpoint { port: 10250 }),
            }),
            node_info: Some(NodeSystemInfo {
                architecture: "amd64".into(),
                boot_id: "8ae9952f-3c1d-4c43-9b6e-5c3a3f0d7f11".into(),
                container_runtime_version: CONTAINER_RUNTIME.into(),
                kernel_version: KERNEL_VERSION.into(),
                kube_proxy_version: String::new(),
                kubelet_version: KUBELET_VERSION.into(),
                machine_id: format!("{:032x}", fnv(&spec.name)),
                operating_system: "linux".into(),
                os_image: OS_IMAGE.into(),
                system_uuid: format!("{:032x}", fnv(&format!("uuid/{}", spec.name))),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}

/// A stable 128-bit hash, for machine IDs and image digests that must not depend on the seed.
pub fn fnv(s: &str) -> u128 {
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in s.bytes() {
        h ^= b as u128;
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    h
}

/// A node a user applied as a manifest: whatever status it lacks, the simulated kubelet fills
/// in, as KWOK does for its fake nodes.
pub fn complete_user_node(node: &Node, ip: &str, now: Millis) -> Node {
    let name = node.metadata.name.clone().unwrap_or_default();
    let spec = NodeSpec::kind(&name, false, ip, None);
    let mut base = registered_node(&spec, now);
    let mut out = node.clone();
    let mut labels = base.metadata.labels.take().unwrap_or_default();
    labels.extend(node.metadata.labels.clone().unwrap_or_default());
    out.metadata.labels = Some(labels);
    let mut annotations = base.metadata.annotations.take().unwrap_or_default();
    annotations.extend(node.metadata.annotations.clone().unwrap_or_default());
    out.metadata.annotations = Some(annotations);
    let status = out.status.get_or_insert_with(Default::default);
    let b = base.status.take().unwrap_or_default();
    if status.capacity.is_none() {
        status.capacity = b.capacity.clone();
    }
    if status.allocatable.is_none() {
        status.allocatable = status.capacity.clone();
    }
    if status.conditions.is_none() {
        status.conditions = b.conditions;
    }
    if status.addresses.is_none() {
        status.addresses = b.addresses;
    }
    if status.node_info.is_none() {
        status.node_info = b.node_info;
    }
    if status.daemon_endpoints.is_none() {
        status.daemon_endpoints = b.daemon_endpoints;
    }
    out
}

/// The kubelet's events about its node: they refer to the node by name, with the name as uid
/// (`kl.nodeRef`), which is why `kubectl describe node` searches for both.
fn node_event(node: &str, reason: &str, message: &str, cx: &mut crate::api::Cx<'_, super::Task>) {
    let n = Object::Node(Node {
        metadata: ObjectMeta {
            name: Some(node.to_string()),
            uid: Some(node.to_string()),
            ..Default::default()
        },
        ..Default::default()
    });
    let source = Source {
        component: "kubelet",
        host: Some(node.to_string()),
    };
    cx.api
        .record_event(&n, None, EventType::Normal, reason, message, &source);
}

/// What a starting kubelet records (pkg/kubelet/kubelet.go, nodestatus setters): `Starting`,
/// the three condition events, and `NodeAllocatableEnforced`.
pub fn record_start(node: &str, cx: &mut crate::api::Cx<'_, super::Task>) {
    node_event(node, "Starting", "Starting kubelet.", cx);
    for c in [
        "NodeHasSufficientMemory",
        "NodeHasNoDiskPressure",
        "NodeHasSufficientPID",
    ] {
        node_event(node, c, &format!("Node {node} status is now: {c}"), cx);
    }
    node_event(
        node,
        "NodeAllocatableEnforced",
        "Updated Node Allocatable limit across pods",
        cx,
    );
}

/// `Node <name> status is now: <event>`, as `recordNodeStatusEvent` words it.
pub fn record(node: &str, event: &str, cx: &mut crate::api::Cx<'_, super::Task>) {
    node_event(node, event, &format!("Node {node} status is now: {event}"), cx);
}

pub fn record_ready(node: &str, cx: &mut crate::api::Cx<'_, super::Task>) {
    node_event(node, "NodeReady", &format!("Node {node} status is now: NodeReady"), cx);
}

/// `renewInterval`: a quarter of the 40 s lease duration.
pub const LEASE_RENEW: Millis = 10_000;
/// `nodeStatusReportFrequency`: an unchanged status is posted every 5 minutes.
const STATUS_EVERY: u64 = 30;

/// Renews the node's Lease in `kube-node-lease` (creating it the first time, owned by the
/// Node), and every 5 minutes posts the node status heartbeat.
pub fn heartbeat(node: &str, count: u64, cx: &mut crate::api::Cx<'_, super::Task>) {
    use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, OwnerReference};
    let renew = MicroTime(api_time(cx.now).0);
    let existing = cx.api.get(crate::store::Kind::Lease, "kube-node-lease", node).cloned();
    match existing {
        Some(Object::Lease(mut l)) => {
            let spec = l.spec.get_or_insert_with(LeaseSpec::default);
            spec.renew_time = Some(renew);
            spec.lease_duration_seconds = Some(40);
            let _ = cx.api.update(Object::Lease(l));
        }
        _ => {
            let uid = cx
                .api
                .get(crate::store::Kind::Node, "", node)
                .and_then(|n| n.meta().uid.clone());
            let lease = Lease {
                metadata: ObjectMeta {
                    name: Some(node.to_string()),
                    namespace: Some("kube-node-lease".into()),
                    owner_references: uid.map(|uid| {
                        vec![OwnerReference {
                            api_version: "v1".into(),
                            kind: "Node".into(),
                            name: node.to_string(),
                            uid,
                            controller: None,
                            block_owner_deletion: None,
                        }]
                    }),
                    ..Default::default()
                },
                spec: Some(LeaseSpec {
                    holder_identity: Some(node.to_string()),
                    lease_duration_seconds: Some(40),
                    renew_time: Some(renew),
                    ..Default::default()
                }),
            };
            let _ = cx.api.create(Object::Lease(lease));
        }
    }
    if count > 0 && count.is_multiple_of(STATUS_EVERY) {
        post_status(node, cx);
    }
}

/// The kubelet's conditions as it posts them: heartbeat now; a condition that was not already
/// the kubelet's healthy one (after the node controller marked it Unknown) moves its
/// transition time too.
fn post_status(node: &str, cx: &mut crate::api::Cx<'_, super::Task>) {
    let Some(Object::Node(mut n)) = cx.api.get(crate::store::Kind::Node, "", node).cloned() else {
        return;
    };
    let now = cx.now;
    let healthy = [
        (
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        (
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        (
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ];
    let st = n.status.get_or_insert_with(Default::default);
    let conds = st.conditions.get_or_insert_with(Vec::new);
    for (ty, status, reason, message) in healthy {
        match conds.iter_mut().find(|c| c.type_ == ty) {
            Some(c) => {
                if c.status != status {
                    *c = condition(ty, status, reason, message, now);
                } else {
                    c.last_heartbeat_time = Some(api_time(now));
                }
            }
            None => conds.push(condition(ty, status, reason, message, now)),
        }
    }
    let _ = cx.api.update_status(&Object::Node(n));
}

/// A restarted kubelet posts its node healthy again.
pub fn post_ready(node: &str, cx: &mut crate::api::Cx<'_, super::Task>) {
    post_status(node, cx);
}
