//! `kubectl describe hpa` (staging/src/k8s.io/kubectl/pkg/describe/describe.go,
//! `describeHorizontalPodAutoscalerV2`): the whole description is one tabwriter block, so
//! every value lines up with the widest label, the metric lines included.

use k8s_openapi::api::autoscaling::v2::{HPAScalingRules, HorizontalPodAutoscaler, MetricStatus, MetricTarget};

use super::{Writer, annotations_multiline, events_section, labels_multiline, rfc1123z};
use crate::cluster::World;
use crate::store::Object;

fn quantity(q: Option<&k8s_openapi::apimachinery::pkg::api::resource::Quantity>) -> String {
    q.map_or_else(|| "<nil>".to_string(), |q| q.0.clone())
}

/// `current / target` of a Resource or ContainerResource metric, after its `resource X on pods`.
fn resource_line(w: &mut Writer, head: &str, target: &MetricTarget, current: Option<&MetricStatus>) {
    let cur = current.and_then(|m| {
        m.resource
            .as_ref()
            .map(|r| &r.current)
            .or_else(|| m.container_resource.as_ref().map(|r| &r.current))
    });
    if let Some(t) = &target.average_value {
        let c = cur
            .and_then(|c| c.average_value.as_ref())
            .map_or_else(|| "<unknown>".to_string(), |q| q.0.clone());
        w.line(1, &format!("{head}:\t{c} / {}", t.0));
    } else {
        let c = cur
            .and_then(|c| c.average_utilization.map(|u| (u, quantity(c.average_value.as_ref()))))
            .map_or_else(|| "<unknown>".to_string(), |(u, v)| format!("{u}% ({v})"));
        let t = target
            .average_utilization
            .map_or_else(|| "<auto>".to_string(), |u| format!("{u}%"));
        w.line(1, &format!("{head}  (as a percentage of request):\t{c} / {t}"));
    }
}

/// `printDirectionBehavior`.
fn direction(w: &mut Writer, title: &str, rules: Option<&HPAScalingRules>) {
    let Some(r) = rules else { return };
    w.line(1, &format!("{title}:"));
    if let Some(s) = r.stabilization_window_seconds {
        w.line(2, &format!("Stabilization Window: {s} seconds"));
    }
    let policies = r.policies.as_deref().unwrap_or_default();
    if !policies.is_empty() {
        w.line(
            2,
            &format!("Select Policy: {}", r.select_policy.as_deref().unwrap_or("Max")),
        );
        w.line(2, "Policies:");
        for p in policies {
            w.line(
                3,
                &format!(
                    "- Type: {}\tValue: {}\tPeriod: {} seconds",
                    p.type_, p.value, p.period_seconds
                ),
            );
        }
    }
}

pub fn hpa(world: &World, h: &HorizontalPodAutoscaler) -> String {
    let mut w = Writer::default();
    let spec = h.spec.clone().unwrap_or_default();
    let st = h.status.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{}", h.metadata.name.as_deref().unwrap_or("")));
    w.line(
        0,
        &format!("Namespace:\t{}", h.metadata.namespace.as_deref().unwrap_or("")),
    );
    labels_multiline(&mut w, "Labels", h.metadata.labels.as_ref());
    annotations_multiline(&mut w, h.metadata.annotations.as_ref());
    if let Some(t) = &h.metadata.creation_timestamp {
        w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(t)));
    }
    let r = &spec.scale_target_ref;
    w.line(0, &format!("Reference:\t{}/{}", r.kind, r.name));
    w.line(0, "Metrics:\t( current / target )");
    let current = st.current_metrics.clone().unwrap_or_default();
    for (i, m) in spec.metrics.iter().flatten().enumerate() {
        let cur = current.get(i);
        match (
            m.type_.as_str(),
            &m.resource,
            &m.container_resource,
            &m.pods,
            &m.object,
            &m.external,
        ) {
            ("Resource", Some(r), ..) => resource_line(&mut w, &format!("resource {} on pods", r.name), &r.target, cur),
            ("ContainerResource", _, Some(r), ..) => resource_line(
                &mut w,
                &format!("resource {} of container \"{}\" on pods", r.name, r.container),
                &r.target,
                cur,
            ),
            ("Pods", _, _, Some(p), ..) => {
                let c = cur.and_then(|c| c.pods.as_ref()).map_or_else(
                    || "<unknown>".to_string(),
                    |p| quantity(p.current.average_value.as_ref()),
                );
                w.line(
                    1,
                    &format!(
                        "{:?} on pods:\t{c} / {}",
                        p.metric.name,
                        quantity(p.target.average_value.as_ref())
                    ),
                );
            }
            ("Object", _, _, _, Some(o), _) => {
                let head = format!(
                    "\"{}\" on {}/{} ",
                    o.metric.name, o.described_object.kind, o.described_object.name
                );
                let cur = cur.and_then(|c| c.object.as_ref()).map(|o| &o.current);
                if o.target.type_ == "AverageValue" {
                    let c = cur.map_or_else(|| "<unknown>".to_string(), |c| quantity(c.average_value.as_ref()));
                    let t = quantity(o.target.average_value.as_ref());
                    w.line(1, &format!("{head}(target average value):\t{c} / {t}"));
                } else {
                    let c = cur.map_or_else(|| "<unknown>".to_string(), |c| quantity(c.value.as_ref()));
                    let t = quantity(o.target.value.as_ref());
                    w.line(1, &format!("{head}(target value):\t{c} / {t}"));
                }
            }
            ("External", .., Some(e)) => {
                let cur = cur.and_then(|c| c.external.as_ref()).map(|e| &e.current);
                if let Some(t) = &e.target.average_value {
                    let c = cur.map_or_else(|| "<unknown>".to_string(), |c| quantity(c.average_value.as_ref()));
                    w.line(
                        1,
                        &format!("{:?} (target average value):\t{c} / {}", e.metric.name, t.0),
                    );
                } else {
                    let c = cur.map_or_else(|| "<unknown>".to_string(), |c| quantity(c.value.as_ref()));
                    let t = quantity(e.target.value.as_ref());
                    w.line(1, &format!("{:?} (target value):\t{c} / {t}", e.metric.name));
                }
            }
            (t, ..) => w.line(1, &format!("<unknown metric type {t:?}>")),
        }
    }
    let min = spec
        .min_replicas
        .map_or_else(|| "<unset>".to_string(), |m| m.to_string());
    w.line(0, &format!("Min replicas:\t{min}"));
    w.line(0, &format!("Max replicas:\t{}", spec.max_replicas));
    if let Some(b) = &spec.behavior {
        w.line(0, "Behavior:");
        direction(&mut w, "Scale Up", b.scale_up.as_ref());
        direction(&mut w, "Scale Down", b.scale_down.as_ref());
    }
    w.line(
        0,
        &format!(
            "{} pods:\t{} current / {} desired",
            r.kind,
            st.current_replicas.unwrap_or(0),
            st.desired_replicas
        ),
    );
    let conditions = st.conditions.clone().unwrap_or_default();
    if !conditions.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus\tReason\tMessage");
        w.line(1, "----\t------\t------\t-------");
        for c in &conditions {
            w.line(
                1,
                &format!(
                    "{}\t{}\t{}\t{}",
                    c.type_,
                    c.status,
                    c.reason.as_deref().unwrap_or(""),
                    c.message.as_deref().unwrap_or("")
                ),
            );
        }
    }
    events_section(&mut w, world, &Object::HorizontalPodAutoscaler(h.clone()));
    w.finish()
}
