//! PriorityClass validation (pkg/apis/scheduling/validation/validation.go): the `system-`
//! prefix is kept for the two built-in classes, user classes stay at or below one billion, and
//! value and preemption policy never change.

use k8s_openapi::api::scheduling::v1::PriorityClass;

use super::Errors;
use crate::api::errors::{BadValue, FieldError};

/// `HighestUserDefinablePriority`.
pub const HIGHEST_USER_PRIORITY: i32 = 1_000_000_000;

/// The classes every cluster has (pkg/apis/scheduling/types.go `SystemPriorityClasses`), with
/// their values and descriptions.
pub const SYSTEM_CLASSES: &[(&str, i32, &str)] = &[
    (
        "system-node-critical",
        2_000_001_000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
    (
        "system-cluster-critical",
        2_000_000_000,
        "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
    ),
];

pub(super) fn priority_class(pc: &PriorityClass, old: Option<&PriorityClass>, errs: &mut Errors) {
    let name = pc.metadata.name.as_deref().unwrap_or("");
    if name.starts_with("system-") {
        // `IsKnownSystemPriorityClass`.
        let known = match SYSTEM_CLASSES.iter().find(|(n, _, _)| *n == name) {
            None => Some(format!("{name} is not a known system priority class")),
            Some((_, v, _)) if *v != pc.value => Some(format!("value of {name} PriorityClass must be {v}")),
            Some(_) if pc.global_default == Some(true) => {
                Some(format!("globalDefault of {name} PriorityClass must be false"))
            }
            Some(_) => None,
        };
        if let Some(e) = known {
            errs.push(FieldError::forbidden(
                "metadata.name",
                format!("priority class names with 'system-' prefix are reserved for system use only. error: {e}"),
            ));
        }
    } else if pc.value > HIGHEST_USER_PRIORITY {
        errs.push(FieldError::forbidden(
            "value",
            format!("maximum allowed value of a user defined priority is {HIGHEST_USER_PRIORITY}"),
        ));
    }
    if let Some(p) = pc.preemption_policy.as_deref()
        && p != "PreemptLowerPriority"
        && p != "Never"
    {
        errs.push(FieldError::not_supported(
            "preemptionPolicy",
            BadValue::Str(p.into()),
            &["Never", "PreemptLowerPriority"],
        ));
    }
    if let Some(old) = old {
        if old.value != pc.value {
            errs.push(FieldError::forbidden("value", "may not be changed in an update."));
        }
        if old.preemption_policy != pc.preemption_policy {
            errs.push(FieldError::invalid(
                "preemptionPolicy",
                BadValue::Str(pc.preemption_policy.clone().unwrap_or_default()),
                "field is immutable",
            ));
        }
    }
}
