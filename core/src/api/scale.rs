//! The `scale` subresource (`autoscaling/v1` Scale) of the kinds that have one: Deployments,
//! ReplicaSets and StatefulSets. `kubectl scale`, `kubectl autoscale` and the HPA controller
//! read and write replicas through it.

use crate::store::{Kind, Object};

/// Whether the kind serves `/scale`.
pub fn has_scale(kind: Kind) -> bool {
    matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet)
}

/// `spec.replicas` as the scale subresource reports it (defaulted to 1), or None for a kind
/// without one.
pub fn replicas(obj: &Object) -> Option<i32> {
    match obj {
        Object::Deployment(d) => Some(d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)),
        Object::ReplicaSet(r) => Some(r.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)),
        Object::StatefulSet(s) => Some(s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)),
        _ => None,
    }
}

/// Writes `spec.replicas` (no-op on a kind without scale).
pub fn set_replicas(obj: &mut Object, n: i32) {
    match obj {
        Object::Deployment(d) => d.spec.get_or_insert_with(Default::default).replicas = Some(n),
        Object::ReplicaSet(r) => r.spec.get_or_insert_with(Default::default).replicas = Some(n),
        Object::StatefulSet(s) => s.spec.get_or_insert_with(Default::default).replicas = Some(n),
        _ => {}
    }
}
