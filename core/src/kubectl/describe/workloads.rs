//! describe for the workload kinds (kubectl/pkg/describe/describe.go `describeDeployment`,
//! `describeReplicaSet`, `DescribePodTemplate`).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::pod::{containers, tolerations, volumes};
use super::{Writer, annotations_multiline, events_section, labels_multiline, rfc1123z};
use crate::cluster::World;
use crate::kubectl::printers::columns::format_selector;
use crate::store::{Kind, Object};

/// `DescribePodTemplate`.
pub fn pod_template(w: &mut Writer, t: &PodTemplateSpec) {
    let meta = t.metadata.clone().unwrap_or_default();
    let spec = t.spec.clone().unwrap_or_default();
    w.line(0, "Pod Template:");
    labels_multiline(w, "  Labels", meta.labels.as_ref());
    if meta.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        annotations_multiline_titled(w, "  Annotations", meta.annotations.as_ref());
    }
    if let Some(sa) = spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        w.line(1, &format!("Service Account:\t{sa}"));
    }
    // Environment references are shown unresolved, as for a pod that does not exist yet.
    let pod = Pod {
        metadata: meta,
        spec: Some(spec.clone()),
        status: None,
    };
    let none = BTreeMap::new();
    if let Some(init) = spec.init_containers.as_deref().filter(|i| !i.is_empty()) {
        containers(w, "Init Containers", init, &none, &pod, true);
    }
    containers(w, "Containers", &spec.containers, &none, &pod, true);
    w.nested(1, |w| volumes(w, spec.volumes.as_deref().unwrap_or(&[])));
    if let Some(pc) = spec.priority_class_name.as_deref().filter(|s| !s.is_empty()) {
        w.line(1, &format!("Priority Class Name:\t{pc}"));
    }
    labels_multiline(w, "  Node-Selectors", spec.node_selector.as_ref());
    w.nested(1, |w| tolerations(w, spec.tolerations.as_deref().unwrap_or(&[])));
}

/// `printAnnotationsMultiline` under another title (the template's `  Annotations`).
fn annotations_multiline_titled(w: &mut Writer, title: &str, m: Option<&BTreeMap<String, String>>) {
    let mut inner = Writer::default();
    annotations_multiline(&mut inner, m);
    let text = inner.pending_text();
    for (i, l) in text.lines().enumerate() {
        if i == 0 {
            w.line(0, &l.replacen("Annotations:", &format!("{title}:"), 1));
        } else {
            w.line(0, l);
        }
    }
}

fn conditions<'a>(w: &mut Writer, cs: impl Iterator<Item = (&'a str, &'a str, Option<&'a str>)>) {
    let cs: Vec<_> = cs.collect();
    if cs.is_empty() {
        return;
    }
    w.line(0, "Conditions:");
    w.line(1, "Type\tStatus\tReason");
    w.line(1, "----\t------\t------");
    for (ty, status, reason) in cs {
        w.line(1, &format!("{ty} \t{status}\t{}", reason.unwrap_or("")));
    }
}

fn int_or_string(v: Option<&IntOrString>) -> String {
    match v {
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "0".into(),
    }
}

