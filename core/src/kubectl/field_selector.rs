//! `--field-selector`: `field=value`, `field==value`, `field!=value`, comma-separated, over the
//! fields each kind's API server registry supports for selection.

use serde_json::Value;

use crate::store::{Kind, Object};

/// Selectable fields besides `metadata.name` and `metadata.namespace`.
fn supported(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        Kind::Node => &["spec.unschedulable"],
        Kind::Namespace => &["status.phase"],
        Kind::Secret => &["type"],
        Kind::ReplicaSet => &["status.replicas"],
        _ => &[],
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    pub fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut reqs = Vec::new();
        for part in s.split(',').filter(|p| !p.is_empty()) {
            let (field, eq, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, true, v)
            } else {
                return Err(format!("invalid selector: '{s}'; can't understand '{part}'"));
            };
            reqs.push((field.trim().to_string(), eq, value.trim().to_string()));
        }
        Ok(FieldSelector(reqs))
    }

    /// The first field this kind cannot select on, as the API server reports it.
    pub fn unsupported(&self, kind: Kind) -> Option<&str> {
        self.0
            .iter()
            .map(|(f, _, _)| f.as_str())
            .find(|f| *f != "metadata.name" && *f != "metadata.namespace" && !supported(kind).contains(f))
    }

    pub fn matches(&self, obj: &Object) -> bool {
        let v = obj.to_value();
        self.0.iter().all(|(field, eq, want)| {
            let have = if field == "source" {
                v.pointer("/source/component")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            } else {
                match v.pointer(&format!("/{}", field.replace('.', "/"))) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                }
            };
            (have == *want) == *eq
        })
    }
}
