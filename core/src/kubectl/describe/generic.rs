//! kubectl's generic describer (pkg/describe/describe.go `genericDescriber` and
//! `printUnstructuredContent`), for kinds without a describer of their own (Lease, Event,
//! CSIDriver, IngressClass ...): the header, then every field of the object in key order with
//! its name made words (`holderIdentity` is `Holder Identity`, `apiVersion` is `API Version`),
//! maps as nested sections, lists item after item, and the events.

use serde_json::Value;

use super::{Writer, annotations_multiline, events_section, labels_multiline};
use crate::cluster::World;
use crate::store::Object;

/// The fields the header already shows, and the managed fields.
const SKIP: &[&str] = &[
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

pub fn describe(world: &World, obj: &Object, content: &Value) -> String {
    let mut w = Writer::default();
    let m = obj.meta();
    w.line(0, &format!("Name:\t{}", obj.name()));
    // Printed for cluster-scoped objects too, empty.
    w.line(0, &format!("Namespace:\t{}", m.namespace.as_deref().unwrap_or("")));
    labels_multiline(&mut w, "Labels", m.labels.as_ref());
    annotations_multiline(&mut w, m.annotations.as_ref());
    if let Value::Object(map) = content {
        fields(&mut w, 0, map, "");
    }
    events_section(&mut w, world, obj);
    w.finish()
}

fn fields(w: &mut Writer, level: usize, map: &serde_json::Map<String, Value>, prefix: &str) {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    for key in keys {
        let path = format!("{prefix}.{key}");
        if SKIP.contains(&path.as_str()) {
            continue;
        }
        let label = smart_label(key);
        match &map[key] {
            Value::Object(inner) => {
                w.line(level, &format!("{label}:"));
                fields(w, level + 1, inner, &path);
            }
            Value::Array(items) => {
                w.line(level, &format!("{label}:"));
                for item in items {
                    match item {
                        Value::Object(inner) => fields(w, level + 1, inner, &path),
                        other => w.line(level + 1, &scalar(other)),
                    }
                }
            }
            other => w.line(level, &format!("{label}:\t{}", scalar(other))),
        }
    }
}

/// Go's `%v` of a scalar out of unstructured content.
fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => crate::kubectl::printers::gotemplate::go_float(n.as_f64().unwrap_or(0.0)),
        },
        other => other.to_string(),
    }
}

/// `smartLabelFor`: a field of letters (and `-`) split where its case changes
/// (github.com/fatih/camelcase), each part titled, common acronyms upper-cased; any other
/// field as it is.
pub fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    for p in camel_split(field) {
        if p == "_" {
            continue;
        }
        let upper = p.to_uppercase();
        if ["API", "URL", "UID", "OSB", "GUID"].contains(&upper.as_str()) {
            parts.push(upper);
        } else {
            parts.push(title(&p));
        }
    }
    parts.join(" ")
}

/// `cases.Title(language.English)`: the first letter upper-cased, the rest lowered
/// (`podIP` is `Pod Ip`).
fn title(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

/// `camelcase.Split`: runs of one character class (lower, upper, digit, other), then the
/// last upper-case letter of a run moved to a lower-case run that follows it
/// (`holderIdentity` is `holder Identity`, `HTTPServer` is `HTTP Server` before titling).
fn camel_split(s: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(r) if k == last => r.push(c),
            _ => runs.push(vec![c]),
        }
        last = k;
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper_then_lower =
            runs[i].first().is_some_and(|c| c.is_uppercase()) && runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        if upper_then_lower && let Some(c) = runs[i].pop() {
            runs[i + 1].insert(0, c);
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_as_kubectl_makes_them() {
        for (f, l) in [
            ("holderIdentity", "Holder Identity"),
            ("apiVersion", "API Version"),
            ("uid", "UID"),
            ("leaseDurationSeconds", "Lease Duration Seconds"),
            ("HTTPServer", "Http Server"),
            ("blockOwnerDeletion", "Block Owner Deletion"),
            ("ipv4", "ipv4"),
            ("kind", "Kind"),
            ("podIP", "Pod Ip"),
            ("podIPs", "Pod I Ps"),
            ("HTTPGet", "Http Get"),
            ("dummy-dummy", "Dummy - Dummy"),
        ] {
            assert_eq!(smart_label(f), l);
        }
    }
}
