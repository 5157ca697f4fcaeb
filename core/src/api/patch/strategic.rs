//! Strategic merge patch (staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go):
//! a JSON merge patch that knows, from the API types, which lists merge by a key. It honours
//! the directives kubectl and kustomize write: `$patch: replace|delete|merge` in a map or a
//! list item, `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.

use serde_json::{Map, Value};

use super::schema::{ListStrategy, list_strategy};
use crate::store::Kind;

const DIRECTIVE: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const SET_ORDER: &str = "$setElementOrder/";
const DELETE_PRIMITIVE: &str = "$deleteFromPrimitiveList/";

/// Applies `patch` to `original`, an object of `kind`.
pub fn apply(kind: Kind, original: &Value, patch: &Value) -> Result<Value, String> {
    let mut path = Vec::new();
    match (original, patch) {
        (Value::Object(o), Value::Object(p)) => Ok(Value::Object(merge_map(kind, &mut path, o, p)?)),
        (_, Value::Object(_)) => Ok(patch.clone()),
        _ => Err("patch is not a JSON object".into()),
    }
}

fn merge_map(
    kind: Kind,
    path: &mut Vec<String>,
    original: &Map<String, Value>,
    patch: &Map<String, Value>,
) -> Result<Map<String, Value>, String> {
    match patch.get(DIRECTIVE) {
        None => {}
        Some(Value::String(d)) if d == "replace" => {
            let mut out = patch.clone();
            out.remove(DIRECTIVE);
            return Ok(strip(out));
        }
        // `$patch: delete` empties the map; the key stays.
        Some(Value::String(d)) if d == "delete" => return Ok(Map::new()),
        Some(other) => {
            return Err(format!(
                "unknown patch type: {} in map: {}",
                go_value(other),
                go_map(patch)
            ));
        }
    }
    let mut out = original.clone();
    for (k, pv) in patch {
        if k == DIRECTIVE || k == RETAIN_KEYS || k.starts_with(SET_ORDER) {
            continue;
        }
        if let Some(field) = k.strip_prefix(DELETE_PRIMITIVE) {
            let drop = pv.as_array().cloned().unwrap_or_default();
            if let Some(Value::Array(items)) = out.get_mut(field) {
                items.retain(|i| !drop.contains(i));
            }
            continue;
        }
        if pv.is_null() {
            out.remove(k);
            continue;
        }
        path.push(k.clone());
        let order = patch.get(&format!("{SET_ORDER}{k}")).and_then(Value::as_array);
        let merged = merge_value(kind, path, original.get(k), pv, order);
        path.pop();
        out.insert(k.clone(), merged?);
    }
    if let Some(Value::Array(keep)) = patch.get(RETAIN_KEYS) {
        let keep: Vec<&str> = keep.iter().filter_map(Value::as_str).collect();
        out.retain(|k, _| keep.contains(&k.as_str()));
    }
    Ok(out)
}

fn merge_value(
    kind: Kind,
    path: &mut Vec<String>,
    original: Option<&Value>,
    patch: &Value,
    order: Option<&Vec<Value>>,
) -> Result<Value, String> {
    match (original, patch) {
        (Some(Value::Object(o)), Value::Object(p)) => Ok(Value::Object(merge_map(kind, path, o, p)?)),
        (_, Value::Object(p)) => Ok(Value::Object(merge_map(kind, path, &Map::new(), p)?)),
        (orig, Value::Array(p)) => {
            let segs: Vec<&str> = path.iter().map(String::as_str).collect();
            let empty = Vec::new();
            let o = match orig {
                Some(Value::Array(o)) => o,
                _ => &empty,
            };
            merge_list(kind, path, list_strategy(kind, &segs), o, p, order).map(Value::Array)
        }
        (_, v) => Ok(v.clone()),
    }
}

