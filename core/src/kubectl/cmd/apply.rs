//! `kubectl apply -f`: client-side apply. Every object is read first; then each is created
//! (with its `last-applied-configuration`) or three-way merged into the live object, printing
//! `created`, `configured` or `unchanged` as it goes and the errors at the end
//! (kubectl/pkg/cmd/apply/apply.go).

use serde_json::Value;

use super::merge::three_way;
use super::sources::{Info, infos};
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error, with_source};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

const FLAGS: &[flags::FlagSpec] = &[
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
    flag("output", Some('o'), true),
    flag("dry-run", None, true),
    flag("validate", None, true),
    flag("recursive", Some('R'), false),
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
    let output = p.get("output").unwrap_or("");
    if !output.is_empty() && output != "name" {
        return Err(CmdError::Msg(format!(
            "unable to match a printer suitable for the output format {output:?}, allowed formats are: json,name,yaml"
        )));
    }
    let dry_run = match p.get("dry-run") {
        None | Some("none") => "",
        Some("client") | Some("true") => " (dry run)",
        Some("server") => " (server dry run)",
        Some(other) => {
            return Err(CmdError::Msg(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            )));
        }
    };
    let ns = ctx.namespace(&p);
    let (infos, mut errs) = infos(&p, &ns, ctx)?;
    if infos.is_empty() && errs.is_empty() {
        return Err(CmdError::Msg("no objects passed to apply".into()));
    }
    for info in &infos {
        match apply_one(info, dry_run, ctx) {
            Ok(op) => {
                let kind_group = info.kind.info().kind_group();
                if output == "name" {
                    ctx.out.out(format!("{kind_group}/{}\n", info.name()));
                } else {
                    ctx.out.out(format!("{kind_group}/{} {op}{dry_run}\n", info.name()));
                }
            }
            Err(e) => errs.push(e),
        }
    }
    match errs.len() {
        0 => Ok(0),
        1 => Err(errs.remove(0)),
        _ => Err(CmdError::Multi(errs)),
    }
}

/// `GetModifiedConfiguration`: the manifest with its own last-applied annotation, as compact
/// JSON with sorted keys and a final newline.
fn modified_configuration(info: &Info) -> (Value, String) {
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

fn apply_one(info: &Info, dry_run: &str, ctx: &mut Ctx<'_>) -> Result<&'static str, CmdError> {
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
        if !dry_run.is_empty() {
            return Ok("created");
        }
        return ctx
            .world
            .api_mut()
            .create_json(info.kind, modified)
            .map(|_| "created")
            .map_err(|e| with_source("creating", &info.source, e.into()));
    };
    let original = live
        .pointer(&format!("/metadata/annotations/{}", LAST_APPLIED.replace('/', "~1")))
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str::<Value>(s).ok());
    if original.is_none() {
        ctx.out.err(format!(
            "Warning: resource {}/{name} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
            info.kind.info().plural
        ));
    }
    let merged = three_way(&live, original.as_ref(), &modified);
    if merged == live {
        return Ok("unchanged");
    }
    if !dry_run.is_empty() {
        return Ok("configured");
    }
    ctx.world
        .api_mut()
        .update_json(info.kind, merged)
        .map(|_| "configured")
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
