//! The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go): at each scheduled
//! minute of the virtual clock a Job named `<cronjob>-<minutes since the epoch>`, unless
//! suspended, too late for `startingDeadlineSeconds`, or held back by `concurrencyPolicy`
//! (Forbid waits, Replace deletes the running Job); finished Jobs leave `status.active` and the
//! oldest beyond the history limits are deleted. It wakes 100 ms after each scheduled time.

use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::cron::{Schedule, load_location};
use super::podutil::{controller_of, controller_ref};
use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::sim::clock::{EPOCH_SECONDS, Millis, SECOND, api_time, from_api_time};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent};

const SOURCE: Source = Source {
    component: "cronjob-controller",
    host: None,
};

/// `nextScheduleDelta`.
const NEXT_DELTA: Millis = 100;

pub struct CronJobController;

impl Controller for CronJobController {
    fn name(&self) -> &'static str {
        "cronjob-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::CronJob, Kind::Job]
    }

    fn keys(&self, ev: &WatchEvent, _store: &Store, out: &mut Wakes) {
        match &ev.object {
            Object::CronJob(_) => out.push((ev.key.clone(), 0)),
            Object::Job(j) => {
                if let Some(r) = controller_of(&j.metadata).filter(|r| r.kind == "CronJob") {
                    out.push((ObjectKey::new(Kind::CronJob, &ev.key.namespace, &r.name), 0));
                }
            }
            _ => {}
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::CronJob(cj)) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        sync(cj, key, cx)
    }
}

/// Go's `Format(time.RFC3339)` of an instant in a zone: `Z` for a zero offset.
fn rfc3339_in(t: k8s_openapi::jiff::Timestamp, tz: &k8s_openapi::jiff::tz::TimeZone) -> String {
    let z = t.to_zoned(tz.clone());
    let offset = z.offset().seconds();
    let local = z.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    if offset == 0 {
        return format!("{local}Z");
    }
    let (sign, abs) = if offset < 0 {
        ('-', offset.unsigned_abs())
    } else {
        ('+', offset.unsigned_abs())
    };
    format!("{local}{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
}

/// Virtual milliseconds to Unix seconds and back.
fn unix(ms: Millis) -> i64 {
    EPOCH_SECONDS.saturating_add(crate::num::i64_of(ms / SECOND))
}

fn millis(unix_seconds: i64) -> Millis {
    crate::num::u64_clamped(unix_seconds.saturating_sub(EPOCH_SECONDS)).saturating_mul(SECOND)
}

fn job_finished(j: &Job) -> Option<&'static str> {
    for c in j.status.iter().flat_map(|s| s.conditions.iter().flatten()) {
        if c.status == "True" {
            match c.type_.as_str() {
                "Complete" => return Some("Complete"),
                "Failed" => return Some("Failed"),
                _ => {}
            }
        }
    }
    None
}

