//! The Deployment controller (pkg/controller/deployment): a Deployment owns ReplicaSets named
//! `<deployment>-<pod-template-hash>`; the one whose template equals the Deployment's is the
//! new one, the others are old. A sync claims the ReplicaSets, then either scales (a changed
//! `replicas`, or a paused Deployment, spread proportionally over the ReplicaSets) or rolls out
//! (RollingUpdate within maxSurge and maxUnavailable, or Recreate), moves the revision
//! annotations, cleans up beyond `revisionHistoryLimit`, and writes status and conditions.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet, ReplicaSetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::deployment_util::{self as util, HASH_LABEL};
use super::podutil::{controller_of, controller_ref};
use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::sim::clock::{Millis, api_time, from_api_time, seconds};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent, WatchEventType};

const SOURCE: Source = Source {
    component: "deployment-controller",
    host: None,
};

pub struct DeploymentController;

fn key_of(namespace: &str, name: &str) -> ObjectKey {
    ObjectKey::new(Kind::Deployment, namespace, name)
}

impl Controller for DeploymentController {
    fn name(&self) -> &'static str {
        "deployment-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::Deployment, Kind::ReplicaSet, Kind::Pod]
    }

    fn keys(&self, ev: &WatchEvent, store: &Store, out: &mut Wakes) {
        let ns = ev.key.namespace.as_str();
        match &ev.object {
            Object::Deployment(_) => out.push((ev.key.clone(), 0)),
            Object::ReplicaSet(rs) => match controller_of(&rs.metadata) {
                Some(r) if r.kind == "Deployment" => out.push((key_of(ns, &r.name), 0)),
                Some(_) => {}
                None if ev.kind != WatchEventType::Deleted => {
                    // An orphan ReplicaSet: the Deployments that select it may adopt it.
                    for key in super::ref_manager::selecting(store, Kind::Deployment, ns, &ev.object) {
                        out.push((key, 0));
                    }
                }
                None => {}
            },
            // Recreate waits for the old pods to be gone: a deleted pod wakes its Deployment.
            Object::Pod(p) if ev.kind == WatchEventType::Deleted => {
                if let Some(r) = controller_of(&p.metadata).filter(|r| r.kind == "ReplicaSet")
                    && let Some(Object::ReplicaSet(rs)) = store.get(&ObjectKey::new(Kind::ReplicaSet, ns, &r.name))
                    && let Some(d) = controller_of(&rs.metadata).filter(|r| r.kind == "Deployment")
                {
                    out.push((key_of(ns, &d.name), 0));
                }
            }
            _ => {}
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::Deployment(d)) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        let rs_list = claim_replica_sets(&d, cx);
        let mut s = Sync { d, rs_list };
        if s.d.metadata.deletion_timestamp.is_some() {
            return s.sync_status_only(cx);
        }
        s.check_paused_conditions(cx)?;
        if s.paused() {
            return s.sync(cx);
        }
        if s.is_scaling_event(cx)? {
            return s.sync(cx);
        }
        if util::is_rolling(&s.d) {
            s.rollout_rolling(cx)
        } else {
            s.rollout_recreate(cx)
        }
    }
}

/// The Deployment's ReplicaSets after adoption and release.
fn claim_replica_sets(d: &Deployment, cx: &mut Cx<'_>) -> Vec<ReplicaSet> {
    super::ref_manager::claim(&Object::Deployment(d.clone()), Kind::ReplicaSet, cx)
        .into_iter()
        .filter_map(|o| match o {
            Object::ReplicaSet(r) => Some(r),
            _ => None,
        })
        .collect()
}

fn name(rs: &ReplicaSet) -> &str {
    rs.metadata.name.as_deref().unwrap_or("")
}

fn created(rs: &ReplicaSet) -> Millis {
    rs.metadata.creation_timestamp.as_ref().map_or(0, from_api_time)
}

/// `ReplicaSetsByCreationTimestamp`: oldest first, ties by name.
fn by_creation(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    created(a).cmp(&created(b)).then_with(|| name(a).cmp(name(b)))
}

