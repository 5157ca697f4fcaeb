//! `kubectl get`: tables (with `-o wide`, `-A`, `--show-labels`, `-l`), YAML, JSON and names,
//! with kubectl's messages for empty results and missing objects
//! (kubectl/pkg/cmd/get/get.go).

use serde_json::{Value, json};

use super::sources::infos;
use crate::kubectl::field_selector::FieldSelector;
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::printers::columns;
use crate::kubectl::printers::generic::Generic;
use crate::kubectl::printers::json::to_json;
use crate::kubectl::printers::jsonpath::{self, JsonPath};
use crate::kubectl::printers::table::TableOptions;
use crate::kubectl::printers::yaml::to_yaml;
use crate::kubectl::resources::{Selection, parse_args};
use crate::kubectl::watch::{Format, TableLook, Target, Watch};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::labels::Selector;
use crate::store::{Kind, Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[
    flag("output", Some('o'), true),
    flag("all-namespaces", Some('A'), false),
    flag("selector", Some('l'), true),
    flag("field-selector", None, true),
    flag("show-labels", None, false),
    flag("no-headers", None, false),
    flag("show-kind", None, false),
    flag("ignore-not-found", None, false),
    flag("watch", Some('w'), false),
    flag("watch-only", None, false),
    flag("output-watch-events", None, false),
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
    multi("label-columns", Some('L')),
    flag("sort-by", None, true),
    flag("template", None, true),
];

const FORMATS: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml";

/// Objects chosen by a command's arguments, grouped by kind in argument order.
pub struct Found {
    pub groups: Vec<(Kind, Vec<Object>)>,
    pub errors: Vec<CmdError>,
    /// A single object named: printed bare, not as a List.
    pub single: bool,
}

/// Resolves `TYPE [NAME...]`, `TYPE/NAME`, `-f`, `-l` and `-A` into objects.
pub fn select(p: &flags::Parsed, cmd: &str, ctx: &mut Ctx<'_>) -> Result<Found, CmdError> {
    let ns = ctx.namespace(p);
    let all_ns = p.on("all-namespaces");
    let selector = match p.get("selector") {
        Some(s) => Some(Selector::parse(s).map_err(CmdError::Msg)?),
        None => None,
    };
    let fields = match p.get("field-selector") {
        Some(s) => Some(FieldSelector::parse(s).map_err(CmdError::Msg)?),
        None => None,
    };
    let mut groups: Vec<(Kind, Vec<Object>)> = Vec::new();
    let mut errors = Vec::new();
    let push = |groups: &mut Vec<(Kind, Vec<Object>)>, kind: Kind, obj: Object| match groups.last_mut() {
        Some((k, v)) if *k == kind => v.push(obj),
        _ => groups.push((kind, vec![obj])),
    };
    if super::sources::given(p) {
        let (infos, errs) = infos(p, &ns, ctx)?;
        errors.extend(errs);
        let single = infos.len() == 1;
        for info in infos {
            match ctx.world.api().store().get(&info.key()) {
                Some(o) => push(&mut groups, info.kind, o.clone()),
                None => errors.push(CmdError::Api(crate::api::ApiError::not_found(
                    &info.kind.info().resource_group(),
                    info.name(),
                ))),
            }
        }
        return Ok(Found { groups, errors, single });
    }
    let selection = parse_args(&p.args).map_err(CmdError::Msg)?;
    match selection {
        Selection::Types(kinds) if kinds.is_empty() => {
            if cmd == "get" {
                return Err(CmdError::Raw("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples".into()));
            }
            Err(CmdError::Msg(format!(
                "You must specify the type of resource to {cmd}. Use \"kubectl api-resources\" for a complete list of supported resources.\n"
            )))
        }
        Selection::Types(kinds) => {
            for kind in kinds {
                if let Some(bad) = fields.as_ref().and_then(|f| f.unsupported(kind)) {
                    let r = kind.info();
                    let gv = r.group_version();
                    return Err(CmdError::Api(crate::api::ApiError::bad_request(format!(
                        "Unable to find \"{gv}, Resource={}\" that match label selector \"{}\", field selector \"{}\": field label not supported: {bad}",
                        r.plural,
                        p.get("selector").unwrap_or(""),
                        p.get("field-selector").unwrap_or("")
                    ))));
                }
                let scope = if all_ns || !kind.info().namespaced {
                    None
                } else {
                    Some(ns.as_str())
                };
                let objs: Vec<Object> = ctx
                    .world
                    .api()
                    .list(kind, scope)
                    .filter(|o| {
                        selector
                            .as_ref()
                            .is_none_or(|s| s.matches(&o.meta().labels.clone().unwrap_or_default()))
                    })
                    .filter(|o| fields.as_ref().is_none_or(|f| f.matches(o)))
                    .cloned()
                    .collect();
                if !objs.is_empty() {
                    groups.push((kind, objs));
                }
            }
            Ok(Found {
                groups,
                errors,
                single: false,
            })
        }
        Selection::Names(names) => {
            if selector.is_some() {
                return Err(CmdError::Msg(
                    "name cannot be provided when a selector is specified".into(),
                ));
            }
            let single = names.len() == 1;
            for (kind, name) in names {
                match ctx.world.api().store().get(&ObjectKey::new(kind, &ns, &name)) {
                    Some(o) => push(&mut groups, kind, o.clone()),
                    None => errors.push(CmdError::Api(crate::api::ApiError::not_found(
                        &kind.info().resource_group(),
                        &name,
                    ))),
                }
            }
            Ok(Found { groups, errors, single })
        }
    }
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("get", e))?;
    let watching = p.on("watch") || p.on("watch-only");
    if p.on("output-watch-events") && !watching {
        return Err(CmdError::Msg(
            "--output-watch-events option can only be used with --watch or --watch-only".into(),
        ));
    }
    let output = p.get("output").unwrap_or("").to_string();
    let generic = Generic::from_flags(&output, p.get("template"), ctx)?;
    if watching {
        if generic.is_none() && !["", "wide", "yaml", "json", "name"].contains(&output.as_str()) {
            return Err(CmdError::Msg(format!(
                "unable to match a printer suitable for the output format {output:?}, allowed formats are: {FORMATS}"
            )));
        }
        return watch(&p, output, generic, ctx);
    }
    if generic.is_none() && !["", "wide", "yaml", "json", "name"].contains(&output.as_str()) {
        return Err(CmdError::Msg(format!(
            "unable to match a printer suitable for the output format {output:?}, allowed formats are: {FORMATS}"
        )));
    }
    let sort_by = match p.get("sort-by") {
        Some(expr) => {
            let relaxed = jsonpath::relaxed(expr).map_err(CmdError::Msg)?;
            let parsed = JsonPath::parse(&relaxed)
                .map_err(|e| CmdError::Msg(format!("error parsing jsonpath {relaxed}, {e}")))?;
            Some((relaxed, parsed))
        }
        None => None,
    };
    let mut found = select(&p, "get", ctx)?;
    if let Some((expr, path)) = &sort_by {
        sort_objects(&mut found, expr, path)?;
    }
    let ignore_not_found = p.on("ignore-not-found");
    let mut errors: Vec<CmdError> = found
        .errors
        .into_iter()
        .filter(|e| !(ignore_not_found && matches!(e, CmdError::Api(a) if a.reason == crate::api::Reason::NotFound)))
        .collect();
    let now = ctx.world.now();
    let multiple_kinds = found.groups.len() > 1 || p.on("show-kind");
    let mut printed = String::new();
    let label_columns: Vec<String> = p.all("label-columns");
    let found_nothing = found.groups.is_empty();
    match output.as_str() {
        _ if generic.is_some() => {
            let doc = document(&found.groups, found.single);
            if let Some(g) = &generic
                && !(found.single && found.groups.is_empty())
            {
                match g.print(&doc, p.on("no-headers")) {
                    Ok(text) => printed = text,
                    Err(e) => errors.push(e),
                }
            }
        }
        "yaml" | "json" => {
            let doc = document(&found.groups, found.single);
            if !(found.single && errors.len() == 1 && found.groups.is_empty()) {
                printed = if output == "yaml" { to_yaml(&doc) } else { to_json(&doc) };
            }
        }
        "name" => {
            for (kind, objs) in &found.groups {
                for o in objs {
                    printed.push_str(&format!("{}/{}\n", kind.info().kind_group(), o.name()));
                }
            }
        }
        _ => {
            for (kind, objs) in &found.groups {
                let refs: Vec<&Object> = objs.iter().collect();
                let kg = kind.info().kind_group();
                let text = columns::table(*kind, &refs, now).render(TableOptions {
                    wide: output == "wide",
                    with_namespace: p.on("all-namespaces") && kind.info().namespaced,
                    show_labels: p.on("show-labels"),
                    kind_prefix: if multiple_kinds { Some(&kg) } else { None },
                    no_headers: p.on("no-headers"),
                    label_columns: &label_columns,
                });
                if !printed.is_empty() && !text.is_empty() && !p.on("no-headers") {
                    printed.push('\n');
                }
                printed.push_str(&text);
            }
        }
    }
    ctx.out.out(printed.clone());
    if printed.is_empty()
        && found_nothing
        && errors.is_empty()
        && !ignore_not_found
        && (output.is_empty() || output == "wide" || output == "name" || generic.is_some())
    {
        let all_namespaced = !p.on("all-namespaces")
            && parse_args(&p.args).is_ok_and(|s| match s {
                Selection::Types(k) => k.iter().all(|k| k.info().namespaced),
                Selection::Names(_) => true,
            });
        if all_namespaced {
            ctx.out
                .err(format!("No resources found in {} namespace.\n", ctx.namespace(&p)));
        } else {
            ctx.out.err("No resources found\n");
        }
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}

/// `get -w` and `--watch-only` (kubectl pkg/cmd/get/get.go `watch`): the list, then a watch
/// the session keeps open (see `kubectl::watch`).
fn watch(p: &flags::Parsed, output: String, generic: Option<Generic>, ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let timeout = crate::kubectl::request_timeout(p)?;
    let named = if super::sources::given(p) {
        None
    } else {
        match parse_args(&p.args).map_err(CmdError::Msg)? {
            Selection::Types(kinds) if kinds.len() > 1 => {
                return Err(CmdError::Msg("you may only specify a single resource type".into()));
            }
            Selection::Names(names) => {
                if names.iter().any(|(k, _)| *k != names[0].0) {
                    return Err(CmdError::Msg("you may only specify a single resource type".into()));
                }
                Some(names.len())
            }
            Selection::Types(_) => None,
        }
    };
    let found = select(p, "get", ctx)?;
    let mut errors = found.errors;
    let objs: Vec<Object> = found.groups.into_iter().flat_map(|(_, o)| o).collect();
    let from_files = super::sources::given(p);
    if from_files && objs.len() + errors.len() != 1 {
        return Err(CmdError::Msg(format!(
            "watch is only supported on individual resources and resource collections - {} resources were found",
            objs.len() + errors.len()
        )));
    }
    if !errors.is_empty() {
        return Err(errors.remove(0));
    }
    let single = from_files || named.is_some();
    let kind = match (objs.first(), parse_args(&p.args)) {
        (Some(o), _) => o.kind(),
        (None, Ok(Selection::Types(k))) if !k.is_empty() => k[0],
        _ => return Ok(0),
    };
    let ns = ctx.namespace(p);
    let all_ns = p.on("all-namespaces");
    let format = Format::of(&output, generic, || {
        Format::Table(TableLook {
            wide: output == "wide",
            with_namespace: all_ns && kind.info().namespaced,
            show_labels: p.on("show-labels"),
            kind_prefix: p.on("show-kind").then(|| kind.info().kind_group()),
            no_headers: p.on("no-headers"),
            label_columns: p.all("label-columns"),
        })
    });
    let target = Target {
        kind,
        namespace: ((single || !all_ns) && kind.info().namespaced).then(|| match objs.first() {
            Some(o) if single => o.namespace().to_string(),
            _ => ns.clone(),
        }),
        name: if single {
            objs.first().map(|o| o.name().to_string())
        } else {
            None
        },
        selector: match p.get("selector") {
            Some(s) if !single => Some(Selector::parse(s).map_err(CmdError::Msg)?),
            _ => None,
        },
        fields: match p.get("field-selector") {
            Some(s) if !single => Some(FieldSelector::parse(s).map_err(CmdError::Msg)?),
            _ => None,
        },
        events: None,
    };
    if named.is_some_and(|n| n > 1) {
        // kubectl prints what it got, then refuses to watch several named objects.
        let mut w = Watch::open(ctx.world, target, format, p.on("output-watch-events"), &objs, timeout);
        w.print_initial(&objs, ctx.world.now(), ctx.out);
        crate::kubectl::stream::Stream::close(Box::new(w), ctx.world);
        return Err(CmdError::Msg(
            "you may only watch a single resource or type of resource at a time".into(),
        ));
    }
    let now = ctx.world.now();
    let mut w = Watch::open(ctx.world, target, format, p.on("output-watch-events"), &objs, timeout);
    if !p.on("watch-only") {
        w.print_initial(&objs, now, ctx.out);
    }
    ctx.watch = Some(Box::new(w));
    Ok(0)
}

/// What the printers that take one document see: a single named object as it is, anything
/// else as a `List`.
fn document(groups: &[(Kind, Vec<Object>)], single: bool) -> Value {
    let items: Vec<Value> = groups
        .iter()
        .flat_map(|(_, objs)| objs.iter().map(output_value))
        .collect();
    if single && items.len() == 1 {
        items.into_iter().next().unwrap_or(Value::Null)
    } else {
        json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
    }
}

/// An object as `-o yaml|json` shows it: managed fields left out, and the zero values Go
/// serialises where k8s-openapi has nothing (`lastProbeTime: null` in pod conditions,
/// `creationTimestamp: null` in pod templates).
pub fn output_value(o: &Object) -> Value {
    let mut v = o.to_value();
    if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("managedFields");
    }
    go_zero_values(&mut v, "");
    v
}

