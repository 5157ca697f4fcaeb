//! Server-side decoding of a request body into a typed object, strictly: the API server's
//! `fieldValidation=Strict` that kubectl asks for by default. k8s-openapi ignores unknown
//! fields, so each one is caught on the way through and reported with its path, in sorted key
//! order (kubectl sends JSON encoded from a Go map):
//! `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"`.

use serde_json::Value;

use super::errors::{ApiError, FieldError};
use super::quantity::{Quantity, REGEX_ERROR};
use crate::store::{Kind, Object};

/// Decodes `value` as `kind`. Missing required fields, which Go would decode as zero values and
/// then reject in validation, come back as `Invalid` errors with a `Required value` cause.
pub fn decode(kind: Kind, value: Value) -> Result<Object, ApiError> {
    decode_with(kind, value, true).map(|(obj, _)| obj)
}

/// Decodes with `fieldValidation=Warn`, the server default when a client asks for nothing (as
/// `kubectl patch` does): unknown fields come back as warnings (`unknown field "spec.foo"`).
pub fn decode_warn(kind: Kind, value: Value) -> Result<(Object, Vec<String>), ApiError> {
    decode_with(kind, value, false)
}

fn decode_with(kind: Kind, mut value: Value, strict: bool) -> Result<(Object, Vec<String>), ApiError> {
    let info = kind.info();
    let prefix = format!(
        "{} in version {:?} cannot be handled as a {}: ",
        kind.name(),
        info.version,
        kind.name()
    );
    normalize_quantities(&mut value, None).map_err(|e| ApiError::bad_request(format!("{prefix}{e}")))?;
    strip_base64_newlines(kind, &mut value);
    let original = value.clone();
    let mut unknown: Vec<String> = Vec::new();
    let result = kind.decode(value, &mut |path| unknown.push(field_path(&path)));
    match result {
        Ok(obj) if unknown.is_empty() => Ok((obj, Vec::new())),
        Ok(obj) if !strict => Ok((obj, unknown.iter().map(|f| format!("unknown field {f:?}")).collect())),
        Ok(_) => {
            let list: Vec<String> = unknown.iter().map(|f| format!("unknown field {f:?}")).collect();
            Err(ApiError::bad_request(format!(
                "{prefix}strict decoding error: {}",
                list.join(", ")
            )))
        }
        Err(err) => {
            let path: Vec<Segment> = err.path().iter().map(Segment::from).collect();
            let inner = err.into_inner().to_string();
            if let Some(field) = inner.strip_prefix("missing field `").and_then(|s| s.strip_suffix('`')) {
                let mut at = render_path(&path);
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(field);
                let name = original.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
                return Err(ApiError::invalid(
                    &qualified_kind(kind),
                    name,
                    vec![FieldError::required(at, "")],
                ));
            }
            Err(ApiError::bad_request(format!(
                "{prefix}{}",
                go_type_error(kind, &original, &path, &inner)
            )))
        }
    }
}

/// Go's base64 decoder skips `\r` and `\n`, so `[]byte` fields may be wrapped (kustomize
/// wraps Secret data at 70 columns); the Rust decoder does not, so they are taken out first.
fn strip_base64_newlines(kind: Kind, value: &mut Value) {
    let field = match kind {
        Kind::Secret => "data",
        Kind::ConfigMap => "binaryData",
        _ => return,
    };
    if let Some(Value::Object(m)) = value.get_mut(field) {
        for v in m.values_mut() {
            if let Value::String(s) = v
                && s.contains(['\n', '\r'])
            {
                s.retain(|c| c != '\n' && c != '\r');
            }
        }
    }
}

/// `Deployment.apps`, or `Pod`: the kind as `NewInvalid` names it.
pub fn qualified_kind(kind: Kind) -> String {
    let group = kind.info().group;
    if group.is_empty() {
        kind.name().to_string()
    } else {
        format!("{}.{group}", kind.name())
    }
}

#[derive(Clone, Debug)]
enum Segment {
    Index(usize),
    Key(String),
}

impl From<&serde_path_to_error::Segment> for Segment {
    fn from(s: &serde_path_to_error::Segment) -> Self {
        match s {
            serde_path_to_error::Segment::Seq { index } => Segment::Index(*index),
            serde_path_to_error::Segment::Map { key } => Segment::Key(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Segment::Key(variant.clone()),
            serde_path_to_error::Segment::Unknown => Segment::Key("?".into()),
        }
    }
}

/// `spec.containers[0].imagee`: the path style of the API server's field errors.
fn render_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
        }
    }
    out
}

