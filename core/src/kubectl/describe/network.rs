//! `kubectl describe service|ingress|ingressclass` (kubectl pkg/describe/describe.go
//! `describeService`, `describeIngressV1`, `describeBackendV1`, `describeIngressClassV1`).
//! Since 1.31 a Service's endpoints, and an Ingress backend's, are those of its
//! EndpointSlices; a missing Service shows the API's NotFound.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Service, ServicePort};
use k8s_openapi::api::networking::v1::{Ingress, IngressBackend, IngressClass};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::{Writer, annotations_multiline, events_section, labels_multiline};
use crate::cluster::World;
use crate::kubectl::printers::table::format_labels;
use crate::store::{Kind, Object};

/// `describeBackendV1`.
fn backend(world: &World, ns: &str, b: &IngressBackend) -> String {
    if let Some(s) = &b.service {
        let port = s.port.as_ref();
        let sb = match port.and_then(|p| p.number).filter(|n| *n != 0) {
            Some(n) => format!("{}:{n}", s.name),
            None => format!("{}:{}", s.name, port.and_then(|p| p.name.as_deref()).unwrap_or("")),
        };
        if world.api().get(Kind::Service, ns, &s.name).is_none() {
            return format!("{sb} (<error: services {:?} not found>)", s.name);
        }
        let Some(Object::Service(svc)) = world.api().get(Kind::Service, ns, &s.name) else {
            return format!("{sb} (<none>)");
        };
        // The Service port the backend names (the last match wins); its endpoints.
        let sp = svc
            .spec
            .iter()
            .flat_map(|s| s.ports.iter().flatten())
            .rfind(|p| match port {
                Some(bp) if bp.number.is_some_and(|n| n != 0) => Some(p.port) == bp.number,
                Some(bp) => p.name == bp.name,
                None => false,
            });
        let eps = sp.and_then(|p| service_endpoints(world, svc, p));
        return format!("{sb} ({})", format_endpoints(eps.as_deref()));
    }
    if let Some(r) = &b.resource {
        return format!(
            "APIGroup: {}, Kind: {}, Name: {}",
            r.api_group.as_deref().unwrap_or("<none>"),
            r.kind,
            r.name
        );
    }
    String::new()
}

pub fn ingress(world: &World, ing: &Ingress) -> String {
    let mut w = Writer::default();
    let m = &ing.metadata;
    let ns = m.namespace.as_deref().unwrap_or("");
    let spec = ing.spec.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{}", m.name.as_deref().unwrap_or("")));
    labels_multiline(&mut w, "Labels", m.labels.as_ref());
    w.line(0, &format!("Namespace:\t{ns}"));
    let addresses: BTreeSet<String> = ing
        .status
        .iter()
        .flat_map(|s| s.load_balancer.iter())
        .flat_map(|lb| lb.ingress.iter().flatten())
        .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
        .collect();
    w.line(
        0,
        &format!("Address:\t{}", addresses.into_iter().collect::<Vec<_>>().join(",")),
    );
    w.line(
        0,
        &format!(
            "Ingress Class:\t{}",
            spec.ingress_class_name.as_deref().unwrap_or("<none>")
        ),
    );
    let default = match &spec.default_backend {
        None => "<default>".to_string(),
        Some(b) => backend(world, ns, b),
    };
    w.line(0, &format!("Default backend:\t{default}"));
    let tls = spec.tls.clone().unwrap_or_default();
    if !tls.is_empty() {
        w.line(0, "TLS:");
        for t in &tls {
            let hosts = t.hosts.clone().unwrap_or_default().join(",");
            match t.secret_name.as_deref().filter(|s| !s.is_empty()) {
                None => w.line(1, &format!("SNI routes {hosts}")),
                Some(secret) => w.line(1, &format!("{secret} terminates {hosts}")),
            }
        }
    }
    w.line(0, "Rules:");
    w.line(1, "Host\tPath\tBackends");
    w.line(1, "----\t----\t--------");
    let mut counted = 0;
    for rule in spec.rules.iter().flatten() {
        let Some(http) = &rule.http else { continue };
        counted += 1;
        let host = rule.host.as_deref().filter(|h| !h.is_empty()).unwrap_or("*");
        w.line(1, &format!("{host}\t"));
        for p in &http.paths {
            let path = p.path.as_deref().unwrap_or("");
            w.line(2, &format!("\t{path} \t{}", backend(world, ns, &p.backend)));
        }
    }
    if counted == 0 {
        w.line(1, &format!("*\t*\t{default}"));
    }
    annotations_multiline(&mut w, m.annotations.as_ref());
    events_section(&mut w, world, &Object::Ingress(ing.clone()));
    w.finish()
}

