//! The Job controller (pkg/controller/job/job_controller.go): pods until `completions` succeed
//! (or, without completions, until one does), at most `parallelism` at once; a failed pod is
//! replaced after the pod back-off (10 s doubling per consecutive failure, capped at 10 min,
//! from the pod's finish time) until `backoffLimit` is passed (failed pods with
//! `restartPolicy: Never`, container restarts with `OnFailure`) or `activeDeadlineSeconds`
//! runs out. Indexed Jobs give each pod a completion index. The interim conditions
//! (`SuccessCriteriaMet`, `FailureTarget`) come before the final ones, as since 1.31.
//!
//! Pods are counted once, when they finish, as the `batch.kubernetes.io/job-tracking`
//! finalizer makes upstream do; Kubeplay keeps the counted pods in the controller instead of
//! a finalizer on each pod, so deleting a finished pod does not uncount it.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::batch::v1::{Job, JobCondition, JobSpec, JobStatus, UncountedTerminatedPods};
use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource, ObjectFieldSelector, Pod};

use super::job_policy::{self, Action};
use super::podutil::{self, controller_of};
use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::sim::clock::{Millis, SECOND, api_time, from_api_time, seconds};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent, WatchEventType};

const SOURCE: Source = Source {
    component: "job-controller",
    host: None,
};

const BATCH_PERIOD: Millis = SECOND;
const POD_BACKOFF: Millis = 10 * SECOND;
const MAX_POD_BACKOFF: Millis = 600 * SECOND;
const MAX_PER_SYNC: usize = 500;
const INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";
const FAILURE_COUNT: &str = "batch.kubernetes.io/job-index-failure-count";
const IGNORED_COUNT: &str = "batch.kubernetes.io/job-index-ignored-failure-count";

/// What the controller has counted of one Job.
#[derive(Default)]
struct Tracking {
    succeeded: BTreeSet<String>,
    /// Failed pods counted towards `status.failed` and the back-off limits.
    failed: BTreeSet<String>,
    /// Failed pods a podFailurePolicy `Ignore` rule left uncounted.
    ignored: BTreeSet<String>,
    succeeded_indexes: BTreeSet<i32>,
    /// Failures since the last success, and when the latest of them finished.
    failures_after_success: u32,
    last_failure: Millis,
    /// With backoffLimitPerIndex: per index, the counted and ignored failures and when the
    /// latest finished (the `job-index-failure-count` annotations upstream keeps on pods).
    index_failures: BTreeMap<i32, IndexFailures>,
    failed_indexes: BTreeSet<i32>,
    /// A podFailurePolicy `FailJob` rule matched: the message of the Job's failure.
    fail_job: Option<String>,
}

#[derive(Clone, Copy, Default)]
struct IndexFailures {
    counted: i32,
    ignored: i32,
    last: Millis,
}

#[derive(Default)]
pub struct JobController {
    tracking: BTreeMap<String, Tracking>,
    /// The last state of deleted pods of each Job (by the Job's uid), not yet counted: with
    /// `podReplacementPolicy: Failed` a pod is counted once terminal, which it may only be in
    /// the deletion event itself (upstream's tracking finalizer keeps the object around instead).
    departed: BTreeMap<String, Vec<Pod>>,
}

impl Controller for JobController {
    fn name(&self) -> &'static str {
        "job-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::Job, Kind::Pod]
    }

    fn observe(&mut self, ev: &WatchEvent) {
        if ev.kind != WatchEventType::Deleted {
            return;
        }
        if let Object::Pod(p) = &ev.object
            && let Some(r) = controller_of(&p.metadata).filter(|r| r.kind == "Job")
        {
            let counted = self.tracking.get(&r.uid).is_some_and(|t| {
                let uid = p.metadata.uid.as_deref().unwrap_or("");
                t.succeeded.contains(uid) || t.failed.contains(uid) || t.ignored.contains(uid)
            });
            if !counted && self.tracking.contains_key(&r.uid) {
                self.departed.entry(r.uid.clone()).or_default().push(p.clone());
            }
        }
    }

    fn keys(&self, ev: &WatchEvent, _store: &Store, out: &mut Wakes) {
        match &ev.object {
            Object::Job(_) => out.push((ev.key.clone(), 0)),
            Object::Pod(p) => {
                if let Some(r) = controller_of(&p.metadata).filter(|r| r.kind == "Job") {
                    // Pod updates are batched for a second (`syncJobBatchPeriod`).
                    let delay = if ev.kind == WatchEventType::Added {
                        0
                    } else {
                        BATCH_PERIOD
                    };
                    out.push((ObjectKey::new(Kind::Job, &ev.key.namespace, &r.name), delay));
                }
            }
            _ => {}
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::Job(job)) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        let uid = job.metadata.uid.clone().unwrap_or_default();
        let departed = self.departed.remove(&uid).unwrap_or_default();
        if job.metadata.deletion_timestamp.is_some() || finished(&job) {
            if job.metadata.deletion_timestamp.is_some() {
                self.tracking.remove(&uid);
            }
            return Ok(());
        }
        let tracking = self.tracking.entry(uid.clone()).or_default();
        let pods = owned_pods(&job, cx.api.store());
        let spec = job.spec.clone().unwrap_or_default();
        count_finished(tracking, &spec, pods.iter().chain(departed.iter()));
        sync(&job, tracking, &pods, cx)
    }
}

