//! kube-scheduler: picks a node for each pod that has none, through the filter and score
//! plugins, and binds it. A pod that fits nowhere gets a `FailedScheduling` event and waits in
//! the unschedulable queue until the cluster changes (a node appears, a pod goes away) or five
//! minutes pass, with the 1s→10s per-pod back-off of pkg/scheduler/internal/queue.

mod cache;
pub mod framework;
pub mod plugins;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, PodSpec};

use crate::api::Cx;
use crate::api::events::{EventType, Source};
use crate::api::server::set_pod_condition;
use crate::api::workqueue::WorkQueue;
use crate::sim::clock::{MINUTE, Millis, SECOND};
use crate::sim::rng::Rng;
use crate::store::{Kind, Object, ObjectKey, WatchEvent, WatchEventType};
use framework::NodeInfo;

#[derive(Clone, Debug)]
pub enum Task {
    /// One scheduling cycle for a pod, queued for the given instant.
    ScheduleOne(ObjectKey, Millis),
    /// The periodic flush of a pod left unschedulable for five minutes; `attempt` drops
    /// stale timers.
    Retry(ObjectKey, u32),
}

/// `podMaxInUnschedulablePodsDuration`.
const UNSCHEDULABLE_FLUSH: Millis = 5 * MINUTE;
const INITIAL_BACKOFF: Millis = SECOND;
const MAX_BACKOFF: Millis = 10 * SECOND;

struct Unschedulable {
    attempts: u32,
    backoff_until: Millis,
    /// The pod's spec and labels when it failed: only a change there is worth a retry.
    seen: (Option<PodSpec>, Option<BTreeMap<String, String>>),
}

pub struct Scheduler {
    rng: Rng,
    active: WorkQueue<ObjectKey>,
    cache: cache::Cache,
    /// Each node's allocatable resources, parsed once per version of the node.
    allocatable: BTreeMap<String, (String, framework::Resources)>,
    /// What of each node matters to scheduling, to tell real changes from heartbeats.
    nodes: BTreeMap<String, String>,
    unschedulable: BTreeMap<ObjectKey, Unschedulable>,
}

const SOURCE: Source = Source {
    component: "default-scheduler",
    host: None,
};

fn needs_scheduling(pod: &Pod) -> bool {
    let spec = pod.spec.as_ref();
    spec.and_then(|s| s.node_name.as_deref()).unwrap_or("").is_empty()
        && spec
            .and_then(|s| s.scheduler_name.as_deref())
            .unwrap_or("default-scheduler")
            == "default-scheduler"
        && pod.metadata.deletion_timestamp.is_none()
}

