//! What the workload controllers ask of a pod (k8s.io/kubernetes/pkg/api/v1/pod and
//! pkg/controller/controller_utils.go): is it active, ready, available; and the pod a template
//! makes, owned by its controller.

use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::sim::clock::{Millis, from_api_time, seconds};
use crate::store::Object;

/// Neither terminal nor being deleted: `controller.FilterActivePods`.
pub fn is_active(p: &Pod) -> bool {
    let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
    !matches!(phase, Some("Succeeded" | "Failed")) && p.metadata.deletion_timestamp.is_none()
}

/// When the pod's Ready condition last became True, if it is True.
pub fn ready_since(p: &Pod) -> Option<Millis> {
    p.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready" && c.status == "True")
        .map(|c| c.last_transition_time.as_ref().map_or(0, from_api_time))
}

pub fn is_ready(p: &Pod) -> bool {
    ready_since(p).is_some()
}

/// Ready for more than `min_ready_seconds` (`podutil.IsPodAvailable`: the Ready transition
/// plus minReadySeconds is before now).
pub fn is_available(p: &Pod, min_ready_seconds: i32, now: Millis) -> bool {
    ready_since(p).is_some_and(|t| min_ready_seconds <= 0 || t.saturating_add(seconds(min_ready_seconds.into())) < now)
}

/// When a ready pod that is not yet available becomes so: the instant to look again.
pub fn available_at(p: &Pod, min_ready_seconds: i32, now: Millis) -> Option<Millis> {
    let at = ready_since(p)?
        .saturating_add(seconds(min_ready_seconds.into()))
        .saturating_add(1);
    (min_ready_seconds > 0 && at > now).then_some(at)
}

/// Being deleted but not yet terminal: counted as `terminatingReplicas`.
pub fn is_terminating(p: &Pod) -> bool {
    let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
    p.metadata.deletion_timestamp.is_some() && !matches!(phase, Some("Succeeded" | "Failed"))
}

/// A controller reference to `owner` (`metav1.NewControllerRef`).
pub fn controller_ref(owner: &Object) -> OwnerReference {
    let info = owner.kind().info();
    OwnerReference {
        api_version: info.api_version(),
        kind: owner.kind().name().to_string(),
        name: owner.name().to_string(),
        uid: owner.meta().uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// The controller reference of `meta`, if any.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
}

/// The pod a controller creates from its template (`GetPodFromTemplate`): the template's
/// labels, annotations and spec, `generateName` `<owner>-`, and the owner's controller reference.
pub fn pod_from_template(template: &PodTemplateSpec, owner: &Object) -> Pod {
    let tm = template.metadata.clone().unwrap_or_default();
    Pod {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}-", owner.name())),
            namespace: Some(owner.namespace().to_string()),
            labels: tm.labels,
            annotations: tm.annotations,
            finalizers: tm.finalizers,
            owner_references: Some(vec![controller_ref(owner)]),
            ..Default::default()
        },
        spec: template.spec.clone(),
        status: None,
    }
}

/// The largest restart count among the pod's containers.
pub fn max_restarts(p: &Pod) -> i32 {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .into_iter()
        .flatten()
        .map(|c| c.restart_count)
        .max()
        .unwrap_or(0)
}
