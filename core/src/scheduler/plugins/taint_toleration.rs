//! TaintToleration: a node's NoSchedule/NoExecute taints must all be tolerated; fewer
//! untolerated PreferNoSchedule taints score higher.
//! Matching follows k8s.io/api/core/v1/toleration.go `ToleratesTaint`; the reason string is
//! pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go's.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use k8s_openapi::api::core::v1::{Pod, Taint, Toleration};

use crate::scheduler::framework::{NodeInfo, Rejection};

pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    let effect = t.effect.as_deref().unwrap_or("");
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = t.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match t.operator.as_deref().unwrap_or("Equal") {
        "Exists" => true,
        "Equal" | "" => t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or(""),
        _ => false,
    }
}

fn tolerations(pod: &Pod) -> &[Toleration] {
    pod.spec.as_ref().and_then(|s| s.tolerations.as_deref()).unwrap_or(&[])
}

fn taints<'a>(node: &'a NodeInfo<'_>) -> &'a [Taint] {
    node.node.spec.as_ref().and_then(|s| s.taints.as_deref()).unwrap_or(&[])
}

pub fn filter(pod: &Pod, node: &NodeInfo<'_>) -> Result<(), Rejection> {
    let tols = tolerations(pod);
    let untolerated = taints(node)
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
        .find(|taint| !tols.iter().any(|t| tolerates(t, taint)));
    match untolerated {
        Some(t) => Err(Rejection::unresolvable(format!(
            "node(s) had untolerated taint {{{}: {}}}",
            t.key,
            t.value.as_deref().unwrap_or("")
        ))),
        None => Ok(()),
    }
}

fn intolerable_prefer_no_schedule(pod: &Pod, node: &NodeInfo<'_>) -> i64 {
    let tols: Vec<&Toleration> = tolerations(pod)
        .iter()
        .filter(|t| {
            t.effect
                .as_deref()
                .is_none_or(|e| e.is_empty() || e == "PreferNoSchedule")
        })
        .collect();
    let n = taints(node)
        .iter()
        .filter(|t| t.effect == "PreferNoSchedule")
        .filter(|taint| !tols.iter().any(|t| tolerates(t, taint)))
        .count();
    crate::num::i64_of(crate::num::u64_of(n))
}

/// The count of intolerable PreferNoSchedule taints, before normalisation.
pub fn raw_score(pod: &Pod, node: &NodeInfo<'_>) -> i64 {
    intolerable_prefer_no_schedule(pod, node)
}

/// Normalised and reversed: the node with the most intolerable taints scores 0.
pub fn normalize(raw: &[i64]) -> Vec<i64> {
    let max = raw.iter().copied().max().unwrap_or(0);
    raw.iter()
        .map(|r| {
            if max == 0 {
                return 100;
            }
            100i64.saturating_sub(r.saturating_mul(100).checked_div(max).unwrap_or(0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: Some(value.into()).filter(|v: &String| !v.is_empty()),
            effect: effect.into(),
            ..Default::default()
        }
    }

    #[test]
    fn toleration_matching() {
        let exists_all = Toleration {
            operator: Some("Exists".into()),
            ..Default::default()
        };
        assert!(tolerates(&exists_all, &taint("a", "b", "NoSchedule")));
        let eq = Toleration {
            key: Some("a".into()),
            value: Some("b".into()),
            effect: Some("NoSchedule".into()),
            ..Default::default()
        };
        assert!(tolerates(&eq, &taint("a", "b", "NoSchedule")));
        assert!(!tolerates(&eq, &taint("a", "c", "NoSchedule")));
        assert!(!tolerates(&eq, &taint("a", "b", "NoExecute")));
    }
}
