//! kube-controller-manager: one component holding a table of controllers. Each controller is a
//! level-triggered `reconcile(key)` that reads the store and writes through the API server like
//! any client, fed by a work queue that its informers fill from watch events.
//!
//! # How to add a controller
//! Write one file here with a type implementing [`Controller`]: the kinds it watches, how an
//! event maps to the keys it reconciles (its own objects, and an owner found through a
//! dependent's controller reference), and `reconcile`. Then add one line to [`table`]. Nothing
//! outside this folder changes: the composition layer hands every controller the events of
//! the kinds it names, and the manager keeps its queue. A controller that wants to look again
//! later calls `cx.after(delay, key)`; one whose reconcile fails returns the error and is
//! retried with the work queue's exponential back-off.

mod cron;
pub mod cronjob;
pub mod daemonset;
pub mod deployment;
mod deployment_util;
pub mod disruption;
pub mod garbage_collector;
pub mod horizontal;
pub mod job;
pub mod job_policy;
pub mod namespace;
pub mod node_ipam;
pub mod node_lifecycle;
pub mod podgc;
mod podutil;
mod ref_manager;
pub mod replicaset;
pub mod resourcequota;
pub mod statefulset;
pub mod taint_eviction;
pub mod ttl_after_finished;

use std::collections::BTreeMap;

use crate::api::ApiError;
use crate::api::workqueue::WorkQueue;
use crate::sim::Context;
use crate::sim::clock::Millis;
use crate::store::{Kind, ObjectKey, Store, WatchEvent};

/// Parses a CronJob schedule as the controller will, for the API server's validation.
pub fn parse_schedule(s: &str) -> Result<(), String> {
    cron::Schedule::parse(s).map(|_| ())
}

/// Loads a CronJob's `spec.timeZone` as the controller will (`time.LoadLocation`).
pub fn load_time_zone(name: &str) -> Result<(), String> {
    cron::load_location(name).map(|_| ())
}

/// The context a controller runs with: the API, and timers that requeue one of its keys.
pub type Cx<'a> = crate::api::Cx<'a, ObjectKey>;

/// Keys an event wakes, each with the delay before its reconcile.
pub type Wakes = Vec<(ObjectKey, Millis)>;

pub trait Controller {
    /// The name kube-controller-manager's `--controllers` flag knows it by.
    fn name(&self) -> &'static str;
    /// The kinds whose watch events reach this controller.
    fn watches(&self) -> &'static [Kind];
    /// Sees an event before [`Controller::keys`]; for a controller that must remember the last
    /// state of an object the event removes (the informer's final state of a deleted object).
    fn observe(&mut self, _ev: &WatchEvent) {}
    /// The keys one event asks this controller to reconcile.
    fn keys(&self, ev: &WatchEvent, store: &Store, out: &mut Wakes);
    /// Moves the object under `key` towards its spec. An error requeues the key with back-off.
    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError>;
    /// A controller whose work is periodic upkeep (a health monitor): its queued work does not
    /// count as the cluster being busy.
    fn background(&self) -> bool {
        false
    }
}

/// The controllers kube-controller-manager runs, in the order events reach them.
fn table() -> Vec<Box<dyn Controller>> {
    vec![
        Box::new(namespace::NamespaceController),
        Box::new(node_ipam::NodeIpamController::default()),
        Box::new(node_lifecycle::NodeLifecycleController::default()),
        Box::new(deployment::DeploymentController),
        Box::new(replicaset::ReplicaSetController),
        Box::new(statefulset::StatefulSetController),
        Box::new(daemonset::DaemonSetController),
        Box::new(job::JobController::default()),
        Box::new(cronjob::CronJobController),
        Box::new(ttl_after_finished::TtlAfterFinished),
        Box::new(disruption::DisruptionController),
        Box::new(resourcequota::ResourceQuotaController),
        Box::new(horizontal::HorizontalController),
        Box::new(garbage_collector::GarbageCollector),
        Box::new(podgc::PodGc::default()),
        Box::new(taint_eviction::TaintEvictionController::default()),
    ]
}

/// A queued reconcile: controller, key, and the instant it was queued for.
#[derive(Clone, Debug)]
pub struct Task {
    controller: usize,
    key: ObjectKey,
    at: Millis,
    background: bool,
}

impl Task {
    pub fn is_background(&self) -> bool {
        self.background
    }
}

