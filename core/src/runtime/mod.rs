//! What runs inside containers. An image is a Rust type behind the [`Process`] interface: it
//! starts, sleeps on the virtual clock, answers signals and HTTP requests, writes logs and
//! files, and exits with a code. No real process or packet is involved.

pub mod fs;
pub mod http;
pub mod images;
pub mod nginx;
pub mod server;
pub mod shell;

use crate::sim::clock::Millis;
use fs::Fs;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Term,
    Quit,
    Int,
    Kill,
}

/// Where a process is after it has been given control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Still running; wake it at this instant (or only on a signal or request if `None`).
    Running(Option<Millis>),
    Exited(i32),
    /// Killed by the kernel for using more memory than it may (exit code 137, `OOMKilled`).
    OomKilled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One line a container wrote, as the runtime's log file keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    pub at: Millis,
    pub stream: Stream,
    pub text: String,
}

/// Lines a container's log keeps before the oldest half is rotated away.
pub const MAX_LOG_LINES: usize = 20_000;

/// What a process sees of the world while it runs.
pub struct ProcCx<'a> {
    pub now: Millis,
    pub fs: &'a mut Fs,
    pub logs: &'a mut Vec<LogLine>,
    pub env: &'a [(String, String)],
    pub hostname: &'a str,
    /// Interpreter steps left in this wake-up's slice of the CPU, shared by everything the
    /// process runs (see [`shell::STEP_BUDGET`]).
    pub budget: u32,
}

impl ProcCx<'_> {
    pub fn out(&mut self, text: impl Into<String>) {
        self.log(Stream::Stdout, text);
    }

    pub fn err(&mut self, text: impl Into<String>) {
        self.log(Stream::Stderr, text);
    }

    fn log(&mut self, stream: Stream, text: impl Into<String>) {
        let text: String = text.into();
        for line in text.lines() {
            self.logs.push(LogLine {
                at: self.now,
                stream,
                text: line.to_string(),
            });
        }
        // The kubelet rotates container logs (containerLogMaxSize); keep the newest lines.
        if self.logs.len() > MAX_LOG_LINES {
            let excess = self.logs.len() - MAX_LOG_LINES / 2;
            self.logs.drain(..excess);
        }
    }

    pub fn getenv(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A program running in a container.
pub trait Process {
    /// Runs from the start until it sleeps, waits or exits.
    fn start(&mut self, cx: &mut ProcCx<'_>) -> Status;
    /// Continues after a wake-up it asked for.
    fn wake(&mut self, cx: &mut ProcCx<'_>) -> Status;
    /// Delivers a signal. A process with no handler for it (a shell as PID 1 and SIGTERM)
    /// ignores it, as the kernel does for a namespace's init.
    fn signal(&mut self, sig: Signal, cx: &mut ProcCx<'_>) -> Status;
    /// Ports it accepts TCP connections on.
    fn listening(&self) -> Vec<u16> {
        Vec::new()
    }
    /// Answers an HTTP request on a port it listens on.
    fn http(&mut self, _port: u16, _req: &http::Request, _cx: &mut ProcCx<'_>) -> Option<http::Response> {
        None
    }
}

/// The result of running a command to completion inside a container (exec probes, `kubectl
/// exec`).
#[derive(Clone, Debug, PartialEq)]
pub struct ExecResult {
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The command would still be running (sleeping or spinning) when its time was up.
    pub timed_out: bool,
}
