//! `kubectl diff -f FILE` (staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go at v0.35.0): the
//! live objects against what an apply would make of them, each written as YAML into a LIVE and
//! a MERGED temporary directory and compared by `diff -u -N`, whose output is GNU diff's. The
//! merged object is the server's dry-run answer, so defaults, a new uid and a bumped
//! generation show. Secret data is masked. Exit status 1 means differences, 0 none, 2 an error.

use serde_json::Value;
use similar::TextDiff;

use super::apply::{LAST_APPLIED, modified_configuration};
use super::create::with_type;
use super::merge::three_way;
use super::sources::{Info, infos};
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::printers::yaml::to_yaml;
use crate::kubectl::{CmdError, Ctx, check_err, flag_error};
use crate::sim::clock::api_time;
use crate::store::Kind;

const FLAGS: &[flags::FlagSpec] = &[
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
    flag("recursive", Some('R'), false),
    flag("selector", Some('l'), true),
    flag("server-side", None, false),
    flag("force-conflicts", None, false),
    flag("field-manager", None, true),
    flag("show-managed-fields", None, false),
    flag("concurrency", None, true),
    flag("prune", None, false),
    multi("prune-allowlist", None),
];

/// The exit status of a diff that failed (`CheckDiffErr` adds one to kubectl's usual 1).
const ERROR_STATUS: i32 = 2;

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    match diff(args, ctx) {
        Ok(code) => Ok(code),
        Err(e) => {
            ctx.out.err(check_err(&e));
            Ok(ERROR_STATUS)
        }
    }
}

/// The file name of an object in the temporary directories (`InfoObject.Name`).
fn file_name(info: &Info) -> String {
    let r = info.kind.info();
    let group = if r.group.is_empty() {
        String::new()
    } else {
        format!("{}.", r.group)
    };
    format!(
        "{group}{}.{}.{}.{}",
        r.version,
        info.kind.name(),
        info.namespace(),
        info.name()
    )
}

/// The object as diff writes it: YAML without managed fields.
fn yaml(mut v: Value) -> String {
    if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("managedFields");
    }
    to_yaml(&v)
}

/// `Masker`: a Secret's values never show; a changed one says so.
fn mask(live: &mut Option<Value>, merged: &mut Value) {
    let from = live
        .as_ref()
        .and_then(|l| l.get("data"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let to = merged
        .get("data")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(d) = live
        .as_mut()
        .and_then(|l| l.get_mut("data"))
        .and_then(Value::as_object_mut)
    {
        for (k, v) in d.iter_mut() {
            let changed = to.get(k).is_some_and(|t| t != v);
            *v = Value::String(if changed { "*** (before)" } else { "***" }.into());
        }
    }
    if let Some(d) = merged.get_mut("data").and_then(Value::as_object_mut) {
        for (k, v) in d.iter_mut() {
            let changed = from.get(k).is_some_and(|f| f != v);
            *v = Value::String(if changed { "*** (after)" } else { "***" }.into());
        }
    }
}

fn diff(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("diff", e))?;
    if p.on("server-side") {
        return Err(CmdError::Msg(
            "\"kubectl diff --server-side\" is not available in Kubeplay yet: the API server keeps no field managers"
                .into(),
        ));
    }
    if !super::sources::given(&p) {
        return Err(CmdError::Msg(
            "error: must specify one of -f and -k\nSee 'kubectl diff -h' for help and examples".into(),
        ));
    }
    let ns = ctx.namespace(&p);
    let (infos, mut errs) = infos(&p, &ns, ctx)?;
    let mut files: Vec<(String, Option<String>, String)> = Vec::new();
    for info in &infos {
        match merged(info, ctx) {
            Ok((mut live, mut merged)) => {
                if info.kind == Kind::Secret {
                    mask(&mut live, &mut merged);
                }
                files.push((file_name(info), live.map(yaml), yaml(merged)));
            }
            Err(e) => errs.push(e),
        }
    }
    if !errs.is_empty() {
        return Err(if errs.len() == 1 {
            errs.remove(0)
        } else {
            CmdError::Multi(errs)
        });
    }
    // diff walks the two directories in name order.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut rng = ctx.world.rng_for("kubectl/diff");
    let live_dir = format!("/tmp/LIVE-{}", rng.below(u64::from(u32::MAX)));
    let merged_dir = format!("/tmp/MERGED-{}", rng.below(u64::from(u32::MAX)));
    let written = api_time(ctx.world.now()).0.strftime("%Y-%m-%d %H:%M:%S").to_string();
    let mut differs = false;
    for (name, live, merged) in files {
        let old = live.clone().unwrap_or_default();
        if old == merged {
            continue;
        }
        differs = true;
        let (a, b) = (format!("{live_dir}/{name}"), format!("{merged_dir}/{name}"));
        // An absent file (-N) is empty and dated at the epoch.
        let a_time = if live.is_some() {
            format!("{written}.000000000 +0000")
        } else {
            "1970-01-01 00:00:00.000000000 +0000".into()
        };
        let mut text = format!("diff -u -N {a} {b}\n--- {a}\t{a_time}\n+++ {b}\t{written}.000000000 +0000\n");
        let d = TextDiff::from_lines(&old, &merged);
        for hunk in d.unified_diff().context_radius(3).iter_hunks() {
            text.push_str(&hunk.to_string());
        }
        ctx.out.out(text);
    }
    Ok(i32::from(differs))
}

/// The live object (if any) and what an apply of the manifest would make of it, as the
/// server's dry run answers.
fn merged(info: &Info, ctx: &mut Ctx<'_>) -> Result<(Option<Value>, Value), CmdError> {
    let (modified, _) = modified_configuration(info);
    let key = info.key();
    let live = ctx.world.api().store().get(&key).cloned();
    let Some(live) = live else {
        let obj = crate::api::decode::decode(info.kind, modified)?;
        let made = ctx.world.api_mut().dry_run_create(obj)?;
        return Ok((None, with_type(&made)));
    };
    let live_value = live.to_value();
    let original = live_value
        .pointer(&format!("/metadata/annotations/{}", LAST_APPLIED.replace('/', "~1")))
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str::<Value>(s).ok());
    let merged = three_way(&live_value, original.as_ref(), &modified);
    let obj = crate::api::decode::decode(info.kind, merged)?;
    let (made, _) = ctx.world.api().admit_update(obj)?;
    Ok((Some(with_type(&live)), with_type(&made)))
}
