//! The composition layer: builds a cluster from its topology and owns its components — the API
//! server, kube-controller-manager, kube-scheduler, and a kubelet per machine. It is the only
//! module that knows them all. It runs the kernel's tasks and plays the informers: each watch
//! event goes to the components whose informers would receive it, filtered as theirs are (a
//! kubelet sees only the pods bound to its node).

pub mod bootstrap;
mod client_watch;
pub mod exec;
mod machines;

pub use client_watch::WatchId;

use std::collections::BTreeMap;

use crate::api::{ApiServer, Cx};
use crate::controllers::{self, ControllerManager};
use crate::kubelet::{self, Kubelet};
use crate::scheduler::{self, Scheduler};
use crate::sim::clock::Millis;
use crate::sim::rng::Rng;
use crate::sim::{Context, Kernel};
use crate::store::{Kind, Object, WatchEvent, WatchEventType};
use crate::topology::ClusterSpec;
use machines::Network;

/// A task of one component.
#[derive(Clone, Debug)]
pub enum Task {
    Scheduler(scheduler::Task),
    /// A kubelet's task, for the boot of its machine that scheduled it.
    Kubelet(String, u32, kubelet::Task),
    Controllers(controllers::Task),
}

/// What [`World::wait_until`] does when nothing more is scheduled before its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idle {
    PassTime,
    GiveUp,
}

/// How long a client that would wait forever (`rollout status`, `drain` or `delete` without
/// `--timeout`, an attached `run`) waits in the terminal: an hour of virtual time. Running pods
/// probe and nodes heartbeat for ever, so "nothing more will happen" cannot always be told from
/// upkeep; a stuck wait must still give the terminal back.
pub const WAIT_LIMIT: Millis = 3600 * 1000;

/// kube-apiserver's `--min-request-timeout`, in milliseconds.
const MIN_REQUEST_TIMEOUT: Millis = 1800 * 1000;

/// What a stopped machine keeps: its address on the docker network and its disk (the images
/// containerd holds, host-local IPAM's state).
struct StoppedMachine {
    ip: String,
    images: std::collections::BTreeSet<String>,
    last_pod_ip: Option<u8>,
}

pub struct World {
    seed: u64,
    kernel: Kernel<Task>,
    api: ApiServer,
    scheduler: Scheduler,
    controllers: ControllerManager,
    kubelets: BTreeMap<String, Kubelet>,
    /// Each node's kube-proxy, fed the pods bound to the node as the kubelet is.
    proxies: BTreeMap<String, crate::net::kube_proxy::KubeProxy>,
    network: Network,
    /// Machines that are stopped (`docker stop`), with their address and the images their
    /// container keeps: their Node stays, their kubelet is gone.
    stopped: BTreeMap<String, StoppedMachine>,
    /// Boots per machine, so a restarted kubelet draws from a fresh stream.
    boots: BTreeMap<String, u32>,
    /// Watches kubectl holds open.
    client_watches: client_watch::ClientWatches,
}

