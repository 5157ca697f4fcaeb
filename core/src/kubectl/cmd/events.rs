//! `kubectl events` (staging/src/k8s.io/kubectl/pkg/cmd/events): events of a namespace (or
//! all), oldest last occurrence first, optionally only those of one object (`--for`) or of
//! some types (`--types`), in kubectl's own table (`LAST SEEN` with `(xN over M)` for
//! repeats, OBJECT with the kind as written) or as one EventList.

use k8s_openapi::api::core::v1::Event;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::printers::duration::since_time;
use crate::kubectl::printers::generic::Generic;
use crate::kubectl::printers::tabwriter::TabWriter;
use crate::kubectl::printers::{json::to_json, yaml::to_yaml};
use crate::kubectl::resources::resolve_type;
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::sim::clock::Millis;
use crate::store::{Kind, Object};

const FLAGS: &[flags::FlagSpec] = &[
    flag("all-namespaces", Some('A'), false),
    flag("for", None, true),
    multi("types", None),
    flag("output", Some('o'), true),
    flag("no-headers", None, false),
    flag("watch", Some('w'), false),
    flag("chunk-size", None, true),
    flag("allow-missing-template-keys", None, true),
    flag("show-managed-fields", None, false),
    flag("template", None, true),
];

const FORMATS: &str =
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml";

/// An event's times as `time.Time`, in milliseconds of virtual time (the micro-time of a
/// series' `eventTime` included).
fn millis(t: Option<&Time>) -> Option<i64> {
    t.map(|t| t.0.as_millisecond())
}

/// `eventTime(e)`: the sort key, the last occurrence.
fn last_seen(e: &Event) -> i64 {
    if let Some(s) = &e.series
        && let Some(t) = &s.last_observed_time
    {
        return t.0.as_millisecond();
    }
    millis(e.last_timestamp.as_ref())
        .or_else(|| e.event_time.as_ref().map(|t| t.0.as_millisecond()))
        .unwrap_or(0)
}

/// `getInterval`: the first occurrence's age, or `last (xN over first)` for a repeat.
fn interval(e: &Event, now: Millis) -> String {
    let first = match &e.event_time {
        Some(t) => since_time(Some(&Time(t.0)), now),
        None => since_time(e.first_timestamp.as_ref(), now),
    };
    if let Some(s) = &e.series {
        let last = since_time(s.last_observed_time.as_ref().map(|t| Time(t.0)).as_ref(), now);
        return format!("{last} (x{} over {first})", s.count.unwrap_or(0));
    }
    match e.count {
        Some(c) if c > 1 => format!("{} (x{c} over {first})", since_time(e.last_timestamp.as_ref(), now)),
        _ => first,
    }
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("events", e))?;
    let all = p.on("all-namespaces");
    let ns = ctx.namespace(&p);
    // `--for`: the involved object's kind, group/version and name, as the REST mapper reads
    // the argument.
    let wanted = match p.get("for").filter(|f| !f.is_empty()) {
        None => None,
        Some(f) => {
            let Some((t, name)) = f.split_once('/') else {
                return Err(CmdError::Msg("--for must be in resource/name form".into()));
            };
            if name.contains('/') {
                return Err(CmdError::Msg(
                    "arguments in resource/name form may not have more than one slash".into(),
                ));
            }
            let Some(kind) = resolve_type(t) else {
                return Err(CmdError::Raw(format!(
                    "the server doesn't have a resource type {t:?}\n"
                )));
            };
            Some((kind, name.to_string()))
        }
    };
    let output = p.get("output").unwrap_or("").to_string();
    let generic = Generic::from_output(&output, ctx)?;
    if generic.is_none() && !["", "yaml", "json", "name"].contains(&output.as_str()) {
        return Err(CmdError::Msg(format!(
            "unable to match a printer suitable for the output format {output:?}, allowed formats are: {FORMATS}"
        )));
    }
    let mut types: Vec<String> = Vec::new();
    for t in p.all("types") {
        let canonical = match t.to_lowercase().as_str() {
            "normal" => "Normal",
            "warning" => "Warning",
            _ => return Err(CmdError::Msg("valid --types are Normal or Warning".into())),
        };
        if !types.iter().any(|x| x == canonical) {
            types.push(canonical.to_string());
        }
    }
    if p.on("watch") {
        return Err(CmdError::Msg(
            "\"kubectl events --watch\" is not available in Kubeplay yet".into(),
        ));
    }
    let now = ctx.world.now();
    let mut events: Vec<&Event> = ctx
        .world
        .api()
        .store()
        .list(Kind::Event, (!all).then_some(ns.as_str()))
        .filter_map(|o| match o {
            Object::Event(e) => Some(e),
            _ => None,
        })
        .filter(|e| {
            wanted.as_ref().is_none_or(|(kind, name)| {
                let io = &e.involved_object;
                io.kind.as_deref() == Some(kind.name())
                    && io.api_version.as_deref() == Some(kind.info().api_version().as_str())
                    && io.name.as_deref() == Some(name.as_str())
            })
        })
        .filter(|e| {
            types.is_empty()
                || types
                    .iter()
                    .any(|t| e.type_.as_deref().is_some_and(|et| et.eq_ignore_ascii_case(t)))
        })
        .collect();
    if events.is_empty() {
        ctx.out.err(if all {
            "No events found.\n".to_string()
        } else {
            format!("No events found in {ns} namespace.\n")
        });
        return Ok(0);
    }
    events.sort_by_key(|e| last_seen(e));
    if output.is_empty() {
        let mut text = String::new();
        if !p.on("no-headers") {
            if all {
                text.push_str("NAMESPACE\t");
            }
            text.push_str("LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
        }
        for e in &events {
            if all {
                text.push_str(&format!("{}\t", e.metadata.namespace.as_deref().unwrap_or("")));
            }
            let io = &e.involved_object;
            text.push_str(&format!(
                "{}\t{}\t{}\t{}/{}\t{}\n",
                interval(e, now),
                e.type_.as_deref().unwrap_or(""),
                e.reason.as_deref().unwrap_or(""),
                io.kind.as_deref().unwrap_or(""),
                io.name.as_deref().unwrap_or(""),
                e.message.as_deref().unwrap_or("").trim()
            ));
        }
        ctx.out.out(TabWriter::GET.format(&text));
        return Ok(0);
    }
    // One EventList, each item typed.
    let items: Vec<serde_json::Value> = events
        .iter()
        .map(|e| {
            let mut v = Object::Event((*e).clone()).to_value();
            if let Some(m) = v.as_object_mut() {
                m.insert("apiVersion".into(), "v1".into());
                m.insert("kind".into(), "Event".into());
                m.entry("reportingComponent").or_insert_with(|| "".into());
                m.entry("reportingInstance").or_insert_with(|| "".into());
                m.entry("eventTime").or_insert(serde_json::Value::Null);
            }
            v
        })
        .collect();
    let list = serde_json::json!({"apiVersion": "v1", "items": items, "kind": "EventList", "metadata": {}});
    let text = match output.as_str() {
        "yaml" => to_yaml(&list),
        "json" => to_json(&list),
        // NamePrinter refuses the typed list and kubectl ignores the error.
        "name" => String::new(),
        _ => match &generic {
            Some(g) => g.print(&list, p.on("no-headers"))?,
            None => String::new(),
        },
    };
    ctx.out.out(text);
    Ok(0)
}
