//! Validation, run by the API server after defaulting and before storing. Each function
//! appends field errors; the server wraps them as `<Kind> "<name>" is invalid: ...`.

mod autoscaling;
mod batch;
pub mod names;
mod pod;
pub mod scheduling;
mod workloads;

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::errors::{BadValue, FieldError};
use crate::store::{Kind, Object};

pub type Errors = Vec<FieldError>;

/// `ValidateNonnegativeField`.
fn nonnegative(v: Option<i32>, field: &str, errs: &mut Errors) {
    if let Some(n) = v.filter(|n| *n < 0) {
        errs.push(FieldError::invalid(
            field,
            BadValue::Int(n.into()),
            "must be greater than or equal to 0",
        ));
    }
}

/// Appends one error per message.
fn each(msgs: Vec<String>, make: impl Fn(String) -> FieldError, errs: &mut Errors) {
    errs.extend(msgs.into_iter().map(make));
}

/// Validates an object for create (`old` is `None`) or update.
pub fn validate(obj: &Object, old: Option<&Object>) -> Errors {
    let mut errs = Errors::new();
    meta(obj.kind(), obj.meta(), &mut errs);
    match obj {
        Object::Pod(p) => {
            if let Some(spec) = &p.spec {
                pod::pod_spec(spec, "spec", &mut errs);
            } else {
                errs.push(FieldError::required("spec.containers", ""));
            }
            if let Some(Object::Pod(o)) = old {
                workloads::pod_update(p, o, &mut errs);
            }
        }
        Object::Deployment(_) | Object::ReplicaSet(_) | Object::StatefulSet(_) | Object::DaemonSet(_) => {
            workloads::validate(obj, old, &mut errs);
        }
        Object::Service(s) => workloads::service(s, &mut errs),
        Object::Job(j) => {
            batch::job(j, &mut errs);
            if let Some(Object::Job(o)) = old {
                batch::job_update(j, o, &mut errs);
            }
        }
        Object::CronJob(c) => batch::cron_job(c, &mut errs),
        Object::HorizontalPodAutoscaler(h) => autoscaling::hpa(h, &mut errs),
        Object::ConfigMap(cm) => {
            for k in cm
                .data
                .iter()
                .flat_map(|d| d.keys())
                .chain(cm.binary_data.iter().flat_map(|d| d.keys()))
            {
                config_key(k, "data", &mut errs);
            }
        }
        Object::Secret(s) => {
            for k in s.data.iter().flat_map(|d| d.keys()) {
                config_key(k, "data", &mut errs);
            }
        }
        Object::PriorityClass(pc) => {
            let old = match old {
                Some(Object::PriorityClass(o)) => Some(o),
                _ => None,
            };
            scheduling::priority_class(pc, old, &mut errs);
        }
        _ => {}
    }
    errs
}

fn config_key(k: &str, field: &str, errs: &mut Errors) {
    each(
        names::config_key(k),
        |msg| FieldError::invalid(format!("{field}[{k}]"), BadValue::Str(k.into()), msg),
        errs,
    );
}

/// `ValidateObjectMeta`: the name rule of the kind, labels and annotations.
fn meta(kind: Kind, m: &ObjectMeta, errs: &mut Errors) {
    let name = m.name.as_deref().unwrap_or("");
    if name.is_empty() {
        if m.generate_name.as_deref().unwrap_or("").is_empty() {
            errs.push(FieldError::required(
                "metadata.name",
                "name or generateName is required",
            ));
        }
    } else {
        let msgs = match kind {
            Kind::Namespace => names::dns1123_label(name),
            Kind::Service => names::dns1035_label(name),
            Kind::StatefulSet => names::dns1123_label(name),
            _ => names::dns1123_subdomain(name),
        };
        each(
            msgs,
            |msg| FieldError::invalid("metadata.name", BadValue::Str(name.into()), msg),
            errs,
        );
    }
    if let Some(labels) = &m.labels {
        self::labels(labels, "metadata.labels", errs);
    }
    for k in m.annotations.iter().flat_map(|a| a.keys()) {
        each(
            names::qualified_name(k),
            |msg| FieldError::invalid("metadata.annotations", BadValue::Str(k.clone()), msg),
            errs,
        );
    }
}

pub(crate) fn labels(labels: &BTreeMap<String, String>, path: &str, errs: &mut Errors) {
    for (k, v) in labels {
        each(
            names::qualified_name(k),
            |msg| FieldError::invalid(path, BadValue::Str(k.clone()), msg),
            errs,
        );
        each(
            names::label_value(v),
            |msg| FieldError::invalid(path, BadValue::Str(v.clone()), msg),
            errs,
        );
    }
}
