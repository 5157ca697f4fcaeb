//! The cluster a world starts with. By default it is what `kind create cluster` with two
//! workers gives: `kind-control-plane` (tainted NoSchedule) and `kind-worker`, `kind-worker2`,
//! the four system namespaces and the `kubernetes` and `kube-dns` Services. A lab may declare
//! its own nodes instead (the study notes speak of `master`, `work1`, `work2`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, Service, ServicePort, ServiceSpec, Taint};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::clock::{MINUTE, Millis};
use crate::api::ApiServer;
use crate::kubelet::node_status;
use crate::store::Object;

/// How long the cluster has been up when the learner arrives: node AGE reads `5m`.
pub const CLUSTER_AGE: Millis = 5 * MINUTE;

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
    /// The third octet of its podCIDR `10.244.X.0/24`.
    pub pod_cidr_index: u8,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterSpec {
    pub nodes: Vec<NodeSpec>,
}

impl NodeSpec {
    /// A node as kind makes one: 4 CPUs and about 8 GiB, shared with its siblings on one host.
    pub fn kind(name: &str, control_plane: bool, ip: &str, pod_cidr_index: u8) -> Self {
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
            pod_cidr_index,
        }
    }
}

impl ClusterSpec {
    pub fn kind_default() -> Self {
        ClusterSpec {
            nodes: vec![
                NodeSpec::kind("kind-control-plane", true, "172.18.0.3", 0),
                NodeSpec::kind("kind-worker", false, "172.18.0.2", 2),
                NodeSpec::kind("kind-worker2", false, "172.18.0.4", 1),
            ],
        }
    }
}

fn meta(name: &str, namespace: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: namespace.map(Into::into),
        ..Default::default()
    }
}

/// Creates the cluster's objects through the API, as kubeadm and the kubelets would.
pub fn bootstrap(api: &mut ApiServer, cluster: &ClusterSpec) {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        let _ = api.create(Object::Namespace(Namespace {
            metadata: meta(ns, None),
            ..Default::default()
        }));
    }
    for node in &cluster.nodes {
        let _ = api.create(Object::Node(node_status::registered_node(node, api.now())));
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
}
