//! `kubectl taint NODE NAME KEY[=VALUE]:EFFECT | KEY[:EFFECT]-` (staging/src/k8s.io/kubectl/
//! pkg/cmd/taint/taint.go and utils.go at v0.35.0): adds and removes node taints, by name, with
//! `-l` or `--all`. The result line says what happened to each node: `tainted`, `untainted` or
//! `modified` (an overwrite, or an add and a removal at once). A removal of a taint the node
//! lacks fails that node and leaves it untouched; the other nodes go on.

use k8s_openapi::api::core::v1::{Node, Taint};

use super::create::{DryRun, dry_run, print_result};
use crate::api::ApiError;
use crate::kubectl::flags::{self, flag};
use crate::kubectl::resources::resolve_type;
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};
use crate::store::{Kind, Object};

const FLAGS: &[flags::FlagSpec] = &[
    flag("overwrite", None, false),
    flag("all", None, false),
    flag("selector", Some('l'), true),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("show-managed-fields", None, false),
    flag("allow-missing-template-keys", None, true),
    flag("validate", None, true),
    flag("field-manager", None, true),
];

/// A taint argument: a key, and for an addition a value and an effect.
#[derive(Clone, Debug, PartialEq)]
struct Spec {
    key: String,
    value: String,
    effect: String,
}

impl Spec {
    /// `Taint.ToString` (staging/src/k8s.io/api/core/v1/taint.go).
    fn to_go_string(&self) -> String {
        match (self.effect.is_empty(), self.value.is_empty()) {
            (true, true) => self.key.clone(),
            (true, false) => format!("{}={}:", self.key, self.value),
            (false, true) => format!("{}:{}", self.key, self.effect),
            (false, false) => format!("{}={}:{}", self.key, self.value, self.effect),
        }
    }

    fn taint(&self) -> Taint {
        Taint {
            key: self.key.clone(),
            value: (!self.value.is_empty()).then(|| self.value.clone()),
            effect: self.effect.clone(),
            time_added: None,
        }
    }
}

/// `MatchTaint`: the same key and effect.
fn same(a: &Taint, b: &Taint) -> bool {
    a.key == b.key && a.effect == b.effect
}

/// `parseTaint`: `KEY=VALUE:EFFECT`, `KEY:EFFECT` or `KEY`.
fn parse_taint(st: &str) -> Result<Spec, String> {
    let parts: Vec<&str> = st.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [key] => (key.to_string(), String::new(), String::new()),
        [kv, effect] => {
            if !matches!(*effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return Err(format!("invalid taint effect: {effect}, unsupported taint effect"));
            }
            let kv: Vec<&str> = kv.split('=').collect();
            match kv.as_slice() {
                [key] => (key.to_string(), String::new(), effect.to_string()),
                [key, value] => {
                    let errs = crate::api::validation::names::label_value(value);
                    if !errs.is_empty() {
                        return Err(format!("invalid taint spec: {st}, {}", errs.join("; ")));
                    }
                    (key.to_string(), value.to_string(), effect.to_string())
                }
                _ => return Err(format!("invalid taint spec: {st}")),
            }
        }
        _ => return Err(format!("invalid taint spec: {st}")),
    };
    let errs = crate::api::validation::names::qualified_name(&key);
    if !errs.is_empty() {
        return Err(format!("invalid taint spec: {st}, {}", errs.join("; ")));
    }
    Ok(Spec { key, value, effect })
}

/// `parseTaints`: additions and removals, an addition needing an effect and being unique by
/// key and effect.
fn parse_taints(specs: &[String]) -> Result<(Vec<Spec>, Vec<Spec>), String> {
    let (mut add, mut remove) = (Vec::<Spec>::new(), Vec::new());
    for s in specs {
        if let Some(r) = s.strip_suffix('-') {
            let t = parse_taint(r)?;
            remove.push(Spec {
                value: String::new(),
                ..t
            });
        } else {
            let t = parse_taint(s)?;
            if t.effect.is_empty() {
                return Err(format!("unknown taint spec: {s}"));
            }
            if add.iter().any(|a| a.key == t.key && a.effect == t.effect) {
                // `%v` of a corev1.Taint: `{key value NoSchedule <nil>}`.
                return Err(format!(
                    "duplicated taints with the same key and effect: {{{} {} {} <nil>}}",
                    t.key, t.value, t.effect
                ));
            }
            add.push(t);
        }
    }
    Ok((add, remove))
}

