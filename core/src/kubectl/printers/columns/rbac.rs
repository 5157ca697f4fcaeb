//! Rows of role bindings: the role they grant and to whom.

use k8s_openapi::api::rbac::v1::{RoleRef, Subject};

/// ROLE, AGE and, wide, the users, groups and service accounts bound.
pub(super) fn binding_cells(role: &RoleRef, subjects: Option<&[Subject]>, age: String) -> Vec<String> {
    let of = |kind: &str| -> String {
        subjects
            .unwrap_or(&[])
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| match s.namespace.as_deref() {
                Some(ns) if kind == "ServiceAccount" => format!("{ns}/{}", s.name),
                _ => s.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        format!("{}/{}", role.kind, role.name),
        age,
        of("User"),
        of("Group"),
        of("ServiceAccount"),
    ]
}
