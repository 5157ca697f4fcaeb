//! `kubectl create configmap` and `kubectl create secret generic`
//! (staging/src/k8s.io/kubectl/pkg/cmd/create/create_configmap.go, create_secret.go): data from
//! `--from-literal=k=v`, `--from-file=[key=]path` (a directory gives one key per regular file)
//! and `--from-env-file` (`KEY=VALUE` lines), with kubectl's checks of key names and
//! duplicates. The two commands word their errors differently, as the real ones do.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::create::send_wrapped_with;
use crate::kubectl::flags::{self, Parsed, array, flag, multi};
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};
use crate::store::Object;

const FLAGS: &[flags::FlagSpec] = &[
    multi("from-file", None),
    array("from-literal", None),
    multi("from-env-file", None),
    flag("type", None, true),
    flag("append-hash", None, false),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("save-config", None, false),
    flag("validate", None, true),
    flag("field-manager", None, true),
];

#[derive(Clone, Copy, PartialEq)]
enum Target {
    ConfigMap,
    Secret,
}

/// Collected data, in insertion checks as kubectl makes them.
struct Data {
    target: Target,
    name: String,
    entries: BTreeMap<String, String>,
}

impl Data {
    fn add(&mut self, key: &str, value: String) -> Result<(), CmdError> {
        let errs = crate::api::validation::names::config_key(key);
        if !errs.is_empty() {
            return Err(CmdError::Msg(match self.target {
                Target::ConfigMap => format!("{key:?} is not a valid key name for a ConfigMap: {}", errs.join(",")),
                Target::Secret => format!("{key:?} is not valid key name for a Secret {}", errs.join(";")),
            }));
        }
        if self.entries.contains_key(key) {
            return Err(CmdError::Msg(match self.target {
                Target::ConfigMap => format!(
                    "cannot add key {key:?}, another key by that name already exists in Data for ConfigMap {:?}",
                    self.name
                ),
                Target::Secret => format!("cannot add key {key}, another key by that name already exists"),
            }));
        }
        self.entries.insert(key.to_string(), value);
        Ok(())
    }
}

/// `ParseFileSource`: `[key=]path`.
fn file_source(source: &str) -> Result<(Option<String>, String), CmdError> {
    let n = source.matches('=').count();
    match source.split_once('=') {
        None => Ok((None, source.to_string())),
        Some(("", path)) if n == 1 => Err(CmdError::Msg(format!("key name for file path {path} missing"))),
        Some((key, "")) if n == 1 => Err(CmdError::Msg(format!("file path for key name {key} missing"))),
        Some(_) if n > 1 => Err(CmdError::Msg("key names or file paths cannot contain '='".into())),
        Some((key, path)) => Ok((Some(key.to_string()), path.to_string())),
    }
}

/// `path.Base`.
fn base_name(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

fn collect(p: &Parsed, data: &mut Data, ctx: &Ctx<'_>) -> Result<(), CmdError> {
    let env_files = p.all("from-env-file");
    if !env_files.is_empty() && (p.has("from-file") || p.has("from-literal")) {
        return Err(CmdError::Msg(
            "from-env-file cannot be combined with from-file or from-literal".into(),
        ));
    }
    let literals = |data: &mut Data| -> Result<(), CmdError> {
        for lit in p.all("from-literal") {
            match lit.split_once('=') {
                Some((k, v)) if !k.is_empty() => data.add(k, v.to_string())?,
                _ => {
                    return Err(CmdError::Msg(format!(
                        "invalid literal source {lit}, expected key=value"
                    )));
                }
            }
        }
        Ok(())
    };
    // A Secret takes literals first, a ConfigMap files first.
    if data.target == Target::Secret {
        literals(data)?;
    }
    for source in p.all("from-file") {
        let (key, path) = file_source(&source)?;
        if let Some(mut entries) = ctx.files.list_dir(&path) {
            if key.is_some() {
                return Err(CmdError::Msg("cannot give a key name for a directory path".into()));
            }
            entries.sort();
            for name in entries {
                let item = format!("{}/{name}", path.trim_end_matches('/'));
                let text = ctx
                    .files
                    .read(&item)
                    .map_err(|_| CmdError::Msg(format!("error reading {item}: no such file or directory")))?;
                data.add(&name, text)?;
            }
            continue;
        }
        let text = ctx
            .files
            .read(&path)
            .map_err(|_| CmdError::Msg(format!("error reading {path}: no such file or directory")))?;
        data.add(&key.unwrap_or_else(|| base_name(&path)), text)?;
    }
    if data.target == Target::ConfigMap {
        literals(data)?;
    }
    for file in env_files {
        if ctx.files.list_dir(&file).is_some() {
            return Err(CmdError::Msg(match data.target {
                Target::ConfigMap => "env config file cannot be a directory".into(),
                Target::Secret => "env secret file cannot be a directory".into(),
            }));
        }
        let text = ctx
            .files
            .read(&file)
            .map_err(|_| CmdError::Msg(format!("error reading {file}: no such file or directory")))?;
        for (i, line) in text.lines().enumerate() {
            let line = if i == 0 {
                line.trim_start_matches('\u{feff}')
            } else {
                line
            };
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = match line.split_once('=') {
                Some((k, v)) => (k, v.to_string()),
                // No `=`: the value comes from kubectl's environment, which has none of these.
                None => (line, String::new()),
            };
            let errs = crate::api::validation::names::env_var_name(key);
            if !errs.is_empty() {
                return Err(CmdError::Msg(format!(
                    "{key:?} is not a valid key name: {}",
                    errs.join(";")
                )));
            }
            data.add(key, value)?;
        }
    }
    Ok(())
}

pub(super) fn name_of(p: &Parsed, cmd: &str) -> Result<String, CmdError> {
    match p.args.as_slice() {
        [name] => Ok(name.clone()),
        names => Err(usage_error(
            cmd,
            &format!("exactly one NAME is required, got {}", names.len()),
        )),
    }
}

pub fn config_map(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create configmap";
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error(cmd, e))?;
    if p.has("type") {
        return Err(flag_error(cmd, "unknown flag: --type".into()));
    }
    let name = name_of(&p, cmd)?;
    let mut data = Data {
        target: Target::ConfigMap,
        name: name.clone(),
        entries: BTreeMap::new(),
    };
    collect(&p, &mut data, ctx)?;
    let data = (!data.entries.is_empty()).then_some(data.entries);
    let name = if p.on("append-hash") {
        // newConfigMap starts from an empty map, so no data hashes as `{}`.
        let body = serde_json::json!({"data": data.clone().unwrap_or_default(), "kind": "ConfigMap", "name": name});
        format!("{name}-{}", hash_suffix(&body))
    } else {
        name
    };
    let cm = ConfigMap {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: p.get("namespace").map(str::to_string),
            ..Default::default()
        },
        data,
        ..Default::default()
    };
    send_wrapped_with(Object::ConfigMap(cm), "failed to create configmap: ", &p, ctx)
}

