//! The kubelet of one node: it watches the pods bound to its node and runs them through their
//! lifecycle in virtual time — sandbox, image pulls, init containers, containers, probes,
//! restarts with back-off, graceful termination — and reports status back through the API.

pub mod backoff;
pub mod container;
pub mod env;
pub mod exec;
pub mod images;
mod kuberuntime;
mod mirror;
pub mod node_status;
mod pod_worker;
pub mod prober;
mod status;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod};

use crate::api::Cx;
use crate::api::workqueue::WorkQueue;
use crate::net::ipam::PodCidr;
use crate::sim::clock::{Millis, SECOND};
use crate::sim::rng::Rng;
use crate::store::{Object, ObjectKey, WatchEvent, WatchEventType};
use backoff::Backoff;
use container::ContainerRt;
use images::ImageManager;
use prober::ProbeWorker;

#[derive(Clone, Debug)]
pub enum Task {
    /// The pod worker's sync of one pod, queued for the given instant.
    SyncPod(ObjectKey, Millis),
    /// A sync after the runtime noticed a change (PLEG's relist).
    Relist(ObjectKey),
    /// The pod worker's requeue of a pod after a sync error; only the latest one counts, as the
    /// work queue keeps one entry per pod.
    Resync(ObjectKey, u64),
    /// The sandbox (pause container, network) of a pod is up.
    SandboxReady(ObjectKey, String),
    /// An image pull finished.
    PullDone(u64),
    /// A process asked to be woken (it slept).
    Wake {
        pod: ObjectKey,
        container: String,
        seq: u64,
    },
    /// The grace period of a stopping container ran out: SIGKILL.
    Kill {
        pod: ObjectKey,
        container: String,
        id: String,
    },
    /// A probe worker's tick.
    Probe {
        pod: ObjectKey,
        uid: String,
        worker: usize,
        periodic: bool,
    },
    /// Fill in the status of a Node object a user applied.
    RegisterNode,
    /// The kubelet started and registered its node: its events.
    NodeStarted,
    /// The node became Ready.
    NodeReady,
    /// Renew the node's Lease (every 10 s) and, every 5 minutes, its status heartbeat.
    Heartbeat,
    /// The machine was started again: the kubelet boots and runs its pods anew.
    Restarted,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Sandbox {
    None,
    Creating,
    Ready,
}

/// Everything the kubelet keeps about one pod.
pub(crate) struct PodRt {
    pub uid: String,
    pub pod: Pod,
    pub sandbox: Sandbox,
    pub ip: Option<String>,
    pub init: Vec<ContainerRt>,
    pub containers: Vec<ContainerRt>,
    pub start_time: Millis,
    pub probes: Vec<ProbeWorker>,
    /// Stop signals were sent because the pod is being deleted.
    pub terminating: bool,
}

impl PodRt {
    pub fn all(&self) -> impl Iterator<Item = &ContainerRt> {
        self.init.iter().chain(self.containers.iter())
    }

    pub fn find_mut(&mut self, name: &str) -> Option<&mut ContainerRt> {
        self.init
            .iter_mut()
            .chain(self.containers.iter_mut())
            .find(|c| c.name() == name)
    }

