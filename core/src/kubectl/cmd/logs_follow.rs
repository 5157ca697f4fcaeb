//! `kubectl logs -f`: after what is there, the lines the containers go on writing, as the
//! kubelet streams `/containerLogs?follow=true`. A container's stream ends when its process
//! exits (a restart starts a new log the stream does not follow); the command ends when every
//! followed stream has. Lines of several containers (`-l`, `--all-containers`) interleave in
//! the order they were written.

use super::logs::format_line;
use crate::cluster::World;
use crate::kubectl::stream::Stream;
use crate::runtime::LogLine;
use crate::session::io::Output;
use crate::sim::clock::Millis;

/// One container's stream.
pub struct Followed {
    namespace: String,
    pod: String,
    container: String,
    /// The instance whose log this is.
    instance: String,
    /// The newest line read: its time and how many lines of that time were read.
    seen_at: Millis,
    seen_count: usize,
    done: bool,
}

impl Followed {
    /// Starts following after everything the current instance wrote so far; None when the
    /// container has no instance to follow.
    pub fn start(namespace: &str, pod: &str, container: &str, world: &World) -> Option<Self> {
        let (instance, running) = world.container_instance(namespace, pod, container)?;
        let lines = world
            .container_log_lines(namespace, pod, container, false)
            .unwrap_or_default();
        let seen_at = lines.last().map_or(0, |l| l.at);
        let seen_count = lines.iter().rev().take_while(|l| l.at == seen_at).count();
        Some(Followed {
            namespace: namespace.into(),
            pod: pod.into(),
            container: container.into(),
            instance,
            seen_at,
            seen_count,
            done: !running,
        })
    }

    /// Lines written since the last read, and whether the stream has ended.
    fn read(&mut self, world: &World) -> Vec<LogLine> {
        let (ns, pod, c) = (&self.namespace, &self.pod, &self.container);
        let current = world.container_instance(ns, pod, c);
        let same = current.as_ref().is_some_and(|(id, _)| *id == self.instance);
        // After a restart the instance followed is the previous one: read its last lines.
        let lines = world.container_log_lines(ns, pod, c, !same).unwrap_or_default();
        let mut at_seen = 0;
        let mut fresh = Vec::new();
        for l in lines {
            if l.at < self.seen_at {
                continue;
            }
            if l.at == self.seen_at && at_seen < self.seen_count {
                at_seen += 1;
                continue;
            }
            fresh.push(l);
        }
        if let Some(last) = fresh.last() {
            if last.at == self.seen_at {
                self.seen_count += fresh.len();
            } else {
                self.seen_at = last.at;
                self.seen_count = fresh.iter().rev().take_while(|l| l.at == last.at).count();
            }
        }
        self.done = !(same && current.is_some_and(|(_, running)| running));
        fresh
    }
}

pub struct Follow {
    streams: Vec<Followed>,
    prefix: bool,
    timestamps: bool,
    ends_at: Millis,
    timed: bool,
}

impl Follow {
    /// `request_timeout` is the client's `--request-timeout` (0: none; the API server does not
    /// end a log stream).
    pub fn new(streams: Vec<Followed>, prefix: bool, timestamps: bool, request_timeout: Millis, now: Millis) -> Self {
        let timed = request_timeout > 0;
        Follow {
            streams,
            prefix,
            timestamps,
            ends_at: if timed {
                now.saturating_add(request_timeout)
            } else {
                Millis::MAX
            },
            timed,
        }
    }
}

impl Stream for Follow {
    fn poll(&mut self, world: &mut World, out: &mut Output) {
        let mut lines: Vec<(Millis, usize, String)> = Vec::new();
        for (i, s) in self.streams.iter_mut().enumerate().filter(|(_, s)| !s.done) {
            for l in s.read(world) {
                lines.push((
                    l.at,
                    i,
                    format_line(&s.pod, &s.container, &l, self.prefix, self.timestamps),
                ));
            }
        }
        lines.sort_by_key(|(at, i, _)| (*at, *i));
        let text: String = lines.into_iter().map(|(_, _, t)| t).collect();
        if !text.is_empty() {
            out.out(text);
        }
    }

    fn close(self: Box<Self>, _world: &mut World) {}

    fn ends_at(&self) -> Millis {
        self.ends_at
    }

    fn timed(&self) -> bool {
        self.timed
    }

    fn done(&self) -> bool {
        self.streams.iter().all(|s| s.done)
    }
}
