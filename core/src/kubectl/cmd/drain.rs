//! `kubectl cordon`, `uncordon` and `drain` (staging/src/k8s.io/kubectl/pkg/cmd/drain,
//! pkg/drain). Drain cordons the node, refuses pods it must not remove (DaemonSet pods without
//! `--ignore-daemonsets`, pods with emptyDir without `--delete-emptydir-data`, pods no
//! controller would recreate without `--force`), then evicts the rest through the eviction API,
//! retrying every 5 s while a PodDisruptionBudget refuses, and waits until they are gone.
//!
//! Upstream evicts each pod from its own goroutine, so the order of the `evicting pod` lines
//! varies between runs; here they follow the API's list order, which a real run usually shows.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;

use crate::api::Reason;
use crate::cluster::Idle;
use crate::kubectl::flags::{self, flag};
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};
use crate::sim::clock::{Millis, SECOND, go_duration, parse_sleep};
use crate::store::{Kind, Object, ObjectKey};

const CORDON_FLAGS: &[flags::FlagSpec] = &[flag("dry-run", None, true), flag("selector", Some('l'), true)];

const DRAIN_FLAGS: &[flags::FlagSpec] = &[
    flag("force", None, false),
    flag("ignore-daemonsets", None, false),
    flag("delete-emptydir-data", None, false),
    flag("grace-period", None, true),
    flag("timeout", None, true),
    flag("pod-selector", None, true),
    flag("selector", Some('l'), true),
    flag("disable-eviction", None, false),
    flag("dry-run", None, true),
];

/// `EvictErrorRetryDelay`.
const RETRY: Millis = 5 * SECOND;

fn cordon_one(name: &str, desired: bool, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let Some(Object::Node(mut node)) = ctx.world.api().get(Kind::Node, "", name).cloned() else {
        return Err(crate::api::ApiError::not_found("nodes", name).into());
    };
    let current = node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
    let verb = if desired { "cordoned" } else { "uncordoned" };
    if current == desired {
        ctx.out.out(format!("node/{name} already {verb}\n"));
        return Ok(());
    }
    node.spec.get_or_insert_with(Default::default).unschedulable = desired.then_some(true);
    ctx.world.api_mut().update(Object::Node(node))?;
    ctx.out.out(format!("node/{name} {verb}\n"));
    Ok(())
}

pub fn cordon(args: &[String], desired: bool, ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = if desired { "cordon" } else { "uncordon" };
    let p = flags::parse(args, CORDON_FLAGS).map_err(|e| flag_error(cmd, e))?;
    if p.args.is_empty() {
        return Err(usage_error(cmd, &format!("USAGE: {cmd} NODE [flags]")));
    }
    let mut errors = Vec::new();
    for name in &p.args {
        if let Err(e) = cordon_one(name, desired, ctx) {
            errors.push(e);
        }
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}

fn controller_kind(p: &Pod) -> Option<&str> {
    p.metadata
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| r.kind.as_str())
}

