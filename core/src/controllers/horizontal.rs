//! The horizontal pod autoscaler (pkg/controller/podautoscaler/horizontal.go). Every 15 s
//! (`--horizontal-pod-autoscaler-sync-period`, and first 15 s after the HPA appears: its queue's
//! limiter is a fixed 15 s interval) it reads the target's scale; a replica count outside
//! `[minReplicas, maxReplicas]` is brought inside without consulting any metric. Otherwise the
//! replica count comes from metrics, and this cluster, like a fresh kind cluster, has no
//! metrics-server: the resource metrics API answers 404, so the HPA reports
//! `FailedGetResourceMetric` and `FailedComputeMetricsReplicas` every sync and never scales on
//! load (`TARGETS cpu: <unknown>/80%`), exactly what a kind user sees.

use k8s_openapi::api::autoscaling::v2::{
    HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerStatus, MetricSpec, MetricStatus,
    MetricTarget,
};

use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::api::scale;
use crate::sim::clock::{Millis, SECOND, api_time};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent};

const SOURCE: Source = Source {
    component: "horizontal-pod-autoscaler",
    host: None,
};

/// `--horizontal-pod-autoscaler-sync-period`.
pub const SYNC_PERIOD: Millis = 15 * SECOND;

pub struct HorizontalController;

impl Controller for HorizontalController {
    fn name(&self) -> &'static str {
        "horizontal-pod-autoscaler-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::HorizontalPodAutoscaler]
    }

    fn keys(&self, ev: &WatchEvent, _store: &Store, out: &mut Wakes) {
        // `enqueueHPA` adds rate-limited: the first look is a full period after the event.
        if ev.kind != crate::store::WatchEventType::Deleted {
            out.push((ev.key.clone(), SYNC_PERIOD));
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::HorizontalPodAutoscaler(hpa)) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        // Resynced every period whatever happened, as `processNextWorkItem` re-adds the key.
        cx.after(SYNC_PERIOD, key.clone());
        sync(hpa, cx)
    }

    /// Periodic upkeep: an HPA that never settles must not keep the cluster busy.
    fn background(&self) -> bool {
        true
    }
}

