//! `configMapGenerator` and `secretGenerator` (kustomize api/internal/generators,
//! api/kv/kv.go) and the name hash kustomize appends to what they make
//! (api/hasher/hasher.go).

use std::collections::BTreeMap;

use base64::Engine;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::kustomization::{Generator, GeneratorOptions};
use super::{Dir, Resource};
use crate::kubectl::printers::json::go_escape;

/// Which kind a generator makes.
#[derive(Clone, Copy, PartialEq)]
pub enum Target {
    ConfigMap,
    Secret,
}

impl Target {
    fn kind(self) -> &'static str {
        match self {
            Target::ConfigMap => "ConfigMap",
            Target::Secret => "Secret",
        }
    }
}

/// `kv.ParseLiteralSource` after kustomize: `k=v`, with one pair of quotes around the value
/// taken off.
fn literal(source: &str) -> Result<(String, String), String> {
    match source.split_once('=') {
        Some((k, v)) if !k.is_empty() => {
            let v = if v.len() >= 2
                && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
            {
                &v[1..v.len() - 1]
            } else {
                v
            };
            Ok((k.to_string(), v.to_string()))
        }
        _ => Err(format!("invalid literal source {source}, expected key=value")),
    }
}

/// `KEY=VALUE` lines of an env file; comments and blank lines skipped.
fn env_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}').trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=') {
            Some((k, v)) => out.push((k.to_string(), v.to_string())),
            // No `=`: kustomize reads the value from its own environment, which is empty here.
            None => out.push((line.to_string(), String::new())),
        }
    }
    out
}

/// The key/value pairs of one generator, in kustomize's order: env files, literals, files.
fn pairs(g: &Generator, dir: &Dir<'_>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut envs: Vec<&str> = g.envs.iter().map(String::as_str).collect();
    if !g.env.is_empty() {
        envs.push(&g.env);
    }
    for env in envs {
        let text = dir.read(env).map_err(|e| format!("env source files: [{env}]: {e}"))?;
        out.extend(env_pairs(&text));
    }
    for lit in &g.literals {
        out.push(literal(lit).map_err(|e| format!("literal sources [{}]: {e}", g.literals.join(" ")))?);
    }
    for f in &g.files {
        let (key, path) = match f.split_once('=') {
            Some((k, p)) if !k.is_empty() && !p.is_empty() => (k.to_string(), p.to_string()),
            Some(_) => return Err(format!("file sources: [{f}]: key or file path is missing")),
            None => (f.rsplit('/').next().unwrap_or(f).to_string(), f.clone()),
        };
        let text = dir.read(&path).map_err(|e| format!("file sources: [{f}]: {e}"))?;
        out.push((key, text));
    }
    Ok(out)
}

/// Makes the object a generator describes. `global` is the kustomization's `generatorOptions`.
pub fn generate(
    target: Target,
    g: &Generator,
    global: Option<&GeneratorOptions>,
    dir: &Dir<'_>,
) -> Result<Resource, String> {
    let mut data: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in pairs(g, dir).map_err(|e| format!("loading KV pairs: {e}"))? {
        // kustomize checks no key names: the API server judges them.
        if data.contains_key(&k) {
            return Err(format!("configmap {} illegally repeats the key `{k}`", g.name));
        }
        data.insert(k, v);
    }
    let mut opts = global.cloned().unwrap_or_default();
    if let Some(local) = &g.options {
        opts.labels.extend(local.labels.clone());
        opts.annotations.extend(local.annotations.clone());
        opts.disable_name_suffix_hash |= local.disable_name_suffix_hash;
        opts.immutable |= local.immutable;
    }
    let mut meta = Map::new();
    meta.insert("name".into(), json!(g.name));
    if !g.namespace.is_empty() {
        meta.insert("namespace".into(), json!(g.namespace));
    }
    if !opts.labels.is_empty() {
        meta.insert("labels".into(), json!(opts.labels));
    }
    if !opts.annotations.is_empty() {
        meta.insert("annotations".into(), json!(opts.annotations));
    }
    let mut obj = Map::new();
    obj.insert("apiVersion".into(), json!("v1"));
    obj.insert("kind".into(), json!(target.kind()));
    obj.insert("metadata".into(), Value::Object(meta));
    match target {
        Target::ConfigMap => {
            if !data.is_empty() {
                obj.insert("data".into(), json!(data));
            }
        }
        Target::Secret => {
            let encoded: BTreeMap<String, String> = data.iter().map(|(k, v)| (k.clone(), encode_base64(v))).collect();
            if !encoded.is_empty() {
                obj.insert("data".into(), json!(encoded));
            }
            let ty = if g.type_.is_empty() { "Opaque" } else { &g.type_ };
            obj.insert("type".into(), json!(ty));
        }
    }
    if opts.immutable {
        obj.insert("immutable".into(), json!(true));
    }
    let mut r = Resource::new(Value::Object(obj));
    r.hash_suffix = !opts.disable_name_suffix_hash;
    Ok(r)
}

