//! The taint eviction controller (pkg/controller/tainteviction, its own controller since 1.34):
//! a pod on a node with a NoExecute taint it does not tolerate is deleted at once; one that
//! tolerates it for `tolerationSeconds` (300 s for the not-ready and unreachable tolerations
//! every pod gets by default) is deleted when that runs out, counted from when the controller
//! saw the taint, unless the taint goes first. Deleted pods get the `DisruptionTarget`
//! condition and a `TaintManagerEviction` event.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, Taint};

use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::api::server::set_pod_condition;
use crate::scheduler::plugins::taint_toleration::tolerates;
use crate::sim::clock::{Millis, seconds};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent, WatchEventType};

const SOURCE: Source = Source {
    component: "taint-eviction-controller",
    host: None,
};

#[derive(Default)]
pub struct TaintEvictionController {
    /// Pods whose deletion is scheduled, with when.
    scheduled: BTreeMap<ObjectKey, Millis>,
}

fn no_execute(n: &Node) -> Vec<Taint> {
    n.spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .map(|t| t.iter().filter(|t| t.effect == "NoExecute").cloned().collect())
        .unwrap_or_default()
}

fn node_of(p: &Pod) -> Option<&str> {
    p.spec.as_ref()?.node_name.as_deref().filter(|n| !n.is_empty())
}

impl Controller for TaintEvictionController {
    fn name(&self) -> &'static str {
        "taint-eviction-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::Node, Kind::Pod]
    }

    fn keys(&self, ev: &WatchEvent, store: &Store, out: &mut Wakes) {
        match &ev.object {
            Object::Node(_) => out.push((ev.key.clone(), 0)),
            Object::Pod(p) => {
                let tainted = node_of(p)
                    .and_then(|n| store.get(&ObjectKey::new(Kind::Node, "", n)))
                    .is_some_and(|o| matches!(o, Object::Node(n) if !no_execute(n).is_empty()));
                if (tainted && ev.kind != WatchEventType::Deleted) || self.scheduled.contains_key(&ev.key) {
                    out.push((ev.key.clone(), 0));
                }
            }
            _ => {}
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        if key.kind == Kind::Node {
            let pods: Vec<ObjectKey> = cx
                .api
                .store()
                .indexes()
                .pods_on_node(&key.name)
                .iter()
                .cloned()
                .collect();
            for pod in pods {
                self.process(&pod, cx)?;
            }
            return Ok(());
        }
        self.process(key, cx)
    }
}

impl TaintEvictionController {
    /// `processPodOnNode`.
    fn process(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::Pod(pod)) = cx.api.store().get(key).cloned() else {
            self.scheduled.remove(key);
            return Ok(());
        };
        let taints = node_of(&pod)
            .and_then(|n| cx.api.get(Kind::Node, "", n))
            .map(|o| match o {
                Object::Node(n) => no_execute(n),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        let name = format!("{}/{}", key.namespace, key.name);
        if taints.is_empty() || pod.metadata.deletion_timestamp.is_some() {
            if self.scheduled.remove(key).is_some() && pod.metadata.deletion_timestamp.is_none() {
                let msg = format!("Cancelling deletion of Pod {name}");
                cx.api.record_event(
                    &Object::Pod(pod),
                    None,
                    EventType::Normal,
                    "TaintManagerEviction",
                    &msg,
                    &SOURCE,
                );
            }
            return Ok(());
        }
        let tols = pod
            .spec
            .as_ref()
            .and_then(|s| s.tolerations.clone())
            .unwrap_or_default();
        // The shortest toleration among the taints; None when one is not tolerated at all.
        let mut wait: Option<Option<i64>> = Some(None);
        for taint in &taints {
            let matching: Vec<_> = tols.iter().filter(|t| tolerates(t, taint)).collect();
            if matching.is_empty() {
                wait = None;
                break;
            }
            // A toleration without seconds tolerates forever.
            let secs = matching.iter().filter_map(|t| t.toleration_seconds).min();
            if matching.iter().all(|t| t.toleration_seconds.is_some())
                && let Some(s) = secs
            {
                wait = Some(Some(wait.flatten().map_or(s, |w: i64| w.min(s))));
            }
        }
        let deadline = match wait {
            None => cx.now,
            Some(None) => {
                self.scheduled.remove(key);
                return Ok(());
            }
            Some(Some(s)) => *self
                .scheduled
                .entry(key.clone())
                .or_insert_with(|| cx.now.saturating_add(seconds(s.max(0)))),
        };
        if deadline > cx.now {
            cx.after(deadline - cx.now, key.clone());
            return Ok(());
        }
        self.scheduled.remove(key);
        let msg = format!("Marking for deletion Pod {name}");
        cx.api.record_event(
            &Object::Pod(pod.clone()),
            None,
            EventType::Normal,
            "TaintManagerEviction",
            &msg,
            &SOURCE,
        );
        let mut p = pod;
        set_pod_condition(
            &mut p,
            "DisruptionTarget",
            "True",
            Some("DeletionByTaintManager"),
            Some("Taint manager: deleting due to NoExecute taint"),
            cx.now,
        );
        let _ = cx.api.update_status(&Object::Pod(p));
        match cx.api.delete(key, None) {
            Ok(_) => Ok(()),
            Err(e) if e.reason == crate::api::Reason::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }
}