fn set_condition(status: &mut DeploymentStatus, c: DeploymentCondition) {
    let conds = status.conditions.get_or_insert_with(Vec::new);
    if let Some(cur) = conds.iter().find(|x| x.type_ == c.type_)
        && cur.status == c.status
        && cur.reason == c.reason
    {
        return;
    }
    let mut c = c;
    if let Some(cur) = conds.iter().find(|x| x.type_ == c.type_)
        && cur.status == c.status
    {
        c.last_transition_time = cur.last_transition_time.clone();
    }
    conds.retain(|x| x.type_ != c.type_);
    conds.push(c);
}

fn condition(ty: &str, status: &str, reason: &str, message: String, now: Millis) -> DeploymentCondition {
    DeploymentCondition {
        type_: ty.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message),
        last_update_time: Some(api_time(now)),
        last_transition_time: Some(api_time(now)),
    }
}

fn get_condition<'a>(status: &'a DeploymentStatus, ty: &str) -> Option<&'a DeploymentCondition> {
    status.conditions.iter().flatten().find(|c| c.type_ == ty)
}

/// One sync of one Deployment: its object and its claimed ReplicaSets, kept current as the
/// sync writes them.
struct Sync {
    d: Deployment,
    rs_list: Vec<ReplicaSet>,
}

impl Sync {
    fn ns(&self) -> String {
        self.d.metadata.namespace.clone().unwrap_or_default()
    }

    fn paused(&self) -> bool {
        self.d.spec.as_ref().and_then(|s| s.paused) == Some(true)
    }

    fn progress_deadline(&self) -> Option<i32> {
        self.d
            .spec
            .as_ref()
            .and_then(|s| s.progress_deadline_seconds)
            .filter(|s| *s != i32::MAX)
    }

    fn template(&self) -> k8s_openapi::api::core::v1::PodTemplateSpec {
        self.d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default()
    }

    /// (new, old): the ReplicaSet whose template equals the Deployment's, oldest first among
    /// equals (`FindNewReplicaSet`), and the others.
    fn split(&self) -> (Option<ReplicaSet>, Vec<ReplicaSet>) {
        let want = util::without_hash(&self.template());
        let mut sorted = self.rs_list.clone();
        sorted.sort_by(by_creation);
        let new_idx = sorted.iter().position(|rs| {
            rs.spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .is_some_and(|t| util::without_hash(t) == want)
        });
        let new = new_idx.map(|i| sorted.remove(i));
        (new, sorted)
    }

    fn write_rs(&mut self, rs: ReplicaSet, cx: &mut Cx<'_>) -> Result<ReplicaSet, ApiError> {
        let Object::ReplicaSet(stored) = cx.api.update(Object::ReplicaSet(rs))? else {
            return Err(ApiError::new(crate::api::Reason::InternalError, "unexpected kind"));
        };
        if let Some(slot) = self.rs_list.iter_mut().find(|r| r.metadata.uid == stored.metadata.uid) {
            *slot = stored.clone();
        }
        Ok(stored)
    }

    fn write_deployment_status(&mut self, status: DeploymentStatus, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let mut next = self.d.clone();
        next.status = Some(status);
        if let Object::Deployment(stored) = cx.api.update_status(&Object::Deployment(next))? {
            self.d = stored;
        }
        Ok(())
    }

    fn check_paused_conditions(&mut self, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        if self.progress_deadline().is_none() {
            return Ok(());
        }
        let mut status = self.d.status.clone().unwrap_or_default();
        let reason = get_condition(&status, "Progressing").and_then(|c| c.reason.clone());
        let paused = self.paused();
        let now = cx.now;
        if paused && reason.as_deref() != Some("DeploymentPaused") {
            set_condition(
                &mut status,
                condition(
                    "Progressing",
                    "Unknown",
                    "DeploymentPaused",
                    "Deployment is paused".into(),
                    now,
                ),
            );
        } else if !paused && reason.as_deref() == Some("DeploymentPaused") {
            set_condition(
                &mut status,
                condition(
                    "Progressing",
                    "Unknown",
                    "DeploymentResumed",
                    "Deployment is resumed".into(),
                    now,
                ),
            );
        } else {
            return Ok(());
        }
        self.write_deployment_status(status, cx)
    }

