//! Rows of the cluster's own objects: nodes, namespaces and events.

use k8s_openapi::api::core::v1::{Event, Namespace, Node};

use super::{opt, row};
use crate::kubectl::printers::duration::since_time;
use crate::kubectl::printers::table::Row;
use crate::sim::clock::Millis;
use crate::store::Object;

/// `findNodeRoles`: the suffixes of `node-role.kubernetes.io/*` labels and `kubernetes.io/role`.
pub fn node_roles(n: &Node) -> String {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in n.metadata.labels.iter().flatten() {
        if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
            if !r.is_empty() {
                roles.push(r.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        "<none>".into()
    } else {
        roles.join(",")
    }
}

pub fn node_status_word(n: &Node) -> String {
    let ready = n
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"));
    let mut parts = vec![match ready {
        Some(c) if c.status == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if n.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false) {
        parts.push("SchedulingDisabled");
    }
    parts.join(",")
}

pub(super) fn node_cells(n: &Node, age: String) -> Vec<String> {
    let st = n.status.clone().unwrap_or_default();
    let addr = |t: &str| {
        opt(st
            .addresses
            .iter()
            .flatten()
            .find(|a| a.type_ == t)
            .map(|a| a.address.as_str()))
    };
    let info = st.node_info.clone().unwrap_or_default();
    let unknown = |s: String| {
        if s.is_empty() { "<unknown>".to_string() } else { s }
    };
    vec![
        node_status_word(n),
        node_roles(n),
        age,
        info.kubelet_version.clone(),
        addr("InternalIP"),
        addr("ExternalIP"),
        unknown(info.os_image),
        unknown(info.kernel_version),
        unknown(info.container_runtime_version),
    ]
}

pub(super) fn namespace_cells(n: &Namespace, age: String) -> Vec<String> {
    vec![n.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default(), age]
}

pub(super) fn event_row(o: &Object, e: &Event, now: Millis) -> Row {
    // printEvent: without a firstTimestamp the age is the eventTime's.
    let first = match (&e.first_timestamp, &e.event_time) {
        (None, Some(t)) => since_time(Some(&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(t.0)), now),
        (f, _) => since_time(f.as_ref(), now),
    };
    let last = match &e.last_timestamp {
        Some(t) => since_time(Some(t), now),
        None => first.clone(),
    };
    let io = &e.involved_object;
    let kind = io.kind.clone().unwrap_or_default().to_lowercase();
    let object = match io.name.as_deref() {
        Some(n) if !n.is_empty() => format!("{kind}/{n}"),
        _ => kind,
    };
    let src = e.source.clone().unwrap_or_default();
    let component = src
        .component
        .clone()
        .filter(|c| !c.is_empty())
        .or(e.reporting_component.clone())
        .unwrap_or_default();
    let source = match src.host.as_deref() {
        Some(h) if !h.is_empty() => format!("{component}, {h}"),
        _ => component,
    };
    let mut r = row(
        o,
        vec![
            last,
            e.type_.clone().unwrap_or_default(),
            e.reason.clone().unwrap_or_default(),
            object,
            io.field_path.clone().unwrap_or_default(),
            source,
            e.message.clone().unwrap_or_default().trim().to_string(),
            first,
            e.count.unwrap_or(1).max(1).to_string(),
            o.name().to_string(),
        ],
    );
    // The event table has no NAME column of its own; its first column is LAST SEEN.
    r.name = r.cells.remove(0);
    r
}

/// `printPriorityClass`: VALUE, GLOBAL-DEFAULT, AGE, PREEMPTIONPOLICY.
pub(super) fn priority_class_cells(c: &k8s_openapi::api::scheduling::v1::PriorityClass, age: String) -> Vec<String> {
    vec![
        c.value.to_string(),
        c.global_default.unwrap_or(false).to_string(),
        age,
        c.preemption_policy.clone().unwrap_or_default(),
    ]
}

/// `printResourceQuota`: `name: used/hard` pairs from the status, sorted by resource name,
/// `limits.*` in LIMIT and the rest in REQUEST.
pub(super) fn resource_quota_cells(q: &k8s_openapi::api::core::v1::ResourceQuota, age: String) -> Vec<String> {
    let status = q.status.clone().unwrap_or_default();
    let (mut request, mut limit) = (Vec::new(), Vec::new());
    for (name, hard) in status.hard.iter().flatten() {
        let used = quota_used(&status, name);
        let cell = format!("{name}: {used}/{}", hard.0);
        if name.split('.').next() == Some("limits") && name.contains('.') {
            limit.push(cell);
        } else {
            request.push(cell);
        }
    }
    vec![age, request.join(", "), limit.join(", ")]
}

/// What a quota's status says is used of one resource, `0` when it says nothing.
pub fn quota_used(status: &k8s_openapi::api::core::v1::ResourceQuotaStatus, name: &str) -> String {
    status
        .used
        .as_ref()
        .and_then(|u| u.get(name))
        .map_or("0".to_string(), |q| q.0.clone())
}
