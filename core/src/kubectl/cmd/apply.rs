//! `kubectl apply -f`: client-side apply. Every object is read first; then each is created
//! (with its `last-applied-configuration`) or three-way merged into the live object, printing
//! `created`, `configured` or `unchanged` as it goes and the errors at the end
//! (kubectl/pkg/cmd/apply/apply.go).

use serde_json::Value;

use super::create::{DryRun, with_type};
use super::merge::three_way;
use super::sources::{Info, infos};
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error, with_source};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

const FLAGS: &[flags::FlagSpec] = &[
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("validate", None, true),
    flag("recursive", Some('R'), false),
    flag("selector", Some('l'), true),
    flag("prune", None, false),
    flag("all", None, false),
    multi("prune-allowlist", None),
    flag("server-side", None, false),
    flag("force-conflicts", None, false),
    flag("field-manager", None, true),
    flag("force", None, false),
    flag("grace-period", None, true),
    flag("overwrite", None, true),
    flag("cascade", None, true),
    flag("wait", None, false),
    flag("timeout", None, true),
    flag("show-managed-fields", None, false),
    flag("allow-missing-template-keys", None, true),
];

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("apply", e))?;
    if !p.args.is_empty() {
        return Err(usage_error(
            "apply",
            &format!("Unexpected args: [{}]", p.args.join(" ")),
        ));
    }
    if !super::sources::given(&p) {
        return Err(CmdError::Msg("must specify one of -f and -k".into()));
    }
    let dry = super::create::dry_run(&p)?;
    validate(&p, dry)?;
    if p.on("server-side") {
        return Err(CmdError::Msg(
            "\"kubectl apply --server-side\" is not available in Kubeplay yet: the API server keeps no field managers; use client-side apply".into(),
        ));
    }
    let dry_run = match dry {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    // `shouldPrintObject`: any -o but `name` prints the objects at the end, not a line each.
    let output = p.get("output").unwrap_or("");
    let print_objects = !output.is_empty() && output != "name";
    let allowlist = prune_allowlist(&p)?;
    let ns = ctx.namespace(&p);
    let (mut infos, mut errs) = infos(&p, &ns, ctx)?;
    // The builder's LabelSelectorParam: only the documents whose labels match are applied.
    if let Some(sel) = p.get("selector") {
        let sel = crate::labels::Selector::parse(sel).map_err(CmdError::Msg)?;
        infos.retain(|i| {
            let labels: std::collections::BTreeMap<String, String> = i
                .value
                .pointer("/metadata/labels")
                .and_then(|l| serde_json::from_value(l.clone()).ok())
                .unwrap_or_default();
            sel.matches(&labels)
        });
    }
    if infos.is_empty() && errs.is_empty() {
        return Err(CmdError::Msg("no objects passed to apply".into()));
    }
    let mut applied: Vec<Value> = Vec::new();
    let mut visited = Visited::default();
    if p.has("namespace") {
        visited.namespaces.insert(ns.clone());
    }
    for info in &infos {
        if info.kind.info().namespaced {
            visited.namespaces.insert(info.namespace().to_string());
        }
        match apply_one(info, dry, ctx) {
            Ok((op, obj)) => {
                if let Some(uid) = obj.pointer("/metadata/uid").and_then(Value::as_str) {
                    visited.uids.insert(uid.to_string());
                }
                let kind_group = info.kind.info().kind_group();
                if print_objects {
                    applied.push(obj);
                } else if output == "name" {
                    ctx.out.out(format!("{kind_group}/{}\n", info.name()));
                } else {
                    ctx.out.out(format!("{kind_group}/{} {op}{dry_run}\n", info.name()));
                }
            }
            Err(e) => errs.push(e),
        }
    }
    match errs.len() {
        0 => {}
        1 => return Err(errs.remove(0)),
        _ => return Err(CmdError::Multi(errs)),
    }
    // PrintAndPrunePostProcessor: the objects (a List of several), then the pruning.
    if print_objects {
        let printer = super::create::printer(&p, ctx)?;
        let shown = match applied.len() {
            1 => applied.remove(0),
            _ => serde_json::json!({"apiVersion": "v1", "items": applied, "kind": "List", "metadata": {}}),
        };
        let text = match (printer, output) {
            (Some(g), _) => g.print(&shown, false)?,
            (None, "yaml") => crate::kubectl::printers::yaml::to_yaml(&shown),
            (None, _) => format!("{}\n", crate::kubectl::printers::json::to_json(&shown)),
        };
        ctx.out.out(text);
    }
    if p.on("prune") {
        super::apply_prune::prune(&p, dry, &allowlist, &visited, ctx)?;
    }
    Ok(0)
}

