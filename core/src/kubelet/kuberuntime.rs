//! The container runtime side of the kubelet (kuberuntime_manager.go and
//! kuberuntime_container.go): start a container (image, environment, command), run its
//! process, notice it exit, stop it with its stop signal and SIGKILL after the grace period, and
//! the restart back-off between runs.

use super::container::{self, Instance, InstanceState, Terminated};
use super::images::Ensure;
use super::{Kubelet, Task, env};
use crate::api::Cx;
use crate::api::events::EventType;
use crate::runtime::{Signal, Status};
use crate::sim::clock::{go_duration, seconds};
use crate::store::ObjectKey;

/// `minimumGracePeriodInSeconds`.
const MIN_GRACE: i64 = 2;

pub(crate) enum StartResult {
    Started,
    Pulling,
    Failed,
}

impl Kubelet {
    /// The current run of a container, if it has one.
    fn instance_mut(&mut self, key: &ObjectKey, name: &str) -> Option<&mut Instance> {
        self.pods
            .get_mut(key)
            .and_then(|rt| rt.find_mut(name))
            .and_then(|c| c.current.as_mut())
    }

    /// Stops a container with a `Killing` event saying why.
    pub(crate) fn kill_container(&mut self, key: &ObjectKey, name: &str, why: &str, grace: i64, cx: &mut Cx<'_, Task>) {
        let field = self.field_path(key, name);
        self.event(key, field, EventType::Normal, "Killing", why, cx);
        self.stop_container(key, name, grace, cx);
    }

    /// Whether a container that exited must still wait; if so, it shows CrashLoopBackOff.
    pub(crate) fn in_crash_backoff(&mut self, key: &ObjectKey, name: &str, cx: &mut Cx<'_, Task>) -> bool {
        let Some(rt) = self.pods.get(key) else {
            return false;
        };
        if rt.find(name).is_some_and(|c| c.start_pending) {
            return false;
        }
        let Some(finished) = rt.find(name).and_then(|c| c.exited()).map(|t| t.finished_at) else {
            return false;
        };
        // The kubelet keys back-off by pod and container *definition*: a changed container
        // starts afresh.
        let image = rt.find(name).and_then(|c| c.spec.image.clone()).unwrap_or_default();
        let backoff_key = format!(
            "{}_{}_{}_{}_{image}",
            rt.pod.metadata.name.as_deref().unwrap_or(""),
            key.namespace,
            rt.uid,
            name
        );
        if self.crash_backoff.in_backoff_since(&backoff_key, finished, cx.now) {
            let pod_desc = format!("{}_{}({})", key.name, key.namespace, rt.uid);
            let dur = go_duration(self.crash_backoff.get(&backoff_key));
            let msg = format!("back-off {dur} restarting failed container={name} pod={pod_desc}");
            let field = self.field_path(key, name);
            let event = format!("Back-off restarting failed container {name} in pod {pod_desc}");
            self.event(key, field, EventType::Warning, "BackOff", &event, cx);
            if let Some(c) = self.pods.get_mut(key).and_then(|rt| rt.find_mut(name)) {
                c.waiting = Some(("CrashLoopBackOff".into(), msg));
            }
            return true;
        }
        self.crash_backoff.next(&backoff_key, cx.now);
        false
    }

