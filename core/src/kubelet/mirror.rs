//! Mirror pods (pkg/kubelet/kubelet.go `tryReconcileMirrorPods`, pkg/kubelet/pod/mirror_client.go):
//! the API object that stands for a static pod the kubelet runs from its manifest directory.
//! Deleting one does not stop the static pod: the kubelet removes the object at once (grace 0,
//! UID precondition) and posts a fresh copy with the same name, a new UID and a new creation
//! time, while the containers, which belong to the manifest, keep running untouched.

use k8s_openapi::api::core::v1::Pod;

use super::Kubelet;
use crate::api::Cx;
use crate::store::{Object, ObjectKey};

/// `kubernetes.io/config.mirror`: the static pod's config hash on its mirror.
pub(crate) fn config_mirror(pod: &Pod) -> Option<&str> {
    pod.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubernetes.io/config.mirror"))
        .map(String::as_str)
}

impl Kubelet {
    /// A deleted mirror pod is replaced by a new one; returns whether it was.
    pub(crate) fn reconcile_mirror<T>(&mut self, key: &ObjectKey, pod: &Pod, cx: &mut Cx<'_, T>) -> bool {
        if config_mirror(pod).is_none() || pod.metadata.deletion_timestamp.is_none() {
            return false;
        }
        // DeleteMirrorPod: grace 0; a pod already gone is fine.
        let _ = cx.api.delete(key, Some(0));
        // CreateMirrorPod: the static pod as posted the first time; the server resets status.
        let mut fresh = pod.clone();
        let m = &mut fresh.metadata;
        m.uid = None;
        m.resource_version = None;
        m.creation_timestamp = None;
        m.deletion_timestamp = None;
        m.deletion_grace_period_seconds = None;
        m.generation = None;
        m.managed_fields = None;
        fresh.status = None;
        let _ = cx.api.create(Object::Pod(fresh));
        true
    }
}
