//! Name references (kustomize api/filters/nameref, the table in
//! api/internal/konfig/builtinpluginconsts/namereference.go): once prefixes, suffixes and
//! hashes have renamed objects, every field that names one of them is rewritten to the new
//! name. A reference is matched by the name the object had when it was read or generated,
//! within the referrer's namespace.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Resource;
use super::fieldspec::{kind_of, segments, visit};
use super::transform::cluster_scoped;

/// Where each workload kind keeps its pod spec.
const POD_SPECS: &[(&str, &str)] = &[
    ("Pod", "spec"),
    ("PodTemplate", "template/spec"),
    ("Deployment", "spec/template/spec"),
    ("ReplicaSet", "spec/template/spec"),
    ("DaemonSet", "spec/template/spec"),
    ("StatefulSet", "spec/template/spec"),
    ("Job", "spec/template/spec"),
    ("CronJob", "spec/jobTemplate/spec/template/spec"),
    ("ReplicationController", "spec/template/spec"),
];

const CONFIGMAP_IN_POD: &[&str] = &[
    "volumes/configMap/name",
    "containers/env/valueFrom/configMapKeyRef/name",
    "initContainers/env/valueFrom/configMapKeyRef/name",
    "containers/envFrom/configMapRef/name",
    "initContainers/envFrom/configMapRef/name",
    "volumes/projected/sources/configMap/name",
];

const SECRET_IN_POD: &[&str] = &[
    "volumes/secret/secretName",
    "containers/env/valueFrom/secretKeyRef/name",
    "initContainers/env/valueFrom/secretKeyRef/name",
    "containers/envFrom/secretRef/name",
    "initContainers/envFrom/secretRef/name",
    "imagePullSecrets/name",
    "volumes/projected/sources/secret/name",
];

/// (referred kind, referrer kind, path) outside pod specs.
const OTHER: &[(&str, &str, &str)] = &[
    ("Secret", "Ingress", "spec/tls/secretName"),
    ("Secret", "ServiceAccount", "imagePullSecrets/name"),
    ("Secret", "StorageClass", "parameters/secretName"),
    ("Secret", "StorageClass", "parameters/adminSecretName"),
    ("Secret", "StorageClass", "parameters/userSecretName"),
    ("Secret", "StorageClass", "parameters/secretRef"),
    ("Secret", "PersistentVolume", "spec/azureFile/secretName"),
    ("Service", "StatefulSet", "spec/serviceName"),
    ("Service", "Ingress", "spec/rules/http/paths/backend/service/name"),
    ("Service", "Ingress", "spec/defaultBackend/service/name"),
    ("Service", "Ingress", "spec/rules/http/paths/backend/serviceName"),
    ("Service", "Ingress", "spec/backend/serviceName"),
    ("StorageClass", "PersistentVolume", "spec/storageClassName"),
    ("StorageClass", "PersistentVolumeClaim", "spec/storageClassName"),
    (
        "StorageClass",
        "StatefulSet",
        "spec/volumeClaimTemplates/spec/storageClassName",
    ),
    ("PersistentVolume", "PersistentVolumeClaim", "spec/volumeName"),
    ("IngressClass", "Ingress", "spec/ingressClassName"),
];

/// Kinds whose pod spec names a ServiceAccount, PVC or PriorityClass (no ReplicaSet).
const SA_PVC_REFERRERS: &[&str] = &[
    "Pod",
    "StatefulSet",
    "Deployment",
    "ReplicationController",
    "CronJob",
    "Job",
    "DaemonSet",
];

/// Every (referred kind, path) that applies to a referrer of `kind`.
fn rules(kind: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some((_, pod)) = POD_SPECS.iter().find(|(k, _)| *k == kind) {
        for p in CONFIGMAP_IN_POD {
            out.push(("ConfigMap", format!("{pod}/{p}")));
        }
        for p in SECRET_IN_POD {
            out.push(("Secret", format!("{pod}/{p}")));
        }
        if SA_PVC_REFERRERS.contains(&kind) {
            out.push(("ServiceAccount", format!("{pod}/serviceAccountName")));
            out.push((
                "PersistentVolumeClaim",
                format!("{pod}/volumes/persistentVolumeClaim/claimName"),
            ));
            out.push(("PriorityClass", format!("{pod}/priorityClassName")));
        }
    }
    for (target, referrer, path) in OTHER {
        if *referrer == kind {
            out.push((target, path.to_string()));
        }
    }
    out
}

