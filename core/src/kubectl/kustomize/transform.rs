//! kustomize's built-in transformers: namespace, name prefix and suffix, labels, annotations,
//! replicas and images (api/filters/*), with the field specs of
//! api/internal/konfig/builtinpluginconsts.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::Resource;
use super::fieldspec::{FieldSpec, apply_specs, fs, kind_of};
use super::kustomization::{Image, Replica};

/// Template labels (metadataLabelsFieldSpecs, without `metadata/labels` itself).
const TEMPLATE_LABELS: &[FieldSpec] = &[
    fs("", "ReplicationController", "spec/template/metadata/labels", true),
    fs("", "Deployment", "spec/template/metadata/labels", true),
    fs("", "ReplicaSet", "spec/template/metadata/labels", true),
    fs("", "DaemonSet", "spec/template/metadata/labels", true),
    fs("apps", "StatefulSet", "spec/template/metadata/labels", true),
    fs(
        "apps",
        "StatefulSet",
        "spec/volumeClaimTemplates[]/metadata/labels",
        true,
    ),
    fs("batch", "Job", "spec/template/metadata/labels", true),
    fs("batch", "CronJob", "spec/jobTemplate/metadata/labels", true),
    fs(
        "batch",
        "CronJob",
        "spec/jobTemplate/spec/template/metadata/labels",
        true,
    ),
];

/// Selectors that `commonLabels` (and `labels` with `includeSelectors`) also write.
const SELECTORS: &[FieldSpec] = &[
    fs("", "Service", "spec/selector", true),
    fs("", "ReplicationController", "spec/selector", true),
    fs("", "Deployment", "spec/selector/matchLabels", true),
    fs("", "ReplicaSet", "spec/selector/matchLabels", true),
    fs("", "DaemonSet", "spec/selector/matchLabels", true),
    fs("apps", "StatefulSet", "spec/selector/matchLabels", true),
    fs("batch", "Job", "spec/selector/matchLabels", false),
    fs("batch", "CronJob", "spec/jobTemplate/spec/selector/matchLabels", false),
    fs("policy", "PodDisruptionBudget", "spec/selector/matchLabels", false),
    fs(
        "networking.k8s.io",
        "NetworkPolicy",
        "spec/podSelector/matchLabels",
        false,
    ),
    fs(
        "networking.k8s.io",
        "NetworkPolicy",
        "spec/ingress/from/podSelector/matchLabels",
        false,
    ),
    fs(
        "networking.k8s.io",
        "NetworkPolicy",
        "spec/egress/to/podSelector/matchLabels",
        false,
    ),
];

/// Affinity and spread selectors of Deployments and StatefulSets (create: false).
const AFFINITY_PATHS: &[&str] = &[
    "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
    "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
];

const ANNOTATIONS: &[FieldSpec] = &[
    fs("", "", "metadata/annotations", true),
    fs("", "", "spec/template/metadata/annotations", false),
    fs("", "ReplicationController", "spec/template/metadata/annotations", true),
    fs("", "Deployment", "spec/template/metadata/annotations", true),
    fs("", "ReplicaSet", "spec/template/metadata/annotations", true),
    fs("", "DaemonSet", "spec/template/metadata/annotations", true),
    fs("", "StatefulSet", "spec/template/metadata/annotations", true),
    fs("batch", "Job", "spec/template/metadata/annotations", true),
    fs("batch", "CronJob", "spec/jobTemplate/metadata/annotations", true),
    fs(
        "batch",
        "CronJob",
        "spec/jobTemplate/spec/template/metadata/annotations",
        true,
    ),
];

const METADATA_LABELS: &[FieldSpec] = &[fs("", "", "metadata/labels", true)];

/// Kinds kustomize's openapi data knows to be cluster-scoped.
const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
];

pub fn cluster_scoped(kind: &str) -> bool {
    CLUSTER_SCOPED.contains(&kind)
}

fn add_pairs(pairs: &BTreeMap<String, String>) -> impl FnMut(&mut Value) + '_ {
    move |v: &mut Value| {
        if let Value::Object(m) = v {
            for (k, val) in pairs {
                m.insert(k.clone(), json!(val));
            }
        }
    }
}

/// `labels:` (and `commonLabels`, which is `includeSelectors: true`).
pub fn labels(r: &mut Resource, pairs: &BTreeMap<String, String>, selectors: bool, templates: bool) {
    let empty = Value::Object(Map::new());
    apply_specs(&mut r.obj, METADATA_LABELS, &empty, &mut add_pairs(pairs));
    if selectors || templates {
        apply_specs(&mut r.obj, TEMPLATE_LABELS, &empty, &mut add_pairs(pairs));
    }
    if selectors {
        apply_specs(&mut r.obj, SELECTORS, &empty, &mut add_pairs(pairs));
        for kind in ["Deployment", "StatefulSet"] {
            let specs: Vec<FieldSpec> = AFFINITY_PATHS.iter().map(|p| fs("apps", kind, p, false)).collect();
            apply_specs(&mut r.obj, &specs, &empty, &mut add_pairs(pairs));
        }
    }
}

