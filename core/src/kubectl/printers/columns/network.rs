//! Rows of Services, Ingresses and IngressClasses.

use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};

use super::opt;
use crate::kubectl::printers::table::format_labels;

pub(super) fn service_cells(s: &Service, age: String) -> Vec<String> {
    let spec = s.spec.clone().unwrap_or_default();
    let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let cluster_ip = spec
        .cluster_ips
        .as_ref()
        .and_then(|ips| ips.first().cloned())
        .or(spec.cluster_ip.clone());
    let external_ips = spec.external_ips.clone().unwrap_or_default();
    let external = match ty.as_str() {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let mut lb: Vec<String> = s
                .status
                .as_ref()
                .and_then(|st| st.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|i| i.ip.clone().or(i.hostname.clone()))
                .collect();
            lb.sort();
            lb.dedup();
            if !external_ips.is_empty() {
                lb.extend(external_ips);
                lb.join(",")
            } else if !lb.is_empty() {
                lb.join(",")
            } else {
                "<pending>".into()
            }
        }
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".into(),
    };
    let ports: Vec<String> = spec
        .ports
        .iter()
        .flatten()
        .map(|p| {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            match p.node_port {
                Some(np) if np > 0 => format!("{}:{np}/{proto}", p.port),
                _ => format!("{}/{proto}", p.port),
            }
        })
        .collect();
    vec![
        ty,
        opt(cluster_ip.as_deref()),
        external,
        if ports.is_empty() {
            "<none>".into()
        } else {
            ports.join(",")
        },
        age,
        format_labels(&spec.selector.clone().unwrap_or_default()),
    ]
}

pub(super) fn ingress_cells(i: &Ingress, age: String) -> Vec<String> {
    let spec = i.spec.clone().unwrap_or_default();
    let rules = spec.rules.clone().unwrap_or_default();
    let mut hosts: Vec<String> = Vec::new();
    let mut more = 0;
    for r in &rules {
        if let Some(h) = r.host.clone().filter(|h| !h.is_empty()) {
            if hosts.len() < 3 {
                hosts.push(h);
            } else {
                more = rules.len() - 3;
                break;
            }
        }
    }
    let hosts = if hosts.is_empty() {
        "*".to_string()
    } else if more > 0 {
        format!("{} + {more} more...", hosts.join(","))
    } else {
        hosts.join(",")
    };
    let mut addrs: Vec<String> = i
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|i| i.ip.clone().or(i.hostname.clone()))
        .collect();
    addrs.sort();
    addrs.dedup();
    let ports = if spec.tls.as_ref().is_some_and(|t| !t.is_empty()) {
        "80, 443"
    } else {
        "80"
    };
    vec![
        opt(spec.ingress_class_name.as_deref()),
        hosts,
        addrs.join(","),
        ports.into(),
        age,
    ]
}

pub(super) fn ingress_class_cells(c: &IngressClass, age: String) -> Vec<String> {
    let spec = c.spec.as_ref();
    let params = spec
        .and_then(|s| s.parameters.as_ref())
        .map_or("<none>".to_string(), |p| format!("{}/{}", p.kind, p.name));
    vec![spec.and_then(|s| s.controller.clone()).unwrap_or_default(), params, age]
}