pub struct ControllerManager {
    controllers: Vec<Box<dyn Controller>>,
    queues: Vec<WorkQueue<ObjectKey>>,
    by_kind: BTreeMap<Kind, Vec<usize>>,
    clients: Vec<ClientRateLimit>,
}

/// kube-controller-manager's API client limit (`--kube-api-qps=20`, `--kube-api-burst=30`):
/// a token bucket per controller, as each gets its own client (kind runs it with
/// `--use-service-account-credentials`). A reconcile may overdraw it (a ReplicaSet creates up to
/// 500 pods in one sync); that controller's next reconcile then waits until the debt is paid, so
/// a million replicas come at 20 pods a second, as on a real cluster, instead of in one instant.
struct ClientRateLimit {
    /// Thousandths of a token.
    milli_tokens: i64,
    last: Millis,
}

const QPS: i64 = 20;
const BURST: i64 = 30;

impl ClientRateLimit {
    fn refill(&mut self, now: Millis) {
        let elapsed = crate::num::i64_of(now.saturating_sub(self.last));
        self.milli_tokens = self
            .milli_tokens
            .saturating_add(elapsed.saturating_mul(QPS))
            .min(BURST * 1000);
        self.last = now;
    }

    /// How long until one token is there.
    fn wait(&self) -> Millis {
        let missing = 1000i64.saturating_sub(self.milli_tokens);
        crate::num::u64_clamped(missing.saturating_add(QPS - 1) / QPS)
    }

    fn spend(&mut self, writes: u64) {
        self.milli_tokens = self
            .milli_tokens
            .saturating_sub(crate::num::i64_of(writes).saturating_mul(1000));
    }
}

impl Default for ControllerManager {
    fn default() -> Self {
        let controllers = table();
        let mut by_kind: BTreeMap<Kind, Vec<usize>> = BTreeMap::new();
        for (i, c) in controllers.iter().enumerate() {
            for kind in c.watches() {
                by_kind.entry(*kind).or_default().push(i);
            }
        }
        ControllerManager {
            queues: controllers.iter().map(|_| WorkQueue::default()).collect(),
            clients: controllers
                .iter()
                .map(|_| ClientRateLimit {
                    milli_tokens: BURST * 1000,
                    last: 0,
                })
                .collect(),
            controllers,
            by_kind,
        }
    }
}

impl ControllerManager {
    /// The kinds some controller watches: the manager's informers.
    pub fn watches(&self, kind: Kind) -> bool {
        self.by_kind.contains_key(&kind)
    }

    pub fn on_watch(&mut self, ev: &WatchEvent, cx: &mut crate::api::Cx<'_, Task>) {
        let Some(interested) = self.by_kind.get(&ev.key.kind) else {
            return;
        };
        let mut wakes = Wakes::new();
        for &i in interested {
            wakes.clear();
            if let Some(c) = self.controllers.get_mut(i) {
                c.observe(ev);
                c.keys(ev, cx.api.store(), &mut wakes);
            }
            let background = self.controllers.get(i).is_some_and(|c| c.background());
            if let Some(q) = self.queues.get_mut(i) {
                for (key, delay) in &wakes {
                    q.add_after(key, *delay, cx, |key, at| Task {
                        controller: i,
                        key,
                        at,
                        background,
                    });
                }
            }
        }
    }

    pub fn run(&mut self, task: Task, cx: &mut crate::api::Cx<'_, Task>) {
        let i = task.controller;
        let (Some(c), Some(q), Some(client)) = (
            self.controllers.get_mut(i),
            self.queues.get_mut(i),
            self.clients.get_mut(i),
        ) else {
            return;
        };
        if !q.take(&task.key, task.at) {
            return;
        }
        let background = task.background;
        let make = |key, at| Task {
            controller: i,
            key,
            at,
            background,
        };
        client.refill(cx.now);
        let wait = client.wait();
        if wait > 0 {
            q.add_after(&task.key, wait, cx, make);
            return;
        }
        let mut timers = Vec::new();
        let writes = cx.api.writes();
        let result = c.reconcile(&task.key, &mut Context::new(cx.now, cx.api, &mut timers));
        client.spend(cx.api.writes().saturating_sub(writes));
        match result {
            Ok(()) => q.forget(&task.key),
            Err(_) => q.add_rate_limited(&task.key, cx, make),
        }
        for (at, key) in timers {
            q.add_after(&key, at.saturating_sub(cx.now), cx, make);
        }
    }
}
