//! The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps `replicas` pods
//! that match the selector. It adopts matching orphans and releases pods whose labels stop
//! matching (the ControllerRefManager), creates at most 500 pods per sync (`burstReplicas`,
//! in slow-start batches that stop at the first error), deletes the lowest-ranked pods first
//! (`ActivePodsWithRanks`), and writes the status the real controller writes. A template change
//! touches no existing pod.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ReplicaSet, ReplicaSetCondition, ReplicaSetStatus};
use k8s_openapi::api::core::v1::Pod;

use super::podutil::{self, controller_of};
use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::sim::clock::{Millis, api_time, from_api_time};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent, WatchEventType};

const SOURCE: Source = Source {
    component: "replicaset-controller",
    host: None,
};

/// `BurstReplicas`: the most pods one sync creates or deletes.
const BURST_REPLICAS: usize = 500;

pub struct ReplicaSetController;

fn rs_key(namespace: &str, name: &str) -> ObjectKey {
    ObjectKey::new(Kind::ReplicaSet, namespace, name)
}

impl Controller for ReplicaSetController {
    fn name(&self) -> &'static str {
        "replicaset-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::ReplicaSet, Kind::Pod]
    }

    fn keys(&self, ev: &WatchEvent, store: &Store, out: &mut Wakes) {
        let Object::Pod(pod) = &ev.object else {
            out.push((ev.key.clone(), 0));
            return;
        };
        if let Some(r) = controller_of(&pod.metadata) {
            if r.kind == "ReplicaSet" {
                out.push((rs_key(&ev.key.namespace, &r.name), 0));
            }
            return;
        }
        if ev.kind == WatchEventType::Deleted || pod.metadata.deletion_timestamp.is_some() {
            return;
        }
        // An orphan: every ReplicaSet of its namespace that selects it may adopt it.
        for key in super::ref_manager::selecting(store, Kind::ReplicaSet, &ev.key.namespace, &ev.object) {
            out.push((key, 0));
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::ReplicaSet(rs)) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        let pods = claim_pods(&rs, cx)?;
        let terminating = crate::num::i32_of(pods.iter().filter(|p| podutil::is_terminating(p)).count());
        let active: Vec<Pod> = pods.into_iter().filter(podutil::is_active).collect();
        let mut result = Ok(());
        if rs.metadata.deletion_timestamp.is_none() {
            result = manage_replicas(&rs, &active, cx);
        }
        // The status reflects the pods as they were at the start of the sync, as upstream's does.
        update_status(&rs, &active, terminating, result.as_ref().err(), cx)?;
        result
    }
}

/// The ReplicaSet's pods after adoption and release.
fn claim_pods(rs: &ReplicaSet, cx: &mut Cx<'_>) -> Result<Vec<Pod>, ApiError> {
    let claimed = super::ref_manager::claim(&Object::ReplicaSet(rs.clone()), Kind::Pod, cx);
    Ok(claimed
        .into_iter()
        .filter_map(|o| match o {
            Object::Pod(p) => Some(p),
            _ => None,
        })
        .collect())
}

fn manage_replicas(rs: &ReplicaSet, active: &[Pod], cx: &mut Cx<'_>) -> Result<(), ApiError> {
    let want = rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1).max(0);
    let want = crate::num::usize_of_i32(want);
    let owner = Object::ReplicaSet(rs.clone());
    if active.len() < want {
        let n = (want - active.len()).min(BURST_REPLICAS);
        let Some(template) = rs.spec.as_ref().and_then(|s| s.template.as_ref()) else {
            return Ok(());
        };
        // slowStartBatch: 1, 2, 4, ... creations, stopping at the first batch with an error.
        let mut done = 0;
        let mut batch = 1;
        while done < n {
            let size = batch.min(n - done);
            for _ in 0..size {
                match cx.api.create(Object::Pod(podutil::pod_from_template(template, &owner))) {
                    Ok(pod) => {
                        let msg = format!("Created pod: {}", pod.name());
                        cx.api
                            .record_event(&owner, None, EventType::Normal, "SuccessfulCreate", &msg, &SOURCE);
                    }
                    Err(e) => {
                        let msg = format!("Error creating: {}", e.message);
                        cx.api
                            .record_event(&owner, None, EventType::Warning, "FailedCreate", &msg, &SOURCE);
                        return Err(e);
                    }
                }
            }
            done += size;
            batch = batch.saturating_mul(2);
        }
    } else if active.len() > want {
        let n = (active.len() - want).min(BURST_REPLICAS);
        for pod in pods_to_delete(active, n, cx.now) {
            let key = ObjectKey::new(
                Kind::Pod,
                pod.metadata.namespace.as_deref().unwrap_or(""),
                pod.metadata.name.as_deref().unwrap_or(""),
            );
            match cx.api.delete(&key, None) {
                Ok(_) => {
                    let msg = format!("Deleted pod: {}", key.name);
                    cx.api
                        .record_event(&owner, None, EventType::Normal, "SuccessfulDelete", &msg, &SOURCE);
                }
                Err(e) if e.reason == crate::api::Reason::NotFound => {}
                Err(e) => {
                    let msg = format!("Error deleting: {}", e.message);
                    cx.api
                        .record_event(&owner, None, EventType::Warning, "FailedDelete", &msg, &SOURCE);
                    return Err(e);
                }
            }
        }
    }
    Ok(())
}

