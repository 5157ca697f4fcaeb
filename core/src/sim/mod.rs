//! The simulation kernel: virtual clock, timed queue, seeded streams and the context a component
//! runs with. It knows no component: tasks are whatever the layer above schedules, and the API a
//! component talks to is a type parameter. Nothing here reads a wall clock; [`Kernel::pop_due`]
//! is the only way time moves forward, and [`Kernel::advance_to`] the only way it idles.

pub mod clock;
pub mod queue;
pub mod rng;

use clock::Millis;
use queue::Queue;

/// What a component may touch while it runs: `api`, its only way to change the cluster, and the
/// timer list, its only way to be woken later. `T` is the component's own task type; the layer
/// that runs it maps the timers into its queue.
pub struct Context<'a, A, T> {
    pub now: Millis,
    pub api: &'a mut A,
    timers: &'a mut Vec<(Millis, T)>,
}

impl<'a, A, T> Context<'a, A, T> {
    pub fn new(now: Millis, api: &'a mut A, timers: &'a mut Vec<(Millis, T)>) -> Self {
        Context { now, api, timers }
    }

    /// Runs `task` after `delay` milliseconds of virtual time.
    pub fn after(&mut self, delay: Millis, task: T) {
        self.timers.push((self.now.saturating_add(delay), task));
    }
}

/// Work per instant beyond which the kernel stops and reports a livelock instead of hanging.
const MAX_TASKS_PER_INSTANT: usize = 200_000;

/// The clock and the timed queue of tasks, with the bookkeeping that keeps a runaway instant
/// from hanging the page.
pub struct Kernel<T> {
    now: Millis,
    queue: Queue<(T, bool)>,
    /// Tasks queued that are not background (see [`Kernel::schedule_background`]).
    foreground: usize,
    tasks_at_instant: (Millis, usize),
    livelock: bool,
    tasks_run: u64,
}

impl<T> Default for Kernel<T> {
    fn default() -> Self {
        Kernel {
            now: 0,
            queue: Queue::default(),
            foreground: 0,
            tasks_at_instant: (0, 0),
            livelock: false,
            tasks_run: 0,
        }
    }
}

impl<T> Kernel<T> {
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Queues `task` at `at`, or now if `at` has passed.
    pub fn schedule(&mut self, at: Millis, task: T) {
        self.foreground = self.foreground.saturating_add(1);
        self.queue.push(at.max(self.now), (task, false));
    }

    /// Queues a background task: periodic upkeep (heartbeats, monitors) that runs like any
    /// other but is not progress. A cluster whose queue holds only background tasks is idle: a
    /// client waiting for something that nothing is working towards gives up instead of
    /// watching heartbeats forever.
    pub fn schedule_background(&mut self, at: Millis, task: T) {
        self.queue.push(at.max(self.now), (task, true));
    }

    /// Whether any task that is not background is queued.
    pub fn has_foreground(&self) -> bool {
        self.foreground > 0
    }

    pub fn next_at(&self) -> Option<Millis> {
        self.queue.next_at()
    }

    /// The next task due by `until`, moving the clock to it. None when nothing is due, or once
    /// an instant ran more than [`MAX_TASKS_PER_INSTANT`] tasks (a livelock: the kernel stops).
    pub fn pop_due(&mut self, until: Millis) -> Option<T> {
        if self.livelock {
            return None;
        }
        let (at, (task, background)) = self.queue.pop_due(until)?;
        if !background {
            self.foreground = self.foreground.saturating_sub(1);
        }
        self.now = self.now.max(at);
        if self.tasks_at_instant.0 == self.now {
            self.tasks_at_instant.1 += 1;
            if self.tasks_at_instant.1 > MAX_TASKS_PER_INSTANT {
                self.livelock = true;
                return None;
            }
        } else {
            self.tasks_at_instant = (self.now, 1);
        }
        self.tasks_run = self.tasks_run.saturating_add(1);
        Some(task)
    }

    /// Moves the clock to `until` once nothing before it is left to run.
    pub fn advance_to(&mut self, until: Millis) {
        self.now = self.now.max(until);
    }

    pub fn tasks_run(&self) -> u64 {
        self.tasks_run
    }

    pub fn livelocked(&self) -> bool {
        self.livelock
    }
}