/// What a change did to a node's taints: the operation word and the new list
/// (`reorganizeTaints`, `addTaints`, `deleteTaints`).
fn reorganize(
    old: &[Taint],
    overwrite: bool,
    add: &[Spec],
    remove: &[Spec],
) -> Result<(&'static str, Vec<Taint>), CmdError> {
    let mut new: Vec<Taint> = add.iter().map(Spec::taint).collect();
    for o in old {
        if !new.iter().any(|t| same(t, o)) {
            new.push(o.clone());
        }
    }
    let added = old.len() != new.len();
    let mut errors = Vec::new();
    let mut deleted = false;
    for r in remove {
        let before = new.len();
        new.retain(|t| !(t.key == r.key && (r.effect.is_empty() || t.effect == r.effect)));
        deleted = new.len() != before;
        if !deleted {
            errors.push(format!("taint {:?} not found", r.to_go_string()));
        }
    }
    if !errors.is_empty() {
        // utilerrors.NewAggregate: one error as it is, several as `[a, b]`.
        let msg = if errors.len() == 1 {
            errors.remove(0)
        } else {
            format!("[{}]", errors.join(", "))
        };
        return Err(CmdError::Msg(msg));
    }
    let op = if (added && deleted) || overwrite {
        "modified"
    } else if added {
        "tainted"
    } else {
        "untainted"
    };
    Ok((op, new))
}

/// `GetResourcesAndPairs` as taint words it: resources first, then taint changes.
fn split_args(args: &[String]) -> Result<(Vec<String>, Vec<String>), CmdError> {
    let (mut resources, mut taints) = (Vec::new(), Vec::new());
    for a in args {
        let is_taint = a.contains('=') || a.contains(':') || a.ends_with('-');
        match (taints.is_empty(), is_taint) {
            (_, true) => taints.push(a.clone()),
            (true, false) => resources.push(a.clone()),
            (false, false) => {
                return Err(CmdError::Msg(format!(
                    "all resources must be specified before taint changes: {a}"
                )));
            }
        }
    }
    Ok((resources, taints))
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("taint", e))?;
    let (resources, taints) = split_args(&p.args)?;
    if resources.is_empty() {
        return Err(CmdError::Msg(
            "one or more resources must be specified as <resource> <name>".into(),
        ));
    }
    if taints.is_empty() {
        return Err(CmdError::Msg("at least one taint update is required".into()));
    }
    let (add, remove) = parse_taints(&taints).map_err(|e| usage_error("taint", &e))?;
    super::create::check_output(&p, ctx)?;
    let dry = dry_run(&p)?;
    // Validate: the type must map to Node.
    let word = resources[0].to_lowercase();
    match resolve_type(&word) {
        Some(Kind::Node) => {}
        Some(_) => {
            return Err(CmdError::Msg(format!(
                "invalid resource type {word}, only node types are supported"
            )));
        }
        None => {
            return Err(CmdError::Msg(format!(
                "the server doesn't have a resource type {word:?}"
            )));
        }
    }
    let conflicts: Vec<String> = add
        .iter()
        .flat_map(|a| {
            remove
                .iter()
                .filter(move |r| a.key == r.key && (r.effect.is_empty() || a.effect == r.effect))
                .map(|r| format!("{}={}", r.key, r.effect))
        })
        .collect();
    if !conflicts.is_empty() {
        return Err(CmdError::Msg(format!(
            "can not both modify and remove the following taint(s) in the same command: {}",
            conflicts.join(", ")
        )));
    }
    let all = p.on("all");
    let selector = p.get("selector").unwrap_or("");
    if all && !selector.is_empty() {
        return Err(CmdError::Msg(
            "setting 'all' parameter with a non empty selector is prohibited".into(),
        ));
    }
    if !all && selector.is_empty() && resources.len() < 2 {
        return Err(CmdError::Msg(
            "at least one resource name must be specified since 'all' parameter is not set".into(),
        ));
    }
    let names: Vec<String> = if all || !selector.is_empty() {
        let sel = crate::labels::Selector::parse(selector).map_err(CmdError::Msg)?;
        let mut names: Vec<String> = ctx
            .world
            .api()
            .list(Kind::Node, None)
            .filter(|o| sel.matches(&o.meta().labels.clone().unwrap_or_default()))
            .map(|o| o.name().to_string())
            .collect();
        // The builder lists the type (names beside `--all` are not read), in key order.
        names.sort();
        names
    } else {
        resources[1..].to_vec()
    };
    let mut errors = Vec::new();
    for name in names {
        if let Err(e) = one(&name, &add, &remove, dry, &p, ctx) {
            errors.push(e);
        }
    }
    crate::kubectl::finish(errors)
}

