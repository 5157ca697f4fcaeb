//! `kubectl create role|clusterrole|rolebinding|clusterrolebinding`
//! (staging/src/k8s.io/kubectl/pkg/cmd/create/create_role.go, create_clusterrole.go,
//! create_rolebinding.go, create_clusterrolebinding.go): one rule per API group from `--verb`
//! and `--resource` (short names resolved through discovery), or non-resource URLs; bindings
//! of users, groups and `namespace:name` service accounts.

use std::collections::BTreeMap;

use k8s_openapi::api::rbac::v1::{
    AggregationRule, ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::create::{one_name, send, send_wrapped_with};
use crate::kubectl::flags::{self, array, flag, multi};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::{Object, RESOURCES};

/// `validResourceVerbs`.
const RESOURCE_VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

/// `validNonResourceVerbs`.
const NON_RESOURCE_VERBS: &[&str] = &["*", "get", "post", "put", "delete", "patch", "head", "options"];

/// `specialVerbs`: verbs that apply only to some resources.
const SPECIAL_VERBS: &[(&str, &[(&str, &str)])] = &[
    (
        "use",
        &[("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies")],
    ),
    (
        "bind",
        &[
            ("rbac.authorization.k8s.io", "roles"),
            ("rbac.authorization.k8s.io", "clusterroles"),
        ],
    ),
    (
        "escalate",
        &[
            ("rbac.authorization.k8s.io", "roles"),
            ("rbac.authorization.k8s.io", "clusterroles"),
        ],
    ),
    (
        "impersonate",
        &[
            ("", "users"),
            ("", "serviceaccounts"),
            ("", "groups"),
            ("authentication.k8s.io", "userextras"),
        ],
    ),
];

/// One `--resource` value: `resource[.group][/subresource]`.
struct ResourceArg {
    resource: String,
    group: String,
    sub: String,
}

fn resource_args(p: &flags::Parsed) -> Vec<ResourceArg> {
    let mut out = Vec::new();
    for r in p.all("resource") {
        let (main, sub) = match r.split_once('/') {
            Some((m, s)) => (m.to_string(), s.to_string()),
            None => (r.clone(), String::new()),
        };
        let (resource, group) = match main.split_once('.') {
            Some((r, g)) => (r.to_string(), g.to_string()),
            None => (main.clone(), String::new()),
        };
        if resource == "*" && group.is_empty() && sub.is_empty() && !main.contains('.') {
            return vec![ResourceArg { resource, group, sub }];
        }
        out.push(ResourceArg { resource, group, sub });
    }
    out
}

/// `RESTMapper.ResourceFor`: the plural and group of a resource word (plural, singular or
/// short name) in a group; kubectl prints the mapper's refusal without an `error: ` prefix.
fn resource_for(word: &str, group: &str) -> Result<(String, String), String> {
    let lower = word.to_lowercase();
    RESOURCES
        .iter()
        .find(|r| {
            (r.plural == lower || r.singular == lower || r.short_names.contains(&word))
                && (group.is_empty() || r.group == group)
        })
        .map(|r| (r.plural.to_string(), r.group.to_string()))
        .ok_or_else(|| format!("the server doesn't have a resource type {word:?}\n"))
}

/// Verbs without duplicates, or just `*` if it is among them.
fn verbs(p: &flags::Parsed) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in p.all("verb") {
        if v == "*" {
            return vec!["*".into()];
        }
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn resource_names(p: &flags::Parsed) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in p.all("resource-name") {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// `validateResource`.
fn validate_resources(verbs: &[String], resources: &[ResourceArg]) -> Result<(), CmdError> {
    for r in resources {
        if r.resource.is_empty() {
            return Err(CmdError::Msg(
                "resource must be specified if apiGroup/subresource specified".into(),
            ));
        }
        if r.resource == "*" {
            return Ok(());
        }
        let mapped = resource_for(&r.resource, &r.group);
        let (resource, group) = mapped.clone().unwrap_or_else(|_| (r.resource.clone(), r.group.clone()));
        let mut special_ok = false;
        for v in verbs {
            if let Some((_, allowed)) = SPECIAL_VERBS.iter().find(|(s, _)| s == v) {
                if !allowed.iter().any(|(g, res)| *res == resource && *g == group) {
                    return Err(CmdError::Msg(format!(
                        "can not perform '{v}' on '{resource}' in group '{group}'"
                    )));
                }
                special_ok = true;
            }
        }
        if let Err(e) = mapped
            && !special_ok
        {
            return Err(CmdError::Raw(e));
        }
    }
    Ok(())
}

/// `generateResourcePolicyRules`: one rule per API group, groups in sorted order.
fn policy_rules(verbs: &[String], resources: &[ResourceArg], names: &[String], urls: &[String]) -> Vec<PolicyRule> {
    let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in resources {
        let (mut resource, group) =
            resource_for(&r.resource, &r.group).unwrap_or_else(|_| (r.resource.clone(), r.group.clone()));
        if !r.sub.is_empty() {
            resource = format!("{resource}/{}", r.sub);
        }
        let list = by_group.entry(group).or_default();
        if !list.contains(&resource) {
            list.push(resource);
        }
    }
    let mut rules: Vec<PolicyRule> = by_group
        .into_iter()
        .map(|(group, resources)| PolicyRule {
            api_groups: Some(vec![group]),
            resources: Some(resources),
            resource_names: (!names.is_empty()).then(|| names.to_vec()),
            verbs: verbs.to_vec(),
            ..Default::default()
        })
        .collect();
    if !urls.is_empty() {
        rules.push(PolicyRule {
            non_resource_urls: Some(urls.to_vec()),
            verbs: verbs.to_vec(),
            ..Default::default()
        });
    }
    rules
}

fn warn_verbs(verbs: &[String], ctx: &mut Ctx<'_>) {
    for v in verbs {
        if !RESOURCE_VERBS.contains(&v.as_str()) {
            ctx.out.err(format!("Warning: '{v}' is not a standard resource verb\n"));
        }
    }
}

/// `create role NAME --verb=... --resource=...`.
pub fn role(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create role";
    let specs = super::create::generator_flags(&[
        multi("verb", None),
        multi("resource", None),
        array("resource-name", None),
    ]);
    let p = flags::parse(args, &specs).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    let verbs = verbs(&p);
    if verbs.is_empty() {
        return Err(CmdError::Msg("at least one verb must be specified".into()));
    }
    warn_verbs(&verbs, ctx);
    let resources = resource_args(&p);
    if resources.is_empty() {
        return Err(CmdError::Msg("at least one resource must be specified".into()));
    }
    validate_resources(&verbs, &resources)?;
    let role = Role {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: p.get("namespace").map(str::to_string),
            ..Default::default()
        },
        rules: Some(policy_rules(&verbs, &resources, &resource_names(&p), &[])),
    };
    send(Object::Role(role), &p, ctx)
}

/// `create clusterrole NAME` with rules, non-resource URLs or an aggregation rule.
pub fn cluster_role(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create clusterrole";
    let specs = super::create::generator_flags(&[
        multi("verb", None),
        multi("resource", None),
        array("resource-name", None),
        multi("non-resource-url", None),
        flag("aggregation-rule", None, true),
    ]);
    let p = flags::parse(args, &specs).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    let verbs = verbs(&p);
    let resources = resource_args(&p);
    let names = resource_names(&p);
    let urls = p.all("non-resource-url");
    let aggregation = match p.get("aggregation-rule") {
        // cliflag's MapStringString: comma-separated `k=v` pairs.
        Some(text) => {
            let mut m = BTreeMap::new();
            for pair in text.split(',').filter(|s| !s.is_empty()) {
                let Some((k, v)) = pair.split_once('=') else {
                    return Err(flag_error(
                        cmd,
                        format!(
                            "invalid argument {text:?} for \"--aggregation-rule\" flag: malformed pair, expect string=string"
                        ),
                    ));
                };
                m.insert(k.trim().to_string(), v.trim().to_string());
            }
            m
        }
        None => BTreeMap::new(),
    };
    let rules = if !aggregation.is_empty() {
        if !urls.is_empty() || !verbs.is_empty() || !resources.is_empty() || !names.is_empty() {
            return Err(CmdError::Msg(
                "aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames".into(),
            ));
        }
        None
    } else {
        if verbs.is_empty() {
            return Err(CmdError::Msg("at least one verb must be specified".into()));
        }
        if resources.is_empty() && urls.is_empty() {
            return Err(CmdError::Msg(
                "one of resource or nonResourceURL must be specified".into(),
            ));
        }
        if !resources.is_empty() {
            warn_verbs(&verbs, ctx);
            validate_resources(&verbs, &resources)?;
        }
        if !urls.is_empty() {
            if let Some(v) = verbs.iter().find(|v| !NON_RESOURCE_VERBS.contains(&v.as_str())) {
                return Err(CmdError::Msg(format!("invalid verb: '{v}' for nonResourceURL")));
            }
            for u in urls.iter().filter(|u| *u != "*") {
                if !u.starts_with('/') {
                    return Err(CmdError::Msg("nonResourceURL should start with /".into()));
                }
                if u[..u.len() - 1].contains('*') {
                    return Err(CmdError::Msg(
                        "nonResourceURL only supports wildcard matches when '*' is at the end".into(),
                    ));
                }
            }
        }
        Some(policy_rules(&verbs, &resources, &names, &urls))
    };
    let role = ClusterRole {
        metadata: ObjectMeta {
            name: Some(name),
            ..Default::default()
        },
        aggregation_rule: (!aggregation.is_empty()).then(|| AggregationRule {
            cluster_role_selectors: Some(vec![LabelSelector {
                match_labels: Some(aggregation),
                ..Default::default()
            }]),
        }),
        rules,
    };
    send(Object::ClusterRole(role), &p, ctx)
}

/// Users, groups and service accounts in the order the generator adds them.
fn subjects(p: &flags::Parsed) -> Result<Option<Vec<Subject>>, CmdError> {
    let mut out = Vec::new();
    for (flag, kind) in [("user", "User"), ("group", "Group")] {
        for name in p.all(flag) {
            out.push(Subject {
                api_group: Some("rbac.authorization.k8s.io".into()),
                kind: kind.into(),
                name,
                namespace: None,
            });
        }
    }
    for sa in p.all("serviceaccount") {
        let parts: Vec<&str> = sa.split(':').collect();
        let [ns, name] = parts.as_slice() else {
            return Err(CmdError::Msg("serviceaccount must be <namespace>:<name>".into()));
        };
        out.push(Subject {
            api_group: None,
            kind: "ServiceAccount".into(),
            name: name.to_string(),
            namespace: Some(ns.to_string()),
        });
    }
    Ok((!out.is_empty()).then_some(out))
}

/// `create rolebinding NAME --role=R | --clusterrole=C [--user] [--group] [--serviceaccount]`.
pub fn role_binding(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create rolebinding";
    let specs = super::create::generator_flags(&[
        flag("role", None, true),
        flag("clusterrole", None, true),
        array("user", None),
        array("group", None),
        array("serviceaccount", None),
    ]);
    let p = flags::parse(args, &specs).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    let (role, cluster_role) = (p.get("role").unwrap_or(""), p.get("clusterrole").unwrap_or(""));
    if role.is_empty() == cluster_role.is_empty() {
        return Err(CmdError::Msg(
            "exactly one of clusterrole or role must be specified".into(),
        ));
    }
    let role_ref = if role.is_empty() {
        ("ClusterRole", cluster_role)
    } else {
        ("Role", role)
    };
    let binding = RoleBinding {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: p.get("namespace").map(str::to_string),
            ..Default::default()
        },
        role_ref: RoleRef {
            api_group: "rbac.authorization.k8s.io".into(),
            kind: role_ref.0.into(),
            name: role_ref.1.into(),
        },
        subjects: subjects(&p)?,
    };
    send_wrapped_with(Object::RoleBinding(binding), "failed to create rolebinding: ", &p, ctx)
}

/// `create clusterrolebinding NAME --clusterrole=C [--user] [--group] [--serviceaccount]`.
pub fn cluster_role_binding(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create clusterrolebinding";
    let specs = super::create::generator_flags(&[
        flag("clusterrole", None, true),
        array("user", None),
        array("group", None),
        array("serviceaccount", None),
    ]);
    let p = flags::parse(args, &specs).map_err(|e| flag_error(cmd, e))?;
    // cobra checks required flags before the command sees its arguments.
    if !p.has("clusterrole") {
        return Err(CmdError::Msg("required flag(s) \"clusterrole\" not set".into()));
    }
    let name = one_name(&p, cmd)?;
    let binding = ClusterRoleBinding {
        metadata: ObjectMeta {
            name: Some(name),
            ..Default::default()
        },
        role_ref: RoleRef {
            api_group: "rbac.authorization.k8s.io".into(),
            kind: "ClusterRole".into(),
            name: p.get("clusterrole").unwrap_or("").into(),
        },
        subjects: subjects(&p)?,
    };
    send_wrapped_with(
        Object::ClusterRoleBinding(binding),
        "failed to create clusterrolebinding: ",
        &p,
        ctx,
    )
}
