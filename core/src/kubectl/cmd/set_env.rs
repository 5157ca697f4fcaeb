//! `kubectl set env` (staging/src/k8s.io/kubectl/pkg/cmd/set/set_env.go, `set/env`): sets
//! `KEY=VAL` and removes `KEY-` in the matching containers (init containers included), imports
//! every key of a ConfigMap or Secret with `--from`, or lists the environment with `--list`.

use k8s_openapi::api::core::v1::{ConfigMapKeySelector, EnvVar, EnvVarSource, SecretKeySelector};

use super::set::{container_matches, no_template, pod_spec_mut, targets, write};
use crate::kubectl::flags::{self, array, flag};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::{Kind, Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[
    array("env", Some('e')),
    flag("containers", Some('c'), true),
    flag("list", None, false),
    flag("resolve", None, false),
    flag("overwrite", None, false),
    flag("from", None, true),
    flag("keys", None, true),
    flag("prefix", None, true),
    flag("all", None, false),
    flag("selector", Some('l'), true),
    flag("output", Some('o'), true),
];

/// An argument that is an environment change: `KEY=VAL` or `KEY-`.
fn is_env(a: &str) -> bool {
    a.split_once('=').is_some_and(|(k, _)| !k.is_empty()) || (a.ends_with('-') && a.len() > 1)
}

/// apimachinery's `IsEnvVarName`, as kubectl checks names before sending anything.
fn valid_name(name: &str) -> Result<(), String> {
    let errs = crate::api::validation::names::env_var_name(name);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(format!("{name:?} is not a valid key name: {}", errs.join("; ")))
    }
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("set env", e))?;
    let first_env = p.args.iter().position(|a| is_env(a)).unwrap_or(p.args.len());
    let (resources, env_args) = p.args.split_at(first_env);
    if env_args.iter().any(|a| !is_env(a)) {
        return Err(CmdError::Msg(format!(
            "all resources must be specified before environment changes: {}",
            p.args.join(" ")
        )));
    }
    if resources.is_empty() {
        return Err(CmdError::Msg(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>".into(),
        ));
    }
    if p.on("list") && p.has("output") {
        return Err(CmdError::Msg(
            "--list and --output may not be specified together".into(),
        ));
    }
    if p.has("keys") && !p.has("from") {
        return Err(CmdError::Msg(
            "when specifying --keys, a configmap or secret must be provided with --from".into(),
        ));
    }
    let prefix = p.get("prefix").unwrap_or("").to_string();
    let mut sets: Vec<EnvVar> = Vec::new();
    let mut removes: Vec<String> = Vec::new();
    for a in p.all("env").iter().chain(env_args.iter()) {
        if let Some((k, v)) = a.split_once('=') {
            valid_name(k).map_err(CmdError::Msg)?;
            sets.push(EnvVar {
                name: format!("{prefix}{k}"),
                value: Some(v.to_string()),
                value_from: None,
            });
        } else if let Some(k) = a.strip_suffix('-') {
            removes.push(k.to_string());
        }
    }
    if sets.iter().any(|s| removes.contains(&s.name)) {
        return Err(CmdError::Msg(
            "can not both modify and remove the same environment variable in the same command".into(),
        ));
    }
    let ns = ctx.namespace(&p);
    if let Some(from) = p.get("from") {
        sets.extend(from_source(from, &ns, &prefix, p.get("keys"), ctx)?);
    }
    let overwrite = p.get("overwrite") != Some("false");
    let pattern = p.get("containers").unwrap_or("*").to_string();
    let keys = targets(resources, &p, ctx)?;
    let mut errors: Vec<CmdError> = Vec::new();
    let mut changed_any = false;
    for key in keys {
        let Some(mut obj) = ctx.world.api().store().get(&key).cloned() else {
            errors.push(crate::api::ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
            continue;
        };
        let before = obj.clone();
        let kind = key.kind.name();
        let Some(spec) = pod_spec_mut(&mut obj) else {
            errors.push(no_template(&key));
            continue;
        };
        let containers = spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut().flatten())
            .filter(|c| container_matches(&pattern, &c.name));
        let mut refused = None;
        let mut listing = String::new();
        let mut matched = false;
        for c in containers {
            matched = true;
            let env = c.env.get_or_insert_with(Vec::new);
            for s in &sets {
                let existing: Vec<&mut EnvVar> = env.iter_mut().filter(|e| e.name == s.name).collect();
                if existing.is_empty() {
                    env.push(s.clone());
                    continue;
                }
                for e in existing {
                    if !overwrite && *e != *s {
                        refused = Some(format!(
                            "error: {}/{} '{}' already has a value ({}), and --overwrite is false",
                            key.kind.info().plural,
                            key.name,
                            s.name,
                            e.value.as_deref().unwrap_or("")
                        ));
                    }
                    *e = s.clone();
                }
            }
            env.retain(|e| !removes.contains(&e.name));
            if p.on("list") {
                listing.push_str(&format!("# {kind} {}, container {}\n", key.name, c.name));
                for e in env.iter() {
                    listing.push_str(&list_line(e));
                }
            }
            if c.env.as_ref().is_some_and(Vec::is_empty) {
                c.env = None;
            }
        }
        if !matched {
            ctx.out.err(format!(
                "Warning: {kind}/{} does not have any containers matching {pattern:?}\n",
                key.name
            ));
        }
        if let Some(r) = refused {
            errors.push(CmdError::Msg(r));
            continue;
        }
        if p.on("list") {
            ctx.out.out(listing);
            continue;
        }
        if obj == before {
            continue;
        }
        match write(obj, "env", ctx) {
            Ok(()) => changed_any = true,
            Err(e) => errors.push(e),
        }
    }
    if !p.on("list") && changed_any && sets.is_empty() && env_args.is_empty() && p.all("env").is_empty() {
        errors.push(CmdError::Msg(
            "at least one environment variable must be provided".into(),
        ));
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}

