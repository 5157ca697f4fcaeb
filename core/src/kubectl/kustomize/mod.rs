//! Kustomize 5 (sigs.k8s.io/kustomize/api, the version kubectl embeds) built over the
//! session's files: `kubectl kustomize DIR` and the `-k` of apply, create, get, delete,
//! describe. A kustomization gathers its resources (files and other kustomizations),
//! generates ConfigMaps and Secrets, then transforms in kustomize's order (patches, namespace,
//! prefix and suffix, labels, annotations, JSON 6902 patches, replicas, images). At the top,
//! generated names get their content hash and every reference is rewritten; the output is in
//! kustomize's legacy kind order.

mod fieldspec;
pub(crate) mod generator;
mod kustomization;
mod nameref;
mod patch;
mod transform;

use serde_json::Value;

use crate::api::manifest::parse_stream;
use crate::session::io::{FileError, Files};
use generator::Target;
use kustomization::Kustomization;

/// Where relative paths are shown from in kustomize's messages (it prints absolute paths;
/// the session's files have no real location).
const SHOWN_ROOT: &str = "/root";

/// One object of the build, with the name it was read or generated under: references in
/// other objects use that name until they are rewritten at the end.
#[derive(Clone, Debug)]
pub struct Resource {
    pub obj: Value,
    pub orig_name: String,
    pub orig_namespace: String,
    /// Gets the content hash appended to its name at the end.
    pub hash_suffix: bool,
}

impl Resource {
    pub fn new(obj: Value) -> Self {
        let orig_name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let orig_namespace = obj
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        Resource {
            obj,
            orig_name,
            orig_namespace,
            hash_suffix: false,
        }
    }

    pub fn name(&self) -> &str {
        self.obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.obj
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    fn kind(&self) -> &str {
        fieldspec::kind_of(&self.obj)
    }
}

/// Lexically joins and cleans a path (`a/./b/../c` is `a/c`); leading `..` are kept.
fn join(base: &str, rel: &str) -> String {
    let start = if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("{base}/{rel}")
    };
    let absolute = start.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in start.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// A kustomization's directory: reads files relative to it, and names them as kustomize does.
pub struct Dir<'a> {
    files: &'a dyn Files,
    path: String,
}

impl Dir<'_> {
    fn shown(&self, rel: &str) -> String {
        join(SHOWN_ROOT, &join(&self.path, rel))
    }

    fn is_dir(&self, rel: &str) -> bool {
        self.files.list_dir(&join(&self.path, rel)).is_some()
    }

    /// A file's text, or kustomize's `evalsymlink failure` text.
    pub fn read(&self, rel: &str) -> Result<String, String> {
        match self.files.read(&join(&self.path, rel)) {
            Ok(t) => Ok(t),
            Err(FileError::NotFound) => {
                let p = self.shown(rel);
                Err(format!(
                    "evalsymlink failure on '{p}' : lstat {p}: no such file or directory"
                ))
            }
            Err(FileError::Other(e)) => Err(e),
        }
    }
}

/// What a build makes: the objects in output order and kustomize's warnings.
#[derive(Debug, Default)]
pub struct Build {
    pub objects: Vec<Value>,
    pub warnings: Vec<String>,
}

impl Build {
    /// The objects as one YAML stream, as `kubectl kustomize` prints them.
    pub fn to_yaml(&self) -> String {
        self.objects
            .iter()
            .map(crate::kubectl::printers::yaml::to_yaml)
            .collect::<Vec<_>>()
            .join("---\n")
    }
}

/// Builds the kustomization in `path`. Errors are kustomize's text (after `error: `).
pub fn build(path: &str, files: &dyn Files) -> Result<Build, String> {
    build_with(path, files, false)
}

/// As [`build`], keeping the order resources were read in (`--reorder none`).
pub fn build_fifo(path: &str, files: &dyn Files) -> Result<Build, String> {
    build_with(path, files, true)
}

fn build_with(path: &str, files: &dyn Files, keep_order: bool) -> Result<Build, String> {
    let root = join(".", path);
    if files.list_dir(&root).is_none() {
        let shown = if path.starts_with('/') {
            path.to_string()
        } else {
            join(SHOWN_ROOT, path)
        };
        return Err(format!(
            "must build at directory: not a valid directory: evalsymlink failure on '{path}' : lstat {shown}: no such file or directory"
        ));
    }
    let mut warnings = Vec::new();
    let mut depth = 0;
    let (mut resources, k) = accumulate(&root, files, &mut warnings, &mut depth)?;
    for r in resources.iter_mut().filter(|r| r.hash_suffix) {
        let hash = generator::name_hash(&r.obj);
        let name = format!("{}-{hash}", r.name());
        if let Some(meta) = r.obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("name".into(), Value::String(name));
        }
    }
    nameref::fix(&mut resources);
    let fifo = keep_order || k.sort_options.as_ref().is_some_and(|s| s.order == "fifo");
    if !fifo {
        resources.sort_by_key(legacy_key);
    }
    Ok(Build {
        objects: resources.into_iter().map(|r| r.obj).collect(),
        warnings,
    })
}

