//! `patches`, `patchesStrategicMerge` and `patchesJson6902` (kustomize api/builtins
//! PatchTransformer, PatchStrategicMergeTransformer, PatchJson6902Transformer): a strategic
//! merge patch names its target itself or through `target`; a JSON 6902 patch always needs
//! `target`. Both use the API server's own patch code (crate::api::patch).

use std::collections::BTreeMap;

use serde_json::Value;

use super::fieldspec::{group_of, kind_of};
use super::kustomization::{Patch, Selector};
use super::{Dir, Resource};
use crate::api::manifest::parse_stream;
use crate::api::patch::{json, strategic};
use crate::store::Kind;

/// kustomize's resource id text: `Deployment.v1.apps/web.[noNs]`.
fn id_text(kind: &str, api_version: &str, name: &str, ns: &str) -> String {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let group = if group.is_empty() { "[noGrp]" } else { group };
    let ns = if ns.is_empty() { "[noNs]" } else { ns };
    format!("{kind}.{version}.{group}/{name}.{ns}")
}

/// A tiny anchored regular expression: literals, `.`, `.*`, and `a|b` alternatives — what
/// patch targets use for names in practice.
fn name_matches(pattern: &str, name: &str) -> bool {
    fn here(p: &[char], s: &[char]) -> bool {
        match p {
            [] => s.is_empty(),
            ['.', '*', rest @ ..] => (0..=s.len()).any(|i| here(rest, &s[i..])),
            ['.', rest @ ..] => !s.is_empty() && here(rest, &s[1..]),
            ['\\', c, rest @ ..] => s.first() == Some(c) && here(rest, &s[1..]),
            [c, rest @ ..] => s.first() == Some(c) && here(rest, &s[1..]),
        }
    }
    pattern.split('|').any(|alt| {
        let p: Vec<char> = alt.trim_start_matches('^').trim_end_matches('$').chars().collect();
        let s: Vec<char> = name.chars().collect();
        here(&p, &s)
    })
}

