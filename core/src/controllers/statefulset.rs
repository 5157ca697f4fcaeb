//! The StatefulSet controller (pkg/controller/statefulset): pods `<set>-<ordinal>` with a
//! stable hostname (`subdomain` = `serviceName`) and their own PersistentVolumeClaims
//! `<template>-<set>-<ordinal>`, created before the pod and kept after it. OrderedReady
//! creates 0..n-1, each once the previous is Running and Ready, and removes n-1..0, each once
//! its successor is gone; Parallel does both at once. Template changes become
//! ControllerRevisions; RollingUpdate replaces pods from the highest ordinal down to the
//! partition, `maxUnavailable` at a time (1 by default), while no more of the set are
//! unavailable; OnDelete waits for the user to delete pods.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet, StatefulSetStatus};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, Pod, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;

use super::deployment_util::template_hash;
use super::podutil::{self, controller_of, controller_ref};
use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent, WatchEventType};

const SOURCE: Source = Source {
    component: "statefulset-controller",
    host: None,
};

pub const REVISION_LABEL: &str = "controller-revision-hash";
const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

pub struct StatefulSetController;

impl Controller for StatefulSetController {
    fn name(&self) -> &'static str {
        "statefulset-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::StatefulSet, Kind::Pod]
    }

    fn keys(&self, ev: &WatchEvent, store: &Store, out: &mut Wakes) {
        let ns = ev.key.namespace.as_str();
        match &ev.object {
            Object::StatefulSet(_) => out.push((ev.key.clone(), 0)),
            Object::Pod(p) => match controller_of(&p.metadata) {
                Some(r) if r.kind == "StatefulSet" => {
                    out.push((ObjectKey::new(Kind::StatefulSet, ns, &r.name), 0));
                }
                Some(_) => {}
                None if ev.kind != WatchEventType::Deleted => {
                    for key in super::ref_manager::selecting(store, Kind::StatefulSet, ns, &ev.object) {
                        out.push((key, 0));
                    }
                }
                None => {}
            },
            _ => {}
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::StatefulSet(set)) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        if set.metadata.deletion_timestamp.is_some() {
            return Ok(());
        }
        let revisions = revisions(&set, cx.api.store());
        let (update_rev, revisions) = update_revision(&set, revisions, cx)?;
        let current_rev = set
            .status
            .as_ref()
            .and_then(|s| s.current_revision.clone())
            .filter(|c| revisions.iter().any(|r| r.metadata.name.as_deref() == Some(c.as_str())))
            .unwrap_or_else(|| update_rev.clone());
        let pods = claim_pods(&set, cx);
        let mut sync = Sync {
            set,
            current_rev,
            update_rev,
            revisions,
        };
        let result = sync.update_pods(&pods, cx);
        let pods = claim_pods(&sync.set, cx);
        sync.update_status(&pods, cx)?;
        sync.truncate_history(&pods, cx)?;
        result
    }
}

fn set_key(set: &StatefulSet) -> ObjectKey {
    ObjectKey::new(
        Kind::StatefulSet,
        set.metadata.namespace.as_deref().unwrap_or(""),
        set.metadata.name.as_deref().unwrap_or(""),
    )
}

/// The ordinal in a pod name `<set>-<n>`, if the pod belongs to the set by name.
fn ordinal(set: &str, pod: &str) -> Option<usize> {
    pod.strip_prefix(set)?.strip_prefix('-')?.parse().ok()
}

fn revisions(set: &StatefulSet, store: &Store) -> Vec<ControllerRevision> {
    let ns = set.metadata.namespace.clone().unwrap_or_default();
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let mut v: Vec<ControllerRevision> = store
        .get_all(store.indexes().controlled_by(Kind::ControllerRevision, &ns, &uid))
        .filter_map(|o| match o {
            Object::ControllerRevision(r) => Some(r.clone()),
            _ => None,
        })
        .collect();
    v.sort_by_key(|r| r.revision);
    v
}

