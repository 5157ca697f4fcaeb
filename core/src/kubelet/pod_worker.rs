//! The pod worker: one `SyncPod` per wake-up, doing what `computePodActions` decides — create
//! the sandbox, run init containers in order, start or restart containers (with the crash
//! back-off), stop everything when the pod is deleted — then report status.

use k8s_openapi::api::core::v1::Pod;

use super::container::{ContainerRt, Instance, InstanceState, Terminated};
use super::kuberuntime::StartResult;
use super::prober::{ProbeKind, ProbeResult, workers_for};
use super::{Kubelet, PodRt, Sandbox, Task, status};
use crate::api::Cx;
use crate::api::events::EventType;
use crate::sim::clock::{Millis, SECOND};
use crate::store::{Kind, Object, ObjectKey};

/// The pod worker's requeue after a sync error: `wait.Jitter(10s, 0.5)`.
const ERROR_BACKOFF: Millis = 10 * SECOND;

fn restart_policy(pod: &Pod) -> String {
    pod.spec
        .as_ref()
        .and_then(|s| s.restart_policy.clone())
        .unwrap_or_else(|| "Always".into())
}

impl Kubelet {
    pub(crate) fn sync_pod(&mut self, key: &ObjectKey, cx: &mut Cx<'_, Task>) {
        // This sync supersedes any pending requeue; it sets a new one if it fails.
        self.requeue.remove(key);
        let api_pod = match cx.api.get(Kind::Pod, &key.namespace, &key.name) {
            Some(Object::Pod(p))
                if p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(self.node.as_str()) =>
            {
                p.clone()
            }
            _ => return self.cleanup(key),
        };
        if self.reconcile_mirror(key, &api_pod, cx) {
            return;
        }
        let uid = api_pod.metadata.uid.clone().unwrap_or_default();
        // A new mirror of the same static pod is the same pod to the runtime.
        let same_static = super::mirror::config_mirror(&api_pod).is_some_and(|hash| {
            self.pods
                .get(key)
                .is_some_and(|rt| super::mirror::config_mirror(&rt.pod) == Some(hash))
        });
        if !same_static && self.pods.get(key).is_some_and(|rt| rt.uid != uid) {
            self.cleanup(key);
        }
        if !self.pods.contains_key(key) {
            self.admit(key, &api_pod, cx);
        }
        let Some(rt) = self.pods.get_mut(key) else {
            return;
        };
        rt.pod = api_pod.clone();
        if api_pod.metadata.deletion_timestamp.is_some() {
            return self.terminate(key, cx);
        }
        let policy = restart_policy(&api_pod);
        match rt.sandbox {
            Sandbox::None => {
                let recovered = rt.all().any(|c| c.current.is_some());
                if recovered && policy == "Never" {
                    // computePodActions: a pod that never restarts its containers gets no new
                    // sandbox; its containers stay exited and the pod fails.
                    rt.ip = api_pod.status.as_ref().and_then(|s| s.pod_ip.clone());
                    return self.write_status(key, cx);
                }
                rt.sandbox = Sandbox::Creating;
                // Containers of an earlier sandbox (the machine was restarted): it is replaced.
                if recovered {
                    let msg = "Pod sandbox changed, it will be killed and re-created.";
                    self.event(key, None, EventType::Normal, "SandboxChanged", msg, cx);
                }
                let delay = self.rng.range(400, 1_200);
                self.later(delay, Task::SandboxReady(key.clone(), uid), cx);
                return self.write_status(key, cx);
            }
            Sandbox::Creating => return self.write_status(key, cx),
            Sandbox::Ready => {}
        }
        let init_count = rt.init.len();
        self.restart_changed(key, cx);
        let mut sync_error = false;
        // Init containers run one at a time, in order.
        for i in 0..init_count {
            let Some(rt) = self.pods.get(key) else { return };
            let c = &rt.init[i];
            if c.succeeded() {
                continue;
            }
            if c.is_running() {
                return self.write_status(key, cx);
            }
            if c.current.is_some() && policy == "Never" {
                return self.write_status(key, cx);
            }
            let name = c.name().to_string();
            if c.current.is_some() && self.in_crash_backoff(key, &name, cx) {
                sync_error = true;
                break;
            }
            match self.start_container(key, &name, cx) {
                StartResult::Pulling => {}
                StartResult::Failed => sync_error = true,
                StartResult::Started => {}
            }
            self.write_status(key, cx);
            if sync_error {
                let delay = self.rng.jitter(ERROR_BACKOFF, 50);
                self.queue_sync(key, delay, cx);
            }
            return;
        }
        let names: Vec<String> = match self.pods.get(key) {
            Some(rt) if rt.init.iter().all(ContainerRt::succeeded) => {
                rt.containers.iter().map(|c| c.name().to_string()).collect()
            }
            _ => Vec::new(),
        };
        for name in names {
            let Some(c) = self.pods.get(key).and_then(|rt| rt.find(&name)) else {
                continue;
            };
            if c.is_running() {
                continue;
            }
            if let Some(t) = c.exited() {
                let restart = match policy.as_str() {
                    "Always" => true,
                    "OnFailure" => t.exit_code != 0,
                    _ => false,
                };
                if !restart {
                    continue;
                }
                if self.in_crash_backoff(key, &name, cx) {
                    sync_error = true;
                    continue;
                }
            }
            match self.start_container(key, &name, cx) {
                StartResult::Started => {}
                StartResult::Failed => sync_error = true,
                // Containers start in order: wait for this pull before the next one.
                StartResult::Pulling => break,
            }
        }
        self.write_status(key, cx);
        if sync_error {
            let delay = self.rng.jitter(ERROR_BACKOFF, 50);
            self.queue_sync(key, delay, cx);
        }
    }

