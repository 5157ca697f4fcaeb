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
use crate::kubectl::watch::{EventLook, Format, Target, Watch};
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

/// The header of kubectl's event printer (pkg/cmd/events/event_printer.go).
pub fn header(all_namespaces: bool) -> &'static str {
    if all_namespaces {
        "NAMESPACE\tLAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n"
    } else {
        "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n"
    }
}

/// One event's row: OBJECT keeps the kind's case (`Pod/web`), unlike `get events`.
pub fn row(e: &Event, now: Millis, all_namespaces: bool) -> String {
    let mut text = String::new();
    if all_namespaces {
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
    text
}

/// `--for`: the event is about that object.
fn involves(e: &Event, kind: Kind, name: &str) -> bool {
    let io = &e.involved_object;
    io.kind.as_deref() == Some(kind.name())
        && io.api_version.as_deref() == Some(kind.info().api_version().as_str())
        && io.name.as_deref() == Some(name)
}

/// `--types`: none given, or the event's is one of them.
fn of_types(e: &Event, types: &[String]) -> bool {
    types.is_empty()
        || types
            .iter()
            .any(|t| e.type_.as_deref().is_some_and(|et| et.eq_ignore_ascii_case(t)))
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
    let generic = Generic::from_flags(&output, p.get("template"), ctx)?;
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
        // No list first: a watch from resourceVersion 0 sends the events there are as ADDED
        // (kubectl pkg/cmd/events/events.go); non-table output prints each event object.
        let timeout = crate::kubectl::request_timeout(&p)?;
        let format = Format::of(&output, generic, || {
            Format::Events(EventLook {
                all_namespaces: all,
                no_headers: p.on("no-headers"),
            })
        });
        let target = Target {
            kind: Kind::Event,
            namespace: (!all).then(|| ns.clone()),
            name: None,
            selector: None,
            fields: None,
            events: Some(Box::new(move |e: &Event| {
                wanted.as_ref().is_none_or(|(kind, name)| involves(e, *kind, name)) && of_types(e, &types)
            })),
        };
        let existing: Vec<Object> = ctx
            .world
            .api()
            .store()
            .list(Kind::Event, (!all).then_some(ns.as_str()))
            .cloned()
            .collect();
        let now = ctx.world.now();
        let mut w = Watch::open(ctx.world, target, format, false, &existing, timeout);
        w.print_initial(&existing, now, ctx.out);
        ctx.watch = Some(Box::new(w));
        return Ok(0);
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
        .filter(|e| wanted.as_ref().is_none_or(|(kind, name)| involves(e, *kind, name)))
        .filter(|e| of_types(e, &types))
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
            text.push_str(header(all));
        }
        for e in &events {
            text.push_str(&row(e, now, all));
        }
        ctx.out.out(TabWriter::GET.format(&text));
        return Ok(0);
    }
    // One EventList, each item typed.
    let items: Vec<serde_json::Value> = events
        .iter()
        .map(|e| super::create::with_type(&Object::Event((*e).clone())))
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
