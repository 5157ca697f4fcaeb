//! The world: virtual clock, event queue, seeded randomness and the components of a cluster,
//! stepped one event at a time. Nothing here reads a wall clock; `advance` and `step` are the
//! only ways time moves.

pub mod bootstrap;
pub mod clock;
pub mod queue;
pub mod rng;

use std::collections::BTreeMap;

use crate::api::ApiServer;
use crate::controllers::namespace::NamespaceController;
use crate::kubelet::{self, Kubelet};
use crate::scheduler::{self, Scheduler};
use crate::store::{Kind, Object, WatchEventType};
use clock::Millis;
use queue::Queue;
use rng::Rng;

/// A unit of work a component asked to run at some instant.
#[derive(Clone, Debug)]
pub enum Task {
    Scheduler(scheduler::Task),
    Kubelet(String, kubelet::Task),
    Namespace(String),
}

/// What a component may touch while it runs: the API (its only way to change the cluster) and
/// the timer list (its only way to be woken later).
pub struct Cx<'a> {
    pub now: Millis,
    pub api: &'a mut ApiServer,
    timers: &'a mut Vec<(Millis, Task)>,
}

impl Cx<'_> {
    /// Runs `task` after `delay` milliseconds of virtual time.
    pub fn after(&mut self, delay: Millis, task: Task) {
        self.timers.push((self.now.saturating_add(delay), task));
    }
}

/// Work per instant beyond which the world stops and reports a livelock instead of hanging.
const MAX_TASKS_PER_INSTANT: usize = 200_000;

pub struct World {
    now: Millis,
    seed: u64,
    queue: Queue<Task>,
    api: ApiServer,
    scheduler: Scheduler,
    kubelets: BTreeMap<String, Kubelet>,
    namespaces: NamespaceController,
    tasks_at_instant: (Millis, usize),
    livelock: bool,
    /// Tasks run since the world began: the simulation's measure of work done.
    tasks_run: u64,
}

impl World {
    /// A world with the default cluster (one control-plane node and two workers, as kind
    /// names them), already a couple of minutes old.
    pub fn new(seed: u64) -> Self {
        Self::with_cluster(seed, &bootstrap::ClusterSpec::kind_default())
    }

    pub fn with_cluster(seed: u64, cluster: &bootstrap::ClusterSpec) -> Self {
        let mut w = World {
            now: 0,
            seed,
            queue: Queue::default(),
            api: ApiServer::new(Rng::derive(seed, "apiserver")),
            scheduler: Scheduler::new(Rng::derive(seed, "scheduler")),
            kubelets: BTreeMap::new(),
            namespaces: NamespaceController::default(),
            tasks_at_instant: (0, 0),
            livelock: false,
            tasks_run: 0,
        };
        bootstrap::bootstrap(&mut w.api, cluster);
        w.advance(bootstrap::CLUSTER_AGE);
        w
    }

    pub fn now(&self) -> Millis {
        self.now
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn api(&self) -> &ApiServer {
        &self.api
    }

    /// The API for a client write (kubectl). Watchers are woken on the next step.
    pub fn api_mut(&mut self) -> &mut ApiServer {
        self.api.set_now(self.now);
        &mut self.api
    }

    /// The time of the next scheduled event, if any.
    pub fn next_deadline(&self) -> Option<Millis> {
        if self.api.has_pending_watch_events() {
            Some(self.now)
        } else {
            self.queue.next_at()
        }
    }

    /// Tasks run since the world began. Work per virtual second is what bounds the wall time
    /// a page spends on it, so tests assert on this instead of timing anything.
    pub fn tasks_run(&self) -> u64 {
        self.tasks_run
    }

    /// True once the world stopped a runaway instant (see [`MAX_TASKS_PER_INSTANT`]).
    pub fn livelocked(&self) -> bool {
        self.livelock
    }

    /// Runs the next event, moving the clock to it. Returns false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        self.dispatch_watch_events();
        let Some((at, task)) = self.queue.pop_due(Millis::MAX) else {
            return false;
        };
        self.run(at, task);
        true
    }

