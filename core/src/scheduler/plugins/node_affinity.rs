//! NodeAffinity: `nodeSelector` and required node affinity must both match; preferred terms
//! add their weights to the score. Semantics of
//! k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, NodeSelectorTerm, Pod};

use crate::labels::requirement_matches;
use crate::scheduler::framework::{NodeInfo, Rejection};

/// An empty term matches nothing; expressions and fields in a term are ANDed.
pub fn term_matches(term: &NodeSelectorTerm, node: &Node) -> bool {
    static NONE: BTreeMap<String, String> = BTreeMap::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&NONE);
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    let name = node.metadata.name.as_deref().unwrap_or("");
    // The only field a node selector may name is metadata.name.
    let field_ok = |r: &k8s_openapi::api::core::v1::NodeSelectorRequirement| {
        if r.key != "metadata.name" {
            return false;
        }
        let values = r.values.as_deref().unwrap_or(&[]);
        match r.operator.as_str() {
            "In" => values.iter().any(|v| v == name),
            "NotIn" => !values.iter().any(|v| v == name),
            _ => false,
        }
    };
    exprs.iter().all(|r| requirement_matches(r, labels)) && fields.iter().all(field_ok)
}

pub fn matches(pod: &Pod, node: &Node) -> bool {
    static NONE: BTreeMap<String, String> = BTreeMap::new();
    let Some(spec) = &pod.spec else { return true };
    let labels = node.metadata.labels.as_ref().unwrap_or(&NONE);
    let selector_ok = spec
        .node_selector
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| na.required_during_scheduling_ignored_during_execution.as_ref());
    let affinity_ok = required.is_none_or(|sel| sel.node_selector_terms.iter().any(|t| term_matches(t, node)));
    selector_ok && affinity_ok
}

pub fn filter(pod: &Pod, node: &NodeInfo<'_>) -> Result<(), Rejection> {
    if matches(pod, node.node) {
        Ok(())
    } else {
        Err(Rejection::unresolvable(
            "node(s) didn't match Pod's node affinity/selector",
        ))
    }
}

fn preferred_weight(pod: &Pod, node: &Node) -> i64 {
    pod.spec
        .as_ref()
        .and_then(|s| s.affinity.as_ref())
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| na.preferred_during_scheduling_ignored_during_execution.as_ref())
        .map(|terms| {
            terms
                .iter()
                .filter(|t| term_matches(&t.preference, node))
                .map(|t| t.weight as i64)
                .sum()
        })
        .unwrap_or(0)
}

/// Summed weights of matching preferred terms, before normalisation.
pub fn raw_score(pod: &Pod, node: &NodeInfo<'_>) -> i64 {
    preferred_weight(pod, node.node)
}

/// Normalised so the best node scores 100.
pub fn normalize(raw: &[i64]) -> Vec<i64> {
    let max = raw.iter().copied().max().unwrap_or(0);
    raw.iter()
        .map(|r| {
            if max == 0 {
                0
            } else {
                r.saturating_mul(100).checked_div(max).unwrap_or(0)
            }
        })
        .collect()
}