fn merge_list(
    kind: Kind,
    path: &mut Vec<String>,
    strategy: ListStrategy,
    original: &[Value],
    patch: &[Value],
    order: Option<&Vec<Value>>,
) -> Result<Vec<Value>, String> {
    let key = match strategy {
        ListStrategy::Atomic => return Ok(patch.iter().cloned().map(strip_value).collect()),
        ListStrategy::MergeScalars => None,
        ListStrategy::MergeByKey { key, .. } => Some(key),
    };
    let id = |v: &Value| -> Option<Value> {
        match key {
            Some(k) => v.get(k).cloned(),
            None => Some(v.clone()),
        }
    };
    // `[]` on a merging list changes nothing; `null` or `$patch: replace` clears it.
    if patch.is_empty() {
        return Ok(original.to_vec());
    }
    if patch
        .iter()
        .any(|i| i.get(DIRECTIVE).and_then(Value::as_str) == Some("merge"))
    {
        return Err("merging lists cannot yet be specified in the patch".into());
    }
    // A `{"$patch": "replace"}` item replaces the list with the other items.
    if patch
        .iter()
        .any(|i| i.get(DIRECTIVE).and_then(Value::as_str) == Some("replace"))
    {
        return Ok(patch
            .iter()
            .filter(|i| i.get(DIRECTIVE).is_none())
            .cloned()
            .map(strip_value)
            .collect());
    }
    let mut server: Vec<Value> = original.to_vec();
    let mut patched: Vec<Value> = Vec::new();
    for item in patch {
        let Some(k) = id(item) else {
            return Err(format!(
                "map: {} does not contain declared merge key: {}",
                go_value(item),
                key.unwrap_or("")
            ));
        };
        let existing = server.iter().position(|s| id(s).as_ref() == Some(&k));
        if item.get(DIRECTIVE).and_then(Value::as_str) == Some("delete") {
            if let Some(i) = existing {
                server.remove(i);
            }
            continue;
        }
        let merged = match (existing, key) {
            (Some(i), Some(_)) => {
                let old = server.remove(i);
                merge_value(kind, path, Some(&old), item, None)?
            }
            (Some(i), None) => server.remove(i),
            (None, _) => merge_value(kind, path, None, item, None)?,
        };
        patched.push(merged);
    }
    // normalizeElementOrder: patch items in `$setElementOrder` (or patch) order, server-only
    // items in their order, merged by their positions in the original list.
    if let Some(order) = order {
        let rank = |v: &Value| order.iter().position(|o| id(o) == id(v)).unwrap_or(usize::MAX);
        patched.sort_by_key(rank);
    }
    let server_rank = |v: &Value| original.iter().position(|o| id(o) == id(v));
    let mut out = Vec::with_capacity(patched.len() + server.len());
    let (mut left, mut right) = (patched.into_iter().peekable(), server.into_iter().peekable());
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(l), Some(r)) => match (server_rank(l), server_rank(r)) {
                (Some(a), Some(b)) => a < b,
                _ => true,
            },
        };
        out.extend(if take_left { left.next() } else { right.next() });
    }
    Ok(out)
}

/// Removes directives from a value that replaces rather than merges.
fn strip_value(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(strip(m)),
        other => other,
    }
}

fn strip(m: Map<String, Value>) -> Map<String, Value> {
    m.into_iter()
        .filter(|(k, _)| {
            k != DIRECTIVE && k != RETAIN_KEYS && !k.starts_with(SET_ORDER) && !k.starts_with(DELETE_PRIMITIVE)
        })
        .map(|(k, v)| (k, strip_value(v)))
        .collect()
}

/// Go's `%v` of a decoded JSON value.
pub(crate) fn go_value(v: &Value) -> String {
    match v {
        Value::Object(m) => go_map(m),
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

fn go_map(m: &Map<String, Value>) -> String {
    let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{}", go_value(v))).collect();
    format!("map[{}]", parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Recorded with kubectl 1.32: `kubectl patch -f pod.yaml --local -p ... -o yaml`.
    #[test]
    fn named_lists_merge_in_kubectl_order() {
        let pod = json!({"spec": {"containers": [
            {"name": "a", "image": "nginx"},
            {"name": "b", "image": "busybox", "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}]}
        ]}});
        let patch = json!({"spec": {"containers": [
            {"name": "c", "image": "redis"},
            {"name": "b", "env": [{"name": "Z", "value": "3"}, {"name": "X", "value": "9"}]}
        ]}});
        let out = apply(Kind::Pod, &pod, &patch).unwrap_or_default();
        assert_eq!(
            out,
            json!({"spec": {"containers": [
                {"name": "c", "image": "redis"},
                {"name": "a", "image": "nginx"},
                {"name": "b", "image": "busybox", "env": [
                    {"name": "Z", "value": "3"}, {"name": "X", "value": "9"}, {"name": "Y", "value": "2"}
                ]}
            ]}})
        );
    }

    #[test]
    fn directives() {
        let pod = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"containers": [{"name": "a"}, {"name": "b"}], "tolerations": [{"key": "x"}]}});
        let out = apply(
            Kind::Pod,
            &pod,
            &json!({"metadata": {"labels": {"a": null}}, "spec": {"containers": [{"name": "a", "$patch": "delete"}], "tolerations": [{"key": "y"}]}}),
        )
        .unwrap_or_default();
        assert_eq!(
            out,
            json!({"metadata": {"labels": {"b": "2"}}, "spec": {"containers": [{"name": "b"}], "tolerations": [{"key": "y"}]}})
        );
        let out = apply(
            Kind::Pod,
            &pod,
            &json!({"metadata": {"labels": {"$patch": "replace", "c": "3"}}}),
        )
        .unwrap_or_default();
        assert_eq!(out["metadata"]["labels"], json!({"c": "3"}));
        let err = apply(Kind::Pod, &pod, &json!({"spec": {"containers": [{"image": "x"}]}}));
        assert_eq!(
            err,
            Err("map: map[image:x] does not contain declared merge key: name".into())
        );
    }
}