/// kustomize's legacy order (api/resid/gvk.go): a fixed list of kinds first, webhook
/// configurations last, the rest by group, version and kind; then namespace and name.
fn legacy_key(r: &Resource) -> ((u8, usize), String, String, String) {
    const FIRST: &[&str] = &[
        "Namespace",
        "ResourceQuota",
        "StorageClass",
        "CustomResourceDefinition",
        "ServiceAccount",
        "PodSecurityPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "ConfigMap",
        "Secret",
        "Endpoints",
        "Service",
        "LimitRange",
        "PriorityClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Deployment",
        "StatefulSet",
        "CronJob",
        "PodDisruptionBudget",
    ];
    const LAST: &[&str] = &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];
    let kind = r.kind();
    let order = if let Some(i) = FIRST.iter().position(|k| *k == kind) {
        (0, i)
    } else if let Some(i) = LAST.iter().position(|k| *k == kind) {
        (2, i)
    } else {
        (1, 0)
    };
    let av = r.obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let (g, v) = av.rsplit_once('/').unwrap_or(("", av));
    let or = |s: &str, d: &str| if s.is_empty() { d.to_string() } else { s.to_string() };
    let gvk = format!("{}_{}_{}", or(g, "~G"), or(v, "~V"), or(kind, "~K"));
    (order, gvk, r.namespace().to_string(), r.name().to_string())
}

/// The text of the directory's kustomization file, under the first name kustomize accepts.
fn find_kustomization(dir: &str, files: &dyn Files) -> Option<String> {
    kustomization::FILE_NAMES
        .iter()
        .find_map(|n| files.read(&join(dir, n)).ok())
}

/// Reads, generates and transforms one kustomization (and, through `resources`, those below
/// it). Hashes and references are left for the top.
fn accumulate(
    path: &str,
    files: &dyn Files,
    warnings: &mut Vec<String>,
    depth: &mut usize,
) -> Result<(Vec<Resource>, Kustomization), String> {
    *depth += 1;
    if *depth > 32 {
        return Err(format!(
            "cycle detected: kustomization in '{}' includes itself",
            join(SHOWN_ROOT, path)
        ));
    }
    let dir = Dir {
        files,
        path: path.to_string(),
    };
    let Some(text) = find_kustomization(path, files) else {
        return Err(format!(
            "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
            join(SHOWN_ROOT, path)
        ));
    };
    let k = kustomization::parse(&text).map_err(|e| format!("invalid Kustomization: {e}"))?;
    for (old, new) in &k.deprecated {
        warnings.push(format!(
            "# Warning: '{old}' is deprecated. Please use '{new}' instead. Run 'kustomize edit fix' to update your Kustomization automatically."
        ));
    }
    let mut resources: Vec<Resource> = Vec::new();
    for entry in k.resources.iter().chain(&k.bases) {
        let wrap =
            |e: String| format!("accumulating resources: accumulation err='accumulating resources from '{entry}': {e}");
        if entry.contains("://") || entry.starts_with("github.com/") {
            return Err(wrap(format!(
                "Kubeplay cannot fetch remote kustomizations ({entry}): the page has no network for builds'"
            )));
        }
        let added = if dir.is_dir(entry) {
            let sub = join(path, entry);
            let (sub_resources, _) = accumulate(&sub, files, warnings, depth).map_err(|e| {
                format!(
                    "accumulating resources: accumulation err='accumulating resources from '{entry}': '{}' must resolve to a file': recursed accumulation of path '{}': {e}",
                    dir.shown(entry),
                    dir.shown(entry)
                )
            })?;
            sub_resources
        } else {
            let text = dir.read(entry).map_err(|e| {
                format!(
                    "{}': must build at directory: not a valid directory: {e}",
                    wrap(e.clone())
                )
            })?;
            let docs = parse_stream(&text).map_err(|e| wrap(format!("{e}'")))?;
            docs.into_iter().map(|d| Resource::new(d.value)).collect()
        };
        for r in added {
            if let Some(dup) = resources.iter().find(|o| same_id(o, &r)) {
                return Err(format!(
                    "accumulating resources: accumulation err='merging resources from '{entry}': may not add resource with an already registered id: {}'",
                    id_of(dup)
                ));
            }
            resources.push(r);
        }
    }
    for (target, list) in [
        (Target::ConfigMap, &k.config_map_generator),
        (Target::Secret, &k.secret_generator),
    ] {
        for g in list {
            let made = generator::generate(target, g, k.generator_options.as_ref(), &dir)?;
            merge_generated(&mut resources, made, &g.behavior)?;
        }
    }
    transform(&mut resources, &k, &dir)?;
    *depth -= 1;
    Ok((resources, k))
}

fn same_id(a: &Resource, b: &Resource) -> bool {
    a.kind() == b.kind()
        && fieldspec::group_of(&a.obj) == fieldspec::group_of(&b.obj)
        && a.name() == b.name()
        && a.namespace() == b.namespace()
}

