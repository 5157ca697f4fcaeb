//! The Job's policies over its pods: which failures count (`podFailurePolicy`,
//! pkg/controller/job/pod_failure_policy.go), when an Indexed Job has succeeded early
//! (`successPolicy`, pkg/controller/job/success_policy.go), and the index interval strings both
//! the API (`succeededIndexes`, `completedIndexes`, `failedIndexes`) and validation use.

use std::collections::BTreeSet;

use k8s_openapi::api::batch::v1::{JobSpec, PodFailurePolicyOnExitCodesRequirement};
use k8s_openapi::api::core::v1::{ContainerStatus, Pod};

/// What a podFailurePolicy rule says about one failed pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// No rule matched, or a `Count` rule: the failure counts towards the back-off limits.
    Count,
    /// Not counted, and the pod is replaced.
    Ignore,
    /// The pod's index fails at once (with backoffLimitPerIndex).
    FailIndex,
    /// The whole Job fails, with this message for its conditions.
    FailJob(String),
}

/// `matchPodFailurePolicy`: the first rule, in order, that matches the failed pod.
pub fn match_pod_failure_policy(spec: &JobSpec, pod: &Pod) -> Action {
    let Some(policy) = &spec.pod_failure_policy else {
        return Action::Count;
    };
    let ns = pod.metadata.namespace.as_deref().unwrap_or("");
    let name = pod.metadata.name.as_deref().unwrap_or("");
    for (i, rule) in policy.rules.iter().enumerate() {
        let matched = if let Some(req) = &rule.on_exit_codes {
            matching_container(pod, req).map(|(c, code)| {
                format!(
                    "Container {c} for pod {ns}/{name} failed with exit code {code} matching {} rule at index {i}",
                    rule.action
                )
            })
        } else {
            rule.on_pod_conditions.iter().flatten().find_map(|pattern| {
                let want = pattern.status.as_deref().unwrap_or("True");
                let has = pod
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .into_iter()
                    .flatten()
                    .any(|c| c.type_ == pattern.type_ && c.status == want);
                has.then(|| {
                    format!(
                        "Pod {ns}/{name} has condition {} matching {} rule at index {i}",
                        pattern.type_, rule.action
                    )
                })
            })
        };
        let Some(message) = matched else { continue };
        return match rule.action.as_str() {
            "Ignore" => Action::Ignore,
            "FailIndex" if spec.backoff_limit_per_index.is_some() => Action::FailIndex,
            "FailJob" => Action::FailJob(message),
            _ => Action::Count,
        };
    }
    Action::Count
}

/// The first terminated container (app containers, then init containers) whose non-zero exit
/// code satisfies the requirement.
fn matching_container(pod: &Pod, req: &PodFailurePolicyOnExitCodesRequirement) -> Option<(String, i32)> {
    let st = pod.status.as_ref()?;
    let all: Vec<&ContainerStatus> = st
        .container_statuses
        .iter()
        .flatten()
        .chain(st.init_container_statuses.iter().flatten())
        .collect();
    all.into_iter().find_map(|c| {
        let code = c.state.as_ref()?.terminated.as_ref()?.exit_code;
        let name_ok = req.container_name.as_ref().is_none_or(|n| *n == c.name);
        let listed = req.values.contains(&code);
        let op_ok = match req.operator.as_str() {
            "In" => listed,
            "NotIn" => !listed,
            _ => false,
        };
        (code != 0 && name_ok && op_ok).then(|| (c.name.clone(), code))
    })
}

/// `matchSuccessPolicy`: the index of the first rule the succeeded indexes satisfy.
pub fn match_success_policy(spec: &JobSpec, succeeded: &BTreeSet<i32>) -> Option<usize> {
    let completions = spec.completions.unwrap_or(0);
    let policy = spec.success_policy.as_ref()?;
    policy.rules.iter().position(|rule| {
        let count = rule.succeeded_count.map(|n| usize::try_from(n.max(0)).unwrap_or(0));
        match &rule.succeeded_indexes {
            Some(text) => {
                let Ok(wanted) = parse_indexes(text, completions) else {
                    return false;
                };
                let have = wanted.intersection(succeeded).count();
                match count {
                    Some(n) => have >= n,
                    None => have == wanted.len(),
                }
            }
            None => count.is_some_and(|n| succeeded.len() >= n),
        }
    })
}

/// Parses an interval string (`1,3-5,7`) of indexes below `completions`, with the errors of
/// upstream `validateIndexesFormat` (pkg/apis/batch/validation).
pub fn parse_indexes(text: &str, completions: i32) -> Result<BTreeSet<i32>, String> {
    let mut set = BTreeSet::new();
    if text.is_empty() {
        return Ok(set);
    }
    let mut last: Option<i32> = None;
    let number = |s: &str| -> Result<i32, String> {
        let n: i32 = s
            .parse()
            .map_err(|_| format!("cannot convert string to integer for index: {s:?}"))?;
        if n >= completions {
            return Err(format!("too large index: {s:?}"));
        }
        Ok(n)
    };
    for part in text.split(',') {
        let limits: Vec<&str> = part.split('-').collect();
        if limits.len() > 2 {
            return Err(format!(
                "the fragment {part:?} violates the requirement that an index interval can have at most two parts separated by '-'"
            ));
        }
        let x = number(limits[0])?;
        if let Some(l) = last.filter(|l| *l >= x) {
            return Err(format!("non-increasing order, previous: {l}, current: {x}"));
        }
        let mut y = x;
        if let Some(hi) = limits.get(1) {
            y = number(hi)?;
            if x >= y {
                return Err(format!("non-increasing order, previous: {x}, current: {y}"));
            }
        }
        // Bounded by `completions`, which validation caps; a huge range is refused by the
        // API server before a controller sees it.
        set.extend(x..=y);
        last = Some(y);
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_intervals_parse_as_validate_indexes_format() {
        let s = parse_indexes("1,3-5,7", 10).unwrap();
        assert_eq!(s.into_iter().collect::<Vec<_>>(), vec![1, 3, 4, 5, 7]);
        assert_eq!(
            parse_indexes("invalid-format", 5).unwrap_err(),
            "cannot convert string to integer for index: \"invalid\""
        );
        assert_eq!(parse_indexes("5", 5).unwrap_err(), "too large index: \"5\"");
        assert_eq!(
            parse_indexes("3,1", 5).unwrap_err(),
            "non-increasing order, previous: 3, current: 1"
        );
        assert_eq!(
            parse_indexes("1-2-3", 5).unwrap_err(),
            "the fragment \"1-2-3\" violates the requirement that an index interval can have at most two parts separated by '-'"
        );
    }
}
