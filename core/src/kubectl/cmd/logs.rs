//! `kubectl logs` (staging/src/k8s.io/kubectl/pkg/cmd/logs, the kubelet's `/containerLogs` and
//! `validateContainerLogStatus`): a container's log as the kubelet keeps it, the current
//! instance or with `--previous` the one before, for a pod, a workload (`deploy/web`: one of
//! its pods), or every pod of `-l`. A pod with several containers and no `-c` gets the default
//! container and a `Defaulted container` note. `-f` goes on printing what the containers write
//! until they stop (logs_follow.rs).

use k8s_openapi::api::core::v1::Pod;

use super::wait::parse_duration;
use crate::api::ApiError;
use crate::kubectl::flags::{self, flag};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::labels::Selector;
use crate::runtime::LogLine;
use crate::sim::clock::Millis;
use crate::store::{Kind, Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[
    flag("container", Some('c'), true),
    flag("previous", Some('p'), false),
    flag("follow", Some('f'), false),
    flag("tail", None, true),
    flag("since", None, true),
    flag("since-time", None, true),
    flag("timestamps", None, false),
    flag("selector", Some('l'), true),
    flag("all-containers", None, false),
    flag("prefix", None, false),
    flag("max-log-requests", None, true),
    flag("ignore-errors", None, false),
    flag("limit-bytes", None, true),
    flag("pod-running-timeout", None, true),
];

/// How `logs` words a kind it cannot read pods of (`cannot get the logs from *v1.Secret`).
const LOGS_VERB: &str = "get the logs from";

const USAGE: &str = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

/// What to print and how.
struct Options {
    previous: bool,
    tail: Option<usize>,
    since: Option<Millis>,
    timestamps: bool,
    prefix: bool,
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("logs", e))?;
    let ns = ctx.namespace(&p);
    let selector = p
        .get("selector")
        .map(Selector::parse)
        .transpose()
        .map_err(CmdError::Msg)?;
    if p.args.is_empty() && selector.is_none() {
        return Err(CmdError::Msg(format!(
            "{USAGE}\nSee 'kubectl logs -h' for help and examples"
        )));
    }
    if selector.is_some() && !p.args.is_empty() {
        return Err(CmdError::Msg("only a selector (-l) or a POD name is allowed".into()));
    }
    if p.args.len() > 2 {
        return Err(CmdError::Msg(format!(
            "{USAGE}\nSee 'kubectl logs -h' for help and examples"
        )));
    }
    if p.has("since") && p.has("since-time") {
        return Err(CmdError::Msg(
            "at most one of `sinceTime` or `sinceSeconds` may be specified".into(),
        ));
    }
    let tail = match p.get("tail") {
        None if selector.is_some() => Some(10),
        None => None,
        Some(t) => {
            let n: i64 = t.parse().map_err(|_| {
                CmdError::Msg(format!(
                    "invalid argument {t:?} for \"--tail\" flag: strconv.ParseInt: parsing {t:?}: invalid syntax"
                ))
            })?;
            usize::try_from(n).ok()
        }
    };
    let since = match p.get("since") {
        Some(s) => Some(
            parse_duration(s)
                .map_err(|e| CmdError::Msg(format!("invalid argument {s:?} for \"--since\" flag: {e}")))?,
        ),
        None => None,
    };
    let opts = Options {
        previous: p.on("previous"),
        tail,
        since,
        timestamps: p.on("timestamps"),
        prefix: p.on("prefix"),
    };
    let container = p
        .get("container")
        .map(str::to_string)
        .or_else(|| p.args.get(1).cloned());
    let pods: Vec<Pod> = match &selector {
        Some(sel) => {
            let mut v: Vec<Pod> = pods_in(ctx, &ns)
                .into_iter()
                .filter(|pod| sel.matches(&pod.metadata.labels.clone().unwrap_or_default()))
                .collect();
            v.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
            if v.is_empty() {
                ctx.out.err(format!("No resources found in {ns} namespace.\n"));
                return Ok(0);
            }
            v
        }
        None => vec![target_pod(&p.args[0], &ns, LOGS_VERB, ctx)?],
    };
    let follow = p.on("follow") && !opts.previous;
    let mut followed = Vec::new();
    for pod in &pods {
        let names = container_names(pod, p.on("all-containers"), container.as_deref(), ctx)?;
        for name in names {
            print_container(pod, &name, &opts, ctx)?;
            let ns = pod.metadata.namespace.clone().unwrap_or_default();
            let pod_name = pod.metadata.name.clone().unwrap_or_default();
            if follow && let Some(f) = super::logs_follow::Followed::start(&ns, &pod_name, &name, ctx.world) {
                followed.push(f);
            }
        }
    }
    if follow && !followed.is_empty() {
        let timeout = crate::kubectl::request_timeout(&p)?;
        let f = super::logs_follow::Follow::new(followed, opts.prefix, opts.timestamps, timeout, ctx.world.now());
        ctx.watch = Some(Box::new(f));
    }
    Ok(0)
}

