//! The DaemonSet controller (pkg/controller/daemon): one pod on every node the template may
//! run on, following nodes as they come and go. A node is eligible when it matches the
//! template's node selector and affinity and its NoSchedule/NoExecute taints are tolerated,
//! counting the tolerations the controller adds to every daemon pod (not-ready, unreachable,
//! disk/memory/pid-pressure, unschedulable, and network-unavailable for hostNetwork pods).
//! Pods are tied to their node by a `metadata.name` node-affinity term and placed by the
//! scheduler. RollingUpdate replaces old pods, at most `maxUnavailable` nodes at a time, or
//! with `maxSurge` starts the new pod beside the old one on at most that many nodes (both
//! percentages round up); OnDelete leaves old pods until they are deleted.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet, DaemonSetStatus};
use k8s_openapi::api::core::v1::{
    Affinity, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, Toleration,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;

use super::deployment_util::{scaled_value, template_hash};
use super::podutil::{self, controller_of, controller_ref};
use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::scheduler::plugins::{node_affinity, taint_toleration};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent, WatchEventType};

const SOURCE: Source = Source {
    component: "daemonset-controller",
    host: None,
};

const REVISION_LABEL: &str = "controller-revision-hash";
const GENERATION_LABEL: &str = "pod-template-generation";
/// `BurstReplicas` of the daemon controller.
const BURST: usize = 250;

pub struct DaemonSetController;