/// The `n` pods to delete first, by `ActivePodsWithRanks` (pkg/controller/controller_utils.go),
/// the rank being how many of the set's pods share the pod's node.
///
/// Upstream's `Less` compares ready and creation times in logarithmic buckets and breaks ties
/// by UID at that step, which is not a total order (Go's sort tolerates it, Rust's does not);
/// here each pod gets a key with the same criteria in the same order and the UID last, which
/// orders pods the same way except between pods whose buckets tie.
pub fn pods_to_delete(pods: &[Pod], n: usize, now: Millis) -> Vec<&Pod> {
    let mut on_node: BTreeMap<&str, usize> = BTreeMap::new();
    for p in pods {
        *on_node.entry(node_of(p)).or_default() += 1;
    }
    let mut keyed: Vec<(DeleteKey, &Pod)> = pods
        .iter()
        .map(|p| {
            let rank = if node_of(p).is_empty() { 0 } else { on_node[node_of(p)] };
            (delete_key(p, rank, now), p)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().take(n).map(|(_, p)| p).collect()
}

fn node_of(p: &Pod) -> &str {
    p.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("")
}

fn phase_rank(p: &Pod) -> u8 {
    match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
        Some("Pending") | None => 0,
        Some("Running") => 2,
        _ => 1,
    }
}

fn deletion_cost(p: &Pod) -> i64 {
    p.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("controller.kubernetes.io/pod-deletion-cost"))
        .and_then(|v| v.parse::<i32>().ok())
        .map_or(0, i64::from)
}

/// floor(log2(nanoseconds since `t`)), or -1 for a time not in the past (`logarithmicRankDiff`).
fn log_rank(t: Millis, now: Millis) -> i64 {
    let ns = u128::from(now.saturating_sub(t)) * 1_000_000;
    if ns == 0 {
        -1
    } else {
        i64::from(127 - ns.leading_zeros())
    }
}

/// The criteria of `ActivePodsWithRanks.Less`, in order; the pod to delete first is smallest.
type DeleteKey = (
    bool,
    u8,
    bool,
    i64,
    std::cmp::Reverse<usize>,
    i64,
    std::cmp::Reverse<i32>,
    i64,
    String,
);

fn delete_key(p: &Pod, rank: usize, now: Millis) -> DeleteKey {
    let created = p.metadata.creation_timestamp.as_ref().map_or(0, from_api_time);
    (
        // 1. Unassigned before assigned.
        !node_of(p).is_empty(),
        // 2. Pending < Unknown < Running.
        phase_rank(p),
        // 3. Not ready before ready.
        podutil::is_ready(p),
        // 4. Lower pod-deletion-cost first.
        deletion_cost(p),
        // 5. More of the set's pods on the same node first.
        std::cmp::Reverse(rank),
        // 6. Ready for less time first, in logarithmic buckets (LogarithmicScaleDown, GA).
        podutil::ready_since(p).map_or(-2, |t| log_rank(t, now)),
        // 7. More restarts first.
        std::cmp::Reverse(podutil::max_restarts(p)),
        // 8. Newer first, in logarithmic buckets; then by UID.
        log_rank(created, now),
        p.metadata.uid.clone().unwrap_or_default(),
    )
}

/// `calculateStatus`: counts over the active pods, and the ReplicaFailure condition.
fn update_status(
    rs: &ReplicaSet,
    active: &[Pod],
    terminating: i32,
    error: Option<&ApiError>,
    cx: &mut Cx<'_>,
) -> Result<(), ApiError> {
    let spec = rs.spec.clone().unwrap_or_default();
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let template_labels = spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    let count = |f: &dyn Fn(&Pod) -> bool| crate::num::i32_of(active.iter().filter(|p| f(p)).count());
    let fully_labeled = count(&|p| {
        let l = p.metadata.labels.clone().unwrap_or_default();
        template_labels.iter().all(|(k, v)| l.get(k) == Some(v))
    });
    let ready = count(&|p| podutil::is_ready(p));
    let available = count(&|p| podutil::is_available(p, min_ready, cx.now));
    let old = rs.status.clone().unwrap_or_default();
    let mut conditions = old.conditions.clone().unwrap_or_default();
    match error {
        Some(e) if e.reason != crate::api::Reason::NotFound => {
            if !conditions.iter().any(|c| c.type_ == "ReplicaFailure") {
                let want = crate::num::usize_of_i32(spec.replicas.unwrap_or(1));
                let reason = if active.len() < want {
                    "FailedCreate"
                } else {
                    "FailedDelete"
                };
                conditions.push(ReplicaSetCondition {
                    type_: "ReplicaFailure".into(),
                    status: "True".into(),
                    reason: Some(reason.into()),
                    message: Some(e.message.clone()),
                    last_transition_time: Some(api_time(cx.now)),
                });
            }
        }
        _ => conditions.retain(|c| c.type_ != "ReplicaFailure"),
    }
    let status = ReplicaSetStatus {
        replicas: crate::num::i32_of(active.len()),
        fully_labeled_replicas: Some(fully_labeled),
        ready_replicas: Some(ready),
        available_replicas: Some(available),
        observed_generation: rs.metadata.generation,
        conditions: (!conditions.is_empty()).then_some(conditions),
        terminating_replicas: Some(terminating),
    };
    // A ready pod that is not yet available becomes so after minReadySeconds: look again then.
    if let Some(at) = active
        .iter()
        .filter_map(|p| podutil::available_at(p, min_ready, cx.now))
        .min()
    {
        let key = ObjectKey::new(
            Kind::ReplicaSet,
            rs.metadata.namespace.as_deref().unwrap_or(""),
            rs.metadata.name.as_deref().unwrap_or(""),
        );
        cx.after(at.saturating_sub(cx.now), key);
    }
    if rs.status.as_ref() != Some(&status) {
        let mut next = rs.clone();
        next.status = Some(status);
        cx.api.update_status(&Object::ReplicaSet(next))?;
    }
    Ok(())
}
