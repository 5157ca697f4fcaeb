//! Rows of the workload controllers' objects: Deployments, ReplicaSets, StatefulSets and
//! DaemonSets.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};

use super::{containers_and_images, format_selector};
use crate::kubectl::printers::table::format_labels;

pub(super) fn deployment_cells(d: &Deployment, age: String) -> Vec<String> {
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let (names, images) = containers_and_images(spec.template.spec.as_ref());
    vec![
        format!("{}/{}", st.ready_replicas.unwrap_or(0), spec.replicas.unwrap_or(1)),
        st.updated_replicas.unwrap_or(0).to_string(),
        st.available_replicas.unwrap_or(0).to_string(),
        age,
        names,
        images,
        format_selector(Some(&spec.selector)).replace("<none>", ""),
    ]
}

pub(super) fn replica_set_cells(r: &ReplicaSet, age: String) -> Vec<String> {
    let spec = r.spec.clone().unwrap_or_default();
    let st = r.status.clone().unwrap_or_default();
    let (names, images) = containers_and_images(spec.template.as_ref().and_then(|t| t.spec.as_ref()));
    vec![
        spec.replicas.unwrap_or(1).to_string(),
        st.replicas.to_string(),
        st.ready_replicas.unwrap_or(0).to_string(),
        age,
        names,
        images,
        format_selector(Some(&spec.selector)),
    ]
}

pub(super) fn stateful_set_cells(s: &StatefulSet, age: String) -> Vec<String> {
    let spec = s.spec.clone().unwrap_or_default();
    let st = s.status.clone().unwrap_or_default();
    let (names, images) = containers_and_images(spec.template.spec.as_ref());
    vec![
        format!("{}/{}", st.ready_replicas.unwrap_or(0), spec.replicas.unwrap_or(1)),
        age,
        names,
        images,
    ]
}

pub(super) fn daemon_set_cells(d: &DaemonSet, age: String) -> Vec<String> {
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let (names, images) = containers_and_images(spec.template.spec.as_ref());
    let node_selector: BTreeMap<String, String> = spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.node_selector.clone())
        .unwrap_or_default();
    vec![
        st.desired_number_scheduled.to_string(),
        st.current_number_scheduled.to_string(),
        st.number_ready.to_string(),
        st.updated_number_scheduled.unwrap_or(0).to_string(),
        st.number_available.unwrap_or(0).to_string(),
        format_labels(&node_selector),
        age,
        names,
        images,
        format_selector(Some(&spec.selector)),
    ]
}