pub fn secret(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let Some(i) = args.iter().position(|a| !a.starts_with('-')) else {
        return Err(CmdError::Raw("Create a secret with specified type.\n\n A docker-registry type secret is for accessing a container registry.\n\n A generic type secret indicate an Opaque secret type.\n\n A tls type secret holds TLS certificate and its associated key.\n\nAvailable Commands:\n  docker-registry   Create a secret for use with a Docker registry\n  generic           Create a secret from a local file, directory, or literal value\n  tls               Create a TLS secret from the given public/private key pair\n\nUsage:\n  kubectl create secret (docker-registry | generic | tls) [options]\n".into()));
    };
    let mut rest = args.to_vec();
    let sub = rest.remove(i);
    match sub.as_str() {
        "generic" => {}
        "tls" => return super::create_secret::tls(&rest, ctx),
        "docker-registry" => return super::create_secret::docker_registry(&rest, ctx),
        _ => return Err(super::create::unknown_subcommand("create secret", args)),
    }
    let cmd = "create secret generic";
    let p = flags::parse(&rest, FLAGS).map_err(|e| flag_error(cmd, e))?;
    let name = name_of(&p, cmd)?;
    let mut data = Data {
        target: Target::Secret,
        name: name.clone(),
        entries: BTreeMap::new(),
    };
    collect(&p, &mut data, ctx)?;
    let data: Option<BTreeMap<String, ByteString>> = (!data.entries.is_empty()).then(|| {
        data.entries
            .into_iter()
            .map(|(k, v)| (k, ByteString(v.into_bytes())))
            .collect()
    });
    let type_ = p.get("type").unwrap_or("").to_string();
    let secret = secret_object(name, p.get("namespace"), &type_, data, p.on("append-hash"));
    // create_secret.go words it `failed to create secret %v`, without a colon.
    send_wrapped_with(Object::Secret(secret), "failed to create secret ", &p, ctx)
}

/// `newSecretObj`, with the name suffixed by kubectl's hash under `--append-hash`.
pub(super) fn secret_object(
    name: String,
    namespace: Option<&str>,
    type_: &str,
    data: Option<BTreeMap<String, ByteString>>,
    append_hash: bool,
) -> Secret {
    let name = if append_hash {
        // newSecretObj starts from an empty map, so no data hashes as `{}`.
        let body = serde_json::json!({"data": data.clone().unwrap_or_default(), "kind": "Secret", "name": name, "type": type_});
        format!("{name}-{}", hash_suffix(&body))
    } else {
        name
    };
    Secret {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: namespace.map(str::to_string),
            ..Default::default()
        },
        data,
        type_: (!type_.is_empty()).then(|| type_.to_string()),
        ..Default::default()
    }
}

/// kubectl's `hash.ConfigMapHash` / `SecretHash` (pkg/util/hash): unlike kustomize's, the
/// encoded object keeps its name and a missing data map is `null`.
fn hash_suffix(body: &serde_json::Value) -> String {
    crate::kubectl::kustomize::generator::encoded_hash(&crate::kubectl::printers::json::go_escape(&body.to_string()))
}

/// Keys from `--from-file` sources for a Secret (`handleSecretFromFileSources`), as
/// `create secret docker-registry --from-file` reads them.
pub(super) fn secret_files(p: &Parsed, name: &str, ctx: &Ctx<'_>) -> Result<BTreeMap<String, ByteString>, CmdError> {
    let mut data = Data {
        target: Target::Secret,
        name: name.to_string(),
        entries: BTreeMap::new(),
    };
    collect(p, &mut data, ctx)?;
    Ok(data
        .entries
        .into_iter()
        .map(|(k, v)| (k, ByteString(v.into_bytes())))
        .collect())
}
