//! PATCH requests: the three patch types the API server accepts from kubectl
//! (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go). The patched object goes
//! through the same strict decoding, defaulting and validation as an update.

pub mod json;
pub mod schema;
pub mod strategic;

use serde_json::Value;

use super::decode::decode_warn;
use super::errors::{ApiError, BadValue, FieldError, Reason};
use super::scale;
use super::server::ApiServer;
use crate::store::{Kind, Object, ObjectKey};

/// `--type` of `kubectl patch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Strategic,
    Merge,
    Json,
}

impl PatchType {
    pub fn parse(s: &str) -> Option<PatchType> {
        match s {
            "strategic" => Some(PatchType::Strategic),
            "merge" => Some(PatchType::Merge),
            "json" => Some(PatchType::Json),
            _ => None,
        }
    }
}

/// Applies a patch to an object's JSON form. The error is the patch library's text.
pub fn apply(kind: Kind, ty: PatchType, original: &Value, patch: &Value) -> Result<Value, String> {
    match ty {
        PatchType::Strategic => strategic::apply(kind, original, patch),
        PatchType::Merge => Ok(json::merge_patch(original, patch)),
        PatchType::Json => match patch {
            Value::Array(ops) => json::json_patch(original, ops),
            _ => Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into()),
        },
    }
}

/// The generic 422 the server answers for a JSON patch that does not apply; the library's
/// text is dropped (`NewGenericServerResponse(422, ...)` in handlers/patch.go).
fn rejected() -> ApiError {
    ApiError::new(
        Reason::Invalid,
        "the server rejected our request due to an error in our request",
    )
}

/// `interpretStrategicMergePatchError`: format errors are 400s, the rest plain 500s.
fn strategic_error(msg: String) -> ApiError {
    let bad_request = [
        "invalid JSON document",
        "invalid patch format of primitive list",
        "invalid patch format of retainKeys",
        "invalid patch format of setElementOrder list",
        "strategic merge patch format is not supported",
    ];
    if bad_request.iter().any(|b| msg.starts_with(b)) {
        ApiError::bad_request(msg)
    } else if msg.starts_with("lists of lists") || msg.starts_with("patch content doesn't match retainKeys") {
        rejected()
    } else {
        ApiError::new(Reason::Unknown, msg)
    }
}

/// Go's name for a JSON value's type in `cannot unmarshal X into Go value of type Y`.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
    }
}

/// The request body parsed as the handler for its patch type parses it; `None` for a body of
/// `null`, which changes nothing.
fn parse_body(ty: PatchType, body: &str) -> Result<Option<Value>, ApiError> {
    let prefix = if ty == PatchType::Strategic {
        ""
    } else {
        "error decoding patch: "
    };
    if let Some(e) = super::gojson::syntax_error(body) {
        return Err(ApiError::bad_request(format!("{prefix}{e}")));
    }
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let target = match ty {
        PatchType::Json => "[]handlers.jsonPatchOp",
        _ => "map[string]interface {}",
    };
    match (&v, ty) {
        (Value::Null, PatchType::Merge) => Err(ApiError::bad_request("Invalid JSON Patch")),
        (Value::Null, _) => Ok(None),
        (Value::Object(_), PatchType::Strategic | PatchType::Merge) => Ok(Some(v)),
        (Value::Array(ops), PatchType::Json) => match ops.iter().find(|o| !o.is_object()) {
            Some(op) => Err(ApiError::bad_request(format!(
                "{prefix}json: cannot unmarshal {} into Go value of type handlers.jsonPatchOp",
                json_type(op)
            ))),
            None => Ok(Some(v)),
        },
        _ => Err(ApiError::bad_request(format!(
            "{prefix}json: cannot unmarshal {} into Go value of type {target}",
            json_type(&v)
        ))),
    }
}

/// A patched object that does not convert to its type, reported against the patch:
/// `The request is invalid: patch: Invalid value: "map[spec:map[replicas:abc]]": ...`.
fn conversion_error(patch: &Value, e: ApiError) -> ApiError {
    if e.reason != Reason::BadRequest {
        return e;
    }
    let detail = converter_text(&e.message);
    let cause = FieldError::invalid("patch", BadValue::Str(strategic::go_value(patch)), detail);
    ApiError::new(Reason::Invalid, cause.to_string())
}