    /// A container whose image was updated in the API is stopped, to start again with the new
    /// definition (only the image of a pod's container may change).
    fn restart_changed(&mut self, key: &ObjectKey, cx: &mut Cx<'_, Task>) {
        let Some(rt) = self.pods.get_mut(key) else {
            return;
        };
        let specs = rt.pod.spec.clone().unwrap_or_default();
        let mut changed = Vec::new();
        for c in rt.init.iter_mut().chain(rt.containers.iter_mut()) {
            let fresh = specs
                .containers
                .iter()
                .chain(specs.init_containers.iter().flatten())
                .find(|s| s.name == c.spec.name);
            if let Some(fresh) = fresh {
                c.spec.image = fresh.image.clone();
            }
            let image = c.spec.image.clone().unwrap_or_default();
            if c.current
                .as_ref()
                .is_some_and(|i| i.running() && i.image != image && i.kill_at.is_none())
            {
                changed.push(c.name().to_string());
            }
        }
        let grace = specs.termination_grace_period_seconds.unwrap_or(30);
        for name in changed {
            let why = format!("Container {name} definition changed, will be restarted");
            self.kill_container(key, &name, &why, grace, cx);
        }
    }

    /// First sight of a pod: set up its containers and probe workers.
    fn admit(&mut self, key: &ObjectKey, pod: &Pod, cx: &mut Cx<'_, Task>) {
        let spec = pod.spec.clone().unwrap_or_default();
        let st = pod.status.clone().unwrap_or_default();
        let init: Vec<ContainerRt> = spec
            .init_containers
            .iter()
            .flatten()
            .map(|c| {
                recovered(
                    ContainerRt::new(c.clone(), true),
                    st.init_container_statuses.as_deref(),
                    cx.now,
                )
            })
            .collect();
        let containers: Vec<ContainerRt> = spec
            .containers
            .iter()
            .map(|c| {
                recovered(
                    ContainerRt::new(c.clone(), false),
                    st.container_statuses.as_deref(),
                    cx.now,
                )
            })
            .collect();
        let probes = spec.containers.iter().flat_map(workers_for).collect::<Vec<_>>();
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        for (i, _) in probes.iter().enumerate() {
            self.later(
                0,
                Task::Probe {
                    pod: key.clone(),
                    uid: uid.clone(),
                    worker: i,
                    periodic: true,
                },
                cx,
            );
        }
        self.pods.insert(
            key.clone(),
            PodRt {
                uid,
                pod: pod.clone(),
                sandbox: Sandbox::None,
                ip: None,
                init,
                containers,
                start_time: cx.now,
                probes,
                terminating: false,
            },
        );
    }

    pub(crate) fn sandbox_ready(&mut self, key: &ObjectKey, uid: &str, cx: &mut Cx<'_, Task>) {
        let Some(rt) = self.pods.get_mut(key) else {
            return;
        };
        if rt.uid != uid || rt.sandbox != Sandbox::Creating {
            return;
        }
        let host_network = rt.pod.spec.as_ref().and_then(|s| s.host_network) == Some(true);
        if host_network {
            // A hostNetwork pod shares the node's network namespace, and its address.
            rt.ip = Some(self.node_ip.clone());
        } else {
            let Some(cidr) = self.cidr.as_mut() else {
                // No podCIDR yet: the CNI plugin cannot set up the network; it is tried again.
                let uid = uid.to_string();
                return self.later(super::NO_CIDR_RETRY, Task::SandboxReady(key.clone(), uid), cx);
            };
            rt.ip = cidr.allocate().map(|ip| ip.to_string());
        }
        rt.sandbox = Sandbox::Ready;
        self.queue_sync(key, 0, cx);
    }

    /// The pod is being deleted: stop every container, then report the final status and let
    /// the API server remove the object.
    fn terminate(&mut self, key: &ObjectKey, cx: &mut Cx<'_, Task>) {
        let Some(rt) = self.pods.get_mut(key) else {
            return;
        };
        if !rt.terminating {
            rt.terminating = true;
            let grace = rt.pod.metadata.deletion_grace_period_seconds.unwrap_or(30);
            let running: Vec<String> = rt
                .all()
                .filter(|c| c.is_running())
                .map(|c| c.name().to_string())
                .collect();
            for name in running {
                self.kill_container(key, &name, &format!("Stopping container {name}"), grace, cx);
            }
        }
        let Some(rt) = self.pods.get(key) else { return };
        if rt.all().any(ContainerRt::is_running) {
            return self.write_status(key, cx);
        }
        // Nothing started or everything stopped: waiting containers will never run now.
        if let Some(rt) = self.pods.get_mut(key) {
            for c in rt.init.iter_mut().chain(rt.containers.iter_mut()) {
                c.waiting = None;
            }
        }
        self.write_status(key, cx);
        let _ = cx.api.delete(key, Some(0));
        self.cleanup(key);
    }

