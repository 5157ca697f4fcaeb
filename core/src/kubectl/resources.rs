//! Resource arguments as kubectl's builder reads them: `pods`, `po`, `pod/web`,
//! `deployments.apps`, `po,svc`, `all`, resolved against the served kinds' discovery data.

use crate::store::{Kind, RESOURCES};

/// Resolves one resource type word to a kind: plural, singular or kind name (any case), a
/// short name (exact), optionally qualified with its group.
pub fn resolve_type(word: &str) -> Option<Kind> {
    let (name, group) = match word.split_once('.') {
        Some((n, g)) => (n, Some(g)),
        None => (word, None),
    };
    let lower = name.to_lowercase();
    RESOURCES
        .iter()
        .find(|r| {
            let name_ok = r.plural == lower
                || r.singular == lower
                || r.kind.name().to_lowercase() == lower
                || r.short_names.contains(&name);
            let group_ok = group.is_none_or(|g| {
                g == r.group
                    || g.split_once('.')
                        .is_some_and(|(v, rest)| v == r.version && rest == r.group)
            });
            name_ok && group_ok
        })
        .map(|r| r.kind)
}

/// Resource types of a comma list, with `all` expanded to its category.
pub fn resolve_types(list: &str) -> Result<Vec<Kind>, String> {
    let mut out = Vec::new();
    for word in list.split(',').filter(|w| !w.is_empty()) {
        if word == "all" {
            out.extend(RESOURCES.iter().filter(|r| r.in_all).map(|r| r.kind));
            continue;
        }
        match resolve_type(word) {
            Some(k) => out.push(k),
            None => return Err(format!("the server doesn't have a resource type {word:?}")),
        }
    }
    out.dedup();
    Ok(out)
}

/// What the positional arguments name.
#[derive(Debug, PartialEq)]
pub enum Selection {
    /// Types only: every object of each (subject to selectors).
    Types(Vec<Kind>),
    /// Named objects, in argument order.
    Names(Vec<(Kind, String)>),
}

/// `TYPE[,TYPE] [NAME...]` or `TYPE/NAME...`.
pub fn parse_args(args: &[String]) -> Result<Selection, String> {
    if args.iter().any(|a| a.contains('/')) {
        let mut names = Vec::new();
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return Err("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            if n.contains('/') {
                return Err("arguments in resource/name form may not have more than one slash".into());
            }
            let kind = resolve_type(t).ok_or_else(|| format!("the server doesn't have a resource type {t:?}"))?;
            names.push((kind, n.to_string()));
        }
        return Ok(Selection::Names(names));
    }
    let Some((first, rest)) = args.split_first() else {
        return Ok(Selection::Types(Vec::new()));
    };
    let kinds = resolve_types(first)?;
    if rest.is_empty() {
        return Ok(Selection::Types(kinds));
    }
    if kinds.len() != 1 {
        return Err("you must specify only one resource".into());
    }
    Ok(Selection::Names(rest.iter().map(|n| (kinds[0], n.clone())).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_short_names() {
        assert_eq!(resolve_type("po"), Some(Kind::Pod));
        assert_eq!(resolve_type("Pods"), Some(Kind::Pod));
        assert_eq!(resolve_type("deploy"), Some(Kind::Deployment));
        assert_eq!(resolve_type("deployments.apps"), Some(Kind::Deployment));
        assert_eq!(resolve_type("deployments.v1.apps"), Some(Kind::Deployment));
        assert_eq!(resolve_type("ing"), Some(Kind::Ingress));
        assert_eq!(resolve_type("nope"), None);
        assert_eq!(
            resolve_types("all").unwrap(),
            [
                Kind::Pod,
                Kind::Service,
                Kind::DaemonSet,
                Kind::Deployment,
                Kind::ReplicaSet,
                Kind::StatefulSet,
                Kind::HorizontalPodAutoscaler,
                Kind::CronJob,
                Kind::Job
            ]
        );
    }

    #[test]
    fn argument_forms() {
        let a = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            parse_args(&a("pod/web svc/db")).unwrap(),
            Selection::Names(vec![(Kind::Pod, "web".into()), (Kind::Service, "db".into())])
        );
        assert_eq!(
            parse_args(&a("po a b")).unwrap(),
            Selection::Names(vec![(Kind::Pod, "a".into()), (Kind::Pod, "b".into())])
        );
        assert!(
            parse_args(&a("foo"))
                .unwrap_err()
                .contains("doesn't have a resource type \"foo\"")
        );
    }
}
