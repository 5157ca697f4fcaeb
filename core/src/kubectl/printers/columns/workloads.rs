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

/// `printJob`: STATUS from the conditions, COMPLETIONS, DURATION.
pub(super) fn job_cells(
    j: &k8s_openapi::api::batch::v1::Job,
    now: crate::sim::clock::Millis,
    age: String,
) -> Vec<String> {
    let spec = j.spec.clone().unwrap_or_default();
    let st = j.status.clone().unwrap_or_default();
    let succeeded = st.succeeded.unwrap_or(0);
    let completions = match spec.completions {
        Some(c) => format!("{succeeded}/{c}"),
        None if spec.parallelism.unwrap_or(0) > 1 => {
            format!("{succeeded}/1 of {}", spec.parallelism.unwrap_or(0))
        }
        None => format!("{succeeded}/1"),
    };
    let secs = |t: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time| t.0.as_second();
    let duration = match (&st.start_time, &st.completion_time) {
        (None, _) => String::new(),
        (Some(s), None) => crate::kubectl::printers::duration::since_time(Some(s), now),
        (Some(s), Some(c)) => crate::kubectl::printers::duration::human(secs(c).saturating_sub(secs(s))),
    };
    let has = |ty: &str| {
        st.conditions
            .iter()
            .flatten()
            .any(|c| c.type_ == ty && c.status == "True")
    };
    let status = if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if j.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else if has("SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    };
    let (names, images) = containers_and_images(spec.template.spec.as_ref());
    vec![
        status.into(),
        completions,
        duration,
        age,
        names,
        images,
        format_selector(spec.selector.as_ref()),
    ]
}

/// `printCronJob`.
pub(super) fn cron_job_cells(
    c: &k8s_openapi::api::batch::v1::CronJob,
    now: crate::sim::clock::Millis,
    age: String,
) -> Vec<String> {
    let spec = c.spec.clone().unwrap_or_default();
    let st = c.status.clone().unwrap_or_default();
    let last = st.last_schedule_time.as_ref().map_or("<none>".to_string(), |t| {
        crate::kubectl::printers::duration::since_time(Some(t), now)
    });
    let suspend = match spec.suspend {
        None => "<unset>",
        Some(true) => "True",
        Some(false) => "False",
    };
    let job_spec = spec.job_template.spec.clone().unwrap_or_default();
    let (names, images) = containers_and_images(job_spec.template.spec.as_ref());
    vec![
        spec.schedule.clone(),
        spec.time_zone.clone().unwrap_or_else(|| "<none>".into()),
        suspend.into(),
        st.active.as_ref().map_or(0, Vec::len).to_string(),
        last,
        age,
        names,
        images,
        format_selector(job_spec.selector.as_ref()),
    ]
}

/// `printControllerRevision`: CONTROLLER as `statefulset.apps/web`.
pub(super) fn controller_revision_cells(
    r: &k8s_openapi::api::apps::v1::ControllerRevision,
    age: String,
) -> Vec<String> {
    let controller = r
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map_or("<none>".to_string(), |o| {
            let group = o.api_version.rsplit_once('/').map_or("", |(g, _)| g);
            let kind = o.kind.to_lowercase();
            if group.is_empty() {
                format!("{kind}/{}", o.name)
            } else {
                format!("{kind}.{group}/{}", o.name)
            }
        });
    vec![controller, r.revision.to_string(), age]
}

pub(super) fn lease_cells(l: &k8s_openapi::api::coordination::v1::Lease, age: String) -> Vec<String> {
    let holder = l
        .spec
        .as_ref()
        .and_then(|s| s.holder_identity.clone())
        .unwrap_or_default();
    vec![holder, age]
}

pub(super) fn pdb_cells(p: &k8s_openapi::api::policy::v1::PodDisruptionBudget, age: String) -> Vec<String> {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let spec = p.spec.clone().unwrap_or_default();
    let show = |v: Option<&IntOrString>| match v {
        None => "N/A".to_string(),
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
    };
    vec![
        show(spec.min_available.as_ref()),
        show(spec.max_unavailable.as_ref()),
        p.status.as_ref().map_or(0, |s| s.disruptions_allowed).to_string(),
        age,
    ]
}