/// One `reconcileAutoscaler`.
fn sync(hpa: HorizontalPodAutoscaler, cx: &mut Cx<'_>) -> Result<(), ApiError> {
    let original = hpa.status.clone();
    let mut next = hpa.clone();
    let spec = hpa.spec.clone().unwrap_or_default();
    let owner = Object::HorizontalPodAutoscaler(hpa.clone());
    let ns = hpa.metadata.namespace.clone().unwrap_or_default();
    let status = next.status.get_or_insert_with(Default::default);
    let now = cx.now;

    let target = match scale_target(&spec.scale_target_ref, &ns, cx) {
        Ok(t) => t,
        Err(e) => {
            cx.api
                .record_event(&owner, None, EventType::Warning, "FailedGetScale", &e, &SOURCE);
            set_condition(
                status,
                "AbleToScale",
                "False",
                "FailedGetScale",
                format!("the HPA controller was unable to get the target's current scale: {e}"),
                now,
            );
            return write_status(next, original.as_ref(), cx);
        }
    };
    set_condition(
        status,
        "AbleToScale",
        "True",
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale".into(),
        now,
    );
    let current = scale::replicas(&target).unwrap_or(0);
    let min = spec.min_replicas.unwrap_or(1);
    let metrics = spec.metrics.clone().unwrap_or_default();
    let (desired, reason) = if current == 0 && min != 0 {
        set_condition(
            status,
            "ScalingActive",
            "False",
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero".into(),
            now,
        );
        set_status(status, &next.metadata, current, current, None);
        return write_status(next, original.as_ref(), cx);
    } else if current > spec.max_replicas {
        (spec.max_replicas, "Current number of replicas above Spec.MaxReplicas")
    } else if current < min {
        (min, "Current number of replicas below Spec.MinReplicas")
    } else {
        // computeReplicasForMetrics: every metric fails to fetch, so none is valid.
        let mut first: Option<(String, String, String)> = None;
        for m in &metrics {
            let (reason, message, wrapped) = unavailable(m, &ns);
            cx.api
                .record_event(&owner, None, EventType::Warning, &reason, &message, &SOURCE);
            if first.is_none() {
                first = Some((reason, message, wrapped));
            }
        }
        let Some((reason, message, wrapped)) = first else {
            set_status(
                status,
                &next.metadata,
                current,
                status.desired_replicas,
                Some(Vec::new()),
            );
            return write_status(next, original.as_ref(), cx);
        };
        set_condition(
            status,
            "ScalingActive",
            "False",
            &reason,
            format!("the HPA was unable to compute the replica count: {message}"),
            now,
        );
        let statuses = metrics.iter().map(|_| MetricStatus::default()).collect();
        let desired = status.desired_replicas;
        set_status(status, &next.metadata, current, desired, Some(statuses));
        let text = format!(
            "invalid metrics ({n} invalid out of {n}), first error is: {wrapped}",
            n = metrics.len()
        );
        let updated = write_status(next, original.as_ref(), cx);
        cx.api.record_event(
            &owner,
            None,
            EventType::Warning,
            "FailedComputeMetricsReplicas",
            &text,
            &SOURCE,
        );
        return updated;
    };
    let mut scaled = target;
    scale::set_replicas(&mut scaled, desired);
    if let Err(e) = cx.api.update(scaled) {
        cx.api.record_event(
            &owner,
            None,
            EventType::Warning,
            "FailedRescale",
            &format!("New size: {desired}; reason: {reason}; error: {}", e.message),
            &SOURCE,
        );
        set_condition(
            status,
            "AbleToScale",
            "False",
            "FailedUpdateScale",
            format!(
                "the HPA controller was unable to update the target scale: {}",
                e.message
            ),
            now,
        );
        let desired = status.desired_replicas;
        set_status(status, &next.metadata, current, desired, None);
        return write_status(next, original.as_ref(), cx);
    }
    set_condition(
        status,
        "AbleToScale",
        "True",
        "SucceededRescale",
        format!("the HPA controller was able to update the target scale to {desired}"),
        now,
    );
    cx.api.record_event(
        &owner,
        None,
        EventType::Normal,
        "SuccessfulRescale",
        &format!("New size: {desired}; reason: {reason}"),
        &SOURCE,
    );
    set_status(status, &next.metadata, current, desired, None);
    status.last_scale_time = Some(api_time(now));
    write_status(next, original.as_ref(), cx)
}

/// The target through its scale subresource, or the error text the controller reports.
fn scale_target(
    r: &k8s_openapi::api::autoscaling::v2::CrossVersionObjectReference,
    ns: &str,
    cx: &Cx<'_>,
) -> Result<Object, String> {
    let api_version = r.api_version.as_deref().unwrap_or("");
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let Some(kind) = Kind::from_group_kind(group, &r.kind) else {
        return Err(format!("no matches for kind {:?} in group {group:?}", r.kind));
    };
    if !scale::has_scale(kind) {
        return Err("the server could not find the requested resource".into());
    }
    cx.api
        .get(kind, ns, &r.name)
        .cloned()
        .ok_or_else(|| format!("{} \"{}\" not found", kind.info().resource_group(), r.name))
}

