//! The pod status the kubelet reports: phase (`getPhase`), the five conditions in the order
//! `generateAPIPodStatus` appends them, and container statuses with their states
//! (pkg/kubelet/kubelet_pods.go, pkg/kubelet/status/generate.go).

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting, ContainerStatus, HostIP,
    PodIP, PodStatus, ResourceRequirements, VolumeMountStatus,
};

use super::PodRt;
use super::container::{ContainerRt, InstanceState, Terminated};
use crate::api::server::set_pod_condition;
use crate::runtime::images;
use crate::sim::clock::{Millis, api_time};

fn terminated_state(t: &Terminated) -> ContainerStateTerminated {
    ContainerStateTerminated {
        container_id: Some(format!("containerd://{}", t.container_id)),
        exit_code: t.exit_code,
        finished_at: Some(api_time(t.finished_at)),
        message: t.message.clone(),
        reason: Some(t.reason.clone()),
        signal: None,
        started_at: Some(api_time(t.started_at)),
    }
}

fn container_status(c: &ContainerRt, default_waiting: &str, node_digest: impl Fn(&str) -> String) -> ContainerStatus {
    let state = match (&c.current, &c.waiting) {
        (_, Some((reason, message))) if !c.is_running() => ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some(reason.clone()),
                message: Some(message.clone()).filter(|m| !m.is_empty()),
            }),
            ..Default::default()
        },
        (Some(inst), _) => match &inst.state {
            InstanceState::Running(_) => ContainerState {
                running: Some(ContainerStateRunning {
                    started_at: Some(api_time(inst.started_at)),
                }),
                ..Default::default()
            },
            InstanceState::Exited(t) => ContainerState {
                terminated: Some(terminated_state(t)),
                ..Default::default()
            },
        },
        (None, _) => ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some(default_waiting.into()),
                message: None,
            }),
            ..Default::default()
        },
    };
    let (image, image_id) = match (&c.current, &c.image_ref) {
        (Some(_), Some(r)) => (r.clone(), node_digest(r)),
        _ => (c.spec.image.clone().unwrap_or_default(), String::new()),
    };
    let resources = c.spec.resources.clone().unwrap_or_default();
    let allocated = resources.requests.clone().filter(|r| !r.is_empty());
    let mounts: Vec<VolumeMountStatus> = c
        .spec
        .volume_mounts
        .iter()
        .flatten()
        .map(|m| VolumeMountStatus {
            mount_path: m.mount_path.clone(),
            name: m.name.clone(),
            read_only: m.read_only.filter(|r| *r),
            recursive_read_only: if m.read_only == Some(true) {
                Some("Disabled".into())
            } else {
                None
            },
        })
        .collect();
    let created = c.current.is_some();
    ContainerStatus {
        name: c.name().to_string(),
        image,
        image_id,
        container_id: c.current.as_ref().map(|i| format!("containerd://{}", i.id)),
        ready: c.ready,
        restart_count: c.restart_count,
        started: Some(c.is_running() && c.started),
        state: Some(state),
        last_state: Some(
            match (c.waiting.is_some() && !c.is_running(), c.exited(), &c.last_termination) {
                // Waiting to start again: the run that just ended is the last state.
                (true, Some(t), _) | (_, _, Some(t)) => ContainerState {
                    terminated: Some(terminated_state(t)),
                    ..Default::default()
                },
                _ => ContainerState::default(),
            },
        ),
        resources: if created {
            Some(ResourceRequirements {
                claims: None,
                ..resources
            })
        } else {
            None
        },
        allocated_resources: if created { allocated } else { None },
        volume_mounts: if created && !mounts.is_empty() {
            Some(mounts)
        } else {
            None
        },
        ..Default::default()
    }
}

/// The image digest a node reports, stable per image reference.
pub fn image_id(reference: &str) -> String {
    let repo = images::parse(reference)
        .map(|r| r.repo)
        .unwrap_or_else(|_| reference.to_string());
    let a = super::node_status::fnv(reference);
    let b = super::node_status::fnv(&format!("digest/{reference}"));
    format!("{repo}@sha256:{a:032x}{b:032x}")
}