fn pairs_of(obj: &Value, field: &str) -> BTreeMap<String, String> {
    obj.pointer(&format!("/metadata/{field}"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn selected(r: &Resource, sel: &Selector) -> Result<bool, String> {
    let av = r.obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let version = av.rsplit('/').next().unwrap_or("");
    let ok = (sel.group.is_empty() || sel.group == group_of(&r.obj))
        && (sel.version.is_empty() || sel.version == version)
        && (sel.kind.is_empty() || sel.kind == kind_of(&r.obj))
        && (sel.name.is_empty() || name_matches(&sel.name, r.name()) || name_matches(&sel.name, &r.orig_name))
        && (sel.namespace.is_empty() || name_matches(&sel.namespace, r.namespace()));
    if !ok {
        return Ok(false);
    }
    for (text, field) in [
        (&sel.label_selector, "labels"),
        (&sel.annotation_selector, "annotations"),
    ] {
        if !text.is_empty() {
            let s = crate::labels::Selector::parse(text)?;
            if !s.matches(&pairs_of(&r.obj, field)) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Applies one strategic merge patch document to `r`; `false` when it deletes `r`.
fn strategic_one(r: &mut Resource, patch: &Value) -> Result<bool, String> {
    if patch.get("$patch").and_then(Value::as_str) == Some("delete") {
        return Ok(false);
    }
    let mut p = patch.clone();
    if let Some(m) = p.as_object_mut() {
        m.remove("apiVersion");
        m.remove("kind");
        if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("name");
            meta.remove("namespace");
        }
    }
    let av = r
        .obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    r.obj = match Kind::from_api(&av, kind_of(&r.obj)) {
        Some(kind) => strategic::apply(kind, &r.obj, &p)?,
        // Kinds without a schema merge as JSON merge patches do.
        None => json::merge_patch(&r.obj, &p),
    };
    Ok(true)
}

fn patch_text(p: &Patch, dir: &Dir<'_>) -> Result<String, String> {
    match (p.path.is_empty(), p.patch.is_empty()) {
        (false, true) => dir.read(&p.path),
        (true, false) => Ok(p.patch.clone()),
        (false, false) => Err("patch and path can't be set at the same time".into()),
        (true, true) => Err("must specify one of patch and path in\n".to_string()),
    }
}

/// Whether a patch text is a JSON 6902 operation list.
fn as_ops(text: &str) -> Option<Vec<Value>> {
    let trimmed = text.trim_start();
    let value = if trimmed.starts_with('[') {
        serde_json::from_str(trimmed).ok()?
    } else {
        crate::api::manifest::to_json(text).ok()?
    };
    value.as_array().cloned()
}

/// Applies every entry of `patches:`.
pub fn patches(resources: &mut Vec<Resource>, list: &[Patch], dir: &Dir<'_>) -> Result<(), String> {
    for p in list {
        let text = patch_text(p, dir)?;
        if let Some(ops) = as_ops(&text) {
            let Some(target) = &p.target else {
                return Err(format!("unable to parse SM or JSON patch from {text:?}"));
            };
            json_ops(resources, target, &ops)?;
            continue;
        }
        let docs = parse_stream(&text).map_err(|e| format!("unable to parse SM or JSON patch from [{text}]: {e}"))?;
        for doc in docs {
            match &p.target {
                Some(target) => {
                    let mut keep = Vec::new();
                    for mut r in std::mem::take(resources) {
                        if selected(&r, target)? && !strategic_one(&mut r, &doc.value)? {
                            continue;
                        }
                        keep.push(r);
                    }
                    *resources = keep;
                }
                None => by_own_id(resources, &doc.value)?,
            }
        }
    }
    Ok(())
}

/// A strategic merge patch that names its target by kind and name.
fn by_own_id(resources: &mut Vec<Resource>, patch: &Value) -> Result<(), String> {
    let kind = kind_of(patch);
    let av = patch.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let name = patch.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
    let ns = patch
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let hit = resources.iter().position(|r| {
        kind_of(&r.obj) == kind
            && (r.name() == name || r.orig_name == name)
            && (ns.is_empty() || r.namespace() == ns || r.orig_namespace == ns)
    });
    let Some(i) = hit else {
        let id = id_text(kind, av, name, ns);
        return Err(format!(
            "no resource matches strategic merge patch \"{id}\": no matches for Id {id}; failed to find unique target for patch {id}"
        ));
    };
    if !strategic_one(&mut resources[i], patch)? {
        resources.remove(i);
    }
    Ok(())
}

fn json_ops(resources: &mut [Resource], target: &Selector, ops: &[Value]) -> Result<(), String> {
    for r in resources.iter_mut() {
        if selected(r, target)? {
            r.obj = json::json_patch(&r.obj, ops)?;
        }
    }
    Ok(())
}

/// `patchesStrategicMerge`: file paths or inline documents.
pub fn strategic_merge(resources: &mut Vec<Resource>, list: &[String], dir: &Dir<'_>) -> Result<(), String> {
    for entry in list {
        let text = if entry.contains('\n') || entry.trim_start().starts_with('{') {
            entry.clone()
        } else {
            dir.read(entry)?
        };
        for doc in parse_stream(&text).map_err(|e| e.to_string())? {
            by_own_id(resources, &doc.value)?;
        }
    }
    Ok(())
}

/// `patchesJson6902`: a target and a list of operations.
pub fn json6902(resources: &mut [Resource], list: &[Patch], dir: &Dir<'_>) -> Result<(), String> {
    for p in list {
        let text = patch_text(p, dir)?;
        let Some(target) = &p.target else {
            return Err("must specify a target for patch".into());
        };
        let ops = as_ops(&text).ok_or_else(|| format!("unable to parse SM or JSON patch from {text:?}"))?;
        json_ops(resources, target, &ops)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_names_are_anchored_patterns() {
        assert!(name_matches("web", "web"));
        assert!(!name_matches("web", "web-2"));
        assert!(name_matches("web.*", "web-2"));
        assert!(name_matches("a|b", "b"));
        assert!(name_matches("w.b", "web"));
    }
}
