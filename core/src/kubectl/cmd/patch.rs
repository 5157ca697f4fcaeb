//! `kubectl patch` (staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go): a strategic merge,
//! JSON merge or JSON patch given with `-p` (YAML or JSON) or `--patch-file`, sent to the API
//! server for `TYPE NAME`, `TYPE/NAME` or `-f FILE`, or applied to the file with `--local`.
//! The result line says `patched`, or `patched (no change)` when the object came back equal.

use serde_json::Value;

use super::create::{DryRun, dry_run, with_type};
use super::sources::infos;
use crate::api::patch::{self, PatchType};
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::printers::generic::Generic;
use crate::kubectl::printers::{json::to_json, yaml::to_yaml};
use crate::kubectl::resources::{Selection, parse_args};
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};
use crate::store::ObjectKey;

const FLAGS: &[flags::FlagSpec] = &[
    flag("patch", Some('p'), true),
    flag("patch-file", None, true),
    flag("type", None, true),
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
    flag("local", None, false),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("subresource", None, true),
    flag("field-manager", None, true),
    flag("record", None, false),
];

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("patch", e))?;
    let ns = ctx.namespace(&p);
    let ty_word = p.get("type").unwrap_or("strategic");
    let ty = PatchType::parse(&ty_word.to_lowercase())
        .ok_or_else(|| CmdError::Msg(format!("--type must be one of [json merge strategic], not {ty_word:?}")))?;
    if p.on("local") && !p.args.is_empty() {
        return Err(CmdError::Msg("cannot specify --local and server resources".into()));
    }
    let text = match (p.get("patch"), p.get("patch-file")) {
        (Some(_), Some(_)) => {
            return Err(CmdError::Msg("cannot specify --patch and --patch-file together".into()));
        }
        (Some(t), None) if !t.is_empty() => t.to_string(),
        (None, Some(f)) if !f.is_empty() => ctx.files.read(f).map_err(|_| {
            CmdError::Msg(format!(
                "unable to read patch file: open {f}: no such file or directory"
            ))
        })?,
        _ => {
            return Err(CmdError::Msg(
                "must specify --patch or --patch-file containing the contents of the patch".into(),
            ));
        }
    };
    if let Some(sub) = p.get("subresource")
        && !matches!(sub, "status" | "scale")
    {
        return Err(CmdError::Msg(format!(
            "invalid subresource value: {sub:?}. Must be one of [status scale]"
        )));
    }
    let dry = dry_run(&p)?;
    // yaml.ToJSON passes text that starts with `{` through as it is; the server parses it.
    let body = if text.trim_start().starts_with('{') {
        text.clone()
    } else {
        let shown = p.get("patch").unwrap_or("");
        let v = crate::api::manifest::to_json(&text)
            .map_err(|e| CmdError::Msg(format!("unable to parse {shown:?}: {e}")))?;
        serde_json::to_string(&v).unwrap_or_default()
    };
    // The objects: from files (their live versions unless --local) or from arguments.
    let mut targets: Vec<(ObjectKey, Option<Value>)> = Vec::new();
    if super::sources::given(&p) {
        let (found, mut errs) = infos(&p, &ns, ctx)?;
        if let Some(e) = errs.drain(..).next() {
            return Err(e);
        }
        for info in found {
            let local = p.on("local").then(|| {
                let mut v = info.value.clone();
                if info.namespace_defaulted
                    && let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut)
                {
                    meta.remove("namespace");
                }
                v
            });
            targets.push((info.key(), local));
        }
    } else if p.on("local") {
        return Err(CmdError::Msg("--local requires --filename (-f)".into()));
    } else {
        match parse_args(&p.args).map_err(CmdError::Msg)? {
            Selection::Names(names) => {
                targets.extend(names.into_iter().map(|(k, n)| (ObjectKey::new(k, &ns, &n), None)));
            }
            Selection::Types(kinds) if kinds.is_empty() => {
                return Err(usage_error(
                    "patch",
                    "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
                ));
            }
            Selection::Types(_) => {
                return Err(CmdError::Msg(
                    "resource(s) were provided, but no name was specified".into(),
                ));
            }
        }
    }
    if targets.is_empty() {
        return Err(CmdError::Msg("no objects passed to patch".into()));
    }
    // ContinueOnError: each object's line as it is reached, the errors after them all.
    let mut errors = Vec::new();
    for (key, local) in targets {
        if let Err(e) = one(&key, local, ty, &body, dry, &p, ctx) {
            errors.push(e);
        }
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}

