//! API defaulting: the fields the API server fills in when a manifest leaves them out, so that
//! `kubectl get -o yaml` shows what a real cluster shows.
//! Source: k8s.io/kubernetes/pkg/apis/core/v1/defaults.go and pkg/apis/apps/v1/defaults.go.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetUpdateStrategy, Deployment, DeploymentStrategy, ReplicaSet, RollingUpdateDaemonSet,
    RollingUpdateDeployment, RollingUpdateStatefulSetStrategy, StatefulSet,
    StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    Container, EmptyDirVolumeSource, Namespace, NamespaceSpec, NamespaceStatus, PersistentVolume,
    PersistentVolumeClaim, PersistentVolumeClaimStatus, PersistentVolumeStatus, PodSpec, PodTemplateSpec, Probe,
    ResourceRequirements, Secret, Service, ServicePort, Volume,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::quantity::Quantity;
use crate::store::Object;

/// Applies the defaults of the object's kind, in place.
pub fn apply(obj: &mut Object) {
    match obj {
        Object::Pod(p) => {
            if let Some(spec) = p.spec.as_mut() {
                pod_spec(spec);
            }
        }
        Object::Deployment(d) => deployment(d),
        Object::ReplicaSet(rs) => replica_set(rs),
        Object::StatefulSet(s) => stateful_set(s),
        Object::DaemonSet(ds) => daemon_set(ds),
        Object::Job(j) => job(j),
        Object::CronJob(c) => cron_job(c),
        Object::Service(s) => service(s),
        Object::Namespace(ns) => namespace(ns),
        Object::Secret(s) => secret(s),
        Object::PersistentVolume(pv) => persistent_volume(pv),
        Object::PersistentVolumeClaim(pvc) => persistent_volume_claim(pvc),
        Object::StorageClass(sc) => storage_class(sc),
        Object::HorizontalPodAutoscaler(h) => super::autoscaling::defaults(h),
        Object::PriorityClass(pc) => set(&mut pc.preemption_policy, "PreemptLowerPriority".into()),
        _ => {}
    }
}

fn set<T>(slot: &mut Option<T>, v: T) {
    if slot.is_none() {
        *slot = Some(v);
    }
}

pub fn pod_template(t: &mut PodTemplateSpec) {
    if let Some(spec) = t.spec.as_mut() {
        pod_spec(spec);
    }
}

pub fn pod_spec(spec: &mut PodSpec) {
    set(&mut spec.dns_policy, "ClusterFirst".into());
    set(&mut spec.restart_policy, "Always".into());
    set(&mut spec.termination_grace_period_seconds, 30);
    set(&mut spec.security_context, Default::default());
    set(&mut spec.scheduler_name, "default-scheduler".into());
    set(&mut spec.enable_service_links, true);
    for c in spec.init_containers.iter_mut().flatten() {
        container(c);
    }
    for c in spec.containers.iter_mut() {
        container(c);
    }
    for v in spec.volumes.iter_mut().flatten() {
        volume(v);
    }
}

/// `SetDefaults_Container` plus the resource and probe defaults reached from it.
fn container(c: &mut Container) {
    set(&mut c.termination_message_path, "/dev/termination-log".into());
    set(&mut c.termination_message_policy, "File".into());
    let policy = if image_tag(c.image.as_deref().unwrap_or("")) == "latest" {
        "Always"
    } else {
        "IfNotPresent"
    };
    set(&mut c.image_pull_policy, policy.into());
    let res = c.resources.get_or_insert_with(ResourceRequirements::default);
    resources(res);
    for p in c.ports.iter_mut().flatten() {
        set(&mut p.protocol, "TCP".into());
    }
    for probe in [&mut c.liveness_probe, &mut c.readiness_probe, &mut c.startup_probe]
        .into_iter()
        .flatten()
    {
        self::probe(probe);
    }
}

/// The tag of an image reference as `parsers.ParseImageName` sees it: `latest` when neither a
/// tag nor a digest is given, empty for digest-only references.
pub fn image_tag(image: &str) -> &str {
    if image.contains('@') {
        return "";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) => tag,
        None => "latest",
    }
}

