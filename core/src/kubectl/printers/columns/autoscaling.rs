//! Columns of HorizontalPodAutoscalers (pkg/printers/internalversion/printers.go
//! `printHorizontalPodAutoscaler`, `formatHPAMetrics`).

use k8s_openapi::api::autoscaling::v2::{HorizontalPodAutoscaler, MetricStatus, MetricTarget};

/// One metric as TARGETS shows it: `cpu: 45%/80%`, `cpu: <unknown>/80%`, `memory: <unknown>/500Mi`.
fn metric_text(target: &MetricTarget, name: &str, current: Option<&MetricStatus>) -> String {
    let value = |q: Option<&k8s_openapi::apimachinery::pkg::api::resource::Quantity>| q.map(|q| q.0.clone());
    let cur = current.and_then(|m| m.resource.as_ref()).map(|r| &r.current);
    if let Some(t) = &target.average_value {
        let c = value(cur.and_then(|c| c.average_value.as_ref())).unwrap_or_else(|| "<unknown>".into());
        return format!("{name}: {c}/{}", t.0);
    }
    if let Some(t) = &target.value {
        let c = value(cur.and_then(|c| c.value.as_ref())).unwrap_or_else(|| "<unknown>".into());
        return format!("{name}: {c}/{}", t.0);
    }
    let c = cur
        .and_then(|c| c.average_utilization)
        .map_or_else(|| "<unknown>".to_string(), |u| format!("{u}%"));
    let t = target
        .average_utilization
        .map_or_else(|| "<auto>".to_string(), |u| format!("{u}%"));
    format!("{name}: {c}/{t}")
}

pub(super) fn hpa_cells(h: &HorizontalPodAutoscaler, age: String) -> Vec<String> {
    let spec = h.spec.clone().unwrap_or_default();
    let status = h.status.clone().unwrap_or_default();
    let reference = format!("{}/{}", spec.scale_target_ref.kind, spec.scale_target_ref.name);
    let current = status.current_metrics.unwrap_or_default();
    let mut list: Vec<String> = Vec::new();
    for (i, m) in spec.metrics.iter().flatten().enumerate() {
        let cur = current.get(i);
        let q = |q: Option<&k8s_openapi::apimachinery::pkg::api::resource::Quantity>| {
            q.map_or_else(|| "<unknown>".to_string(), |q| q.0.clone())
        };
        let text = match (
            m.type_.as_str(),
            &m.resource,
            &m.container_resource,
            &m.pods,
            &m.object,
            &m.external,
        ) {
            ("Resource", Some(r), ..) => metric_text(&r.target, &r.name, cur),
            ("ContainerResource", _, Some(r), ..) => metric_text(&r.target, &r.name, None),
            ("Pods", _, _, Some(p), ..) => {
                let c = q(cur
                    .and_then(|c| c.pods.as_ref())
                    .and_then(|p| p.current.average_value.as_ref()));
                format!("{c}/{}", q(p.target.average_value.as_ref()))
            }
            ("Object", _, _, _, Some(o), _) => {
                let cur = cur.and_then(|c| c.object.as_ref()).map(|o| &o.current);
                match &o.target.average_value {
                    Some(t) => format!("{}/{} (avg)", q(cur.and_then(|c| c.average_value.as_ref())), t.0),
                    None => format!(
                        "{}/{}",
                        q(cur.and_then(|c| c.value.as_ref())),
                        q(o.target.value.as_ref())
                    ),
                }
            }
            ("External", .., Some(e)) => {
                let cur = cur.and_then(|c| c.external.as_ref()).map(|e| &e.current);
                match &e.target.average_value {
                    Some(t) => format!("{}/{} (avg)", q(cur.and_then(|c| c.average_value.as_ref())), t.0),
                    None => format!(
                        "{}/{}",
                        q(cur.and_then(|c| c.value.as_ref())),
                        q(e.target.value.as_ref())
                    ),
                }
            }
            _ => "<unknown>/<unknown>".to_string(),
        };
        list.push(text);
    }
    let targets = match list.len() {
        0 => "<none>".to_string(),
        1 | 2 => list.join(", "),
        n => format!("{} + {} more...", list[..2].join(", "), n - 2),
    };
    let min = spec
        .min_replicas
        .map_or_else(|| "<unset>".to_string(), |m| m.to_string());
    vec![
        reference,
        targets,
        min,
        spec.max_replicas.to_string(),
        status.current_replicas.unwrap_or(0).to_string(),
        age,
    ]
}
