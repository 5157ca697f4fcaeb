//! kube-proxy, one per node, as the control plane sees it so far: the node's kube-proxy
//! DaemonSet pod is its process, and each time that process starts (its container's
//! `startedAt` changes) it records its birth cry, the Node event `Starting` with action
//! `StartKubeProxy` and an empty note (cmd/kube-proxy/app/server.go `birthCry`). Programming
//! Service routes is the networking work still to come.

use k8s_openapi::api::core::v1::ObjectReference;

use crate::api::ApiServer;
use crate::api::events::EventType;
use crate::store::{Object, WatchEvent, WatchEventType};

#[derive(Default)]
pub struct KubeProxy {
    /// When the running kube-proxy process started, as its pod reports it.
    started: Option<String>,
}

impl KubeProxy {
    /// A watch event about a pod bound to this node.
    pub fn on_watch(&mut self, node: &str, ev: &WatchEvent, api: &mut ApiServer) {
        let Object::Pod(p) = &ev.object else { return };
        let is_proxy = ev.key.namespace == "kube-system"
            && p.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("k8s-app"))
                .is_some_and(|a| a == "kube-proxy");
        if !is_proxy || ev.kind == WatchEventType::Deleted {
            return;
        }
        let started = p
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .into_iter()
            .flatten()
            .find(|c| c.name == "kube-proxy")
            .and_then(|c| c.state.as_ref()?.running.as_ref()?.started_at.as_ref())
            .map(|t| format!("{}/{}", p.metadata.uid.as_deref().unwrap_or(""), t.0));
        if started.is_none() || started == self.started {
            return;
        }
        self.started = started;
        // The reference kube-proxy builds: the node by name, with the name as its uid.
        let regarding = ObjectReference {
            kind: Some("Node".into()),
            name: Some(node.into()),
            uid: Some(node.into()),
            ..Default::default()
        };
        let instance = format!("kube-proxy-{node}");
        api.record_event_v1(
            regarding,
            EventType::Normal,
            "Starting",
            "StartKubeProxy",
            "",
            "kube-proxy",
            &instance,
        );
    }
}