fn sync(mut cj: CronJob, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
    let ns = key.namespace.clone();
    let uid = cj.metadata.uid.clone().unwrap_or_default();
    let owner = Object::CronJob(cj.clone());
    let spec = cj.spec.clone().unwrap_or_default();
    let before = cj.status.clone();
    let status = cj.status.get_or_insert_with(Default::default);
    let store = cx.api.store();
    let jobs: Vec<Job> = store
        .get_all(store.indexes().controlled_by(Kind::Job, &ns, &uid))
        .filter_map(|o| match o {
            Object::Job(j) => Some(j.clone()),
            _ => None,
        })
        .collect();
    // Finished children leave the active list.
    let mut events: Vec<(EventType, &str, String)> = Vec::new();
    for j in &jobs {
        let Some(cond) = job_finished(j) else { continue };
        let name = j.metadata.name.clone().unwrap_or_default();
        let active = status.active.get_or_insert_with(Vec::new);
        if let Some(pos) = active.iter().position(|r| r.uid == j.metadata.uid) {
            active.remove(pos);
            events.push((
                EventType::Normal,
                "SawCompletedJob",
                format!("Saw completed job: {name}, condition: {cond}"),
            ));
        }
        if cond == "Complete"
            && let Some(done) = j.status.as_ref().and_then(|s| s.completion_time.clone())
            && status.last_successful_time.as_ref().is_none_or(|t| *t < done)
        {
            status.last_successful_time = Some(done);
        }
    }
    // Active references whose Job is gone.
    if let Some(active) = status.active.as_mut() {
        active.retain(|r| {
            let there = jobs.iter().any(|j| j.metadata.uid == r.uid);
            if !there {
                events.push((
                    EventType::Normal,
                    "MissingJob",
                    format!("Active job went missing: {}", r.name.clone().unwrap_or_default()),
                ));
            }
            there
        });
        if active.is_empty() {
            status.active = None;
        }
    }
    for (ty, reason, msg) in &events {
        cx.api.record_event(&owner, None, *ty, reason, msg, &SOURCE);
    }
    cleanup(&spec, &jobs, &owner, cx)?;
    if cj.metadata.deletion_timestamp.is_some() {
        return write(&cj, before.as_ref(), cx);
    }
    let tz = match load_location(spec.time_zone.as_deref().unwrap_or("")) {
        Ok(tz) => tz,
        Err(e) => {
            let msg = format!("invalid timeZone: {:?}: {e}", spec.time_zone.as_deref().unwrap_or(""));
            cx.api
                .record_event(&owner, None, EventType::Warning, "UnknownTimeZone", &msg, &SOURCE);
            return write(&cj, before.as_ref(), cx);
        }
    };
    if spec.suspend == Some(true) {
        return write(&cj, before.as_ref(), cx);
    }
    let schedule = match Schedule::parse(&spec.schedule) {
        Ok(s) => s,
        Err(e) => {
            let msg = format!("unparseable schedule: {:?} : {e}", spec.schedule);
            cx.api
                .record_event(&owner, None, EventType::Warning, "UnparseableSchedule", &msg, &SOURCE);
            return write(&cj, before.as_ref(), cx);
        }
    };
    let now = unix(cx.now);
    let status = cj.status.get_or_insert_with(Default::default);
    let created = cj.metadata.creation_timestamp.as_ref().map_or(0, from_api_time);
    let mut earliest = status
        .last_schedule_time
        .as_ref()
        .map_or(unix(created), |t| unix(from_api_time(t)));
    if let Some(sds) = spec.starting_deadline_seconds {
        earliest = earliest.max(now.saturating_sub(sds));
    }
    // The most recent unmet time at or before now; only the latest missed run starts.
    let mut scheduled = None;
    let mut missed = 0u32;
    let mut t = earliest;
    while let Some(next) = schedule.next(t, &tz) {
        if next > now {
            break;
        }
        scheduled = Some(next);
        missed = missed.saturating_add(1);
        t = next;
        if missed > 100_000 {
            break;
        }
    }
    // Wake 100 ms after the next scheduled time.
    let next_run = schedule.next(scheduled.unwrap_or(now).max(now.saturating_sub(1)), &tz);
    if let Some(next) = next_run {
        let at = millis(next).saturating_add(NEXT_DELTA);
        cx.after(at.saturating_sub(cx.now), key.clone());
    }
    let Some(scheduled) = scheduled else {
        return write(&cj, before.as_ref(), cx);
    };
    if missed > 100 {
        cx.api.record_event(
            &owner,
            None,
            EventType::Warning,
            "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
            &SOURCE,
        );
    }
    if let Some(sds) = spec.starting_deadline_seconds
        && scheduled.saturating_add(sds) < now
    {
        let when = crate::kubectl::describe::rfc1123z(&api_time(millis(scheduled)));
        let msg = format!("Missed scheduled time to start a job: {when}");
        cx.api
            .record_event(&owner, None, EventType::Warning, "MissSchedule", &msg, &SOURCE);
        return write(&cj, before.as_ref(), cx);
    }
    let name = format!("{}-{}", key.name, scheduled.div_euclid(60));
    let status = cj.status.get_or_insert_with(Default::default);
    let scheduled_time = api_time(millis(scheduled));
    if status.last_schedule_time.as_ref() == Some(&scheduled_time)
        || status
            .active
            .iter()
            .flatten()
            .any(|r| r.name.as_deref() == Some(name.as_str()))
    {
        return write(&cj, before.as_ref(), cx);
    }
    let active: Vec<ObjectReference> = status.active.clone().unwrap_or_default();
    match spec.concurrency_policy.as_deref().unwrap_or("Allow") {
        "Forbid" if !active.is_empty() => {
            cx.api.record_event(
                &owner,
                None,
                EventType::Normal,
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid",
                &SOURCE,
            );
            return write(&cj, before.as_ref(), cx);
        }
        "Replace" => {
            for r in &active {
                let job_key = ObjectKey::new(Kind::Job, &ns, r.name.as_deref().unwrap_or(""));
                match cx.api.delete(&job_key, None) {
                    Ok(_) => {
                        let msg = format!("Deleted job {}", job_key.name);
                        cx.api
                            .record_event(&owner, None, EventType::Normal, "SuccessfulDelete", &msg, &SOURCE);
                    }
                    Err(e) if e.reason == crate::api::Reason::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
            if let Some(s) = cj.status.as_mut() {
                s.active = None;
            }
        }
        _ => {}
    }
    let template = spec.job_template.clone();
    let tm = template.metadata.clone().unwrap_or_default();
    let mut annotations = tm.annotations.clone().unwrap_or_default();
    annotations.insert(
        "batch.kubernetes.io/cronjob-scheduled-timestamp".into(),
        rfc3339_in(scheduled_time.0, &tz),
    );
    let job = Job {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(ns.clone()),
            labels: tm.labels.clone(),
            annotations: Some(annotations),
            owner_references: Some(vec![controller_ref(&owner)]),
            ..Default::default()
        },
        spec: template.spec.clone(),
        status: None,
    };
    match cx.api.create(Object::Job(job)) {
        Ok(created) => {
            let msg = format!("Created job {name}");
            cx.api
                .record_event(&owner, None, EventType::Normal, "SuccessfulCreate", &msg, &SOURCE);
            let s = cj.status.get_or_insert_with(Default::default);
            s.active.get_or_insert_with(Vec::new).push(ObjectReference {
                api_version: Some("batch/v1".into()),
                kind: Some("Job".into()),
                name: Some(name),
                namespace: Some(ns),
                uid: created.meta().uid.clone(),
                resource_version: created.meta().resource_version.clone(),
                field_path: None,
            });
            s.last_schedule_time = Some(scheduled_time);
        }
        Err(e) if e.reason == crate::api::Reason::AlreadyExists => {}
        Err(e) => {
            let msg = format!("Error creating job: {}", e.message);
            cx.api
                .record_event(&owner, None, EventType::Warning, "FailedCreate", &msg, &SOURCE);
            write(&cj, before.as_ref(), cx)?;
            return Err(e);
        }
    }
    write(&cj, before.as_ref(), cx)
}

fn write(
    cj: &CronJob,
    before: Option<&k8s_openapi::api::batch::v1::CronJobStatus>,
    cx: &mut Cx<'_>,
) -> Result<(), ApiError> {
    if cj.status.as_ref() == before {
        return Ok(());
    }
    cx.api.update_status(&Object::CronJob(cj.clone()))?;
    Ok(())
}

/// `cleanupFinishedJobs`: the oldest finished Jobs beyond the history limits go.
fn cleanup(
    spec: &k8s_openapi::api::batch::v1::CronJobSpec,
    jobs: &[Job],
    owner: &Object,
    cx: &mut Cx<'_>,
) -> Result<(), ApiError> {
    for (cond, limit) in [
        ("Complete", spec.successful_jobs_history_limit.unwrap_or(3)),
        ("Failed", spec.failed_jobs_history_limit.unwrap_or(1)),
    ] {
        let mut finished: Vec<&Job> = jobs
            .iter()
            .filter(|j| j.metadata.deletion_timestamp.is_none() && job_finished(j) == Some(cond))
            .collect();
        let limit = crate::num::usize_of_i32(limit);
        if finished.len() <= limit {
            continue;
        }
        finished.sort_by(|a, b| {
            let start = |j: &Job| j.status.as_ref().and_then(|s| s.start_time.clone());
            match (start(a), start(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
        });
        for j in finished.iter().take(finished.len() - limit) {
            let key = ObjectKey::of(&Object::Job((*j).clone()));
            match cx.api.delete(&key, None) {
                Ok(_) => {
                    let msg = format!("Deleted job {}", key.name);
                    cx.api
                        .record_event(owner, None, EventType::Normal, "SuccessfulDelete", &msg, &SOURCE);
                }
                Err(e) if e.reason == crate::api::Reason::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}
