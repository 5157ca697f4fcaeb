//! The eviction subresource (pkg/registry/core/pod/storage/eviction.go): a delete that
//! respects PodDisruptionBudgets. A pod that is finished, pending or already being deleted
//! goes at once; otherwise the one budget that selects it must allow a disruption, which the
//! eviction uses up (`disruptionsAllowed` goes down, the pod is recorded in `disruptedPods`),
//! or the request is refused with 429. An evicted pod gets the `DisruptionTarget` condition.

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::errors::{ApiError, Reason};
use super::server::{ApiServer, set_pod_condition};
use crate::labels::Selector;
use crate::sim::clock::api_time;
use crate::store::{Kind, Object, ObjectKey};

fn is_ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

impl ApiServer {
    /// `POST .../pods/{name}/eviction`.
    pub fn evict(&mut self, namespace: &str, name: &str, grace_seconds: Option<i64>) -> Result<(), ApiError> {
        let key = ObjectKey::new(Kind::Pod, namespace, name);
        let Some(Object::Pod(pod)) = self.store().get(&key).cloned() else {
            return Err(ApiError::not_found("pods", name));
        };
        let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("");
        let can_ignore =
            matches!(phase, "Succeeded" | "Failed" | "Pending") || pod.metadata.deletion_timestamp.is_some();
        if !can_ignore {
            let labels = pod.metadata.labels.clone().unwrap_or_default();
            let pdbs: Vec<PodDisruptionBudget> = self
                .list(Kind::PodDisruptionBudget, Some(namespace))
                .filter_map(|o| match o {
                    Object::PodDisruptionBudget(p) => Some(p.clone()),
                    _ => None,
                })
                .filter(|p| {
                    p.spec
                        .as_ref()
                        .and_then(|s| s.selector.as_ref())
                        .is_some_and(|s| Selector::from_label_selector(s).matches(&labels))
                })
                .collect();
            if pdbs.len() > 1 {
                return Err(ApiError::new(
                    Reason::InternalError,
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
                ));
            }
            if let Some(mut pdb) = pdbs.into_iter().next() {
                let st = pdb.status.clone().unwrap_or_default();
                let unhealthy_ok =
                    !is_ready(&pod) && st.current_healthy >= st.desired_healthy && st.desired_healthy > 0;
                if !unhealthy_ok {
                    let pdb_name = pdb.metadata.name.clone().unwrap_or_default();
                    if st.observed_generation < pdb.metadata.generation {
                        return Err(ApiError::new(
                            Reason::TooManyRequests,
                            format!("The disruption budget {pdb_name} is still being processed by the server."),
                        ));
                    }
                    if st.disruptions_allowed <= 0 {
                        return Err(ApiError::new(
                            Reason::TooManyRequests,
                            "Cannot evict pod as it would violate the pod's disruption budget.",
                        ));
                    }
                    let status = pdb.status.get_or_insert_with(Default::default);
                    status.disruptions_allowed = status.disruptions_allowed.saturating_sub(1);
                    if status.disruptions_allowed == 0
                        && let Some(c) = status
                            .conditions
                            .as_mut()
                            .and_then(|cs| cs.iter_mut().find(|c| c.type_ == "DisruptionAllowed"))
                    {
                        c.status = "False".into();
                        c.reason = "InsufficientPods".into();
                        c.last_transition_time = api_time(self.now());
                    }
                    status
                        .disrupted_pods
                        .get_or_insert_with(Default::default)
                        .insert(name.to_string(), Time(api_time(self.now()).0));
                    self.update_status(&Object::PodDisruptionBudget(pdb))?;
                }
            }
        }
        let mut p = pod;
        set_pod_condition(
            &mut p,
            "DisruptionTarget",
            "True",
            Some("EvictionByEvictionAPI"),
            Some("Eviction API: evicting"),
            self.now(),
        );
        self.update_status(&Object::Pod(p))?;
        self.delete(&key, grace_seconds)?;
        Ok(())
    }
}