/// The ReplicaSets a Deployment controls, in name order, split into (old, new) as kubectl's
/// `GetAllReplicaSets` does: the new one is the oldest whose template matches.
fn replica_sets(world: &World, d: &Deployment) -> (Vec<ReplicaSet>, Vec<ReplicaSet>) {
    let ns = d.metadata.namespace.clone().unwrap_or_default();
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let store = world.api().store();
    let mut all: Vec<ReplicaSet> = store
        .get_all(store.indexes().controlled_by(Kind::ReplicaSet, &ns, &uid))
        .filter_map(|o| match o {
            Object::ReplicaSet(r) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let strip = |t: &PodTemplateSpec| {
        let mut t = t.clone();
        if let Some(l) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
            l.remove("pod-template-hash");
        }
        t
    };
    let want = d.spec.as_ref().map(|s| strip(&s.template));
    let mut by_age: Vec<&ReplicaSet> = all.iter().collect();
    by_age.sort_by(|a, b| a.metadata.creation_timestamp.cmp(&b.metadata.creation_timestamp));
    let new_uid = by_age
        .into_iter()
        .find(|r| r.spec.as_ref().and_then(|s| s.template.as_ref()).map(strip) == want)
        .and_then(|r| r.metadata.uid.clone());
    all.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    all.into_iter()
        .partition(|r| r.metadata.uid != new_uid || new_uid.is_none())
}

fn replica_sets_line(rss: &[ReplicaSet]) -> String {
    if rss.is_empty() {
        return "<none>".into();
    }
    rss.iter()
        .map(|r| {
            format!(
                "{} ({}/{} replicas created)",
                r.metadata.name.as_deref().unwrap_or(""),
                r.status.as_ref().map_or(0, |s| s.replicas),
                r.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn deployment(world: &World, d: &Deployment) -> String {
    let mut w = Writer::default();
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{}", d.metadata.name.as_deref().unwrap_or("")));
    w.line(
        0,
        &format!("Namespace:\t{}", d.metadata.namespace.as_deref().unwrap_or("")),
    );
    if let Some(t) = &d.metadata.creation_timestamp {
        w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(t)));
    }
    labels_multiline(&mut w, "Labels", d.metadata.labels.as_ref());
    annotations_multiline(&mut w, d.metadata.annotations.as_ref());
    w.line(0, &format!("Selector:\t{}", format_selector(Some(&spec.selector))));
    w.line(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
            spec.replicas.unwrap_or(1),
            st.updated_replicas.unwrap_or(0),
            st.replicas.unwrap_or(0),
            st.available_replicas.unwrap_or(0),
            st.unavailable_replicas.unwrap_or(0)
        ),
    );
    let strategy = spec.strategy.clone().unwrap_or_default();
    w.line(
        0,
        &format!("StrategyType:\t{}", strategy.type_.as_deref().unwrap_or("")),
    );
    w.line(0, &format!("MinReadySeconds:\t{}", spec.min_ready_seconds.unwrap_or(0)));
    if let Some(ru) = &strategy.rolling_update {
        w.line(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge",
                int_or_string(ru.max_unavailable.as_ref()),
                int_or_string(ru.max_surge.as_ref())
            ),
        );
    }
    pod_template(&mut w, &spec.template);
    conditions(
        &mut w,
        st.conditions
            .iter()
            .flatten()
            .map(|c| (c.type_.as_str(), c.status.as_str(), c.reason.as_deref())),
    );
    let (old, new) = replica_sets(world, d);
    if !old.is_empty() || !new.is_empty() {
        w.line(0, &format!("OldReplicaSets:\t{}", replica_sets_line(&old)));
        w.line(0, &format!("NewReplicaSet:\t{}", replica_sets_line(&new)));
    }
    events_section(&mut w, world, &Object::Deployment(d.clone()));
    w.finish()
}

pub fn replica_set(world: &World, rs: &ReplicaSet) -> String {
    let mut w = Writer::default();
    let spec = rs.spec.clone().unwrap_or_default();
    let st = rs.status.clone().unwrap_or_default();
    let ns = rs.metadata.namespace.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{}", rs.metadata.name.as_deref().unwrap_or("")));
    w.line(0, &format!("Namespace:\t{ns}"));
    w.line(0, &format!("Selector:\t{}", format_selector(Some(&spec.selector))));
    labels_multiline(&mut w, "Labels", rs.metadata.labels.as_ref());
    annotations_multiline(&mut w, rs.metadata.annotations.as_ref());
    if let Some(r) = rs
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
    {
        w.line(0, &format!("Controlled By:\t{}/{}", r.kind, r.name));
    }
    w.line(
        0,
        &format!(
            "Replicas:\t{} current / {} desired",
            st.replicas,
            spec.replicas.unwrap_or(1)
        ),
    );
    let uid = rs.metadata.uid.clone().unwrap_or_default();
    let store = world.api().store();
    let mut counts = [0usize; 4];
    for o in store.get_all(store.indexes().controlled_by(Kind::Pod, &ns, &uid)) {
        if let Object::Pod(p) = o {
            match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
                Some("Running") => counts[0] += 1,
                Some("Pending") | None => counts[1] += 1,
                Some("Succeeded") => counts[2] += 1,
                Some("Failed") => counts[3] += 1,
                _ => {}
            }
        }
    }
    w.line(
        0,
        &format!(
            "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed",
            counts[0], counts[1], counts[2], counts[3]
        ),
    );
    if let Some(t) = &spec.template {
        pod_template(&mut w, t);
    }
    conditions(
        &mut w,
        st.conditions
            .iter()
            .flatten()
            .map(|c| (c.type_.as_str(), c.status.as_str(), c.reason.as_deref())),
    );
    events_section(&mut w, world, &Object::ReplicaSet(rs.clone()));
    w.finish()
}

