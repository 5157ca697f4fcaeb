//! Probe workers, one per probe of each container, with the semantics of
//! pkg/kubelet/prober/worker.go: readiness starts as Failure, liveness as Success, startup as
//! Unknown; results flip only after `failureThreshold`/`successThreshold` consecutive results;
//! liveness and readiness wait for startup; a failed liveness or startup probe holds the worker
//! until the container is replaced, and the kubelet restarts the container.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use k8s_openapi::api::core::v1::{Container, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::container::{ContainerRt, InstanceState};
use super::{Kubelet, Task};
use crate::api::Cx;
use crate::api::events::EventType;
use crate::runtime::ProcCx;
use crate::runtime::http::Request;
use crate::runtime::shell::{Shell, run_to_completion};
use crate::sim::clock::{Millis, seconds};
use crate::store::ObjectKey;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeKind {
    Startup,
    Readiness,
    Liveness,
}

impl ProbeKind {
    fn word(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Liveness => "Liveness",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeResult {
    Success,
    Failure,
    Unknown,
}

pub struct ProbeWorker {
    pub container: String,
    pub kind: ProbeKind,
    pub spec: Probe,
    /// The container instance the results belong to.
    container_id: Option<String>,
    last: ProbeResult,
    run: i32,
    on_hold: bool,
    pub result: ProbeResult,
}

impl ProbeWorker {
    pub fn new(container: &str, kind: ProbeKind, spec: Probe) -> Self {
        let initial = Self::initial(kind);
        ProbeWorker {
            container: container.into(),
            kind,
            spec,
            container_id: None,
            last: initial,
            run: 0,
            on_hold: false,
            result: initial,
        }
    }

    fn initial(kind: ProbeKind) -> ProbeResult {
        match kind {
            ProbeKind::Readiness => ProbeResult::Failure,
            ProbeKind::Liveness => ProbeResult::Success,
            ProbeKind::Startup => ProbeResult::Unknown,
        }
    }

    pub fn period(&self) -> Millis {
        seconds(self.spec.period_seconds.unwrap_or(10).max(1).into())
    }
}

/// The workers of a container, in the order the probe manager creates them.
pub fn workers_for(c: &Container) -> Vec<ProbeWorker> {
    let mut out = Vec::new();
    for (kind, p) in [
        (ProbeKind::Startup, &c.startup_probe),
        (ProbeKind::Readiness, &c.readiness_probe),
        (ProbeKind::Liveness, &c.liveness_probe),
    ] {
        if let Some(p) = p {
            out.push(ProbeWorker::new(&c.name, kind, p.clone()));
        }
    }
    out
}

/// What one probe run found: the result and its output (the event text on failure).
fn run_probe(kubelet: &mut Kubelet, key: &ObjectKey, worker: usize, now: Millis) -> (ProbeResult, String) {
    let Some(pod) = kubelet.pods.get_mut(key) else {
        return (ProbeResult::Unknown, String::new());
    };
    let w = &pod.probes[worker];
    let spec = w.spec.clone();
    let cname = w.container.clone();
    let ip = pod.ip.clone().unwrap_or_default();
    let container_spec = pod.find(&cname).map(|c| c.spec.clone()).unwrap_or_default();
    let resolve_port = |port: &IntOrString| -> Result<u16, String> {
        match port {
            // Validation keeps ports in 1-65535; a conversion that fails is a port nothing listens on.
            IntOrString::Int(n) => u16::try_from(*n).map_err(|_| format!("invalid port number: {n}")),
            IntOrString::String(name) => container_spec
                .ports
                .iter()
                .flatten()
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .and_then(|p| u16::try_from(p.container_port).ok())
                .or_else(|| name.parse().ok())
                .ok_or_else(|| format!("port {name} not found")),
        }
    };
    let listening = |c: &ContainerRt, port: u16| matches!(c.current.as_ref().map(|i| &i.state), Some(InstanceState::Running(p)) if p.listening().contains(&port));
    if let Some(h) = &spec.http_get {
        let port = match resolve_port(&h.port) {
            Ok(p) => p,
            Err(e) => return (ProbeResult::Failure, e),
        };
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let path = h.path.clone().unwrap_or_else(|| "/".into());
        let host = h.host.clone().unwrap_or(ip.clone());
        let url = format!("{scheme}://{host}:{port}{path}");
        let refused = format!("Get {url:?}: dial tcp {host}:{port}: connect: connection refused");
        let req = Request {
            method: "GET".into(),
            path,
            host: format!("{host}:{port}"),
            user_agent: "kube-probe/1.35".into(),
            client_ip: gateway(&ip),
        };
        // Containers of a pod share its network: whichever listens on the port answers.
        let Some(c) = pod
            .containers
            .iter_mut()
            .chain(pod.init.iter_mut())
            .find(|c| listening(c, port))
        else {
            return (ProbeResult::Failure, refused);
        };
        let answer = c
            .current
            .as_mut()
            .and_then(|i| i.drive(now, |p, pcx| p.http(port, &req, pcx)))
            .flatten();
        return match answer {
            Some(r) if (200..400).contains(&r.status) => (ProbeResult::Success, String::new()),
            Some(r) if r.status == 0 => (ProbeResult::Failure, format!("Get {url:?}: EOF")),
            Some(r) => (
                ProbeResult::Failure,
                format!("HTTP probe failed with statuscode: {}", r.status),
            ),
            None => (ProbeResult::Failure, refused),
        };
    }
    if let Some(t) = &spec.tcp_socket {
        let port = match resolve_port(&t.port) {
            Ok(p) => p,
            Err(e) => return (ProbeResult::Failure, e),
        };
        return if pod.containers.iter().chain(pod.init.iter()).any(|c| listening(c, port)) {
            (ProbeResult::Success, String::new())
        } else {
            (
                ProbeResult::Failure,
                format!("dial tcp {ip}:{port}: connect: connection refused"),
            )
        };
    }
    if let Some(e) = &spec.exec {
        let argv = e.command.clone().unwrap_or_default();
        let Some(inst) = pod.find_mut(&cname).and_then(|c| c.current.as_mut()) else {
            return (ProbeResult::Unknown, String::new());
        };
        let shell = match (
            argv.first().map(|a| a.rsplit('/').next().unwrap_or(a)),
            argv.get(1).map(String::as_str),
            argv.get(2),
        ) {
            (Some("sh" | "bash" | "ash"), Some("-c"), Some(script)) => Shell::script(script),
            _ => Shell::argv(&argv),
        };
        let (env, hostname) = (inst.env.clone(), inst.hostname.clone());
        let mut cx = ProcCx {
            now,
            fs: &mut inst.fs,
            logs: &mut inst.logs,
            env: &env,
            hostname: &hostname,
            budget: crate::runtime::shell::STEP_BUDGET,
        };
        let r = run_to_completion(shell, &mut cx, None);
        // An exec probe that is still running at its timeout fails (ExecProbeTimeout, GA 1.20).
        let timeout = spec.timeout_seconds.unwrap_or(1);
        if r.timed_out {
            return (
                ProbeResult::Failure,
                format!("command timed out: \"{}\" timed out after {timeout}s", argv.join(" ")),
            );
        }
        return if r.exit_code == 0 {
            (ProbeResult::Success, String::new())
        } else {
            (
                ProbeResult::Failure,
                format!("{}{}", r.stdout, r.stderr).trim_end().to_string(),
            )
        };
    }
    (ProbeResult::Unknown, String::new())
}

/// The address probes come from: the node side of the pod network (`10.244.X.1`).
fn gateway(pod_ip: &str) -> String {
    match pod_ip.rsplit_once('.') {
        Some((net, _)) => format!("{net}.1"),
        None => pod_ip.to_string(),
    }
}

impl Kubelet {
    /// One tick of a probe worker (`doProbe`). `periodic` ticks reschedule themselves; manual
    /// triggers (the status manager asking for a readiness result) do not.
    pub(crate) fn probe(&mut self, key: &ObjectKey, uid: &str, worker: usize, periodic: bool, cx: &mut Cx<'_, Task>) {
        let Some(pod) = self.pods.get_mut(key) else {
            return;
        };
        if pod.uid != uid || worker >= pod.probes.len() || pod.terminating {
            return;
        }
        let period = pod.probes[worker].period();
        if periodic {
            self.later(
                period,
                Task::Probe {
                    pod: key.clone(),
                    uid: uid.into(),
                    worker,
                    periodic: true,
                },
                cx,
            );
        }
        let Some(pod) = self.pods.get_mut(key) else {
            return;
        };
        let w = &pod.probes[worker];
        let (cname, kind) = (w.container.clone(), w.kind);
        let Some(c) = pod.find(&cname) else { return };
        let Some(inst) = c.current.as_ref() else {
            return;
        };
        let (cid, running, started_at, started) = (inst.id.clone(), inst.running(), inst.started_at, c.started);
        let w = &mut pod.probes[worker];
        if w.container_id.as_deref() != Some(cid.as_str()) {
            w.container_id = Some(cid);
            w.result = ProbeWorker::initial(kind);
            w.last = w.result;
            w.run = 0;
            w.on_hold = false;
        }
        if w.on_hold {
            return;
        }
        if !running {
            if kind == ProbeKind::Readiness && w.result != ProbeResult::Failure {
                w.result = ProbeResult::Failure;
                self.queue_sync(key, 0, cx);
            }
            return;
        }
        let delay = seconds(w.spec.initial_delay_seconds.unwrap_or(0).into());
        if cx.now < started_at.saturating_add(delay) {
            return;
        }
        match (kind, started) {
            (ProbeKind::Startup, true) => return,
            (ProbeKind::Readiness | ProbeKind::Liveness, false) => return,
            _ => {}
        }
        let (result, output) = run_probe(self, key, worker, cx.now);
        if result == ProbeResult::Failure {
            let msg = format!("{} probe failed: {output}", kind.word());
            let field = self.field_path(key, &cname);
            self.event(key, field, EventType::Warning, "Unhealthy", &msg, cx);
        }
        let Some(pod) = self.pods.get_mut(key) else {
            return;
        };
        let w = &mut pod.probes[worker];
        if w.last == result {
            w.run = w.run.saturating_add(1);
        } else {
            w.last = result;
            w.run = 1;
        }
        let failure_threshold = w.spec.failure_threshold.unwrap_or(3);
        let success_threshold = w.spec.success_threshold.unwrap_or(1);
        if (result == ProbeResult::Failure && w.run < failure_threshold)
            || (result == ProbeResult::Success && w.run < success_threshold)
        {
            return;
        }
        let changed = w.result != result;
        w.result = result;
        if matches!(kind, ProbeKind::Liveness | ProbeKind::Startup) && result == ProbeResult::Failure {
            w.on_hold = true;
            w.run = 0;
            let why = if kind == ProbeKind::Liveness {
                "liveness"
            } else {
                "startup"
            };
            self.restart_unhealthy(key, &cname, why, cx);
            return;
        }
        if kind == ProbeKind::Startup
            && result == ProbeResult::Success
            && let Some(c) = pod.find_mut(&cname)
        {
            c.started = true;
        }
        if changed {
            self.queue_sync(key, 0, cx);
        }
    }

    /// A liveness or startup failure: stop the container so it restarts.
    fn restart_unhealthy(&mut self, key: &ObjectKey, cname: &str, why: &str, cx: &mut Cx<'_, Task>) {
        let pod_spec = self.pods.get(key).and_then(|p| p.pod.spec.as_ref());
        let grace = pod_spec.and_then(|s| s.termination_grace_period_seconds).unwrap_or(30);
        let msg = format!("Container {cname} failed {why} probe, will be restarted");
        self.kill_container(key, cname, &msg, grace, cx);
    }
}
