//! `kubectl run`: a pod from an image (staging/src/k8s.io/kubectl/pkg/cmd/run). Labels
//! default to `run=<name>`; arguments after `--` are the container's args, or its command with
//! `--command`. With `-i` (and `--rm`), kubectl attaches: here the pod runs until its container
//! ends, its output is printed, and with `--rm` the pod is deleted.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, ContainerPort, EnvVar, Pod, PodSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::cluster::Idle;
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::printers::{json::to_json, yaml::to_yaml};
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};
use crate::store::{Kind, Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[
    flag("image", None, true),
    flag("restart", None, true),
    flag("labels", Some('l'), true),
    multi("env", None),
    flag("port", None, true),
    flag("command", None, false),
    flag("stdin", Some('i'), false),
    flag("tty", Some('t'), false),
    flag("rm", None, false),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("image-pull-policy", None, true),
    flag("attach", None, false),
    flag("quiet", Some('q'), false),
    flag("overrides", None, true),
    flag("override-type", None, true),
];

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("run", e))?;
    let names = match p.dash {
        Some(d) => &p.args[..d],
        None => &p.args[..],
    };
    let [name] = names else {
        return Err(usage_error("run", "NAME is required for run"));
    };
    let Some(image) = p.get("image") else {
        return Err(CmdError::Msg("required flag(s) \"image\" not set".into()));
    };
    let attach = p.on("stdin") || p.on("attach");
    if p.on("rm") && !attach {
        return Err(usage_error("run", "--rm should only be used for attached containers"));
    }
    let restart = p.get("restart").unwrap_or("Always");
    if !["Always", "OnFailure", "Never"].contains(&restart) {
        return Err(CmdError::Msg(format!("invalid restart policy: {restart}")));
    }
    let labels: BTreeMap<String, String> = match p.get("labels") {
        Some(l) => {
            let mut m = BTreeMap::new();
            for pair in l.split(',') {
                let Some((k, v)) = pair.split_once('=') else {
                    return Err(CmdError::Msg(format!("invalid label spec: {pair}")));
                };
                m.insert(k.to_string(), v.to_string());
            }
            m
        }
        None => [("run".to_string(), name.clone())].into(),
    };
    let mut env = Vec::new();
    for e in p.all("env") {
        let Some((k, v)) = e.split_once('=') else {
            return Err(CmdError::Msg(format!("invalid env: {e}")));
        };
        env.push(EnvVar {
            name: k.into(),
            value: Some(v.into()),
            value_from: None,
        });
    }
    let rest: Vec<String> = p.dash.map(|d| p.args[d..].to_vec()).unwrap_or_default();
    let (command, cargs) = if p.on("command") {
        (rest, Vec::new())
    } else {
        (Vec::new(), rest)
    };
    let ports = match p.get("port") {
        None => None,
        Some(v) => {
            let port: i32 = v.parse().map_err(|_| {
                CmdError::Msg(format!(
                    "invalid argument {v:?} for \"--port\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"
                ))
            })?;
            Some(vec![ContainerPort {
                container_port: port,
                ..Default::default()
            }])
        }
    };
    let pod = Pod {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: p.get("namespace").map(str::to_string),
            labels: Some(labels),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: name.clone(),
                image: Some(image.to_string()),
                command: (!command.is_empty()).then_some(command),
                args: (!cargs.is_empty()).then_some(cargs),
                env: (!env.is_empty()).then_some(env),
                ports,
                image_pull_policy: p.get("image-pull-policy").map(str::to_string),
                resources: Some(ResourceRequirements::default()),
                stdin: attach.then_some(true),
                stdin_once: attach.then_some(true),
                tty: p.on("tty").then_some(true),
                ..Default::default()
            }],
            dns_policy: Some("ClusterFirst".into()),
            restart_policy: Some(restart.into()),
            ..Default::default()
        }),
        status: Some(Default::default()),
    };
    let pod = match p.get("overrides").filter(|o| !o.is_empty()) {
        Some(text) => overridden(pod, text, p.get("override-type").unwrap_or("merge"))?,
        None => pod,
    };
    let client_dry = matches!(p.get("dry-run"), Some("client" | "true"));
    if client_dry {
        let mut v = Object::Pod(pod).to_value();
        if let Some(m) = v.as_object_mut() {
            m.insert("apiVersion".into(), "v1".into());
            m.insert("kind".into(), "Pod".into());
        }
        match p.get("output") {
            Some("yaml") => ctx.out.out(to_yaml(&v)),
            Some("json") => ctx.out.out(format!("{}\n", to_json(&v))),
            Some("name") => ctx.out.out(format!("pod/{name}\n")),
            _ => ctx.out.out(format!("pod/{name} created (dry run)\n")),
        }
        return Ok(0);
    }
    let mut pod = pod;
    if pod.metadata.namespace.is_none() {
        pod.metadata.namespace = Some(ctx.namespace(&p));
    }
    let created = ctx.world.api_mut().create(Object::Pod(pod))?;
    if !attach {
        if p.get("output") == Some("name") {
            ctx.out.out(format!("pod/{name}\n"));
        } else {
            ctx.out.out(format!("pod/{name} created\n"));
        }
        return Ok(0);
    }
    if p.on("tty") {
        ctx.out
            .err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    }
    // Attached: wait for the container to end (or a minute of nothing happening).
    let ns = created.namespace().to_string();
    let key = ObjectKey::new(Kind::Pod, &ns, name);
    let deadline = ctx.world.now().saturating_add(crate::cluster::WAIT_LIMIT);
    ctx.world
        .wait_until(deadline, Idle::GiveUp, |w| match w.api().store().get(&key) {
            Some(Object::Pod(p)) => p
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .is_some_and(|cs| {
                    cs.iter()
                        .any(|c| c.state.as_ref().is_some_and(|s| s.terminated.is_some()))
                }),
            _ => true,
        });
    let logs = ctx.world.container_logs(&ns, name, name).unwrap_or_default();
    for l in logs {
        ctx.out.out(format!("{l}\n"));
    }
    let code = match ctx.world.api().store().get(&key) {
        Some(Object::Pod(p)) => p
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|cs| cs.first())
            .and_then(|c| c.state.as_ref()?.terminated.as_ref().map(|t| t.exit_code))
            .unwrap_or(0),
        _ => 0,
    };
    if p.on("rm") {
        ctx.world.api_mut().delete(&key, None)?;
        ctx.world.settle();
        ctx.out.out(format!("pod {name:?} deleted from {ns} namespace\n"));
    }
    if code != 0 {
        return Err(CmdError::Msg(format!("pod {ns}/{name} terminated (Error)")));
    }
    Ok(0)
}

/// `cmdutil.Override`: the generated pod with `--overrides` applied as a JSON merge patch (the
/// default), a strategic merge patch or a JSON patch.
fn overridden(pod: Pod, text: &str, ty: &str) -> Result<Pod, CmdError> {
    use crate::api::patch::{self, PatchType};
    let Some(ty) = PatchType::parse(ty) else {
        return Err(CmdError::Msg(format!("invalid override type: {ty}")));
    };
    let overrides: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| CmdError::Msg(crate::api::gojson::syntax_error(text).unwrap_or_default()))?;
    let mut original = Object::Pod(pod).to_value();
    if let Some(m) = original.as_object_mut() {
        m.insert("apiVersion".into(), "v1".into());
        m.insert("kind".into(), "Pod".into());
    }
    let patched = patch::apply(Kind::Pod, ty, &original, &overrides).map_err(CmdError::Msg)?;
    // kubectl decodes the result leniently: fields the Pod type lacks are dropped.
    serde_json::from_value::<Pod>(patched).map_err(|e| CmdError::Msg(e.to_string()))
}