    /// `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (created if asked and missing,
    /// with the next revision) and the old ones.
    fn new_and_old(
        &mut self,
        create: bool,
        cx: &mut Cx<'_>,
    ) -> Result<(Option<ReplicaSet>, Vec<ReplicaSet>), ApiError> {
        let (existing, old) = self.split();
        let max_old = old
            .iter()
            .map(|r| util::revision(r.metadata.annotations.as_ref()))
            .max()
            .unwrap_or(0);
        let new_revision = max_old.saturating_add(1);
        let now = cx.now;
        if let Some(rs) = existing {
            let mut copy = rs.clone();
            let changed = util::set_new_rs_annotations(&self.d, &mut copy, new_revision, true);
            let min_ready = self.d.spec.as_ref().and_then(|s| s.min_ready_seconds);
            let min_ready_changed = copy.spec.as_ref().and_then(|s| s.min_ready_seconds) != min_ready;
            let copy = if changed || min_ready_changed {
                if let Some(s) = copy.spec.as_mut() {
                    s.min_ready_seconds = min_ready;
                }
                self.write_rs(copy, cx)?
            } else {
                copy
            };
            let revision = util::revision(copy.metadata.annotations.as_ref());
            let mut status = self.d.status.clone().unwrap_or_default();
            let mut status_changed = false;
            if self.progress_deadline().is_some() && get_condition(&status, "Progressing").is_none() {
                let msg = format!("Found new replica set {:?}", name(&copy));
                set_condition(
                    &mut status,
                    condition("Progressing", "True", "FoundNewReplicaSet", msg, now),
                );
                status_changed = true;
            }
            self.set_revision(revision, cx)?;
            if status_changed {
                self.write_deployment_status(status, cx)?;
            }
            return Ok((Some(copy), old));
        }
        if !create {
            return Ok((None, old));
        }
        let rs = self.create_new_rs(&old, new_revision, cx)?;
        Ok((Some(rs), old))
    }

    fn set_revision(&mut self, revision: i64, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let r = revision.to_string();
        let a = self.d.metadata.annotations.get_or_insert_with(BTreeMap::new);
        if a.get(util::REVISION) == Some(&r) {
            return Ok(());
        }
        a.insert(util::REVISION.into(), r);
        if let Object::Deployment(stored) = cx.api.update(Object::Deployment(self.d.clone()))? {
            self.d = stored;
        }
        Ok(())
    }

    fn create_new_rs(&mut self, old: &[ReplicaSet], revision: i64, cx: &mut Cx<'_>) -> Result<ReplicaSet, ApiError> {
        let d = &self.d;
        let spec = d.spec.clone().unwrap_or_default();
        let collision = d.status.as_ref().and_then(|s| s.collision_count);
        let hash = util::template_hash(&spec.template, collision);
        let mut template = spec.template.clone();
        let tm = template.metadata.get_or_insert_with(Default::default);
        tm.labels
            .get_or_insert_with(BTreeMap::new)
            .insert(HASH_LABEL.into(), hash.clone());
        let mut selector: LabelSelector = spec.selector.clone();
        selector
            .match_labels
            .get_or_insert_with(BTreeMap::new)
            .insert(HASH_LABEL.into(), hash.clone());
        let mut rs = ReplicaSet {
            metadata: ObjectMeta {
                name: Some(format!("{}-{hash}", d.metadata.name.as_deref().unwrap_or(""))),
                namespace: d.metadata.namespace.clone(),
                labels: tm.labels.clone(),
                owner_references: Some(vec![controller_ref(&Object::Deployment(d.clone()))]),
                ..Default::default()
            },
            spec: Some(ReplicaSetSpec {
                replicas: Some(0),
                min_ready_seconds: spec.min_ready_seconds,
                selector,
                template: Some(template),
            }),
            status: None,
        };
        let mut all: Vec<ReplicaSet> = old.to_vec();
        all.push(rs.clone());
        let count = self.new_rs_replicas(&all, &rs);
        if let Some(s) = rs.spec.as_mut() {
            s.replicas = Some(count);
        }
        util::set_new_rs_annotations(&self.d, &mut rs, revision, false);
        let created = match cx.api.create(Object::ReplicaSet(rs)) {
            Ok(Object::ReplicaSet(r)) => r,
            Ok(_) => return Err(ApiError::new(crate::api::Reason::InternalError, "unexpected kind")),
            Err(e) if e.reason == crate::api::Reason::AlreadyExists => {
                // A hash collision with a ReplicaSet of another template: count it, so that the
                // next sync hashes differently (`collisionCount`).
                let mut status = self.d.status.clone().unwrap_or_default();
                status.collision_count = Some(status.collision_count.unwrap_or(0).saturating_add(1));
                self.write_deployment_status(status, cx)?;
                return Err(e);
            }
            Err(e) => {
                let msg = format!(
                    "Failed to create new replica set {:?}: {}",
                    self.d.metadata.name.as_deref().unwrap_or(""),
                    e.message
                );
                let now = cx.now;
                let mut status = self.d.status.clone().unwrap_or_default();
                set_condition(
                    &mut status,
                    condition("ReplicaFailure", "True", "FailedCreate", e.message.clone(), now),
                );
                self.write_deployment_status(status, cx)?;
                cx.api.record_event(
                    &Object::Deployment(self.d.clone()),
                    None,
                    EventType::Warning,
                    "FailedCreate",
                    &msg,
                    &SOURCE,
                );
                return Err(e);
            }
        };
        self.rs_list.push(created.clone());
        if count > 0 {
            let msg = format!("Scaled up replica set {} from 0 to {count}", name(&created));
            cx.api.record_event(
                &Object::Deployment(self.d.clone()),
                None,
                EventType::Normal,
                "ScalingReplicaSet",
                &msg,
                &SOURCE,
            );
        }
        self.set_revision(revision, cx)?;
        if self.progress_deadline().is_some() {
            let msg = format!("Created new replica set {:?}", name(&created));
            let mut status = self.d.status.clone().unwrap_or_default();
            set_condition(
                &mut status,
                condition("Progressing", "True", "NewReplicaSetCreated", msg, cx.now),
            );
            self.write_deployment_status(status, cx)?;
        }
        Ok(created)
    }

