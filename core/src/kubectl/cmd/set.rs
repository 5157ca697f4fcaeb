//! `kubectl set image`: changes container images in a pod or in the pod template of a
//! workload, by name or `*` for all (staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go).
//! Setting the image a container already has prints nothing.

use k8s_openapi::api::core::v1::{Container, PodSpec};

use crate::api::ApiError;
use crate::kubectl::flags::{self, flag};
use crate::kubectl::resources::{Selection, parse_args};
use crate::kubectl::{CmdError, Ctx, flag_error, namespace};
use crate::store::{Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[
    flag("all", None, false),
    flag("selector", Some('l'), true),
    flag("output", Some('o'), true),
];

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let Some(i) = args.iter().position(|a| !a.starts_with('-')) else {
        return Err(CmdError::Msg("Configure application resources.\n\nAvailable Commands:\n  image           Update the image of a pod template\n".into()));
    };
    let sub = args[i].clone();
    let mut rest = args.to_vec();
    rest.remove(i);
    match sub.as_str() {
        "image" => image(&rest, ctx),
        other => Err(CmdError::Msg(format!(
            "\"kubectl set {other}\" is not available in Kubeplay yet"
        ))),
    }
}

/// The pod spec a `set` command edits: a pod's own, or a workload's template.
fn pod_spec_mut(obj: &mut Object) -> Option<&mut PodSpec> {
    match obj {
        Object::Pod(p) => p.spec.as_mut(),
        Object::Deployment(d) => d.spec.as_mut()?.template.spec.as_mut(),
        Object::ReplicaSet(r) => r.spec.as_mut()?.template.as_mut()?.spec.as_mut(),
        Object::StatefulSet(s) => s.spec.as_mut()?.template.spec.as_mut(),
        Object::DaemonSet(d) => d.spec.as_mut()?.template.spec.as_mut(),
        _ => None,
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
    let ns = namespace(&p);
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
            errors.push(CmdError::Msg(format!(
                "error: {}/{} the object is not a pod or does not have a pod template: {}",
                key.kind.info().plural,
                key.name,
                key.kind.name()
            )));
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