    pub fn find(&self, name: &str) -> Option<&ContainerRt> {
        self.all().find(|c| c.name() == name)
    }
}

fn same_pod(a: &Pod, b: &Pod) -> bool {
    let (ma, mb) = (&a.metadata, &b.metadata);
    a.spec == b.spec
        && ma.uid == mb.uid
        && ma.labels == mb.labels
        && ma.annotations == mb.annotations
        && ma.deletion_timestamp == mb.deletion_timestamp
        && ma.deletion_grace_period_seconds == mb.deletion_grace_period_seconds
}

pub struct Kubelet {
    pub(crate) node: String,
    pub(crate) node_ip: String,
    pub(crate) rng: Rng,
    pub(crate) pods: BTreeMap<ObjectKey, PodRt>,
    pub(crate) images: ImageManager,
    pub(crate) crash_backoff: Backoff,
    /// The node's podCIDR, once the node IPAM controller has given it one.
    pub(crate) cidr: Option<PodCidr>,
    queued: WorkQueue<ObjectKey>,
    requeue: BTreeMap<ObjectKey, u64>,
    requeue_seq: u64,
    heartbeats: u64,
    unschedulable: bool,
}

impl Task {
    pub fn is_background(&self) -> bool {
        matches!(self, Task::Heartbeat)
    }
}

impl Kubelet {
    /// A kubelet for `node`, on a machine with address `ip`.
    pub fn new(node: &Node, rng: Rng, ip: &str) -> Self {
        Kubelet {
            node: node.metadata.name.clone().unwrap_or_default(),
            node_ip: ip.to_string(),
            rng,
            pods: BTreeMap::new(),
            images: ImageManager::default(),
            crash_backoff: Backoff::kubelet_default(),
            cidr: pod_cidr_of(node),
            queued: WorkQueue::default(),
            requeue: BTreeMap::new(),
            requeue_seq: 0,
            heartbeats: 0,
            unschedulable: node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true),
        }
    }

    pub fn node_ip(&self) -> &str {
        &self.node_ip
    }

    pub fn node_name(&self) -> &str {
        &self.node
    }

    /// The images the machine holds, which survive a restart of the machine.
    pub fn images_present(&self) -> std::collections::BTreeSet<String> {
        self.images.present()
    }

    /// A kubelet booting on a machine that already holds these images.
    pub fn with_images(mut self, present: std::collections::BTreeSet<String>) -> Self {
        self.images = ImageManager::with_present(present);
        self
    }

    /// What a machine keeps on disk for the pod network: host-local's last reserved address,
    /// so pods started after a reboot get the next addresses, not their old ones.
    pub fn last_pod_ip(&self) -> Option<u8> {
        self.cidr.as_ref().map(crate::net::ipam::PodCidr::last_reserved)
    }

    pub fn with_last_pod_ip(mut self, last: Option<u8>) -> Self {
        if let (Some(c), Some(l)) = (self.cidr.as_mut(), last) {
            c.resume_after(l);
        }
        self
    }

    /// Queues a sync of the pod: now (once, however often asked), or after `delay` as the
    /// pod's single pending requeue.
    pub(crate) fn queue_sync(&mut self, key: &ObjectKey, delay: Millis, cx: &mut Cx<'_, Task>) {
        if delay > 0 {
            self.requeue_seq += 1;
            self.requeue.insert(key.clone(), self.requeue_seq);
            cx.after(delay, Task::Resync(key.clone(), self.requeue_seq));
        } else {
            self.queued.add(key, cx, Task::SyncPod);
        }
    }

    /// A sync after the runtime noticed a change (PLEG's relist), independent of requeues.
    pub(crate) fn pleg_sync(&self, key: &ObjectKey, delay: Millis, cx: &mut Cx<'_, Task>) {
        self.later(delay, Task::Relist(key.clone()), cx);
    }

    pub(crate) fn later(&self, delay: Millis, task: Task, cx: &mut Cx<'_, Task>) {
        cx.after(delay, task);
    }