/// The text of `runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation` for a
/// value of the wrong type, from the decoder's `cannot unmarshal S into ... of type T`.
fn converter_text(message: &str) -> String {
    let Some(rest) = message.split("cannot unmarshal ").nth(1) else {
        return message.split(": ").skip(1).collect::<Vec<_>>().join(": ");
    };
    let source = rest.split(' ').next().unwrap_or("");
    let target = rest.rsplit(" of type ").next().unwrap_or("");
    if target.starts_with("[]") {
        format!("cannot restore slice from {source}")
    } else if target.starts_with("map[") {
        format!("cannot restore map from {source}")
    } else if target.contains('.') {
        format!("cannot restore struct from: {source}")
    } else {
        format!("unrecognized type: {target}")
    }
}

/// What a PATCH answered: the object, whether it changed, and the server's warnings.
pub struct Patched {
    pub object: Object,
    pub changed: bool,
    pub warnings: Vec<String>,
}

impl ApiServer {
    /// PATCH: the live object patched, then decoded (unknown fields are warnings, the
    /// server's default field validation), defaulted and validated as an update.
    /// `subresource` is `status` or `scale`; `dry_run` answers without writing.
    pub fn patch(
        &mut self,
        key: &ObjectKey,
        ty: PatchType,
        body: &str,
        subresource: Option<&str>,
        dry_run: bool,
    ) -> Result<Patched, ApiError> {
        let info = key.kind.info();
        let Some(live) = self.store().get(key).cloned() else {
            return Err(ApiError::not_found(&info.resource_group(), &key.name));
        };
        let unchanged = |object: Object| Patched {
            object,
            changed: false,
            warnings: Vec::new(),
        };
        let Some(patch) = parse_body(ty, body)? else {
            return Ok(unchanged(live));
        };
        if subresource == Some("scale") {
            return self.patch_scale(key, live, ty, &patch, dry_run);
        }
        let patched = match ty {
            PatchType::Json => apply(key.kind, ty, &live.to_value(), &patch).map_err(|_| rejected())?,
            _ => apply(key.kind, ty, &live.to_value(), &patch).map_err(strategic_error)?,
        };
        let meta = |f: &str| {
            patched
                .pointer(&format!("/metadata/{f}"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let name = meta("name");
        if name != key.name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({name}) does not match the name on the URL ({})",
                key.name
            )));
        }
        if info.namespaced && meta("namespace") != key.namespace {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        let (obj, warnings) = decode_warn(key.kind, patched).map_err(|e| conversion_error(&patch, e))?;
        if subresource == Some("status") {
            let mut next = live.clone();
            next.copy_status_from(&obj);
            if next == live {
                return Ok(unchanged(live));
            }
            let object = if dry_run { next } else { self.update_status(&next)? };
            return Ok(Patched {
                object,
                changed: true,
                warnings,
            });
        }
        let (admitted, _) = self.admit_update(obj)?;
        let mut same = admitted.clone();
        same.meta_mut().resource_version = live.meta().resource_version.clone();
        if same == live {
            return Ok(Patched {
                object: live,
                changed: false,
                warnings,
            });
        }
        let object = if dry_run { admitted } else { self.update(admitted)? };
        Ok(Patched {
            object,
            changed: true,
            warnings,
        })
    }

    /// PATCH of `/scale`: the patch applies to the autoscaling/v1 Scale object.
    fn patch_scale(
        &mut self,
        key: &ObjectKey,
        live: Object,
        ty: PatchType,
        patch: &Value,
        dry_run: bool,
    ) -> Result<Patched, ApiError> {
        let Some(current) = scale::replicas(&live) else {
            return Err(ApiError::new(
                Reason::NotFound,
                "the server could not find the requested resource",
            ));
        };
        let scale_obj = serde_json::json!({
            "apiVersion": "autoscaling/v1",
            "kind": "Scale",
            "metadata": {"name": key.name, "namespace": key.namespace},
            "spec": {"replicas": current},
        });
        let patched = match ty {
            PatchType::Json => apply(key.kind, ty, &scale_obj, patch).map_err(|_| rejected())?,
            _ => apply(key.kind, ty, &scale_obj, patch).map_err(strategic_error)?,
        };
        let wanted = patched.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(0);
        let wanted = i32::try_from(wanted).unwrap_or(i32::MAX);
        let mut next = live.clone();
        scale::set_replicas(&mut next, wanted);
        let changed = wanted != current;
        let object = match (changed, dry_run) {
            (false, _) => live,
            (true, true) => self.admit_update(next)?.0,
            (true, false) => self.update(next)?,
        };
        Ok(Patched {
            object,
            changed,
            warnings: Vec::new(),
        })
    }
}
