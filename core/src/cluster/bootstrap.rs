//! The objects a cluster starts with, created through the API as kubeadm and the kubelets would:
//! the four system namespaces, the registered nodes, and the `kubernetes` and `kube-dns`
//! Services.

use k8s_openapi::api::core::v1::{Namespace, Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::ApiServer;
use crate::kubelet::node_status;
use crate::sim::clock::{MINUTE, Millis};
use crate::store::Kind;
use crate::store::Object;
use crate::topology::{ClusterSpec, NodeSpec};

/// How long the cluster has been up when the learner arrives: node AGE reads `5m`.
pub const CLUSTER_AGE: Millis = 5 * MINUTE;

fn meta(name: &str, namespace: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: namespace.map(Into::into),
        ..Default::default()
    }
}

/// How long `kubeadm init` and kind's addon installation take before the workers join: long
/// enough for CoreDNS and the local-path provisioner to land on the control plane, as they do
/// on kind.
pub const WORKERS_JOIN_AFTER: Millis = 15 * crate::sim::clock::SECOND;

/// The static pods of the control plane and kind's addons, as manifests.
const CONTROL_PLANE: &str = include_str!("kind/control-plane.yaml");
const ADDONS: &str = include_str!("kind/addons.yaml");

/// Creates the objects through the API, stopping at none: bootstrap manifests are ours.
fn create_all(api: &mut ApiServer, manifests: &str) {
    let Ok(docs) = crate::api::manifest::parse_stream(manifests) else {
        return;
    };
    for doc in docs {
        let api_version = doc.value.get("apiVersion").and_then(|v| v.as_str()).unwrap_or("");
        let kind_name = doc.value.get("kind").and_then(|v| v.as_str()).unwrap_or("");
        if let Some(kind) = Kind::from_api(api_version, kind_name) {
            let _ = api.create_json(kind, doc.value);
        }
    }
}

/// The mirror pods of the control plane's static pods, for the node that runs them.
fn static_pods(api: &mut ApiServer, node: &NodeSpec) {
    let seen = crate::sim::clock::api_time(api.now()).0.to_string();
    let text = CONTROL_PLANE.replace("NODE_IP", &node.ip).replace("NODE", &node.name);
    let Ok(docs) = crate::api::manifest::parse_stream(&text) else {
        return;
    };
    for mut doc in docs {
        // The config hash is the static pod manifest's checksum: stable for the node.
        let name = doc
            .value
            .pointer("/metadata/name")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        let hash = format!("{:032x}", node_status::fnv(&name));
        let text = doc.value.to_string().replace("HASH", &hash).replace("SEEN", &seen);
        let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if let Some(m) = value.pointer_mut("/metadata") {
            m["ownerReferences"] = serde_json::json!([{
                "apiVersion": "v1",
                "kind": "Node",
                "name": node.name,
                "uid": api.get(Kind::Node, "", &node.name).and_then(|n| n.meta().uid.clone()).unwrap_or_default(),
                "controller": true,
            }]);
        }
        doc.value = value;
        let _ = api.create_json(Kind::Pod, doc.value);
    }
}

/// Creates the cluster's objects through the API, as kubeadm, kind and the kubelets would:
/// the control plane with its static pods and addons first; the workers join later
/// ([`join_workers`]).
pub fn bootstrap(api: &mut ApiServer, cluster: &ClusterSpec) {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        let _ = api.create(Object::Namespace(Namespace {
            metadata: meta(ns, None),
            ..Default::default()
        }));
    }
    // The API server's post-start hook makes the two system priority classes.
    for (name, value, description) in crate::api::validation::scheduling::SYSTEM_CLASSES {
        let _ = api.create(Object::PriorityClass(k8s_openapi::api::scheduling::v1::PriorityClass {
            metadata: meta(name, None),
            value: *value,
            description: Some(description.to_string()),
            ..Default::default()
        }));
    }
    for node in cluster.nodes.iter().filter(|n| n.control_plane) {
        let _ = api.create(Object::Node(node_status::registered_node(node, api.now())));
    }
    if let Some(cp) = cluster.nodes.iter().find(|n| n.control_plane) {
        static_pods(api, cp);
    }
    let mut kubernetes = meta("kubernetes", Some("default"));
    kubernetes.labels = Some(
        [("component", "apiserver"), ("provider", "kubernetes")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into(),
    );
    let _ = api.create(Object::Service(Service {
        metadata: kubernetes,
        spec: Some(ServiceSpec {
            cluster_ip: Some("10.96.0.1".into()),
            ports: Some(vec![ServicePort {
                name: Some("https".into()),
                port: 443,
                target_port: Some(IntOrString::Int(6443)),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    }));
    let mut dns = meta("kube-dns", Some("kube-system"));
    dns.labels = Some(
        [
            ("k8s-app", "kube-dns"),
            ("kubernetes.io/cluster-service", "true"),
            ("kubernetes.io/name", "CoreDNS"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .into(),
    );
    dns.annotations = Some(
        [
            ("prometheus.io/port".to_string(), "9153".to_string()),
            ("prometheus.io/scrape".to_string(), "true".to_string()),
        ]
        .into(),
    );
    let port = |name: &str, protocol: &str, number: i32| ServicePort {
        name: Some(name.into()),
        port: number,
        protocol: Some(protocol.into()),
        target_port: Some(IntOrString::Int(number)),
        ..Default::default()
    };
    let _ = api.create(Object::Service(Service {
        metadata: dns,
        spec: Some(ServiceSpec {
            cluster_ip: Some("10.96.0.10".into()),
            ports: Some(vec![
                port("dns", "UDP", 53),
                port("dns-tcp", "TCP", 53),
                port("metrics", "TCP", 9153),
            ]),
            selector: Some([("k8s-app".to_string(), "kube-dns".to_string())].into()),
            ..Default::default()
        }),
        ..Default::default()
    }));
    create_all(api, ADDONS);
}

/// The worker nodes register (`kubeadm join`).
pub fn join_workers(api: &mut ApiServer, cluster: &ClusterSpec) {
    for node in cluster.nodes.iter().filter(|n| !n.control_plane) {
        let _ = api.create(Object::Node(node_status::registered_node(node, api.now())));
    }
}