fn go_zero_values(v: &mut Value, key: &str) {
    match v {
        Value::Object(m) => {
            if key == "template"
                && let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut)
            {
                meta.entry("creationTimestamp").or_insert(Value::Null);
            }
            for (k, child) in m.iter_mut() {
                go_zero_values(child, k);
            }
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                if key == "conditions"
                    && let Some(c) = item.as_object_mut()
                    && c.contains_key("lastTransitionTime")
                    && !c.contains_key("lastHeartbeatTime")
                    && !c.contains_key("lastUpdateTime")
                {
                    c.entry("lastProbeTime").or_insert(Value::Null);
                }
                go_zero_values(item, "");
            }
        }
        _ => {}
    }
}

/// `--sort-by` (kubectl/pkg/cmd/get/sorter.go): a stable sort of each kind's objects on the
/// field's first value; numbers by value, RFC 3339 times by time, other text in natural
/// order; an object without the field sorts first. No object with the field is an error.
fn sort_objects(found: &mut Found, expr: &str, path: &JsonPath) -> Result<(), CmdError> {
    let mut any = false;
    for (_, objs) in &mut found.groups {
        let mut keyed: Vec<(Option<Value>, Object)> = Vec::new();
        for o in objs.drain(..) {
            let first = path.find(&output_value(&o)).map_err(CmdError::Msg)?.into_iter().next();
            keyed.push((first, o));
        }
        any |= keyed.iter().any(|(k, _)| k.is_some());
        keyed.sort_by(|(a, _), (b, _)| match (a, b) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(a), Some(b)) => compare_values(a, b),
        });
        objs.extend(keyed.into_iter().map(|(_, o)| o));
    }
    let total: usize = found.groups.iter().map(|(_, o)| o.len()).sum();
    if !any && total > 0 {
        return Err(CmdError::Msg(format!(
            "couldn't find any field with path {expr:?} in the list of objects"
        )));
    }
    Ok(())
}

fn compare_values(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .zip(y.as_f64())
            .and_then(|(x, y)| x.partial_cmp(&y))
            .unwrap_or(std::cmp::Ordering::Equal),
        (Value::String(x), Value::String(y)) => natural(x, y),
        _ => jsonpath::text_of(a).cmp(&jsonpath::text_of(b)),
    }
}

/// `sortorder.NaturalLess`: runs of digits compare as numbers.
fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let n = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let m = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (&x[..n], &y[..m]);
                let tx = dx.iter().skip_while(|c| **c == b'0').count();
                let ty = dy.iter().skip_while(|c| **c == b'0').count();
                let ord = tx
                    .cmp(&ty)
                    .then_with(|| dx[n - tx..].cmp(&dy[m - ty..]))
                    .then_with(|| n.cmp(&m));
                if ord.is_ne() {
                    return ord;
                }
                x = &x[n..];
                y = &y[m..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}
