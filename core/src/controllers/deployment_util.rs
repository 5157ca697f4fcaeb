//! The Deployment controller's arithmetic and bookkeeping (pkg/controller/deployment/util):
//! surge and unavailability from ints or percentages, the pod-template hash, the revision
//! annotations, and the proportions a scaled Deployment spreads over its ReplicaSets.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
pub const HASH_LABEL: &str = "pod-template-hash";

/// Annotations of a Deployment that its ReplicaSets do not copy (`skipCopyAnnotation`).
const NOT_COPIED: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    REVISION_HISTORY,
    DESIRED_REPLICAS,
    MAX_REPLICAS,
    "deprecated.deployment.rollback.to",
];

pub fn replicas(d: &Deployment) -> i32 {
    d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

pub fn rs_replicas(rs: &ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0)
}

pub fn rs_available(rs: &ReplicaSet) -> i32 {
    rs.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0)
}

pub fn is_rolling(d: &Deployment) -> bool {
    d.spec
        .as_ref()
        .and_then(|s| s.strategy.as_ref())
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("RollingUpdate")
        == "RollingUpdate"
}

/// `GetScaledValueFromIntOrPercent`: an int as is, `N%` of `total` rounded up or down.
pub fn scaled_value(v: Option<&IntOrString>, total: i32, round_up: bool) -> i32 {
    match v {
        None => 0,
        Some(IntOrString::Int(n)) => *n,
        Some(IntOrString::String(s)) => {
            let Some(p) = s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) else {
                return s.parse().unwrap_or(0);
            };
            let product = p.saturating_mul(total.into());
            let v = if round_up {
                product.saturating_add(99).div_euclid(100)
            } else {
                product.div_euclid(100)
            };
            i32::try_from(v).unwrap_or(i32::MAX)
        }
    }
}

/// `ResolveFenceposts`: (maxSurge rounded up, maxUnavailable rounded down), and if both come
/// to zero, one pod may be unavailable so that a rollout can progress at all.
pub fn fenceposts(d: &Deployment) -> (i32, i32) {
    let ru = d
        .spec
        .as_ref()
        .and_then(|s| s.strategy.as_ref())
        .and_then(|s| s.rolling_update.as_ref());
    let desired = replicas(d);
    let surge = scaled_value(ru.and_then(|r| r.max_surge.as_ref()), desired, true);
    let unavailable = scaled_value(ru.and_then(|r| r.max_unavailable.as_ref()), desired, false);
    if surge == 0 && unavailable == 0 {
        (0, 1)
    } else {
        (surge, unavailable)
    }
}

pub fn max_surge(d: &Deployment) -> i32 {
    if is_rolling(d) { fenceposts(d).0 } else { 0 }
}

pub fn max_unavailable(d: &Deployment) -> i32 {
    let r = replicas(d);
    if !is_rolling(d) || r == 0 {
        return 0;
    }
    fenceposts(d).1.min(r)
}

/// The pod-template hash. Upstream hashes Go's deep printing of the template with FNV-32a and
/// maps the decimal digits of the sum into `SafeEncodeString`'s alphabet; the Go printing
/// cannot be reproduced, so Kubeplay hashes the template's canonical JSON instead. The form is
/// the same (up to ten characters of `4-9`, `b`, `c`, `d`, `f`) and so is the stability: the same
/// template always gives the same hash, so an undo finds its old ReplicaSet again.
pub fn template_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let json = serde_json::to_string(template).unwrap_or_default();
    let mut h: u32 = 0x811c_9dc5;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u32::from(*b);
            h = h.wrapping_mul(0x0100_0193);
        }
    };
    feed(json.as_bytes());
    if let Some(c) = collision_count {
        feed(&c.to_le_bytes());
    }
    h.to_string()
        .bytes()
        .map(|b| {
            char::from(
                usize::from(b)
                    .checked_rem(ALPHANUMS.len())
                    .and_then(|i| ALPHANUMS.get(i))
                    .copied()
                    .unwrap_or(b'b'),
            )
        })
        .collect()
}

/// The template without its `pod-template-hash` label, for `EqualIgnoreHash`.
pub fn without_hash(t: &PodTemplateSpec) -> PodTemplateSpec {
    let mut t = t.clone();
    if let Some(m) = t.metadata.as_mut()
        && let Some(l) = m.labels.as_mut()
    {
        l.remove(HASH_LABEL);
        if l.is_empty() {
            m.labels = None;
        }
    }
    t
}

