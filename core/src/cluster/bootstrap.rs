//! The objects a cluster starts with, created through the API as kubeadm and the kubelets would:
//! the four system namespaces, the registered nodes, and the `kubernetes` and `kube-dns`
//! Services.

use k8s_openapi::api::core::v1::{Namespace, Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::ApiServer;
use crate::kubelet::node_status;
use crate::sim::clock::{MINUTE, Millis};
use crate::store::Object;
use crate::topology::ClusterSpec;

/// How long the cluster has been up when the learner arrives: node AGE reads `5m`.
pub const CLUSTER_AGE: Millis = 5 * MINUTE;

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