/// The revision data: a patch that replaces the template, as `getPatch` makes it.
fn revision_data(set: &StatefulSet) -> serde_json::Value {
    let template = set.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let mut t = serde_json::to_value(template).unwrap_or_default();
    if let Some(m) = t.as_object_mut() {
        m.insert("$patch".into(), "replace".into());
    }
    serde_json::json!({ "spec": { "template": t } })
}

/// The revision of the current template: an existing one with the same data (moved to the
/// newest revision number, as after a rollback), or a new one.
fn update_revision(
    set: &StatefulSet,
    mut revisions: Vec<ControllerRevision>,
    cx: &mut Cx<'_>,
) -> Result<(String, Vec<ControllerRevision>), ApiError> {
    let data = revision_data(set);
    let next = revisions
        .iter()
        .map(|r| r.revision)
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    if let Some(pos) = revisions
        .iter()
        .position(|r| r.data.as_ref().map(|d| &d.0) == Some(&data))
    {
        let latest = pos + 1 == revisions.len();
        if !latest {
            let mut r = revisions.remove(pos);
            r.revision = next;
            if let Object::ControllerRevision(stored) = cx.api.update(Object::ControllerRevision(r))? {
                revisions.push(stored);
            }
        }
        let name = revisions
            .last()
            .and_then(|r| r.metadata.name.clone())
            .unwrap_or_default();
        return Ok((name, revisions));
    }
    let template = set.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let collision = set.status.as_ref().and_then(|s| s.collision_count);
    let name = format!(
        "{}-{}",
        set.metadata.name.as_deref().unwrap_or(""),
        template_hash(&template, collision)
    );
    let r = ControllerRevision {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: set.metadata.namespace.clone(),
            labels: template.metadata.as_ref().and_then(|m| m.labels.clone()),
            annotations: set.metadata.annotations.clone(),
            owner_references: Some(vec![controller_ref(&Object::StatefulSet(set.clone()))]),
            ..Default::default()
        },
        data: Some(RawExtension(data)),
        revision: next,
    };
    if let Object::ControllerRevision(stored) = cx.api.create(Object::ControllerRevision(r))? {
        revisions.push(stored);
    }
    Ok((name, revisions))
}

/// The set's pods by ordinal, after adoption and release.
fn claim_pods(set: &StatefulSet, cx: &mut Cx<'_>) -> BTreeMap<usize, Pod> {
    let name = set.metadata.name.clone().unwrap_or_default();
    let member = |o: &Object| ordinal(&name, o.name()).is_some();
    super::ref_manager::claim_where(&Object::StatefulSet(set.clone()), Kind::Pod, member, cx)
        .into_iter()
        .filter_map(|o| match o {
            Object::Pod(p) => ordinal(&name, p.metadata.name.as_deref().unwrap_or("")).map(|i| (i, p)),
            _ => None,
        })
        .collect()
}

fn revision_of(p: &Pod) -> &str {
    p.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION_LABEL))
        .map_or("", String::as_str)
}

/// `isCreated`: the kubelet has reported a phase.
fn is_created(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .is_some_and(|ph| !ph.is_empty())
}

fn is_running_and_ready(p: &Pod) -> bool {
    p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running") && podutil::is_ready(p)
}