    /// `NewRSNewReplicas`.
    fn new_rs_replicas(&self, all: &[ReplicaSet], new: &ReplicaSet) -> i32 {
        let replicas = util::replicas(&self.d);
        if !util::is_rolling(&self.d) {
            return replicas;
        }
        let current: i32 = all.iter().map(util::rs_replicas).fold(0, i32::saturating_add);
        let max_total = replicas.saturating_add(util::max_surge(&self.d));
        if current >= max_total {
            return util::rs_replicas(new);
        }
        let up = (max_total - current).min(replicas.saturating_sub(util::rs_replicas(new)));
        util::rs_replicas(new).saturating_add(up)
    }

    /// Scales a ReplicaSet and records the event (`scaleReplicaSetAndRecordEvent`). True if
    /// its size changed.
    fn scale_rs(&mut self, rs: &ReplicaSet, to: i32, cx: &mut Cx<'_>) -> Result<bool, ApiError> {
        let from = util::rs_replicas(rs);
        if from == to {
            return Ok(false);
        }
        self.scale_rs_to(rs, to, cx)?;
        Ok(true)
    }

    /// `scaleReplicaSet`: writes the size and the replicas annotations when either changed.
    fn scale_rs_to(&mut self, rs: &ReplicaSet, to: i32, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let from = util::rs_replicas(rs);
        let mut copy = rs.clone();
        let desired = util::replicas(&self.d);
        let annotations =
            util::set_replicas_annotations(&mut copy, desired, desired.saturating_add(util::max_surge(&self.d)));
        if from == to && !annotations {
            return Ok(());
        }
        if let Some(s) = copy.spec.as_mut() {
            s.replicas = Some(to);
        }
        self.write_rs(copy, cx)?;
        if from != to {
            let op = if from < to { "up" } else { "down" };
            let msg = format!("Scaled {op} replica set {} from {from} to {to}", name(rs));
            cx.api.record_event(
                &Object::Deployment(self.d.clone()),
                None,
                EventType::Normal,
                "ScalingReplicaSet",
                &msg,
                &SOURCE,
            );
        }
        Ok(())
    }

    fn current(&self, rs: &ReplicaSet) -> ReplicaSet {
        self.rs_list
            .iter()
            .find(|r| r.metadata.uid == rs.metadata.uid)
            .cloned()
            .unwrap_or_else(|| rs.clone())
    }

    fn is_scaling_event(&mut self, cx: &mut Cx<'_>) -> Result<bool, ApiError> {
        let (new, old) = self.new_and_old(false, cx)?;
        let want = util::replicas(&self.d);
        Ok(new
            .iter()
            .chain(old.iter())
            .filter(|r| util::rs_replicas(r) > 0)
            .any(|r| util::desired_annotation(r).is_some_and(|d| d != want)))
    }