/// Pods of a controller by phase: `Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed`.
fn pods_status(world: &World, ns: &str, uid: &str) -> [usize; 4] {
    let store = world.api().store();
    let mut counts = [0usize; 4];
    for o in store.get_all(store.indexes().controlled_by(Kind::Pod, ns, uid)) {
        if let Object::Pod(p) = o {
            match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
                Some("Running") => counts[0] += 1,
                Some("Pending") | None => counts[1] += 1,
                Some("Succeeded") => counts[2] += 1,
                Some("Failed") => counts[3] += 1,
                _ => {}
            }
        }
    }
    counts
}

fn pods_status_line(c: [usize; 4]) -> String {
    format!(
        "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed",
        c[0], c[1], c[2], c[3]
    )
}

/// `describeStatefulSet`.
pub fn stateful_set(world: &World, s: &k8s_openapi::api::apps::v1::StatefulSet) -> String {
    let mut w = Writer::default();
    let spec = s.spec.clone().unwrap_or_default();
    let st = s.status.clone().unwrap_or_default();
    let ns = s.metadata.namespace.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{}", s.metadata.name.as_deref().unwrap_or("")));
    w.line(0, &format!("Namespace:\t{ns}"));
    if let Some(t) = &s.metadata.creation_timestamp {
        w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(t)));
    }
    w.line(0, &format!("Selector:\t{}", format_selector(Some(&spec.selector))));
    labels_multiline(&mut w, "Labels", s.metadata.labels.as_ref());
    annotations_multiline(&mut w, s.metadata.annotations.as_ref());
    w.line(
        0,
        &format!(
            "Replicas:\t{} desired | {} total",
            spec.replicas.unwrap_or(1),
            st.replicas
        ),
    );
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    w.line(
        0,
        &format!("Update Strategy:\t{}", strategy.type_.as_deref().unwrap_or("")),
    );
    if let Some(ru) = &strategy.rolling_update
        && let Some(p) = ru.partition
    {
        w.line(1, &format!("Partition:\t{p}"));
        if let Some(m) = &ru.max_unavailable {
            w.line(1, &format!("MaxUnavailable:\t{}", int_or_string(Some(m))));
        }
    }
    let uid = s.metadata.uid.clone().unwrap_or_default();
    w.line(0, &pods_status_line(pods_status(world, &ns, &uid)));
    pod_template(&mut w, &spec.template);
    let claims = spec.volume_claim_templates.clone().unwrap_or_default();
    if claims.is_empty() {
        w.line(0, "Volume Claims:\t<none>");
    } else {
        w.line(0, "Volume Claims:");
        for c in &claims {
            let cs = c.spec.clone().unwrap_or_default();
            w.line(1, &format!("Name:\t{}", c.metadata.name.as_deref().unwrap_or("")));
            w.line(
                1,
                &format!("StorageClass:\t{}", cs.storage_class_name.as_deref().unwrap_or("")),
            );
            labels_multiline(&mut w, "  Labels", c.metadata.labels.as_ref());
            labels_multiline(&mut w, "  Annotations", c.metadata.annotations.as_ref());
            let capacity = cs
                .resources
                .as_ref()
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage"))
                .map_or("<default>".to_string(), |q| q.0.clone());
            w.line(1, &format!("Capacity:\t{capacity}"));
            w.line(
                1,
                &format!("Access Modes:\t[{}]", cs.access_modes.unwrap_or_default().join(" ")),
            );
        }
    }
    events_section(&mut w, world, &Object::StatefulSet(s.clone()));
    w.finish()
}