/// What fetching one metric gives without metrics-server or a custom/external metrics API:
/// the event reason, the event and condition text, and the error as `computeReplicasForMetric`
/// wraps it for `FailedComputeMetricsReplicas` (replica_calculator.go, metrics/client.go).
fn unavailable(m: &MetricSpec, ns: &str) -> (String, String, String) {
    let not_found = "the server could not find the requested resource";
    let resource = |name: &str, target: &MetricTarget| {
        let what = if target.average_utilization.is_some() {
            "utilization"
        } else {
            "usage"
        };
        format!(
            "failed to get {name} {what}: unable to get metrics for resource {name}: unable to fetch metrics from resource metrics API: {not_found} (get pods.metrics.k8s.io)"
        )
    };
    let custom =
        "unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered";
    match (
        m.type_.as_str(),
        &m.resource,
        &m.container_resource,
        &m.pods,
        &m.object,
        &m.external,
    ) {
        ("Resource", Some(r), ..) => {
            let msg = resource(&r.name, &r.target);
            let wrapped = format!("failed to get {} resource metric value: {msg}", r.name);
            ("FailedGetResourceMetric".into(), msg, wrapped)
        }
        ("ContainerResource", _, Some(r), ..) => {
            let msg = resource(&r.name, &r.target);
            let wrapped = format!("failed to get {} container metric value: {msg}", r.container);
            ("FailedGetContainerResourceMetric".into(), msg, wrapped)
        }
        ("Pods", _, _, Some(p), ..) => {
            let msg = format!("unable to get metric {}: {custom}", p.metric.name);
            let wrapped = format!("failed to get pods metric value: {msg}");
            ("FailedGetPodsMetric".into(), msg, wrapped)
        }
        ("Object", _, _, _, Some(o), _) => {
            // The arguments are out of order upstream, and so is the text.
            let d = &o.described_object;
            let msg = format!(
                "unable to get metric {}: {} on {ns} {}/{custom}",
                o.metric.name, d.kind, d.name
            );
            let wrapped = if o.target.type_ == "AverageValue" {
                format!(
                    "failed to get object metric value: failed to get {} object metric: {msg}",
                    o.metric.name
                )
            } else {
                format!("failed to get object metric value: {msg}")
            };
            ("FailedGetObjectMetric".into(), msg, wrapped)
        }
        ("External", .., Some(e)) => {
            let name = &e.metric.name;
            let selector = match &e.metric.selector {
                None => "nil".to_string(),
                Some(s) => format!("&{s:?}"),
            };
            let msg = format!(
                "unable to get external metric {ns}/{name}/{selector}: unable to fetch metrics from external metrics API: {not_found} (get {name}.external.metrics.k8s.io)"
            );
            let inner = if e.target.type_ == "AverageValue" {
                format!("failed to get {name} external metric: {msg}")
            } else {
                format!("failed to get external metric {name}: {msg}")
            };
            let wrapped = format!("failed to get {name} external metric value: {inner}");
            ("FailedGetExternalMetric".into(), msg, wrapped)
        }
        (t, ..) => {
            let msg = format!("unknown metric source type {t:?}");
            ("InvalidMetricSourceType".into(), msg.clone(), msg)
        }
    }
}

/// `setConditionInList`: a condition's transition time moves only when its status changes.
fn set_condition(
    status: &mut HorizontalPodAutoscalerStatus,
    type_: &str,
    value: &str,
    reason: &str,
    message: String,
    now: Millis,
) {
    let list = status.conditions.get_or_insert_with(Vec::new);
    let i = match list.iter().position(|c| c.type_ == type_) {
        Some(i) => i,
        None => {
            list.push(HorizontalPodAutoscalerCondition {
                type_: type_.into(),
                ..Default::default()
            });
            list.len() - 1
        }
    };
    if let Some(c) = list.get_mut(i) {
        if c.status != value {
            c.last_transition_time = Some(api_time(now));
        }
        c.status = value.into();
        c.reason = Some(reason.into());
        c.message = Some(message);
    }
}

/// `setStatus`: replicas seen and wanted, the metrics read, the generation observed.
fn set_status(
    status: &mut HorizontalPodAutoscalerStatus,
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    current: i32,
    desired: i32,
    metrics: Option<Vec<MetricStatus>>,
) {
    status.current_replicas = (current != 0).then_some(current);
    status.desired_replicas = desired;
    status.current_metrics = metrics;
    status.observed_generation = meta.generation;
}

fn write_status(
    hpa: HorizontalPodAutoscaler,
    original: Option<&HorizontalPodAutoscalerStatus>,
    cx: &mut Cx<'_>,
) -> Result<(), ApiError> {
    if hpa.status.as_ref() != original {
        cx.api.update_status(&Object::HorizontalPodAutoscaler(hpa))?;
    }
    Ok(())
}
