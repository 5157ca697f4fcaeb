//! `kubectl set resources` (staging/src/k8s.io/kubectl/pkg/cmd/set/set_resources.go): merges
//! `--limits` and `--requests` into the matching containers' resources; other keys stay. A
//! request above its limit is the API server's refusal, not kubectl's.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::set::{container_matches, no_template, pod_spec_mut, targets, write};
use crate::kubectl::flags::{self, flag};
use crate::kubectl::{CmdError, Ctx, flag_error};

const FLAGS: &[flags::FlagSpec] = &[
    flag("limits", None, true),
    flag("requests", None, true),
    flag("containers", Some('c'), true),
    flag("all", None, false),
    flag("selector", Some('l'), true),
    flag("output", Some('o'), true),
];

/// `--limits=cpu=200m,memory=512Mi` (`HandleResourceRequirementsV1`).
fn parse_list(text: &str) -> Result<BTreeMap<String, Quantity>, CmdError> {
    let mut out = BTreeMap::new();
    for part in text.split(',').filter(|p| !p.is_empty()) {
        let Some((name, value)) = part.split_once('=').filter(|(n, v)| !n.is_empty() && !v.is_empty()) else {
            return Err(CmdError::Msg(format!(
                "Invalid argument syntax {part}, expected <resource>=<value>"
            )));
        };
        if crate::api::quantity::Quantity::parse(value).is_err() {
            return Err(CmdError::Msg(
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".into(),
            ));
        }
        out.insert(name.to_string(), Quantity(value.to_string()));
    }
    Ok(out)
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("set resources", e))?;
    let limits = parse_list(p.get("limits").unwrap_or(""))?;
    let requests = parse_list(p.get("requests").unwrap_or(""))?;
    if limits.is_empty() && requests.is_empty() {
        return Err(CmdError::Msg(
            "you must specify an update to requests or limits (in the form of --requests/--limits)".into(),
        ));
    }
    let pattern = p.get("containers").unwrap_or("*").to_string();
    let keys = targets(&p.args, &p, ctx)?;
    let mut errors: Vec<CmdError> = Vec::new();
    for key in keys {
        let Some(mut obj) = ctx.world.api().store().get(&key).cloned() else {
            errors.push(crate::api::ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
            continue;
        };
        let before = obj.clone();
        let Some(spec) = pod_spec_mut(&mut obj) else {
            errors.push(no_template(&key));
            continue;
        };
        let mut found = false;
        for c in spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut().flatten())
            .filter(|c| container_matches(&pattern, &c.name))
        {
            found = true;
            let r = c.resources.get_or_insert_with(ResourceRequirements::default);
            if !limits.is_empty() {
                r.limits.get_or_insert_with(Default::default).extend(limits.clone());
            }
            if !requests.is_empty() {
                r.requests.get_or_insert_with(Default::default).extend(requests.clone());
            }
        }
        if !found {
            errors.push(CmdError::Msg(format!("unable to find container named {pattern}")));
            continue;
        }
        if obj == before {
            continue;
        }
        if let Err(e) = write(obj, "resource requirements", ctx) {
            errors.push(e);
        }
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}
