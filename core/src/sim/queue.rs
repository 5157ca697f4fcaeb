//! The timed event queue: a min-heap on (time, insertion order), so events due at the same
//! instant run in the order they were scheduled and a replay is byte-for-byte identical.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::clock::Millis;

struct Entry<T> {
    at: Millis,
    seq: u64,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the earliest first.
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

pub struct Queue<T> {
    heap: BinaryHeap<Entry<T>>,
    seq: u64,
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue {
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }
}

impl<T> Queue<T> {
    pub fn push(&mut self, at: Millis, item: T) {
        self.seq += 1;
        self.heap.push(Entry {
            at,
            seq: self.seq,
            item,
        });
    }

    pub fn next_at(&self) -> Option<Millis> {
        self.heap.peek().map(|e| e.at)
    }

    /// The earliest item if it is due at or before `until`.
    pub fn pop_due(&mut self, until: Millis) -> Option<(Millis, T)> {
        if self.heap.peek()?.at <= until {
            self.heap.pop().map(|e| (e.at, e.item))
        } else {
            None
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_then_fifo() {
        let mut q = Queue::default();
        q.push(5, "c");
        q.push(1, "a");
        q.push(5, "d");
        q.push(1, "b");
        let order: Vec<_> = std::iter::from_fn(|| q.pop_due(10)).map(|(_, x)| x).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
    }

    #[test]
    fn not_due_stays() {
        let mut q = Queue::default();
        q.push(5, ());
        assert!(q.pop_due(4).is_none());
        assert_eq!(q.next_at(), Some(5));
    }
}
