//! The columns the API server's table printer gives each kind, and how each cell is computed
//! (k8s.io/kubernetes/pkg/printers/internalversion/printers.go, 1.35).

mod autoscaling;
mod cluster;
mod config;
mod network;
mod pod;
mod rbac;
mod storage;
mod workloads;

use k8s_openapi::api::core::v1::PodSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::duration::since_time;
use super::table::{Column, Row, Table, col, wide};
use crate::sim::clock::Millis;
use crate::store::{Kind, Object};

pub use cluster::{node_roles, node_status_word, quota_used};
pub use pod::pod_cells;
pub use storage::{access_modes, storage_class};

pub(super) fn opt(s: Option<&str>) -> String {
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

pub(super) fn containers_and_images(spec: Option<&PodSpec>) -> (String, String) {
    let cs = spec.map(|s| s.containers.as_slice()).unwrap_or(&[]);
    (
        cs.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(","),
        cs.iter()
            .map(|c| c.image.clone().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(","),
    )
}

pub(super) fn row(o: &Object, cells: Vec<String>) -> Row {
    Row {
        namespace: o.namespace().to_string(),
        name: o.name().to_string(),
        labels: o.meta().labels.clone().unwrap_or_default(),
        cells,
    }
}

/// `CREATED AT`: the creation time in RFC 3339, as roles print it.
fn created_at(o: &Object) -> String {
    o.meta()
        .creation_timestamp
        .as_ref()
        .and_then(|t| k8s_openapi::jiff::fmt::strtime::format("%Y-%m-%dT%H:%M:%SZ", t.0).ok())
        .unwrap_or_default()
}

/// The columns of a kind: NAME comes first and is not listed; `wide` ones show with `-o wide`.
fn columns(kind: Kind) -> Vec<Column> {
    match kind {
        Kind::Pod => vec![
            col("READY"),
            col("STATUS"),
            col("RESTARTS"),
            col("AGE"),
            wide("IP"),
            wide("NODE"),
            wide("NOMINATED NODE"),
            wide("READINESS GATES"),
        ],
        Kind::Node => vec![
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
        Kind::Namespace => vec![col("STATUS"), col("AGE")],
        Kind::ConfigMap => vec![col("DATA"), col("AGE")],
        Kind::Secret => vec![col("TYPE"), col("DATA"), col("AGE")],
        Kind::ServiceAccount => vec![col("SECRETS"), col("AGE")],
        Kind::Service => vec![
            col("TYPE"),
            col("CLUSTER-IP"),
            col("EXTERNAL-IP"),
            col("PORT(S)"),
            col("AGE"),
            wide("SELECTOR"),
        ],
        Kind::Deployment => vec![
            col("READY"),
            col("UP-TO-DATE"),
            col("AVAILABLE"),
            col("AGE"),
            wide("CONTAINERS"),
            wide("IMAGES"),
            wide("SELECTOR"),
        ],
        Kind::ReplicaSet => vec![
            col("DESIRED"),
            col("CURRENT"),
            col("READY"),
            col("AGE"),
            wide("CONTAINERS"),
            wide("IMAGES"),
            wide("SELECTOR"),
        ],
        Kind::StatefulSet => vec![col("READY"), col("AGE"), wide("CONTAINERS"), wide("IMAGES")],
        Kind::DaemonSet => vec![
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
        Kind::Job => vec![
            col("STATUS"),
            col("COMPLETIONS"),
            col("DURATION"),
            col("AGE"),
            wide("CONTAINERS"),
            wide("IMAGES"),
            wide("SELECTOR"),
        ],
        Kind::CronJob => vec![
            col("SCHEDULE"),
            col("TIMEZONE"),
            col("SUSPEND"),
            col("ACTIVE"),
            col("LAST SCHEDULE"),
            col("AGE"),
            wide("CONTAINERS"),
            wide("IMAGES"),
            wide("SELECTOR"),
        ],
        Kind::ControllerRevision => vec![col("CONTROLLER"), col("REVISION"), col("AGE")],
        Kind::HorizontalPodAutoscaler => vec![
            col("REFERENCE"),
            col("TARGETS"),
            col("MINPODS"),
            col("MAXPODS"),
            col("REPLICAS"),
            col("AGE"),
        ],
        Kind::Lease => vec![col("HOLDER"), col("AGE")],
        Kind::PodDisruptionBudget => vec![
            col("MIN AVAILABLE"),
            col("MAX UNAVAILABLE"),
            col("ALLOWED DISRUPTIONS"),
            col("AGE"),
        ],
        Kind::Ingress => vec![col("CLASS"), col("HOSTS"), col("ADDRESS"), col("PORTS"), col("AGE")],
        Kind::IngressClass => vec![col("CONTROLLER"), col("PARAMETERS"), col("AGE")],
        Kind::PersistentVolume => vec![
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
        Kind::PersistentVolumeClaim => vec![
            col("STATUS"),
            col("VOLUME"),
            col("CAPACITY"),
            col("ACCESS MODES"),
            col("STORAGECLASS"),
            col("VOLUMEATTRIBUTESCLASS"),
            col("AGE"),
            wide("VOLUMEMODE"),
        ],
        Kind::StorageClass => vec![
            col("PROVISIONER"),
            col("RECLAIMPOLICY"),
            col("VOLUMEBINDINGMODE"),
            col("ALLOWVOLUMEEXPANSION"),
            col("AGE"),
        ],
        Kind::Role | Kind::ClusterRole => vec![col("CREATED AT")],
        Kind::RoleBinding | Kind::ClusterRoleBinding => vec![
            col("ROLE"),
            col("AGE"),
            wide("USERS"),
            wide("GROUPS"),
            wide("SERVICEACCOUNTS"),
        ],
        Kind::CSIDriver => vec![
            col("ATTACHREQUIRED"),
            col("PODINFOONMOUNT"),
            col("STORAGECAPACITY"),
            col("TOKENREQUESTS"),
            col("REQUIRESREPUBLISH"),
            col("MODES"),
            col("AGE"),
        ],
        Kind::PriorityClass => vec![col("VALUE"), col("GLOBAL-DEFAULT"), col("AGE"), col("PREEMPTIONPOLICY")],
        Kind::ResourceQuota => vec![col("AGE"), col("REQUEST"), col("LIMIT")],
        // LAST SEEN stands in the NAME position for events.
        Kind::Event => vec![
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
    }
}

/// One object's row.
fn object_row(o: &Object, now: Millis) -> Row {
    let age = since_time(o.meta().creation_timestamp.as_ref(), now);
    match o {
        Object::Pod(p) => row(o, pod_cells(p, now, age)),
        Object::Node(n) => row(o, cluster::node_cells(n, age)),
        Object::Namespace(n) => row(o, cluster::namespace_cells(n, age)),
        Object::Event(e) => cluster::event_row(o, e, now),
        Object::ConfigMap(c) => row(o, config::config_map_cells(c, age)),
        Object::Secret(s) => row(o, config::secret_cells(s, age)),
        Object::ServiceAccount(s) => row(o, config::service_account_cells(s, age)),
        Object::Service(s) => row(o, network::service_cells(s, age)),
        Object::Ingress(i) => row(o, network::ingress_cells(i, age)),
        Object::IngressClass(c) => row(o, network::ingress_class_cells(c, age)),
        Object::Deployment(d) => row(o, workloads::deployment_cells(d, age)),
        Object::ReplicaSet(r) => row(o, workloads::replica_set_cells(r, age)),
        Object::StatefulSet(s) => row(o, workloads::stateful_set_cells(s, age)),
        Object::DaemonSet(d) => row(o, workloads::daemon_set_cells(d, age)),
        Object::Job(j) => row(o, workloads::job_cells(j, now, age)),
        Object::CronJob(c) => row(o, workloads::cron_job_cells(c, now, age)),
        Object::ControllerRevision(r) => row(o, workloads::controller_revision_cells(r, age)),
        Object::Lease(l) => row(o, workloads::lease_cells(l, age)),
        Object::PodDisruptionBudget(p) => row(o, workloads::pdb_cells(p, age)),
        Object::HorizontalPodAutoscaler(h) => row(o, autoscaling::hpa_cells(h, age)),
        Object::PersistentVolume(p) => row(o, storage::pv_cells(p, age)),
        Object::PersistentVolumeClaim(p) => row(o, storage::pvc_cells(p, age)),
        Object::StorageClass(s) => storage::storage_class_row(o, s, age),
        Object::CSIDriver(d) => row(o, storage::csi_driver_cells(d, age)),
        Object::Role(_) | Object::ClusterRole(_) => row(o, vec![created_at(o)]),
        Object::RoleBinding(b) => row(o, rbac::binding_cells(&b.role_ref, b.subjects.as_deref(), age)),
        Object::ClusterRoleBinding(b) => row(o, rbac::binding_cells(&b.role_ref, b.subjects.as_deref(), age)),
        Object::PriorityClass(c) => row(o, cluster::priority_class_cells(c, age)),
        Object::ResourceQuota(q) => row(o, cluster::resource_quota_cells(q, age)),
    }
}

pub fn table(kind: Kind, objs: &[&Object], now: Millis) -> Table {
    let name_header = if kind == Kind::Event { "LAST SEEN" } else { "NAME" };
    let rows = objs
        .iter()
        .filter(|o| o.kind() == kind)
        .map(|o| object_row(o, now))
        .collect();
    Table {
        name_header,
        columns: columns(kind),
        rows,
    }
}