pub fn ingress_class(world: &World, ic: &IngressClass) -> String {
    let mut w = Writer::default();
    let m = &ic.metadata;
    w.line(0, &format!("Name:\t{}", m.name.as_deref().unwrap_or("")));
    labels_multiline(&mut w, "Labels", m.labels.as_ref());
    annotations_multiline(&mut w, m.annotations.as_ref());
    let spec = ic.spec.clone().unwrap_or_default();
    w.line(0, &format!("Controller:\t{}", spec.controller.as_deref().unwrap_or("")));
    if let Some(p) = &spec.parameters {
        w.line(0, "Parameters:");
        if let Some(g) = &p.api_group {
            w.line(1, &format!("APIGroup:\t{g}"));
        }
        w.line(1, &format!("Kind:\t{}", p.kind));
        w.line(1, &format!("Name:\t{}", p.name));
    }
    events_section(&mut w, world, &Object::IngressClass(ic.clone()));
    w.finish()
}

/// The ready endpoints of one Service port, as the EndpointSlice controller would publish
/// them: the ready pods the selector matches, at the port the target names (a named target
/// resolves per pod; a pod without it is left out). Kubeplay serves no EndpointSlices yet
/// (the networking issue adds their controller), so describe derives them from the pods.
/// None when there would be no slice at all (a Service without a selector).
fn service_endpoints(world: &World, svc: &Service, port: &ServicePort) -> Option<Vec<String>> {
    let spec = svc.spec.as_ref();
    let selector = spec.and_then(|s| s.selector.as_ref()).filter(|s| !s.is_empty())?;
    let ns = svc.metadata.namespace.as_deref().unwrap_or("");
    let mut out = Vec::new();
    for o in world.api().list(Kind::Pod, Some(ns)) {
        let Object::Pod(p) = o else { continue };
        let labels = p.metadata.labels.clone().unwrap_or_default();
        if !selector.iter().all(|(k, v)| labels.get(k) == Some(v)) || p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let status = p.status.as_ref();
        let Some(ip) = status.and_then(|s| s.pod_ip.as_deref()) else {
            continue;
        };
        let ready = status
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        if !ready {
            continue;
        }
        let target = match &port.target_port {
            None => Some(port.port),
            Some(IntOrString::Int(n)) => Some(*n),
            Some(IntOrString::String(name)) => p
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .find(|cp| cp.name.as_deref() == Some(name.as_str()))
                .map(|cp| cp.container_port),
        };
        if let Some(t) = target {
            out.push(format!("{ip}:{t}"));
        }
    }
    Some(out)
}

/// `formatEndpointSlices`: `<none>` without slices, at most three, then `+ N more...`.
fn format_endpoints(eps: Option<&[String]>) -> String {
    let Some(eps) = eps else { return "<none>".into() };
    let shown = eps.iter().take(3).cloned().collect::<Vec<_>>().join(",");
    if eps.len() > 3 {
        format!("{shown} + {} more...", eps.len() - 3)
    } else {
        shown
    }
}

