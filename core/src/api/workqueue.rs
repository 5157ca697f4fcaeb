//! The work queue every component drains (client-go's `workqueue`, in virtual time): a key is
//! queued at most once, at its earliest requested time; a failed key comes back after a
//! per-key exponential back-off (`ItemExponentialFailureRateLimiter`: 5 ms doubling to 1000 s)
//! until it succeeds and is forgotten.
//!
//! The queue holds keys and due times; the component turns a returned due time into a timer
//! carrying the key and that time, and [`WorkQueue::take`] drops timers that an earlier add
//! replaced, so a key runs once however often it was added.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::collections::BTreeMap;

use super::Cx;
use crate::sim::clock::{Millis, SECOND};

const BASE_DELAY: Millis = 5;
const MAX_DELAY: Millis = 1000 * SECOND;

pub struct WorkQueue<K: Ord + Clone> {
    due: BTreeMap<K, Millis>,
    failures: BTreeMap<K, u32>,
}

impl<K: Ord + Clone> Default for WorkQueue<K> {
    fn default() -> Self {
        WorkQueue {
            due: BTreeMap::new(),
            failures: BTreeMap::new(),
        }
    }
}

impl<K: Ord + Clone> WorkQueue<K> {
    /// Queues `key` to run `delay` from now, unless it already runs by then. When a new run
    /// is needed, `task(key, at)` is the timer to set.
    pub fn add_after<T>(&mut self, key: &K, delay: Millis, cx: &mut Cx<'_, T>, task: impl FnOnce(K, Millis) -> T) {
        let at = cx.now.saturating_add(delay);
        if self.due.get(key).is_some_and(|d| *d <= at) {
            return;
        }
        self.due.insert(key.clone(), at);
        cx.after(delay, task(key.clone(), at));
    }

    pub fn add<T>(&mut self, key: &K, cx: &mut Cx<'_, T>, task: impl FnOnce(K, Millis) -> T) {
        self.add_after(key, 0, cx, task);
    }

    /// Queues `key` again after its back-off, which doubles with each failure in a row.
    pub fn add_rate_limited<T>(&mut self, key: &K, cx: &mut Cx<'_, T>, task: impl FnOnce(K, Millis) -> T) {
        let n = self.failures.entry(key.clone()).or_insert(0);
        let delay = BASE_DELAY.checked_shl(*n).unwrap_or(MAX_DELAY).min(MAX_DELAY);
        *n = n.saturating_add(1);
        self.add_after(key, delay, cx, task);
    }

    /// The key succeeded: its next failure starts the back-off afresh.
    pub fn forget(&mut self, key: &K) {
        self.failures.remove(key);
    }

    /// A timer for `key` set for `at` fired: true if it is the key's live run, which leaves
    /// the queue (an add from now on queues it again).
    pub fn take(&mut self, key: &K, at: Millis) -> bool {
        if self.due.get(key) == Some(&at) {
            self.due.remove(key);
            true
        } else {
            false
        }
    }

    pub fn is_queued(&self, key: &K) -> bool {
        self.due.contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.due.len()
    }

    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Context;

    fn run(
        q: &mut WorkQueue<&'static str>,
        now: Millis,
        f: impl FnOnce(&mut WorkQueue<&'static str>, &mut Cx<'_, (&'static str, Millis)>),
    ) -> Vec<(Millis, (&'static str, Millis))> {
        let mut api = crate::api::ApiServer::new(crate::sim::rng::Rng::new(1));
        let mut timers = Vec::new();
        let mut cx = Context::new(now, &mut api, &mut timers);
        f(q, &mut cx);
        timers
    }

    #[test]
    fn a_key_runs_once_at_its_earliest_time() {
        let mut q = WorkQueue::default();
        let t = run(&mut q, 100, |q, cx| {
            q.add_after(&"a", 50, cx, |k, at| (k, at));
            q.add_after(&"a", 80, cx, |k, at| (k, at));
            q.add(&"a", cx, |k, at| (k, at));
        });
        assert_eq!(t.len(), 2, "the later add is absorbed, the earlier one replaces");
        assert!(!q.take(&"a", 150), "the replaced timer is stale");
        assert!(q.take(&"a", 100));
        assert!(!q.is_queued(&"a"));
    }

    #[test]
    fn failures_back_off_exponentially_until_forgotten() {
        let mut q = WorkQueue::default();
        let mut delays = Vec::new();
        for _ in 0..4 {
            let t = run(&mut q, 0, |q, cx| q.add_rate_limited(&"a", cx, |k, at| (k, at)));
            let (at, (_, due)) = t[0];
            delays.push(at);
            assert!(q.take(&"a", due));
        }
        assert_eq!(delays, [5, 10, 20, 40]);
        q.forget(&"a");
        let t = run(&mut q, 0, |q, cx| q.add_rate_limited(&"a", cx, |k, at| (k, at)));
        assert_eq!(t[0].0, 5);
    }
}
