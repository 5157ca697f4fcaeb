//! NodeAffinity: `nodeSelector` and required node affinity must both match; preferred terms
//! add their weights to the score. Semantics of
//! k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, NodeSelectorTerm, Pod};

use crate::labels::Selector;
use crate::scheduler::framework::{NodeInfo, Rejection};

/// An empty term matches nothing; expressions and fields in a term are ANDed.
pub fn term_matches(term: &NodeSelectorTerm, node: &Node) -> bool {
    let labels = node.metadata.labels.clone().unwrap_or_default();
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    let name_fields: BTreeMap<String, String> = [(
        "metadata.name".to_string(),
        node.metadata.name.clone().unwrap_or_default(),
    )]
    .into();
    Selector::from_node_requirements(exprs).matches(&labels)
        && Selector::from_node_requirements(fields).matches(&name_fields)
}

pub fn matches(pod: &Pod, node: &Node) -> bool {
    let Some(spec) = &pod.spec else { return true };
    let labels = node.metadata.labels.clone().unwrap_or_default();
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

/// Summed weights of matching preferred terms, normalised so the best node scores 100.
pub fn score(pod: &Pod, node: &NodeInfo<'_>, all: &[NodeInfo<'_>]) -> i64 {
    let max = all.iter().map(|n| preferred_weight(pod, n.node)).max().unwrap_or(0);
    if max == 0 {
        0
    } else {
        preferred_weight(pod, node.node)
            .saturating_mul(100)
            .checked_div(max)
            .unwrap_or(0)
    }
}
