//! Admission: what the API server adds to or checks on a Pod before storing it, through the
//! plugins every cluster enables (ServiceAccount, DefaultTolerationSeconds, Priority) and the
//! Pod strategy's own `PrepareForCreate` (initial status, QoS class).

use k8s_openapi::api::core::v1::{
    ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath, ObjectFieldSelector, Pod, PodStatus,
    ProjectedVolumeSource, ResourceRequirements, ServiceAccountTokenProjection, Toleration, Volume, VolumeMount,
    VolumeProjection,
};

use super::errors::{ApiError, Reason};
use crate::sim::rng::Rng;
use crate::store::{Kind, ObjectKey, Store};

pub const SERVICE_ACCOUNT_MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The PriorityClass marked `globalDefault`, the lowest value first if several are.
pub fn default_priority_class(store: &Store) -> Option<&k8s_openapi::api::scheduling::v1::PriorityClass> {
    store
        .list(Kind::PriorityClass, None)
        .filter_map(|o| match o {
            crate::store::Object::PriorityClass(pc) if pc.global_default == Some(true) => Some(pc),
            _ => None,
        })
        .min_by_key(|pc| pc.value)
}

/// The priority admission plugin for a new PriorityClass: only one may be the global default.
pub fn admit_priority_class(
    pc: &k8s_openapi::api::scheduling::v1::PriorityClass,
    store: &Store,
) -> Result<(), ApiError> {
    if pc.global_default == Some(true)
        && let Some(other) = default_priority_class(store)
        && other.metadata.name != pc.metadata.name
    {
        return Err(ApiError::new(
            Reason::Forbidden,
            format!(
                "priorityclasses.scheduling.k8s.io {:?} is forbidden: PriorityClass {} is already marked as default. Only one default can exist",
                pc.metadata.name.as_deref().unwrap_or(""),
                other.metadata.name.as_deref().unwrap_or("")
            ),
        ));
    }
    Ok(())
}

/// Mutating and validating admission for a new Pod.
pub fn admit_pod(pod: &mut Pod, store: &Store, rng: &mut Rng) -> Result<(), ApiError> {
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();

    // A mirror pod stands for a static pod the kubelet runs from a file: no service account.
    let mirror = pod
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"));
    let Some(spec) = pod.spec.as_mut() else {
        return Ok(());
    };
    if mirror {
        spec.priority.get_or_insert(match spec.priority_class_name.as_deref() {
            Some("system-node-critical") => 2_000_001_000,
            Some("system-cluster-critical") => 2_000_000_000,
            _ => 0,
        });
        spec.enable_service_links.get_or_insert(true);
        spec.preemption_policy
            .get_or_insert_with(|| "PreemptLowerPriority".into());
        let qos = qos_class(pod);
        pod.status = Some(PodStatus {
            phase: Some("Pending".into()),
            qos_class: Some(qos.into()),
            ..Default::default()
        });
        return Ok(());
    }
    // ServiceAccount: default the account, require it to exist, mount its token.
    let sa = spec
        .service_account_name
        .get_or_insert_with(|| "default".into())
        .clone();
    spec.service_account = Some(sa.clone());
    // For the default account the API server retries its lookup for about a second, time
    // enough for the ServiceAccount controller to create it in a namespace made just before.
    let namespace_active = matches!(store.get(&ObjectKey::new(Kind::Namespace, "", &ns)), Some(crate::store::Object::Namespace(n)) if n.metadata.deletion_timestamp.is_none());
    let will_exist = sa == "default" && namespace_active;
    if !will_exist && store.get(&ObjectKey::new(Kind::ServiceAccount, &ns, &sa)).is_none() {
        return Err(ApiError::new(
            Reason::Forbidden,
            format!(
                "pods {name:?} is forbidden: error looking up service account {ns}/{sa}: serviceaccount {sa:?} not found"
            ),
        ));
    }
    if spec.automount_service_account_token != Some(false) {
        let already = spec
            .containers
            .iter()
            .flat_map(|c| c.volume_mounts.iter().flatten())
            .any(|m| m.mount_path == SERVICE_ACCOUNT_MOUNT);
        if !already {
            let vol_name = format!("kube-api-access-{}", rng.name_suffix(5));
            spec.volumes
                .get_or_insert_with(Vec::new)
                .push(service_account_volume(&vol_name));
            let mount = VolumeMount {
                name: vol_name,
                mount_path: SERVICE_ACCOUNT_MOUNT.into(),
                read_only: Some(true),
                ..Default::default()
            };
            for c in spec
                .init_containers
                .iter_mut()
                .flatten()
                .chain(spec.containers.iter_mut())
            {
                c.volume_mounts.get_or_insert_with(Vec::new).push(mount.clone());
            }
        }
    }

    // DefaultTolerationSeconds: tolerate not-ready and unreachable nodes for 300s.
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let has = tolerations.iter().any(|t| {
            (t.key.as_deref() == Some(key) || (t.key.is_none() && t.operator.as_deref() == Some("Exists")))
                && t.effect.as_deref().is_none_or(|e| e.is_empty() || e == "NoExecute")
        });
        if !has {
            tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(300),
                ..Default::default()
            });
        }
    }

    // Priority (plugin/pkg/admission/priority): the class named, or the global default class,
    // gives the pod its priority and preemption policy; a value the pod states must agree.
    let (class_name, priority, policy) = match spec.priority_class_name.as_deref().unwrap_or("") {
        "" => match default_priority_class(store) {
            Some(pc) => (
                pc.metadata.name.clone().unwrap_or_default(),
                pc.value,
                pc.preemption_policy.clone(),
            ),
            None => (String::new(), 0, None),
        },
        wanted => match store.get(&ObjectKey::new(Kind::PriorityClass, "", wanted)) {
            Some(crate::store::Object::PriorityClass(pc)) => {
                (wanted.to_string(), pc.value, pc.preemption_policy.clone())
            }
            _ => {
                return Err(ApiError::new(
                    Reason::Forbidden,
                    format!("pods {name:?} is forbidden: no PriorityClass with name {wanted} was found"),
                ));
            }
        },
    };
    if let Some(given) = spec.priority.filter(|p| *p != priority) {
        return Err(ApiError::new(
            Reason::Forbidden,
            format!(
                "pods {name:?} is forbidden: the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name"
            ),
        ));
    }
    let policy = policy.unwrap_or_else(|| "PreemptLowerPriority".into());
    if let Some(given) = spec.preemption_policy.as_ref().filter(|p| **p != policy) {
        return Err(ApiError::new(
            Reason::Forbidden,
            format!(
                "pods {name:?} is forbidden: the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name"
            ),
        ));
    }
    if !class_name.is_empty() {
        spec.priority_class_name = Some(class_name);
    }
    spec.priority = Some(priority);
    spec.preemption_policy = Some(policy);

    // The Pod strategy starts every pod Pending, with its QoS class.
    let qos = qos_class(pod);
    pod.status = Some(PodStatus {
        phase: Some("Pending".into()),
        qos_class: Some(qos.into()),
        ..Default::default()
    });
    Ok(())
}