fn finished(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// What drain's filters say of a pod (pkg/drain/filters.go), the last one that applies winning.
enum Verdict {
    Delete,
    Skip,
    Warn(&'static str, bool),
    Error(&'static str),
}

fn verdict(p: &Pod, o: &flags::Parsed) -> Verdict {
    if controller_kind(p) == Some("DaemonSet") && !finished(p) {
        return if o.on("ignore-daemonsets") {
            Verdict::Warn("ignoring DaemonSet-managed Pods", false)
        } else {
            Verdict::Error("DaemonSet-managed Pods (use --ignore-daemonsets to ignore)")
        };
    }
    if p.metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"))
    {
        return Verdict::Skip;
    }
    let mut v = Verdict::Delete;
    let empty_dir = p
        .spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .is_some_and(|vs| vs.iter().any(|v| v.empty_dir.is_some()));
    if empty_dir && !finished(p) {
        if !o.on("delete-emptydir-data") {
            return Verdict::Error("Pods with local storage (use --delete-emptydir-data to override)");
        }
        v = Verdict::Warn("deleting Pods with local storage", true);
    }
    if controller_kind(p).is_none() && !finished(p) {
        if !o.on("force") {
            // 1.35 words this with "cannot delete" twice (fixed in 1.36).
            return Verdict::Error("cannot delete Pods that declare no controller (use --force to override)");
        }
        return Verdict::Warn("deleting Pods that declare no controller", true);
    }
    // A later filter that finds nothing to say overwrites an earlier warning.
    if matches!(v, Verdict::Warn(_, _)) && controller_kind(p).is_some() {
        v = Verdict::Delete;
    }
    v
}

pub fn drain(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, DRAIN_FLAGS).map_err(|e| flag_error("drain", e))?;
    let Some(node) = p.args.first().cloned() else {
        return Err(usage_error("drain", "USAGE: drain NODE [flags]"));
    };
    let grace: Option<i64> = match p.get("grace-period") {
        None => None,
        Some(g) => {
            let n: i64 = g.parse().map_err(|_| {
                CmdError::Msg(format!(
                    "invalid argument {g:?} for \"--grace-period\" flag: strconv.ParseInt: parsing {g:?}: invalid syntax"
                ))
            })?;
            (n >= 0).then_some(n)
        }
    };
    let timeout: Option<Millis> = match p.get("timeout") {
        None | Some("0" | "0s") => None,
        Some(t) => Some(parse_sleep(t).ok_or_else(|| {
            CmdError::Msg(format!(
                "invalid argument {t:?} for \"--timeout\" flag: time: invalid duration {t:?}"
            ))
        })?),
    };
    cordon_one(&node, true, ctx)?;
    let store = ctx.world.api().store();
    let mut pods: Vec<Pod> = store
        .get_all(store.indexes().pods_on_node(&node))
        .filter_map(|o| match o {
            Object::Pod(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    if let Some(sel) = p.get("pod-selector") {
        let sel = crate::labels::Selector::parse(sel).map_err(CmdError::Msg)?;
        pods.retain(|pod| sel.matches(pod.metadata.labels.as_ref().unwrap_or(&BTreeMap::new())));
    }
    let full = |p: &Pod| {
        format!(
            "{}/{}",
            p.metadata.namespace.as_deref().unwrap_or(""),
            p.metadata.name.as_deref().unwrap_or("")
        )
    };
    let mut errors: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut warnings: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut to_evict: Vec<Pod> = Vec::new();
    let group = |list: &mut Vec<(&'static str, Vec<String>)>, msg: &'static str, pod: String| match list
        .iter_mut()
        .find(|(m, _)| *m == msg)
    {
        Some((_, v)) => v.push(pod),
        None => list.push((msg, vec![pod])),
    };
    for pod in pods {
        match verdict(&pod, &p) {
            Verdict::Delete => to_evict.push(pod),
            Verdict::Skip => {}
            Verdict::Warn(msg, delete) => {
                group(&mut warnings, msg, full(&pod));
                if delete {
                    to_evict.push(pod);
                }
            }
            Verdict::Error(msg) => group(&mut errors, msg, full(&pod)),
        }
    }
    if !errors.is_empty() {
        let lines: Vec<String> = errors
            .iter()
            .map(|(m, pods)| format!("cannot delete {m}: {}", pods.join(", ")))
            .collect();
        let joined = if lines.len() == 1 {
            lines[0].clone()
        } else {
            format!("[{}]", lines.join(", "))
        };
        ctx.out.err(format!(
            "error: unable to drain node {node:?} due to error: {joined}, continuing command...\nThere are pending nodes to be drained:\n {node}\n{}\n",
            lines.join("\n")
        ));
        return Ok(1);
    }
    if !warnings.is_empty() {
        let text: Vec<String> = warnings
            .iter()
            .map(|(m, pods)| format!("{m}: {}", pods.join(", ")))
            .collect();
        ctx.out.err(format!("Warning: {}\n", text.join("; ")));
    }
    evict_all(&node, to_evict, grace, timeout, ctx)
}

#[derive(PartialEq)]
enum State {
    /// Eviction refused; try again at this instant.
    Retry(Millis),
    /// Evicted: waiting for this pod (by uid) to be gone.
    Waiting(String),
    Done,
    Failed(String),
}

fn evict_all(
    node: &str,
    pods: Vec<Pod>,
    grace: Option<i64>,
    timeout: Option<Millis>,
    ctx: &mut Ctx<'_>,
) -> Result<i32, CmdError> {
    let start = ctx.world.now();
    // Without --timeout a real drain waits for ever; the terminal gives up after WAIT_LIMIT.
    let deadline = start.saturating_add(timeout.unwrap_or(crate::cluster::WAIT_LIMIT));
    let mut states: Vec<(ObjectKey, State)> = Vec::new();
    for pod in &pods {
        let key = ObjectKey::of(&Object::Pod(pod.clone()));
        let state = try_evict(&key, pod.metadata.uid.clone().unwrap_or_default(), grace, ctx);
        states.push((key, state));
    }
    loop {
        // Pods that are gone (or replaced by another of the same name) are evicted.
        for (key, state) in states.iter_mut() {
            if let State::Waiting(uid) = state {
                let gone = ctx
                    .world
                    .api()
                    .store()
                    .get(key)
                    .is_none_or(|o| o.meta().uid.as_deref() != Some(uid.as_str()));
                if gone {
                    ctx.out.out(format!("pod/{} evicted\n", key.name));
                    *state = State::Done;
                }
            }
        }
        if states.iter().all(|(_, s)| matches!(s, State::Done | State::Failed(_))) {
            break;
        }
        let now = ctx.world.now();
        if now >= deadline {
            let limit = go_duration(timeout.unwrap_or(crate::cluster::WAIT_LIMIT));
            for (key, state) in states.iter_mut() {
                match state {
                    State::Retry(_) => {
                        ctx.out.out(format!("evicting pod {}/{}\n", key.namespace, key.name));
                        *state = State::Failed(format!(
                            "error when evicting pods/{:?} -n {:?}: global timeout reached: {limit}",
                            key.name, key.namespace
                        ));
                    }
                    State::Waiting(_) => {
                        *state = State::Failed(format!(
                            "error when waiting for pod {:?} in namespace {:?} to terminate: context deadline exceeded",
                            key.name, key.namespace
                        ));
                    }
                    _ => {}
                }
            }
            break;
        }
        // Retries that are due.
        let mut retried = false;
        for entry in states.iter_mut() {
            if let State::Retry(at) = entry.1
                && at <= now
            {
                let key = entry.0.clone();
                let uid = ctx
                    .world
                    .api()
                    .store()
                    .get(&key)
                    .and_then(|o| o.meta().uid.clone())
                    .unwrap_or_default();
                entry.1 = try_evict(&key, uid, grace, ctx);
                retried = true;
            }
        }
        if retried {
            continue;
        }
        let next_retry = states
            .iter()
            .filter_map(|(_, s)| if let State::Retry(at) = s { Some(*at) } else { None })
            .min();
        let until = next_retry.map_or(deadline, |r| r.min(deadline));
        let idle = if timeout.is_some() || next_retry.is_some() {
            Idle::PassTime
        } else {
            Idle::GiveUp
        };
        let watched: Vec<(ObjectKey, String)> = states
            .iter()
            .filter_map(|(k, s)| {
                if let State::Waiting(uid) = s {
                    Some((k.clone(), uid.clone()))
                } else {
                    None
                }
            })
            .collect();
        let progressed = ctx.world.wait_until(until, idle, |w| {
            watched.iter().any(|(k, uid)| {
                w.api()
                    .store()
                    .get(k)
                    .is_none_or(|o| o.meta().uid.as_deref() != Some(uid.as_str()))
            })
        });
        if !progressed && idle == Idle::GiveUp {
            // Nothing more will happen (a pod stuck on a stopped node): a real drain would wait
            // forever; the terminal gives control back with what `--timeout` would have said.
            for (key, state) in states.iter_mut() {
                if matches!(state, State::Waiting(_)) {
                    *state = State::Failed(format!(
                        "error when waiting for pod {:?} in namespace {:?} to terminate: context deadline exceeded",
                        key.name, key.namespace
                    ));
                }
            }
            break;
        }
    }
    let failures: Vec<String> = states
        .iter()
        .filter_map(|(_, s)| {
            if let State::Failed(e) = s {
                Some(e.clone())
            } else {
                None
            }
        })
        .collect();
    if failures.is_empty() {
        ctx.out.out(format!("node/{node} drained\n"));
        return Ok(0);
    }
    let joined = if failures.len() == 1 {
        failures[0].clone()
    } else {
        format!("[{}]", failures.join(", "))
    };
    let mut text = format!("There are pending pods in node {node:?} when an error occurred: {joined}\n");
    for (key, s) in &states {
        if !matches!(s, State::Done) {
            text.push_str(&format!("pod/{}\n", key.name));
        }
    }
    text.push_str(&format!(
        "error: unable to drain node {node:?} due to error: {joined}, continuing command...\nThere are pending nodes to be drained:\n {node}\n{}\n",
        failures.join("\n")
    ));
    ctx.out.err(text);
    Ok(1)
}

fn try_evict(key: &ObjectKey, uid: String, grace: Option<i64>, ctx: &mut Ctx<'_>) -> State {
    ctx.out.out(format!("evicting pod {}/{}\n", key.namespace, key.name));
    let now = ctx.world.now();
    match ctx.world.api_mut().evict(&key.namespace, &key.name, grace) {
        Ok(()) => State::Waiting(uid),
        Err(e) if e.reason == Reason::NotFound => State::Done,
        Err(e) if e.reason == Reason::TooManyRequests => {
            ctx.out.err(format!(
                "error when evicting pods/{:?} -n {:?} (will retry after 5s): {}\n",
                key.name, key.namespace, e.message
            ));
            State::Retry(now.saturating_add(RETRY))
        }
        Err(e) => State::Failed(format!(
            "error when evicting pods/{:?} -n {:?}: {}",
            key.name, key.namespace, e.message
        )),
    }
}