    pub fn on_watch(&mut self, ev: &WatchEvent, cx: &mut Cx<'_, Task>) {
        match &ev.object {
            Object::Pod(pod) => {
                let mine = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(self.node.as_str());
                // The kubelet's pod config ignores changes that are only status (its own
                // writes among them), as `podsDifferSemantically` does.
                let unchanged = ev.kind == WatchEventType::Modified
                    && self.pods.get(&ev.key).is_some_and(|rt| same_pod(&rt.pod, pod));
                if (mine && !unchanged) || (ev.kind == WatchEventType::Deleted && self.pods.contains_key(&ev.key)) {
                    self.queue_sync(&ev.key, 0, cx);
                }
            }
            Object::Node(node) if ev.key.name == self.node => {
                // `recordNodeSchedulableEvent`: a cordon or uncordon.
                let unschedulable = node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
                if ev.kind == WatchEventType::Modified && unschedulable != self.unschedulable {
                    let word = if unschedulable {
                        "NodeNotSchedulable"
                    } else {
                        "NodeSchedulable"
                    };
                    node_status::record(&self.node, word, cx);
                }
                self.unschedulable = unschedulable;
                if self.cidr.is_none() {
                    // The node IPAM controller handed out the podCIDR: sandboxes can get IPs.
                    self.cidr = pod_cidr_of(node);
                }
                if ev.kind != WatchEventType::Added {
                    return;
                }
                self.later(0, Task::NodeStarted, cx);
                let has_status = node
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|c| !c.is_empty());
                if !has_status {
                    self.later(0, Task::RegisterNode, cx);
                }
            }
            _ => {}
        }
    }

    pub fn run(&mut self, task: Task, cx: &mut Cx<'_, Task>) {
        match task {
            Task::SyncPod(key, at) => {
                if self.queued.take(&key, at) {
                    self.sync_pod(&key, cx);
                }
            }
            Task::Relist(key) => self.sync_pod(&key, cx),
            Task::Resync(key, generation) => {
                if self.requeue.get(&key) == Some(&generation) {
                    self.sync_pod(&key, cx);
                }
            }
            Task::SandboxReady(key, uid) => self.sandbox_ready(&key, &uid, cx),
            Task::PullDone(id) => self.pull_done(id, cx),
            Task::Wake { pod, container, seq } => self.wake(&pod, &container, seq, cx),
            Task::Kill { pod, container, id } => self.kill(&pod, &container, &id, cx),
            Task::Probe {
                pod,
                uid,
                worker,
                periodic,
            } => self.probe(&pod, &uid, worker, periodic, cx),
            Task::NodeStarted => {
                node_status::record_start(&self.node, cx);
                self.later(0, Task::NodeReady, cx);
            }
            Task::NodeReady => node_status::record_ready(&self.node, cx),
            Task::Heartbeat => {
                node_status::heartbeat(&self.node, self.heartbeats, cx);
                self.heartbeats = self.heartbeats.wrapping_add(1);
                self.later(node_status::LEASE_RENEW, Task::Heartbeat, cx);
            }
            Task::Restarted => {
                node_status::record_start(&self.node, cx);
                node_status::post_ready(&self.node, cx);
                self.later(0, Task::NodeReady, cx);
                self.later(0, Task::Heartbeat, cx);
                let pods: Vec<ObjectKey> = cx
                    .api
                    .store()
                    .indexes()
                    .pods_on_node(&self.node)
                    .iter()
                    .cloned()
                    .collect();
                for key in pods {
                    self.queue_sync(&key, 0, cx);
                }
            }
            Task::RegisterNode => {
                if let Some(Object::Node(n)) = cx.api.get(crate::store::Kind::Node, "", &self.node).cloned() {
                    let done = node_status::complete_user_node(&n, &self.node_ip, cx.now);
                    let _ = cx.api.update(Object::Node(done.clone()));
                    let _ = cx.api.update_status(&Object::Node(done));
                }
            }
        }
    }
}

/// The node's `spec.podCIDR`, as the pod IP range of kindnet's host-local IPAM.
fn pod_cidr_of(node: &Node) -> Option<PodCidr> {
    node.spec
        .as_ref()
        .and_then(|s| s.pod_cidr.as_deref())
        .and_then(PodCidr::parse)
}

/// How long a sandbox waits for the node's podCIDR before the CNI plugin is tried again.
pub(crate) const NO_CIDR_RETRY: Millis = SECOND;

impl Kubelet {
    /// What a container wrote, as the kubelet serves `/containerLogs`: the current instance,
    /// or with `previous` the one before. None if the kubelet has no such container.
    pub fn container_logs(
        &self,
        key: &ObjectKey,
        container: &str,
        previous: bool,
    ) -> Option<Vec<crate::runtime::LogLine>> {
        let c = self.pods.get(key)?.find(container)?;
        c.log_lines(previous)
    }

    /// The current instance's id and whether its process runs.
    pub fn container_instance(&self, key: &ObjectKey, container: &str) -> Option<(String, bool)> {
        let i = self.pods.get(key)?.find(container)?.current.as_ref()?;
        Some((i.id.clone(), i.running()))
    }
}