fn finished(job: &Job) -> bool {
    job.status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .any(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True")
}

fn owned_pods(job: &Job, store: &Store) -> Vec<Pod> {
    let ns = job.metadata.namespace.clone().unwrap_or_default();
    let uid = job.metadata.uid.clone().unwrap_or_default();
    store
        .get_all(store.indexes().controlled_by(Kind::Pod, &ns, &uid))
        .filter_map(|o| match o {
            Object::Pod(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

fn phase(p: &Pod) -> &str {
    p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("")
}

fn index_of(p: &Pod) -> Option<i32> {
    p.metadata.annotations.as_ref()?.get(INDEX_KEY)?.parse().ok()
}

/// `getFinishedTime`: when the last container finished, else the pod's creation.
fn finish_time(p: &Pod) -> Millis {
    let st = p.status.as_ref();
    let latest = st
        .and_then(|s| s.container_statuses.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|c| {
            c.state
                .as_ref()?
                .terminated
                .as_ref()?
                .finished_at
                .as_ref()
                .map(from_api_time)
        })
        .max();
    latest.unwrap_or_else(|| p.metadata.creation_timestamp.as_ref().map_or(0, from_api_time))
}

/// Whether a finished pod counts as failed: its phase is Failed or, with the default
/// `podReplacementPolicy: TerminatingOrFailed`, it is being deleted without having succeeded.
fn is_failed(spec: &JobSpec, p: &Pod) -> bool {
    let terminating_counts = spec.pod_replacement_policy.as_deref() != Some("Failed");
    phase(p) == "Failed" || (terminating_counts && p.metadata.deletion_timestamp.is_some() && phase(p) != "Succeeded")
}

/// Counts newly finished pods (applying the podFailurePolicy) and updates the back-off record
/// (`newBackoffRecord`) and, with backoffLimitPerIndex, the per-index failure counts.
fn count_finished<'a>(t: &mut Tracking, spec: &JobSpec, pods: impl Iterator<Item = &'a Pod>) {
    let mut new_success: Option<Millis> = None;
    let mut new_failures: Vec<Millis> = Vec::new();
    let per_index = spec.backoff_limit_per_index;
    for p in pods {
        let uid = p.metadata.uid.clone().unwrap_or_default();
        if t.succeeded.contains(&uid) || t.failed.contains(&uid) || t.ignored.contains(&uid) {
            continue;
        }
        if phase(p) == "Succeeded" {
            t.succeeded.insert(uid);
            if let Some(i) = index_of(p) {
                t.succeeded_indexes.insert(i);
            }
            let at = finish_time(p);
            new_success = Some(new_success.map_or(at, |s: Millis| s.max(at)));
            continue;
        }
        if !is_failed(spec, p) {
            continue;
        }
        let action = job_policy::match_pod_failure_policy(spec, p);
        let at = finish_time(p);
        if action == Action::Ignore {
            t.ignored.insert(uid);
        } else {
            t.failed.insert(uid);
            new_failures.push(at);
        }
        if let Action::FailJob(message) = &action
            && t.fail_job.is_none()
        {
            t.fail_job = Some(message.clone());
        }
        if let (Some(limit), Some(i)) = (per_index, index_of(p)) {
            let f = t.index_failures.entry(i).or_default();
            f.last = f.last.max(at);
            match action {
                Action::Ignore => f.ignored = f.ignored.saturating_add(1),
                Action::FailIndex => {
                    f.counted = f.counted.saturating_add(1);
                    t.failed_indexes.insert(i);
                }
                _ => {
                    f.counted = f.counted.saturating_add(1);
                    if f.counted > limit {
                        t.failed_indexes.insert(i);
                    }
                }
            }
        }
    }
    if let Some(success) = new_success {
        new_failures.retain(|f| *f > success);
        t.failures_after_success = 0;
        t.last_failure = 0;
    }
    for f in new_failures {
        t.failures_after_success = t.failures_after_success.saturating_add(1);
        t.last_failure = t.last_failure.max(f);
    }
}

/// `getRemainingTimeForFailuresCount`: how long a replacement waits after `failures`
/// consecutive failures, the latest of which finished at `last`.
fn backoff_remaining(failures: u32, last: Millis, now: Millis) -> Millis {
    if failures == 0 {
        return 0;
    }
    let mut d = POD_BACKOFF;
    for _ in 1..failures {
        d = d.saturating_mul(2);
        if d >= MAX_POD_BACKOFF {
            d = MAX_POD_BACKOFF;
            break;
        }
    }
    let elapsed = now.saturating_sub(last);
    d.saturating_sub(elapsed)
}

fn condition(ty: &str, status: &str, reason: &str, message: &str, now: Millis) -> JobCondition {
    JobCondition {
        type_: ty.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_probe_time: Some(api_time(now)),
        last_transition_time: Some(api_time(now)),
    }
}

fn has_condition(st: &JobStatus, ty: &str) -> bool {
    st.conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == ty && c.status == "True")
}

/// `completedIndexes` as intervals: `0-2,4,6,7`.
fn interval_string(set: &BTreeSet<i32>) -> String {
    let v: Vec<i32> = set.iter().copied().collect();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j].saturating_add(1) {
            j += 1;
        }
        match j - i {
            0 => parts.push(v[i].to_string()),
            1 => parts.push(format!("{},{}", v[i], v[j])),
            _ => parts.push(format!("{}-{}", v[i], v[j])),
        }
        i = j + 1;
    }
    parts.join(",")
}

fn sync(job: &Job, t: &Tracking, pods: &[Pod], cx: &mut Cx<'_>) -> Result<(), ApiError> {
    let spec = job.spec.clone().unwrap_or_default();
    let old = job.status.clone().unwrap_or_default();
    let now = cx.now;
    let key = ObjectKey::of(&Object::Job(job.clone()));
    let indexed = spec.completion_mode.as_deref() == Some("Indexed");
    let suspended = spec.suspend == Some(true);
    let active: Vec<&Pod> = pods
        .iter()
        .filter(|p| !matches!(phase(p), "Succeeded" | "Failed") && p.metadata.deletion_timestamp.is_none())
        .collect();
    let terminating = crate::num::i32_of(pods.iter().filter(|p| podutil::is_terminating(p)).count());
    let mut st = JobStatus {
        active: None,
        ready: Some(crate::num::i32_of(
            active.iter().filter(|p| podutil::is_ready(p)).count(),
        )),
        succeeded: None,
        failed: None,
        terminating: Some(terminating),
        start_time: old.start_time.clone(),
        completion_time: old.completion_time.clone(),
        completed_indexes: None,
        failed_indexes: None,
        conditions: old.conditions.clone(),
        uncounted_terminated_pods: Some(UncountedTerminatedPods::default()),
    };
    let succeeded = if indexed {
        t.succeeded_indexes.len()
    } else {
        t.succeeded.len()
    };
    let succeeded = crate::num::i32_of(succeeded);
    let failed = crate::num::i32_of(t.failed.len());
    let owner = Object::Job(job.clone());
    let out = Outcome {
        job,
        succeeded,
        failed,
        t,
        indexed,
        per_index: spec.backoff_limit_per_index.is_some(),
    };

    // An interim condition already written is carried to its end, whatever happens since.
    let interim = |ty: &str| {
        old.conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == ty && c.status == "True")
            .map(|c| {
                (
                    c.reason.clone().unwrap_or_default(),
                    c.message.clone().unwrap_or_default(),
                )
            })
    };
    if let Some((reason, message)) = interim("SuccessCriteriaMet") {
        return finish(true, &reason, &message, st, &active, terminating, &out, cx);
    }
    if let Some((reason, message)) = interim("FailureTarget") {
        return finish(false, &reason, &message, st, &active, terminating, &out, cx);
    }

    // Suspension: no pods, the clock of activeDeadlineSeconds stops.
    if suspended {
        for p in &active {
            delete_pod(p, &owner, cx)?;
        }
        if !has_condition(&st, "Suspended") {
            let conds = st.conditions.get_or_insert_with(Vec::new);
            conds.retain(|c| c.type_ != "Suspended");
            conds.push(condition("Suspended", "True", "JobSuspended", "Job suspended", now));
            event(&owner, cx, EventType::Normal, "Suspended", "Job suspended");
        }
        return out.write(st, 0, cx);
    }
    if let Some(c) = st
        .conditions
        .as_mut()
        .and_then(|cs| cs.iter_mut().find(|c| c.type_ == "Suspended" && c.status == "True"))
    {
        *c = condition("Suspended", "False", "JobResumed", "Job resumed", now);
        st.start_time = Some(api_time(now));
        event(&owner, cx, EventType::Normal, "Resumed", "Job resumed");
    }
    if st.start_time.is_none() {
        st.start_time = Some(api_time(now));
    }
    let start = st.start_time.as_ref().map_or(now, from_api_time);

    // Failure, in upstream's order: a FailJob rule, the backoff limit, the active deadline,
    // then (backoffLimitPerIndex) too many failed indexes, or every index done and some failed.
    let limit = spec.backoff_limit.unwrap_or(6);
    let on_failure = spec.template.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) == Some("OnFailure");
    let restarts: i32 = active
        .iter()
        .filter(|p| matches!(phase(p), "Running" | "Pending"))
        .map(|p| {
            let st = p.status.as_ref();
            st.and_then(|s| s.container_statuses.as_ref())
                .into_iter()
                .flatten()
                .chain(
                    st.and_then(|s| s.init_container_statuses.as_ref())
                        .into_iter()
                        .flatten(),
                )
                .map(|c| c.restart_count)
                .fold(0i32, i32::saturating_add)
        })
        .fold(0, i32::saturating_add);
    let past_limit = failed > limit || (on_failure && if limit == 0 { restarts > 0 } else { restarts >= limit });
    let deadline = spec.active_deadline_seconds.map(|s| start.saturating_add(seconds(s)));
    let completions = spec.completions.unwrap_or(0);
    let failed_indexes = crate::num::i32_of(t.failed_indexes.len());
    let all_indexes_done = crate::num::i32_of(t.succeeded_indexes.len()).saturating_add(failed_indexes) >= completions;
    let failure: Option<(&str, String)> = if let Some(m) = &t.fail_job {
        Some(("PodFailurePolicy", m.clone()))
    } else if past_limit {
        Some((
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit".into(),
        ))
    } else if deadline.is_some_and(|d| now >= d) {
        Some((
            "DeadlineExceeded",
            "Job was active longer than specified deadline".into(),
        ))
    } else if out.per_index && spec.max_failed_indexes.is_some_and(|m| failed_indexes > m) {
        Some((
            "MaxFailedIndexesExceeded",
            "Job has exceeded the specified maximal number of failed indexes".into(),
        ))
    } else if out.per_index && failed_indexes > 0 && all_indexes_done {
        Some(("FailedIndexes", "Job has failed indexes".into()))
    } else {
        None
    };
    if let Some((reason, message)) = failure {
        let conds = st.conditions.get_or_insert_with(Vec::new);
        conds.push(condition("FailureTarget", "True", reason, &message, now));
        return finish(false, reason, &message, st, &active, terminating, &out, cx);
    }
    if let Some(d) = deadline {
        cx.after(d.saturating_sub(now), key.clone());
    }

    // Success: a successPolicy rule, or the completions reached.
    let policy = if indexed {
        job_policy::match_success_policy(&spec, &t.succeeded_indexes)
    } else {
        None
    };
    let reached = match spec.completions {
        Some(c) => succeeded >= c && active.is_empty(),
        None => succeeded > 0 && active.is_empty(),
    };
    let success = match policy {
        Some(i) => Some(("SuccessPolicy", format!("Matched rules at index {i}"))),
        None if reached => Some(("CompletionsReached", "Reached expected number of succeeded pods".into())),
        None => None,
    };
    if let Some((reason, message)) = success {
        let conds = st.conditions.get_or_insert_with(Vec::new);
        conds.push(condition("SuccessCriteriaMet", "True", reason, &message, now));
        return finish(true, reason, &message, st, &active, terminating, &out, cx);
    }

    // manageJob: how many pods should run.
    let parallelism = spec.parallelism.unwrap_or(1).max(0);
    let want = match spec.completions {
        None if succeeded > 0 => crate::num::i32_of(active.len()),
        None => parallelism,
        Some(c) if indexed => {
            let left = c
                .saturating_sub(crate::num::i32_of(t.succeeded_indexes.len()))
                .saturating_sub(failed_indexes);
            left.min(parallelism).max(0)
        }
        Some(c) => c.saturating_sub(succeeded).min(parallelism).max(0),
    };
    // With `podReplacementPolicy: Failed` a pod still terminating holds its place.
    let waiting_on = if spec.pod_replacement_policy.as_deref() == Some("Failed") {
        terminating
    } else {
        0
    };
    let have = crate::num::i32_of(active.len());
    let mut active_now = have;
    if have > want {
        let excess = crate::num::usize_of_i32(have - want);
        let owned: Vec<Pod> = active.iter().map(|p| (*p).clone()).collect();
        for p in super::replicaset::pods_to_delete(&owned, excess, now) {
            delete_pod(p, &owner, cx)?;
            active_now = active_now.saturating_sub(1);
        }
    } else if want > have.saturating_add(waiting_on) {
        let n = crate::num::usize_of_i32(want - have - waiting_on).min(MAX_PER_SYNC);
        let mut wait: Option<Millis> = None;
        let indexes: Vec<Option<i32>> = if indexed {
            let busy: BTreeSet<i32> = pods
                .iter()
                .filter(|p| !matches!(phase(p), "Succeeded" | "Failed"))
                .filter_map(index_of)
                .collect();
            let mut v = Vec::new();
            for i in 0..completions {
                if v.len() >= n {
                    break;
                }
                if t.succeeded_indexes.contains(&i) || t.failed_indexes.contains(&i) || busy.contains(&i) {
                    continue;
                }
                // With backoffLimitPerIndex each index backs off on its own failures.
                let remaining = match t.index_failures.get(&i).filter(|_| out.per_index) {
                    Some(f) => backoff_remaining(u32::try_from(f.counted).unwrap_or(0), f.last, now),
                    None => 0,
                };
                if remaining > 0 {
                    wait = Some(wait.map_or(remaining, |w: Millis| w.min(remaining)));
                    continue;
                }
                v.push(Some(i));
            }
            v
        } else {
            vec![None; n]
        };
        let remaining = if out.per_index {
            0
        } else {
            backoff_remaining(t.failures_after_success, t.last_failure, now)
        };
        if remaining > 0 {
            cx.after(remaining.max(SECOND), key.clone());
        } else {
            if let Some(w) = wait {
                cx.after(w.max(SECOND), key.clone());
            }
            for index in indexes {
                match create_pod(job, index, t, &owner, cx) {
                    Ok(()) => active_now = active_now.saturating_add(1),
                    Err(e) => {
                        out.write(st, active_now, cx)?;
                        return Err(e);
                    }
                }
            }
        }
    }
    out.write(st, active_now, cx)
}

