//! The node lifecycle controller (pkg/controller/nodelifecycle): it registers each node it
//! sees (`RegisteredNode`) and watches their health. A node whose kubelet has neither renewed
//! its Lease nor posted status for the 50 s grace period (`--node-monitor-grace-period`, 50 s
//! since 1.32) has its conditions set to Unknown, gets the `node.kubernetes.io/unreachable`
//! NoSchedule and NoExecute taints, a `NodeNotReady` event, and its pods are marked not ready
//! (each with a `NodeNotReady` warning). When the kubelet posts Ready again the taints go.
//! The monitor pass runs every 5 s (`--node-monitor-period`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Taint};

use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::api::server::set_pod_condition;
use crate::sim::clock::{Millis, SECOND, api_time};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent};

const SOURCE: Source = Source {
    component: "node-controller",
    host: None,
};

const MONITOR_PERIOD: Millis = 5 * SECOND;
const GRACE_PERIOD: Millis = 50 * SECOND;
pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
const NOT_READY: &str = "node.kubernetes.io/not-ready";
const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

#[derive(Default)]
pub struct NodeLifecycleController {
    /// Per node: when the controller last saw a sign of life, and the lease renew time and
    /// Ready heartbeat it saw then.
    health: BTreeMap<String, Health>,
    monitoring: bool,
}

struct Health {
    probe: Millis,
    renew: Option<String>,
    heartbeat: Option<String>,
}

fn monitor_key() -> ObjectKey {
    ObjectKey::new(Kind::Node, "", "")
}

fn ready_status(n: &Node) -> &str {
    n.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .map_or("", |c| c.status.as_str())
}

fn heartbeat(n: &Node) -> Option<String> {
    n.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")?
        .last_heartbeat_time
        .as_ref()
        .map(|t| t.0.to_string())
}

impl Controller for NodeLifecycleController {
    fn name(&self) -> &'static str {
        "node-lifecycle-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::Node, Kind::Lease]
    }

    fn background(&self) -> bool {
        true
    }

    fn keys(&self, ev: &WatchEvent, _store: &Store, out: &mut Wakes) {
        match ev.key.kind {
            Kind::Lease if ev.key.namespace == "kube-node-lease" => {
                out.push((ObjectKey::new(Kind::Node, "", &ev.key.name), 0));
            }
            Kind::Node => {
                out.push((ev.key.clone(), 0));
                if !self.monitoring {
                    out.push((monitor_key(), MONITOR_PERIOD));
                }
            }
            _ => {}
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        if key.name.is_empty() {
            self.monitoring = true;
            let nodes: Vec<Node> = cx
                .api
                .list(Kind::Node, None)
                .filter_map(|o| match o {
                    Object::Node(n) => Some(n.clone()),
                    _ => None,
                })
                .collect();
            for n in nodes {
                self.monitor(n, cx)?;
            }
            cx.after(MONITOR_PERIOD, monitor_key());
            return Ok(());
        }
        let Some(Object::Node(node)) = cx.api.get(Kind::Node, "", &key.name).cloned() else {
            self.health.remove(&key.name);
            return Ok(());
        };
        let renew = cx
            .api
            .get(Kind::Lease, "kube-node-lease", &key.name)
            .and_then(|o| match o {
                Object::Lease(l) => l.spec.as_ref()?.renew_time.as_ref().map(|t| t.0.to_string()),
                _ => None,
            });
        let beat = heartbeat(&node);
        match self.health.get_mut(&key.name) {
            None => {
                // First sight: register the node.
                self.health.insert(
                    key.name.clone(),
                    Health {
                        probe: cx.now,
                        renew,
                        heartbeat: beat,
                    },
                );
                let msg = format!("Node {0} event: Registered Node {0} in Controller", key.name);
                cx.api.record_event(
                    &Object::Node(node.clone()),
                    None,
                    EventType::Normal,
                    "RegisteredNode",
                    &msg,
                    &SOURCE,
                );
            }
            Some(h) => {
                if renew > h.renew || beat != h.heartbeat {
                    h.probe = cx.now;
                    h.renew = renew;
                    h.heartbeat = beat;
                }
            }
        }
        let mut n = node.clone();
        // The kubelet is back and Ready: the unreachable taints go.
        if ready_status(&node) == "True"
            && has_health_taint(&node)
            && let Some(t) = n.spec.as_mut().and_then(|s| s.taints.as_mut())
        {
            t.retain(|t| t.key != UNREACHABLE && t.key != NOT_READY);
        }
        // A cordoned node carries the unschedulable taint (`doNoScheduleTaintingPass`).
        let cordoned = n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
        let taints = n
            .spec
            .get_or_insert_with(Default::default)
            .taints
            .get_or_insert_with(Vec::new);
        let has = taints.iter().any(|t| t.key == UNSCHEDULABLE);
        if cordoned && !has {
            taints.push(Taint {
                key: UNSCHEDULABLE.into(),
                effect: "NoSchedule".into(),
                value: None,
                time_added: Some(api_time(cx.now)),
            });
        } else if !cordoned && has {
            taints.retain(|t| t.key != UNSCHEDULABLE);
        }
        if taints.is_empty()
            && let Some(s) = n.spec.as_mut()
        {
            s.taints = None;
        }
        let before = node
            .spec
            .as_ref()
            .and_then(|s| s.taints.clone())
            .filter(|t| !t.is_empty());
        if n.spec.as_ref().and_then(|s| s.taints.clone()) != before {
            cx.api.update(Object::Node(n))?;
        }
        Ok(())
    }
}