fn is_terminal(pod: &Pod) -> bool {
    matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

impl Scheduler {
    pub fn new(rng: Rng) -> Self {
        Scheduler {
            rng,
            active: WorkQueue::default(),
            cache: cache::Cache::default(),
            nodes: BTreeMap::new(),
            allocatable: BTreeMap::new(),
            unschedulable: BTreeMap::new(),
        }
    }

    fn enqueue(&mut self, key: ObjectKey, at: Millis, cx: &mut Cx<'_, Task>) {
        self.active
            .add_after(&key, at.saturating_sub(cx.now), cx, Task::ScheduleOne);
    }

    /// A cluster event that may make waiting pods fit: move them all back, after back-off.
    fn move_all_to_active(&mut self, cx: &mut Cx<'_, Task>) {
        let waiting: Vec<(ObjectKey, Millis)> = self
            .unschedulable
            .iter()
            .map(|(k, u)| (k.clone(), u.backoff_until))
            .collect();
        for (key, at) in waiting {
            self.enqueue(key, at.max(cx.now), cx);
        }
    }

    pub fn on_watch(&mut self, ev: &WatchEvent, cx: &mut Cx<'_, Task>) {
        if let Object::Pod(pod) = &ev.object {
            let node = pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.as_deref())
                .filter(|n| !n.is_empty());
            let placed = ev.kind != WatchEventType::Deleted && !is_terminal(pod);
            self.cache.set(&ev.key, placed.then_some(pod), node.filter(|_| placed));
        }
        match (&ev.object, ev.kind) {
            (Object::Pod(pod), WatchEventType::Deleted) => {
                self.unschedulable.remove(&ev.key);
                if pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some() {
                    self.move_all_to_active(cx);
                }
            }
            (Object::Pod(pod), _) => {
                if needs_scheduling(pod) {
                    match self.unschedulable.get(&ev.key) {
                        Some(u) if u.seen == (pod.spec.clone(), pod.metadata.labels.clone()) => {}
                        Some(u) => {
                            let at = u.backoff_until.max(cx.now);
                            self.enqueue(ev.key.clone(), at, cx);
                        }
                        None => self.enqueue(ev.key.clone(), cx.now, cx),
                    }
                } else if is_terminal(pod) && ev.kind == WatchEventType::Modified {
                    self.move_all_to_active(cx);
                }
            }
            (Object::Node(n), WatchEventType::Added | WatchEventType::Modified) => {
                // Only a change that can make a pod fit is worth a retry (the queueing hints
                // for NodeUpdate): not a status heartbeat.
                let signature = node_signature(n);
                if self.nodes.get(&ev.key.name) != Some(&signature) {
                    self.nodes.insert(ev.key.name.clone(), signature);
                    self.move_all_to_active(cx);
                }
            }
            (Object::Node(_), WatchEventType::Deleted) => {
                self.nodes.remove(&ev.key.name);
            }
            _ => {}
        }
    }

    pub fn run(&mut self, task: Task, cx: &mut Cx<'_, Task>) {
        let key = match task {
            Task::ScheduleOne(key, at) => {
                if !self.active.take(&key, at) {
                    return;
                }
                key
            }
            Task::Retry(key, attempt) => match self.unschedulable.get(&key) {
                Some(u) if u.attempts == attempt => key,
                _ => return,
            },
        };
        let Some(Object::Pod(pod)) = cx.api.store().get(&key).cloned() else {
            self.unschedulable.remove(&key);
            return;
        };
        if !needs_scheduling(&pod) {
            self.unschedulable.remove(&key);
            return;
        }
        self.schedule_one(key, pod, cx);
    }

    fn schedule_one(&mut self, key: ObjectKey, pod: Pod, cx: &mut Cx<'_, Task>) {
        let nodes: Vec<_> = cx
            .api
            .list(Kind::Node, None)
            .filter_map(|o| if let Object::Node(n) = o { Some(n) } else { None })
            .collect();
        for n in &nodes {
            let name = n.metadata.name.as_deref().unwrap_or("");
            let rv = n.metadata.resource_version.as_deref().unwrap_or("");
            if self.allocatable.get(name).is_none_or(|(v, _)| v != rv) {
                self.allocatable
                    .insert(name.to_string(), (rv.to_string(), framework::allocatable(n)));
            }
        }
        let none = framework::Resources::default();
        let infos: Vec<NodeInfo<'_>> = nodes
            .iter()
            .map(|n| {
                let name = n.metadata.name.as_deref().unwrap_or("");
                let alloc = self.allocatable.get(name).map_or(&none, |(_, r)| r);
                NodeInfo::new(n, self.cache.usage(name), alloc)
            })
            .collect();
        let mut rejections = Vec::new();
        let mut feasible = Vec::new();
        for info in &infos {
            match plugins::filter(&pod, info) {
                Ok(()) => feasible.push(info),
                Err(r) => rejections.push(r),
            }
        }
        if feasible.is_empty() {
            let message = if infos.is_empty() {
                "no nodes available to schedule pods".to_string()
            } else {
                framework::fit_error(infos.len(), &rejections)
            };
            drop(infos);
            return self.fail(key, pod, &message, cx);
        }
        // Highest total wins; ties are broken at random, as selectHost's reservoir sampling does.
        let scores = plugins::scores(&pod, &feasible);
        let best_score = scores.iter().copied().max().unwrap_or(i64::MIN);
        let best: Vec<&NodeInfo<'_>> = feasible
            .iter()
            .zip(&scores)
            .filter(|(_, s)| **s == best_score)
            .map(|(n, _)| *n)
            .collect();
        let pick = crate::num::usize_of(self.rng.below(crate::num::u64_of(best.len())));
        let Some(chosen) = best.get(pick).map(|n| n.name().to_string()) else {
            return;
        };
        drop(infos);
        self.bind(key, &chosen, cx);
    }

    fn bind(&mut self, key: ObjectKey, node: &str, cx: &mut Cx<'_, Task>) {
        self.unschedulable.remove(&key);
        if let Ok(bound) = cx.api.bind(&key.namespace, &key.name, node) {
            let msg = format!("Successfully assigned {}/{} to {node}", key.namespace, key.name);
            cx.api
                .record_event(&bound, None, EventType::Normal, "Scheduled", &msg, &SOURCE);
        }
    }

    fn fail(&mut self, key: ObjectKey, mut pod: Pod, message: &str, cx: &mut Cx<'_, Task>) {
        let attempts = self.unschedulable.get(&key).map_or(0, |u| u.attempts) + 1;
        let backoff = (INITIAL_BACKOFF << (attempts - 1).min(10)).min(MAX_BACKOFF);
        self.unschedulable.insert(
            key.clone(),
            Unschedulable {
                attempts,
                backoff_until: cx.now + backoff,
                seen: (pod.spec.clone(), pod.metadata.labels.clone()),
            },
        );
        cx.api.record_event(
            &Object::Pod(pod.clone()),
            None,
            EventType::Warning,
            "FailedScheduling",
            message,
            &SOURCE,
        );
        set_pod_condition(
            &mut pod,
            "PodScheduled",
            "False",
            Some("Unschedulable"),
            Some(message),
            cx.now,
        );
        let _ = cx.api.update_status(&Object::Pod(pod));
        cx.after(UNSCHEDULABLE_FLUSH, Task::Retry(key, attempts));
    }
}

/// The parts of a Node the filters read: labels, taints, unschedulable, allocatable, and the
/// status of its conditions (not their heartbeat times).
fn node_signature(n: &k8s_openapi::api::core::v1::Node) -> String {
    let spec = n.spec.as_ref();
    let st = n.status.as_ref();
    let conditions: Vec<(&str, &str)> = st
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
        .map(|c| (c.type_.as_str(), c.status.as_str()))
        .collect();
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}",
        n.metadata.labels,
        spec.and_then(|s| s.taints.as_ref())
            .map(|t| t.iter().map(|t| (&t.key, &t.value, &t.effect)).collect::<Vec<_>>()),
        spec.and_then(|s| s.unschedulable),
        st.and_then(|s| s.allocatable.as_ref()),
        conditions
    )
}
