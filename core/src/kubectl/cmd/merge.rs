//! The three-way merge of client-side `kubectl apply`: what the user applied last time
//! (`original`), what they apply now (`modified`) and what the cluster holds (`live`). Fields
//! the user set are taken from `modified`; fields they set before and dropped now are removed;
//! everything else (defaults, status, what controllers added) stays. Lists of named things
//! merge by their key as strategic merge patch does; other lists are replaced.

use serde_json::{Map, Value};

/// The patch merge key of a list field, as declared in the API types.
fn merge_key(field: &str) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "hostAliases" => Some(if field == "hostAliases" { "ip" } else { "name" }),
        "volumeMounts" => Some("mountPath"),
        "ports" => Some("containerPort"),
        _ => None,
    }
}

pub fn three_way(live: &Value, original: Option<&Value>, modified: &Value) -> Value {
    merge_value(live, original, modified, "")
}

fn merge_value(live: &Value, original: Option<&Value>, modified: &Value, field: &str) -> Value {
    match (live, modified) {
        (Value::Object(l), Value::Object(m)) => Value::Object(merge_map(l, original.and_then(Value::as_object), m)),
        (Value::Array(l), Value::Array(m)) => match merge_key(field) {
            Some(key) if m.iter().all(|i| i.get(key).is_some()) => {
                Value::Array(merge_list(l, original.and_then(Value::as_array), m, key))
            }
            _ => modified.clone(),
        },
        _ => modified.clone(),
    }
}

fn merge_map(
    live: &Map<String, Value>,
    original: Option<&Map<String, Value>>,
    modified: &Map<String, Value>,
) -> Map<String, Value> {
    let mut out = live.clone();
    for (k, mv) in modified {
        if mv.is_null() {
            out.remove(k);
            continue;
        }
        let merged = match live.get(k) {
            Some(lv) => merge_value(lv, original.and_then(|o| o.get(k)), mv, k),
            None => mv.clone(),
        };
        out.insert(k.clone(), merged);
    }
    if let Some(orig) = original {
        for k in orig.keys() {
            if !modified.contains_key(k) {
                out.remove(k);
            }
        }
    }
    out
}

fn merge_list(live: &[Value], original: Option<&Vec<Value>>, modified: &[Value], key: &str) -> Vec<Value> {
    let key_of = |v: &Value| v.get(key).cloned();
    let mut out: Vec<Value> = Vec::new();
    // Items in the order the user wrote them, merged with their live counterpart...
    for m in modified {
        let k = key_of(m);
        let orig = original.and_then(|o| o.iter().find(|i| key_of(i) == k));
        match live.iter().find(|l| key_of(l) == k) {
            Some(l) => out.push(merge_value(l, orig, m, "")),
            None => out.push(m.clone()),
        }
    }
    // ...then live items the user never managed (added by the server or controllers).
    for l in live {
        let k = key_of(l);
        let in_modified = modified.iter().any(|m| key_of(m) == k);
        let was_managed = original.is_some_and(|o| o.iter().any(|i| key_of(i) == k));
        if !in_modified && !was_managed {
            out.push(l.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_server_fields_and_drops_removed_ones() {
        let live = json!({"metadata": {"labels": {"a": "1", "b": "2"}, "uid": "u"}, "spec": {"containers": [{"name": "c", "image": "nginx:1", "terminationMessagePath": "/dev/termination-log"}], "volumes": [{"name": "data"}, {"name": "kube-api-access-x"}]}});
        let original = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1"}], "volumes": [{"name": "data"}]}});
        let modified = json!({"metadata": {"labels": {"a": "1"}}, "spec": {"containers": [{"name": "c", "image": "nginx:2"}], "volumes": [{"name": "data"}]}});
        let out = three_way(&live, Some(&original), &modified);
        assert_eq!(out["metadata"]["labels"], json!({"a": "1"}));
        assert_eq!(out["metadata"]["uid"], "u");
        assert_eq!(out["spec"]["containers"][0]["image"], "nginx:2");
        assert_eq!(
            out["spec"]["containers"][0]["terminationMessagePath"],
            "/dev/termination-log"
        );
        assert_eq!(
            out["spec"]["volumes"],
            json!([{"name": "data"}, {"name": "kube-api-access-x"}])
        );
    }
}
