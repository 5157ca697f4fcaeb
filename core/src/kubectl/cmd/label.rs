//! `kubectl label` and `kubectl annotate` (staging/src/k8s.io/kubectl/pkg/cmd/label,
//! pkg/cmd/annotate): `KEY=VALUE` sets, `KEY-` removes, `--overwrite` to change a value that is
//! there, `--list` for labels, on `TYPE NAME...`, `TYPE/NAME`, `-l` or `--all`. The result line
//! says whether anything changed: `labeled`, `unlabeled` (only removals), `not labeled`.

use std::collections::BTreeMap;

use super::create::{DryRun, dry_run};
use crate::kubectl::flags::{self, flag};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::ObjectKey;

const FLAGS: &[flags::FlagSpec] = &[
    flag("overwrite", None, false),
    flag("list", None, false),
    flag("all", None, false),
    flag("selector", Some('l'), true),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("resource-version", None, true),
    flag("field-manager", None, true),
];

#[derive(Clone, Copy, PartialEq)]
enum Which {
    Label,
    Annotation,
}

impl Which {
    fn word(self) -> &'static str {
        match self {
            Which::Label => "label",
            Which::Annotation => "annotation",
        }
    }
}

pub fn label(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    run(args, Which::Label, ctx)
}

pub fn annotate(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    run(args, Which::Annotation, ctx)
}

/// `GetResourcesAndPairs`: resources first, then `k=v` / `k-` pairs.
fn split_pairs(args: &[String], which: Which) -> Result<(Vec<String>, Vec<String>), CmdError> {
    let (mut resources, mut pairs) = (Vec::new(), Vec::new());
    for a in args {
        let pair = (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
        match (pairs.is_empty(), pair) {
            (_, true) => pairs.push(a.clone()),
            (true, false) => resources.push(a.clone()),
            (false, false) => {
                return Err(CmdError::Msg(format!(
                    "all resources must be specified before {} changes: {a}",
                    which.word()
                )));
            }
        }
    }
    Ok((resources, pairs))
}

/// `parseLabels` / `parseAnnotations`.
fn parse_pairs(specs: &[String], which: Which) -> Result<(BTreeMap<String, String>, Vec<String>), CmdError> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    for spec in specs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            let (key, value) = match (which, parts.as_slice()) {
                (Which::Label, [k, v]) => (k.to_string(), v.to_string()),
                (Which::Annotation, _) => match spec.split_once('=') {
                    Some((k, v)) if !k.is_empty() => (k.to_string(), v.to_string()),
                    _ => return Err(CmdError::Msg(format!("invalid annotation format: {spec}"))),
                },
                _ => return Err(CmdError::Msg(format!("invalid label spec: {spec}"))),
            };
            if which == Which::Label {
                let errs = crate::api::validation::names::label_value(&value);
                if !errs.is_empty() {
                    return Err(CmdError::Msg(format!(
                        "invalid label value: {spec:?}: {}",
                        errs.join(";")
                    )));
                }
            }
            set.insert(key, value);
        } else if let Some(k) = spec.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(CmdError::Msg(format!("unknown {} spec: {spec}", which.word())));
        }
    }
    if remove.iter().any(|k| set.contains_key(k)) {
        let what = match which {
            Which::Label => "a label",
            Which::Annotation => "an annotation",
        };
        return Err(CmdError::Msg(format!(
            "can not both modify and remove {what} in the same command"
        )));
    }
    Ok((set, remove))
}

fn run(args: &[String], which: Which, ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = match which {
        Which::Label => "label",
        Which::Annotation => "annotate",
    };
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error(cmd, e))?;
    let (resources, pairs) = split_pairs(&p.args, which)?;
    let (set, remove) = parse_pairs(&pairs, which)?;
    let list = which == Which::Label && p.on("list");
    if p.on("all") && p.has("selector") {
        return Err(CmdError::Msg("cannot set --all and --selector at the same time".into()));
    }
    if resources.is_empty() {
        return Err(CmdError::Msg(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>".into(),
        ));
    }
    if set.is_empty() && remove.is_empty() && !list {
        return Err(CmdError::Msg(format!(
            "at least one {} update is required",
            which.word()
        )));
    }
    let dry = dry_run(&p)?;
    let keys: Vec<ObjectKey> = match super::set::targets(&resources, &p, ctx) {
        Ok(k) => k,
        Err(CmdError::Msg(m)) if m.starts_with("one or more resources") => {
            return Err(CmdError::Msg(
                "resource(s) were provided, but no name was specified".into(),
            ));
        }
        Err(e) => return Err(e),
    };
    let mut errors = Vec::new();
    for key in keys {
        if let Err(e) = one(&key, which, &set, &remove, list, dry, &p, ctx) {
            errors.push(e);
        }
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}