/// The counts a status write carries.
struct Outcome<'a> {
    job: &'a Job,
    succeeded: i32,
    failed: i32,
    t: &'a Tracking,
    indexed: bool,
    per_index: bool,
}

fn event(owner: &Object, cx: &mut Cx<'_>, ty: EventType, reason: &str, msg: &str) {
    cx.api.record_event(owner, None, ty, reason, msg, &SOURCE);
}

/// The Job has met its success criteria or its failure target: its remaining pods are
/// deleted, and the final condition (`Complete` or `Failed`) follows once none is left.
#[allow(clippy::too_many_arguments)]
fn finish(
    success: bool,
    reason: &str,
    message: &str,
    mut st: JobStatus,
    active: &[&Pod],
    terminating: i32,
    out: &Outcome<'_>,
    cx: &mut Cx<'_>,
) -> Result<(), ApiError> {
    let owner = Object::Job(out.job.clone());
    for p in active {
        delete_pod(p, &owner, cx)?;
    }
    let now = cx.now;
    if terminating > 0 || !active.is_empty() {
        return out.write(st, 0, cx);
    }
    let conds = st.conditions.get_or_insert_with(Vec::new);
    if success {
        conds.push(condition("Complete", "True", reason, message, now));
        st.completion_time = Some(api_time(now));
        out.write(st, 0, cx)?;
        event(&owner, cx, EventType::Normal, "Completed", "Job completed");
    } else {
        conds.push(condition("Failed", "True", reason, message, now));
        out.write(st, 0, cx)?;
        event(&owner, cx, EventType::Warning, reason, message);
    }
    Ok(())
}