/// `ConfigMap.v1.[noGrp]/name.[noNs]`, as kustomize's ResId prints.
fn id_of(r: &Resource) -> String {
    let av = r.obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let (g, v) = av.rsplit_once('/').unwrap_or(("", av));
    let g = if g.is_empty() { "[noGrp]" } else { g };
    let ns = if r.namespace().is_empty() {
        "[noNs]"
    } else {
        r.namespace()
    };
    format!("{}.{v}.{g}/{}.{ns}", r.kind(), r.name())
}

/// Adds a generated object, or merges it into / replaces the one it names.
fn merge_generated(resources: &mut Vec<Resource>, made: Resource, behavior: &str) -> Result<(), String> {
    let existing = resources.iter().position(|r| {
        r.kind() == made.kind()
            && r.orig_name == made.orig_name
            && (made.orig_namespace.is_empty() || r.namespace() == made.orig_namespace)
    });
    let go_id = || {
        let ns = made.orig_namespace.as_str();
        format!(
            "resid.ResId{{Gvk:resid.Gvk{{Group:\"\", Version:\"v1\", Kind:\"{}\", isClusterScoped:false}}, Name:\"{}\", Namespace:\"{ns}\"}}",
            made.kind(),
            made.orig_name
        )
    };
    match (behavior, existing) {
        ("" | "create", None) => resources.push(made),
        ("" | "create", Some(_)) => {
            return Err(format!(
                "merging from generator &{{0xc000010000 <nil>}}: id {} exists; behavior must be merge or replace",
                go_id()
            ));
        }
        ("merge" | "replace", None) => {
            return Err(format!(
                "merging from generator &{{0xc000010000 <nil>}}: id {} does not exist; cannot merge or replace",
                go_id()
            ));
        }
        ("merge" | "replace", Some(i)) => {
            // Both keep the old object and merge labels and annotations; `merge` also merges
            // the data, `replace` swaps it.
            let replace = behavior == "replace";
            let old = &mut resources[i];
            for field in ["data", "binaryData"] {
                let new = made.obj.get(field).and_then(Value::as_object).cloned();
                let Some(m) = old.obj.as_object_mut() else { continue };
                match (replace, new) {
                    (true, Some(new)) => {
                        m.insert(field.into(), Value::Object(new));
                    }
                    (true, None) => {
                        m.remove(field);
                    }
                    (false, Some(new)) => {
                        if let Value::Object(d) = m.entry(field).or_insert_with(|| Value::Object(Default::default())) {
                            d.extend(new);
                        }
                    }
                    (false, None) => {}
                }
            }
            for field in ["labels", "annotations"] {
                let Some(Value::Object(new)) = made.obj.pointer(&format!("/metadata/{field}")) else {
                    continue;
                };
                if let Some(meta) = old.obj.get_mut("metadata").and_then(Value::as_object_mut)
                    && let Value::Object(m) = meta.entry(field).or_insert_with(|| Value::Object(Default::default()))
                {
                    m.extend(new.clone());
                }
            }
            old.hash_suffix = if replace {
                made.hash_suffix
            } else {
                old.hash_suffix && made.hash_suffix
            };
        }
        (other, _) => return Err(format!("unknown generation behavior '{other}'")),
    }
    Ok(())
}

/// The transformers of one kustomization, in kustomize's order
/// (api/internal/target/kusttarget_configplugin.go).
fn transform(resources: &mut Vec<Resource>, k: &Kustomization, dir: &Dir<'_>) -> Result<(), String> {
    patch::strategic_merge(resources, &k.patches_strategic_merge, dir)?;
    patch::patches(resources, &k.patches, dir)?;
    for r in resources.iter_mut() {
        if !k.namespace.is_empty() {
            transform::namespace(r, &k.namespace);
        }
        if !k.name_prefix.is_empty() || !k.name_suffix.is_empty() {
            transform::rename(r, &k.name_prefix, &k.name_suffix);
        }
        if !k.common_labels.is_empty() {
            transform::labels(r, &k.common_labels, true, true);
        }
        for l in &k.labels {
            transform::labels(r, &l.pairs, l.include_selectors, l.include_templates);
        }
        if !k.common_annotations.is_empty() {
            transform::annotations(r, &k.common_annotations);
        }
    }
    patch::json6902(resources, &k.patches_json6902, dir)?;
    let images: Vec<_> = k.images.iter().chain(&k.image_tags).cloned().collect();
    for r in resources.iter_mut() {
        transform::replicas(r, &k.replicas);
        if !images.is_empty() {
            transform::images(&mut r.obj, &images);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_lexically() {
        assert_eq!(join(".", "overlay/prod"), "overlay/prod");
        assert_eq!(join("overlay/prod", "../base"), "overlay/base");
        assert_eq!(join(".", "../x"), "../x");
        assert_eq!(join("/root", "./a/../b"), "/root/b");
        assert_eq!(join(".", "."), ".");
    }
}
