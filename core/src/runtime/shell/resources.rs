//! What a shell process may use: a CPU slice of steps per wake-up (shared with everything it
//! runs, and charged for the bytes it moves), and memory, past which the OOM killer ends it.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use super::{BYTES_PER_STEP, Frame, MAX_MEMORY, STEP_BUDGET, Shell, TIME_SLICE};
use crate::runtime::{ProcCx, Status};
use crate::sim::clock::Millis;

impl Shell {
    /// Bytes held by variables, captured output, input and running children.
    pub(super) fn memory(&self) -> usize {
        let vars: usize = self.vars.iter().map(|(k, v)| k.len().saturating_add(v.len())).sum();
        let frames: usize = self
            .stack
            .iter()
            .map(|f| match f {
                Frame::Child { child, .. } => child.memory(),
                Frame::Expand(e) => e.current.len().saturating_add(e.values.iter().map(String::len).sum()),
                _ => 0,
            })
            .sum();
        [
            vars,
            frames,
            self.capture.as_ref().map_or(0, String::len),
            self.stdin.as_ref().map_or(0, String::len),
            self.child_output.as_ref().map_or(0, String::len),
        ]
        .iter()
        .fold(0usize, |a, b| a.saturating_add(*b))
    }

    /// Charges the CPU slice for moving `bytes` of data: a step per KiB. What a slice cannot
    /// pay becomes debt, paid by sleeping longer before the next slice, so copying a 64 MiB
    /// file in a loop costs virtual time in proportion, not unbounded work per wake-up.
    pub(super) fn charge(&mut self, bytes: usize, cx: &mut ProcCx<'_>) {
        let steps = u32::try_from(bytes / BYTES_PER_STEP).unwrap_or(u32::MAX);
        match cx.budget.checked_sub(steps) {
            Some(left) => cx.budget = left,
            None => {
                self.debt = self.debt.saturating_add(u64::from(steps.saturating_sub(cx.budget)));
                cx.budget = 0;
            }
        }
    }

    /// When a process that used up its slice runs again: one slice later, plus the slices its
    /// debt is worth.
    pub(super) fn next_slice(&mut self, now: Millis) -> Millis {
        let slices = self.debt.checked_div(u64::from(STEP_BUDGET)).unwrap_or(0);
        self.debt = 0;
        now.saturating_add(TIME_SLICE.saturating_mul(slices.saturating_add(1)))
    }

    /// The OOM killer's verdict after something grew.
    pub(super) fn check_memory(&self) -> Option<Status> {
        (self.memory() > MAX_MEMORY).then_some(Status::OomKilled)
    }
}