    fn rollout_rolling(&mut self, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let (new, old) = self.new_and_old(true, cx)?;
        let Some(new) = new else { return Ok(()) };
        let mut all: Vec<ReplicaSet> = old.clone();
        all.push(new.clone());
        if self.reconcile_new_rs(&all, &new, cx)? {
            return self.sync_rollout_status(cx);
        }
        let new = self.current(&new);
        let old: Vec<ReplicaSet> = old.iter().map(|r| self.current(r)).collect();
        if self.reconcile_old_rss(&old, &new, cx)? {
            return self.sync_rollout_status(cx);
        }
        if self.complete(&self.calculate_status(cx.now)) {
            self.cleanup(cx)?;
        }
        self.sync_rollout_status(cx)
    }

    fn reconcile_new_rs(&mut self, all: &[ReplicaSet], new: &ReplicaSet, cx: &mut Cx<'_>) -> Result<bool, ApiError> {
        let want = util::replicas(&self.d);
        let have = util::rs_replicas(new);
        if have == want {
            return Ok(false);
        }
        if have > want {
            return self.scale_rs(new, want, cx);
        }
        let count = self.new_rs_replicas(all, new);
        self.scale_rs(new, count, cx)
    }

    fn reconcile_old_rss(&mut self, old: &[ReplicaSet], new: &ReplicaSet, cx: &mut Cx<'_>) -> Result<bool, ApiError> {
        let old_pods: i32 = old.iter().map(util::rs_replicas).fold(0, i32::saturating_add);
        if old_pods == 0 {
            return Ok(false);
        }
        let all_pods = old_pods.saturating_add(util::rs_replicas(new));
        let min_available = util::replicas(&self.d).saturating_sub(util::max_unavailable(&self.d));
        let new_unavailable = util::rs_replicas(new).saturating_sub(util::rs_available(new));
        let max_scaled_down = all_pods.saturating_sub(min_available).saturating_sub(new_unavailable);
        if max_scaled_down <= 0 {
            return Ok(false);
        }
        // cleanupUnhealthyReplicas: scale down the old pods that are not available first.
        let mut sorted: Vec<ReplicaSet> = old.iter().filter(|r| util::rs_replicas(r) > 0).cloned().collect();
        sorted.sort_by(by_creation);
        let mut cleaned = 0i32;
        for rs in &sorted {
            if cleaned >= max_scaled_down {
                break;
            }
            let size = util::rs_replicas(rs);
            let unhealthy = size.saturating_sub(util::rs_available(rs));
            if size == 0 || unhealthy <= 0 {
                continue;
            }
            let down = (max_scaled_down - cleaned).min(unhealthy);
            self.scale_rs(rs, size - down, cx)?;
            cleaned = cleaned.saturating_add(down);
        }
        // scaleDownOldReplicaSetsForRollingUpdate: then as many available ones as minAvailable allows.
        let all: Vec<ReplicaSet> = self.rs_list.clone();
        let available: i32 = all
            .iter()
            .filter(|r| r.metadata.uid == new.metadata.uid || sorted.iter().any(|o| o.metadata.uid == r.metadata.uid))
            .map(util::rs_available)
            .fold(0, i32::saturating_add);
        let mut scaled = 0i32;
        if available > min_available {
            let total = available - min_available;
            let olds: Vec<ReplicaSet> = sorted.iter().map(|r| self.current(r)).collect();
            for rs in &olds {
                if scaled >= total {
                    break;
                }
                let size = util::rs_replicas(rs);
                if size == 0 {
                    continue;
                }
                let down = size.min(total - scaled);
                self.scale_rs(rs, size - down, cx)?;
                scaled = scaled.saturating_add(down);
            }
        }
        Ok(cleaned.saturating_add(scaled) > 0)
    }

    fn rollout_recreate(&mut self, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let (mut new, old) = self.new_and_old(false, cx)?;
        let mut scaled_down = false;
        for rs in old.iter().filter(|r| util::rs_replicas(r) > 0) {
            scaled_down |= self.scale_rs(rs, 0, cx)?;
        }
        if scaled_down {
            return self.sync_rollout_status(cx);
        }
        if self.old_pods_running(new.as_ref(), &old, cx) {
            return self.sync_rollout_status(cx);
        }
        if new.is_none() {
            new = self.new_and_old(true, cx)?.0;
        }
        if let Some(new) = new {
            let new = self.current(&new);
            self.scale_rs(&new, util::replicas(&self.d), cx)?;
        }
        if self.complete(&self.calculate_status(cx.now)) {
            self.cleanup(cx)?;
        }
        self.sync_rollout_status(cx)
    }

