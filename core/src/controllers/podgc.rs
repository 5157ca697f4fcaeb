//! The pod garbage collector (pkg/controller/podgc): pods bound to a node that no longer exists
//! are deleted at once (force, grace 0), after the 40 s quarantine that guards against a node
//! being re-created; terminated pods beyond `--terminated-pod-gc-threshold` (12500) are deleted
//! oldest first. Its pass runs every 20 s (`gcCheckPeriod`), as upstream's does.

use std::collections::BTreeMap;

use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::sim::clock::{Millis, SECOND};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent, WatchEventType};

const CHECK_PERIOD: Millis = 20 * SECOND;
const QUARANTINE: Millis = 40 * SECOND;
const TERMINATED_THRESHOLD: usize = 12_500;

#[derive(Default)]
pub struct PodGc {
    /// Nodes seen deleted, with when: their pods go once the quarantine has passed.
    deleted_nodes: BTreeMap<String, Millis>,
}

fn pass_key() -> ObjectKey {
    ObjectKey::new(Kind::Node, "", "")
}

impl Controller for PodGc {
    fn name(&self) -> &'static str {
        "pod-garbage-collector-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::Node]
    }

    fn keys(&self, ev: &WatchEvent, _store: &Store, out: &mut Wakes) {
        if ev.kind == WatchEventType::Deleted {
            out.push((ObjectKey::new(Kind::Node, "", &ev.key.name), 0));
            out.push((pass_key(), QUARANTINE));
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        if !key.name.is_empty() {
            // A node went away: remember when.
            if cx.api.get(Kind::Node, "", &key.name).is_none() {
                self.deleted_nodes.entry(key.name.clone()).or_insert(cx.now);
            }
            return Ok(());
        }
        self.gc_orphaned(cx)?;
        self.gc_terminated(cx)?;
        if !self.deleted_nodes.is_empty() {
            cx.after(CHECK_PERIOD, pass_key());
        }
        Ok(())
    }
}

impl PodGc {
    fn gc_orphaned(&mut self, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let now = cx.now;
        let due: Vec<String> = self
            .deleted_nodes
            .iter()
            .filter(|(_, at)| at.saturating_add(QUARANTINE) <= now)
            .map(|(n, _)| n.clone())
            .collect();
        for node in due {
            if cx.api.get(Kind::Node, "", &node).is_some() {
                // The node came back before the quarantine ended.
                self.deleted_nodes.remove(&node);
                continue;
            }
            let pods: Vec<ObjectKey> = cx.api.store().indexes().pods_on_node(&node).iter().cloned().collect();
            for key in pods {
                match cx.api.delete(&key, Some(0)) {
                    Ok(_) => {}
                    Err(e) if e.reason == crate::api::Reason::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
            self.deleted_nodes.remove(&node);
        }
        Ok(())
    }

    fn gc_terminated(&mut self, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let mut terminated: Vec<(Option<String>, ObjectKey)> = cx
            .api
            .list(Kind::Pod, None)
            .filter_map(|o| match o {
                Object::Pod(p)
                    if matches!(
                        p.status.as_ref().and_then(|s| s.phase.as_deref()),
                        Some("Succeeded" | "Failed")
                    ) =>
                {
                    Some((
                        p.metadata.creation_timestamp.as_ref().map(|t| t.0.to_string()),
                        ObjectKey::of(o),
                    ))
                }
                _ => None,
            })
            .collect();
        if terminated.len() <= TERMINATED_THRESHOLD {
            return Ok(());
        }
        terminated.sort();
        let excess = terminated.len() - TERMINATED_THRESHOLD;
        for (_, key) in terminated.into_iter().take(excess) {
            let _ = cx.api.delete(&key, Some(0));
        }
        Ok(())
    }
}
