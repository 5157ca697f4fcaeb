//! The resource quota controller (pkg/controller/resourcequota and the evaluators of
//! pkg/quota/v1/evaluator/core): keeps a ResourceQuota's `status.hard` equal to its spec and
//! `status.used` to what its namespace holds of each hard resource: object counts (`pods`,
//! `services`, `configmaps`, `count/deployments.apps`, ...), the requests and limits of
//! non-terminal pods in the quota's scopes, NodePorts and load balancers. A change to a tracked
//! object requeues the quotas of its namespace. Admission against the quota is the guard-rails
//! issue's; this is the bookkeeping `kubectl get|describe quota` shows.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, ResourceQuotaStatus};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;

use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::quantity::{Format, Quantity};
use crate::store::{Kind, Object, ObjectKey, RESOURCES, Store, WatchEvent};

pub struct ResourceQuotaController;

/// Kinds whose changes move a quota's usage.
const TRACKED: &[Kind] = &[
    Kind::ResourceQuota,
    Kind::Pod,
    Kind::Service,
    Kind::ConfigMap,
    Kind::Secret,
    Kind::PersistentVolumeClaim,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::StatefulSet,
    Kind::DaemonSet,
    Kind::Job,
    Kind::CronJob,
];

impl Controller for ResourceQuotaController {
    fn name(&self) -> &'static str {
        "resourcequota-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        TRACKED
    }

    fn keys(&self, ev: &WatchEvent, store: &Store, out: &mut Wakes) {
        if ev.key.kind == Kind::ResourceQuota {
            out.push((ev.key.clone(), 0));
            return;
        }
        for q in store.list(Kind::ResourceQuota, Some(&ev.key.namespace)) {
            out.push((ObjectKey::of(q), 0));
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::ResourceQuota(q)) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        let spec = q.spec.clone().unwrap_or_default();
        let hard = spec.hard.clone().unwrap_or_default();
        let scopes = spec.scopes.clone().unwrap_or_default();
        let store = cx.api.store();
        let mut used = BTreeMap::new();
        for name in hard.keys() {
            let u = usage(store, &key.namespace, name, &scopes);
            used.insert(name.clone(), ApiQuantity(u.canonical()));
        }
        let status = ResourceQuotaStatus {
            hard: (!hard.is_empty()).then_some(hard),
            used: (!used.is_empty()).then_some(used),
        };
        if q.status.as_ref() == Some(&status) {
            return Ok(());
        }
        let mut updated = q;
        updated.status = Some(status);
        cx.api.update_status(&Object::ResourceQuota(updated))?;
        Ok(())
    }
}

