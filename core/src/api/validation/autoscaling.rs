//! Validation of HorizontalPodAutoscalers (pkg/apis/autoscaling/validation/validation.go,
//! `ValidateHorizontalPodAutoscalerSpec`), in its order: replica bounds, the target reference,
//! the metrics, the behavior. It runs after defaulting, so `minReplicas` is already set.

use k8s_openapi::api::autoscaling::v2::{
    HPAScalingRules, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, MetricSpec, MetricTarget,
};

use super::Errors;
use crate::api::errors::{BadValue, FieldError};
use crate::api::quantity::Quantity;

const METRIC_TYPES: &[&str] = &["ContainerResource", "External", "Object", "Pods", "Resource"];
/// `MaxPeriodSeconds` and `MaxStabilizationWindowSeconds`.
const MAX_PERIOD: i32 = 1800;
const MAX_WINDOW: i32 = 3600;

pub fn hpa(h: &HorizontalPodAutoscaler, errs: &mut Errors) {
    let Some(spec) = &h.spec else {
        errs.push(FieldError::required("spec", ""));
        return;
    };
    spec_errors(spec, errs);
}

fn spec_errors(spec: &HorizontalPodAutoscalerSpec, errs: &mut Errors) {
    let min = spec.min_replicas.unwrap_or(1);
    if min < 1 {
        errs.push(FieldError::invalid(
            "spec.minReplicas",
            BadValue::Int(min.into()),
            "must be greater than or equal to 1",
        ));
    }
    if spec.max_replicas < 1 {
        errs.push(FieldError::invalid(
            "spec.maxReplicas",
            BadValue::Int(spec.max_replicas.into()),
            "must be greater than 0",
        ));
    }
    if spec.max_replicas < min {
        errs.push(FieldError::invalid(
            "spec.maxReplicas",
            BadValue::Int(spec.max_replicas.into()),
            "must be greater than or equal to `minReplicas`",
        ));
    }
    let r = &spec.scale_target_ref;
    if r.kind.is_empty() {
        errs.push(FieldError::required("spec.scaleTargetRef.kind", ""));
    } else if let Some(msg) = path_segment(&r.kind) {
        errs.push(FieldError::invalid(
            "spec.scaleTargetRef.kind",
            BadValue::Str(r.kind.clone()),
            msg,
        ));
    }
    if r.name.is_empty() {
        errs.push(FieldError::required("spec.scaleTargetRef.name", ""));
    } else if let Some(msg) = path_segment(&r.name) {
        errs.push(FieldError::invalid(
            "spec.scaleTargetRef.name",
            BadValue::Str(r.name.clone()),
            msg,
        ));
    }
    for (i, m) in spec.metrics.iter().flatten().enumerate() {
        metric(m, &format!("spec.metrics[{i}]"), errs);
    }
    if let Some(b) = &spec.behavior {
        rules(b.scale_up.as_ref(), "spec.behavior.scaleUp", errs);
        rules(b.scale_down.as_ref(), "spec.behavior.scaleDown", errs);
    }
}

/// `IsValidPathSegmentName`: a name that can be one segment of a URL path.
fn path_segment(s: &str) -> Option<String> {
    if s == "." || s == ".." {
        return Some(format!("may not be '{s}'"));
    }
    for bad in ["/", "%"] {
        if s.contains(bad) {
            return Some(format!("may not contain '{bad}'"));
        }
    }
    None
}