fn field_path(path: &serde_ignored::Path<'_>) -> String {
    fn walk(path: &serde_ignored::Path<'_>, out: &mut Vec<Segment>) {
        match path {
            serde_ignored::Path::Root => {}
            serde_ignored::Path::Seq { parent, index } => {
                walk(parent, out);
                out.push(Segment::Index(*index));
            }
            serde_ignored::Path::Map { parent, key } => {
                walk(parent, out);
                out.push(Segment::Key(key.clone()));
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => walk(parent, out),
        }
    }
    let mut segs = Vec::new();
    walk(path, &mut segs);
    render_path(&segs)
}

/// encoding/json's `UnmarshalTypeError`: `json: cannot unmarshal string into Go struct field
/// ContainerPort.spec.containers.ports.containerPort of type int32`. The Go struct holding the
/// field is found by decoding the document again with that struct replaced by `true`: the
/// generated k8s-openapi visitors then name their type in the error.
fn go_type_error(kind: Kind, doc: &Value, path: &[Segment], inner: &str) -> String {
    // A number out of the field's range is a type error in Go too (`number 4294967296`).
    let Some(got) = inner.strip_prefix("invalid type: ").or_else(|| {
        inner
            .strip_prefix("invalid value: ")
            .filter(|g| g.starts_with("integer `"))
    }) else {
        return inner.to_string();
    };
    let (found, expected) = got.split_once(", expected ").unwrap_or((got, ""));
    let go_value = match found.split(' ').next().unwrap_or("") {
        "string" => "string".to_string(),
        "integer" | "floating" => {
            if found.starts_with("floating") || found.starts_with("integer `") {
                format!(
                    "number {}",
                    found
                        .trim_start_matches("floating point `")
                        .trim_start_matches("integer `")
                        .trim_end_matches('`')
                )
            } else {
                "number".to_string()
            }
        }
        "boolean" => "bool".to_string(),
        "sequence" => "array".to_string(),
        "map" => "object".to_string(),
        "null" => "null".to_string(),
        other => other.to_string(),
    };
    let go_type = match expected {
        "i32" => "int32".to_string(),
        "i64" => "int64".to_string(),
        "u32" | "u16" | "u8" => format!("uint{}", &expected[1..]),
        "a boolean" | "bool" => "bool".to_string(),
        "a string" | "string" => "string".to_string(),
        "f64" => "float64".to_string(),
        "a sequence" => "[]interface {}".to_string(),
        "a map" => "map[string]string".to_string(),
        t if t.chars().next().is_some_and(|c| c.is_ascii_uppercase()) => format!("v1.{t}"),
        t => t.to_string(),
    };
    // Field path without indices, as Go prints it; the struct is the closest map parent.
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            Segment::Index(_) => None,
        })
        .collect();
    let parent_len = path.iter().rposition(|s| matches!(s, Segment::Key(_))).unwrap_or(0);
    let parent = struct_name_at(kind, doc, &path[..parent_len]).unwrap_or_else(|| kind.name().to_string());
    format!(
        "json: cannot unmarshal {go_value} into Go struct field {parent}.{} of type {go_type}",
        keys.join(".")
    )
}

fn struct_name_at(kind: Kind, doc: &Value, path: &[Segment]) -> Option<String> {
    if path.is_empty() {
        return Some(kind.name().to_string());
    }
    let mut probe = doc.clone();
    let mut slot = &mut probe;
    for seg in path {
        slot = match seg {
            Segment::Index(i) => slot.get_mut(*i)?,
            Segment::Key(k) => slot.get_mut(k.as_str())?,
        };
    }
    *slot = Value::Bool(true);
    let err = kind.decode(probe, &mut |_| {}).err()?.into_inner().to_string();
    let name = err.split(", expected ").nth(1)?;
    Some(name.trim().to_string())
}

/// Quantities are decoded and re-encoded in canonical form, as `resource.Quantity` round-trips
/// through the API server; numbers written bare (`cpu: 1`) are quantities too.
fn normalize_quantities(v: &mut Value, parent_key: Option<&str>) -> Result<(), String> {
    const QUANTITY_MAPS: [&str; 6] = ["limits", "requests", "capacity", "allocatable", "overhead", "hard"];
    match v {
        Value::Object(map) => {
            let is_quantity_map = parent_key.is_some_and(|k| QUANTITY_MAPS.contains(&k));
            for (k, child) in map.iter_mut() {
                if is_quantity_map || k == "sizeLimit" {
                    normalize_quantity(child)?;
                } else {
                    normalize_quantities(child, Some(k.as_str()))?;
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                normalize_quantities(item, None)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn normalize_quantity(v: &mut Value) -> Result<(), String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err(REGEX_ERROR.to_string()),
    };
    let q = Quantity::parse(&text)?;
    // A string already canonical keeps its text; anything else is rewritten.
    *v = Value::String(q.canonical());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(spec: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": spec})
    }

    #[test]
    fn unknown_field_has_path() {
        let err = decode(
            Kind::Pod,
            pod(json!({"containers": [{"name": "c", "imagee": "nginx"}]})),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            r#"Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee""#
        );
    }

    #[test]
    /// kubectl re-encodes the manifest from a Go map, so the server meets fields in sorted order.
    fn several_unknown_fields_in_sorted_order() {
        let err = decode(
            Kind::Pod,
            pod(json!({"zeta": 1, "containers": [{"name": "c", "alpha": 2}]})),
        )
        .unwrap_err();
        assert!(
            err.message
                .ends_with(r#"unknown field "spec.containers[0].alpha", unknown field "spec.zeta""#),
            "{}",
            err.message
        );
    }

    #[test]
    fn wrong_type_reads_like_encoding_json() {
        let err = decode(
            Kind::Pod,
            pod(json!({"containers": [{"name": "c", "ports": [{"containerPort": "eighty"}]}]})),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
        );
    }

    #[test]
    /// Go decodes a missing field as its zero value and leaves the complaint to validation.
    fn missing_required_fields_decode_as_zero_values() {
        let obj = decode(Kind::Pod, pod(json!({"containers": [{"image": "nginx"}]}))).unwrap();
        let errs = crate::api::validation::validate(&obj, None);
        assert_eq!(errs[0].to_string(), "spec.containers[0].name: Required value");
    }

    #[test]
    fn quantities_are_canonical() {
        let obj = decode(
            Kind::Pod,
            pod(json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": 0.5, "memory": "1024Mi"}}}]})),
        )
        .unwrap();
        let v = obj.to_value();
        assert_eq!(v["spec"]["containers"][0]["resources"]["requests"]["cpu"], "500m");
        assert_eq!(v["spec"]["containers"][0]["resources"]["requests"]["memory"], "1Gi");
        let bad = decode(
            Kind::Pod,
            pod(json!({"containers": [{"name": "c", "resources": {"limits": {"cpu": "lots"}}}]})),
        );
        assert!(bad.unwrap_err().message.ends_with(REGEX_ERROR));
    }
}