/// One object a reference can point at.
struct Candidate {
    namespace: String,
    name: String,
    cluster_scoped: bool,
}

type Index = BTreeMap<(String, String), Vec<Candidate>>;

fn lookup<'a>(index: &'a Index, kind: &str, old: &str, referrer_ns: Option<&str>) -> Option<&'a Candidate> {
    let found = index.get(&(kind.to_string(), old.to_string()))?;
    let norm = |s: &str| {
        if s.is_empty() {
            "default".to_string()
        } else {
            s.to_string()
        }
    };
    found
        .iter()
        .find(|c| c.cluster_scoped || referrer_ns.is_none_or(|ns| norm(ns) == norm(&c.namespace)))
}

/// Rewrites every reference in `resources` to the current names.
pub fn fix(resources: &mut [Resource]) {
    let mut index: Index = BTreeMap::new();
    for r in resources.iter() {
        let kind = kind_of(&r.obj).to_string();
        index
            .entry((kind.clone(), r.orig_name.clone()))
            .or_default()
            .push(Candidate {
                namespace: r.namespace().to_string(),
                name: r.name().to_string(),
                cluster_scoped: cluster_scoped(&kind),
            });
    }
    for r in resources.iter_mut() {
        let kind = kind_of(&r.obj).to_string();
        let own_ns = (!cluster_scoped(&kind)).then(|| r.namespace().to_string());
        for (target, path) in rules(&kind) {
            visit(&mut r.obj, &segments(&path), None, &mut |v| {
                if let Some(old) = v.as_str()
                    && let Some(c) = lookup(&index, target, old, own_ns.as_deref())
                {
                    *v = json!(c.name);
                }
            });
        }
        match kind.as_str() {
            "RoleBinding" | "ClusterRoleBinding" => binding(r, &index, own_ns.as_deref()),
            "HorizontalPodAutoscaler" => {
                if let Some(target) = r.obj.pointer_mut("/spec/scaleTargetRef") {
                    kind_checked(
                        target,
                        &index,
                        own_ns.as_deref(),
                        &["Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"],
                    );
                }
            }
            _ => {}
        }
    }
}

/// A `{kind, name}` reference: renamed only when its kind is one of `kinds`.
fn kind_checked(target: &mut Value, index: &Index, ns: Option<&str>, kinds: &[&str]) {
    let kind = target.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    if !kinds.contains(&kind.as_str()) {
        return;
    }
    if let Some(old) = target.get("name").and_then(Value::as_str)
        && let Some(c) = lookup(index, &kind, old, ns)
    {
        target["name"] = json!(c.name);
    }
}

/// A binding's roleRef, and its ServiceAccount subjects, which also take the account's
/// namespace.
fn binding(r: &mut Resource, index: &Index, own_ns: Option<&str>) {
    let role_kinds: &[&str] = if kind_of(&r.obj) == "RoleBinding" {
        &["Role", "ClusterRole"]
    } else {
        &["ClusterRole"]
    };
    if let Some(role_ref) = r.obj.get_mut("roleRef") {
        kind_checked(role_ref, index, own_ns, role_kinds);
    }
    let Some(subjects) = r.obj.get_mut("subjects").and_then(Value::as_array_mut) else {
        return;
    };
    for s in subjects {
        if s.get("kind").and_then(Value::as_str) != Some("ServiceAccount") {
            continue;
        }
        let Some(old) = s.get("name").and_then(Value::as_str) else {
            continue;
        };
        let ns = s.get("namespace").and_then(Value::as_str).map(str::to_string);
        let want = ns.as_deref().or(own_ns);
        if let Some(c) = lookup(index, "ServiceAccount", old, want) {
            s["name"] = json!(c.name);
            if !c.namespace.is_empty() {
                s["namespace"] = json!(c.namespace);
            }
        }
    }
}
