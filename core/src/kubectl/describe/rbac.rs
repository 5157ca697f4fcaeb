//! `kubectl describe role|clusterrole|rolebinding|clusterrolebinding`
//! (staging/src/k8s.io/kubectl/pkg/describe/describe.go `RoleDescriber`,
//! `RoleBindingDescriber`; component-helpers auth/rbac `BreakdownRule`, `CompactRules`):
//! rules broken down to one per group, resource and verb, merged back per resource with their
//! verbs in first-seen order, and sorted by Go's `PolicyRule.String()`, so by verbs first.
//! No Namespace line and no Events, as kubectl prints them.

use k8s_openapi::api::rbac::v1::{PolicyRule, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{Writer, annotations_multiline, labels_multiline};

/// One broken-down rule: at most one group, resource and resource name, or one URL.
#[derive(Clone, PartialEq)]
struct Flat {
    verbs: Vec<String>,
    groups: Vec<String>,
    resources: Vec<String>,
    names: Vec<String>,
    urls: Vec<String>,
}

impl Flat {
    /// Go's `%v` of a string slice: `[a b]`.
    fn list(v: &[String]) -> String {
        format!("[{}]", v.join(" "))
    }

    /// `PolicyRule.String()`, the sort key.
    fn go_string(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            Self::list(&self.verbs),
            Self::list(&self.groups),
            Self::list(&self.resources),
            Self::list(&self.names),
            Self::list(&self.urls)
        )
    }
}

/// `BreakdownRule`.
fn breakdown(rule: &PolicyRule) -> Vec<Flat> {
    let mut out = Vec::new();
    let one = |s: &String| vec![s.clone()];
    for group in rule.api_groups.iter().flatten() {
        for resource in rule.resources.iter().flatten() {
            for verb in &rule.verbs {
                match rule.resource_names.as_deref().filter(|n| !n.is_empty()) {
                    Some(names) => {
                        for name in names {
                            out.push(Flat {
                                verbs: one(verb),
                                groups: one(group),
                                resources: one(resource),
                                names: one(name),
                                urls: vec![],
                            });
                        }
                    }
                    None => out.push(Flat {
                        verbs: one(verb),
                        groups: one(group),
                        resources: one(resource),
                        names: vec![],
                        urls: vec![],
                    }),
                }
            }
        }
    }
    for url in rule.non_resource_urls.iter().flatten() {
        for verb in &rule.verbs {
            out.push(Flat {
                verbs: one(verb),
                groups: vec![],
                resources: vec![],
                names: vec![],
                urls: one(url),
            });
        }
    }
    out
}

/// `CompactRules`: simple resource rules merged per (group, resource, name), verbs appended.
fn compact(rules: Vec<Flat>) -> Vec<Flat> {
    let mut out: Vec<Flat> = Vec::new();
    // (group, resource, resource name) of each merged rule, and where it is.
    type RuleKey = (String, String, Option<String>);
    let mut index: Vec<(RuleKey, usize)> = Vec::new();
    for r in rules {
        let simple = r.groups.len() == 1 && r.resources.len() == 1 && r.names.len() <= 1 && r.urls.is_empty();
        if !simple {
            out.push(r);
            continue;
        }
        let key = (r.groups[0].clone(), r.resources[0].clone(), r.names.first().cloned());
        match index.iter().find(|(k, _)| *k == key) {
            Some((_, i)) => {
                let existing = &mut out[*i];
                for v in r.verbs {
                    if !existing.verbs.contains(&v) {
                        existing.verbs.push(v);
                    }
                }
            }
            None => {
                index.push((key, out.len()));
                out.push(r);
            }
        }
    }
    out
}

/// `CombineResourceGroup`: `resource[.group][/sub]` for each resource and group.
fn resource_cell(r: &Flat) -> String {
    let mut parts = Vec::new();
    for resource in &r.resources {
        let (main, sub) = match resource.split_once('/') {
            Some((m, s)) => (m, format!("/{s}")),
            None => (resource.as_str(), String::new()),
        };
        for group in &r.groups {
            if group.is_empty() {
                parts.push(format!("{main}{sub}"));
            } else {
                parts.push(format!("{main}.{group}{sub}"));
            }
        }
    }
    parts.join(", ")
}

fn header(w: &mut Writer, m: &ObjectMeta) {
    w.line(0, &format!("Name:\t{}", m.name.as_deref().unwrap_or("")));
    labels_multiline(w, "Labels", m.labels.as_ref());
    annotations_multiline(w, m.annotations.as_ref());
}

/// Role and ClusterRole.
pub fn role(m: &ObjectMeta, rules: Option<&[PolicyRule]>) -> String {
    let mut w = Writer::default();
    header(&mut w, m);
    let mut flat: Vec<Flat> = Vec::new();
    for r in rules.unwrap_or(&[]) {
        flat.extend(breakdown(r));
    }
    let mut flat = compact(flat);
    flat.sort_by_cached_key(Flat::go_string);
    w.line(0, "PolicyRule:");
    w.line(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs");
    w.line(1, "---------\t-----------------\t--------------\t-----");
    for r in &flat {
        w.line(
            1,
            &format!(
                "{}\t{}\t{}\t{}",
                resource_cell(r),
                Flat::list(&r.urls),
                Flat::list(&r.names),
                Flat::list(&r.verbs)
            ),
        );
    }
    w.finish()
}

/// RoleBinding and ClusterRoleBinding.
pub fn binding(m: &ObjectMeta, role_ref: &RoleRef, subjects: Option<&[Subject]>) -> String {
    let mut w = Writer::default();
    header(&mut w, m);
    w.line(0, "Role:");
    w.line(1, &format!("Kind:\t{}", role_ref.kind));
    w.line(1, &format!("Name:\t{}", role_ref.name));
    w.line(0, "Subjects:");
    w.line(1, "Kind\tName\tNamespace");
    w.line(1, "----\t----\t---------");
    for s in subjects.unwrap_or(&[]) {
        w.line(
            1,
            &format!("{}\t{}\t{}", s.kind, s.name, s.namespace.as_deref().unwrap_or("")),
        );
    }
    w.finish()
}
