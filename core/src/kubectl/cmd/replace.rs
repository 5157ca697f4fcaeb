//! `kubectl replace -f FILE [--force]` (staging/src/k8s.io/kubectl/pkg/cmd/replace/replace.go
//! at v0.35.0): each object of the files replaces the stored one whole (a PUT), so what the
//! file leaves out is gone, the last-applied annotation of an earlier apply included unless
//! `--save-config`. `--force` deletes the objects, waits until they are gone (a pod's grace
//! period passes on the virtual clock), and creates them again.

use serde_json::Value;

use super::create::{DryRun, dry_run, print_result};
use super::sources::{Info, infos};
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::{CmdError, Ctx, flag_error, with_source};
use crate::sim::clock::{MINUTE, SECOND};
use crate::store::ObjectKey;

const FLAGS: &[flags::FlagSpec] = &[
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
    flag("recursive", Some('R'), false),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("validate", None, true),
    flag("force", None, false),
    flag("grace-period", None, true),
    flag("timeout", None, true),
    flag("cascade", None, true),
    flag("wait", None, false),
    flag("save-config", None, false),
    flag("field-manager", None, true),
    flag("subresource", None, true),
    flag("show-managed-fields", None, false),
    flag("allow-missing-template-keys", None, true),
];

/// How long `--force` waits for the old objects to go (its `--timeout` default).
const FORCE_WAIT: crate::sim::clock::Millis = 5 * MINUTE;

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("replace", e))?;
    let force = p.on("force");
    let grace: Option<i64> = match p.get("grace-period") {
        Some(g) => Some(g.parse().map_err(|_| {
            CmdError::Msg(format!(
                "invalid argument {g:?} for \"--grace-period\" flag: strconv.ParseInt: parsing {g:?}: invalid syntax"
            ))
        })?),
        None => None,
    };
    let timeout = match p.get("timeout") {
        Some(t) => super::wait::parse_duration(t)
            .map_err(|e| CmdError::Msg(format!("invalid argument {t:?} for \"--timeout\" flag: {e}")))?,
        None => 0,
    };
    let dry = dry_run(&p)?;
    if grace.is_some_and(|g| g >= 0) && !force {
        return Err(CmdError::Msg("--grace-period must have --force specified".into()));
    }
    if timeout != 0 && !force {
        return Err(CmdError::Msg("--timeout must have --force specified".into()));
    }
    if force && dry != DryRun::None {
        return Err(CmdError::Msg("--dry-run can not be used when --force is set".into()));
    }
    if !super::sources::given(&p) {
        return Err(CmdError::Msg("must specify --filename to replace".into()));
    }
    super::create::check_output(&p, ctx)?;
    let ns = ctx.namespace(&p);
    let (infos, mut errs) = infos(&p, &ns, ctx)?;
    if force {
        force_replace(&infos, grace, timeout, &p, ctx)?;
    } else {
        for info in &infos {
            match replace_one(info, dry, &p, ctx) {
                Ok(()) => {}
                Err(e) => errs.push(e),
            }
        }
    }
    crate::kubectl::finish(errs)
}

/// `CreateOrUpdateAnnotation`: `--save-config` writes the last-applied annotation; without it
/// one the file carries is brought up to date.
fn body(info: &Info, p: &flags::Parsed) -> Value {
    let has = info
        .value
        .pointer(&format!(
            "/metadata/annotations/{}",
            super::apply::LAST_APPLIED.replace('/', "~1")
        ))
        .is_some();
    if p.on("save-config") || has {
        super::apply::modified_configuration(info).0
    } else {
        info.value.clone()
    }
}

fn replace_one(info: &Info, dry: DryRun, p: &flags::Parsed, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    let v = body(info, p);
    let obj = match dry {
        DryRun::Client => crate::api::decode::decode(info.kind, v)?,
        DryRun::Server => {
            if ctx.world.api().store().get(&info.key()).is_none() {
                let e = crate::api::ApiError::not_found(&info.kind.info().resource_group(), info.name());
                return Err(with_source("replacing", &info.source, e.into()));
            }
            let mut o = crate::api::decode::decode(info.kind, v)?;
            crate::api::defaults::apply(&mut o);
            o
        }
        DryRun::None => ctx
            .world
            .api_mut()
            .update_json(info.kind, v)
            .map_err(|e| with_source("replacing", &info.source, e.into()))?,
    };
    print_result(&obj, "replaced", dry, p, ctx);
    Ok(())
}

/// `forceReplace`: delete what is there (a missing object is fine), wait until it is gone,
/// create anew.
fn force_replace(
    infos: &[Info],
    grace: Option<i64>,
    timeout: u64,
    p: &flags::Parsed,
    ctx: &mut Ctx<'_>,
) -> Result<(), CmdError> {
    // `--grace-period=0` becomes 1 so that nothing is lost by accident (replace.go).
    let grace = grace.filter(|g| *g >= 0).map(|g| g.max(1));
    let mut found = 0;
    let mut pending: Vec<ObjectKey> = Vec::new();
    for info in infos {
        let key = info.key();
        if ctx.world.api().store().get(&key).is_none() {
            continue;
        }
        found += 1;
        ctx.world.api_mut().delete(&key, grace)?;
        let kg = key.kind.info().kind_group();
        if p.get("output") == Some("name") {
            ctx.out.out(format!("{kg}/{}\n", key.name));
        } else if key.kind.info().namespaced {
            ctx.out.out(format!(
                "{kg} {:?} deleted from {} namespace\n",
                key.name, key.namespace
            ));
        } else {
            ctx.out.out(format!("{kg} {:?} deleted\n", key.name));
        }
        pending.push(key);
    }
    if found == 0 {
        ctx.out.out("No resources found\n");
    }
    // Poll every second until each is gone.
    let limit = if timeout == 0 { FORCE_WAIT } else { timeout };
    let deadline = ctx.world.now().saturating_add(limit);
    while pending.iter().any(|k| ctx.world.api().store().get(k).is_some()) {
        if ctx.world.now() >= deadline {
            return Err(CmdError::Msg("timed out waiting for the condition".into()));
        }
        ctx.world.advance(SECOND);
    }
    let mut count = 0;
    for info in infos {
        let obj = ctx
            .world
            .api_mut()
            .create_json(info.kind, body(info, p))
            .map_err(CmdError::from)?;
        count += 1;
        print_result(&obj, "replaced", DryRun::None, p, ctx);
    }
    if count == 0 {
        return Err(CmdError::Msg("no objects passed to replace".into()));
    }
    Ok(())
}