fn pods_in(ctx: &Ctx<'_>, ns: &str) -> Vec<Pod> {
    ctx.world
        .api()
        .list(Kind::Pod, Some(ns))
        .filter_map(|o| match o {
            Object::Pod(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

/// `POD` or `TYPE/NAME`: a workload's pod is chosen as `GetFirstPod` does (running and ready
/// first, then more restarts, then the older). `logs` says which of several it took (`verb`
/// names the command in the error for a kind without pods).
pub(super) fn target_pod(arg: &str, ns: &str, verb: &str, ctx: &mut Ctx<'_>) -> Result<Pod, CmdError> {
    let (kind, name) = match arg.split_once('/') {
        Some((t, n)) => (
            crate::kubectl::resources::resolve_type(t)
                .ok_or_else(|| CmdError::Msg(format!("the server doesn't have a resource type \"{t}\"")))?,
            n,
        ),
        None => (Kind::Pod, arg),
    };
    let key = ObjectKey::new(kind, ns, name);
    let Some(obj) = ctx.world.api().store().get(&key).cloned() else {
        return Err(ApiError::not_found(&kind.info().resource_group(), name).into());
    };
    let selector = match &obj {
        Object::Pod(p) => return Ok(p.clone()),
        Object::Deployment(d) => d.spec.as_ref().map(|s| s.selector.clone()),
        Object::ReplicaSet(r) => r.spec.as_ref().map(|s| s.selector.clone()),
        Object::StatefulSet(s) => s.spec.as_ref().map(|s| s.selector.clone()),
        Object::DaemonSet(d) => d.spec.as_ref().map(|s| s.selector.clone()),
        Object::Job(j) => j.spec.as_ref().and_then(|s| s.selector.clone()),
        Object::Service(s) => s.spec.as_ref().and_then(|s| s.selector.clone()).map(|m| {
            k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector {
                match_labels: Some(m),
                ..Default::default()
            }
        }),
        _ => {
            return Err(CmdError::Msg(format!(
                "cannot {verb} *v1.{k}: selector for *v1.{k} not implemented",
                k = kind.name()
            )));
        }
    };
    let sel = Selector::from_label_selector(&selector.unwrap_or_default());
    let mut pods: Vec<Pod> = pods_in(ctx, ns)
        .into_iter()
        .filter(|p| sel.matches(&p.metadata.labels.clone().unwrap_or_default()))
        .collect();
    if pods.is_empty() {
        return Err(CmdError::Msg("timed out waiting for the condition".into()));
    }
    pods.sort_by_key(rank);
    if pods.len() > 1
        && verb == LOGS_VERB
        && let Some(first) = pods.first()
    {
        ctx.out.err(format!(
            "Found {} pods, using pod/{}\n",
            pods.len(),
            first.metadata.name.as_deref().unwrap_or("")
        ));
    }
    Ok(pods.remove(0))
}

/// `controller.ByLogging`: scheduled, running, ready, more restarts, older first.
fn rank(p: &Pod) -> (bool, u8, bool, std::cmp::Reverse<i32>, Option<String>, Option<String>) {
    let st = p.status.clone().unwrap_or_default();
    let phase = match st.phase.as_deref() {
        Some("Running") => 0,
        Some("Unknown") => 1,
        Some("Pending") => 2,
        _ => 3,
    };
    let ready = st
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "Ready" && c.status == "True");
    let restarts = st
        .container_statuses
        .iter()
        .flatten()
        .map(|c| c.restart_count)
        .max()
        .unwrap_or(0);
    (
        p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none(),
        phase,
        !ready,
        std::cmp::Reverse(restarts),
        p.metadata.creation_timestamp.as_ref().map(|t| t.0.to_string()),
        p.metadata.name.clone(),
    )
}

/// The containers to read: `-c`, all of them, or the default one (with the note kubectl
/// writes when there was a choice).
fn container_names(pod: &Pod, all: bool, chosen: Option<&str>, ctx: &mut Ctx<'_>) -> Result<Vec<String>, CmdError> {
    let spec = pod.spec.clone().unwrap_or_default();
    let init: Vec<String> = spec.init_containers.iter().flatten().map(|c| c.name.clone()).collect();
    let main: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    if all {
        return Ok(init.into_iter().chain(main).collect());
    }
    if let Some(c) = chosen {
        return Ok(vec![c.to_string()]);
    }
    Ok(default_container(pod, false, ctx).into_iter().collect())
}

/// `FindOrDefaultContainerByName` without a name (kubectl/pkg/cmd/util/podcmd): the container
/// the `kubectl.kubernetes.io/default-container` annotation names, else the first, with a
/// note on stderr when there was a choice (unless `quiet`).
pub(super) fn default_container(pod: &Pod, quiet: bool, ctx: &mut Ctx<'_>) -> Option<String> {
    let spec = pod.spec.clone().unwrap_or_default();
    let init: Vec<String> = spec.init_containers.iter().flatten().map(|c| c.name.clone()).collect();
    let main: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    let annotated = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubectl.kubernetes.io/default-container"))
        .filter(|c| main.contains(c) || init.contains(c))
        .cloned();
    if annotated.is_some() {
        return annotated;
    }
    let first = main.first().cloned()?;
    if !quiet && main.len() + init.len() > 1 {
        let mut all_names: Vec<String> = main.clone();
        all_names.extend(init.iter().map(|n| format!("{n} (init)")));
        ctx.out.err(format!(
            "Defaulted container {first:?} out of: {}\n",
            all_names.join(", ")
        ));
    }
    Some(first)
}

/// The API server's `validateContainer` for `pods/log` and `pods/exec`: the container must be
/// one of the pod's.
pub(super) fn valid_container(pod: &Pod, container: &str) -> Result<(), CmdError> {
    let spec = pod.spec.clone().unwrap_or_default();
    let known = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .any(|c| c.name == container);
    if known {
        return Ok(());
    }
    let pod_name = pod.metadata.name.as_deref().unwrap_or("");
    Err(ApiError::bad_request(format!("container {container} is not valid for pod {pod_name}")).into())
}

/// RFC 3339 with nanoseconds, trailing zeros dropped (Go's `RFC3339Nano`), as containerd
/// stamps log lines.
fn rfc3339_nano(at: Millis) -> String {
    let whole = crate::sim::clock::api_time(at)
        .0
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string();
    match at % 1000 {
        0 => format!("{whole}Z"),
        ms => format!("{whole}.{}Z", format!("{ms:03}").trim_end_matches('0')),
    }
}

fn print_container(pod: &Pod, container: &str, o: &Options, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let spec = pod.spec.clone().unwrap_or_default();
    valid_container(pod, container)?;
    if spec.node_name.is_none() {
        return Ok(());
    }
    let st = pod.status.clone().unwrap_or_default();
    let cs = st
        .container_statuses
        .iter()
        .flatten()
        .chain(st.init_container_statuses.iter().flatten())
        .find(|c| c.name == container)
        .cloned();
    let state = cs.as_ref().and_then(|c| c.state.clone()).unwrap_or_default();
    let last = cs.as_ref().and_then(|c| c.last_state.clone()).unwrap_or_default();
    let fail = |msg: String| -> CmdError { ApiError::bad_request(msg).into() };
    let lines: Vec<LogLine> = if o.previous {
        if last.terminated.is_none() {
            return Err(fail(format!(
                "previous terminated container {container:?} in pod {pod_name:?} not found"
            )));
        }
        ctx.world
            .container_log_lines(&ns, &pod_name, container, true)
            .unwrap_or_default()
    } else if state.running.is_some() || state.terminated.is_some() || last.terminated.is_some() {
        ctx.world
            .container_log_lines(&ns, &pod_name, container, false)
            .unwrap_or_default()
    } else if let Some(w) = state.waiting {
        let reason = w.reason.unwrap_or_default();
        return Err(fail(match reason.as_str() {
            "ErrImagePull" => {
                format!("container {container:?} in pod {pod_name:?} is waiting to start: image can't be pulled")
            }
            "ImagePullBackOff" => format!(
                "container {container:?} in pod {pod_name:?} is waiting to start: trying and failing to pull image"
            ),
            r => format!("container {container:?} in pod {pod_name:?} is waiting to start: {r}"),
        }));
    } else {
        return Err(fail(format!(
            "container {container:?} in pod {pod_name:?} is waiting to start - no logs yet"
        )));
    };
    let now = ctx.world.now();
    let mut picked: Vec<&LogLine> = lines
        .iter()
        .filter(|l| o.since.is_none_or(|s| l.at >= now.saturating_sub(s)))
        .collect();
    if let Some(n) = o.tail {
        let skip = picked.len().saturating_sub(n);
        picked.drain(..skip);
    }
    let mut text = String::new();
    for l in picked {
        text.push_str(&format_line(&pod_name, container, l, o.prefix, o.timestamps));
    }
    ctx.out.out(text);
    Ok(())
}

/// One log line as `logs` prints it: `--prefix` names its source, `--timestamps` puts the
/// runtime's time first.
pub(super) fn format_line(pod: &str, container: &str, l: &LogLine, prefix: bool, timestamps: bool) -> String {
    let mut text = String::new();
    if prefix {
        text.push_str(&format!("[pod/{pod}/{container}] "));
    }
    if timestamps {
        text.push_str(&rfc3339_nano(l.at));
        text.push(' ');
    }
    text.push_str(&l.text);
    if !l.text.ends_with('\n') {
        text.push('\n');
    }
    text
}
