//! `kubectl rollout status|history|undo|restart|pause|resume` for Deployments
//! (staging/src/k8s.io/kubectl/pkg/cmd/rollout and pkg/polymorphichelpers). `status` follows
//! the Deployment as a watch would, printing its status line on every change until the rollout
//! completes, its progress deadline passes, or `--timeout` runs out.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;

use crate::api::ApiError;
use crate::cluster::{Idle, World};
use crate::kubectl::flags::{self, flag};
use crate::kubectl::printers::tabwriter::TabWriter;
use crate::kubectl::resources::{Selection, parse_args};
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};
use crate::sim::clock::{Millis, api_time, parse_sleep};
use crate::store::{Kind, Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[
    flag("watch", Some('w'), true),
    flag("timeout", None, true),
    flag("to-revision", None, true),
    flag("revision", None, true),
    flag("output", Some('o'), true),
];

const REVISION: &str = "deployment.kubernetes.io/revision";
const HASH_LABEL: &str = "pod-template-hash";
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
/// Annotations an undo leaves as they are on the Deployment (`annotationsToSkip`).
const SKIP: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let Some(i) = args.iter().position(|a| !a.starts_with('-')) else {
        return Err(CmdError::Msg("Manage the rollout of one or many resources.\n\nAvailable Commands:\n  history       View rollout history\n  pause         Mark the provided resource as paused\n  restart       Restart a resource\n  resume        Resume a paused resource\n  status        Show the status of the rollout\n  undo          Undo a previous rollout\n".into()));
    };
    let sub = args[i].clone();
    let mut rest = args.to_vec();
    rest.remove(i);
    let cmd = format!("rollout {sub}");
    let p = flags::parse(&rest, FLAGS).map_err(|e| flag_error(&cmd, e))?;
    let ns = ctx.namespace(&p);
    let keys: Vec<ObjectKey> = match parse_args(&p.args).map_err(CmdError::Msg)? {
        Selection::Names(names) => names.into_iter().map(|(k, n)| ObjectKey::new(k, &ns, &n)).collect(),
        Selection::Types(kinds) if kinds.is_empty() => {
            return Err(CmdError::Msg("required resource not specified".into()));
        }
        Selection::Types(_) => {
            return Err(usage_error(
                &cmd,
                "resource(s) were provided, but no name was specified",
            ));
        }
    };
    let mut errors = Vec::new();
    for key in keys {
        let result = match sub.as_str() {
            "status" => status(&key, &p, ctx),
            "history" => history(&key, &p, ctx),
            "undo" => undo(&key, &p, ctx),
            "restart" => restart(&key, ctx),
            "pause" => pause(&key, true, ctx),
            "resume" => pause(&key, false, ctx),
            other => {
                return Err(CmdError::Msg(format!(
                    "unknown command {other:?} for \"kubectl rollout\""
                )));
            }
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}

fn deployment(key: &ObjectKey, world: &World) -> Result<Deployment, CmdError> {
    match world.api().store().get(key) {
        Some(Object::Deployment(d)) => Ok(d.clone()),
        Some(_) => Err(CmdError::Msg(format!(
            "no status viewer has been implemented for {}",
            key.kind.name()
        ))),
        None => Err(ApiError::not_found(&key.kind.info().resource_group(), &key.name).into()),
    }
}

/// The status viewer of a kind (`polymorphichelpers.StatusViewerFor`): the line to print and
/// whether the rollout is done.
fn status_of(obj: &Object) -> Result<(String, bool), CmdError> {
    match obj {
        Object::Deployment(d) => status_line(d),
        Object::StatefulSet(s) => stateful_set_status(s),
        Object::DaemonSet(d) => daemon_set_status(d),
        other => Err(CmdError::Msg(format!(
            "no status viewer has been implemented for {}",
            group_kind(other.kind())
        ))),
    }
}

/// `Kind.group` as a GroupKind prints (`Pod`, `ConfigMap`, `CronJob.batch`).
fn group_kind(kind: Kind) -> String {
    let info = kind.info();
    if info.group.is_empty() {
        kind.name().to_string()
    } else {
        format!("{}.{}", kind.name(), info.group)
    }
}

/// `StatefulSetStatusViewer.Status`.
fn stateful_set_status(s: &k8s_openapi::api::apps::v1::StatefulSet) -> Result<(String, bool), CmdError> {
    let spec = s.spec.clone().unwrap_or_default();
    let st = s.status.clone().unwrap_or_default();
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    if strategy.type_.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
        return Err(CmdError::Msg(
            "rollout status is only available for RollingUpdate strategy type".into(),
        ));
    }
    if st.observed_generation.unwrap_or(0) == 0 || s.metadata.generation > st.observed_generation {
        return Ok(("Waiting for statefulset spec update to be observed...\n".into(), false));
    }
    let want = spec.replicas.unwrap_or(1);
    let ready = st.ready_replicas.unwrap_or(0);
    if ready < want {
        return Ok((format!("Waiting for {} pods to be ready...\n", want - ready), false));
    }
    if let Some(partition) = strategy.rolling_update.as_ref().and_then(|r| r.partition) {
        let updated = st.updated_replicas.unwrap_or(0);
        if updated < want - partition {
            return Ok((
                format!(
                    "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...\n",
                    want - partition
                ),
                false,
            ));
        }
        return Ok((
            format!("partitioned roll out complete: {updated} new pods have been updated...\n"),
            true,
        ));
    }
    let update = st.update_revision.clone().unwrap_or_default();
    if Some(&update) != st.current_revision.as_ref() {
        return Ok((
            format!(
                "waiting for statefulset rolling update to complete {} pods at revision {update}...\n",
                st.updated_replicas.unwrap_or(0)
            ),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {}...\n",
            st.current_replicas.unwrap_or(0),
            st.current_revision.unwrap_or_default()
        ),
        true,
    ))
}

/// `DaemonSetStatusViewer.Status`.
fn daemon_set_status(d: &k8s_openapi::api::apps::v1::DaemonSet) -> Result<(String, bool), CmdError> {
    let name = d.metadata.name.clone().unwrap_or_default();
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let ty = spec
        .update_strategy
        .as_ref()
        .and_then(|u| u.type_.as_deref())
        .unwrap_or("RollingUpdate");
    if ty != "RollingUpdate" {
        return Err(CmdError::Msg(
            "rollout status is only available for RollingUpdate strategy type".into(),
        ));
    }
    if d.metadata.generation > st.observed_generation {
        return Ok(("Waiting for daemon set spec update to be observed...\n".into(), false));
    }
    let updated = st.updated_number_scheduled.unwrap_or(0);
    if updated < st.desired_number_scheduled {
        return Ok((
            format!(
                "Waiting for daemon set {name:?} rollout to finish: {updated} out of {} new pods have been updated...\n",
                st.desired_number_scheduled
            ),
            false,
        ));
    }
    let available = st.number_available.unwrap_or(0);
    if available < st.desired_number_scheduled {
        return Ok((
            format!(
                "Waiting for daemon set {name:?} rollout to finish: {available} of {} updated pods are available...\n",
                st.desired_number_scheduled
            ),
            false,
        ));
    }
    Ok((format!("daemon set {name:?} successfully rolled out\n"), true))
}

/// `DeploymentStatusViewer.Status`.
fn status_line(d: &Deployment) -> Result<(String, bool), CmdError> {
    let name = d.metadata.name.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    if d.metadata.generation > st.observed_generation {
        return Ok(("Waiting for deployment spec update to be observed...\n".into(), false));
    }
    let progressing = st.conditions.iter().flatten().find(|c| c.type_ == "Progressing");
    if progressing.and_then(|c| c.reason.as_deref()) == Some("ProgressDeadlineExceeded") {
        return Err(CmdError::Msg(format!(
            "deployment {name:?} exceeded its progress deadline"
        )));
    }
    let want = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let updated = st.updated_replicas.unwrap_or(0);
    let replicas = st.replicas.unwrap_or(0);
    let available = st.available_replicas.unwrap_or(0);
    let waiting = |m: String| {
        Ok((
            format!("Waiting for deployment {name:?} rollout to finish: {m}...\n"),
            false,
        ))
    };
    if updated < want {
        return waiting(format!("{updated} out of {want} new replicas have been updated"));
    }
    if replicas > updated {
        return waiting(format!("{} old replicas are pending termination", replicas - updated));
    }
    if available < updated {
        return waiting(format!("{available} of {updated} updated replicas are available"));
    }
    Ok((format!("deployment {name:?} successfully rolled out\n"), true))
}

fn status(key: &ObjectKey, p: &flags::Parsed, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let watch = p.get("watch").is_none_or(|w| w == "true");
    let timeout: Option<Millis> = match p.get("timeout") {
        None | Some("0" | "0s") => None,
        Some(t) => Some(parse_sleep(t).ok_or_else(|| {
            CmdError::Msg(format!(
                "invalid argument {t:?} for \"--timeout\" flag: time: invalid duration {t:?}"
            ))
        })?),
    };
    ctx.world.settle();
    let Some(obj) = ctx.world.api().store().get(key).cloned() else {
        return Err(ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
    };
    let (line, done) = status_of(&obj)?;
    ctx.out.out(line);
    if done || !watch {
        return Ok(());
    }
    let mut seen = obj.meta().resource_version.clone();
    let mut lines: Vec<Result<(String, bool), CmdError>> = Vec::new();
    // Without --timeout kubectl watches forever; the terminal gives control back after an hour
    // of virtual time (a rollout stuck on an unschedulable pod keeps retrying, and simulating
    // days of heartbeats would freeze the page), or at once when nothing works towards it.
    let deadline = ctx
        .world
        .now()
        .saturating_add(timeout.unwrap_or(crate::cluster::WAIT_LIMIT));
    let idle = if timeout.is_some() {
        Idle::PassTime
    } else {
        Idle::GiveUp
    };
    // Every change to the object is a watch event, and each prints its status line.
    let finished = ctx.world.wait_until(deadline, idle, |w| {
        let Some(obj) = w.api().store().get(key) else {
            lines.push(Err(CmdError::Msg("object has been deleted".into())));
            return true;
        };
        if obj.meta().resource_version == seen {
            return false;
        }
        seen = obj.meta().resource_version.clone();
        let r = status_of(obj);
        let stop = r.as_ref().map_or(true, |(_, done)| *done);
        lines.push(r);
        stop
    });
    for l in lines {
        ctx.out.out(l?.0);
    }
    if !finished && (timeout.is_some() || ctx.world.now() >= deadline) {
        return Err(CmdError::Msg("timed out waiting for the condition".into()));
    }
    Ok(())
}

/// The Deployment's ReplicaSets, as `deploymentutil.GetAllReplicaSets` finds them.
fn replica_sets(d: &Deployment, world: &World) -> Vec<ReplicaSet> {
    let ns = d.metadata.namespace.clone().unwrap_or_default();
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let store = world.api().store();
    store
        .get_all(store.indexes().controlled_by(Kind::ReplicaSet, &ns, &uid))
        .filter_map(|o| match o {
            Object::ReplicaSet(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn revision_of(rs: &ReplicaSet) -> Option<i64> {
    rs.metadata.annotations.as_ref()?.get(REVISION)?.parse().ok()
}

/// One revision of a workload's history: its template and the annotations it carries.
struct Revision {
    template: PodTemplateSpec,
    annotations: BTreeMap<String, String>,
}

/// The revisions of a Deployment (its ReplicaSets) or of a StatefulSet or DaemonSet (its
/// ControllerRevisions), by number (`polymorphichelpers.HistoryViewerFor`).
fn revisions(key: &ObjectKey, world: &World) -> Result<BTreeMap<i64, Revision>, CmdError> {
    let Some(obj) = world.api().store().get(key) else {
        return Err(ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
    };
    let mut out = BTreeMap::new();
    match obj {
        Object::Deployment(d) => {
            for rs in replica_sets(d, world) {
                if let Some(r) = revision_of(&rs) {
                    let template = rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
                    let annotations = rs.metadata.annotations.clone().unwrap_or_default();
                    out.insert(r, Revision { template, annotations });
                }
            }
        }
        Object::StatefulSet(_) | Object::DaemonSet(_) => {
            let store = world.api().store();
            let uid = obj.meta().uid.clone().unwrap_or_default();
            for o in store.get_all(
                store
                    .indexes()
                    .controlled_by(Kind::ControllerRevision, &key.namespace, &uid),
            ) {
                if let Object::ControllerRevision(cr) = o {
                    let mut t = cr
                        .data
                        .as_ref()
                        .and_then(|d| d.0.pointer("/spec/template").cloned())
                        .unwrap_or_default();
                    if let Some(m) = t.as_object_mut() {
                        m.remove("$patch");
                    }
                    let template = serde_json::from_value(t).unwrap_or_default();
                    let annotations = cr.metadata.annotations.clone().unwrap_or_default();
                    out.insert(cr.revision, Revision { template, annotations });
                }
            }
        }
        other => {
            return Err(CmdError::Msg(format!(
                "no history viewer has been implemented for {}",
                group_kind(other.kind())
            )));
        }
    }
    Ok(out)
}

fn history(key: &ObjectKey, p: &flags::Parsed, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let by_revision = revisions(key, ctx.world)?;
    let kg = key.kind.info().kind_group();
    let want: i64 = match p.get("revision") {
        None => 0,
        Some(v) => v.parse().map_err(|_| {
            CmdError::Msg(format!(
                "invalid argument {v:?} for \"--revision\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"
            ))
        })?,
    };
    if want > 0 {
        let Some(rev) = by_revision.get(&want) else {
            return Err(CmdError::Msg("unable to find the specified revision".into()));
        };
        // The template goes into a plain buffer: its tabs are printed as they are.
        let mut w = crate::kubectl::describe::Writer::default();
        crate::kubectl::describe::pod_template(&mut w, &rev.template);
        ctx.out
            .out(format!("{kg}/{} with revision #{want}\n{}\n", key.name, w.raw()));
        return Ok(());
    }
    if by_revision.is_empty() {
        ctx.out.out(format!("{kg}/{} \nNo rollout history found.\n", key.name));
        return Ok(());
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for (r, rev) in &by_revision {
        let cause = rev
            .annotations
            .get(CHANGE_CAUSE)
            .filter(|c| !c.is_empty())
            .map_or("<none>", String::as_str);
        table.push_str(&format!("{r}\t{cause}\n"));
    }
    ctx.out
        .out(format!("{kg}/{} \n{}\n", key.name, TabWriter::DESCRIBE.format(&table)));
    Ok(())
}

/// `StatefulSetRollbacker` / `DaemonSetRollbacker`: the revision's template goes back into the
/// object.
fn undo_from_revisions(key: &ObjectKey, to: i64, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let revs = revisions(key, ctx.world)?;
    let target = if to > 0 {
        revs.get(&to)
            .ok_or_else(|| CmdError::Msg(format!("unable to find specified revision {to} in history")))?
    } else {
        revs.values()
            .rev()
            .nth(1)
            .ok_or_else(|| CmdError::Msg("no last revision to roll back to".into()))?
    };
    let Some(mut obj) = ctx.world.api().store().get(key).cloned() else {
        return Err(ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
    };
    let template = match &mut obj {
        Object::StatefulSet(s) => s.spec.as_mut().map(|s| &mut s.template),
        Object::DaemonSet(d) => d.spec.as_mut().map(|s| &mut s.template),
        _ => None,
    };
    let kg = key.kind.info().kind_group();
    let Some(template) = template else {
        return Err(CmdError::Msg(format!("no rollbacker has been implemented for {kg}")));
    };
    if *template == target.template {
        ctx.out.out(format!(
            "{kg}/{} skipped rollback (current template already matches revision {to})\n",
            key.name
        ));
        return Ok(());
    }
    *template = target.template.clone();
    ctx.world.api_mut().update(obj)?;
    ctx.out.out(format!("{kg}/{} rolled back\n", key.name));
    Ok(())
}

fn undo(key: &ObjectKey, p: &flags::Parsed, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let to: i64 = match p.get("to-revision") {
        None => 0,
        Some(v) => v.parse().map_err(|_| {
            CmdError::Msg(format!(
                "invalid argument {v:?} for \"--to-revision\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"
            ))
        })?,
    };
    if key.kind != Kind::Deployment {
        return undo_from_revisions(key, to, ctx);
    }
    let mut d = deployment(key, ctx.world)?;
    if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
        return Err(CmdError::Msg(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"
                .into(),
        ));
    }
    let rss = replica_sets(&d, ctx.world);
    let target = if to > 0 {
        rss.iter()
            .find(|r| revision_of(r) == Some(to))
            .cloned()
            .ok_or_else(|| CmdError::Msg(format!("unable to find specified revision {to} in history")))?
    } else {
        // The second newest revision.
        let mut revs: Vec<(i64, &ReplicaSet)> = rss.iter().filter_map(|r| revision_of(r).map(|v| (v, r))).collect();
        revs.sort_by_key(|(v, _)| std::cmp::Reverse(*v));
        revs.get(1)
            .map(|(_, r)| (*r).clone())
            .ok_or_else(|| CmdError::Msg(format!("no rollout history found for deployment {:?}", key.name)))?
    };
    let mut template = target
        .spec
        .as_ref()
        .and_then(|s| s.template.clone())
        .unwrap_or_default();
    if let Some(l) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        l.remove(HASH_LABEL);
    }
    let kg = key.kind.info().kind_group();
    let current = d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    if template == current {
        ctx.out.out(format!(
            "{kg}/{} skipped rollback (current template already matches revision {to})\n",
            key.name
        ));
        return Ok(());
    }
    let mut annotations: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in d.metadata.annotations.iter().flatten() {
        if SKIP.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    for (k, v) in target.metadata.annotations.iter().flatten() {
        if !SKIP.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    d.metadata.annotations = Some(annotations);
    if let Some(s) = d.spec.as_mut() {
        s.template = template;
    }
    ctx.world.api_mut().update(Object::Deployment(d))?;
    ctx.out.out(format!("{kg}/{} rolled back\n", key.name));
    Ok(())
}

fn restart(key: &ObjectKey, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let Some(mut obj) = ctx.world.api().store().get(key).cloned() else {
        return Err(ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
    };
    let rg = key.kind.info().resource_group();
    if let Object::Deployment(d) = &obj
        && d.spec.as_ref().and_then(|s| s.paused) == Some(true)
    {
        return Err(CmdError::Msg(format!(
            "{rg} {:?} can't restart paused deployment (run rollout resume first)",
            key.name
        )));
    }
    let now = api_time(ctx.world.now()).0.to_string();
    let template = match &mut obj {
        Object::Deployment(d) => d.spec.as_mut().map(|s| &mut s.template),
        Object::StatefulSet(s) => s.spec.as_mut().map(|s| &mut s.template),
        Object::DaemonSet(d) => d.spec.as_mut().map(|s| &mut s.template),
        _ => None,
    };
    let Some(template) = template else {
        return Err(CmdError::Msg(format!(
            "{rg} {:?} restarting is not supported",
            key.name
        )));
    };
    template
        .metadata
        .get_or_insert_with(Default::default)
        .annotations
        .get_or_insert_with(BTreeMap::new)
        .insert("kubectl.kubernetes.io/restartedAt".into(), now);
    ctx.world.api_mut().update(obj)?;
    ctx.out
        .out(format!("{}/{} restarted\n", key.kind.info().kind_group(), key.name));
    Ok(())
}

fn pause(key: &ObjectKey, pause: bool, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let rg = key.kind.info().resource_group();
    if key.kind != Kind::Deployment {
        ctx.world
            .api()
            .store()
            .get(key)
            .ok_or_else(|| CmdError::from(ApiError::not_found(&rg, &key.name)))?;
        let verb = if pause { "pausing" } else { "resuming" };
        return Err(CmdError::Msg(format!("{rg} {:?} {verb} is not supported", key.name)));
    }
    let mut d = deployment(key, ctx.world)?;
    let paused = d.spec.as_ref().and_then(|s| s.paused) == Some(true);
    if paused == pause {
        let state = if pause { "already paused" } else { "not paused" };
        return Err(CmdError::Msg(format!("{rg} {:?} is {state}", key.name)));
    }
    if let Some(s) = d.spec.as_mut() {
        s.paused = pause.then_some(true);
    }
    ctx.world.api_mut().update(Object::Deployment(d))?;
    let verb = if pause { "paused" } else { "resumed" };
    ctx.out
        .out(format!("{}/{} {verb}\n", key.kind.info().kind_group(), key.name));
    Ok(())
}