/// A pod counts until it ends (`QuotaV1Pod`).
fn counts(pod: &Pod) -> bool {
    !matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// Whether a pod falls in every scope of the quota.
fn in_scopes(pod: &Pod, scopes: &[String]) -> bool {
    let best_effort = pod.status.as_ref().and_then(|s| s.qos_class.as_deref()) == Some("BestEffort");
    let terminating = pod.spec.as_ref().and_then(|s| s.active_deadline_seconds).is_some();
    scopes.iter().all(|s| match s.as_str() {
        "BestEffort" => best_effort,
        "NotBestEffort" => !best_effort,
        "Terminating" => terminating,
        "NotTerminating" => !terminating,
        _ => true,
    })
}

/// One resource of a pod (`requests.cpu`, `limits.memory`): the containers' sum, or the
/// largest init container if larger (`PodRequests` / `PodLimits`).
fn pod_amount(pod: &Pod, field: &str, resource: &str) -> Option<Quantity> {
    let spec = pod.spec.as_ref()?;
    let of = |c: &k8s_openapi::api::core::v1::Container| -> Option<Quantity> {
        let r = c.resources.as_ref()?;
        let list = if field == "limits" {
            r.limits.as_ref()
        } else {
            r.requests.as_ref()
        }?;
        Quantity::parse(&list.get(resource)?.0).ok()
    };
    let mut sum: Option<Quantity> = None;
    for c in &spec.containers {
        if let Some(q) = of(c) {
            sum = Some(match sum {
                Some(s) => s.plus(q),
                None => q,
            });
        }
    }
    for c in spec.init_containers.iter().flatten() {
        if let Some(q) = of(c)
            && sum.as_ref().is_none_or(|s| q.milli_value() > s.milli_value())
        {
            sum = Some(q);
        }
    }
    sum
}

/// The usage of one hard resource in a namespace.
fn usage(store: &Store, ns: &str, name: &str, scopes: &[String]) -> Quantity {
    let count = |kind: Kind| -> Quantity {
        let n = store.list(kind, Some(ns)).count();
        Quantity::from_value(i64::try_from(n).unwrap_or(i64::MAX), Format::DecimalSi)
    };
    let pods = || {
        store.list(Kind::Pod, Some(ns)).filter_map(|o| match o {
            Object::Pod(p) if counts(p) && in_scopes(p, scopes) => Some(p),
            _ => None,
        })
    };
    let compute = |field: &str, resource: &str| -> Quantity {
        pods()
            .filter_map(|p| pod_amount(p, field, resource))
            .fold(None, |acc: Option<Quantity>, q| Some(acc.map_or(q, |a| a.plus(q))))
            .unwrap_or(Quantity::ZERO)
    };
    let services = || {
        store.list(Kind::Service, Some(ns)).filter_map(|o| match o {
            Object::Service(s) => s.spec.as_ref(),
            _ => None,
        })
    };
    let number = |n: usize| Quantity::from_value(i64::try_from(n).unwrap_or(i64::MAX), Format::DecimalSi);
    match name {
        "pods" | "count/pods" => number(pods().count()),
        "cpu" | "memory" | "ephemeral-storage" => compute("requests", name),
        "services" | "count/services" => count(Kind::Service),
        "services.loadbalancers" => number(
            services()
                .filter(|s| s.type_.as_deref() == Some("LoadBalancer"))
                .count(),
        ),
        "services.nodeports" => number(
            services()
                .filter(|s| matches!(s.type_.as_deref(), Some("NodePort" | "LoadBalancer")))
                .map(|s| {
                    s.ports
                        .as_ref()
                        .map_or(0, |p| p.iter().filter(|p| p.node_port.is_some()).count())
                })
                .sum(),
        ),
        "configmaps" => count(Kind::ConfigMap),
        "secrets" => count(Kind::Secret),
        "persistentvolumeclaims" => count(Kind::PersistentVolumeClaim),
        "resourcequotas" => count(Kind::ResourceQuota),
        "requests.storage" => store
            .list(Kind::PersistentVolumeClaim, Some(ns))
            .filter_map(|o| match o {
                Object::PersistentVolumeClaim(c) => c
                    .spec
                    .as_ref()?
                    .resources
                    .as_ref()?
                    .requests
                    .as_ref()?
                    .get("storage")
                    .and_then(|q| Quantity::parse(&q.0).ok()),
                _ => None,
            })
            .fold(None, |acc: Option<Quantity>, q| Some(acc.map_or(q, |a| a.plus(q))))
            .unwrap_or(Quantity::ZERO),
        other => {
            if let Some(r) = other.strip_prefix("requests.") {
                return compute("requests", r);
            }
            if let Some(r) = other.strip_prefix("limits.") {
                return compute("limits", r);
            }
            // `count/<resource>[.<group>]`.
            if let Some(resource) = other.strip_prefix("count/") {
                let (plural, group) = resource.split_once('.').unwrap_or((resource, ""));
                if let Some(info) = RESOURCES.iter().find(|r| r.plural == plural && r.group == group) {
                    return count(info.kind);
                }
            }
            Quantity::ZERO
        }
    }
}