/// One variable as `--list` shows it.
fn list_line(e: &EnvVar) -> String {
    let Some(from) = &e.value_from else {
        return format!("{}={}\n", e.name, e.value.as_deref().unwrap_or(""));
    };
    if let Some(r) = &from.config_map_key_ref {
        return format!("# {} from configmap {}, key {}\n", e.name, r.name, r.key);
    }
    if let Some(r) = &from.secret_key_ref {
        return format!("# {} from secret {}, key {}\n", e.name, r.name, r.key);
    }
    if let Some(r) = &from.field_ref {
        return format!("# {} from field path {}\n", e.name, r.field_path);
    }
    if let Some(r) = &from.resource_field_ref {
        let container = r.container_name.as_deref().map(|c| format!("{c}/")).unwrap_or_default();
        return format!("# {} from resource field {container}{}\n", e.name, r.resource);
    }
    format!("# {} from invalid valueFrom\n", e.name)
}

/// `--from=configmap/NAME` or `secret/NAME`: one variable per key, named as upstream's
/// `keyToEnvName` does (upper case, anything but `[A-Za-z0-9_]` made `_`). Keys come in sorted
/// order here; upstream ranges over a Go map, so its order varies from run to run.
fn from_source(
    from: &str,
    ns: &str,
    prefix: &str,
    only: Option<&str>,
    ctx: &mut Ctx<'_>,
) -> Result<Vec<EnvVar>, CmdError> {
    let Some((ty, name)) = from.split_once('/') else {
        return Err(CmdError::Msg("unsupported resource specified in --from".into()));
    };
    let kind = crate::kubectl::resources::resolve_type(ty);
    let wanted: Option<Vec<&str>> = only.map(|k| k.split(',').collect());
    let key = match kind {
        Some(Kind::ConfigMap) => ObjectKey::new(Kind::ConfigMap, ns, name),
        Some(Kind::Secret) => ObjectKey::new(Kind::Secret, ns, name),
        _ => return Err(CmdError::Msg("unsupported resource specified in --from".into())),
    };
    let Some(obj) = ctx.world.api().store().get(&key).cloned() else {
        return Err(crate::api::ApiError::not_found(&key.kind.info().resource_group(), name).into());
    };
    let data_keys: Vec<String> = match &obj {
        Object::ConfigMap(c) => c
            .data
            .iter()
            .flat_map(|d| d.keys())
            .chain(c.binary_data.iter().flat_map(|d| d.keys()))
            .cloned()
            .collect(),
        Object::Secret(s) => s
            .data
            .iter()
            .flat_map(|d| d.keys())
            .chain(s.string_data.iter().flat_map(|d| d.keys()))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    let mut sorted = data_keys;
    sorted.sort();
    sorted.dedup();
    for k in sorted {
        if wanted.as_ref().is_some_and(|w| !w.contains(&k.as_str())) {
            continue;
        }
        let env_name: String = k
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        if env_name != k {
            ctx.out.err(format!("Warning: key {k} transferred to {env_name}\n"));
        }
        let source = if key.kind == Kind::ConfigMap {
            EnvVarSource {
                config_map_key_ref: Some(ConfigMapKeySelector {
                    key: k.clone(),
                    name: name.to_string(),
                    optional: None,
                }),
                ..Default::default()
            }
        } else {
            EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    key: k.clone(),
                    name: name.to_string(),
                    optional: None,
                }),
                ..Default::default()
            }
        };
        out.push(EnvVar {
            name: format!("{prefix}{env_name}"),
            value: None,
            value_from: Some(source),
        });
    }
    Ok(out)
}