/// Requests default to limits; every value is rounded up to milli precision.
fn resources(r: &mut ResourceRequirements) {
    if let Some(limits) = r.limits.as_ref() {
        let requests = r.requests.get_or_insert_with(BTreeMap::new);
        for (k, v) in limits {
            requests.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    for list in [&mut r.limits, &mut r.requests].into_iter().flatten() {
        for v in list.values_mut() {
            if let Ok(q) = Quantity::parse(&v.0) {
                *v = ApiQuantity(q.round_up_milli().canonical());
            }
        }
    }
}

/// For Go's non-pointer integers: zero is "unset" (`if obj.PeriodSeconds == 0`).
fn set_nonzero(slot: &mut Option<i32>, v: i32) {
    if slot.is_none_or(|n| n == 0) {
        *slot = Some(v);
    }
}

/// `SetDefaults_Probe` (pkg/apis/core/v1/defaults.go): a zero is replaced like a missing value.
fn probe(p: &mut Probe) {
    set_nonzero(&mut p.timeout_seconds, 1);
    set_nonzero(&mut p.period_seconds, 10);
    set_nonzero(&mut p.success_threshold, 1);
    set_nonzero(&mut p.failure_threshold, 3);
    if let Some(h) = p.http_get.as_mut() {
        set(&mut h.path, "/".into());
        set(&mut h.scheme, "HTTP".into());
    }
}

fn volume(v: &mut Volume) {
    let has_source = v.empty_dir.is_some()
        || v.config_map.is_some()
        || v.secret.is_some()
        || v.host_path.is_some()
        || v.persistent_volume_claim.is_some()
        || v.nfs.is_some()
        || v.projected.is_some()
        || v.downward_api.is_some()
        || v.csi.is_some()
        || v.ephemeral.is_some()
        || v.image.is_some();
    if !has_source {
        v.empty_dir = Some(EmptyDirVolumeSource::default());
    }
    if let Some(cm) = v.config_map.as_mut() {
        set(&mut cm.default_mode, 0o644);
    }
    if let Some(s) = v.secret.as_mut() {
        set(&mut s.default_mode, 0o644);
    }
    if let Some(p) = v.projected.as_mut() {
        set(&mut p.default_mode, 0o644);
    }
    if let Some(h) = v.host_path.as_mut() {
        set(&mut h.type_, String::new());
    }
}

fn deployment(d: &mut Deployment) {
    let Some(spec) = d.spec.as_mut() else { return };
    set(&mut spec.replicas, 1);
    let strategy = spec.strategy.get_or_insert_with(DeploymentStrategy::default);
    set(&mut strategy.type_, "RollingUpdate".into());
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        set(&mut ru.max_unavailable, IntOrString::String("25%".into()));
        set(&mut ru.max_surge, IntOrString::String("25%".into()));
    }
    set(&mut spec.revision_history_limit, 10);
    set(&mut spec.progress_deadline_seconds, 600);
    pod_template(&mut spec.template);
}

fn replica_set(rs: &mut ReplicaSet) {
    let Some(spec) = rs.spec.as_mut() else { return };
    set(&mut spec.replicas, 1);
    if let Some(t) = spec.template.as_mut() {
        pod_template(t);
    }
}

fn stateful_set(s: &mut StatefulSet) {
    let Some(spec) = s.spec.as_mut() else { return };
    set(&mut spec.replicas, 1);
    set(&mut spec.pod_management_policy, "OrderedReady".into());
    let us = spec
        .update_strategy
        .get_or_insert_with(StatefulSetUpdateStrategy::default);
    if us.type_.is_none() {
        // Only an unset type brings a `rollingUpdate` with it; `type: RollingUpdate` alone
        // stays without one.
        us.type_ = Some("RollingUpdate".into());
        us.rolling_update
            .get_or_insert_with(RollingUpdateStatefulSetStrategy::default);
    }
    if us.type_.as_deref() == Some("RollingUpdate")
        && let Some(ru) = us.rolling_update.as_mut()
    {
        set(&mut ru.partition, 0);
        // MaxUnavailableStatefulSet is beta and on in v1.35.0 (kind's node image; it is off
        // again from v1.35.4, kubernetes/kubernetes#137904).
        set(&mut ru.max_unavailable, IntOrString::Int(1));
    }
    set(&mut spec.revision_history_limit, 10);
    let retention = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(StatefulSetPersistentVolumeClaimRetentionPolicy::default);
    set(&mut retention.when_deleted, "Retain".into());
    set(&mut retention.when_scaled, "Retain".into());
    for pvc in spec.volume_claim_templates.iter_mut().flatten() {
        if let Some(s) = pvc.spec.as_mut() {
            set(&mut s.volume_mode, "Filesystem".into());
        }
        set(
            &mut pvc.status,
            PersistentVolumeClaimStatus {
                phase: Some("Pending".into()),
                ..Default::default()
            },
        );
    }
    pod_template(&mut spec.template);
}

fn daemon_set(ds: &mut DaemonSet) {
    let Some(spec) = ds.spec.as_mut() else { return };
    let us = spec
        .update_strategy
        .get_or_insert_with(DaemonSetUpdateStrategy::default);
    set(&mut us.type_, "RollingUpdate".into());
    if us.type_.as_deref() == Some("RollingUpdate") {
        let ru = us.rolling_update.get_or_insert_with(RollingUpdateDaemonSet::default);
        set(&mut ru.max_unavailable, IntOrString::Int(1));
        set(&mut ru.max_surge, IntOrString::Int(0));
    }
    set(&mut spec.revision_history_limit, 10);
    pod_template(&mut spec.template);
}

fn service(s: &mut Service) {
    let Some(spec) = s.spec.as_mut() else { return };
    set(&mut spec.type_, "ClusterIP".into());
    set(&mut spec.session_affinity, "None".into());
    set(&mut spec.internal_traffic_policy, "Cluster".into());
    if matches!(spec.type_.as_deref(), Some("NodePort" | "LoadBalancer")) {
        set(&mut spec.external_traffic_policy, "Cluster".into());
    }
    if spec.type_.as_deref() != Some("ExternalName") {
        set(&mut spec.ip_family_policy, "SingleStack".into());
        set(&mut spec.ip_families, vec!["IPv4".into()]);
    }
    for p in spec.ports.iter_mut().flatten() {
        service_port(p);
    }
}

fn service_port(p: &mut ServicePort) {
    set(&mut p.protocol, "TCP".into());
    set(&mut p.target_port, IntOrString::Int(p.port));
}

fn namespace(ns: &mut Namespace) {
    set(
        &mut ns.spec,
        NamespaceSpec {
            finalizers: Some(vec!["kubernetes".into()]),
        },
    );
    set(
        &mut ns.status,
        NamespaceStatus {
            phase: Some("Active".into()),
            ..Default::default()
        },
    );
    // Every namespace carries its own name as a label (NamespaceDefaultLabelName, GA in 1.22).
    if let Some(name) = ns.metadata.name.clone() {
        ns.metadata
            .labels
            .get_or_insert_with(BTreeMap::new)
            .insert("kubernetes.io/metadata.name".into(), name);
    }
}

/// `stringData` is write-only: merged into `data` (winning over it) and never stored.
fn secret(s: &mut Secret) {
    set(&mut s.type_, "Opaque".into());
    if let Some(string_data) = s.string_data.take() {
        let data = s.data.get_or_insert_with(BTreeMap::new);
        for (k, v) in string_data {
            data.insert(k, k8s_openapi::ByteString(v.into_bytes()));
        }
    }
}

fn persistent_volume(pv: &mut PersistentVolume) {
    if let Some(spec) = pv.spec.as_mut() {
        set(&mut spec.persistent_volume_reclaim_policy, "Retain".into());
        set(&mut spec.volume_mode, "Filesystem".into());
    }
    set(
        &mut pv.status,
        PersistentVolumeStatus {
            phase: Some("Pending".into()),
            ..Default::default()
        },
    );
}

fn persistent_volume_claim(pvc: &mut PersistentVolumeClaim) {
    if let Some(spec) = pvc.spec.as_mut() {
        set(&mut spec.volume_mode, "Filesystem".into());
    }
    set(
        &mut pvc.status,
        PersistentVolumeClaimStatus {
            phase: Some("Pending".into()),
            ..Default::default()
        },
    );
}

fn storage_class(sc: &mut StorageClass) {
    set(&mut sc.reclaim_policy, "Delete".into());
    set(&mut sc.volume_binding_mode, "Immediate".into());
}

/// pkg/apis/batch/v1/defaults.go `SetDefaults_Job`.
fn job(j: &mut k8s_openapi::api::batch::v1::Job) {
    let Some(spec) = j.spec.as_mut() else { return };
    job_spec(spec);
    let labels = spec.template.metadata.as_ref().and_then(|m| m.labels.clone());
    if j.metadata.labels.as_ref().is_none_or(|l| l.is_empty())
        && let Some(l) = labels.filter(|l| !l.is_empty())
    {
        j.metadata.labels = Some(l);
    }
}

fn job_spec(spec: &mut k8s_openapi::api::batch::v1::JobSpec) {
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
        spec.parallelism = Some(1);
    }
    set(&mut spec.parallelism, 1);
    // With backoffLimitPerIndex the per-index limit governs; the Job-wide one is off.
    let backoff = if spec.backoff_limit_per_index.is_some() {
        i32::MAX
    } else {
        6
    };
    set(&mut spec.backoff_limit, backoff);
    for rule in spec.pod_failure_policy.iter_mut().flat_map(|p| p.rules.iter_mut()) {
        for pattern in rule.on_pod_conditions.iter_mut().flatten() {
            set(&mut pattern.status, "True".into());
        }
    }
    set(&mut spec.completion_mode, "NonIndexed".into());
    set(&mut spec.suspend, false);
    let replacement = if spec.pod_failure_policy.is_some() {
        "Failed"
    } else {
        "TerminatingOrFailed"
    };
    set(&mut spec.pod_replacement_policy, replacement.into());
    pod_template(&mut spec.template);
}

