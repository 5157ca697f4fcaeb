//! `kubectl set`: edits the pod template of a workload or a pod's own spec. `set image`
//! changes container images by name or `*` for all
//! (staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go); `set env` and `set resources` live
//! beside it. A command that changes nothing prints nothing, as kubectl's empty patch does.

use k8s_openapi::api::core::v1::{Container, PodSpec};

use crate::api::ApiError;
use crate::kubectl::flags::{self, flag};
use crate::kubectl::resources::{Selection, parse_args};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::{Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[
    flag("all", None, false),
    flag("selector", Some('l'), true),
    flag("output", Some('o'), true),
];

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let Some(i) = args.iter().position(|a| !a.starts_with('-')) else {
        return Err(CmdError::Msg("Configure application resources.\n\n These commands help you make changes to existing application resources.\n\nAvailable Commands:\n  env              Update environment variables on a pod template\n  image            Update the image of a pod template\n  resources        Update resource requests/limits on objects with pod templates\n\nUsage:\n  kubectl set SUBCOMMAND [options]\n".into()));
    };
    let sub = args[i].clone();
    let mut rest = args.to_vec();
    rest.remove(i);
    match sub.as_str() {
        "image" => image(&rest, ctx),
        "env" => super::set_env::run(&rest, ctx),
        "resources" => super::set_resources::run(&rest, ctx),
        other => Err(CmdError::Msg(format!(
            "\"kubectl set {other}\" is not available in Kubeplay yet"
        ))),
    }
}

/// The pod spec a `set` command edits (`updatePodSpecForObject`): a pod's own, or a
/// workload's template.
pub(super) fn pod_spec_mut(obj: &mut Object) -> Option<&mut PodSpec> {
    match obj {
        Object::Pod(p) => p.spec.as_mut(),
        Object::Deployment(d) => d.spec.as_mut()?.template.spec.as_mut(),
        Object::ReplicaSet(r) => r.spec.as_mut()?.template.as_mut()?.spec.as_mut(),
        Object::StatefulSet(s) => s.spec.as_mut()?.template.spec.as_mut(),
        Object::DaemonSet(d) => d.spec.as_mut()?.template.spec.as_mut(),
        Object::Job(j) => j.spec.as_mut()?.template.spec.as_mut(),
        Object::CronJob(c) => c.spec.as_mut()?.job_template.spec.as_mut()?.template.spec.as_mut(),
        _ => None,
    }
}

/// `error: services/s the object is not a pod or does not have a pod template: *v1.Service`.
pub(super) fn no_template(key: &ObjectKey) -> CmdError {
    CmdError::Msg(format!(
        "error: {}/{} the object is not a pod or does not have a pod template: *v1.{}",
        key.kind.info().plural,
        key.name,
        key.kind.name()
    ))
}

/// The objects a `set` command names: `TYPE NAME...`, `TYPE/NAME...`, or a type with
/// `-l`/`--all`.
pub(super) fn targets(resources: &[String], p: &flags::Parsed, ctx: &Ctx<'_>) -> Result<Vec<ObjectKey>, CmdError> {
    let ns = ctx.namespace(p);
    let usage =
        || CmdError::Msg("one or more resources must be specified as <resource> <name> or <resource>/<name>".into());
    if p.on("all") && p.has("selector") {
        return Err(CmdError::Msg("cannot set --all and --selector at the same time".into()));
    }
    match parse_args(resources).map_err(CmdError::Msg)? {
        Selection::Names(n) => Ok(n.into_iter().map(|(k, n)| ObjectKey::new(k, &ns, &n)).collect()),
        Selection::Types(kinds) if !kinds.is_empty() && (p.on("all") || p.has("selector")) => {
            let sel = crate::labels::Selector::parse(p.get("selector").unwrap_or("")).map_err(CmdError::Msg)?;
            let mut keys = Vec::new();
            for kind in kinds {
                for o in ctx.world.api().list(kind, Some(&ns)) {
                    let labels = o.meta().labels.clone().unwrap_or_default();
                    if sel.matches(&labels) {
                        keys.push(ObjectKey::of(o));
                    }
                }
            }
            Ok(keys)
        }
        Selection::Types(_) => Err(usage()),
    }
}