    /// `oldPodsRunning`: an old ReplicaSet still reports pods, or one of its pods is not yet
    /// terminal (a Terminating pod still counts).
    fn old_pods_running(&self, new: Option<&ReplicaSet>, old: &[ReplicaSet], cx: &Cx<'_>) -> bool {
        let old: Vec<ReplicaSet> = old.iter().map(|r| self.current(r)).collect();
        if old.iter().any(|r| r.status.as_ref().is_some_and(|s| s.replicas > 0)) {
            return true;
        }
        let store = cx.api.store();
        let ns = self.ns();
        old.iter()
            .filter(|r| new.is_none_or(|n| n.metadata.uid != r.metadata.uid))
            .flat_map(|r| {
                let uid = r.metadata.uid.clone().unwrap_or_default();
                store
                    .get_all(store.indexes().controlled_by(Kind::Pod, &ns, &uid))
                    .collect::<Vec<_>>()
            })
            .any(|o| match o {
                Object::Pod(p) => !matches!(
                    p.status.as_ref().and_then(|s| s.phase.as_deref()),
                    Some("Failed" | "Succeeded")
                ),
                _ => false,
            })
    }

    /// `sync`: scaling only, for a paused Deployment or a changed `replicas`.
    fn sync(&mut self, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let (new, old) = self.new_and_old(false, cx)?;
        self.scale(new.as_ref(), &old, cx)?;
        if self.paused() {
            self.cleanup(cx)?;
        }
        self.sync_status_only(cx)
    }

    fn scale(&mut self, new: Option<&ReplicaSet>, old: &[ReplicaSet], cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let want = util::replicas(&self.d);
        let mut active: Vec<ReplicaSet> = old
            .iter()
            .chain(new)
            .filter(|r| util::rs_replicas(r) > 0)
            .cloned()
            .collect();
        // FindActiveOrLatest.
        let target = match active.len() {
            0 => new.cloned().or_else(|| {
                let mut o = old.to_vec();
                o.sort_by(|a, b| by_creation(b, a));
                o.into_iter().next()
            }),
            1 => active.first().cloned(),
            _ => None,
        };
        if let Some(rs) = target {
            if util::rs_replicas(&rs) != want {
                self.scale_rs(&rs, want, cx)?;
            }
            return Ok(());
        }
        // IsSaturated: the new ReplicaSet runs everything; the old ones go to zero.
        if let Some(n) = new
            && util::desired_annotation(n) == Some(want)
            && util::rs_available(n) == want
            && util::rs_replicas(n) == want
        {
            for rs in old.iter().filter(|r| util::rs_replicas(r) > 0) {
                self.scale_rs(rs, 0, cx)?;
            }
            return Ok(());
        }
        if !util::is_rolling(&self.d) {
            return Ok(());
        }
        let total: i32 = active.iter().map(util::rs_replicas).fold(0, i32::saturating_add);
        let allowed = if want > 0 {
            want.saturating_add(util::max_surge(&self.d))
        } else {
            0
        };
        let to_add = allowed.saturating_sub(total);
        let newer_first = |a: &ReplicaSet, b: &ReplicaSet| by_creation(b, a);
        match to_add.cmp(&0) {
            // ReplicaSetsBySizeNewer: larger first, then newer.
            Ordering::Greater => active.sort_by(|a, b| {
                util::rs_replicas(b)
                    .cmp(&util::rs_replicas(a))
                    .then_with(|| newer_first(a, b))
            }),
            // ReplicaSetsBySizeOlder: larger first, then older.
            Ordering::Less => active.sort_by(|a, b| {
                util::rs_replicas(b)
                    .cmp(&util::rs_replicas(a))
                    .then_with(|| by_creation(a, b))
            }),
            Ordering::Equal => {}
        }
        let status_replicas = self.d.status.as_ref().and_then(|s| s.replicas).unwrap_or(0);
        let mut added = 0i32;
        let mut sizes: Vec<i32> = Vec::new();
        for rs in &active {
            let p = if to_add != 0 {
                util::proportion(rs, &self.d, status_replicas, to_add, added)
            } else {
                0
            };
            sizes.push(util::rs_replicas(rs).saturating_add(p));
            added = added.saturating_add(p);
        }
        if to_add != 0
            && let Some(first) = sizes.first_mut()
        {
            *first = first.saturating_add(to_add.saturating_sub(added)).max(0);
        }
        for (rs, size) in active.iter().zip(sizes) {
            self.scale_rs_to(rs, size, cx)?;
        }
        Ok(())
    }