fn one(
    key: &ObjectKey,
    local: Option<Value>,
    ty: PatchType,
    body: &str,
    dry: DryRun,
    p: &flags::Parsed,
    ctx: &mut Ctx<'_>,
) -> Result<(), CmdError> {
    if let Some(original) = local {
        return local_patch(key, &original, ty, body, p, ctx);
    }
    if dry == DryRun::Client {
        let live = ctx.world.api().store().get(key).map(with_type);
        let Some(live) = live else {
            return Err(crate::api::ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
        };
        return local_patch(key, &live, ty, body, p, ctx);
    }
    let got = ctx
        .world
        .api_mut()
        .patch(key, ty, body, p.get("subresource"), dry == DryRun::Server)
        .map_err(CmdError::from)?;
    for w in &got.warnings {
        ctx.out.err(format!("Warning: {w}\n"));
    }
    let verb = if got.changed { "patched" } else { "patched (no change)" };
    if p.get("subresource") == Some("scale") {
        ctx.out.out(format!("scale.autoscaling/{} {verb}\n", key.name));
        return Ok(());
    }
    print(key, &with_type(&got.object), verb, p, ctx)
}

/// `--local` and `--dry-run=client`: the patch applied by kubectl itself, with the patch
/// libraries' own error texts.
fn local_patch(
    key: &ObjectKey,
    original: &Value,
    ty: PatchType,
    body: &str,
    p: &flags::Parsed,
    ctx: &mut Ctx<'_>,
) -> Result<(), CmdError> {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let patched = match (ty, parsed) {
        (PatchType::Strategic, Some(v @ Value::Object(_))) => patch::apply(key.kind, ty, original, &v),
        (PatchType::Strategic, Some(Value::Null)) => Ok(original.clone()),
        (PatchType::Strategic, _) => Err("invalid JSON document".into()),
        (PatchType::Merge, Some(v @ Value::Object(_))) => patch::apply(key.kind, ty, original, &v),
        (PatchType::Merge, _) => Err("Invalid JSON Patch".into()),
        (PatchType::Json, Some(Value::Null)) => Ok(original.clone()),
        (PatchType::Json, Some(v @ Value::Array(_))) => {
            match v.as_array().and_then(|a| a.iter().find(|o| !o.is_object())) {
                Some(op) => Err(format!(
                    "json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                    json_type(op)
                )),
                None => patch::apply(key.kind, ty, original, &v),
            }
        }
        (PatchType::Json, Some(v)) => Err(format!(
            "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
            json_type(&v)
        )),
        (PatchType::Json, None) => Err(crate::api::gojson::syntax_error(body).unwrap_or_default()),
    }
    .map_err(|e| CmdError::Msg(missing_field(e)))?;
    let verb = if &patched == original {
        "patched (no change)"
    } else {
        "patched"
    };
    let name = patched
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or(&key.name);
    let shown = ObjectKey::new(key.kind, &key.namespace, name);
    print(&shown, &patched, verb, p, ctx)
}

/// kubectl rewrites json-patch's `doc is missing key: X` as `Object to be patched is missing
/// field (X)`.
fn missing_field(e: String) -> String {
    match e.split_once("doc is missing key: ") {
        Some((_, rest)) => format!("Object to be patched is missing field ({rest})"),
        None => e,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
    }
}

fn print(key: &ObjectKey, v: &Value, verb: &str, p: &flags::Parsed, ctx: &mut Ctx<'_>) -> Result<(), CmdError> {
    match p.get("output") {
        Some("yaml") => ctx.out.out(to_yaml(v)),
        Some("json") => ctx.out.out(format!("{}\n", to_json(v))),
        Some("name") => ctx.out.out(format!("{}/{}\n", key.kind.info().kind_group(), key.name)),
        None | Some("") => ctx
            .out
            .out(format!("{}/{} {verb}\n", key.kind.info().kind_group(), key.name)),
        Some(o) => match Generic::from_output(o, ctx)? {
            Some(g) => {
                let text = g.print(v, false)?;
                ctx.out.out(text);
            }
            None => {
                return Err(CmdError::Msg(format!(
                    "unable to match a printer suitable for the output format {o:?}, allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml"
                )));
            }
        },
    }
    Ok(())
}