pub fn revision(annotations: Option<&BTreeMap<String, String>>) -> i64 {
    annotations
        .and_then(|a| a.get(REVISION))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// `SetNewReplicaSetAnnotations`: copies the Deployment's annotations, moves the revision
/// forward (keeping the old one in `revision-history` when an old ReplicaSet comes back), and
/// on a new ReplicaSet records the desired and maximum replicas. True if anything changed.
pub fn set_new_rs_annotations(d: &Deployment, rs: &mut ReplicaSet, new_revision: i64, exists: bool) -> bool {
    let before = rs.metadata.annotations.clone();
    let a = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    for (k, v) in d.metadata.annotations.iter().flatten() {
        if !NOT_COPIED.contains(&k.as_str()) {
            a.insert(k.clone(), v.clone());
        }
    }
    let old = a.get(REVISION).cloned();
    let old_n: i64 = old.as_deref().and_then(|r| r.parse().ok()).unwrap_or(0);
    if old_n < new_revision {
        a.insert(REVISION.into(), new_revision.to_string());
        if let Some(old) = old {
            let history = match a.get(REVISION_HISTORY) {
                Some(h) if !h.is_empty() => format!("{h},{old}"),
                _ => old,
            };
            a.insert(REVISION_HISTORY.into(), history);
        }
    }
    if !exists {
        let r = replicas(d);
        a.insert(DESIRED_REPLICAS.into(), r.to_string());
        a.insert(MAX_REPLICAS.into(), r.saturating_add(max_surge(d)).to_string());
    }
    rs.metadata.annotations != before
}

/// `SetReplicasAnnotations` for a ReplicaSet being scaled. True if anything changed.
pub fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let a = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let before = (a.get(DESIRED_REPLICAS).cloned(), a.get(MAX_REPLICAS).cloned());
    a.insert(DESIRED_REPLICAS.into(), desired.to_string());
    a.insert(MAX_REPLICAS.into(), max.to_string());
    before != (Some(desired.to_string()), Some(max.to_string()))
}

fn annotation_i32(rs: &ReplicaSet, key: &str) -> Option<i32> {
    rs.metadata.annotations.as_ref()?.get(key)?.parse().ok()
}

pub fn desired_annotation(rs: &ReplicaSet) -> Option<i32> {
    annotation_i32(rs, DESIRED_REPLICAS)
}

/// `GetProportion`: this ReplicaSet's share of `to_add`, bounded by what is left to add.
pub fn proportion(rs: &ReplicaSet, d: &Deployment, status_replicas: i32, to_add: i32, added: i32) -> i32 {
    let size = rs_replicas(rs);
    if size == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = fraction(rs, d, status_replicas);
    let allowed = to_add.saturating_sub(added);
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

/// `getReplicaSetFraction`: the size the ReplicaSet would have at the new scale, less its size.
fn fraction(rs: &ReplicaSet, d: &Deployment, status_replicas: i32) -> i32 {
    let size = rs_replicas(rs);
    if replicas(d) == 0 {
        return size.saturating_neg();
    }
    let deployment_replicas = replicas(d).saturating_add(max_surge(d));
    let annotated = annotation_i32(rs, MAX_REPLICAS).unwrap_or(status_replicas);
    if annotated == 0 {
        return 0;
    }
    let scaled = f64::from(size) * f64::from(deployment_replicas) / f64::from(annotated);
    i32::try_from(crate::num::i64_of_f64(scaled.round()))
        .unwrap_or(i32::MAX)
        .saturating_sub(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_as_the_controller_rounds() {
        let p = IntOrString::String("25%".into());
        assert_eq!(scaled_value(Some(&p), 10, true), 3);
        assert_eq!(scaled_value(Some(&p), 10, false), 2);
        assert_eq!(scaled_value(Some(&IntOrString::Int(4)), 10, false), 4);
    }

    #[test]
    fn the_hash_has_the_upstream_form_and_is_stable() {
        let t = PodTemplateSpec::default();
        let h = template_hash(&t, None);
        assert!(h.len() <= 10 && !h.is_empty());
        assert!(h.chars().all(|c| "456789bcdf".contains(c)), "{h}");
        assert_eq!(h, template_hash(&t, None));
        assert_ne!(h, template_hash(&t, Some(1)));
    }
}
