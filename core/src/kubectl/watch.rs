//! `kubectl get -w`: after the list, one line (or document) per change the API server's watch
//! delivers, printed as kubectl's watch loop prints them (kubectl pkg/cmd/get/get.go `watch`).
//!
//! A watch outlives the command that opened it: the session keeps it and reads it as virtual
//! time passes. In the page it runs until the learner presses Ctrl-C (kubectl then exits 1),
//! types the next command, or the watch ends; in a script it ends at the next command, after
//! passing the time of its own `--request-timeout` if it has one. Either way it ends silently
//! with status 0 when the request times out or the API server closes it.
//!
//! What each change prints follows the server and the printers: the server filters the watch
//! by label and field selector, turning an object that starts or stops matching into ADDED or
//! DELETED (apiserver storage/cacher/cache_watcher.go); the AGE of a row is the object's age
//! when the server sent the change; rows share one tab writer that remembers column widths,
//! so a wider row stands out of line; `--output-watch-events` adds an EVENT column or wraps
//! objects as `{type, object}`; YAML documents are separated by `---`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::cluster::{WatchId, World};
use k8s_openapi::api::core::v1::Event;

use crate::kubectl::cmd::events;
use crate::kubectl::cmd::get::output_value;
use crate::kubectl::field_selector::FieldSelector;
use crate::kubectl::printers::columns;
use crate::kubectl::printers::generic::Generic;
use crate::kubectl::printers::json::{go_escape, to_json};
use crate::kubectl::printers::table::TableOptions;
use crate::kubectl::printers::tabwriter::TabWriter;
use crate::kubectl::printers::yaml::to_yaml;
use crate::labels::Selector;
use crate::session::io::Output;
use crate::sim::clock::Millis;
use crate::store::{Kind, Object, ObjectKey, WatchEventType};

/// How the watch prints objects.
pub enum Format {
    /// The server's table (`-o wide` when `wide`).
    Table(TableLook),
    Name,
    Yaml,
    Json,
    Generic(Generic),
    /// `kubectl events -w`: kubectl's own event table, its header before the first event.
    Events(EventLook),
}

pub struct EventLook {
    pub all_namespaces: bool,
    pub no_headers: bool,
}

impl Format {
    /// The printer `-o` names; `table` for none (or `wide`).
    pub fn of(output: &str, generic: Option<Generic>, table: impl FnOnce() -> Format) -> Format {
        match (output, generic) {
            (_, Some(g)) => Format::Generic(g),
            ("yaml", _) => Format::Yaml,
            ("json", _) => Format::Json,
            ("name", _) => Format::Name,
            _ => table(),
        }
    }
}

/// The table flags of `kubectl get`.
pub struct TableLook {
    pub wide: bool,
    pub with_namespace: bool,
    pub show_labels: bool,
    pub kind_prefix: Option<String>,
    pub no_headers: bool,
    pub label_columns: Vec<String>,
}

/// What a watch is of.
pub struct Target {
    pub kind: Kind,
    /// The namespace, or all namespaces.
    pub namespace: Option<String>,
    /// One object (`get pod NAME -w`: the server's `fieldSelector=metadata.name=NAME`).
    pub name: Option<String>,
    pub selector: Option<Selector>,
    pub fields: Option<FieldSelector>,
    /// `kubectl events --for|--types`: which events are printed.
    pub events: Option<EventFilter>,
}

/// Which events `kubectl events -w` prints.
pub type EventFilter = Box<dyn Fn(&Event) -> bool>;

impl Target {
    fn passes(&self, obj: &Object) -> bool {
        self.name.as_deref().is_none_or(|n| obj.name() == n)
            && self
                .selector
                .as_ref()
                .is_none_or(|s| s.matches(obj.meta().labels.as_ref().unwrap_or(&BTreeMap::new())))
            && self.fields.as_ref().is_none_or(|f| f.matches(obj))
    }

    /// Whether every object of the watched kind and namespace passes, so the watch needs no
    /// memory of what passed before.
    fn filters(&self) -> bool {
        self.name.is_some() || self.selector.is_some() || self.fields.is_some()
    }
}

