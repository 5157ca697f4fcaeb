//! `kubectl delete`: deletes by name, file, selector or `--all`, prints
//! `pod "web" deleted from default namespace` (1.34+ wording) and, as `--wait` defaults to
//! true, waits until the objects are gone — which for a pod is its graceful termination.

use crate::api::server::Propagation;
use crate::cluster::Idle;
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::resources::{Selection, parse_args};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::labels::Selector;
use crate::sim::clock::Millis;
use crate::store::ObjectKey;

use super::sources::infos;

const FLAGS: &[flags::FlagSpec] = &[
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
    flag("selector", Some('l'), true),
    flag("all", None, false),
    flag("all-namespaces", Some('A'), false),
    flag("grace-period", None, true),
    flag("force", None, false),
    flag("now", None, false),
    flag("wait", None, true),
    flag("timeout", None, true),
    flag("ignore-not-found", None, false),
    flag("output", Some('o'), true),
    flag("cascade", None, true),
];

/// `--cascade` (staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go `parseCascadingFlag`).
fn cascade(p: &flags::Parsed, ctx: &mut Ctx<'_>) -> Result<Propagation, CmdError> {
    let v = p.get("cascade").unwrap_or("background");
    Ok(match v.to_lowercase().as_str() {
        "background" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" => Propagation::Orphan,
        "true" => {
            ctx.out
                .err("warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.\n");
            Propagation::Background
        }
        "false" => {
            ctx.out.err(
                "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n",
            );
            Propagation::Orphan
        }
        _ => {
            return Err(CmdError::Msg(format!(
                "invalid cascade value ({v}). Must be \"background\", \"foreground\", or \"orphan\""
            )));
        }
    })
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("delete", e))?;
    let ns = ctx.namespace(&p);
    let propagation = cascade(&p, ctx)?;
    let force = p.on("force");
    let mut grace: Option<i64> = match p.get("grace-period") {
        Some(g) => Some(g.parse().map_err(|_| {
            CmdError::Msg(format!(
                "invalid argument {g:?} for \"--grace-period\" flag: strconv.ParseInt: parsing {g:?}: invalid syntax"
            ))
        })?),
        None => None,
    };
    if p.on("now") {
        if grace.is_some() {
            return Err(CmdError::Msg(
                "--now and --grace-period cannot be specified together".into(),
            ));
        }
        grace = Some(1);
    }
    if force && grace.is_some_and(|g| g > 0) {
        return Err(CmdError::Msg(
            "--force and --grace-period greater than 0 cannot be specified together".into(),
        ));
    }
    if grace == Some(0) && !force {
        grace = Some(1);
    }
    if force && grace.is_none() {
        grace = Some(0);
    }
    let selector = match p.get("selector") {
        Some(s) => Some(Selector::parse(s).map_err(CmdError::Msg)?),
        None => None,
    };
    if p.on("all") && selector.is_some() {
        return Err(CmdError::Msg("cannot set --all and --selector at the same time".into()));
    }
    let ignore_not_found = p.on("ignore-not-found") || p.on("all") || selector.is_some();
    let mut targets: Vec<(ObjectKey, Option<String>)> = Vec::new();
    let mut errors = Vec::new();
    if super::sources::given(&p) {
        let (infos, errs) = infos(&p, &ns, ctx)?;
        errors.extend(errs);
        for i in infos {
            targets.push((i.key(), Some(i.source.clone())));
        }
    } else {
        match parse_args(&p.args).map_err(CmdError::Msg)? {
            Selection::Types(kinds) if kinds.is_empty() => {
                return Err(CmdError::Msg("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".into()));
            }
            Selection::Types(kinds) => {
                if !p.on("all") && selector.is_none() {
                    return Err(CmdError::Msg(
                        "resource(s) were provided, but no name was specified".into(),
                    ));
                }
                for kind in kinds {
                    let scope = if p.on("all-namespaces") || !kind.info().namespaced {
                        None
                    } else {
                        Some(ns.as_str())
                    };
                    for o in ctx.world.api().list(kind, scope) {
                        if selector
                            .as_ref()
                            .is_none_or(|s| s.matches(&o.meta().labels.clone().unwrap_or_default()))
                        {
                            targets.push((ObjectKey::of(o), None));
                        }
                    }
                }
                if targets.is_empty() {
                    ctx.out.out("No resources found\n");
                    return Ok(0);
                }
            }
            Selection::Names(names) => {
                for (kind, name) in names {
                    targets.push((ObjectKey::new(kind, &ns, &name), None));
                }
            }
        }
    }
    let mut deleted = Vec::new();
    for (key, source) in targets {
        match ctx.world.api_mut().delete_with(&key, grace, propagation) {
            Ok(obj) => {
                let uid = obj.meta().uid.clone();
                let kg = key.kind.info().kind_group();
                let op = if grace == Some(0) { "force deleted" } else { "deleted" };
                if p.get("output") == Some("name") {
                    ctx.out.out(format!("{kg}/{}\n", key.name));
                } else if key.kind.info().namespaced {
                    ctx.out
                        .out(format!("{kg} {:?} {op} from {} namespace\n", key.name, key.namespace));
                } else {
                    ctx.out.out(format!("{kg} {:?} {op}\n", key.name));
                }
                deleted.push((key, uid));
            }
            Err(e) if e.reason == crate::api::Reason::NotFound && ignore_not_found => {}
            Err(e) => errors.push(match source {
                Some(s) => crate::kubectl::with_source("deleting", &s, e.into()),
                None => e.into(),
            }),
        }
    }
    if grace == Some(0) && force && !deleted.is_empty() {
        ctx.out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    let wait = p.get("wait").is_none_or(|w| w == "true");
    if wait && errors.is_empty() && !deleted.is_empty() {
        let timeout = match p.get("timeout") {
            Some(t) => super::wait::parse_duration(t).map_err(CmdError::Msg)?,
            None => 0,
        };
        let limit = if timeout == 0 {
            crate::cluster::WAIT_LIMIT
        } else {
            timeout
        };
        for key in wait_gone(ctx, &deleted, limit, timeout != 0) {
            errors.push(CmdError::Msg(format!(
                "timed out waiting for the condition on {}/{}",
                key.kind.info().plural,
                key.name
            )));
        }
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}

/// Lets virtual time pass until every object is gone or the limit is reached; returns the keys
/// still there at the deadline. An object of the same name with another UID counts as gone
/// (`IsDeleted` compares UIDs: a static pod's mirror comes back at once under its old name).
/// When nothing more can happen and no timeout was given, a real kubectl would wait on: the
/// terminal gives control back, at the latest after an hour of virtual time.
fn wait_gone(
    ctx: &mut Ctx<'_>,
    objects: &[(ObjectKey, Option<String>)],
    limit: Millis,
    explicit: bool,
) -> Vec<ObjectKey> {
    let deadline = ctx.world.now().saturating_add(limit);
    let present = |w: &crate::cluster::World, (k, uid): &(ObjectKey, Option<String>)| still_there(w, k, uid.as_ref());
    let idle = if explicit { Idle::PassTime } else { Idle::GiveUp };
    let gone = ctx
        .world
        .wait_until(deadline, idle, |w| !objects.iter().any(|o| present(w, o)));
    if gone || !explicit || ctx.world.livelocked() {
        return Vec::new();
    }
    objects
        .iter()
        .filter(|o| present(ctx.world, o))
        .map(|(k, _)| k.clone())
        .collect()
}

/// `IsDeleted`'s other side: the object under `key` is the one with `uid`, not a new one of
/// the same name (a static pod's mirror comes back at once under its old name).
pub(super) fn still_there(world: &crate::cluster::World, key: &ObjectKey, uid: Option<&String>) -> bool {
    world
        .api()
        .store()
        .get(key)
        .is_some_and(|o| o.meta().uid.as_ref() == uid)
}