    /// `cleanupDeployment`: old ReplicaSets beyond `revisionHistoryLimit` go, oldest revision
    /// first, once they are scaled to zero and settled.
    fn cleanup(&mut self, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(limit) = self.d.spec.as_ref().and_then(|s| s.revision_history_limit) else {
            return Ok(());
        };
        let (_, old) = self.split();
        let mut cleanable: Vec<ReplicaSet> = old
            .into_iter()
            .filter(|r| r.metadata.deletion_timestamp.is_none())
            .collect();
        let diff = crate::num::i32_of(cleanable.len()).saturating_sub(limit);
        if diff <= 0 {
            return Ok(());
        }
        cleanable.sort_by(|a, b| {
            util::revision(a.metadata.annotations.as_ref())
                .cmp(&util::revision(b.metadata.annotations.as_ref()))
                .then_with(|| by_creation(a, b))
        });
        for rs in cleanable.iter().take(crate::num::usize_of_i32(diff)) {
            let st = rs.status.clone().unwrap_or_default();
            if st.replicas != 0 || util::rs_replicas(rs) != 0 || rs.metadata.generation > st.observed_generation {
                continue;
            }
            let key = ObjectKey::of(&Object::ReplicaSet(rs.clone()));
            match cx.api.delete(&key, None) {
                Ok(_) => self.rs_list.retain(|r| r.metadata.uid != rs.metadata.uid),
                Err(e) if e.reason == crate::api::Reason::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// `calculateStatus`.
    fn calculate_status(&self, now: Millis) -> DeploymentStatus {
        let (new, _) = self.split();
        let all = &self.rs_list;
        let sum = |f: &dyn Fn(&ReplicaSet) -> i32| all.iter().map(f).fold(0, i32::saturating_add);
        let available = sum(&util::rs_available);
        let total = sum(&util::rs_replicas);
        let old = self.d.status.clone().unwrap_or_default();
        let mut status = DeploymentStatus {
            observed_generation: self.d.metadata.generation,
            replicas: Some(sum(&|r| r.status.as_ref().map_or(0, |s| s.replicas))),
            updated_replicas: Some(new.as_ref().and_then(|n| n.status.as_ref()).map_or(0, |s| s.replicas)),
            ready_replicas: Some(sum(&|r| r.status.as_ref().and_then(|s| s.ready_replicas).unwrap_or(0))),
            available_replicas: Some(available),
            unavailable_replicas: Some(total.saturating_sub(available).max(0)),
            collision_count: old.collision_count,
            conditions: old.conditions.clone(),
            terminating_replicas: Some(sum(&|r| {
                r.status.as_ref().and_then(|s| s.terminating_replicas).unwrap_or(0)
            })),
        };
        let want = util::replicas(&self.d);
        if available >= want.saturating_sub(util::max_unavailable(&self.d)) {
            let c = condition(
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.".into(),
                now,
            );
            set_condition(&mut status, c);
        } else {
            let c = condition(
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.".into(),
                now,
            );
            set_condition(&mut status, c);
        }
        status
    }

    /// `DeploymentComplete`.
    fn complete(&self, s: &DeploymentStatus) -> bool {
        let want = util::replicas(&self.d);
        s.updated_replicas == Some(want)
            && s.replicas == Some(want)
            && s.available_replicas == Some(want)
            && s.observed_generation >= self.d.metadata.generation
    }

    fn sync_status_only(&mut self, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let status = self.calculate_status(cx.now);
        if self.d.status.as_ref() != Some(&status) {
            self.write_deployment_status(status, cx)?;
        }
        Ok(())
    }

    /// `syncRolloutStatus`: status, and the Progressing condition against the deadline.
    fn sync_rollout_status(&mut self, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let now = cx.now;
        let mut status = self.calculate_status(now);
        let (new, _) = self.split();
        let rs_name = new.as_ref().map(|n| name(n).to_string());
        let deadline = self.progress_deadline();
        if deadline.is_none()
            && let Some(c) = status.conditions.as_mut()
        {
            c.retain(|c| c.type_ != "Progressing");
        }
        let current = get_condition(&status, "Progressing").cloned();
        let complete_already = status.replicas == status.updated_replicas
            && current.as_ref().and_then(|c| c.reason.as_deref()) == Some("NewReplicaSetAvailable");
        if let Some(deadline) = deadline
            && !complete_already
        {
            let old = self.d.status.clone().unwrap_or_default();
            if self.complete(&status) {
                let msg = match &rs_name {
                    Some(n) => format!("ReplicaSet {n:?} has successfully progressed."),
                    None => "Deployment has successfully progressed.".into(),
                };
                set_condition(
                    &mut status,
                    condition("Progressing", "True", "NewReplicaSetAvailable", msg, now),
                );
            } else if progressing(&old, &status) {
                let msg = match &rs_name {
                    Some(n) => format!("ReplicaSet {n:?} is progressing."),
                    None => "Deployment is progressing.".into(),
                };
                let mut c = condition("Progressing", "True", "ReplicaSetUpdated", msg, now);
                if let Some(cur) = current.as_ref().filter(|c| c.status == "True") {
                    c.last_transition_time = cur.last_transition_time.clone();
                }
                if let Some(cs) = status.conditions.as_mut() {
                    cs.retain(|c| c.type_ != "Progressing");
                }
                status.conditions.get_or_insert_with(Vec::new).push(c);
            } else if let Some(cur) = &current
                && timed_out(cur, deadline, now)
            {
                let msg = match &rs_name {
                    Some(n) => format!("ReplicaSet {n:?} has timed out progressing."),
                    None => "Deployment has timed out progressing.".into(),
                };
                set_condition(
                    &mut status,
                    condition("Progressing", "False", "ProgressDeadlineExceeded", msg, now),
                );
            }
        }
        if self.d.status.as_ref() == Some(&status) {
            self.requeue_stuck(&status, cx);
            return Ok(());
        }
        self.write_deployment_status(status, cx)
    }

    /// `requeueStuckDeployment`: a rollout that is not complete is looked at again when its
    /// progress deadline would pass.
    fn requeue_stuck(&self, status: &DeploymentStatus, cx: &mut Cx<'_>) {
        let Some(deadline) = self.progress_deadline() else {
            return;
        };
        let Some(cur) = get_condition(status, "Progressing") else {
            return;
        };
        if matches!(
            cur.reason.as_deref(),
            Some("NewReplicaSetAvailable" | "ProgressDeadlineExceeded")
        ) || self.complete(status)
        {
            return;
        }
        let from = cur.last_update_time.as_ref().map_or(0, from_api_time);
        // `Before(now)`: a deadline exactly now is not passed yet; look just after it.
        let at = from.saturating_add(seconds(deadline.into())).saturating_add(1);
        let key = key_of(&self.ns(), self.d.metadata.name.as_deref().unwrap_or(""));
        cx.after(at.saturating_sub(cx.now), key);
    }
}

/// `DeploymentProgressing`: more updated, ready or available pods, or fewer old ones.
fn progressing(old: &DeploymentStatus, new: &DeploymentStatus) -> bool {
    let olds = |s: &DeploymentStatus| s.replicas.unwrap_or(0).saturating_sub(s.updated_replicas.unwrap_or(0));
    new.updated_replicas.unwrap_or(0) > old.updated_replicas.unwrap_or(0)
        || olds(new) < olds(old)
        || new.ready_replicas.unwrap_or(0) > old.ready_replicas.unwrap_or(0)
        || new.available_replicas.unwrap_or(0) > old.available_replicas.unwrap_or(0)
}

/// `DeploymentTimedOut`: the Progressing condition was last updated more than the deadline ago.
fn timed_out(c: &DeploymentCondition, deadline: i32, now: Millis) -> bool {
    if c.reason.as_deref() == Some("NewReplicaSetAvailable") {
        return false;
    }
    if c.reason.as_deref() == Some("ProgressDeadlineExceeded") {
        return true;
    }
    let from = c.last_update_time.as_ref().map_or(0, from_api_time);
    from.saturating_add(seconds(deadline.into())) < now
}