fn service_account_volume(name: &str) -> Volume {
    Volume {
        name: name.into(),
        projected: Some(ProjectedVolumeSource {
            default_mode: Some(0o644),
            sources: Some(vec![
                VolumeProjection {
                    service_account_token: Some(ServiceAccountTokenProjection {
                        expiration_seconds: Some(3607),
                        path: "token".into(),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                VolumeProjection {
                    config_map: Some(ConfigMapProjection {
                        name: "kube-root-ca.crt".into(),
                        items: Some(vec![KeyToPath {
                            key: "ca.crt".into(),
                            path: "ca.crt".into(),
                            mode: None,
                        }]),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                VolumeProjection {
                    downward_api: Some(DownwardAPIProjection {
                        items: Some(vec![DownwardAPIVolumeFile {
                            field_ref: Some(ObjectFieldSelector {
                                api_version: Some("v1".into()),
                                field_path: "metadata.namespace".into(),
                            }),
                            path: "namespace".into(),
                            ..Default::default()
                        }]),
                    }),
                    ..Default::default()
                },
            ]),
        }),
        ..Default::default()
    }
}

/// `qos.GetPodQOS`: Guaranteed when every container limits cpu and memory with requests equal
/// to limits, BestEffort when nothing requests or limits anything, Burstable otherwise.
pub fn qos_class(pod: &Pod) -> &'static str {
    let Some(spec) = &pod.spec else {
        return "BestEffort";
    };
    let all: Vec<&ResourceRequirements> = spec
        .init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter())
        .filter_map(|c| c.resources.as_ref())
        .collect();
    let is_set = |r: &&ResourceRequirements| {
        r.requests
            .as_ref()
            .is_some_and(|m| m.keys().any(|k| k == "cpu" || k == "memory"))
            || r.limits
                .as_ref()
                .is_some_and(|m| m.keys().any(|k| k == "cpu" || k == "memory"))
    };
    if !all.iter().any(is_set) {
        return "BestEffort";
    }
    let containers = spec.init_containers.iter().flatten().chain(spec.containers.iter());
    let guaranteed = containers.clone().count() > 0
        && containers.into_iter().all(|c| {
            let Some(r) = &c.resources else { return false };
            ["cpu", "memory"].iter().all(|k| {
                let limit = r.limits.as_ref().and_then(|l| l.get(*k));
                let request = r.requests.as_ref().and_then(|l| l.get(*k));
                limit.is_some() && (request.is_none() || request == limit)
            })
        });
    if guaranteed { "Guaranteed" } else { "Burstable" }
}
