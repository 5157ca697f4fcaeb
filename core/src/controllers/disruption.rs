//! The disruption controller (pkg/controller/disruption): each PodDisruptionBudget's status —
//! how many pods are expected, how many must stay healthy, how many are, and so how many
//! disruptions the eviction API may allow. `minAvailable` as a number counts the selected pods;
//! a percentage, or `maxUnavailable`, counts the replicas of their controllers; percentages
//! round up. Evicted pods stay in `disruptedPods` until seen deleting, for at most 2 minutes.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::deployment_util::scaled_value;
use super::podutil::{self, controller_of};
use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::labels::Selector;
use crate::sim::clock::{Millis, SECOND, api_time, from_api_time};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent};

const DISRUPTED_TIMEOUT: Millis = 120 * SECOND;

pub struct DisruptionController;

fn selects(pdb: &PodDisruptionBudget, labels: &BTreeMap<String, String>) -> bool {
    pdb.spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .is_some_and(|s| Selector::from_label_selector(s).matches(labels))
}

impl Controller for DisruptionController {
    fn name(&self) -> &'static str {
        "disruption-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::PodDisruptionBudget, Kind::Pod]
    }

    fn keys(&self, ev: &WatchEvent, store: &Store, out: &mut Wakes) {
        match &ev.object {
            Object::PodDisruptionBudget(_) => out.push((ev.key.clone(), 0)),
            Object::Pod(p) => {
                let labels = p.metadata.labels.clone().unwrap_or_default();
                for o in store.list(Kind::PodDisruptionBudget, Some(&ev.key.namespace)) {
                    if let Object::PodDisruptionBudget(pdb) = o
                        && selects(pdb, &labels)
                    {
                        out.push((ObjectKey::of(o), 0));
                    }
                }
            }
            _ => {}
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::PodDisruptionBudget(pdb)) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        let pods: Vec<Pod> = cx
            .api
            .list(Kind::Pod, Some(&key.namespace))
            .filter_map(|o| match o {
                Object::Pod(p) => Some(p.clone()),
                _ => None,
            })
            .filter(|p| selects(&pdb, p.metadata.labels.as_ref().unwrap_or(&BTreeMap::new())))
            .collect();
        let spec = pdb.spec.clone().unwrap_or_default();
        let (expected, desired) = match (&spec.min_available, &spec.max_unavailable) {
            (Some(IntOrString::Int(n)), _) => (crate::num::i32_of(pods.len()), *n),
            (Some(v @ IntOrString::String(_)), _) => {
                let expected = controller_scale(&pods, cx);
                (expected, scaled_value(Some(v), expected, true))
            }
            (None, Some(v)) => {
                let expected = controller_scale(&pods, cx);
                (
                    expected,
                    expected.saturating_sub(scaled_value(Some(v), expected, true)).max(0),
                )
            }
            (None, None) => (crate::num::i32_of(pods.len()), 0),
        };
        let now = cx.now;
        let old = pdb.status.clone().unwrap_or_default();
        // Evicted pods stay counted as disrupted until seen deleting, or for 2 minutes.
        let mut disrupted = old.disrupted_pods.clone().unwrap_or_default();
        disrupted.retain(|name, at| {
            let deleting = pods
                .iter()
                .any(|p| p.metadata.name.as_deref() == Some(name) && p.metadata.deletion_timestamp.is_some());
            let gone = !pods.iter().any(|p| p.metadata.name.as_deref() == Some(name));
            !deleting && !gone && from_api_time(at).saturating_add(DISRUPTED_TIMEOUT) > now
        });
        let healthy = crate::num::i32_of(
            pods.iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .filter(|p| !disrupted.contains_key(p.metadata.name.as_deref().unwrap_or("")))
                .filter(|p| podutil::is_ready(p))
                .count(),
        );
        let allowed = if expected <= 0 {
            0
        } else {
            healthy.saturating_sub(desired).max(0)
        };
        let (status_word, reason) = if allowed > 0 {
            ("True", "SufficientPods")
        } else {
            ("False", "InsufficientPods")
        };
        let condition = match old
            .conditions
            .as_ref()
            .and_then(|c| c.iter().find(|c| c.type_ == "DisruptionAllowed"))
        {
            Some(c) if c.status == status_word && c.reason == reason => {
                let mut c = c.clone();
                c.observed_generation = pdb.metadata.generation;
                c
            }
            _ => Condition {
                type_: "DisruptionAllowed".into(),
                status: status_word.into(),
                reason: reason.into(),
                message: String::new(),
                last_transition_time: api_time(now),
                observed_generation: pdb.metadata.generation,
            },
        };
        let st = PodDisruptionBudgetStatus {
            current_healthy: healthy,
            desired_healthy: desired,
            disruptions_allowed: allowed,
            expected_pods: expected,
            observed_generation: pdb.metadata.generation,
            disrupted_pods: (!disrupted.is_empty()).then_some(disrupted),
            conditions: Some(vec![condition]),
        };
        if pdb.status.as_ref() != Some(&st) {
            let mut next = pdb;
            next.status = Some(st);
            cx.api.update_status(&Object::PodDisruptionBudget(next))?;
        }
        Ok(())
    }
}

/// The summed `replicas` of the controllers of the pods (`getExpectedPodCount`): a
/// Deployment through its ReplicaSet, a ReplicaSet, a StatefulSet.
fn controller_scale(pods: &[Pod], cx: &Cx<'_>) -> i32 {
    let mut seen: BTreeMap<String, i32> = BTreeMap::new();
    for p in pods {
        let ns = p.metadata.namespace.clone().unwrap_or_default();
        let Some(r) = controller_of(&p.metadata) else { continue };
        let (uid, replicas) = match r.kind.as_str() {
            "ReplicaSet" => match cx.api.get(Kind::ReplicaSet, &ns, &r.name) {
                Some(Object::ReplicaSet(rs)) => match controller_of(&rs.metadata).filter(|d| d.kind == "Deployment") {
                    Some(d) => match cx.api.get(Kind::Deployment, &ns, &d.name) {
                        Some(Object::Deployment(dep)) => {
                            (d.uid.clone(), dep.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1))
                        }
                        _ => continue,
                    },
                    None => (r.uid.clone(), rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)),
                },
                _ => continue,
            },
            "StatefulSet" => match cx.api.get(Kind::StatefulSet, &ns, &r.name) {
                Some(Object::StatefulSet(s)) => (r.uid.clone(), s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)),
                _ => continue,
            },
            _ => continue,
        };
        seen.insert(uid, replicas);
    }
    seen.values().fold(0i32, |a, b| a.saturating_add(*b))
}