/// The selector and labels the API server generates for a Job (pkg/registry/batch/job
/// `generateSelector`), unless `manualSelector` is set.
pub fn job_selector(j: &mut k8s_openapi::api::batch::v1::Job, uid: &str) {
    let name = j.metadata.name.clone().unwrap_or_default();
    let Some(spec) = j.spec.as_mut() else { return };
    if spec.manual_selector == Some(true) {
        return;
    }
    let labels = spec
        .template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default);
    labels.entry("job-name".into()).or_insert_with(|| name.clone());
    labels
        .entry("batch.kubernetes.io/job-name".into())
        .or_insert_with(|| name.clone());
    labels.insert("controller-uid".into(), uid.to_string());
    labels.insert("batch.kubernetes.io/controller-uid".into(), uid.to_string());
    let template_labels = labels.clone();
    let selector = spec.selector.get_or_insert_with(Default::default);
    selector
        .match_labels
        .get_or_insert_with(Default::default)
        .entry("batch.kubernetes.io/controller-uid".into())
        .or_insert_with(|| uid.to_string());
    // Read back from storage, a Job without labels shows its template's.
    if j.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
        j.metadata.labels = Some(template_labels);
    }
}

/// pkg/apis/batch/v1/defaults.go `SetDefaults_CronJob`.
fn cron_job(c: &mut k8s_openapi::api::batch::v1::CronJob) {
    let Some(spec) = c.spec.as_mut() else { return };
    set(&mut spec.concurrency_policy, "Allow".into());
    set(&mut spec.suspend, false);
    set(&mut spec.successful_jobs_history_limit, 3);
    set(&mut spec.failed_jobs_history_limit, 1);
    // The Job spec of the template is defaulted when a Job is made from it; only its pod
    // template is defaulted here (`describe cronjob` shows `Parallelism: <unset>`).
    if let Some(js) = spec.job_template.spec.as_mut() {
        pod_template(&mut js.template);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_tags() {
        assert_eq!(image_tag("nginx"), "latest");
        assert_eq!(image_tag("nginx:1.27"), "1.27");
        assert_eq!(image_tag("192.168.100.3:5000/nginx"), "latest");
        assert_eq!(image_tag("192.168.100.3:5000/nginx:v1"), "v1");
        assert_eq!(image_tag("nginx@sha256:abc"), "");
    }

    #[test]
    fn container_defaults() {
        let mut spec = PodSpec {
            containers: vec![Container {
                name: "c".into(),
                image: Some("busybox:1.28".into()),
                resources: Some(ResourceRequirements {
                    limits: Some([("cpu".to_string(), ApiQuantity("0.5".into()))].into()),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        };
        pod_spec(&mut spec);
        let c = &spec.containers[0];
        assert_eq!(c.image_pull_policy.as_deref(), Some("IfNotPresent"));
        let req = c.resources.as_ref().unwrap().requests.as_ref().unwrap();
        assert_eq!(req["cpu"].0, "500m");
        assert_eq!(spec.restart_policy.as_deref(), Some("Always"));
    }
}