/// `getPhase` (pkg/kubelet/kubelet_pods.go). A container waiting to restart counts as stopped,
/// which is why a pod in CrashLoopBackOff is `Running`.
pub fn phase(pod: &PodRt, restart_policy: &str) -> &'static str {
    let mut initialized = 0;
    let mut failed_init = 0;
    for c in &pod.init {
        match (c.is_running(), c.exited(), &c.last_termination) {
            (true, _, _) => {}
            (false, Some(t), _) | (false, None, Some(t)) if t.exit_code == 0 => initialized += 1,
            (false, Some(_), _) | (false, None, Some(_)) => failed_init += 1,
            _ => {}
        }
    }
    if failed_init > 0 && restart_policy == "Never" {
        return "Failed";
    }
    if initialized < pod.init.len() {
        return "Pending";
    }
    let (mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0);
    for c in &pod.containers {
        if c.is_running() {
            running += 1;
        } else if let Some(t) = c.exited().filter(|_| c.waiting.is_none()) {
            stopped += 1;
            if t.exit_code == 0 {
                succeeded += 1;
            }
        } else if c.last_termination.is_some() || c.exited().is_some() {
            stopped += 1;
        } else {
            waiting += 1;
        }
    }
    if waiting > 0 || pod.containers.is_empty() {
        return "Pending";
    }
    if running > 0 {
        return "Running";
    }
    if pod.terminating {
        return if stopped == succeeded { "Succeeded" } else { "Failed" };
    }
    match restart_policy {
        "Always" => "Running",
        _ if stopped == succeeded => "Succeeded",
        "Never" => "Failed",
        _ => "Running",
    }
}

/// Builds the status to report, starting from the stored one (to keep PodScheduled and the
/// QoS class the API server set).
pub fn generate(pod: &PodRt, stored: &PodStatus, host_ip: &str, now: Millis) -> PodStatus {
    let spec = pod.pod.spec.clone().unwrap_or_default();
    let restart_policy = spec.restart_policy.as_deref().unwrap_or("Always");
    let default_waiting = if pod.init.is_empty() {
        "ContainerCreating"
    } else {
        "PodInitializing"
    };
    let mut p = pod.pod.clone();
    p.status = Some(stored.clone());
    let phase = phase(pod, restart_policy);
    let sandbox = pod.sandbox == super::Sandbox::Ready;

    let incomplete: Vec<&str> = pod.init.iter().filter(|c| !c.succeeded()).map(|c| c.name()).collect();
    let initialized = incomplete.is_empty() || phase == "Succeeded";
    let unready: Vec<&str> = pod.containers.iter().filter(|c| !c.ready).map(|c| c.name()).collect();

    set_pod_condition(
        &mut p,
        "PodReadyToStartContainers",
        if sandbox { "True" } else { "False" },
        None,
        None,
        now,
    );
    if initialized {
        let reason = if phase == "Succeeded" && !pod.init.is_empty() {
            Some("PodCompleted")
        } else {
            None
        };
        set_pod_condition(&mut p, "Initialized", "True", reason, None, now);
    } else {
        let msg = format!("containers with incomplete status: [{}]", incomplete.join(" "));
        set_pod_condition(
            &mut p,
            "Initialized",
            "False",
            Some("ContainersNotInitialized"),
            Some(&msg),
            now,
        );
    }
    let (ready, reason, msg) = match phase {
        "Succeeded" => ("False", Some("PodCompleted"), None),
        "Failed" if unready.len() == pod.containers.len() => ("False", Some("PodFailed"), None),
        _ if unready.is_empty() => ("True", None, None),
        _ => (
            "False",
            Some("ContainersNotReady"),
            Some(format!("containers with unready status: [{}]", unready.join(" "))),
        ),
    };
    set_pod_condition(&mut p, "Ready", ready, reason, msg.as_deref(), now);
    set_pod_condition(&mut p, "ContainersReady", ready, reason, msg.as_deref(), now);
    let mut status = p.status.take().unwrap_or_default();
    // Kubelet-owned conditions in generateAPIPodStatus order, PodScheduled last.
    let order = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ];
    if let Some(conds) = status.conditions.as_mut() {
        conds.sort_by_key(|c| order.iter().position(|o| *o == c.type_).unwrap_or(0));
    }
    status.phase = Some(phase.into());
    status.host_ip = Some(host_ip.into());
    status.host_ips = Some(vec![HostIP { ip: host_ip.into() }]);
    if let Some(ip) = &pod.ip {
        status.pod_ip = Some(ip.clone());
        status.pod_ips = Some(vec![PodIP { ip: ip.clone() }]);
    }
    status.start_time = Some(api_time(pod.start_time));
    status.observed_generation = pod.pod.metadata.generation;
    let digest = |r: &str| image_id(r);
    if !pod.init.is_empty() {
        status.init_container_statuses = Some(
            pod.init
                .iter()
                .map(|c| container_status(c, "PodInitializing", digest))
                .collect(),
        );
    }
    let mut statuses: Vec<ContainerStatus> = pod
        .containers
        .iter()
        .map(|c| container_status(c, default_waiting, digest))
        .collect();
    statuses.sort_by(|a, b| a.name.cmp(&b.name));
    status.container_statuses = Some(statuses);
    status
}