fn metric(m: &MetricSpec, path: &str, errs: &mut Errors) {
    if m.type_.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.type"),
            "must specify a metric source type",
        ));
        return;
    }
    if !METRIC_TYPES.contains(&m.type_.as_str()) {
        errs.push(FieldError::not_supported(
            format!("{path}.type"),
            BadValue::Str(m.type_.clone()),
            METRIC_TYPES,
        ));
        return;
    }
    let given = [
        ("Object", m.object.is_some()),
        ("Pods", m.pods.is_some()),
        ("Resource", m.resource.is_some()),
        ("ContainerResource", m.container_resource.is_some()),
        ("External", m.external.is_some()),
    ];
    let field = |t: &str| match t {
        "ContainerResource" => "containerResource".to_string(),
        t => t.to_ascii_lowercase(),
    };
    if !given.iter().any(|(t, set)| *t == m.type_ && *set) {
        errs.push(FieldError::required(
            format!("{path}.{}", field(&m.type_)),
            "must populate information for the given metric source",
        ));
    }
    if given.iter().filter(|(_, set)| *set).count() > 1 {
        errs.push(FieldError::forbidden(
            format!("{path}.{}", field(&m.type_)),
            "must populate the given metric source only",
        ));
    }
    let resource = match (&m.resource, &m.container_resource) {
        (Some(r), _) if m.type_ == "Resource" => Some((&r.name, &r.target, format!("{path}.resource"))),
        (_, Some(r)) if m.type_ == "ContainerResource" => {
            if r.container.is_empty() {
                errs.push(FieldError::required(
                    format!("{path}.containerResource.container"),
                    "must specify a container",
                ));
            }
            Some((&r.name, &r.target, format!("{path}.containerResource")))
        }
        _ => None,
    };
    if let Some((name, target, p)) = resource {
        if name.is_empty() {
            errs.push(FieldError::required(
                format!("{p}.name"),
                "must specify a resource name",
            ));
        }
        metric_target(target, &format!("{p}.target"), errs);
        if target.average_utilization.is_none() && target.average_value.is_none() {
            errs.push(FieldError::required(
                format!("{p}.target.averageUtilization"),
                "must set either a target raw value or a target utilization",
            ));
        }
        if target.average_utilization.is_some() && target.average_value.is_some() {
            errs.push(FieldError::forbidden(
                format!("{p}.target.averageValue"),
                "may not set both a target raw value and a target utilization",
            ));
        }
    }
}

fn metric_target(t: &MetricTarget, path: &str, errs: &mut Errors) {
    if t.type_.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.type"),
            "must specify a metric target type",
        ));
    } else if !["Utilization", "Value", "AverageValue"].contains(&t.type_.as_str()) {
        errs.push(FieldError::invalid(
            format!("{path}.type"),
            BadValue::Str(t.type_.clone()),
            "must be either Utilization, Value, or AverageValue",
        ));
    }
    for (field, q) in [("value", &t.value), ("averageValue", &t.average_value)] {
        if let Some(q) = q
            && Quantity::parse(&q.0).is_ok_and(|v| v <= Quantity::ZERO)
        {
            errs.push(FieldError::invalid(
                format!("{path}.{field}"),
                BadValue::Str(q.0.clone()),
                "must be positive",
            ));
        }
    }
    if let Some(u) = t.average_utilization.filter(|u| *u < 1) {
        errs.push(FieldError::invalid(
            format!("{path}.averageUtilization"),
            BadValue::Int(u.into()),
            "must be greater than 0",
        ));
    }
}

fn rules(r: Option<&HPAScalingRules>, path: &str, errs: &mut Errors) {
    let Some(r) = r else { return };
    if let Some(w) = r.stabilization_window_seconds {
        if w < 0 {
            errs.push(FieldError::invalid(
                format!("{path}.stabilizationWindowSeconds"),
                BadValue::Int(w.into()),
                "must be greater than or equal to zero",
            ));
        } else if w > MAX_WINDOW {
            errs.push(FieldError::invalid(
                format!("{path}.stabilizationWindowSeconds"),
                BadValue::Int(w.into()),
                format!("must be less than or equal to {MAX_WINDOW}"),
            ));
        }
    }
    if let Some(s) = r.select_policy.as_deref()
        && !["Max", "Min", "Disabled"].contains(&s)
    {
        errs.push(FieldError::not_supported(
            format!("{path}.selectPolicy"),
            BadValue::Str(s.into()),
            &["Disabled", "Max", "Min"],
        ));
    }
    let policies = r.policies.as_deref().unwrap_or_default();
    if policies.is_empty() {
        errs.push(FieldError::required(
            format!("{path}.policies"),
            "must specify at least one Policy",
        ));
    }
    for (i, p) in policies.iter().enumerate() {
        let pp = format!("{path}.policies[{i}]");
        if !["Pods", "Percent"].contains(&p.type_.as_str()) {
            errs.push(FieldError::not_supported(
                format!("{pp}.type"),
                BadValue::Str(p.type_.clone()),
                &["Percent", "Pods"],
            ));
        }
        if p.value <= 0 {
            errs.push(FieldError::invalid(
                format!("{pp}.value"),
                BadValue::Int(p.value.into()),
                "must be greater than zero",
            ));
        }
        if p.period_seconds <= 0 {
            errs.push(FieldError::invalid(
                format!("{pp}.periodSeconds"),
                BadValue::Int(p.period_seconds.into()),
                "must be greater than zero",
            ));
        } else if p.period_seconds > MAX_PERIOD {
            errs.push(FieldError::invalid(
                format!("{pp}.periodSeconds"),
                BadValue::Int(p.period_seconds.into()),
                format!("must be less than or equal to {MAX_PERIOD}"),
            ));
        }
    }
}
