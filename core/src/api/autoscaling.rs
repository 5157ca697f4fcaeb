//! HorizontalPodAutoscaler on the server: the defaults of `autoscaling/v2`
//! (pkg/apis/autoscaling/v2/defaults.go) and the conversion of an `autoscaling/v1` manifest to
//! the stored v2 form (pkg/apis/autoscaling/v1/conversion.go), since both versions are served.

use k8s_openapi::api::autoscaling::v2::{
    HPAScalingPolicy, HPAScalingRules, HorizontalPodAutoscaler, MetricSpec, MetricTarget, ResourceMetricSource,
};
use serde_json::{Map, Value, json};

/// `DefaultCPUUtilization`: the target of an HPA that names no metric.
pub const DEFAULT_CPU_UTILIZATION: i32 = 80;

fn policy(type_: &str, value: i32) -> HPAScalingPolicy {
    HPAScalingPolicy {
        type_: type_.into(),
        value,
        period_seconds: 15,
    }
}

pub fn defaults(h: &mut HorizontalPodAutoscaler) {
    let Some(spec) = h.spec.as_mut() else { return };
    if spec.min_replicas.is_none() {
        spec.min_replicas = Some(1);
    }
    if spec.metrics.as_ref().is_none_or(Vec::is_empty) {
        spec.metrics = Some(vec![cpu_utilization(DEFAULT_CPU_UTILIZATION)]);
    }
    // A behavior given in part is completed; none given stays none.
    if let Some(b) = spec.behavior.as_mut() {
        let up = b.scale_up.get_or_insert_with(Default::default);
        up.stabilization_window_seconds.get_or_insert(0);
        up.select_policy.get_or_insert_with(|| "Max".into());
        if up.policies.as_ref().is_none_or(Vec::is_empty) {
            up.policies = Some(vec![policy("Pods", 4), policy("Percent", 100)]);
        }
        let down: &mut HPAScalingRules = b.scale_down.get_or_insert_with(Default::default);
        down.select_policy.get_or_insert_with(|| "Max".into());
        if down.policies.as_ref().is_none_or(Vec::is_empty) {
            down.policies = Some(vec![policy("Percent", 100)]);
        }
    }
}

/// A `Resource` metric on cpu with a utilization target.
pub fn cpu_utilization(percent: i32) -> MetricSpec {
    MetricSpec {
        type_: "Resource".into(),
        resource: Some(ResourceMetricSource {
            name: "cpu".into(),
            target: MetricTarget {
                type_: "Utilization".into(),
                average_utilization: Some(percent),
                ..Default::default()
            },
        }),
        ..Default::default()
    }
}

/// An `autoscaling/v1` HorizontalPodAutoscaler as the v2 object it is stored as:
/// `targetCPUUtilizationPercentage` becomes a cpu Utilization metric. Fields v1 does not know
/// are left in place for strict decoding to report.
pub fn v1_to_v2(mut value: Value) -> Value {
    if let Some(obj) = value.as_object_mut() {
        obj.insert("apiVersion".into(), Value::String("autoscaling/v2".into()));
        if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut)
            && let Some(target) = spec.remove("targetCPUUtilizationPercentage")
        {
            spec.insert(
                "metrics".into(),
                json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": target}}}]),
            );
        }
        if let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) {
            status.remove("currentCPUUtilizationPercentage");
        }
        if obj
            .get("status")
            .is_some_and(|s| s.as_object().is_some_and(Map::is_empty))
        {
            obj.remove("status");
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_target_becomes_a_cpu_metric() {
        let v1 = json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"},
            "spec": {"maxReplicas": 5, "scaleTargetRef": {"kind": "Deployment", "name": "web"},
                     "targetCPUUtilizationPercentage": 50}});
        let v2 = v1_to_v2(v1);
        assert_eq!(v2["apiVersion"], "autoscaling/v2");
        assert_eq!(v2["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], 50);
        assert!(v2["spec"].get("targetCPUUtilizationPercentage").is_none());
    }

    #[test]
    fn an_hpa_without_metrics_targets_80_percent_cpu() {
        let mut h = HorizontalPodAutoscaler {
            spec: Some(Default::default()),
            ..Default::default()
        };
        defaults(&mut h);
        let spec = h.spec.unwrap_or_default();
        assert_eq!(spec.min_replicas, Some(1));
        assert_eq!(spec.metrics, Some(vec![cpu_utilization(80)]));
        assert!(spec.behavior.is_none());
    }
}