pub fn annotations(r: &mut Resource, pairs: &BTreeMap<String, String>) {
    // The duck-typed spec and a kind's own may name the same field; writing twice is harmless.
    apply_specs(
        &mut r.obj,
        ANNOTATIONS,
        &Value::Object(Map::new()),
        &mut add_pairs(pairs),
    );
}

/// The namespace transformer: `metadata.namespace` of namespaced objects, and the namespace of
/// binding subjects named `default` (roleBindingHack, DefaultSubjectsOnly).
pub fn namespace(r: &mut Resource, ns: &str) {
    let kind = kind_of(&r.obj).to_string();
    if !cluster_scoped(&kind)
        && let Some(meta) = r.obj.get_mut("metadata").and_then(Value::as_object_mut)
    {
        meta.insert("namespace".into(), json!(ns));
    }
    if (kind == "RoleBinding" || kind == "ClusterRoleBinding")
        && let Some(subjects) = r.obj.get_mut("subjects").and_then(Value::as_array_mut)
    {
        for s in subjects {
            if s.get("name").and_then(Value::as_str) == Some("default")
                && let Some(m) = s.as_object_mut()
            {
                m.insert("namespace".into(), json!(ns));
            }
        }
    }
}

/// `namePrefix` / `nameSuffix`: every name but those of Namespaces and CRDs, which other
/// objects name by their real names.
pub fn rename(r: &mut Resource, prefix: &str, suffix: &str) {
    if matches!(kind_of(&r.obj), "Namespace" | "CustomResourceDefinition") {
        return;
    }
    let name = r.name().to_string();
    if let Some(meta) = r.obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("name".into(), json!(format!("{prefix}{name}{suffix}")));
    }
}

const REPLICATED: &[&str] = &["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"];

pub fn replicas(r: &mut Resource, list: &[Replica]) {
    if !REPLICATED.contains(&kind_of(&r.obj)) {
        return;
    }
    for rep in list {
        if rep.name != r.name() && rep.name != r.orig_name {
            continue;
        }
        let Some(m) = r.obj.as_object_mut() else { continue };
        let spec = m.entry("spec").or_insert_with(|| json!({}));
        if let Some(s) = spec.as_object_mut() {
            s.insert("replicas".into(), json!(rep.count));
        }
    }
}

/// `name[:tag][@digest]` split as kustomize's image.Split does: a colon after the last slash
/// starts the tag.
fn split_image(image: &str) -> (&str, &str) {
    let rest = image.split('@').next().unwrap_or(image);
    let slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
    let name_end = rest[slash..].find(':').map(|i| slash + i).unwrap_or(rest.len());
    (&image[..name_end], &image[name_end..])
}

fn new_image(old: &str, img: &Image) -> Option<String> {
    let (name, tag_part) = split_image(old);
    if name != img.name {
        return None;
    }
    let name = if img.new_name.is_empty() { name } else { &img.new_name };
    let mut tail = tag_part.to_string();
    if !img.new_tag.is_empty() {
        tail = format!(":{}", img.new_tag);
    }
    if !img.tag_suffix.is_empty() {
        let tag = tail.split('@').next().unwrap_or("").to_string();
        tail = format!("{tag}{}", img.tag_suffix);
    }
    if !img.digest.is_empty() {
        tail = format!("@{}", img.digest);
    }
    Some(format!("{name}{tail}"))
}

/// `images:`: every container and init container image anywhere in the object, as the
/// legacy image filter walks them.
pub fn images(v: &mut Value, list: &[Image]) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                if (k == "containers" || k == "initContainers")
                    && let Value::Array(items) = child
                {
                    for c in items.iter_mut() {
                        let Some(old) = c.get("image").and_then(Value::as_str).map(str::to_string) else {
                            continue;
                        };
                        if let Some(new) = list.iter().find_map(|img| new_image(&old, img)) {
                            c["image"] = json!(new);
                        }
                    }
                } else {
                    images(child, list);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| images(i, list)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(name: &str, new_name: &str, tag: &str, digest: &str) -> Image {
        Image {
            name: name.into(),
            new_name: new_name.into(),
            new_tag: tag.into(),
            digest: digest.into(),
            tag_suffix: String::new(),
        }
    }

    #[test]
    fn image_names_tags_and_digests() {
        assert_eq!(
            new_image("nginx:1.25", &img("nginx", "", "1.27", "")).as_deref(),
            Some("nginx:1.27")
        );
        assert_eq!(
            new_image("nginx", &img("nginx", "", "1.27", "")).as_deref(),
            Some("nginx:1.27")
        );
        assert_eq!(new_image("nginxx", &img("nginx", "", "1.27", "")), None);
        assert_eq!(
            new_image("localhost:5000/app:1", &img("localhost:5000/app", "r/app", "", "")).as_deref(),
            Some("r/app:1")
        );
        assert_eq!(
            new_image("busybox:1.36", &img("busybox", "", "", "sha256:ab")).as_deref(),
            Some("busybox@sha256:ab")
        );
    }
}