#[allow(clippy::too_many_arguments)]
fn one(
    key: &ObjectKey,
    which: Which,
    set: &BTreeMap<String, String>,
    remove: &[String],
    list: bool,
    dry: DryRun,
    p: &flags::Parsed,
    ctx: &mut Ctx<'_>,
) -> Result<(), CmdError> {
    let Some(obj) = ctx.world.api().store().get(key).cloned() else {
        return Err(crate::api::ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
    };
    let kg = key.kind.info().kind_group();
    if list {
        let info = key.kind.info();
        ctx.out.out(format!(
            "Listing labels for {}.{}/{}:\n",
            key.kind.name(),
            info.group,
            key.name
        ));
        for (k, v) in obj.meta().labels.clone().unwrap_or_default() {
            ctx.out.out(format!(" {k}={v}\n"));
        }
        return Ok(());
    }
    let old: BTreeMap<String, String> = match which {
        Which::Label => obj.meta().labels.clone(),
        Which::Annotation => obj.meta().annotations.clone(),
    }
    .unwrap_or_default();
    let overwrite = p.on("overwrite");
    if !overwrite {
        let clashes: Vec<String> = set
            .iter()
            .filter_map(|(k, v)| {
                old.get(k)
                    .filter(|cur| *cur != v)
                    .map(|cur| format!("'{k}' already has a value ({cur}), and --overwrite is false"))
            })
            .collect();
        if !clashes.is_empty() {
            return Err(CmdError::Msg(clashes.join(", ")));
        }
    }
    if let Some(rv) = p.get("resource-version")
        && obj.meta().resource_version.as_deref() != Some(rv)
    {
        return Err(crate::api::ApiError::new(
            crate::api::Reason::Conflict,
            format!(
                "Operation cannot be fulfilled on {} {:?}: the object has been modified; please apply your changes to the latest version and try again",
                key.kind.info().resource_group(),
                key.name
            ),
        )
        .into());
    }
    let mut new = old.clone();
    for k in remove {
        if which == Which::Label && !new.contains_key(k) {
            ctx.out.out(format!("label {k:?} not found.\n"));
        }
        new.remove(k);
    }
    new.extend(set.iter().map(|(k, v)| (k.clone(), v.clone())));
    let verb = match which {
        Which::Label => ("labeled", "unlabeled", "not labeled"),
        Which::Annotation => ("annotated", "unannotated", "not annotated"),
    };
    // updateDataChangeMsg: a change that only shrank the map without --overwrite is a removal.
    let msg = if new == old {
        verb.2
    } else if !overwrite && new.len() < old.len() {
        verb.1
    } else {
        verb.0
    };
    if new != old && dry != DryRun::Client {
        let mut next = obj;
        let slot = match which {
            Which::Label => &mut next.meta_mut().labels,
            Which::Annotation => &mut next.meta_mut().annotations,
        };
        *slot = (!new.is_empty()).then_some(new);
        if dry == DryRun::None {
            ctx.world.api_mut().update(next)?;
        }
    }
    let suffix = match dry {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    match p.get("output") {
        Some("name") => ctx.out.out(format!("{kg}/{}\n", key.name)),
        _ => ctx.out.out(format!("{kg}/{} {msg}{suffix}\n", key.name)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_follow_resources() {
        let args: Vec<String> = ["pod", "web", "a=b", "c-"].map(String::from).to_vec();
        let (r, p) = split_pairs(&args, Which::Label).unwrap_or_default();
        assert_eq!(r, ["pod", "web"]);
        assert_eq!(p, ["a=b", "c-"]);
        let bad: Vec<String> = ["pod", "a=b", "web"].map(String::from).to_vec();
        assert!(split_pairs(&bad, Which::Label).is_err());
        let both: Vec<String> = ["a=b", "a-"].map(String::from).to_vec();
        assert!(parse_pairs(&both, Which::Label).is_err());
    }
}