    /// Runs every event due within `ms` and leaves the clock `ms` later.
    pub fn advance(&mut self, ms: Millis) {
        let until = self.now.saturating_add(ms);
        self.run_until(until);
        self.now = until;
        self.api.set_now(until);
    }

    /// Runs every event due now: what the cluster does in the instant after a command.
    pub fn settle(&mut self) {
        self.advance(0);
    }

    /// Runs events up to `until` (inclusive) without moving the clock past the last one.
    pub fn run_until(&mut self, until: Millis) {
        loop {
            self.dispatch_watch_events();
            if self.livelock {
                return;
            }
            let Some((at, task)) = self.queue.pop_due(until) else {
                return;
            };
            self.run(at, task);
        }
    }

    fn run(&mut self, at: Millis, task: Task) {
        self.tasks_run = self.tasks_run.saturating_add(1);
        self.now = self.now.max(at);
        self.api.set_now(self.now);
        if self.tasks_at_instant.0 == self.now {
            self.tasks_at_instant.1 += 1;
            if self.tasks_at_instant.1 > MAX_TASKS_PER_INSTANT {
                self.livelock = true;
                return;
            }
        } else {
            self.tasks_at_instant = (self.now, 1);
        }
        let mut timers = Vec::new();
        let mut cx = Cx {
            now: self.now,
            api: &mut self.api,
            timers: &mut timers,
        };
        match task {
            Task::Scheduler(t) => self.scheduler.run(t, &mut cx),
            Task::Kubelet(node, t) => {
                if let Some(k) = self.kubelets.get_mut(&node) {
                    k.run(t, &mut cx);
                }
            }
            Task::Namespace(name) => self.namespaces.reconcile(&name, &mut cx),
        }
        self.enqueue(timers);
        self.dispatch_watch_events();
    }

    fn enqueue(&mut self, timers: Vec<(Millis, Task)>) {
        for (at, task) in timers {
            self.queue.push(at.max(self.now), task);
        }
    }

    /// Hands every pending watch event to the components, as informers would, until no more
    /// arrive. Components only queue work here; they act when their task runs.
    fn dispatch_watch_events(&mut self) {
        loop {
            let events = self.api.take_watch_events();
            if events.is_empty() {
                return;
            }
            let mut timers = Vec::new();
            for ev in &events {
                if ev.key.kind == Kind::Node {
                    match ev.kind {
                        WatchEventType::Added => {
                            if let Object::Node(node) = &ev.object {
                                let name = ev.key.name.clone();
                                let rng = Rng::derive(self.seed, &format!("kubelet/{name}"));
                                // A node applied by a user takes the next free podCIDR and address, as the
                                // node IPAM controller and kind's network would give.
                                let cidrs: Vec<u8> = self.kubelets.values().map(Kubelet::pod_cidr_index).collect();
                                let ips: Vec<String> =
                                    self.kubelets.values().map(|k| k.node_ip().to_string()).collect();
                                let index = (0..=255u8).find(|i| !cidrs.contains(i)).unwrap_or(255);
                                let ip = (2..=254u8)
                                    .map(|x| format!("172.18.0.{x}"))
                                    .find(|ip| !ips.contains(ip))
                                    .unwrap_or_default();
                                self.kubelets
                                    .entry(name.clone())
                                    .or_insert_with(|| Kubelet::new(node, rng, index, &ip));
                            }
                        }
                        WatchEventType::Deleted => {
                            self.kubelets.remove(&ev.key.name);
                        }
                        WatchEventType::Modified => {}
                    }
                }
                let mut cx = Cx {
                    now: self.now,
                    api: &mut self.api,
                    timers: &mut timers,
                };
                self.scheduler.on_watch(ev, &mut cx);
                self.namespaces.on_watch(ev, &mut cx);
                for k in self.kubelets.values_mut() {
                    k.on_watch(ev, &mut cx);
                }
            }
            self.enqueue(timers);
        }
    }
}
