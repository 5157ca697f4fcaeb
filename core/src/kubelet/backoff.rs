//! client-go's `flowcontrol.Backoff` as the kubelet uses it, for container restarts (10s
//! doubling to 300s) and image pulls: no jitter, and an entry older than twice the maximum
//! starts over (k8s.io/client-go/util/flowcontrol/backoff.go).

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::collections::BTreeMap;

use crate::sim::clock::{Millis, SECOND};

#[derive(Clone, Copy, Debug)]
struct Entry {
    backoff: Millis,
    last_update: Millis,
}

#[derive(Clone, Debug)]
pub struct Backoff {
    initial: Millis,
    max: Millis,
    entries: BTreeMap<String, Entry>,
}

impl Backoff {
    pub fn new(initial: Millis, max: Millis) -> Self {
        Backoff {
            initial,
            max,
            entries: BTreeMap::new(),
        }
    }

    /// The kubelet's container restart and image pull back-off: 10s to 300s.
    pub fn kubelet_default() -> Self {
        Backoff::new(10 * SECOND, 300 * SECOND)
    }

    fn expired(&self, e: &Entry, at: Millis) -> bool {
        at.saturating_sub(e.last_update) > self.max.saturating_mul(2)
    }

    /// Records a failure: the back-off starts at the initial value or doubles.
    pub fn next(&mut self, id: &str, now: Millis) {
        let (initial, max) = (self.initial, self.max);
        let expired = self.entries.get(id).is_some_and(|e| self.expired(e, now));
        let e = self.entries.entry(id.to_string()).or_insert(Entry {
            backoff: 0,
            last_update: now,
        });
        e.backoff = if e.backoff == 0 || expired {
            initial
        } else {
            e.backoff.saturating_mul(2).min(max)
        };
        e.last_update = now;
    }

    /// Container restarts: still backing off `since` (the container's finish time)?
    pub fn in_backoff_since(&self, id: &str, since: Millis, now: Millis) -> bool {
        match self.entries.get(id) {
            Some(e) if !self.expired(e, now) => now.saturating_sub(since) < e.backoff,
            _ => false,
        }
    }

    /// Image pulls: still backing off since the last recorded failure?
    pub fn in_backoff_since_update(&self, id: &str, now: Millis) -> bool {
        match self.entries.get(id) {
            Some(e) if !self.expired(e, now) => now.saturating_sub(e.last_update) < e.backoff,
            _ => false,
        }
    }

    /// The current back-off duration, for messages.
    pub fn get(&self, id: &str) -> Millis {
        self.entries.get(id).map_or(0, |e| e.backoff)
    }

    pub fn reset(&mut self, id: &str) {
        self.entries.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The doubling and cap of k8s-semantics.md §1.1.
    #[test]
    fn doubles_to_the_cap_and_expires() {
        let mut b = Backoff::kubelet_default();
        let mut seen = Vec::new();
        for i in 0..7 {
            b.next("c", i * SECOND);
            seen.push(b.get("c") / SECOND);
        }
        assert_eq!(seen, [10, 20, 40, 80, 160, 300, 300]);
        assert!(b.in_backoff_since("c", 6 * SECOND, 100 * SECOND));
        b.next("c", 6 * SECOND + 601 * SECOND);
        assert_eq!(b.get("c"), 10 * SECOND);
    }
}
