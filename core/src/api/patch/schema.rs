//! The patch strategy of each list field, as the API types declare it with
//! `patchStrategy`/`patchMergeKey` struct tags (k8s.io/api core/v1, apps/v1, batch/v1 types.go).
//! Strategic merge patch and `kubectl apply` merge a list by its key only where the type says
//! so; every other list is atomic and replaced whole.

use crate::store::Kind;

/// How a list field merges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListStrategy {
    /// Replaced whole by the patch.
    Atomic,
    /// Items matched by the value of this key; `retain_keys` when the items also carry
    /// `patchStrategy:"merge,retainKeys"` (volumes).
    MergeByKey { key: &'static str, retain_keys: bool },
    /// A list of scalars merged as a set (`finalizers`).
    MergeScalars,
}

/// The strategy of the list at `path` (object keys from the root, list levels skipped) in an
/// object of `kind`.
pub fn list_strategy(kind: Kind, path: &[&str]) -> ListStrategy {
    use ListStrategy::*;
    let by = |key| MergeByKey {
        key,
        retain_keys: false,
    };
    let Some((&field, parents)) = path.split_last() else {
        return Atomic;
    };
    let parent = parents.last().copied().unwrap_or("");
    let in_container = matches!(parent, "containers" | "initContainers" | "ephemeralContainers");
    let in_pod_spec = parent == "spec" && is_pod_spec(kind, parents);
    match field {
        "finalizers" if parent == "metadata" => MergeScalars,
        "ownerReferences" if parent == "metadata" => by("uid"),
        "containers" | "initContainers" | "ephemeralContainers" | "imagePullSecrets" | "schedulingGates"
            if in_pod_spec =>
        {
            by("name")
        }
        "volumes" | "resourceClaims" if in_pod_spec => MergeByKey {
            key: "name",
            retain_keys: true,
        },
        "hostAliases" if in_pod_spec => by("ip"),
        "topologySpreadConstraints" if in_pod_spec => by("topologyKey"),
        "env" if in_container => by("name"),
        "ports" if in_container => by("containerPort"),
        "volumeMounts" if in_container => by("mountPath"),
        "volumeDevices" if in_container => by("devicePath"),
        "ports" if kind == Kind::Service && parents == ["spec"] => by("port"),
        "secrets" if kind == Kind::ServiceAccount && parents.is_empty() => by("name"),
        "conditions" if parent == "status" => by("type"),
        "addresses" if kind == Kind::Node && parents == ["status"] => by("type"),
        "podIPs" | "hostIPs" if kind == Kind::Pod && parents == ["status"] => by("ip"),
        _ => Atomic,
    }
}

/// Whether `spec` at the end of `parents` is a PodSpec: a pod's own, or a template's.
fn is_pod_spec(kind: Kind, parents: &[&str]) -> bool {
    match parents {
        ["spec"] => kind == Kind::Pod,
        [.., "template", "spec"] => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_types() {
        let k = |kind, p: &str| list_strategy(kind, &p.split('.').collect::<Vec<_>>());
        let by = |key| ListStrategy::MergeByKey {
            key,
            retain_keys: false,
        };
        assert_eq!(k(Kind::Pod, "spec.containers"), by("name"));
        assert_eq!(
            k(Kind::Deployment, "spec.template.spec.containers.ports"),
            by("containerPort")
        );
        assert_eq!(
            k(Kind::CronJob, "spec.jobTemplate.spec.template.spec.containers.env"),
            by("name")
        );
        assert_eq!(k(Kind::Service, "spec.ports"), by("port"));
        assert_eq!(k(Kind::Deployment, "spec.containers"), ListStrategy::Atomic);
        assert_eq!(k(Kind::Pod, "spec.tolerations"), ListStrategy::Atomic);
        assert_eq!(k(Kind::Pod, "metadata.finalizers"), ListStrategy::MergeScalars);
    }
}