/// `ApplyOptions.Validate`.
fn validate(p: &flags::Parsed, dry: DryRun) -> Result<(), CmdError> {
    let server_side = p.on("server-side");
    let msg = |m: &str| Err(CmdError::Msg(m.into()));
    if p.on("force-conflicts") && !server_side {
        return msg("--force-conflicts only works with --server-side");
    }
    if dry == DryRun::Client && server_side {
        return msg("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
    }
    if server_side && p.on("force") {
        return msg("--force cannot be used with --server-side");
    }
    if dry == DryRun::Server && p.on("force") {
        return msg("--dry-run=server cannot be used with --force");
    }
    if p.on("all") && p.has("selector") {
        return msg("cannot set --all and --selector at the same time");
    }
    if p.on("prune") {
        if p.on("force") {
            return msg("--force cannot be used with --prune");
        }
        if !p.on("all") && !p.has("selector") {
            return msg(
                "all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector",
            );
        }
        if server_side {
            return msg("--prune is in alpha and doesn't currently work on objects created by server-side apply");
        }
    }
    Ok(())
}

/// `prune.ParseResources`: `--prune-allowlist=core/v1/ConfigMap` entries.
fn prune_allowlist(p: &flags::Parsed) -> Result<Vec<crate::store::Kind>, CmdError> {
    let mut kinds = Vec::new();
    for gvk in p.all("prune-allowlist") {
        let parts: Vec<&str> = gvk.split('/').collect();
        let [group, version, kind] = parts.as_slice() else {
            return Err(CmdError::Msg(format!(
                "invalid GroupVersionKind format: {gvk}, please follow <group/version/kind>"
            )));
        };
        let group = if *group == "core" { "" } else { group };
        let found = crate::store::RESOURCES
            .iter()
            .find(|r| r.group == group && r.kind.name() == *kind && r.version == *version);
        match found {
            Some(r) => kinds.push(r.kind),
            None => {
                let gv = if group.is_empty() {
                    version.to_string()
                } else {
                    format!("{group}/{version}")
                };
                return Err(CmdError::Msg(format!("no matches for kind {kind:?} in version {gv:?}")));
            }
        }
    }
    Ok(kinds)
}

/// What an apply touched, for pruning: the namespaces and the objects' UIDs.
#[derive(Default)]
pub(super) struct Visited {
    pub namespaces: std::collections::BTreeSet<String>,
    pub uids: std::collections::BTreeSet<String>,
}

/// `GetModifiedConfiguration`: the manifest with its own last-applied annotation, as compact
/// JSON with sorted keys and a final newline.
pub(super) fn modified_configuration(info: &Info) -> (Value, String) {
    let mut v = info.value.clone();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        let annotations = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(a) = annotations.as_object_mut() {
            a.remove(LAST_APPLIED);
        }
    }
    let text = format!("{}\n", serde_json::to_string(&v).unwrap_or_default());
    if let Some(a) = v.pointer_mut("/metadata/annotations").and_then(Value::as_object_mut) {
        a.insert(LAST_APPLIED.into(), Value::String(text.clone()));
    }
    (v, text)
}