/// `describeService`.
pub fn service(world: &World, svc: &Service) -> String {
    let mut w = Writer::default();
    let m = &svc.metadata;
    let spec = svc.spec.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{}", m.name.as_deref().unwrap_or("")));
    w.line(0, &format!("Namespace:\t{}", m.namespace.as_deref().unwrap_or("")));
    labels_multiline(&mut w, "Labels", m.labels.as_ref());
    annotations_multiline(&mut w, m.annotations.as_ref());
    w.line(
        0,
        &format!(
            "Selector:\t{}",
            format_labels(&spec.selector.clone().unwrap_or_default())
        ),
    );
    w.line(0, &format!("Type:\t{}", spec.type_.as_deref().unwrap_or("")));
    if let Some(p) = &spec.ip_family_policy {
        w.line(0, &format!("IP Family Policy:\t{p}"));
    }
    match spec.ip_families.as_deref() {
        Some(f) if !f.is_empty() => w.line(0, &format!("IP Families:\t{}", f.join(","))),
        _ => w.line(0, "IP Families:\t<none>"),
    }
    w.line(0, &format!("IP:\t{}", spec.cluster_ip.as_deref().unwrap_or("")));
    if let Some(ips) = spec.cluster_ips.as_deref().filter(|i| !i.is_empty()) {
        w.line(0, &format!("IPs:\t{}", ips.join(",")));
    }
    if let Some(ips) = spec.external_ips.as_deref().filter(|i| !i.is_empty()) {
        w.line(0, &format!("External IPs:\t{}", ips.join(",")));
    }
    if let Some(ip) = spec.load_balancer_ip.as_deref().filter(|i| !i.is_empty()) {
        w.line(0, &format!("IP:\t{ip}"));
    }
    if let Some(n) = spec.external_name.as_deref().filter(|n| !n.is_empty()) {
        w.line(0, &format!("External Name:\t{n}"));
    }
    let lb: Vec<String> = svc
        .status
        .iter()
        .flat_map(|s| s.load_balancer.iter())
        .flat_map(|lb| lb.ingress.iter().flatten())
        .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
        .collect();
    if !lb.is_empty() {
        w.line(0, &format!("LoadBalancer Ingress:\t{}", lb.join(", ")));
    }
    for p in spec.ports.iter().flatten() {
        let name = p.name.as_deref().filter(|n| !n.is_empty()).unwrap_or("<unset>");
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        w.line(0, &format!("Port:\t{name}\t{}/{proto}", p.port));
        match &p.target_port {
            Some(IntOrString::String(s)) => w.line(0, &format!("TargetPort:\t{s}/{proto}")),
            Some(IntOrString::Int(n)) => w.line(0, &format!("TargetPort:\t{n}/{proto}")),
            None => w.line(0, &format!("TargetPort:\t{}/{proto}", p.port)),
        }
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            w.line(0, &format!("NodePort:\t{name}\t{np}/{proto}"));
        }
        let eps = service_endpoints(world, svc, p);
        w.line(0, &format!("Endpoints:\t{}", format_endpoints(eps.as_deref())));
    }
    w.line(
        0,
        &format!("Session Affinity:\t{}", spec.session_affinity.as_deref().unwrap_or("")),
    );
    if let Some(p) = spec.external_traffic_policy.as_deref().filter(|p| !p.is_empty()) {
        w.line(0, &format!("External Traffic Policy:\t{p}"));
    }
    if let Some(p) = &spec.internal_traffic_policy {
        w.line(0, &format!("Internal Traffic Policy:\t{p}"));
    }
    if let Some(n) = spec.health_check_node_port.filter(|n| *n != 0) {
        w.line(0, &format!("HealthCheck NodePort:\t{n}"));
    }
    if let Some(r) = spec.load_balancer_source_ranges.as_deref().filter(|r| !r.is_empty()) {
        w.line(0, &format!("LoadBalancer Source Ranges:\t{}", r.join(",")));
    }
    if let Some(t) = &spec.traffic_distribution {
        w.line(0, &format!("Traffic Distribution:\t{t}"));
    }
    events_section(&mut w, world, &Object::Service(svc.clone()));
    w.finish()
}
