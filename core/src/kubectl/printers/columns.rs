//! The columns the API server's table printer gives each kind, and how each cell is computed
//! (k8s.io/kubernetes/pkg/printers/internalversion/printers.go, 1.35).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{
    ContainerStatus, Event, Node, PersistentVolume, PersistentVolumeClaim, Pod, PodSpec, Service,
};
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::duration::since_time;
use super::table::{Column, Row, Table, col, format_labels, wide};
use crate::sim::clock::Millis;
use crate::store::{Kind, Object};

fn opt(s: Option<&str>) -> String {
    match s {
        Some(v) if !v.is_empty() => v.to_string(),
        _ => "<none>".into(),
    }
}

/// `metav1.FormatLabelSelector`.
pub fn format_selector(s: Option<&LabelSelector>) -> String {
    let Some(s) = s else { return "<none>".into() };
    let mut parts: Vec<String> = s
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in s.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            op => format!("{} {op} ({values})", e.key),
        });
    }
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(",")
    }
}

fn containers_and_images(spec: Option<&PodSpec>) -> (String, String) {
    let cs = spec.map(|s| s.containers.as_slice()).unwrap_or(&[]);
    (
        cs.iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
            .join(","),
        cs.iter()
            .map(|c| c.image.clone().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(","),
    )
}

fn row(o: &Object, cells: Vec<String>) -> Row {
    Row {
        namespace: o.namespace().to_string(),
        name: o.name().to_string(),
        labels: o.meta().labels.clone().unwrap_or_default(),
        cells,
    }
}

pub fn table(kind: Kind, objs: &[&Object], now: Millis) -> Table {
    let age = |o: &Object| since_time(o.meta().creation_timestamp.as_ref(), now);
    let (columns, rows): (Vec<Column>, Vec<Row>) = match kind {
        Kind::Pod => (
            vec![
                col("READY"),
                col("STATUS"),
                col("RESTARTS"),
                col("AGE"),
                wide("IP"),
                wide("NODE"),
                wide("NOMINATED NODE"),
                wide("READINESS GATES"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::Pod(p) = o {
                        Some(row(o, pod_cells(p, now, age(o))))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::Node => (
            vec![
                col("STATUS"),
                col("ROLES"),
                col("AGE"),
                col("VERSION"),
                wide("INTERNAL-IP"),
                wide("EXTERNAL-IP"),
                wide("OS-IMAGE"),
                wide("KERNEL-VERSION"),
                wide("CONTAINER-RUNTIME"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::Node(n) = o {
                        Some(row(o, node_cells(n, age(o))))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::Namespace => (
            vec![col("STATUS"), col("AGE")],
            objs.iter()
                .filter_map(|o| {
                    if let Object::Namespace(n) = o {
                        Some(row(
                            o,
                            vec![
                                n.status
                                    .as_ref()
                                    .and_then(|s| s.phase.clone())
                                    .unwrap_or_default(),
                                age(o),
                            ],
                        ))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::ConfigMap => (
            vec![col("DATA"), col("AGE")],
            objs.iter()
                .filter_map(|o| {
                    if let Object::ConfigMap(c) = o {
                        let n = c.data.as_ref().map_or(0, |d| d.len())
                            + c.binary_data.as_ref().map_or(0, |d| d.len());
                        Some(row(o, vec![n.to_string(), age(o)]))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::Secret => (
            vec![col("TYPE"), col("DATA"), col("AGE")],
            objs.iter()
                .filter_map(|o| {
                    if let Object::Secret(s) = o {
                        Some(row(
                            o,
                            vec![
                                s.type_.clone().unwrap_or_default(),
                                s.data.as_ref().map_or(0, |d| d.len()).to_string(),
                                age(o),
                            ],
                        ))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::ServiceAccount => (
            vec![col("SECRETS"), col("AGE")],
            objs.iter()
                .filter_map(|o| {
                    if let Object::ServiceAccount(s) = o {
                        Some(row(
                            o,
                            vec![
                                s.secrets.as_ref().map_or(0, |d| d.len()).to_string(),
                                age(o),
                            ],
                        ))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::Service => (
            vec![
                col("TYPE"),
                col("CLUSTER-IP"),
                col("EXTERNAL-IP"),
                col("PORT(S)"),
                col("AGE"),
                wide("SELECTOR"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::Service(s) = o {
                        Some(row(o, service_cells(s, age(o))))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::Deployment => (
            vec![
                col("READY"),
                col("UP-TO-DATE"),
                col("AVAILABLE"),
                col("AGE"),
                wide("CONTAINERS"),
                wide("IMAGES"),
                wide("SELECTOR"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::Deployment(d) = o {
                        Some(row(o, deployment_cells(d, age(o))))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::ReplicaSet => (
            vec![
                col("DESIRED"),
                col("CURRENT"),
                col("READY"),
                col("AGE"),
                wide("CONTAINERS"),
                wide("IMAGES"),
                wide("SELECTOR"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::ReplicaSet(r) = o {
                        Some(row(o, replica_set_cells(r, age(o))))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::StatefulSet => (
            vec![col("READY"), col("AGE"), wide("CONTAINERS"), wide("IMAGES")],
            objs.iter()
                .filter_map(|o| {
                    if let Object::StatefulSet(s) = o {
                        Some(row(o, stateful_set_cells(s, age(o))))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::DaemonSet => (
            vec![
                col("DESIRED"),
                col("CURRENT"),
                col("READY"),
                col("UP-TO-DATE"),
                col("AVAILABLE"),
                col("NODE SELECTOR"),
                col("AGE"),
                wide("CONTAINERS"),
                wide("IMAGES"),
                wide("SELECTOR"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::DaemonSet(d) = o {
                        Some(row(o, daemon_set_cells(d, age(o))))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::Ingress => (
            vec![
                col("CLASS"),
                col("HOSTS"),
                col("ADDRESS"),
                col("PORTS"),
                col("AGE"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::Ingress(i) = o {
                        Some(row(o, ingress_cells(i, age(o))))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::IngressClass => (
            vec![col("CONTROLLER"), col("PARAMETERS"), col("AGE")],
            objs.iter()
                .filter_map(|o| {
                    if let Object::IngressClass(c) = o {
                        let spec = c.spec.as_ref();
                        let params = spec
                            .and_then(|s| s.parameters.as_ref())
                            .map_or("<none>".to_string(), |p| format!("{}/{}", p.kind, p.name));
                        Some(row(
                            o,
                            vec![
                                spec.and_then(|s| s.controller.clone()).unwrap_or_default(),
                                params,
                                age(o),
                            ],
                        ))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::PersistentVolume => (
            vec![
                col("CAPACITY"),
                col("ACCESS MODES"),
                col("RECLAIM POLICY"),
                col("STATUS"),
                col("CLAIM"),
                col("STORAGECLASS"),
                col("VOLUMEATTRIBUTESCLASS"),
                col("REASON"),
                col("AGE"),
                wide("VOLUMEMODE"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::PersistentVolume(p) = o {
                        Some(row(o, pv_cells(p, age(o))))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::PersistentVolumeClaim => (
            vec![
                col("STATUS"),
                col("VOLUME"),
                col("CAPACITY"),
                col("ACCESS MODES"),
                col("STORAGECLASS"),
                col("VOLUMEATTRIBUTESCLASS"),
                col("AGE"),
                wide("VOLUMEMODE"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::PersistentVolumeClaim(p) = o {
                        Some(row(o, pvc_cells(p, age(o))))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::StorageClass => (
            vec![
                col("PROVISIONER"),
                col("RECLAIMPOLICY"),
                col("VOLUMEBINDINGMODE"),
                col("ALLOWVOLUMEEXPANSION"),
                col("AGE"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::StorageClass(s) = o {
                        let mut r = row(
                            o,
                            vec![
                                s.provisioner.clone(),
                                s.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
                                s.volume_binding_mode
                                    .clone()
                                    .unwrap_or_else(|| "Immediate".into()),
                                s.allow_volume_expansion.unwrap_or(false).to_string(),
                                age(o),
                            ],
                        );
                        let ann = s.metadata.annotations.clone().unwrap_or_default();
                        let default = [
                            "storageclass.kubernetes.io/is-default-class",
                            "storageclass.beta.kubernetes.io/is-default-class",
                        ]
                        .iter()
                        .any(|k| ann.get(*k).map(String::as_str) == Some("true"));
                        if default {
                            r.name.push_str(" (default)");
                        }
                        Some(r)
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Kind::Event => (
            vec![
                col("TYPE"),
                col("REASON"),
                col("OBJECT"),
                wide("SUBOBJECT"),
                wide("SOURCE"),
                col("MESSAGE"),
                wide("FIRST SEEN"),
                wide("COUNT"),
                wide("NAME"),
            ],
            objs.iter()
                .filter_map(|o| {
                    if let Object::Event(e) = o {
                        Some(event_row(o, e, now))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
    };
    let name_header = if kind == Kind::Event {
        "LAST SEEN"
    } else {
        "NAME"
    };
    Table {
        name_header,
        columns,
        rows,
    }
}

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
    let track =
        |cs: &ContainerStatus,
         last: &mut Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>| {
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
    let initialized_cond = conds
        .iter()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized_cond {
        restarts = 0;
        last_restart = None;
        let mut has_running = false;
        let mut error_reason = String::new();
        for cs in status
            .container_statuses
            .clone()
            .unwrap_or_default()
            .iter()
            .rev()
        {
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
            let pod_ready = conds
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
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

/// `findNodeRoles`: the suffixes of `node-role.kubernetes.io/*` labels and `kubernetes.io/role`.
pub fn node_roles(n: &Node) -> String {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in n.metadata.labels.iter().flatten() {
        if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
            if !r.is_empty() {
                roles.push(r.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        "<none>".into()
    } else {
        roles.join(",")
    }
}

pub fn node_status_word(n: &Node) -> String {
    let ready = n
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"));
    let mut parts = vec![match ready {
        Some(c) if c.status == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if n.spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
    {
        parts.push("SchedulingDisabled");
    }
    parts.join(",")
}

fn node_cells(n: &Node, age: String) -> Vec<String> {
    let st = n.status.clone().unwrap_or_default();
    let addr = |t: &str| {
        opt(st
            .addresses
            .iter()
            .flatten()
            .find(|a| a.type_ == t)
            .map(|a| a.address.as_str()))
    };
    let info = st.node_info.clone().unwrap_or_default();
    let unknown = |s: String| {
        if s.is_empty() {
            "<unknown>".to_string()
        } else {
            s
        }
    };
    vec![
        node_status_word(n),
        node_roles(n),
        age,
        info.kubelet_version.clone(),
        addr("InternalIP"),
        addr("ExternalIP"),
        unknown(info.os_image),
        unknown(info.kernel_version),
        unknown(info.container_runtime_version),
    ]
}

fn service_cells(s: &Service, age: String) -> Vec<String> {
    let spec = s.spec.clone().unwrap_or_default();
    let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let cluster_ip = spec
        .cluster_ips
        .as_ref()
        .and_then(|ips| ips.first().cloned())
        .or(spec.cluster_ip.clone());
    let external_ips = spec.external_ips.clone().unwrap_or_default();
    let external = match ty.as_str() {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let mut lb: Vec<String> = s
                .status
                .as_ref()
                .and_then(|st| st.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|i| i.ip.clone().or(i.hostname.clone()))
                .collect();
            lb.sort();
            lb.dedup();
            if !external_ips.is_empty() {
                lb.extend(external_ips);
                lb.join(",")
            } else if !lb.is_empty() {
                lb.join(",")
            } else {
                "<pending>".into()
            }
        }
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".into(),
    };
    let ports: Vec<String> = spec
        .ports
        .iter()
        .flatten()
        .map(|p| {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            match p.node_port {
                Some(np) if np > 0 => format!("{}:{np}/{proto}", p.port),
                _ => format!("{}/{proto}", p.port),
            }
        })
        .collect();
    vec![
        ty,
        opt(cluster_ip.as_deref()),
        external,
        if ports.is_empty() {
            "<none>".into()
        } else {
            ports.join(",")
        },
        age,
        format_labels(&spec.selector.clone().unwrap_or_default()),
    ]
}

fn deployment_cells(d: &Deployment, age: String) -> Vec<String> {
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let (names, images) = containers_and_images(spec.template.spec.as_ref());
    vec![
        format!(
            "{}/{}",
            st.ready_replicas.unwrap_or(0),
            spec.replicas.unwrap_or(1)
        ),
        st.updated_replicas.unwrap_or(0).to_string(),
        st.available_replicas.unwrap_or(0).to_string(),
        age,
        names,
        images,
        format_selector(Some(&spec.selector)).replace("<none>", ""),
    ]
}

fn replica_set_cells(r: &ReplicaSet, age: String) -> Vec<String> {
    let spec = r.spec.clone().unwrap_or_default();
    let st = r.status.clone().unwrap_or_default();
    let (names, images) =
        containers_and_images(spec.template.as_ref().and_then(|t| t.spec.as_ref()));
    vec![
        spec.replicas.unwrap_or(1).to_string(),
        st.replicas.to_string(),
        st.ready_replicas.unwrap_or(0).to_string(),
        age,
        names,
        images,
        format_selector(Some(&spec.selector)),
    ]
}

fn stateful_set_cells(s: &StatefulSet, age: String) -> Vec<String> {
    let spec = s.spec.clone().unwrap_or_default();
    let st = s.status.clone().unwrap_or_default();
    let (names, images) = containers_and_images(spec.template.spec.as_ref());
    vec![
        format!(
            "{}/{}",
            st.ready_replicas.unwrap_or(0),
            spec.replicas.unwrap_or(1)
        ),
        age,
        names,
        images,
    ]
}

fn daemon_set_cells(d: &DaemonSet, age: String) -> Vec<String> {
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let (names, images) = containers_and_images(spec.template.spec.as_ref());
    let node_selector: BTreeMap<String, String> = spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.node_selector.clone())
        .unwrap_or_default();
    vec![
        st.desired_number_scheduled.to_string(),
        st.current_number_scheduled.to_string(),
        st.number_ready.to_string(),
        st.updated_number_scheduled.unwrap_or(0).to_string(),
        st.number_available.unwrap_or(0).to_string(),
        format_labels(&node_selector),
        age,
        names,
        images,
        format_selector(Some(&spec.selector)),
    ]
}

fn ingress_cells(i: &Ingress, age: String) -> Vec<String> {
    let spec = i.spec.clone().unwrap_or_default();
    let rules = spec.rules.clone().unwrap_or_default();
    let mut hosts: Vec<String> = Vec::new();
    let mut more = 0;
    for r in &rules {
        if let Some(h) = r.host.clone().filter(|h| !h.is_empty()) {
            if hosts.len() < 3 {
                hosts.push(h);
            } else {
                more = rules.len() - 3;
                break;
            }
        }
    }
    let hosts = if hosts.is_empty() {
        "*".to_string()
    } else if more > 0 {
        format!("{} + {more} more...", hosts.join(","))
    } else {
        hosts.join(",")
    };
    let mut addrs: Vec<String> = i
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|i| i.ip.clone().or(i.hostname.clone()))
        .collect();
    addrs.sort();
    addrs.dedup();
    let ports = if spec.tls.as_ref().is_some_and(|t| !t.is_empty()) {
        "80, 443"
    } else {
        "80"
    };
    vec![
        opt(spec.ingress_class_name.as_deref()),
        hosts,
        addrs.join(","),
        ports.into(),
        age,
    ]
}

/// `GetAccessModesAsString`: abbreviated, de-duplicated, in a fixed order.
pub fn access_modes(modes: &[String]) -> String {
    let order = [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ];
    order
        .iter()
        .filter(|(full, _)| modes.iter().any(|m| m == full))
        .map(|(_, short)| *short)
        .collect::<Vec<_>>()
        .join(",")
}

fn pv_cells(p: &PersistentVolume, age: String) -> Vec<String> {
    let spec = p.spec.clone().unwrap_or_default();
    let claim = spec.claim_ref.as_ref().map_or(String::new(), |c| {
        format!(
            "{}/{}",
            c.namespace.clone().unwrap_or_default(),
            c.name.clone().unwrap_or_default()
        )
    });
    let status = if p.metadata.deletion_timestamp.is_some() {
        "Terminating".into()
    } else {
        p.status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_default()
    };
    let class = p
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class").cloned())
        .or(spec.storage_class_name.clone())
        .unwrap_or_default();
    vec![
        spec.capacity
            .as_ref()
            .and_then(|c| c.get("storage"))
            .map(|q| q.0.clone())
            .unwrap_or_default(),
        access_modes(&spec.access_modes.clone().unwrap_or_default()),
        spec.persistent_volume_reclaim_policy
            .clone()
            .unwrap_or_default(),
        status,
        claim,
        class,
        spec.volume_attributes_class_name
            .clone()
            .unwrap_or_else(|| "<unset>".into()),
        p.status
            .as_ref()
            .and_then(|s| s.reason.clone())
            .unwrap_or_default(),
        age,
        spec.volume_mode.clone().unwrap_or_else(|| "<unset>".into()),
    ]
}

fn pvc_cells(p: &PersistentVolumeClaim, age: String) -> Vec<String> {
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    let status = if p.metadata.deletion_timestamp.is_some() {
        "Terminating".into()
    } else {
        st.phase.clone().unwrap_or_default()
    };
    let volume = spec.volume_name.clone().unwrap_or_default();
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            st.capacity
                .as_ref()
                .and_then(|c| c.get("storage"))
                .map(|q| q.0.clone())
                .unwrap_or_default(),
            access_modes(&st.access_modes.clone().unwrap_or_default()),
        )
    };
    let class = p
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class").cloned())
        .or(spec.storage_class_name.clone())
        .unwrap_or_default();
    vec![
        status,
        volume,
        capacity,
        modes,
        class,
        spec.volume_attributes_class_name
            .clone()
            .unwrap_or_else(|| "<unset>".into()),
        age,
        spec.volume_mode.clone().unwrap_or_else(|| "<unset>".into()),
    ]
}

fn event_row(o: &Object, e: &Event, now: Millis) -> Row {
    let first = since_time(e.first_timestamp.as_ref(), now);
    let last = match &e.last_timestamp {
        Some(t) => since_time(Some(t), now),
        None => first.clone(),
    };
    let io = &e.involved_object;
    let kind = io.kind.clone().unwrap_or_default().to_lowercase();
    let object = match io.name.as_deref() {
        Some(n) if !n.is_empty() => format!("{kind}/{n}"),
        _ => kind,
    };
    let src = e.source.clone().unwrap_or_default();
    let component = src
        .component
        .clone()
        .or(e.reporting_component.clone())
        .unwrap_or_default();
    let source = match src.host.as_deref() {
        Some(h) if !h.is_empty() => format!("{component}, {h}"),
        _ => component,
    };
    let mut r = row(
        o,
        vec![
            last,
            e.type_.clone().unwrap_or_default(),
            e.reason.clone().unwrap_or_default(),
            object,
            io.field_path.clone().unwrap_or_default(),
            source,
            e.message.clone().unwrap_or_default().trim().to_string(),
            first,
            e.count.unwrap_or(1).max(1).to_string(),
            o.name().to_string(),
        ],
    );
    // The event table has no NAME column of its own; its first column is LAST SEEN.
    r.name = r.cells.remove(0);
    r
}