fn is_terminal(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

struct Sync {
    set: StatefulSet,
    current_rev: String,
    update_rev: String,
    revisions: Vec<ControllerRevision>,
}

impl Sync {
    fn name(&self) -> String {
        self.set.metadata.name.clone().unwrap_or_default()
    }

    fn replicas(&self) -> usize {
        crate::num::usize_of_i32(self.set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1))
    }

    fn parallel(&self) -> bool {
        self.set.spec.as_ref().and_then(|s| s.pod_management_policy.as_deref()) == Some("Parallel")
    }

    fn rolling(&self) -> bool {
        self.set
            .spec
            .as_ref()
            .and_then(|s| s.update_strategy.as_ref())
            .and_then(|u| u.type_.as_deref())
            .unwrap_or("RollingUpdate")
            == "RollingUpdate"
    }

    fn partition(&self) -> usize {
        let p = self
            .set
            .spec
            .as_ref()
            .and_then(|s| s.update_strategy.as_ref())
            .and_then(|u| u.rolling_update.as_ref())
            .and_then(|r| r.partition)
            .unwrap_or(0);
        crate::num::usize_of_i32(p)
    }

    /// `getStatefulSetMaxUnavailable`: of `replicas`, rounded down, at least 1.
    fn max_unavailable(&self) -> usize {
        let mu = self
            .set
            .spec
            .as_ref()
            .and_then(|s| s.update_strategy.as_ref())
            .and_then(|u| u.rolling_update.as_ref())
            .and_then(|r| r.max_unavailable.clone());
        let n = super::deployment_util::scaled_value(mu.as_ref(), crate::num::i32_of(self.replicas()), false);
        crate::num::usize_of_i32(n.max(1))
    }

    fn min_ready(&self) -> i32 {
        self.set.spec.as_ref().and_then(|s| s.min_ready_seconds).unwrap_or(0)
    }

    /// The template of a revision, by name.
    fn template_of(&self, revision: &str) -> k8s_openapi::api::core::v1::PodTemplateSpec {
        let data = self
            .revisions
            .iter()
            .find(|r| r.metadata.name.as_deref() == Some(revision))
            .and_then(|r| r.data.as_ref())
            .and_then(|d| d.0.pointer("/spec/template").cloned());
        let mut t = data.unwrap_or_default();
        if let Some(m) = t.as_object_mut() {
            m.remove("$patch");
        }
        serde_json::from_value(t)
            .unwrap_or_else(|_| self.set.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default())
    }

    fn event(&self, cx: &mut Cx<'_>, ty: EventType, reason: &str, msg: &str) {
        cx.api
            .record_event(&Object::StatefulSet(self.set.clone()), None, ty, reason, msg, &SOURCE);
    }

    /// `newVersionedStatefulSetPod`: below the partition a pod keeps the current revision.
    fn new_pod(&self, ord: usize) -> Pod {
        let has_rolling = self
            .set
            .spec
            .as_ref()
            .and_then(|s| s.update_strategy.as_ref())
            .is_some_and(|u| u.rolling_update.is_some());
        let current_replicas =
            crate::num::usize_of_i32(self.set.status.as_ref().and_then(|s| s.current_replicas).unwrap_or(0));
        let revision =
            if (self.rolling() && !has_rolling && ord < current_replicas) || (has_rolling && ord < self.partition()) {
                self.current_rev.clone()
            } else {
                self.update_rev.clone()
            };
        let template = self.template_of(&revision);
        let owner = Object::StatefulSet(self.set.clone());
        let mut pod = podutil::pod_from_template(&template, &owner);
        let name = format!("{}-{ord}", self.name());
        pod.metadata.generate_name = None;
        pod.metadata.name = Some(name.clone());
        let labels = pod.metadata.labels.get_or_insert_with(BTreeMap::new);
        labels.insert(POD_NAME_LABEL.into(), name.clone());
        labels.insert(POD_INDEX_LABEL.into(), ord.to_string());
        labels.insert(REVISION_LABEL.into(), revision);
        if let Some(spec) = pod.spec.as_mut() {
            spec.hostname = Some(name.clone());
            spec.subdomain = self
                .set
                .spec
                .as_ref()
                .and_then(|s| s.service_name.clone())
                .filter(|s| !s.is_empty());
            let volumes = spec.volumes.get_or_insert_with(Vec::new);
            for t in self.claim_templates() {
                let tname = t.metadata.name.clone().unwrap_or_default();
                volumes.retain(|v| v.name != tname);
                volumes.push(Volume {
                    name: tname.clone(),
                    persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                        claim_name: format!("{tname}-{name}"),
                        read_only: None,
                    }),
                    ..Default::default()
                });
            }
            if volumes.is_empty() {
                spec.volumes = None;
            }
        }
        pod
    }

    fn claim_templates(&self) -> Vec<PersistentVolumeClaim> {
        self.set
            .spec
            .as_ref()
            .and_then(|s| s.volume_claim_templates.clone())
            .unwrap_or_default()
    }

    fn retention(&self, which: &str) -> bool {
        let p = self
            .set
            .spec
            .as_ref()
            .and_then(|s| s.persistent_volume_claim_retention_policy.as_ref());
        let v = match which {
            "deleted" => p.and_then(|p| p.when_deleted.as_deref()),
            _ => p.and_then(|p| p.when_scaled.as_deref()),
        };
        v == Some("Delete")
    }

    /// `createPersistentVolumeClaims`: each claim of the pod, unless it exists.
    fn create_claims(&self, pod: &Pod, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let ns = self.set.metadata.namespace.clone().unwrap_or_default();
        let pod_name = pod.metadata.name.clone().unwrap_or_default();
        let selector_labels = self
            .set
            .spec
            .as_ref()
            .and_then(|s| s.selector.match_labels.clone())
            .unwrap_or_default();
        for t in self.claim_templates() {
            let claim_name = format!("{}-{pod_name}", t.metadata.name.as_deref().unwrap_or(""));
            if cx.api.get(Kind::PersistentVolumeClaim, &ns, &claim_name).is_some() {
                continue;
            }
            let mut labels = t.metadata.labels.clone().unwrap_or_default();
            labels.extend(selector_labels.clone());
            let owner_references = self
                .retention("deleted")
                .then(|| vec![controller_ref(&Object::StatefulSet(self.set.clone()))]);
            let claim = PersistentVolumeClaim {
                metadata: ObjectMeta {
                    name: Some(claim_name.clone()),
                    namespace: Some(ns.clone()),
                    labels: (!labels.is_empty()).then_some(labels),
                    annotations: t.metadata.annotations.clone(),
                    owner_references,
                    ..Default::default()
                },
                spec: t.spec.clone(),
                status: None,
            };
            match cx.api.create(Object::PersistentVolumeClaim(claim)) {
                Ok(_) => {
                    let msg = format!(
                        "create Claim {claim_name} Pod {pod_name} in StatefulSet {} success",
                        self.name()
                    );
                    self.event(cx, EventType::Normal, "SuccessfulCreate", &msg);
                }
                Err(e) => {
                    let msg = format!(
                        "create Claim {claim_name} for Pod {pod_name} in StatefulSet {} failed error: {}",
                        self.name(),
                        e.message
                    );
                    self.event(cx, EventType::Warning, "FailedCreate", &msg);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn create_pod(&self, ord: usize, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let pod = self.new_pod(ord);
        self.create_claims(&pod, cx)?;
        let name = pod.metadata.name.clone().unwrap_or_default();
        match cx.api.create(Object::Pod(pod)) {
            Ok(_) => {
                let msg = format!("create Pod {name} in StatefulSet {} successful", self.name());
                self.event(cx, EventType::Normal, "SuccessfulCreate", &msg);
                Ok(())
            }
            // The old pod of that name is still going away: look again when it is gone.
            Err(e) if e.reason == crate::api::Reason::AlreadyExists => Ok(()),
            Err(e) => {
                let msg = format!(
                    "create Pod {name} in StatefulSet {} failed error: {}",
                    self.name(),
                    e.message
                );
                self.event(cx, EventType::Warning, "FailedCreate", &msg);
                Err(e)
            }
        }
    }

    fn delete_pod(&self, pod: &Pod, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let key = ObjectKey::new(Kind::Pod, pod.metadata.namespace.as_deref().unwrap_or(""), &name);
        match cx.api.delete(&key, None) {
            Ok(_) => {
                let msg = format!("delete Pod {name} in StatefulSet {} successful", self.name());
                self.event(cx, EventType::Normal, "SuccessfulDelete", &msg);
                Ok(())
            }
            Err(e) if e.reason == crate::api::Reason::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// whenScaled: Delete — a condemned pod's claims get the pod as owner, so the garbage
    /// collector takes them with it.
    fn release_claims_to_pod(&self, pod: &Pod, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        if !self.retention("scaled") {
            return Ok(());
        }
        let ns = self.set.metadata.namespace.clone().unwrap_or_default();
        let pod_name = pod.metadata.name.clone().unwrap_or_default();
        for t in self.claim_templates() {
            let claim_name = format!("{}-{pod_name}", t.metadata.name.as_deref().unwrap_or(""));
            if let Some(Object::PersistentVolumeClaim(mut c)) =
                cx.api.get(Kind::PersistentVolumeClaim, &ns, &claim_name).cloned()
            {
                let uid = pod.metadata.uid.clone().unwrap_or_default();
                let refs = c.metadata.owner_references.get_or_insert_with(Vec::new);
                if !refs.iter().any(|r| r.uid == uid) {
                    refs.push(OwnerReference {
                        api_version: "v1".into(),
                        kind: "Pod".into(),
                        name: pod_name.clone(),
                        uid,
                        controller: None,
                        block_owner_deletion: None,
                    });
                    cx.api.update(Object::PersistentVolumeClaim(c))?;
                }
            }
        }
        Ok(())
    }

    /// `updateStatefulSet`'s pod pass. Returns after the first action in OrderedReady.
    fn update_pods(&mut self, pods: &BTreeMap<usize, Pod>, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let replicas = self.replicas();
        let monotonic = !self.parallel();
        let min_ready = self.min_ready();
        // Replicas in range: create the missing, replace the terminal, wait for the unready.
        for ord in 0..replicas {
            match pods.get(&ord) {
                None => {
                    self.create_pod(ord, cx)?;
                    if monotonic {
                        return Ok(());
                    }
                }
                Some(p) if is_terminal(p) => {
                    self.delete_pod(p, cx)?;
                    if monotonic {
                        return Ok(());
                    }
                }
                Some(p) => {
                    if p.metadata.deletion_timestamp.is_some() && monotonic {
                        return Ok(());
                    }
                    if monotonic && !is_running_and_ready(p) {
                        return Ok(());
                    }
                    if monotonic && !podutil::is_available(p, min_ready, cx.now) {
                        if let Some(at) = podutil::available_at(p, min_ready, cx.now) {
                            cx.after(at.saturating_sub(cx.now), set_key(&self.set));
                        }
                        return Ok(());
                    }
                }
            }
        }
        // Condemned pods, highest ordinal first.
        let condemned: Vec<&Pod> = pods.range(replicas..).rev().map(|(_, p)| p).collect();
        let first_unhealthy = pods
            .values()
            .find(|p| !is_running_and_ready(p))
            .and_then(|p| p.metadata.name.clone());
        for p in condemned {
            if p.metadata.deletion_timestamp.is_some() {
                if monotonic {
                    return Ok(());
                }
                continue;
            }
            if monotonic && !is_running_and_ready(p) && p.metadata.name != first_unhealthy {
                return Ok(());
            }
            self.release_claims_to_pod(p, cx)?;
            self.delete_pod(p, cx)?;
            if monotonic {
                return Ok(());
            }
        }
        if !self.rolling() {
            return Ok(());
        }
        // RollingUpdate (`updateStatefulSetAfterInvariantEstablished`, MaxUnavailableStatefulSet
        // on as in v1.35.0): while fewer than maxUnavailable pods of the whole set are
        // unavailable, delete old-revision pods from the highest ordinal down to the partition.
        // An unavailable old pod counts against the budget and so is never replaced in a
        // Parallel set: the 1.35.0 behaviour of kubernetes/kubernetes#137409.
        let max_unavailable = self.max_unavailable();
        let unavailable = (0..replicas)
            .filter(|ord| {
                pods.get(ord).is_none_or(|p| {
                    p.metadata.deletion_timestamp.is_some()
                        || !is_running_and_ready(p)
                        || !podutil::is_available(p, min_ready, cx.now)
                })
            })
            .count();
        for ord in (0..replicas).filter_map(|o| pods.get(&o)) {
            if let Some(at) = podutil::available_at(ord, min_ready, cx.now) {
                cx.after(at.saturating_sub(cx.now), set_key(&self.set));
            }
        }
        let mut budget = max_unavailable.saturating_sub(unavailable);
        for ord in (self.partition()..replicas).rev() {
            if budget == 0 {
                break;
            }
            let Some(p) = pods.get(&ord) else { continue };
            if revision_of(p) != self.update_rev && p.metadata.deletion_timestamp.is_none() {
                self.delete_pod(p, cx)?;
                budget -= 1;
            }
        }
        Ok(())
    }

    fn update_status(&mut self, pods: &BTreeMap<usize, Pod>, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let min_ready = self.min_ready();
        let old = self.set.status.clone().unwrap_or_default();
        let mut st = StatefulSetStatus {
            observed_generation: self.set.metadata.generation,
            current_revision: Some(self.current_rev.clone()),
            update_revision: Some(self.update_rev.clone()),
            collision_count: Some(old.collision_count.unwrap_or(0)),
            conditions: old.conditions.clone(),
            replicas: 0,
            ready_replicas: Some(0),
            available_replicas: Some(0),
            current_replicas: Some(0),
            updated_replicas: Some(0),
        };
        let add = |v: &mut Option<i32>| *v = Some(v.unwrap_or(0).saturating_add(1));
        for p in pods.values() {
            if is_created(p) {
                st.replicas = st.replicas.saturating_add(1);
            }
            if is_running_and_ready(p) {
                add(&mut st.ready_replicas);
                if podutil::is_available(p, min_ready, cx.now) {
                    add(&mut st.available_replicas);
                }
            }
            if is_created(p) && p.metadata.deletion_timestamp.is_none() {
                if revision_of(p) == self.current_rev {
                    add(&mut st.current_replicas);
                }
                if revision_of(p) == self.update_rev {
                    add(&mut st.updated_replicas);
                }
            }
        }
        // completeRollingUpdate: every pod at the update revision and ready.
        if self.rolling() && st.updated_replicas == Some(st.replicas) && st.ready_replicas == Some(st.replicas) {
            st.current_replicas = st.updated_replicas;
            st.current_revision = st.update_revision.clone();
        }
        // OnDelete: once no pod is left at the old revision, the update revision is current.
        if !self.rolling() && st.current_replicas == Some(0) && st.updated_replicas == Some(st.replicas) {
            st.current_replicas = st.updated_replicas;
            st.current_revision = st.update_revision.clone();
        }
        if self.set.status.as_ref() != Some(&st) {
            let mut next = self.set.clone();
            next.status = Some(st);
            if let Object::StatefulSet(stored) = cx.api.update_status(&Object::StatefulSet(next))? {
                self.set = stored;
            }
        }
        Ok(())
    }

    /// `truncateHistory`: revisions no pod uses beyond `revisionHistoryLimit` go, oldest first.
    fn truncate_history(&self, pods: &BTreeMap<usize, Pod>, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let limit = crate::num::usize_of_i32(
            self.set
                .spec
                .as_ref()
                .and_then(|s| s.revision_history_limit)
                .unwrap_or(10),
        );
        let st = self.set.status.clone().unwrap_or_default();
        let live = |name: &str| {
            Some(name) == st.current_revision.as_deref()
                || Some(name) == st.update_revision.as_deref()
                || pods.values().any(|p| revision_of(p) == name)
        };
        let history: Vec<&ControllerRevision> = self
            .revisions
            .iter()
            .filter(|r| !live(r.metadata.name.as_deref().unwrap_or("")))
            .collect();
        if history.len() <= limit {
            return Ok(());
        }
        for r in history.iter().take(history.len() - limit) {
            let key = ObjectKey::of(&Object::ControllerRevision((*r).clone()));
            match cx.api.delete(&key, None) {
                Ok(_) => {}
                Err(e) if e.reason == crate::api::Reason::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}