impl Controller for DaemonSetController {
    fn name(&self) -> &'static str {
        "daemonset-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::DaemonSet, Kind::Pod, Kind::Node]
    }

    fn keys(&self, ev: &WatchEvent, store: &Store, out: &mut Wakes) {
        match &ev.object {
            Object::DaemonSet(_) => out.push((ev.key.clone(), 0)),
            // A node joined, left or changed: every DaemonSet looks again.
            Object::Node(_) => {
                for o in store.list(Kind::DaemonSet, None) {
                    out.push((ObjectKey::of(o), 0));
                }
            }
            Object::Pod(p) => {
                let ns = ev.key.namespace.as_str();
                match controller_of(&p.metadata) {
                    Some(r) if r.kind == "DaemonSet" => out.push((ObjectKey::new(Kind::DaemonSet, ns, &r.name), 0)),
                    Some(_) => {}
                    None if ev.kind != WatchEventType::Deleted => {
                        for key in super::ref_manager::selecting(store, Kind::DaemonSet, ns, &ev.object) {
                            out.push((key, 0));
                        }
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::DaemonSet(ds)) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        if ds.metadata.deletion_timestamp.is_some() {
            return Ok(());
        }
        let hash = revision(&ds, cx)?;
        let nodes: Vec<Node> = cx
            .api
            .list(Kind::Node, None)
            .filter_map(|o| match o {
                Object::Node(n) => Some(n.clone()),
                _ => None,
            })
            .collect();
        let by_node = claim_pods(&ds, cx);
        let sync = Sync { ds, hash };
        let result = sync.manage(&nodes, &by_node, cx);
        let by_node = claim_pods(&sync.ds, cx);
        sync.update_status(&nodes, &by_node, cx)?;
        result
    }
}

/// The tolerations the controller adds to every daemon pod (`AddOrUpdateDaemonPodTolerations`).
fn daemon_tolerations(host_network: bool) -> Vec<Toleration> {
    let t = |key: &str, effect: &str| Toleration {
        key: Some(key.into()),
        operator: Some("Exists".into()),
        effect: Some(effect.into()),
        ..Default::default()
    };
    let mut v = vec![
        t("node.kubernetes.io/not-ready", "NoExecute"),
        t("node.kubernetes.io/unreachable", "NoExecute"),
        t("node.kubernetes.io/disk-pressure", "NoSchedule"),
        t("node.kubernetes.io/memory-pressure", "NoSchedule"),
        t("node.kubernetes.io/pid-pressure", "NoSchedule"),
        t("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if host_network {
        v.push(t("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    v
}

/// The pod of a DaemonSet for a node, before it is tied to the node.
fn template_pod(ds: &DaemonSet, hash: &str) -> Pod {
    let template = ds.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let mut pod = podutil::pod_from_template(&template, &Object::DaemonSet(ds.clone()));
    let labels = pod.metadata.labels.get_or_insert_with(BTreeMap::new);
    labels.insert(REVISION_LABEL.into(), hash.to_string());
    labels.insert(GENERATION_LABEL.into(), ds.metadata.generation.unwrap_or(1).to_string());
    if let Some(spec) = pod.spec.as_mut() {
        let host_network = spec.host_network == Some(true);
        let tols = spec.tolerations.get_or_insert_with(Vec::new);
        for t in daemon_tolerations(host_network) {
            if !tols.iter().any(|x| x.key == t.key && x.effect == t.effect) {
                tols.push(t);
            }
        }
    }
    pod
}

/// `ReplaceDaemonSetPodNodeNameNodeAffinity`: the pod may only go to `node`.
fn pin_to_node(pod: &mut Pod, node: &str) {
    let term = NodeSelectorTerm {
        match_expressions: None,
        match_fields: Some(vec![NodeSelectorRequirement {
            key: "metadata.name".into(),
            operator: "In".into(),
            values: Some(vec![node.to_string()]),
        }]),
    };
    if let Some(spec) = pod.spec.as_mut() {
        let affinity = spec.affinity.get_or_insert_with(Affinity::default);
        let na = affinity.node_affinity.get_or_insert_with(NodeAffinity::default);
        na.required_during_scheduling_ignored_during_execution = Some(NodeSelector {
            node_selector_terms: vec![term],
        });
    }
}

/// `NodeShouldRunDaemonPod`: selector, affinity and taints, with the daemon tolerations.
fn should_run(pod: &Pod, node: &Node) -> bool {
    if !node_affinity::matches(pod, node) {
        return false;
    }
    let tols = pod.spec.as_ref().and_then(|s| s.tolerations.as_deref()).unwrap_or(&[]);
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or(&[])
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
        .all(|taint| tols.iter().any(|t| taint_toleration::tolerates(t, taint)))
}

/// The node a daemon pod is for: where it is bound, or where its affinity pins it.
fn target_node(p: &Pod) -> Option<String> {
    let spec = p.spec.as_ref()?;
    if let Some(n) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        return Some(n.to_string());
    }
    spec.affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms
        .iter()
        .flat_map(|t| t.match_fields.iter().flatten())
        .find(|r| r.key == "metadata.name" && r.operator == "In")
        .and_then(|r| r.values.as_ref()?.first().cloned())
}

/// The DaemonSet's ControllerRevision for its current template; returns its hash.
fn revision(ds: &DaemonSet, cx: &mut Cx<'_>) -> Result<String, ApiError> {
    let template = ds.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let collision = ds.status.as_ref().and_then(|s| s.collision_count);
    let hash = template_hash(&template, collision);
    let name = format!("{}-{hash}", ds.metadata.name.as_deref().unwrap_or(""));
    let ns = ds.metadata.namespace.clone().unwrap_or_default();
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let store = cx.api.store();
    let existing: Vec<ControllerRevision> = store
        .get_all(store.indexes().controlled_by(Kind::ControllerRevision, &ns, &uid))
        .filter_map(|o| match o {
            Object::ControllerRevision(r) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let max = existing.iter().map(|r| r.revision).max().unwrap_or(0);
    if let Some(r) = existing
        .iter()
        .find(|r| r.metadata.name.as_deref() == Some(name.as_str()))
    {
        if r.revision < max {
            let mut r = r.clone();
            r.revision = max.saturating_add(1);
            cx.api.update(Object::ControllerRevision(r))?;
        }
        return Ok(hash);
    }
    let mut t = serde_json::to_value(&template).unwrap_or_default();
    if let Some(m) = t.as_object_mut() {
        m.insert("$patch".into(), "replace".into());
    }
    let mut labels = template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    labels.insert(REVISION_LABEL.into(), hash.clone());
    let r = ControllerRevision {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(ns),
            labels: Some(labels),
            annotations: ds.metadata.annotations.clone(),
            owner_references: Some(vec![controller_ref(&Object::DaemonSet(ds.clone()))]),
            ..Default::default()
        },
        data: Some(RawExtension(serde_json::json!({ "spec": { "template": t } }))),
        revision: max.saturating_add(1),
    };
    cx.api.create(Object::ControllerRevision(r))?;
    Ok(hash)
}

/// The DaemonSet's pods by target node, after adoption and release, oldest first.
fn claim_pods(ds: &DaemonSet, cx: &mut Cx<'_>) -> BTreeMap<String, Vec<Pod>> {
    let mut out: BTreeMap<String, Vec<Pod>> = BTreeMap::new();
    for o in super::ref_manager::claim(&Object::DaemonSet(ds.clone()), Kind::Pod, cx) {
        if let Object::Pod(p) = o
            && let Some(n) = target_node(&p)
        {
            out.entry(n).or_default().push(p);
        }
    }
    for pods in out.values_mut() {
        pods.sort_by(|a, b| {
            a.metadata
                .creation_timestamp
                .cmp(&b.metadata.creation_timestamp)
                .then_with(|| a.metadata.name.cmp(&b.metadata.name))
        });
    }
    out
}

fn hash_of(p: &Pod) -> &str {
    p.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION_LABEL))
        .map_or("", String::as_str)
}

struct Sync {
    ds: DaemonSet,
    hash: String,
}

impl Sync {
    fn min_ready(&self) -> i32 {
        self.ds.spec.as_ref().and_then(|s| s.min_ready_seconds).unwrap_or(0)
    }

    fn event(&self, cx: &mut Cx<'_>, ty: EventType, reason: &str, msg: &str) {
        cx.api
            .record_event(&Object::DaemonSet(self.ds.clone()), None, ty, reason, msg, &SOURCE);
    }

    fn create(&self, node: &str, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let mut pod = template_pod(&self.ds, &self.hash);
        pin_to_node(&mut pod, node);
        match cx.api.create(Object::Pod(pod)) {
            Ok(p) => {
                let msg = format!("Created pod: {}", p.name());
                self.event(cx, EventType::Normal, "SuccessfulCreate", &msg);
                Ok(())
            }
            Err(e) => {
                let msg = format!("Error creating: {}", e.message);
                self.event(cx, EventType::Warning, "FailedCreate", &msg);
                Err(e)
            }
        }
    }

    fn delete(&self, p: &Pod, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let key = ObjectKey::new(
            Kind::Pod,
            p.metadata.namespace.as_deref().unwrap_or(""),
            p.metadata.name.as_deref().unwrap_or(""),
        );
        match cx.api.delete(&key, None) {
            Ok(_) => {
                let msg = format!("Deleted pod: {}", key.name);
                self.event(cx, EventType::Normal, "SuccessfulDelete", &msg);
                Ok(())
            }
            Err(e) if e.reason == crate::api::Reason::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn rolling(&self) -> bool {
        self.ds
            .spec
            .as_ref()
            .and_then(|s| s.update_strategy.as_ref())
            .and_then(|u| u.type_.as_deref())
            .unwrap_or("RollingUpdate")
            == "RollingUpdate"
    }

    fn rolling_update_params(&self) -> Option<&k8s_openapi::api::apps::v1::RollingUpdateDaemonSet> {
        self.ds
            .spec
            .as_ref()
            .and_then(|s| s.update_strategy.as_ref())
            .and_then(|u| u.rolling_update.as_ref())
    }

    /// `util.AllowsSurge`: a RollingUpdate with a non-zero `maxSurge`.
    fn allows_surge(&self) -> bool {
        self.rolling()
            && self
                .rolling_update_params()
                .and_then(|r| r.max_surge.as_ref())
                .is_some_and(|v| scaled_value(Some(v), 100, true) != 0)
    }

    /// `manage` and `rollingUpdate`: pods where they should be, and old ones replaced. As the
    /// real controller's expectations do, a sync that created or deleted pods leaves the
    /// rolling update to the sync those changes trigger.
    fn manage(&self, nodes: &[Node], by_node: &BTreeMap<String, Vec<Pod>>, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let probe = template_pod(&self.ds, &self.hash);
        let surge = self.allows_surge();
        let min_ready = self.min_ready();
        let mut to_create: Vec<String> = Vec::new();
        let mut to_delete: Vec<&Pod> = Vec::new();
        for node in nodes {
            let name = node.metadata.name.clone().unwrap_or_default();
            let pods: Vec<&Pod> = by_node
                .get(&name)
                .map(|v| v.iter().filter(|p| p.metadata.deletion_timestamp.is_none()).collect())
                .unwrap_or_default();
            if !should_run(&probe, node) {
                to_delete.extend(pods);
                continue;
            }
            // A failed daemon pod is replaced.
            let (failed, pods): (Vec<&Pod>, Vec<&Pod>) = pods
                .into_iter()
                .partition(|p| matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Failed")));
            let replacing_failed = !failed.is_empty();
            to_delete.extend(failed);
            if !surge {
                match pods.split_first() {
                    None if !replacing_failed => to_create.push(name),
                    None => {}
                    Some((_, rest)) => to_delete.extend(rest.iter().copied()),
                }
                continue;
            }
            // `podsShouldBeOnNode` with surge: the oldest new and the oldest old pod stay;
            // the old one goes once it is not ready or the new one is available.
            let (new, old): (Vec<&Pod>, Vec<&Pod>) = pods.into_iter().partition(|p| hash_of(p) == self.hash);
            to_delete.extend(new.iter().skip(1).copied());
            to_delete.extend(old.iter().skip(1).copied());
            match (old.first(), new.first()) {
                (None, None) if !replacing_failed => to_create.push(name),
                (Some(o), Some(n)) if !podutil::is_ready(o) || podutil::is_available(n, min_ready, cx.now) => {
                    to_delete.push(o);
                }
                _ => {}
            }
        }
        // Pods for nodes that are gone: the pod garbage collector removes them.
        let acted = !to_delete.is_empty() || !to_create.is_empty();
        for pod in to_delete {
            self.delete(pod, cx)?;
        }
        for node in to_create.iter().take(BURST) {
            self.create(node, cx)?;
        }
        if self.rolling() && !acted {
            let desired = crate::num::i32_of(nodes.iter().filter(|n| should_run(&probe, n)).count());
            let params = self.rolling_update_params();
            let max_surge = scaled_value(params.and_then(|r| r.max_surge.as_ref()), desired, true);
            let mut max_unavailable = scaled_value(params.and_then(|r| r.max_unavailable.as_ref()), desired, true);
            if desired > 0 && max_surge == 0 && max_unavailable == 0 {
                // "not configured for surge or unavailability, defaulting to accepting unavailability"
                max_unavailable = 1;
            }
            if max_surge > 0 {
                self.surge_update(nodes, by_node, max_surge, cx)?;
            } else {
                self.rolling_update(nodes, by_node, max_unavailable, cx)?;
            }
        }
        Ok(())
    }

    /// `rollingUpdate` with `maxSurge`: a new pod starts beside the old one on at most
    /// `maxSurge` nodes at a time; the old pod is deleted once the new one is available. A node
    /// whose old pod is already unavailable is replaced at once, outside the budget.
    fn surge_update(
        &self,
        nodes: &[Node],
        by_node: &BTreeMap<String, Vec<Pod>>,
        max_surge: i32,
        cx: &mut Cx<'_>,
    ) -> Result<(), ApiError> {
        let probe = template_pod(&self.ds, &self.hash);
        let min_ready = self.min_ready();
        let mut num_surge = 0i32;
        let mut allowed: Vec<String> = Vec::new();
        let mut candidates: Vec<String> = Vec::new();
        let mut old_to_delete: Vec<&Pod> = Vec::new();
        for node in nodes.iter().filter(|n| should_run(&probe, n)) {
            let name = node.metadata.name.clone().unwrap_or_default();
            let pods: Vec<&Pod> = by_node
                .get(&name)
                .map(|v| v.iter().filter(|p| p.metadata.deletion_timestamp.is_none()).collect())
                .unwrap_or_default();
            let (new, old): (Vec<&Pod>, Vec<&Pod>) = pods.into_iter().partition(|p| hash_of(p) == self.hash);
            if new.len() > 1 || old.len() > 1 {
                num_surge = num_surge.saturating_add(1);
                continue;
            }
            match (old.first(), new.first()) {
                (None, _) => {}
                (Some(o), None) => {
                    if !podutil::is_available(o, min_ready, cx.now) {
                        allowed.push(name);
                    } else if num_surge < max_surge {
                        candidates.push(name);
                    }
                }
                (Some(o), Some(n)) => {
                    if podutil::is_available(n, min_ready, cx.now) {
                        old_to_delete.push(o);
                    } else {
                        num_surge = num_surge.saturating_add(1);
                        if let Some(at) = podutil::available_at(n, min_ready, cx.now) {
                            let key = ObjectKey::of(&Object::DaemonSet(self.ds.clone()));
                            cx.after(at.saturating_sub(cx.now), key);
                        }
                    }
                }
            }
        }
        let remaining = crate::num::usize_of_i32(max_surge.saturating_sub(num_surge).max(0)).min(candidates.len());
        allowed.extend(candidates.into_iter().take(remaining));
        for pod in old_to_delete {
            self.delete(pod, cx)?;
        }
        for node in allowed.iter().take(BURST) {
            self.create(node, cx)?;
        }
        Ok(())
    }

    /// `rollingUpdate` with maxSurge 0: old pods are deleted on at most `maxUnavailable` nodes
    /// at a time (unavailable old pods first, as they cost nothing), and recreated new.
    fn rolling_update(
        &self,
        nodes: &[Node],
        by_node: &BTreeMap<String, Vec<Pod>>,
        max_unavailable: i32,
        cx: &mut Cx<'_>,
    ) -> Result<(), ApiError> {
        let probe = template_pod(&self.ds, &self.hash);
        let min_ready = self.min_ready();
        let mut unavailable = 0i32;
        let mut old_available: Vec<&Pod> = Vec::new();
        let mut old_unavailable: Vec<&Pod> = Vec::new();
        for node in nodes.iter().filter(|n| should_run(&probe, n)) {
            let name = node.metadata.name.clone().unwrap_or_default();
            let Some(pod) = by_node.get(&name).and_then(|v| v.first()) else {
                unavailable = unavailable.saturating_add(1);
                continue;
            };
            let available = pod.metadata.deletion_timestamp.is_none() && podutil::is_available(pod, min_ready, cx.now);
            if !available {
                unavailable = unavailable.saturating_add(1);
            }
            if hash_of(pod) != self.hash && pod.metadata.deletion_timestamp.is_none() {
                if available {
                    old_available.push(pod);
                } else {
                    old_unavailable.push(pod);
                }
            }
        }
        for pod in old_unavailable {
            self.delete(pod, cx)?;
        }
        for pod in old_available {
            if unavailable >= max_unavailable {
                break;
            }
            self.delete(pod, cx)?;
            unavailable = unavailable.saturating_add(1);
        }
        Ok(())
    }

    fn update_status(
        &self,
        nodes: &[Node],
        by_node: &BTreeMap<String, Vec<Pod>>,
        cx: &mut Cx<'_>,
    ) -> Result<(), ApiError> {
        let probe = template_pod(&self.ds, &self.hash);
        let min_ready = self.min_ready();
        let (mut desired, mut current, mut misscheduled, mut ready, mut updated, mut available) = (0, 0, 0, 0, 0, 0);
        for node in nodes {
            let name = node.metadata.name.clone().unwrap_or_default();
            let pods: Vec<&Pod> = by_node.get(&name).map(|v| v.iter().collect()).unwrap_or_default();
            let should = should_run(&probe, node);
            if should {
                desired += 1;
                if let Some(p) = pods.first() {
                    current += 1;
                    if podutil::is_ready(p) {
                        ready += 1;
                        if podutil::is_available(p, min_ready, cx.now) {
                            available += 1;
                        }
                    }
                    if hash_of(p) == self.hash {
                        updated += 1;
                    }
                    if let Some(at) = podutil::available_at(p, min_ready, cx.now) {
                        let key = ObjectKey::of(&Object::DaemonSet(self.ds.clone()));
                        cx.after(at.saturating_sub(cx.now), key);
                    }
                }
            } else if !pods.is_empty() {
                misscheduled += 1;
            }
        }
        let old = self.ds.status.clone().unwrap_or_default();
        let st = DaemonSetStatus {
            desired_number_scheduled: desired,
            current_number_scheduled: current,
            number_misscheduled: misscheduled,
            number_ready: ready,
            updated_number_scheduled: Some(updated),
            number_available: Some(available),
            number_unavailable: (desired - available > 0).then_some(desired - available),
            observed_generation: self.ds.metadata.generation,
            collision_count: old.collision_count,
            conditions: old.conditions.clone(),
        };
        if self.ds.status.as_ref() != Some(&st) {
            let mut next = self.ds.clone();
            next.status = Some(st);
            cx.api.update_status(&Object::DaemonSet(next))?;
        }
        Ok(())
    }
}
