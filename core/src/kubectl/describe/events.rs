//! The Events section of describe: the object's events sorted by last timestamp, each message
//! prefixed with its field path (new in 1.35), ages as `10s` or `2m (x3 over 5m)`.

use k8s_openapi::api::core::v1::Event;

use super::Writer;
use crate::cluster::World;
use crate::kubectl::printers::duration::since_time;
use crate::store::{Kind, Object};

pub fn events_section(w: &mut Writer, world: &World, obj: &Object) {
    let uid = obj.meta().uid.clone();
    let ns = if obj.kind().info().namespaced {
        obj.namespace().to_string()
    } else {
        "default".to_string()
    };
    let mut events: Vec<&Event> = world
        .api()
        .list(Kind::Event, Some(&ns))
        .filter_map(|o| if let Object::Event(e) = o { Some(e) } else { None })
        // A node's events carry its uid (controllers) or its name (the kubelet): describe
        // searches for both.
        .filter(|e| {
            let by_name = obj.kind() == Kind::Node && e.involved_object.uid.as_deref() == Some(obj.name());
            (e.involved_object.uid == uid || by_name) && e.involved_object.kind.as_deref() == Some(obj.kind().name())
        })
        .collect();
    if events.is_empty() {
        w.line(0, "Events:\t<none>");
        return;
    }
    events.sort_by(|a, b| a.last_timestamp.cmp(&b.last_timestamp));
    w.flush();
    w.line(0, "Events:");
    w.line(1, "Type\tReason\tAge\tFrom\tMessage");
    w.line(1, "----\t------\t----\t----\t-------");
    let now = world.now();
    for e in events {
        // `DescribeEvents`: an events.k8s.io event has an eventTime instead of timestamps.
        let first = match &e.event_time {
            Some(t) => since_time(Some(&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(t.0)), now),
            None => since_time(e.first_timestamp.as_ref(), now),
        };
        let count = e.count.unwrap_or(1);
        let age = if count > 1 {
            format!("{} (x{count} over {first})", since_time(e.last_timestamp.as_ref(), now))
        } else {
            first
        };
        let from = e
            .source
            .as_ref()
            .and_then(|s| s.component.clone())
            .filter(|c| !c.is_empty())
            .or(e.reporting_component.clone())
            .unwrap_or_default();
        let mut message = e.message.clone().unwrap_or_default().trim().to_string();
        if let Some(fp) = e.involved_object.field_path.as_deref().filter(|f| !f.is_empty()) {
            message = format!("{fp}: {message}");
        }
        w.line(
            1,
            &format!(
                "{}\t{}\t{age}\t{from}\t{message}",
                e.type_.as_deref().unwrap_or(""),
                e.reason.as_deref().unwrap_or("")
            ),
        );
    }
}
