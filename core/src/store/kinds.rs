//! The kinds Kubeplay serves, with the discovery facts kubectl needs about each (group, version,
//! plural, short names, scope), and the typed [`Object`] the store keeps.
//!
//! Types come from k8s-openapi at the boundary; one macro keeps the enum, the kind list and the
//! discovery table in step, so adding a kind is one line.

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{
    ConfigMap, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, ResourceQuota, Secret, Service,
    ServiceAccount,
};
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::api::storage::v1::{CSIDriver, StorageClass};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Discovery information for one resource, as the API server advertises it.
#[derive(Debug)]
pub struct ResourceInfo {
    pub kind: Kind,
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
    /// Member of the `all` category that `kubectl get all` expands to.
    pub in_all: bool,
}

impl ResourceInfo {
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `apps/v1`, or `/v1` for the core group: the group/version as `schema.GroupVersion`
    /// prints inside GVR and GVK strings (`/v1, Resource=pods`).
    pub fn group_version(&self) -> String {
        format!("{}/{}", self.group, self.version)
    }

    /// `deployment.apps`, or `pod` for the core group: how kubectl names the kind in its
    /// messages (`deployment.apps/web created`).
    pub fn kind_group(&self) -> String {
        let lower = self.kind.name().to_lowercase();
        if self.group.is_empty() {
            lower
        } else {
            format!("{lower}.{}", self.group)
        }
    }

    /// `deployments.apps`, or `pods`: how the API server names the resource in its errors
    /// (`deployments.apps "web" not found`).
    pub fn resource_group(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
}

macro_rules! kinds {
    ($( $variant:ident : $ty:ty = $group:literal / $version:literal, $plural:literal, $singular:literal,
        [$($short:literal),*], namespaced = $ns:literal, all = $all:literal; )*) => {
        /// A kind Kubeplay serves. The order is the order of `kubectl get all` output and of
        /// the store's keys.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($variant),* }

        /// One stored object, typed.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Object { $($variant($ty)),* }

        pub static RESOURCES: &[ResourceInfo] = &[$(
            ResourceInfo {
                kind: Kind::$variant,
                group: $group,
                version: $version,
                plural: $plural,
                singular: $singular,
                short_names: &[$($short),*],
                namespaced: $ns,
                in_all: $all,
            }
        ),*];

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Kind::$variant => stringify!($variant)),* }
            }

            /// Decodes a JSON document as this kind. Unknown fields are reported to `ignored`
            /// with their path, for strict decoding.
            pub(crate) fn decode(
                self,
                value: serde_json::Value,
                ignored: &mut dyn FnMut(serde_ignored::Path<'_>),
            ) -> Result<Object, serde_path_to_error::Error<serde_json::Error>> {
                match self {
                    $(Kind::$variant => {
                        let mut cb = &mut *ignored;
                        let de = serde_ignored::Deserializer::new(value, &mut cb);
                        serde_path_to_error::deserialize::<_, $ty>(de).map(Object::$variant)
                    })*
                }
            }
        }

        impl Object {
            pub fn kind(&self) -> Kind {
                match self { $(Object::$variant(_) => Kind::$variant),* }
            }

            pub fn meta(&self) -> &ObjectMeta {
                match self { $(Object::$variant(o) => &o.metadata),* }
            }

            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Object::$variant(o) => &mut o.metadata),* }
            }

            /// The object as JSON, keys sorted, `apiVersion` and `kind` included: the shape
            /// `kubectl get -o json|yaml` prints.
            pub fn to_value(&self) -> serde_json::Value {
                let v = match self { $(Object::$variant(o) => serde_json::to_value(o)),* };
                v.unwrap_or(serde_json::Value::Null)
            }
        }

        $(
            impl From<$ty> for Object {
                fn from(o: $ty) -> Object { Object::$variant(o) }
            }
        )*
    };
}