/// `describeDaemonSet`.
pub fn daemon_set(world: &World, d: &k8s_openapi::api::apps::v1::DaemonSet) -> String {
    let mut w = Writer::default();
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let ns = d.metadata.namespace.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{}", d.metadata.name.as_deref().unwrap_or("")));
    w.line(0, &format!("Selector:\t{}", format_selector(Some(&spec.selector))));
    let node_selector = spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.node_selector.clone())
        .unwrap_or_default();
    let ns_text = if node_selector.is_empty() {
        "<none>".to_string()
    } else {
        node_selector
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    w.line(0, &format!("Node-Selector:\t{ns_text}"));
    labels_multiline(&mut w, "Labels", d.metadata.labels.as_ref());
    annotations_multiline(&mut w, d.metadata.annotations.as_ref());
    w.line(
        0,
        &format!("Desired Number of Nodes Scheduled: {}", st.desired_number_scheduled),
    );
    w.line(
        0,
        &format!("Current Number of Nodes Scheduled: {}", st.current_number_scheduled),
    );
    w.line(
        0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}",
            st.updated_number_scheduled.unwrap_or(0)
        ),
    );
    w.line(
        0,
        &format!(
            "Number of Nodes Scheduled with Available Pods: {}",
            st.number_available.unwrap_or(0)
        ),
    );
    w.line(0, &format!("Number of Nodes Misscheduled: {}", st.number_misscheduled));
    let uid = d.metadata.uid.clone().unwrap_or_default();
    w.line(0, &pods_status_line(pods_status(world, &ns, &uid)));
    pod_template(&mut w, &spec.template);
    events_section(&mut w, world, &Object::DaemonSet(d.clone()));
    w.finish()
}

/// `describeJob`.
pub fn job(world: &World, j: &k8s_openapi::api::batch::v1::Job) -> String {
    let mut w = Writer::default();
    let spec = j.spec.clone().unwrap_or_default();
    let st = j.status.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{}", j.metadata.name.as_deref().unwrap_or("")));
    w.line(
        0,
        &format!("Namespace:\t{}", j.metadata.namespace.as_deref().unwrap_or("")),
    );
    w.line(0, &format!("Selector:\t{}", format_selector(spec.selector.as_ref())));
    labels_multiline(&mut w, "Labels", j.metadata.labels.as_ref());
    annotations_multiline(&mut w, j.metadata.annotations.as_ref());
    if let Some(r) = j
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
    {
        w.line(0, &format!("Controlled By:\t{}/{}", r.kind, r.name));
    }
    if let Some(p) = spec.parallelism {
        w.line(0, &format!("Parallelism:\t{p}"));
    }
    match spec.completions {
        Some(c) => w.line(0, &format!("Completions:\t{c}")),
        None => w.line(0, "Completions:\t<unset>"),
    }
    if let Some(m) = &spec.completion_mode {
        w.line(0, &format!("Completion Mode:\t{m}"));
    }
    if let Some(s) = spec.suspend {
        w.line(0, &format!("Suspend:\t{s}"));
    }
    if let Some(b) = spec.backoff_limit {
        w.line(0, &format!("Backoff Limit:\t{b}"));
    }
    if let Some(t) = spec.ttl_seconds_after_finished {
        w.line(0, &format!("TTL Seconds After Finished:\t{t}"));
    }
    if let Some(t) = &st.start_time {
        w.line(0, &format!("Start Time:\t{}", rfc1123z(t)));
    }
    if let Some(t) = &st.completion_time {
        w.line(0, &format!("Completed At:\t{}", rfc1123z(t)));
    }
    if let (Some(s), Some(c)) = (&st.start_time, &st.completion_time) {
        let secs = c.0.as_second().saturating_sub(s.0.as_second());
        w.line(
            0,
            &format!("Duration:\t{}", crate::kubectl::printers::duration::human(secs)),
        );
    }
    if let Some(a) = spec.active_deadline_seconds {
        w.line(0, &format!("Active Deadline Seconds:\t{a}s"));
    }
    w.line(
        0,
        &format!(
            "Pods Statuses:\t{} Active ({} Ready) / {} Succeeded / {} Failed",
            st.active.unwrap_or(0),
            st.ready.unwrap_or(0),
            st.succeeded.unwrap_or(0),
            st.failed.unwrap_or(0)
        ),
    );
    if spec.completion_mode.as_deref() == Some("Indexed") {
        let idx = st
            .completed_indexes
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "<none>".into());
        w.line(0, &format!("Completed Indexes:\t{idx}"));
    }
    pod_template(&mut w, &spec.template);
    events_section(&mut w, world, &Object::Job(j.clone()));
    w.finish()
}

