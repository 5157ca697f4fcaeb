//! Field specs: where in which kinds a transformer writes (kustomize api/types/fieldspec.go and
//! the tables of api/internal/konfig/builtinpluginconsts). A path is `/`-separated, `\/`
//! escapes a slash inside a key, and lists met on the way are entered item by item.

use serde_json::{Map, Value};

/// Selects a field of some kinds: `kind` and `group` empty match every kind and group.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    pub group: &'static str,
    pub kind: &'static str,
    pub path: &'static str,
    pub create: bool,
}

pub const fn fs(group: &'static str, kind: &'static str, path: &'static str, create: bool) -> FieldSpec {
    FieldSpec {
        group,
        kind,
        path,
        create,
    }
}

impl FieldSpec {
    pub fn applies(&self, group: &str, kind: &str) -> bool {
        (self.kind.is_empty() || self.kind == kind) && (self.group.is_empty() || self.group == group)
    }
}

/// Splits a path at unescaped slashes; `[]` after a segment only says it is a list.
pub fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'/') => {
                cur.push('/');
                chars.next();
            }
            '/' => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.strip_suffix("[]").map(str::to_string).unwrap_or(s))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Calls `f` on every value at `path` under `v`. With `leaf` given, missing maps on the way are
/// made and a missing last field is set to it first (`create: true`).
pub fn visit(v: &mut Value, path: &[String], leaf: Option<&Value>, f: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = path.split_first() else {
        f(v);
        return;
    };
    match v {
        Value::Array(items) => {
            for item in items {
                visit(item, path, leaf, f);
            }
        }
        Value::Object(m) => {
            if !m.contains_key(first.as_str()) || m.get(first.as_str()) == Some(&Value::Null) {
                let Some(leaf) = leaf else { return };
                let fresh = if rest.is_empty() {
                    leaf.clone()
                } else {
                    Value::Object(Map::new())
                };
                m.insert(first.clone(), fresh);
            }
            if let Some(child) = m.get_mut(first.as_str()) {
                visit(child, rest, leaf, f);
            }
        }
        _ => {}
    }
}

/// The group of an object's apiVersion (`apps` of `apps/v1`, empty for `v1`).
pub fn group_of(obj: &Value) -> &str {
    let av = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    av.rsplit_once('/').map(|(g, _)| g).unwrap_or("")
}

pub fn kind_of(obj: &Value) -> &str {
    obj.get("kind").and_then(Value::as_str).unwrap_or("")
}

/// Applies `f` at every field spec of `specs` that applies to `obj`.
pub fn apply_specs(obj: &mut Value, specs: &[FieldSpec], leaf: &Value, f: &mut dyn FnMut(&mut Value)) {
    let group = group_of(obj).to_string();
    let kind = kind_of(obj).to_string();
    for spec in specs.iter().filter(|s| s.applies(&group, &kind)) {
        let segs = segments(spec.path);
        visit(obj, &segs, spec.create.then_some(leaf), f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escaped_slashes_stay_in_keys() {
        assert_eq!(
            segments(r"metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret"),
            vec!["metadata", "annotations", "nginx.ingress.kubernetes.io/auth-secret"]
        );
        assert_eq!(segments("spec/containers[]/image"), vec!["spec", "containers", "image"]);
    }

    #[test]
    fn lists_are_entered_and_maps_created() {
        let mut v = json!({"spec": {"containers": [{"image": "a"}, {"image": "b"}]}});
        let mut seen = Vec::new();
        visit(&mut v, &segments("spec/containers/image"), None, &mut |x| {
            seen.push(x.clone())
        });
        assert_eq!(seen, vec![json!("a"), json!("b")]);
        let mut w = json!({});
        visit(&mut w, &segments("spec/selector"), Some(&json!({})), &mut |x| {
            x["app"] = json!("web");
        });
        assert_eq!(w, json!({"spec": {"selector": {"app": "web"}}}));
    }
}
