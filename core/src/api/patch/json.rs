//! JSON merge patch (RFC 7386) and JSON patch (RFC 6902), as the API server applies them with
//! github.com/evanphx/json-patch; error texts are that library's.

use serde_json::{Map, Value};

/// RFC 7386: maps merge, `null` removes, everything else replaces.
pub fn merge_patch(original: &Value, patch: &Value) -> Value {
    match (original, patch) {
        (Value::Object(o), Value::Object(p)) => {
            let mut out = o.clone();
            for (k, pv) in p {
                if pv.is_null() {
                    out.remove(k);
                } else {
                    let merged = merge_patch(o.get(k).unwrap_or(&Value::Null), pv);
                    out.insert(k.clone(), merged);
                }
            }
            Value::Object(out)
        }
        (_, Value::Object(p)) => merge_patch(&Value::Object(Map::new()), &Value::Object(p.clone())),
        (_, other) => other.clone(),
    }
}

/// RFC 6902: a list of operations applied in order; the first that fails fails the patch.
/// Quirks kept from evanphx/json-patch v4 (recorded with kubectl 1.32 `patch --local`): a
/// `replace` or `copy` of a missing object key behaves as if the key held `null`, and an
/// operation without `value` writes `null`.
pub fn json_patch(original: &Value, ops: &[Value]) -> Result<Value, String> {
    let mut doc = original.clone();
    for op in ops {
        let name = op.get("op").and_then(Value::as_str).unwrap_or("unknown");
        let field = |f: &str, what: &str| -> Result<String, String> {
            match op.get(f) {
                Some(Value::String(p)) => Ok(p.clone()),
                _ => Err(format!("{name} operation failed to decode {what}: missing value")),
            }
        };
        let value = op.get("value").cloned().unwrap_or(Value::Null);
        match name {
            "add" => add(&mut doc, &field("path", "path")?, value, "add")?,
            "remove" => remove(&mut doc, &field("path", "path")?, None)?,
            "replace" => {
                let path = field("path", "path")?;
                let (parent, key) = split_parent(&path);
                match pointer_mut(&mut doc, &parent) {
                    Some(Value::Object(m)) => {
                        m.insert(key, value);
                    }
                    Some(Value::Array(a)) => match key.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                        Some(slot) => *slot = value,
                        None => {
                            return Err(format!(
                                "replace operation does not apply: doc is missing key: {path}: missing value"
                            ));
                        }
                    },
                    _ => {
                        return Err(format!(
                            "replace operation does not apply: doc is missing path: {path}: missing value"
                        ));
                    }
                }
            }
            "move" | "copy" => {
                let from = field("from", "from")?;
                let path = field("path", "path")?;
                let v = pointer(&doc, &from).cloned().unwrap_or(Value::Null);
                if name == "move" {
                    remove(&mut doc, &from, Some("move"))?;
                }
                add(&mut doc, &path, v, name)?;
            }
            "test" => {
                let path = field("path", "path")?;
                if pointer(&doc, &path).unwrap_or(&Value::Null) != &value {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

/// JSON pointer tokens (`~1` is `/`, `~0` is `~`).
fn tokens(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn pointer<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = doc;
    for t in tokens(path) {
        cur = match cur {
            Value::Object(m) => m.get(&t)?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn pointer_mut<'a>(doc: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut cur = doc;
    for t in tokens(path) {
        cur = match cur {
            Value::Object(m) => m.get_mut(&t)?,
            Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The parent container of `path` and its last token.
fn split_parent(path: &str) -> (String, String) {
    match path.rfind('/') {
        Some(i) => (path[..i].to_string(), tokens(&path[i..]).pop().unwrap_or_default()),
        None => (String::new(), path.to_string()),
    }
}

fn add(doc: &mut Value, path: &str, v: Value, op: &str) -> Result<(), String> {
    if path.is_empty() {
        *doc = v;
        return Ok(());
    }
    let (parent, key) = split_parent(path);
    let missing = || format!("{op} operation does not apply: doc is missing path: {path:?}: missing value");
    match pointer_mut(doc, &parent) {
        Some(Value::Object(m)) => {
            m.insert(key, v);
            Ok(())
        }
        Some(Value::Array(a)) => {
            let i = match key.as_str() {
                "-" => a.len(),
                k => match k.parse::<usize>() {
                    Ok(i) if i <= a.len() => i,
                    _ => {
                        return Err(format!(
                            "error in {op} for path: '{path}': Unable to access invalid index: {k}: invalid index referenced"
                        ));
                    }
                },
            };
            a.insert(i, v);
            Ok(())
        }
        _ => Err(missing()),
    }
}

/// `move` reports a missing source by its key (`error in move for path: 'x'`), as v4 does.
fn remove(doc: &mut Value, path: &str, within: Option<&str>) -> Result<(), String> {
    let (parent, key) = split_parent(path);
    let (op, shown) = match within {
        Some(op) => (op, key.clone()),
        None => ("remove", path.to_string()),
    };
    match pointer_mut(doc, &parent) {
        Some(Value::Object(m)) => m.remove(&key).map(|_| ()).ok_or_else(|| {
            format!("error in {op} for path: '{shown}': Unable to remove nonexistent key: {key}: missing value")
        }),
        Some(Value::Array(a)) => match key.parse::<usize>() {
            Ok(i) if i < a.len() => {
                a.remove(i);
                Ok(())
            }
            _ => Err(format!(
                "error in {op} for path: '{shown}': Unable to access invalid index: {key}: invalid index referenced"
            )),
        },
        _ => Err(format!(
            "{op} operation does not apply: doc is missing path: {path:?}: missing value"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations() {
        let doc = json!({"spec": {"replicas": 1, "list": ["a", "b"]}});
        let ops = json!([
            {"op": "replace", "path": "/spec/replicas", "value": 3},
            {"op": "add", "path": "/spec/list/-", "value": "c"},
            {"op": "remove", "path": "/spec/list/0"},
            {"op": "add", "path": "/metadata", "value": {"labels": {"a/b": "x"}}},
            {"op": "copy", "from": "/metadata/labels/a~1b", "path": "/spec/copy"},
            {"op": "test", "path": "/spec/copy", "value": "x"}
        ]);
        let out = json_patch(&doc, ops.as_array().map(Vec::as_slice).unwrap_or(&[]));
        assert_eq!(
            out,
            Ok(json!({"metadata": {"labels": {"a/b": "x"}}, "spec": {"replicas": 3, "list": ["b", "c"], "copy": "x"}}))
        );
        // Texts recorded with kubectl 1.32 `patch --local --type json`.
        let err = |op: Value| json_patch(&doc, &[op]).err().unwrap_or_default();
        assert_eq!(
            err(json!({"op": "remove", "path": "/spec/x"})),
            "error in remove for path: '/spec/x': Unable to remove nonexistent key: x: missing value"
        );
        assert_eq!(
            err(json!({"op": "add", "path": "/spec/x/y", "value": 1})),
            "add operation does not apply: doc is missing path: \"/spec/x/y\": missing value"
        );
        assert_eq!(
            err(json!({"op": "replace", "path": "/spec/list/5", "value": 1})),
            "replace operation does not apply: doc is missing key: /spec/list/5: missing value"
        );
        assert_eq!(
            err(json!({"op": "move", "from": "/spec/x", "path": "/spec/y"})),
            "error in move for path: 'x': Unable to remove nonexistent key: x: missing value"
        );
        assert_eq!(
            err(json!({"op": "remove"})),
            "remove operation failed to decode path: missing value"
        );
        assert_eq!(err(json!({"path": "/a"})), "Unexpected kind: unknown");
        assert_eq!(
            merge_patch(
                &json!({"a": {"b": 1, "c": 2}, "l": [1]}),
                &json!({"a": {"b": null}, "l": [2]})
            ),
            json!({"a": {"c": 2}, "l": [2]})
        );
    }
}