/// Runs `f` with a context whose timers become kernel tasks through `wrap`.
fn drive<T>(kernel: &mut Kernel<Task>, api: &mut ApiServer, wrap: impl Fn(T) -> Task, f: impl FnOnce(&mut Cx<'_, T>)) {
    let now = kernel.now();
    api.set_now(now);
    let mut timers = Vec::new();
    f(&mut Context::new(now, api, &mut timers));
    for (at, t) in timers {
        kernel.schedule(at, wrap(t));
    }
}

impl World {
    /// A world with the default cluster (one control-plane node and two workers, as kind
    /// names them), already a couple of minutes old.
    pub fn new(seed: u64) -> Self {
        Self::with_cluster(seed, &ClusterSpec::kind_default())
    }

    pub fn with_cluster(seed: u64, cluster: &ClusterSpec) -> Self {
        let mut w = World {
            seed,
            kernel: Kernel::default(),
            api: ApiServer::new(Rng::derive(seed, "apiserver")),
            scheduler: Scheduler::new(Rng::derive(seed, "scheduler")),
            controllers: ControllerManager::default(),
            kubelets: BTreeMap::new(),
            proxies: BTreeMap::new(),
            network: Network::default(),
            stopped: BTreeMap::new(),
            boots: BTreeMap::new(),
            client_watches: Default::default(),
        };
        for node in &cluster.nodes {
            w.network.reserve(&node.ip);
        }
        bootstrap::bootstrap(&mut w.api, cluster);
        w.advance(bootstrap::WORKERS_JOIN_AFTER);
        bootstrap::join_workers(&mut w.api, cluster);
        w.advance(bootstrap::CLUSTER_AGE.saturating_sub(bootstrap::WORKERS_JOIN_AFTER));
        // What users create draws names from a stream of its own, so the cluster's own objects
        // do not shift every generated name in a transcript when they change.
        w.api.reseed(Rng::derive(seed, "apiserver/clients"));
        w
    }

    pub fn now(&self) -> Millis {
        self.kernel.now()
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn api(&self) -> &ApiServer {
        &self.api
    }

    /// The API for a client write (kubectl). Watchers are woken on the next step.
    pub fn api_mut(&mut self) -> &mut ApiServer {
        self.api.set_now(self.kernel.now());
        &mut self.api
    }

    /// The time of the next scheduled event, if any.
    pub fn next_deadline(&self) -> Option<Millis> {
        if self.api.has_pending_watch_events() {
            Some(self.now())
        } else {
            self.kernel.next_at()
        }
    }

    /// Tasks run since the world began. Work per virtual second is what bounds the wall time
    /// a page spends on it, so tests assert on this instead of timing anything.
    pub fn tasks_run(&self) -> u64 {
        self.kernel.tasks_run()
    }

    /// True once the kernel stopped a runaway instant.
    pub fn livelocked(&self) -> bool {
        self.kernel.livelocked()
    }

    /// Runs the next event, moving the clock to it. Returns false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        self.dispatch_watch_events();
        let Some(task) = self.kernel.pop_due(Millis::MAX) else {
            return false;
        };
        self.run(task);
        true
    }

    /// Runs every event due within `ms` and leaves the clock `ms` later.
    pub fn advance(&mut self, ms: Millis) {
        let until = self.now().saturating_add(ms);
        self.run_until(until);
        self.kernel.advance_to(until);
        self.api.set_now(self.now());
    }

    /// Runs every event due now: what the cluster does in the instant after a command.
    pub fn settle(&mut self) {
        self.advance(0);
    }

    /// Runs events up to `until` (inclusive) without moving the clock past the last one.
    pub fn run_until(&mut self, until: Millis) {
        loop {
            self.dispatch_watch_events();
            let Some(task) = self.kernel.pop_due(until) else {
                return;
            };
            self.run(task);
        }
    }

    /// Lets virtual time pass until `done` holds or `deadline` comes, as a client blocked on a
    /// watch would (`kubectl wait`, `rollout status`, `delete --wait`). True if `done` held.
    /// When nothing is scheduled before the deadline, `idle` says whether time passes up to it
    /// (an explicit timeout) or the wait gives up at once (a real client would block forever).
    pub fn wait_until(&mut self, deadline: Millis, idle: Idle, mut done: impl FnMut(&World) -> bool) -> bool {
        loop {
            self.settle();
            if done(self) {
                return true;
            }
            if self.livelocked() {
                return false;
            }
            let busy = self.api.has_pending_watch_events() || self.kernel.has_foreground();
            match self.next_deadline() {
                Some(t) if t <= deadline && (busy || idle == Idle::PassTime) => {
                    self.step();
                }
                _ if idle == Idle::PassTime => {
                    let left = deadline.saturating_sub(self.now());
                    self.advance(left);
                    return done(self);
                }
                _ => return false,
            }
        }
    }

    fn run(&mut self, task: Task) {
        let (kernel, api) = (&mut self.kernel, &mut self.api);
        match task {
            Task::Scheduler(t) => drive(kernel, api, Task::Scheduler, |cx| self.scheduler.run(t, cx)),
            Task::Kubelet(node, boot, t) => {
                // A stopped machine's kubelet is gone, and its work with it.
                let current = self.boots.get(&node).copied().unwrap_or(0);
                if let Some(k) = self.kubelets.get_mut(&node).filter(|_| boot == current) {
                    drive(kernel, api, |t| Task::Kubelet(node.clone(), boot, t), |cx| k.run(t, cx));
                }
            }
            Task::Controllers(t) => drive(kernel, api, Task::Controllers, |cx| self.controllers.run(t, cx)),
        }
        self.dispatch_watch_events();
    }

    /// Opens a client's watch of `kind` (in `namespace`, or all): it sees every change stored
    /// from now on. Changes a client made and not yet dispatched are delivered too.
    /// Returns the watch and the time the API server will end it: kube-apiserver gives a
    /// watch without `timeoutSeconds` a random lifetime between `--min-request-timeout`
    /// (1800 s) and twice that (apiserver pkg/endpoints/handlers/get.go).
    pub fn open_watch(&mut self, kind: Kind, namespace: Option<&str>) -> (WatchId, Millis) {
        let id = self.client_watches.open(kind, namespace);
        let mut rng = Rng::derive(self.seed, &format!("apiserver/watch/{id:?}"));
        let lifetime = MIN_REQUEST_TIMEOUT + rng.below(MIN_REQUEST_TIMEOUT);
        (id, self.now().saturating_add(lifetime))
    }

    /// The changes a watch saw since it was last read, with the time of each.
    pub fn read_watch(&mut self, id: WatchId) -> Vec<(Millis, WatchEvent)> {
        self.client_watches.take(id)
    }

    pub fn close_watch(&mut self, id: WatchId) {
        self.client_watches.close(id);
    }

    /// A container's log, from the kubelet of the pod's node (the API server's proxy to the
    /// kubelet's `/containerLogs`). None when the pod, its node's kubelet or the container is
    /// not there.
    pub fn container_logs(&self, namespace: &str, pod: &str, container: &str) -> Option<Vec<String>> {
        self.container_log_lines(namespace, pod, container, false)
            .map(|lines| lines.into_iter().map(|l| l.text).collect())
    }

    /// The id of the container's current instance and whether it runs: a followed log ends
    /// when its instance stops (the kubelet closes the stream at the process's exit).
    pub fn container_instance(&self, namespace: &str, pod: &str, container: &str) -> Option<(String, bool)> {
        let key = crate::store::ObjectKey::new(Kind::Pod, namespace, pod);
        let Some(Object::Pod(p)) = self.api.store().get(&key) else {
            return None;
        };
        let node = p.spec.as_ref()?.node_name.as_deref()?;
        self.kubelets.get(node)?.container_instance(&key, container)
    }

    /// The lines with their times, of the current instance or (`previous`) the one before.
    pub fn container_log_lines(
        &self,
        namespace: &str,
        pod: &str,
        container: &str,
        previous: bool,
    ) -> Option<Vec<crate::runtime::LogLine>> {
        let key = crate::store::ObjectKey::new(Kind::Pod, namespace, pod);
        let Some(Object::Pod(p)) = self.api.store().get(&key) else {
            return None;
        };
        let node = p.spec.as_ref()?.node_name.as_deref()?;
        self.kubelets.get(node)?.container_logs(&key, container, previous)
    }

    /// The machines, as `docker ps -a` lists kind's node containers: (name, running).
    pub fn machines_list(&self) -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = self.kubelets.keys().map(|n| (n.clone(), true)).collect();
        v.extend(self.stopped.keys().map(|n| (n.clone(), false)));
        v.sort();
        v
    }

    /// Stops a machine (`docker stop`): its kubelet and containers are gone at once; the Node
    /// and its pods stay in the API until the control plane notices. False if there is no such
    /// running machine.
    pub fn stop_machine(&mut self, name: &str) -> bool {
        let Some(k) = self.kubelets.remove(name) else {
            return self.stopped.contains_key(name);
        };
        let disk = StoppedMachine {
            ip: k.node_ip().to_string(),
            images: k.images_present(),
            last_pod_ip: k.last_pod_ip(),
        };
        self.stopped.insert(name.to_string(), disk);
        true
    }

    /// Starts a stopped machine (`docker start`): a new kubelet boots, posts its node status
    /// and runs the pods bound to it again. False if there is no such machine.
    pub fn start_machine(&mut self, name: &str) -> bool {
        if self.kubelets.contains_key(name) {
            return true;
        }
        let Some(StoppedMachine {
            ip,
            images,
            last_pod_ip,
        }) = self.stopped.remove(name)
        else {
            return false;
        };
        let Some(Object::Node(node)) = self.api.get(Kind::Node, "", name).cloned() else {
            return true;
        };
        let boot = self.boots.entry(name.to_string()).or_insert(0);
        *boot = boot.saturating_add(1);
        let rng = Rng::derive(self.seed, &format!("kubelet/{name}/boot{boot}"));
        self.kubelets.insert(
            name.to_string(),
            Kubelet::new(&node, rng, &ip)
                .with_images(images)
                .with_last_pod_ip(last_pod_ip),
        );
        let boot = *boot;
        self.kernel.schedule(
            self.kernel.now(),
            Task::Kubelet(name.to_string(), boot, kubelet::Task::Restarted),
        );
        true
    }

    /// A Node appeared: start a machine with a kubelet for it, or take it away.
    fn machines(&mut self, ev: &WatchEvent) {
        let Object::Node(node) = &ev.object else {
            return;
        };
        let name = &ev.key.name;
        match ev.kind {
            WatchEventType::Added => {
                let own_ip = node
                    .status
                    .as_ref()
                    .and_then(|s| s.addresses.as_ref())
                    .and_then(|a| a.iter().find(|a| a.type_ == "InternalIP"))
                    .map(|a| a.address.clone());
                let ip = match own_ip {
                    Some(ip) => {
                        self.network.reserve(&ip);
                        ip
                    }
                    None => self.network.allocate().unwrap_or_default(),
                };
                let rng = Rng::derive(self.seed, &format!("kubelet/{name}"));
                self.kubelets
                    .entry(name.clone())
                    .or_insert_with(|| Kubelet::new(node, rng, &ip));
                let boot = self.boots.get(name).copied().unwrap_or(0);
                self.kernel.schedule_background(
                    self.kernel.now(),
                    Task::Kubelet(name.clone(), boot, kubelet::Task::Heartbeat),
                );
            }
            WatchEventType::Deleted => {
                if let Some(k) = self.kubelets.remove(name) {
                    self.network.release(k.node_ip());
                }
                if let Some(StoppedMachine { ip, .. }) = self.stopped.remove(name) {
                    self.network.release(&ip);
                }
            }
            WatchEventType::Modified => {}
        }
    }

    /// Hands every pending watch event to the informers that would receive it, until no more
    /// arrive. Components only queue work here; they act when their task runs.
    fn dispatch_watch_events(&mut self) {
        loop {
            let events = self.api.take_watch_events();
            if events.is_empty() {
                return;
            }
            for ev in &events {
                if !self.client_watches.is_empty() {
                    self.client_watches.deliver(self.kernel.now(), ev);
                }
                if ev.key.kind == Kind::Node {
                    self.machines(ev);
                }
                let (kernel, api) = (&mut self.kernel, &mut self.api);
                if matches!(ev.key.kind, Kind::Pod | Kind::Node) {
                    drive(kernel, api, Task::Scheduler, |cx| self.scheduler.on_watch(ev, cx));
                }
                // A kubelet's informers: pods whose spec.nodeName is its node, and its Node.
                let node = match &ev.object {
                    Object::Pod(p) => p.spec.as_ref().and_then(|s| s.node_name.as_deref()),
                    Object::Node(_) => Some(ev.key.name.as_str()),
                    _ => None,
                };
                if let (Some(n), Object::Pod(_)) = (node, &ev.object) {
                    api.set_now(kernel.now());
                    self.proxies.entry(n.to_string()).or_default().on_watch(n, ev, api);
                }
                if let Some(k) = node.and_then(|n| self.kubelets.get_mut(n)) {
                    let name = k.node_name().to_string();
                    let boot = self.boots.get(&name).copied().unwrap_or(0);
                    drive(
                        kernel,
                        api,
                        |t| Task::Kubelet(name.clone(), boot, t),
                        |cx| k.on_watch(ev, cx),
                    );
                }
                if self.controllers.watches(ev.key.kind) {
                    drive(kernel, api, Task::Controllers, |cx| self.controllers.on_watch(ev, cx));
                }
            }
        }
    }
}