    pub(crate) fn start_container(&mut self, key: &ObjectKey, name: &str, cx: &mut Cx<'_, Task>) -> StartResult {
        let Some(rt) = self.pods.get(key) else {
            return StartResult::Failed;
        };
        let Some(c) = rt.find(name) else {
            return StartResult::Failed;
        };
        let spec = c.spec.clone();
        let uid = rt.uid.clone();
        let pod = rt.pod.clone();
        let pod_ip = rt.ip.clone();
        let image = spec.image.clone().unwrap_or_default();
        let policy = spec.image_pull_policy.clone().unwrap_or_else(|| "IfNotPresent".into());
        let field = self.field_path(key, name);
        let (info, reference) = match self.ensure_image(key, &uid, name, &image, &policy, cx) {
            Ensure::Ready(info, r) => (info, r),
            // While a pull runs the status keeps its last word (ContainerCreating at first,
            // ErrImagePull or ImagePullBackOff on a retry), as SyncPod blocks on the pull.
            Ensure::Pulling => {
                if let Some(c) = self.pods.get_mut(key).and_then(|rt| rt.find_mut(name)) {
                    c.start_pending = true;
                }
                return StartResult::Pulling;
            }
            Ensure::Failed(reason, msg) => {
                if let Some(c) = self.pods.get_mut(key).and_then(|rt| rt.find_mut(name)) {
                    c.start_pending = false;
                }
                if reason == "ImagePullBackOff" {
                    self.event(key, field, EventType::Warning, "Failed", "Error: ImagePullBackOff", cx);
                }
                if let Some(c) = self.pods.get_mut(key).and_then(|rt| rt.find_mut(name)) {
                    c.waiting = Some((reason.into(), msg));
                }
                return StartResult::Failed;
            }
        };
        let env = match env::resolve(&spec, &pod, cx.api, pod_ip.as_deref(), &self.node_ip) {
            Ok(e) => e,
            Err(msg) => {
                self.event(key, field, EventType::Warning, "Failed", &format!("Error: {msg}"), cx);
                if let Some(c) = self.pods.get_mut(key).and_then(|rt| rt.find_mut(name)) {
                    c.waiting = Some(("CreateContainerConfigError".into(), msg));
                }
                return StartResult::Failed;
            }
        };
        let argv: Vec<String> = container::argv(&spec, info)
            .iter()
            .map(|a| env::expand(a, &env))
            .collect();
        let id = self.rng.hex(64);
        self.event(
            key,
            field.clone(),
            EventType::Normal,
            "Created",
            "Container created",
            cx,
        );
        let spawned = container::spawn(info, &reference, &argv);
        let hostname: String = pod
            .spec
            .as_ref()
            .and_then(|s| s.hostname.clone())
            .unwrap_or_else(|| key.name.chars().take(63).collect());
        let has_startup = spec.startup_probe.is_some();
        let Some(c) = self.pods.get_mut(key).and_then(|rt| rt.find_mut(name)) else {
            return StartResult::Failed;
        };
        if let Some(prev) = c.current.take() {
            let Instance { state, logs, .. } = prev;
            c.previous_logs = Some(logs);
            if let InstanceState::Exited(t) = state {
                c.last_termination = Some(t);
            }
            c.restart_count += 1;
        }
        c.waiting = None;
        c.start_pending = false;
        c.ready = false;
        c.started = !has_startup;
        c.image_ref = Some(reference.full());
        let mut fs = container::image_files(&reference);
        let _ = fs.write("/etc/hostname", &format!("{hostname}\n"));
        let mut inst = Instance {
            id: id.clone(),
            image: image.clone(),
            started_at: cx.now,
            state: InstanceState::Exited(Terminated {
                exit_code: 128,
                reason: "StartError".into(),
                message: None,
                started_at: cx.now,
                finished_at: cx.now,
                container_id: id.clone(),
            }),
            fs,
            logs: Vec::new(),
            kill_at: None,
            wake_seq: 0,
            env,
            hostname,
        };
        match spawned {
            Err(e) => {
                let msg = format!(
                    "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {e}: unknown"
                );
                if let InstanceState::Exited(t) = &mut inst.state {
                    t.message = Some(msg.clone());
                }
                c.current = Some(inst);
                self.event(key, field, EventType::Warning, "Failed", &format!("Error: {msg}"), cx);
                let delay = self.rng.range(0, 1_000);
                self.pleg_sync(key, delay, cx);
                StartResult::Failed
            }
            Ok(process) => {
                inst.state = InstanceState::Running(process);
                let st = inst.drive(cx.now, |p, pcx| p.start(pcx)).unwrap_or(Status::Exited(128));
                c.current = Some(inst);
                self.event(key, field, EventType::Normal, "Started", "Container started", cx);
                self.after_run(key, name, st, cx);
                StartResult::Started
            }
        }
    }