impl Outcome<'_> {
    fn write(&self, mut st: JobStatus, active: i32, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        st.active = (active > 0).then_some(active);
        st.succeeded = (self.succeeded > 0).then_some(self.succeeded);
        st.failed = (self.failed > 0).then_some(self.failed);
        if self.indexed {
            st.completed_indexes = Some(interval_string(&self.t.succeeded_indexes));
        }
        if self.per_index {
            st.failed_indexes = Some(interval_string(&self.t.failed_indexes));
        }
        if self.job.status.as_ref() == Some(&st) {
            return Ok(());
        }
        let mut next = self.job.clone();
        next.status = Some(st);
        cx.api.update_status(&Object::Job(next))?;
        Ok(())
    }
}

fn create_pod(job: &Job, index: Option<i32>, t: &Tracking, owner: &Object, cx: &mut Cx<'_>) -> Result<(), ApiError> {
    let template = job.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let mut pod = podutil::pod_from_template(&template, owner);
    let name = job.metadata.name.clone().unwrap_or_default();
    if let Some(i) = index {
        pod.metadata.generate_name = Some(format!("{name}-{i}-"));
        pod.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(INDEX_KEY.into(), i.to_string());
        if job.spec.as_ref().is_some_and(|s| s.backoff_limit_per_index.is_some()) {
            let f = t.index_failures.get(&i).copied().unwrap_or_default();
            let notes = pod.metadata.annotations.get_or_insert_with(Default::default);
            notes.insert(FAILURE_COUNT.into(), f.counted.to_string());
            notes.insert(IGNORED_COUNT.into(), f.ignored.to_string());
        }
        pod.metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert(INDEX_KEY.into(), i.to_string());
        if let Some(spec) = pod.spec.as_mut() {
            spec.hostname = Some(format!("{name}-{i}"));
            let env = EnvVar {
                name: "JOB_COMPLETION_INDEX".into(),
                value: None,
                value_from: Some(EnvVarSource {
                    field_ref: Some(ObjectFieldSelector {
                        api_version: None,
                        field_path: format!("metadata.labels['{INDEX_KEY}']"),
                    }),
                    ..Default::default()
                }),
            };
            for c in spec
                .init_containers
                .iter_mut()
                .flatten()
                .chain(spec.containers.iter_mut())
            {
                let vars = c.env.get_or_insert_with(Vec::new);
                if !vars.iter().any(|v| v.name == env.name) {
                    vars.push(env.clone());
                }
            }
        }
    }
    match cx.api.create(Object::Pod(pod)) {
        Ok(p) => {
            let msg = format!("Created pod: {}", p.name());
            cx.api
                .record_event(owner, None, EventType::Normal, "SuccessfulCreate", &msg, &SOURCE);
            Ok(())
        }
        Err(e) => {
            let msg = format!("Error creating: {}", e.message);
            cx.api
                .record_event(owner, None, EventType::Warning, "FailedCreate", &msg, &SOURCE);
            Err(e)
        }
    }
}

fn delete_pod(p: &Pod, owner: &Object, cx: &mut Cx<'_>) -> Result<(), ApiError> {
    let key = ObjectKey::new(
        Kind::Pod,
        p.metadata.namespace.as_deref().unwrap_or(""),
        p.metadata.name.as_deref().unwrap_or(""),
    );
    match cx.api.delete(&key, None) {
        Ok(_) => {
            let msg = format!("Deleted pod: {}", key.name);
            cx.api
                .record_event(owner, None, EventType::Normal, "SuccessfulDelete", &msg, &SOURCE);
            Ok(())
        }
        Err(e) if e.reason == crate::api::Reason::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completed_indexes_read_as_intervals() {
        let s: BTreeSet<i32> = [0, 1, 2, 4, 6, 7].into();
        assert_eq!(interval_string(&s), "0-2,4,6,7");
    }

    #[test]
    fn pod_backoff_doubles_from_ten_seconds_to_ten_minutes() {
        let waits: Vec<Millis> = (1..=8).map(|n| backoff_remaining(n, 0, 0) / SECOND).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 600, 600]);
    }
}
