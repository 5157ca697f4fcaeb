//! Events, recorded the way client-go's event recorder records them: one `Event` object per
//! distinct (object, type, reason, message, source), and a repeat of the same event bumps its
//! `count` and `lastTimestamp` instead of creating another (the EventCorrelator's aggregation),
//! which is what `kubectl describe` shows as `(x3 over 2m)`.

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};

use crate::sim::clock::{EPOCH_SECONDS, Millis, SECOND, api_time};
use crate::store::Object;

/// Who reports an event: `From` in `kubectl describe`.
#[derive(Clone, Debug)]
pub struct Source {
    pub component: &'static str,
    pub host: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// A reference to the object an event is about, as `ref.GetReference` builds it.
pub fn reference(obj: &Object, field_path: Option<String>) -> ObjectReference {
    let info = obj.kind().info();
    let m = obj.meta();
    ObjectReference {
        api_version: Some(info.api_version()),
        kind: Some(obj.kind().name().into()),
        name: m.name.clone(),
        namespace: m.namespace.clone(),
        uid: m.uid.clone(),
        resource_version: m.resource_version.clone(),
        field_path,
    }
}

/// The event logger's aggregation key: a repeat of the same event on the same object (and
/// field) from the same source counts up instead of making another Event.
pub fn aggregation_key(obj: &ObjectReference, ty: EventType, reason: &str, message: &str, source: &Source) -> String {
    format!(
        "{}\u{0}{}\u{0}{}\u{0}{reason}\u{0}{message}\u{0}{}\u{0}{}",
        obj.uid.as_deref().unwrap_or(""),
        obj.field_path.as_deref().unwrap_or(""),
        ty.as_str(),
        source.component,
        source.host.as_deref().unwrap_or("")
    )
}

/// A new Event object. Its name is `<object>.<unix nanos in hex>` as client-go names events;
/// `seq` keeps names distinct when two events share an instant.
pub fn new_event(
    obj: ObjectReference,
    ty: EventType,
    reason: &str,
    message: &str,
    source: &Source,
    now: Millis,
    seq: u64,
) -> Event {
    let nanos = (EPOCH_SECONDS as u128 * 1_000_000_000) + now as u128 * 1_000_000 + (seq % 1_000_000) as u128;
    let name = format!("{}.{:x}", obj.name.as_deref().unwrap_or(""), nanos);
    let namespace = obj
        .namespace
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".into());
    let t = api_time(now);
    Event {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(namespace),
            ..Default::default()
        },
        involved_object: obj,
        reason: Some(reason.into()),
        message: Some(message.into()),
        source: Some(EventSource {
            component: Some(source.component.into()),
            host: source.host.clone(),
        }),
        first_timestamp: Some(t.clone()),
        last_timestamp: Some(t),
        count: Some(1),
        type_: Some(ty.as_str().into()),
        event_time: None::<MicroTime>,
        reporting_component: Some(source.component.into()),
        reporting_instance: Some(source.host.clone().unwrap_or_default()),
        ..Default::default()
    }
}

/// One more occurrence of an existing event.
pub fn bump(e: &mut Event, now: Millis) {
    e.count = Some(e.count.unwrap_or(1) + 1);
    e.last_timestamp = Some(api_time(now / SECOND * SECOND));
}
