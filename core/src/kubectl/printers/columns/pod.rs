//! The Pod row: `printPod`'s READY, STATUS and RESTARTS logic.

use k8s_openapi::api::core::v1::{ContainerStatus, Pod};

use super::opt;
use crate::kubectl::printers::duration::since_time;
use crate::sim::clock::Millis;

/// The STATUS, READY and RESTARTS logic of `printPod`.
pub fn pod_cells(p: &Pod, now: Millis, age: String) -> Vec<String> {
    let spec = p.spec.clone().unwrap_or_default();
    let status = p.status.clone().unwrap_or_default();
    let restartable_init = spec
        .init_containers
        .iter()
        .flatten()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .count();
    let total = spec.containers.len() + restartable_init;
    let mut ready = 0;
    let mut restarts = 0;
    let mut last_restart: Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time> = None;
    let mut reason = status.phase.clone().unwrap_or_default();
    if let Some(r) = status.reason.clone().filter(|r| !r.is_empty()) {
        reason = r;
    }
    let conds = status.conditions.clone().unwrap_or_default();
    if conds
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".into();
    }
    let track = |cs: &ContainerStatus, last: &mut Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>| {
        if let Some(t) = cs
            .last_state
            .as_ref()
            .and_then(|s| s.terminated.as_ref())
            .and_then(|t| t.finished_at.clone())
            && last.as_ref().is_none_or(|l| t > *l)
        {
            *last = Some(t);
        }
    };
    let mut initializing = false;
    let init_statuses = status.init_container_statuses.clone().unwrap_or_default();
    let n_init = spec.init_containers.as_ref().map_or(0, |v| v.len());
    for (i, cs) in init_statuses.iter().enumerate() {
        restarts += cs.restart_count;
        track(cs, &mut last_restart);
        let st = cs.state.clone().unwrap_or_default();
        let restartable = spec
            .init_containers
            .iter()
            .flatten()
            .find(|c| c.name == cs.name)
            .is_some_and(|c| c.restart_policy.as_deref() == Some("Always"));
        if st.terminated.as_ref().is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if restartable && cs.started == Some(true) {
            if cs.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = &st.terminated {
            reason = match t.reason.as_deref() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ if t.signal.unwrap_or(0) != 0 => format!("Init:Signal:{}", t.signal.unwrap_or(0)),
                _ => format!("Init:ExitCode:{}", t.exit_code),
            };
        } else if let Some(w) = st
            .waiting
            .as_ref()
            .and_then(|w| w.reason.clone())
            .filter(|r| !r.is_empty() && r != "PodInitializing")
        {
            reason = format!("Init:{w}");
        } else {
            reason = format!("Init:{i}/{n_init}");
        }
        initializing = true;
        break;
    }
    let initialized_cond = conds.iter().any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized_cond {
        restarts = 0;
        last_restart = None;
        let mut has_running = false;
        let mut error_reason = String::new();
        for cs in status.container_statuses.clone().unwrap_or_default().iter().rev() {
            restarts += cs.restart_count;
            track(cs, &mut last_restart);
            let st = cs.state.clone().unwrap_or_default();
            if let Some(r) = st
                .waiting
                .as_ref()
                .and_then(|w| w.reason.clone())
                .filter(|r| !r.is_empty())
            {
                reason = r;
            } else if let Some(t) = &st.terminated {
                reason = match t.reason.as_deref() {
                    Some(r) if !r.is_empty() => r.to_string(),
                    _ if t.signal.unwrap_or(0) != 0 => format!("Signal:{}", t.signal.unwrap_or(0)),
                    _ => format!("ExitCode:{}", t.exit_code),
                };
                if t.exit_code != 0 {
                    error_reason = reason.clone();
                }
            } else if cs.ready && st.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" {
            let pod_ready = conds.iter().any(|c| c.type_ == "Ready" && c.status == "True");
            if has_running && pod_ready {
                reason = "Running".into();
            } else if !error_reason.is_empty() {
                reason = error_reason;
            } else if has_running {
                reason = "NotReady".into();
            }
        }
    }
    if p.metadata.deletion_timestamp.is_some() && status.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".into();
    } else if p.metadata.deletion_timestamp.is_some()
        && !matches!(status.phase.as_deref(), Some("Succeeded" | "Failed"))
    {
        reason = "Terminating".into();
    }
    let restarts_cell = match (&last_restart, restarts) {
        (Some(t), n) if n != 0 => format!("{n} ({} ago)", since_time(Some(t), now)),
        (_, n) => n.to_string(),
    };
    let gates = match &spec.readiness_gates {
        Some(g) if !g.is_empty() => {
            let ok = g
                .iter()
                .filter(|gate| {
                    conds
                        .iter()
                        .any(|c| c.type_ == gate.condition_type && c.status == "True")
                })
                .count();
            format!("{ok}/{}", g.len())
        }
        _ => "<none>".into(),
    };
    vec![
        format!("{ready}/{total}"),
        reason,
        restarts_cell,
        age,
        opt(status
            .pod_ips
            .as_ref()
            .and_then(|ips| ips.first())
            .map(|ip| ip.ip.as_str())
            .or(status.pod_ip.as_deref())),
        opt(spec.node_name.as_deref()),
        opt(status.nominated_node_name.as_deref()),
        gates,
    ]
}