pub struct Watch {
    id: WatchId,
    target: Target,
    format: Format,
    /// `--output-watch-events`.
    events: bool,
    /// When the watch ends by itself: its `--request-timeout`, or the API server's close.
    ends_at: Millis,
    /// Whether a `--request-timeout` bounds it (a script then lets that time pass).
    timed: bool,
    /// The objects that passed the filters, as last seen (only when the watch filters).
    passing: BTreeMap<ObjectKey, Object>,
    /// The tab writer's remembered widths.
    widths: Vec<usize>,
    printed_header: bool,
    printed_any: bool,
}

impl crate::kubectl::stream::Stream for Watch {
    fn poll(&mut self, world: &mut World, out: &mut Output) {
        let mut changes = Vec::new();
        for (at, ev) in world.read_watch(self.id) {
            if let Some(change) = self.filter(at, ev.kind, ev.key, ev.object) {
                changes.push(change);
            }
        }
        for c in changes {
            self.print(std::slice::from_ref(&c), out);
        }
    }

    fn close(self: Box<Self>, world: &mut World) {
        world.close_watch(self.id);
    }

    fn ends_at(&self) -> Millis {
        self.ends_at
    }

    fn timed(&self) -> bool {
        self.timed
    }
}

/// The type of a change as a watch delivers it.
type Change = (Millis, WatchEventType, Object);

impl Watch {
    /// Opens the watch, right after the list `initial` was read; `request_timeout` is the
    /// client's `--request-timeout` (0: none).
    pub fn open(
        world: &mut World,
        target: Target,
        format: Format,
        events: bool,
        initial: &[Object],
        request_timeout: Millis,
    ) -> Watch {
        let (id, server_end) = world.open_watch(target.kind, target.namespace.as_deref());
        let timed = request_timeout > 0;
        let ends_at = if timed {
            server_end.min(world.now().saturating_add(request_timeout))
        } else {
            server_end
        };
        let passing = if target.filters() {
            initial
                .iter()
                .filter(|o| target.passes(o))
                .map(|o| (ObjectKey::of(o), o.clone()))
                .collect()
        } else {
            BTreeMap::new()
        };
        Watch {
            id,
            target,
            format,
            events,
            ends_at,
            timed,
            passing,
            widths: Vec::new(),
            printed_header: false,
            printed_any: false,
        }
    }

    /// Prints the objects read before the watch began (not with `--watch-only`).
    pub fn print_initial(&mut self, objs: &[Object], now: Millis, out: &mut Output) {
        let changes: Vec<Change> = objs.iter().map(|o| (now, WatchEventType::Added, o.clone())).collect();
        self.print(&changes, out);
    }

    /// What the server sends for one stored change, after its filters.
    fn filter(&mut self, at: Millis, kind: WatchEventType, key: ObjectKey, obj: Object) -> Option<Change> {
        if !self.target.filters() {
            return Some((at, kind, obj));
        }
        let now = kind != WatchEventType::Deleted && self.target.passes(&obj);
        let before = self.passing.remove(&key);
        match (before, now) {
            (Some(_), true) => {
                self.passing.insert(key, obj.clone());
                Some((at, WatchEventType::Modified, obj))
            }
            (None, true) => {
                self.passing.insert(key, obj.clone());
                Some((at, WatchEventType::Added, obj))
            }
            (Some(_), false) if kind == WatchEventType::Deleted => Some((at, kind, obj)),
            // An object that stops matching is gone from this watch: DELETED, as it was.
            (Some(prev), false) => Some((at, WatchEventType::Deleted, prev)),
            (None, false) => None,
        }
    }

