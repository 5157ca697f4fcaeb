//! Watches opened by clients outside the cluster (`kubectl get -w`, `kubectl events -w`): the
//! API server's watch of one resource, in one namespace or all, from the moment it opened. The
//! world hands each stored change to the open watches of its kind as it dispatches it to the
//! informers, stamped with the virtual time it happened, so a client that reads later (the
//! page's timer, a script's timeout) prints each change with the age it had then.

use std::collections::BTreeMap;

use crate::sim::clock::Millis;
use crate::store::{Kind, WatchEvent};

/// An open watch's handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WatchId(u64);

struct ClientWatch {
    kind: Kind,
    namespace: Option<String>,
    events: Vec<(Millis, WatchEvent)>,
}

#[derive(Default)]
pub struct ClientWatches {
    open: BTreeMap<WatchId, ClientWatch>,
    next: u64,
}

impl ClientWatches {
    pub fn open(&mut self, kind: Kind, namespace: Option<&str>) -> WatchId {
        self.next += 1;
        let id = WatchId(self.next);
        self.open.insert(
            id,
            ClientWatch {
                kind,
                namespace: namespace.map(str::to_string),
                events: Vec::new(),
            },
        );
        id
    }

    pub fn close(&mut self, id: WatchId) {
        self.open.remove(&id);
    }

    /// The changes delivered since the last call, oldest first.
    pub fn take(&mut self, id: WatchId) -> Vec<(Millis, WatchEvent)> {
        self.open
            .get_mut(&id)
            .map(|w| std::mem::take(&mut w.events))
            .unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }

    /// Delivers one change to the watches it concerns.
    pub fn deliver(&mut self, now: Millis, ev: &WatchEvent) {
        for w in self.open.values_mut() {
            if w.kind == ev.key.kind && w.namespace.as_deref().is_none_or(|ns| ns == ev.key.namespace) {
                w.events.push((now, ev.clone()));
            }
        }
    }
}