/// `describeCronJob`.
pub fn cron_job(world: &World, c: &k8s_openapi::api::batch::v1::CronJob) -> String {
    let mut w = Writer::default();
    let spec = c.spec.clone().unwrap_or_default();
    let st = c.status.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{}", c.metadata.name.as_deref().unwrap_or("")));
    w.line(
        0,
        &format!("Namespace:\t{}", c.metadata.namespace.as_deref().unwrap_or("")),
    );
    labels_multiline(&mut w, "Labels", c.metadata.labels.as_ref());
    annotations_multiline(&mut w, c.metadata.annotations.as_ref());
    w.line(0, &format!("Schedule:\t{}", spec.schedule));
    w.line(
        0,
        &format!(
            "Concurrency Policy:\t{}",
            spec.concurrency_policy.as_deref().unwrap_or("")
        ),
    );
    let b = |v: Option<bool>| match v {
        None => "<unset>",
        Some(true) => "True",
        Some(false) => "False",
    };
    w.line(0, &format!("Suspend:\t{}", b(spec.suspend)));
    let opt = |v: Option<i32>| v.map_or("<unset>".to_string(), |n| n.to_string());
    w.line(
        0,
        &format!(
            "Successful Job History Limit:\t{}",
            opt(spec.successful_jobs_history_limit)
        ),
    );
    w.line(
        0,
        &format!("Failed Job History Limit:\t{}", opt(spec.failed_jobs_history_limit)),
    );
    match spec.starting_deadline_seconds {
        Some(s) => w.line(0, &format!("Starting Deadline Seconds:\t{s}s")),
        None => w.line(0, "Starting Deadline Seconds:\t<unset>"),
    }
    let js = spec.job_template.spec.clone().unwrap_or_default();
    match &js.selector {
        Some(s) => w.line(0, &format!("Selector:\t{}", format_selector(Some(s)))),
        None => w.line(0, "Selector:\t<unset>"),
    }
    w.line(0, &format!("Parallelism:\t{}", opt(js.parallelism)));
    w.line(0, &format!("Completions:\t{}", opt(js.completions)));
    if let Some(a) = js.active_deadline_seconds {
        w.line(0, &format!("Active Deadline Seconds:\t{a}s"));
    }
    pod_template(&mut w, &js.template);
    match &st.last_schedule_time {
        Some(t) => w.line(0, &format!("Last Schedule Time:\t{}", rfc1123z(t))),
        None => w.line(0, "Last Schedule Time:\t<unset>"),
    }
    let active: Vec<String> = st.active.iter().flatten().filter_map(|r| r.name.clone()).collect();
    if active.is_empty() {
        w.line(0, "Active Jobs:\t<none>");
    } else {
        w.line(0, &format!("Active Jobs:\t{}", active.join(", ")));
    }
    events_section(&mut w, world, &Object::CronJob(c.clone()));
    w.finish()
}