fn has_health_taint(n: &Node) -> bool {
    n.spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .is_some_and(|t| t.iter().any(|t| t.key == UNREACHABLE || t.key == NOT_READY))
}

impl NodeLifecycleController {
    /// `tryUpdateNodeHealth` and the tainting passes for one node.
    fn monitor(&mut self, node: Node, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let name = node.metadata.name.clone().unwrap_or_default();
        let probe = self.health.get(&name).map_or(cx.now, |h| h.probe);
        if cx.now <= probe.saturating_add(GRACE_PERIOD) || ready_status(&node) == "Unknown" {
            return Ok(());
        }
        let was_ready = ready_status(&node) == "True";
        let mut n = node;
        let now = cx.now;
        if let Some(conds) = n.status.as_mut().and_then(|s| s.conditions.as_mut()) {
            for c in conds.iter_mut().filter(|c| {
                matches!(
                    c.type_.as_str(),
                    "Ready" | "MemoryPressure" | "DiskPressure" | "PIDPressure"
                )
            }) {
                if c.status != "Unknown" {
                    c.status = "Unknown".into();
                    c.reason = Some("NodeStatusUnknown".into());
                    c.message = Some("Kubelet stopped posting node status.".into());
                    c.last_transition_time = Some(api_time(now));
                }
            }
        }
        let stored = cx.api.update_status(&Object::Node(n))?;
        let Object::Node(mut n) = stored else { return Ok(()) };
        let taints = n
            .spec
            .get_or_insert_with(Default::default)
            .taints
            .get_or_insert_with(Vec::new);
        taints.retain(|t| t.key != NOT_READY);
        for effect in ["NoSchedule", "NoExecute"] {
            if !taints.iter().any(|t| t.key == UNREACHABLE && t.effect == effect) {
                taints.push(Taint {
                    key: UNREACHABLE.into(),
                    effect: effect.into(),
                    value: None,
                    time_added: Some(api_time(now)),
                });
            }
        }
        let stored = cx.api.update(Object::Node(n))?;
        if was_ready {
            let msg = format!("Node {name} status is now: NodeNotReady");
            cx.api
                .record_event(&stored, None, EventType::Normal, "NodeNotReady", &msg, &SOURCE);
            // MarkPodsNotReady.
            let pods: Vec<ObjectKey> = cx.api.store().indexes().pods_on_node(&name).iter().cloned().collect();
            for key in pods {
                let Some(Object::Pod(mut p)) = cx.api.store().get(&key).cloned() else {
                    continue;
                };
                let ready = p
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
                    .map(|c| (c.status.clone(), c.reason.clone(), c.message.clone()));
                let Some((status, reason, message)) = ready else {
                    continue;
                };
                if status == "False" {
                    continue;
                }
                set_pod_condition(&mut p, "Ready", "False", reason.as_deref(), message.as_deref(), now);
                let stored = cx.api.update_status(&Object::Pod(p))?;
                cx.api.record_event(
                    &stored,
                    None,
                    EventType::Warning,
                    "NodeNotReady",
                    "Node is not ready",
                    &SOURCE,
                );
            }
        }
        Ok(())
    }
}