    /// Acts on what a process reported after running: schedule its wake-up, or record its exit.
    pub(crate) fn after_run(&mut self, key: &ObjectKey, name: &str, st: Status, cx: &mut Cx<'_, Task>) {
        let Some(c) = self.pods.get_mut(key).and_then(|rt| rt.find_mut(name)) else {
            return;
        };
        let Some(inst) = c.current.as_mut() else {
            return;
        };
        match st {
            Status::Running(Some(at)) => {
                inst.wake_seq += 1;
                let task = Task::Wake {
                    pod: key.clone(),
                    container: name.into(),
                    seq: inst.wake_seq,
                };
                self.later(at.saturating_sub(cx.now), task, cx);
            }
            Status::Running(None) => {}
            Status::Exited(code) => self.exited(key, name, code, cx),
            Status::OomKilled => self.terminated(key, name, 137, "OOMKilled", cx),
        }
    }

    pub(crate) fn exited(&mut self, key: &ObjectKey, name: &str, code: i32, cx: &mut Cx<'_, Task>) {
        let reason = if code == 0 { "Completed" } else { "Error" };
        self.terminated(key, name, code, reason, cx);
    }

    fn terminated(&mut self, key: &ObjectKey, name: &str, code: i32, reason: &str, cx: &mut Cx<'_, Task>) {
        let Some(c) = self.pods.get_mut(key).and_then(|rt| rt.find_mut(name)) else {
            return;
        };
        let Some(inst) = c.current.as_mut() else {
            return;
        };
        if !inst.running() {
            return;
        }
        inst.state = InstanceState::Exited(Terminated {
            exit_code: code,
            reason: reason.into(),
            message: None,
            started_at: inst.started_at,
            finished_at: cx.now,
            container_id: inst.id.clone(),
        });
        c.ready = false;
        // PLEG notices the exit at its next relist, within a second.
        let delay = self.rng.range(0, 1_000);
        self.pleg_sync(key, delay, cx);
    }

    pub(crate) fn wake(&mut self, key: &ObjectKey, name: &str, seq: u64, cx: &mut Cx<'_, Task>) {
        let Some(inst) = self.instance_mut(key, name) else {
            return;
        };
        if inst.wake_seq != seq {
            return;
        }
        if let Some(st) = inst.drive(cx.now, |p, pcx| p.wake(pcx)) {
            self.after_run(key, name, st, cx);
        }
    }

    /// Sends the container its stop signal; SIGKILL follows after the grace period.
    pub(crate) fn stop_container(&mut self, key: &ObjectKey, name: &str, grace_seconds: i64, cx: &mut Cx<'_, Task>) {
        let Some(c) = self.pods.get_mut(key).and_then(|rt| rt.find_mut(name)) else {
            return;
        };
        let image = c
            .image_ref
            .as_deref()
            .and_then(|r| crate::runtime::images::resolve(r).ok())
            .map(|(i, _)| i);
        let Some(inst) = c.current.as_mut().filter(|i| i.running() && i.kill_at.is_none()) else {
            return;
        };
        let grace = seconds(grace_seconds.max(MIN_GRACE));
        inst.kill_at = Some(cx.now.saturating_add(grace));
        let id = inst.id.clone();
        let signal = container::stop_signal(image);
        let st = inst.drive(cx.now, |p, pcx| p.signal(signal, pcx));
        self.later(
            grace,
            Task::Kill {
                pod: key.clone(),
                container: name.into(),
                id,
            },
            cx,
        );
        if let Some(st) = st {
            self.after_run(key, name, st, cx);
        }
    }

    pub(crate) fn kill(&mut self, key: &ObjectKey, name: &str, id: &str, cx: &mut Cx<'_, Task>) {
        let Some(inst) = self.instance_mut(key, name) else {
            return;
        };
        if inst.id != id || !inst.running() {
            return;
        }
        inst.drive(cx.now, |p, pcx| p.signal(Signal::Kill, pcx));
        self.exited(key, name, 137, cx);
    }
}
