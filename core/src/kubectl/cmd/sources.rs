//! `-f` arguments: files, directories (their .json, .yaml and .yml files) and `-` for stdin,
//! read into manifest documents with kubectl's messages for what cannot be read.

use serde_json::Value;

use crate::api::manifest::{Document, ManifestError, parse_stream_partial};
use crate::kubectl::flags::Parsed;
use crate::kubectl::{CmdError, Ctx};
use crate::session::io::FileError;
use crate::store::{Kind, ObjectKey};

/// One object read from a manifest, with where it came from.
pub struct Info {
    pub source: String,
    pub kind: Kind,
    pub value: Value,
    /// The document had no namespace and was given the command's: `--local` printers show
    /// the document as written.
    pub namespace_defaulted: bool,
}

impl Info {
    pub fn name(&self) -> &str {
        self.value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The namespace the object was read into (set from `-n` or `default` when it had none).
    pub fn namespace(&self) -> &str {
        self.value
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(self.kind, self.namespace(), self.name())
    }
}

/// Expands `-f` paths into (source name, text). A missing path fails the whole command.
fn read_all(paths: &[String], ctx: &Ctx<'_>) -> Result<Vec<(String, String)>, CmdError> {
    let mut out = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(("STDIN".to_string(), ctx.stdin.clone().unwrap_or_default()));
            continue;
        }
        if let Some(mut entries) = ctx.files.list_dir(p) {
            entries.sort();
            let picked: Vec<String> = entries
                .into_iter()
                .filter(|e| e.ends_with(".yaml") || e.ends_with(".yml") || e.ends_with(".json"))
                .map(|e| format!("{}/{e}", p.trim_end_matches('/')))
                .collect();
            if picked.is_empty() {
                return Err(CmdError::Msg(format!(
                    "error reading [{p}]: recognized file extensions are [.json .yaml .yml]"
                )));
            }
            for f in picked {
                let text = ctx
                    .files
                    .read(&f)
                    .map_err(|_| CmdError::Msg(format!("the path {f:?} does not exist")))?;
                out.push((f, text));
            }
            continue;
        }
        if crate::kubectl::examples::is_url(p) {
            // What the host fetched (the page, online), else the catalogue of the docs'
            // examples, else the network's answer.
            let text = match ctx.files.read(p) {
                Ok(text) => text,
                Err(_) => crate::kubectl::examples::lookup(p)
                    .map(str::to_string)
                    .ok_or_else(|| CmdError::Msg(crate::kubectl::examples::unreachable(p)))?,
            };
            out.push((p.clone(), text));
            continue;
        }
        match ctx.files.read(p) {
            Ok(text) => out.push((p.clone(), text)),
            Err(FileError::NotFound) => {
                return Err(CmdError::Msg(format!("the path {p:?} does not exist")));
            }
            Err(FileError::Other(e)) => {
                return Err(CmdError::Msg(format!("the path {p:?} cannot be accessed: {e}")));
            }
        }
    }
    Ok(out)
}

/// Whether the command was given `-f` or `-k`.
pub fn given(p: &Parsed) -> bool {
    p.has("filename") || p.has("kustomize")
}

/// Reads every object of the `-f` sources, or of the `-k` kustomization's build. Returns the
/// objects that could be read and the errors met on the way: a syntax or validation error ends
/// its file, an unknown kind only its document, as kubectl's stream visitor behaves.
pub fn infos(p: &Parsed, namespace: &str, ctx: &mut Ctx<'_>) -> Result<(Vec<Info>, Vec<CmdError>), CmdError> {
    let ns_given = p.has("namespace");
    // Each source's documents, and the error that ended its stream early.
    let streams: Vec<(String, Vec<Document>, Option<ManifestError>)> = match p.get("kustomize") {
        Some(_) if p.has("filename") => {
            return Err(CmdError::Msg("only one of -f or -k can be specified".into()));
        }
        Some(dir) => {
            let build = crate::kubectl::kustomize::build(dir, ctx.files).map_err(CmdError::Msg)?;
            for w in &build.warnings {
                ctx.out.err(format!("{w}\n"));
            }
            let docs = build.objects.into_iter().map(|value| Document { value }).collect();
            vec![(dir.to_string(), docs, None)]
        }
        None => read_all(&p.all("filename"), ctx)?
            .into_iter()
            .map(|(source, text)| {
                let (docs, err) = parse_stream_partial(&text);
                (source, docs, err)
            })
            .collect(),
    };
    let mut infos = Vec::new();
    let mut errs = Vec::new();
    for (source, docs, parse_err) in streams {
        for doc in docs {
            let api_version = doc.value.get("apiVersion");
            let kind_v = doc.value.get("kind");
            let mut missing = Vec::new();
            match api_version {
                None | Some(Value::Null) => missing.push("apiVersion not set"),
                Some(Value::String(_)) => {}
                Some(_) => missing.push("apiVersion isn't string type"),
            }
            match kind_v {
                None | Some(Value::Null) => missing.push("kind not set"),
                Some(Value::String(_)) => {}
                Some(_) => missing.push("kind isn't string type"),
            }
            if !missing.is_empty() {
                let list = if missing.len() == 1 {
                    missing[0].to_string()
                } else {
                    format!("[{}]", missing.join(", "))
                };
                errs.push(CmdError::Msg(format!(
                    "error validating {source:?}: error validating data: {list}; if you choose to ignore these errors, turn validation off with --validate=false"
                )));
                break;
            }
            let av = api_version.and_then(Value::as_str).unwrap_or("").to_string();
            let k = kind_v.and_then(Value::as_str).unwrap_or("").to_string();
            let name = doc
                .value
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let obj_ns = doc
                .value
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            // autoscaling/v1 is served too; the stored (and printed) form is v2.
            let (av, doc_value) = if av == "autoscaling/v1" && k == "HorizontalPodAutoscaler" {
                (
                    "autoscaling/v2".to_string(),
                    crate::api::autoscaling::v1_to_v2(doc.value),
                )
            } else {
                (av, doc.value)
            };
            let Some(kind) = Kind::from_api(&av, &k) else {
                errs.push(CmdError::Msg(format!(
                    "resource mapping not found for name: {name:?} namespace: {obj_ns:?} from {source:?}: no matches for kind {k:?} in version {av:?}\nensure CRDs are installed first"
                )));
                continue;
            };
            let mut value = doc_value;
            let mut namespace_defaulted = false;
            if kind.info().namespaced {
                if !obj_ns.is_empty() && ns_given && obj_ns != namespace {
                    let obj_ns = &obj_ns;
                    errs.push(CmdError::Msg(format!(
                        "the namespace from the provided object {obj_ns:?} does not match the namespace {namespace:?}. You must pass '--namespace={obj_ns}' to perform this operation."
                    )));
                    continue;
                }
                if obj_ns.is_empty()
                    && let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut)
                {
                    meta.insert("namespace".into(), Value::String(namespace.to_string()));
                    namespace_defaulted = true;
                }
            }
            infos.push(Info {
                source: source.clone(),
                kind,
                value,
                namespace_defaulted,
            });
        }
        if let Some(e) = parse_err {
            errs.push(CmdError::Msg(format!("error parsing {source}: {e}")));
        }
    }
    Ok((infos, errs))
}