/// Applies one object: the operation it printed and the object as the server returned it
/// (or, in a client dry run, as kubectl holds it).
fn apply_one(info: &Info, dry: DryRun, ctx: &mut Ctx<'_>) -> Result<(&'static str, Value), CmdError> {
    let name = info.name().to_string();
    let ns = info.namespace().to_string();
    if name.is_empty() {
        let r = info.kind.info();
        let group_version = r.group_version();
        return Err(CmdError::Msg(format!(
            "error when retrieving current configuration of:\nResource: \"{group_version}, Resource={}\", GroupVersionKind: \"{group_version}, Kind={}\"\nName: \"\", Namespace: {ns:?}\nfrom server for: {:?}: resource name may not be empty",
            r.plural,
            info.kind.name(),
            info.source
        )));
    }
    let (modified, _) = modified_configuration(info);
    let key = info.key();
    let live = ctx.world.api().store().get(&key).map(|o| o.to_value());
    let Some(live) = live else {
        return match dry {
            DryRun::Client => Ok(("created", modified)),
            DryRun::Server => server_dry_run(info.kind, modified).map(|o| ("created", o)),
            DryRun::None => ctx
                .world
                .api_mut()
                .create_json(info.kind, modified)
                .map(|o| ("created", with_type(&o)))
                .map_err(|e| with_source("creating", &info.source, e.into())),
        };
    };
    if dry == DryRun::Client {
        // The client's copy was refreshed from the server and no patch is sent.
        let shown = crate::api::decode::decode(info.kind, live).map(|o| with_type(&o))?;
        return Ok(("configured", shown));
    }
    let original = live
        .pointer(&format!("/metadata/annotations/{}", LAST_APPLIED.replace('/', "~1")))
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str::<Value>(s).ok());
    if original.is_none() && dry != DryRun::Client {
        ctx.out.err(format!(
            "Warning: resource {}/{name} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
            info.kind.info().plural
        ));
    }
    let merged = three_way(&live, original.as_ref(), &modified);
    if merged == live {
        let shown = crate::api::decode::decode(info.kind, live).map(|o| with_type(&o))?;
        return Ok(("unchanged", shown));
    }
    if dry == DryRun::Server {
        return server_dry_run(info.kind, merged).map(|o| ("configured", o));
    }
    ctx.world
        .api_mut()
        .update_json(info.kind, merged)
        .map(|o| ("configured", with_type(&o)))
        .map_err(|e| {
            if e.reason == crate::api::Reason::BadRequest && e.message.contains("strict decoding error") {
                // A patch the server cannot decode is reported against the patch itself.
                let detail = e
                    .message
                    .split(": strict decoding error: ")
                    .nth(1)
                    .unwrap_or("")
                    .to_string();
                let causes = vec![crate::api::errors::FieldError::invalid(
                    "patch",
                    crate::api::errors::BadValue::Str(go_map(&modified)),
                    format!("strict decoding error: {detail}"),
                )];
                let mut invalid = crate::api::ApiError::invalid("", "", causes);
                invalid.invalid = invalid.invalid.map(|mut d| {
                    d.kind.clear();
                    d
                });
                return CmdError::Raw(format!(
                    "The request is invalid: {}",
                    invalid.invalid.map(|d| d.causes[0].to_string()).unwrap_or_default()
                ));
            }
            with_source("applying patch to", &info.source, e.into())
        })
}

/// What the server answers a dry-run write: the object decoded and defaulted, not stored.
fn server_dry_run(kind: crate::store::Kind, value: Value) -> Result<Value, CmdError> {
    let mut obj = crate::api::decode::decode(kind, value)?;
    crate::api::defaults::apply(&mut obj);
    Ok(with_type(&obj))
}

/// Go's `%+v` of a decoded JSON map: `map[a:1 b:map[c:d]]`.
fn go_map(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{}", go_map(v))).collect();
            format!("map[{}]", parts.join(" "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(go_map).collect::<Vec<_>>().join(" ")),
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}