/// kustomize's `encodeBase64`: standard base64, cut into 70-character lines each ending in a
/// newline once the text is 70 characters or longer.
fn encode_base64(s: &str) -> String {
    const LINE: usize = 70;
    let enc = base64::engine::general_purpose::STANDARD.encode(s);
    if enc.len() < LINE {
        return enc;
    }
    let mut out = String::with_capacity(enc.len() + enc.len() / LINE + 1);
    for chunk in enc.as_bytes().chunks(LINE) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out
}

/// `hasher.Hash`: the first ten hex digits of the SHA-256 of the object's kind, data (and
/// type, for a Secret) with an empty name, with the vowels and some digits swapped so the
/// suffix cannot spell a word (`encode` in hasher.go).
pub fn name_hash(obj: &Value) -> String {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let mut m = Map::new();
    m.insert("kind".into(), json!(kind));
    m.insert("name".into(), json!(""));
    // An object without data hashes its data as "" (checked against kustomize 5.5).
    let data = obj
        .get("data")
        .filter(|d| d.as_object().is_some_and(|m| !m.is_empty()))
        .cloned()
        .unwrap_or_else(|| json!(""));
    m.insert("data".into(), data);
    if kind == "Secret" {
        m.insert("type".into(), obj.get("type").cloned().unwrap_or_else(|| json!("")));
    } else if let Some(bd) = obj
        .get("binaryData")
        .filter(|b| b.as_object().is_some_and(|b| !b.is_empty()))
    {
        m.insert("binaryData".into(), bd.clone());
    }
    // Go's json.Marshal of the map: keys sorted (serde_json's map is ordered), no spaces.
    encoded_hash(&go_escape(&Value::Object(m).to_string()))
}

/// `encodeHash(hash(text))`: the first ten hex digits of the text's SHA-256, with some
/// swapped for letters so the suffix cannot spell a word (kustomize's hasher.go and
/// kubectl's pkg/util/hash agree on this step).
pub fn encoded_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest
        .iter()
        .take(5)
        .flat_map(|b| [b >> 4, b & 0xf])
        .map(|n| match n {
            0 => 'g',
            1 => 'h',
            3 => 'k',
            10 => 'm',
            14 => 't',
            n => char::from_digit(u32::from(n), 16).unwrap_or('0'),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values computed with kustomize v5.5.0 (`kubectl kustomize`, kubectl 1.32.5).
    #[test]
    fn hashes_match_kustomize() {
        let cm = json!({"kind": "ConfigMap", "data": {"special.how": "very", "special.type": "charm"}});
        assert_eq!(name_hash(&cm), "2b86tk8fhm");
        let secret = json!({"kind": "Secret", "type": "Opaque",
            "data": {"username": "YWRtaW4=", "password": "MWYyZDFlMmU2N2Rm"}});
        assert_eq!(name_hash(&secret), "bkbd782d2c");
        assert_eq!(
            name_hash(&json!({"kind": "ConfigMap", "data": {"b@d": "1"}})),
            "7fdd4t87cc"
        );
        assert_eq!(name_hash(&json!({"kind": "ConfigMap"})), "6ct58987ht");
    }

    #[test]
    fn literals_lose_one_pair_of_quotes() {
        assert_eq!(literal("a=\"b c\"").unwrap(), ("a".into(), "b c".into()));
        assert_eq!(literal("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert!(literal("novalue").is_err());
        assert!(literal("=v").is_err());
    }
}