    fn cleanup(&mut self, key: &ObjectKey) {
        if let Some(rt) = self.pods.remove(key)
            && let Some(ip) = rt.ip
            && let Some(cidr) = self.cidr.as_mut()
        {
            cidr.release(&ip);
        }
    }

    /// Derives readiness from the probe workers and writes the pod status if it changed.
    pub(crate) fn write_status(&mut self, key: &ObjectKey, cx: &mut Cx<'_, Task>) {
        let Some(rt) = self.pods.get_mut(key) else {
            return;
        };
        let mut trigger = Vec::new();
        for c in rt.containers.iter_mut() {
            let name = c.name().to_string();
            let readiness = rt
                .probes
                .iter()
                .position(|w| w.container == name && w.kind == ProbeKind::Readiness);
            let probe_ok = readiness.is_none_or(|i| rt.probes[i].result == ProbeResult::Success);
            c.ready = c.is_running() && c.started && probe_ok && !rt.terminating;
            if c.is_running()
                && !probe_ok
                && let Some(i) = readiness
            {
                trigger.push(i);
            }
        }
        let Some(Object::Pod(stored)) = cx.api.get(Kind::Pod, &key.namespace, &key.name).cloned() else {
            return;
        };
        let Some(rt) = self.pods.get(key) else { return };
        let new_status = status::generate(
            rt,
            stored.status.as_ref().unwrap_or(&Default::default()),
            &self.node_ip,
            cx.now,
        );
        if stored.status.as_ref() == Some(&new_status) {
            return;
        }
        let mut pod = stored;
        pod.status = Some(new_status);
        let uid = rt.uid.clone();
        let _ = cx.api.update_status(&Object::Pod(pod));
        // A running container that is not ready yet gets its readiness probe run now.
        for worker in trigger {
            self.later(
                0,
                Task::Probe {
                    pod: key.clone(),
                    uid: uid.clone(),
                    worker,
                    periodic: false,
                },
                cx,
            );
        }
    }
}

/// A container the runtime still knows from before the machine stopped (kind keeps
/// containerd's state on the node's `/var` volume): a container that was running comes back
/// exited with containerd's unknown state (exit code 255, reason `Unknown`, finished now;
/// containerd `internal/cri/server/restart.go`), and the kubelet starts it again with its
/// restart count one higher (`kuberuntime_container.go` `startContainer`).
fn recovered(
    mut c: ContainerRt,
    statuses: Option<&[k8s_openapi::api::core::v1::ContainerStatus]>,
    now: Millis,
) -> ContainerRt {
    let Some(old) = statuses.into_iter().flatten().find(|s| s.name == c.name()) else {
        return c;
    };
    let state = old.state.clone().unwrap_or_default();
    let id = |s: Option<&String>| {
        s.map(|i| i.trim_start_matches("containerd://").to_string())
            .unwrap_or_default()
    };
    let terminated = if let Some(r) = &state.running {
        Terminated {
            exit_code: 255,
            reason: "Unknown".into(),
            message: None,
            started_at: r.started_at.as_ref().map_or(now, crate::sim::clock::from_api_time),
            finished_at: now,
            container_id: id(old.container_id.as_ref()),
        }
    } else if let Some(t) = &state.terminated {
        Terminated {
            exit_code: t.exit_code,
            reason: t.reason.clone().unwrap_or_default(),
            message: t.message.clone(),
            started_at: t.started_at.as_ref().map_or(now, crate::sim::clock::from_api_time),
            finished_at: t.finished_at.as_ref().map_or(now, crate::sim::clock::from_api_time),
            container_id: id(t.container_id.as_ref()),
        }
    } else {
        return c;
    };
    c.restart_count = old.restart_count;
    c.last_termination = old
        .last_state
        .as_ref()
        .and_then(|l| l.terminated.as_ref())
        .map(|t| Terminated {
            exit_code: t.exit_code,
            reason: t.reason.clone().unwrap_or_default(),
            message: t.message.clone(),
            started_at: t.started_at.as_ref().map_or(now, crate::sim::clock::from_api_time),
            finished_at: t.finished_at.as_ref().map_or(now, crate::sim::clock::from_api_time),
            container_id: id(t.container_id.as_ref()),
        });
    c.current = Some(Instance {
        id: terminated.container_id.clone(),
        image: old.image.clone(),
        started_at: terminated.started_at,
        state: InstanceState::Exited(terminated),
        fs: Default::default(),
        logs: Vec::new(),
        kill_at: None,
        wake_seq: 0,
        env: Vec::new(),
        hostname: String::new(),
    });
    c
}