    /// Prints changes as one flush of the writer.
    fn print(&mut self, changes: &[Change], out: &mut Output) {
        if changes.is_empty() {
            return;
        }
        match &self.format {
            Format::Table(look) => {
                let label_columns = look.label_columns.clone();
                let mut text = String::new();
                for (i, (at, kind, obj)) in changes.iter().enumerate() {
                    let header = i == 0 && !self.printed_header && !look.no_headers;
                    let rows = columns::table(self.target.kind, &[obj], *at).cells_text(TableOptions {
                        wide: look.wide,
                        with_namespace: look.with_namespace,
                        show_labels: look.show_labels,
                        kind_prefix: look.kind_prefix.as_deref(),
                        no_headers: !header,
                        label_columns: &label_columns,
                    });
                    for (n, line) in rows.lines().enumerate() {
                        if self.events {
                            text.push_str(if header && n == 0 { "EVENT" } else { event_name(*kind) });
                            text.push('\t');
                        }
                        text.push_str(line);
                        text.push('\n');
                    }
                }
                self.printed_header = true;
                out.out(TabWriter::GET.format_remembering(&text, &mut self.widths));
            }
            Format::Generic(g @ Generic::Columns(_)) => {
                let mut text = String::new();
                for (i, (_, kind, obj)) in changes.iter().enumerate() {
                    let header = i == 0 && !self.printed_header;
                    let doc = if self.events {
                        event_doc(*kind, obj)
                    } else {
                        output_value(obj)
                    };
                    match g.columns_text(&doc, !header) {
                        Ok(t) => text.push_str(&t),
                        Err(e) => out.err(crate::kubectl::check_err(&e)),
                    }
                }
                self.printed_header = true;
                out.out(TabWriter::GET.format_remembering(&text, &mut self.widths));
            }
            Format::Generic(g) => {
                for (_, kind, obj) in changes {
                    let doc = if self.events {
                        event_doc(*kind, obj)
                    } else {
                        output_value(obj)
                    };
                    match g.print(&doc, false) {
                        Ok(t) => out.out(t),
                        Err(e) => out.err(crate::kubectl::check_err(&e)),
                    }
                }
            }
            Format::Events(look) => {
                let mut text = String::new();
                for (at, kind, obj) in changes {
                    // Events are deleted after an hour; kubectl does not print that.
                    let Object::Event(e) = obj else { continue };
                    if *kind == WatchEventType::Deleted || !self.target.events.as_ref().is_none_or(|f| f(e)) {
                        continue;
                    }
                    if !self.printed_header && !look.no_headers {
                        text.push_str(events::header(look.all_namespaces));
                    }
                    self.printed_header = true;
                    text.push_str(&events::row(e, *at, look.all_namespaces));
                }
                out.out(TabWriter::GET.format_remembering(&text, &mut self.widths));
            }
            Format::Name => {
                for (_, _, obj) in changes {
                    out.out(format!("{}/{}\n", self.target.kind.info().kind_group(), obj.name()));
                }
            }
            Format::Yaml => {
                for (_, kind, obj) in changes {
                    if self.printed_any {
                        out.out("---\n");
                    }
                    self.printed_any = true;
                    let doc = if self.events {
                        event_doc(*kind, obj)
                    } else {
                        output_value(obj)
                    };
                    out.out(to_yaml(&doc));
                }
            }
            Format::Json => {
                for (_, kind, obj) in changes {
                    if self.events {
                        // A watch event is printed compact, on one line (cli-runtime json.go).
                        let line = serde_json::to_string(&event_doc(*kind, obj)).unwrap_or_default();
                        out.out(format!("{}\n", go_escape(&line)));
                    } else {
                        out.out(to_json(&output_value(obj)));
                    }
                }
            }
        }
    }
}

/// The EVENT column's text: padded to eight characters by the printer itself
/// (cli-runtime printers/tableprinter.go).
fn event_name(kind: WatchEventType) -> &'static str {
    match kind {
        WatchEventType::Added => "ADDED   ",
        WatchEventType::Modified => "MODIFIED",
        WatchEventType::Deleted => "DELETED ",
    }
}

/// A `metav1.WatchEvent`: no kind of its own, and the object with its managed fields (the
/// printer that drops them cannot read a WatchEvent's metadata).
fn event_doc(kind: WatchEventType, obj: &Object) -> Value {
    let kind = event_name(kind).trim_end();
    json!({"type": kind, "object": obj.to_value()})
}
