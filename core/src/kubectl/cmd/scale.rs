//! `kubectl scale`: sets `replicas` through the scale subresource of Deployments, ReplicaSets
//! and StatefulSets, with the `--current-replicas` precondition
//! (staging/src/k8s.io/kubectl/pkg/cmd/scale, pkg/scale/scale.go).

use crate::api::{ApiError, Reason};
use crate::kubectl::flags::{self, flag};
use crate::kubectl::resources::{Selection, parse_args};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::ObjectKey;

const FLAGS: &[flags::FlagSpec] = &[
    flag("replicas", None, true),
    flag("current-replicas", None, true),
    flag("resource-version", None, true),
    flag("timeout", None, true),
    flag("output", Some('o'), true),
    flag("dry-run", None, true),
    flag("all", None, false),
    flag("selector", Some('l'), true),
];

fn int_flag(p: &flags::Parsed, name: &str) -> Result<Option<i64>, CmdError> {
    match p.get(name) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            CmdError::Msg(format!(
                "invalid argument {v:?} for \"--{name}\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"
            ))
        }),
    }
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("scale", e))?;
    let Some(replicas) = int_flag(&p, "replicas")? else {
        return Err(CmdError::Msg("required flag(s) \"replicas\" not set".into()));
    };
    if replicas < 0 {
        return Err(CmdError::Msg(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0".into(),
        ));
    }
    let replicas = i32::try_from(replicas).map_err(|_| {
        CmdError::Msg(format!(
            "invalid argument \"{replicas}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{replicas}\": value out of range"
        ))
    })?;
    let current = int_flag(&p, "current-replicas")?;
    let ns = ctx.namespace(&p);
    let targets: Vec<ObjectKey> = match parse_args(&p.args).map_err(CmdError::Msg)? {
        Selection::Names(names) => names.into_iter().map(|(k, n)| ObjectKey::new(k, &ns, &n)).collect(),
        Selection::Types(kinds) if kinds.is_empty() => {
            return Err(CmdError::Msg("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".into()));
        }
        Selection::Types(kinds) => {
            if !p.on("all") && p.get("selector").is_none() {
                return Err(CmdError::Msg(
                    "resource(s) were provided, but no name was specified".into(),
                ));
            }
            let selector = match p.get("selector") {
                Some(s) => Some(crate::labels::Selector::parse(s).map_err(CmdError::Msg)?),
                None => None,
            };
            let mut keys = Vec::new();
            for kind in kinds {
                for o in ctx.world.api().list(kind, Some(&ns)) {
                    if selector
                        .as_ref()
                        .is_none_or(|s| s.matches(o.meta().labels.as_ref().unwrap_or(&Default::default())))
                    {
                        keys.push(ObjectKey::of(o));
                    }
                }
            }
            keys
        }
    };
    let mut errors = Vec::new();
    for key in targets {
        match scale_one(&key, replicas, current, ctx) {
            Ok(()) => ctx
                .out
                .out(format!("{}/{} scaled\n", key.kind.info().kind_group(), key.name)),
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}

fn scale_one(key: &ObjectKey, replicas: i32, current: Option<i64>, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let Some(obj) = ctx.world.api().store().get(key).cloned() else {
        return Err(ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
    };
    let Some(have) = crate::api::scale::replicas(&obj) else {
        // GET .../<name>/scale on a kind that has no such subresource.
        return Err(ApiError::new(Reason::NotFound, "the server could not find the requested resource").into());
    };
    if let Some(want) = current
        && want != i64::from(have)
    {
        return Err(CmdError::Msg(format!("Expected replicas to be {want}, was {have}")));
    }
    let mut next = obj;
    crate::api::scale::set_replicas(&mut next, replicas);
    ctx.world.api_mut().update(next)?;
    Ok(())
}
