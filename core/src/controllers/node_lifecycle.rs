//! The node lifecycle controller (pkg/controller/nodelifecycle): it registers each node it
//! sees (`RegisteredNode`).
//! TODO(issue 6, node lifecycle): lease monitoring, NotReady/Unknown after the 50 s grace
//! period, unreachable taints and taint-based eviction.

use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::store::{Kind, ObjectKey, Store, WatchEvent, WatchEventType};

const SOURCE: Source = Source {
    component: "node-controller",
    host: None,
};

pub struct NodeLifecycleController;

impl Controller for NodeLifecycleController {
    fn name(&self) -> &'static str {
        "node-lifecycle-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::Node]
    }

    fn keys(&self, ev: &WatchEvent, _store: &Store, out: &mut Wakes) {
        if ev.kind == WatchEventType::Added {
            out.push((ev.key.clone(), 0));
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(node) = cx.api.get(Kind::Node, "", &key.name).cloned() else {
            return Ok(());
        };
        let msg = format!("Node {0} event: Registered Node {0} in Controller", key.name);
        cx.api
            .record_event(&node, None, EventType::Normal, "RegisteredNode", &msg, &SOURCE);
        Ok(())
    }
}