/// Whether a container name matches `-c` (a glob where `*` is any run of characters).
pub(super) fn container_matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some((b'*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some((c, rest)) => n.split_first().is_some_and(|(d, nr)| c == d && go(rest, nr)),
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

/// Writes an edited object; a pod's spec change is refused by the API server as on a real one,
/// wrapped as kubectl wraps a failed patch.
pub(super) fn write(obj: Object, what: &str, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let key = ObjectKey::of(&obj);
    match ctx.world.api_mut().update(obj) {
        Ok(_) => {
            ctx.out.out(format!(
                "{}/{} {what} updated\n",
                key.kind.info().kind_group(),
                key.name
            ));
            Ok(())
        }
        // set_env.go words it `failed to patch env update to pod template: %v`,
        // set_resources.go `failed to patch resources update to pod template %v`.
        Err(e) if what == "env" => Err(CmdError::Msg(format!(
            "failed to patch env update to pod template: {}",
            e.message
        ))),
        Err(e) => Err(CmdError::Msg(format!(
            "failed to patch resources update to pod template {}",
            e.message
        ))),
    }
}

fn image(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("set image", e))?;
    let (pairs, resources): (Vec<String>, Vec<String>) = p.args.iter().cloned().partition(|a| a.contains('='));
    if pairs.is_empty() {
        return Err(CmdError::Msg("at least one image update is required".into()));
    }
    if resources.is_empty() {
        return Err(CmdError::Msg(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>".into(),
        ));
    }
    let updates: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|a| a.split_once('=').map(|(c, i)| (c.to_string(), i.to_string())))
        .collect();
    if updates.iter().any(|(c, _)| c == "*") && updates.len() > 1 {
        return Err(CmdError::Msg(
            "all containers are already specified by *, but saw more than one container_name=container_image pairs"
                .into(),
        ));
    }
    let ns = ctx.namespace(&p);
    let keys: Vec<ObjectKey> = match parse_args(&resources).map_err(CmdError::Msg)? {
        Selection::Names(n) => n.into_iter().map(|(k, n)| ObjectKey::new(k, &ns, &n)).collect(),
        Selection::Types(_) => {
            return Err(CmdError::Msg(
                "one or more resources must be specified as <resource> <name> or <resource>/<name>".into(),
            ));
        }
    };
    let mut errors = Vec::new();
    for key in keys {
        let Some(mut obj) = ctx.world.api().store().get(&key).cloned() else {
            errors.push(ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
            continue;
        };
        let before = obj.clone();
        let Some(spec) = pod_spec_mut(&mut obj) else {
            errors.push(no_template(&key));
            continue;
        };
        let mut missing = None;
        for (name, img) in &updates {
            let all = name == "*";
            let mut found = false;
            let set = |c: &mut Container, found: &mut bool| {
                if all || &c.name == name {
                    c.image = Some(img.clone());
                    *found = true;
                }
            };
            for c in spec.init_containers.iter_mut().flatten() {
                set(c, &mut found);
            }
            for c in spec.containers.iter_mut() {
                set(c, &mut found);
            }
            if !found && !all {
                missing = Some(name.clone());
            }
        }
        if let Some(name) = missing {
            errors.push(CmdError::Msg(format!("unable to find container named {name:?}")));
            continue;
        }
        if obj == before {
            continue;
        }
        match ctx.world.api_mut().update(obj) {
            Ok(_) => ctx
                .out
                .out(format!("{}/{} image updated\n", key.kind.info().kind_group(), key.name)),
            Err(e) => errors.push(e.into()),
        }
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}