kinds! {
    Pod: Pod = "" / "v1", "pods", "pod", ["po"], namespaced = true, all = true;
    Service: Service = "" / "v1", "services", "service", ["svc"], namespaced = true, all = true;
    DaemonSet: DaemonSet = "apps" / "v1", "daemonsets", "daemonset", ["ds"], namespaced = true, all = true;
    Deployment: Deployment = "apps" / "v1", "deployments", "deployment", ["deploy"], namespaced = true, all = true;
    ReplicaSet: ReplicaSet = "apps" / "v1", "replicasets", "replicaset", ["rs"], namespaced = true, all = true;
    StatefulSet: StatefulSet = "apps" / "v1", "statefulsets", "statefulset", ["sts"], namespaced = true, all = true;
    HorizontalPodAutoscaler: HorizontalPodAutoscaler = "autoscaling" / "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", ["hpa"], namespaced = true, all = true;
    CronJob: CronJob = "batch" / "v1", "cronjobs", "cronjob", ["cj"], namespaced = true, all = true;
    Job: Job = "batch" / "v1", "jobs", "job", [], namespaced = true, all = true;
    ControllerRevision: ControllerRevision = "apps" / "v1", "controllerrevisions", "controllerrevision", [], namespaced = true, all = false;
    Lease: Lease = "coordination.k8s.io" / "v1", "leases", "lease", [], namespaced = true, all = false;
    PodDisruptionBudget: PodDisruptionBudget = "policy" / "v1", "poddisruptionbudgets", "poddisruptionbudget", ["pdb"], namespaced = true, all = false;
    Namespace: Namespace = "" / "v1", "namespaces", "namespace", ["ns"], namespaced = false, all = false;
    Node: Node = "" / "v1", "nodes", "node", ["no"], namespaced = false, all = false;
    ConfigMap: ConfigMap = "" / "v1", "configmaps", "configmap", ["cm"], namespaced = true, all = false;
    Secret: Secret = "" / "v1", "secrets", "secret", [], namespaced = true, all = false;
    ServiceAccount: ServiceAccount = "" / "v1", "serviceaccounts", "serviceaccount", ["sa"], namespaced = true, all = false;
    Event: Event = "" / "v1", "events", "event", ["ev"], namespaced = true, all = false;
    PersistentVolume: PersistentVolume = "" / "v1", "persistentvolumes", "persistentvolume", ["pv"], namespaced = false, all = false;
    PersistentVolumeClaim: PersistentVolumeClaim = "" / "v1", "persistentvolumeclaims", "persistentvolumeclaim", ["pvc"], namespaced = true, all = false;
    StorageClass: StorageClass = "storage.k8s.io" / "v1", "storageclasses", "storageclass", ["sc"], namespaced = false, all = false;
    Ingress: Ingress = "networking.k8s.io" / "v1", "ingresses", "ingress", ["ing"], namespaced = true, all = false;
    IngressClass: IngressClass = "networking.k8s.io" / "v1", "ingressclasses", "ingressclass", [], namespaced = false, all = false;
    Role: Role = "rbac.authorization.k8s.io" / "v1", "roles", "role", [], namespaced = true, all = false;
    RoleBinding: RoleBinding = "rbac.authorization.k8s.io" / "v1", "rolebindings", "rolebinding", [], namespaced = true, all = false;
    ClusterRole: ClusterRole = "rbac.authorization.k8s.io" / "v1", "clusterroles", "clusterrole", [], namespaced = false, all = false;
    ClusterRoleBinding: ClusterRoleBinding = "rbac.authorization.k8s.io" / "v1", "clusterrolebindings", "clusterrolebinding", [], namespaced = false, all = false;
    CSIDriver: CSIDriver = "storage.k8s.io" / "v1", "csidrivers", "csidriver", [], namespaced = false, all = false;
    PriorityClass: PriorityClass = "scheduling.k8s.io" / "v1", "priorityclasses", "priorityclass", ["pc"], namespaced = false, all = false;
    ResourceQuota: ResourceQuota = "" / "v1", "resourcequotas", "resourcequota", ["quota"], namespaced = true, all = false;
}

impl Kind {
    pub fn info(self) -> &'static ResourceInfo {
        // RESOURCES is generated in the same order as the enum.
        &RESOURCES[self as usize]
    }

    /// The kind served at `apiVersion` with this `kind` name, if any.
    pub fn from_api(api_version: &str, kind: &str) -> Option<Kind> {
        RESOURCES
            .iter()
            .find(|r| r.kind.name() == kind && r.api_version() == api_version)
            .map(|r| r.kind)
    }

    /// The kind named `kind` in API group `group`, whatever its version (a REST mapping).
    pub fn from_group_kind(group: &str, kind: &str) -> Option<Kind> {
        RESOURCES
            .iter()
            .find(|r| r.kind.name() == kind && r.group == group)
            .map(|r| r.kind)
    }
}

impl Object {
    pub fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.meta().namespace.as_deref().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_follows_enum_order() {
        for (i, r) in RESOURCES.iter().enumerate() {
            assert_eq!(r.kind as usize, i);
        }
        assert_eq!(Kind::Deployment.info().kind_group(), "deployment.apps");
        assert_eq!(Kind::Pod.info().resource_group(), "pods");
        assert_eq!(Kind::from_api("apps/v1", "Deployment"), Some(Kind::Deployment));
        assert_eq!(Kind::from_api("v1", "Deployment"), None);
    }
}

/// Kinds whose `status` is a subresource: a write to the main resource keeps the stored status,
/// and a status write changes nothing else.
macro_rules! with_status {
    ($($variant:ident),*) => {
        impl Object {
            /// Copies `from`'s status into `self` (same kind); false for kinds without status.
            pub fn copy_status_from(&mut self, from: &Object) -> bool {
                match (self, from) {
                    $((Object::$variant(to), Object::$variant(from)) => {
                        to.status = from.status.clone();
                        true
                    })*
                    _ => false,
                }
            }
        }
    };
}

with_status!(
    Pod,
    Service,
    DaemonSet,
    Deployment,
    ReplicaSet,
    StatefulSet,
    HorizontalPodAutoscaler,
    CronJob,
    Job,
    PodDisruptionBudget,
    Namespace,
    Node,
    PersistentVolume,
    PersistentVolumeClaim,
    Ingress,
    ResourceQuota
);

/// Kinds with a `spec` whose changes bump `metadata.generation`.
macro_rules! with_generation {
    ($($variant:ident),*) => {
        impl Object {
            /// Whether `self` and `other` (same kind) differ in spec, for kinds that track
            /// generation; `None` for kinds that do not.
            pub fn spec_changed(&self, other: &Object) -> Option<bool> {
                match (self, other) {
                    $((Object::$variant(a), Object::$variant(b)) => Some(a.spec != b.spec),)*
                    _ => None,
                }
            }
        }
    };
}

with_generation!(
    Pod,
    DaemonSet,
    Deployment,
    ReplicaSet,
    StatefulSet,
    HorizontalPodAutoscaler,
    CronJob,
    Job,
    PodDisruptionBudget,
    Ingress
);