fn one(
    name: &str,
    add: &[Spec],
    remove: &[Spec],
    dry: DryRun,
    p: &flags::Parsed,
    ctx: &mut Ctx<'_>,
) -> Result<(), CmdError> {
    let Some(Object::Node(node)) = ctx.world.api().get(Kind::Node, "", name).cloned() else {
        return Err(ApiError::not_found("nodes", name).into());
    };
    let old: Vec<Taint> = node.spec.as_ref().and_then(|s| s.taints.clone()).unwrap_or_default();
    let overwrite = p.on("overwrite");
    if !overwrite {
        let exists: Vec<&str> = add
            .iter()
            .filter(|a| old.iter().any(|o| o.key == a.key && o.effect == a.effect))
            .map(|a| a.key.as_str())
            .collect();
        if !exists.is_empty() {
            return Err(CmdError::Msg(format!(
                "node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                exists.join(",")
            )));
        }
    }
    let (op, taints) = reorganize(&old, overwrite, add, remove)?;
    let mut next: Node = node;
    next.spec.get_or_insert_with(Default::default).taints = (!taints.is_empty()).then_some(taints);
    let shown = match dry {
        DryRun::Client | DryRun::Server => Object::Node(next),
        DryRun::None => ctx.world.api_mut().update(Object::Node(next))?,
    };
    print_result(&shown, op, dry, p, ctx);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(key: &str, value: &str, effect: &str) -> Taint {
        Spec {
            key: key.into(),
            value: value.into(),
            effect: effect.into(),
        }
        .taint()
    }

    #[test]
    fn specs_parse_as_kubectl_parses_them() {
        assert_eq!(
            parse_taint("dedicated=gpu:NoSchedule").unwrap(),
            Spec {
                key: "dedicated".into(),
                value: "gpu".into(),
                effect: "NoSchedule".into()
            }
        );
        assert_eq!(
            parse_taint("a:Bogus").unwrap_err(),
            "invalid taint effect: Bogus, unsupported taint effect"
        );
        assert_eq!(
            parse_taint("a=b=c:NoSchedule").unwrap_err(),
            "invalid taint spec: a=b=c:NoSchedule"
        );
        assert_eq!(parse_taint("a:b:c").unwrap_err(), "invalid taint spec: a:b:c");
        // `a=b` is read as a key, which `=` makes invalid; a bare key needs an effect to add.
        let args: Vec<String> = vec!["a=b".into()];
        assert!(
            parse_taints(&args)
                .unwrap_err()
                .starts_with("invalid taint spec: a=b, name part must")
        );
        let args: Vec<String> = vec!["a".into()];
        assert_eq!(parse_taints(&args).unwrap_err(), "unknown taint spec: a");
        let dup: Vec<String> = vec!["a=1:NoSchedule".into(), "a=2:NoSchedule".into()];
        assert_eq!(
            parse_taints(&dup).unwrap_err(),
            "duplicated taints with the same key and effect: {a 2 NoSchedule <nil>}"
        );
    }

    /// utils_test.go's cases of reorganizeTaints.
    #[test]
    fn reorganize_reports_the_operation() {
        let old = vec![t("foo", "bar", "NoSchedule")];
        let add = |k: &str, v: &str, e: &str| Spec {
            key: k.into(),
            value: v.into(),
            effect: e.into(),
        };
        let (op, new) = reorganize(&old, false, &[add("x", "", "NoExecute")], &[]).unwrap();
        assert_eq!((op, new.len()), ("tainted", 2));
        let (op, new) = reorganize(&old, false, &[], &[add("foo", "", "")]).unwrap();
        assert_eq!((op, new.len()), ("untainted", 0));
        let (op, _) = reorganize(&old, true, &[add("foo", "baz", "NoSchedule")], &[]).unwrap();
        assert_eq!(op, "modified");
        let (op, _) = reorganize(
            &old,
            false,
            &[add("x", "", "NoExecute")],
            &[add("foo", "", "NoSchedule")],
        )
        .unwrap();
        assert_eq!(op, "modified");
        let err = reorganize(&old, false, &[], &[add("nope", "", "NoSchedule")]).unwrap_err();
        assert_eq!(err, CmdError::Msg("taint \"nope:NoSchedule\" not found".into()));
    }
}
