//! The busybox `sh` of the busybox and alpine images, as a resumable interpreter: a script can
//! stop at `sleep` or `tail -f` and continue when virtual time allows, which a
//! run-to-completion shell cannot. It covers what container commands in manifests use: simple
//! commands, `;` `&&` `||` `|`, `while`/`until`/`if`, `$VAR` and `$(...)`, `>`/`>>`, and the
//! common applets. Command substitutions, pipeline stages and `sh -c` run as child shells on
//! the same stack, so they too can sleep and resume (subshells.rs). One CPU slice of steps per
//! wake-up is shared by all of them and charged for the bytes they move, and memory is capped
//! (resources.rs): however a script nests, loops or grows, the work per wake-up is bounded.
//!
//! The parser is deliberately small; the full shell (brush-parser's AST, functions, globbing)
//! is a later piece of work.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

mod applets;
pub use applets::EXECUTABLES;
pub mod exec;
pub mod lexer;
mod resources;
mod subshells;
mod syntax;

use std::rc::Rc;

use super::{ExecResult, ProcCx, Process, Signal, Status};
use crate::sim::clock::Millis;
use lexer::{Part, Word};
use syntax::{Node, parse};

enum Frame {
    List {
        node: Rc<Node>,
        next: usize,
    },
    AndOr {
        node: Rc<Node>,
        next: usize,
    },
    Loop {
        node: Rc<Node>,
        in_body: bool,
    },
    If {
        node: Rc<Node>,
        branch: usize,
        in_body: bool,
    },
    /// A simple command whose words are being expanded: `$(...)` runs as a child below it.
    Expand(Box<Expansion>),
    /// A pipeline: `stage` is the stage whose child runs above this frame.
    Pipe {
        node: Rc<Node>,
        stage: usize,
    },
    /// A child shell (`$(...)`, a pipeline stage, `sh -c`) running on this process's CPU
    /// slice. When it exits, its captured output goes to the frame below (`forward` false) or
    /// to this shell's own output (`forward` true).
    Child {
        child: Box<Shell>,
        forward: bool,
    },
    /// A `sleep` that ends at this instant.
    Sleep(Millis),
    /// A command that never returns by itself (`tail -f`).
    Block,
}

/// How far the expansion of a simple command's words (then its redirection targets) got.
struct Expansion {
    node: Rc<Node>,
    values: Vec<String>,
    current: String,
    /// The word being expanded: words first, then redirection targets.
    index: usize,
    part: usize,
}

/// What a simple command asks of the interpreter.
enum Outcome {
    Done(i32),
    Sleep(Millis),
    Block,
    Exit(i32),
    /// Run this shell as a child (`sh -c`) and take its exit status.
    Spawn(Box<Shell>),
}

/// A shell process: the script, the interpreter stack and the shell variables.
pub struct Shell {
    stack: Vec<Frame>,
    status: i32,
    vars: Vec<(String, String)>,
    /// Parse error found at start, reported when the process runs.
    error: Option<String>,
    /// Captured stdout when running `$(...)` or an exec.
    capture: Option<String>,
    stdin: Option<String>,
    /// How many shells this one runs inside (`$(...)`, pipeline stages, `sh -c`).
    depth: usize,
    /// What the child that just exited captured, for the frame below it.
    child_output: Option<String>,
    /// Steps of work done beyond the slices it had (see `charge`).
    debt: u64,
    /// It ran `exit` (an interactive shell then ends, where a finished line does not).
    exited: bool,
}

/// Steps a process may take per wake-up before it has used up its slice of the CPU. One
/// budget serves everything the process runs: its command substitutions, pipeline stages and
/// nested shells take from it too, so work per wake-up is bounded however they nest.
pub const STEP_BUDGET: u32 = 2_000;
/// The virtual time a busy shell's slice of CPU takes, so `while true; do :; done` costs the
/// simulation a bounded amount of work per virtual second.
const TIME_SLICE: Millis = 100;
/// Bytes of data moved (output, captures, files, assignments) that cost one step.
const BYTES_PER_STEP: usize = 1024;
/// Bytes a shell may hold in variables and captured output. Past it the kernel's OOM killer
/// ends the container (`OOMKilled`, exit code 137), as it would a real shell whose
/// `x=$x$x` loop outgrew its memory; without it such a loop would exhaust the page.
pub const MAX_MEMORY: usize = 16 << 20;
/// Shells nested inside one another (`$($(...))`, `sh -c 'sh -c ...'`) beyond which a new
/// one is refused: each level is a frame of the interpreter's native stack, which is small in
/// wasm. Real shells fork and run out of memory or processes much later.
const MAX_CHILD_DEPTH: usize = 64;

impl Shell {
    fn with_stack(stack: Vec<Frame>, error: Option<String>) -> Self {
        Shell {
            stack,
            status: 0,
            vars: Vec::new(),
            error,
            capture: None,
            stdin: None,
            depth: 0,
            child_output: None,
            debt: 0,
            exited: false,
        }
    }

    /// `sh -c SCRIPT`.
    pub fn script(src: &str) -> Self {
        match parse(src) {
            Ok(node) => Self::with_stack(vec![Frame::List { node, next: 0 }], None),
            Err(e) => Self::with_stack(Vec::new(), Some(e)),
        }
    }

    /// A plain command line (`sleep 3600`, `cat /tmp/healthy`), run as one simple command.
    pub fn argv(argv: &[String]) -> Self {
        let words = argv.iter().map(|a| vec![Part::Lit(a.clone())]).collect();
        let node = Rc::new(Node::List(vec![Rc::new(Node::Simple {
            words,
            redirects: Vec::new(),
        })]));
        Self::with_stack(vec![Frame::List { node, next: 0 }], None)
    }

    /// Sets a shell variable, replacing an earlier value (a loop assigning it forever holds one).
    fn set_var(&mut self, name: &str, value: &str) {
        match self.vars.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => *v = value.to_string(),
            None => self.vars.push((name.to_string(), value.to_string())),
        }
    }

    fn var(&self, name: &str, cx: &ProcCx<'_>) -> String {
        match name {
            "?" => return self.status.to_string(),
            "$" => return "1".into(),
            "#" => return "0".into(),
            "HOSTNAME" if cx.getenv("HOSTNAME").is_none() => return cx.hostname.to_string(),
            _ => {}
        }
        if let Some((_, v)) = self.vars.iter().rev().find(|(k, _)| k == name) {
            return v.clone();
        }
        cx.getenv(name).unwrap_or("").to_string()
    }

    fn write_out(&mut self, text: &str, cx: &mut ProcCx<'_>) {
        self.charge(text.len(), cx);
        match &mut self.capture {
            Some(buf) => buf.push_str(text),
            None => {
                for line in text.lines() {
                    cx.out(line.to_string());
                }
            }
        }
    }

    /// The instant the process waits for, following running children.
    fn waiting_until(&self) -> Option<Millis> {
        match self.stack.last() {
            Some(Frame::Sleep(t)) => Some(*t),
            Some(Frame::Child { child, .. }) => child.waiting_until(),
            _ => None,
        }
    }

    fn run(&mut self, cx: &mut ProcCx<'_>) -> Status {
        if let Some(e) = self.error.take() {
            cx.err(format!("sh: {e}"));
            return Status::Exited(2);
        }
        loop {
            if cx.budget == 0 {
                return Status::Running(Some(self.next_slice(cx.now)));
            }
            cx.budget = cx.budget.saturating_sub(1);
            let Some(frame) = self.stack.pop() else {
                return Status::Exited(self.status);
            };
            let stop = match frame {
                Frame::Sleep(until) => {
                    if cx.now < until {
                        self.stack.push(Frame::Sleep(until));
                        return Status::Running(Some(until));
                    }
                    self.status = 0;
                    None
                }
                Frame::Block => {
                    self.stack.push(Frame::Block);
                    return Status::Running(None);
                }
                Frame::Child { mut child, forward } => match child.run(cx) {
                    Status::Running(wake) => {
                        self.stack.push(Frame::Child { child, forward });
                        return Status::Running(wake);
                    }
                    Status::OomKilled => return Status::OomKilled,
                    Status::Exited(code) => {
                        self.status = code;
                        self.debt = self.debt.saturating_add(child.debt);
                        let out = child.capture.take();
                        match out {
                            Some(text) if forward => self.write_out(&text, cx),
                            _ => self.child_output = out,
                        }
                        self.check_memory()
                    }
                },
                Frame::Expand(e) => self.expand_step(e, cx),
                Frame::Pipe { node, stage } => self.pipe_step(node, stage),
                Frame::List { node, next } => {
                    let Node::List(items) = &*node else { continue };
                    match items.get(next).cloned() {
                        Some(item) => {
                            self.stack.push(Frame::List {
                                node: node.clone(),
                                next: next.saturating_add(1),
                            });
                            self.enter(item, cx)
                        }
                        None => None,
                    }
                }
                Frame::AndOr { node, next } => {
                    let Node::AndOr(items, ops) = &*node else {
                        continue;
                    };
                    // After item `next - 1` finished with self.status, decide whether to run `next`.
                    let mut i = next;
                    while let Some(op) = ops.get(i.wrapping_sub(1)) {
                        if (*op == "&&") == (self.status == 0) {
                            break;
                        }
                        i = i.saturating_add(1);
                    }
                    match items.get(i).cloned() {
                        Some(item) => {
                            self.stack.push(Frame::AndOr {
                                node: node.clone(),
                                next: i.saturating_add(1),
                            });
                            self.enter(item, cx)
                        }
                        None => None,
                    }
                }
                Frame::Loop { node, in_body } => {
                    let Node::Loop { until, cond, body } = &*node else {
                        continue;
                    };
                    if in_body {
                        self.stack.push(Frame::Loop {
                            node: node.clone(),
                            in_body: false,
                        });
                        self.enter(cond.clone(), cx)
                    } else if (self.status == 0) != *until {
                        // The condition just ran and says go on.
                        self.stack.push(Frame::Loop {
                            node: node.clone(),
                            in_body: true,
                        });
                        self.enter(body.clone(), cx)
                    } else {
                        self.status = 0;
                        None
                    }
                }
                Frame::If { node, branch, in_body } => {
                    let Node::If { branches, otherwise } = &*node else {
                        continue;
                    };
                    if in_body {
                        continue;
                    }
                    let next = branch.saturating_add(1);
                    if let (0, Some((_, body))) = (self.status, branches.get(branch)) {
                        let body = body.clone();
                        self.stack.push(Frame::If {
                            node: node.clone(),
                            branch,
                            in_body: true,
                        });
                        self.enter(body, cx)
                    } else if let Some((cond, _)) = branches.get(next).cloned() {
                        self.stack.push(Frame::If {
                            node: node.clone(),
                            branch: next,
                            in_body: false,
                        });
                        self.enter(cond, cx)
                    } else if let Some(body) = otherwise.clone() {
                        self.enter(body, cx)
                    } else {
                        self.status = 0;
                        None
                    }
                }
            };
            if let Some(status) = stop {
                return status;
            }
        }
    }

    /// Starts a node: compound nodes push a frame, simple commands run now. Returns a status
    /// when the process must stop here (exit).
    fn enter(&mut self, node: Rc<Node>, cx: &mut ProcCx<'_>) -> Option<Status> {
        match &*node {
            Node::List(_) => self.stack.push(Frame::List { node, next: 0 }),
            Node::AndOr(items, _) => {
                // Run the first item; the frame decides about the rest.
                let first = items.first().cloned()?;
                self.stack.push(Frame::AndOr {
                    node: node.clone(),
                    next: 1,
                });
                return self.enter(first, cx);
            }
            Node::Loop { cond, .. } => {
                let cond = cond.clone();
                self.stack.push(Frame::Loop {
                    node: node.clone(),
                    in_body: false,
                });
                return self.enter(cond, cx);
            }
            Node::If { branches, .. } => {
                let cond = branches.first()?.0.clone();
                self.stack.push(Frame::If {
                    node: node.clone(),
                    branch: 0,
                    in_body: false,
                });
                return self.enter(cond, cx);
            }
            Node::Pipeline(_) => {
                self.stack.push(Frame::Pipe { node, stage: 0 });
                self.child_output = None;
                return self.pipe_step_start(0, None);
            }
            Node::Simple { words, redirects } => {
                let needs_children = words
                    .iter()
                    .chain(redirects.iter().map(|(_, w)| w))
                    .flatten()
                    .any(|p| matches!(p, Part::Subst(_)));
                if needs_children {
                    let e = Expansion {
                        node: node.clone(),
                        values: Vec::new(),
                        current: String::new(),
                        index: 0,
                        part: 0,
                    };
                    self.stack.push(Frame::Expand(Box::new(e)));
                    return None;
                }
                let argv: Vec<String> = words.iter().map(|w| self.expand_plain(w, cx)).collect();
                let targets: Vec<String> = redirects.iter().map(|(_, w)| self.expand_plain(w, cx)).collect();
                let outcome = self.simple(argv, redirects, targets, cx);
                return self.finish(outcome);
            }
        }
        None
    }

    /// Acts on how a simple command ended.
    fn finish(&mut self, outcome: Outcome) -> Option<Status> {
        if let Some(killed) = self.check_memory() {
            return Some(killed);
        }
        match outcome {
            Outcome::Done(s) => self.status = s,
            Outcome::Sleep(until) => self.stack.push(Frame::Sleep(until)),
            Outcome::Block => self.stack.push(Frame::Block),
            Outcome::Spawn(child) => self.stack.push(Frame::Child { child, forward: true }),
            Outcome::Exit(code) => {
                self.stack.clear();
                self.status = code;
                self.exited = true;
                return Some(Status::Exited(code));
            }
        }
        None
    }

    /// A word without command substitutions.
    fn expand_plain(&self, word: &Word, cx: &ProcCx<'_>) -> String {
        let mut out = String::new();
        for part in word {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Var(v) => out.push_str(&self.var(v, cx)),
                Part::Subst(_) => {}
            }
        }
        out
    }

    fn simple(
        &mut self,
        mut argv: Vec<String>,
        redirects: &[(&'static str, Word)],
        targets: Vec<String>,
        cx: &mut ProcCx<'_>,
    ) -> Outcome {
        // Leading NAME=value words are assignments.
        let mut assigned = Vec::new();
        while let Some(first) = argv.first() {
            match first.split_once('=') {
                Some((k, v)) if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                    assigned.push((k.to_string(), v.to_string()));
                    argv.remove(0);
                }
                _ => break,
            }
        }
        if argv.is_empty() {
            for (k, v) in assigned {
                self.charge(v.len(), cx);
                self.set_var(&k, &v);
            }
            return Outcome::Done(0);
        }
        let mut out_file: Option<(String, bool)> = None;
        for ((op, _), path) in redirects.iter().zip(targets) {
            match *op {
                ">" | ">>" => out_file = Some((path, *op == ">>")),
                "<" => {
                    self.stdin = cx.fs.read(&path).map(str::to_string);
                    self.charge(self.stdin.as_ref().map_or(0, String::len), cx);
                }
                _ => {}
            }
        }
        if let Some((path, append)) = &out_file {
            if !*append {
                let _ = cx.fs.write(path, "");
            }
            let saved = self.capture.replace(String::new());
            let outcome = self.applet(&argv, cx);
            let text = std::mem::replace(&mut self.capture, saved).unwrap_or_default();
            self.charge(text.len(), cx);
            if cx.fs.append(path, &text).is_err() {
                cx.err("sh: write error: No space left on device");
                return Outcome::Done(1);
            }
            return outcome;
        }
        self.applet(&argv, cx)
    }
}

/// Runs a shell until it exits or would wait, capturing its output (exec probes).
/// Waiting counts as the command's end: an exec has no time to sleep in.
pub fn run_to_completion(mut sh: Shell, cx: &mut ProcCx<'_>, stdin: Option<String>) -> ExecResult {
    sh.capture = Some(String::new());
    if stdin.is_some() {
        sh.stdin = stdin;
    }
    // The exec's stderr is its own, not the container's log: run it against an empty log.
    let container_log = std::mem::take(cx.logs);
    let (code, timed_out) = match sh.run(cx) {
        Status::Exited(c) => (c, false),
        Status::OomKilled => (137, false),
        Status::Running(_) => {
            sh.stack.clear();
            (sh.status, true)
        }
    };
    let exec_log = std::mem::replace(cx.logs, container_log);
    let stderr: String = exec_log.iter().map(|l| format!("{}\n", l.text)).collect();
    ExecResult {
        exit_code: code,
        stdout: sh.capture.unwrap_or_default(),
        stderr,
        timed_out,
    }
}

impl Process for Shell {
    fn start(&mut self, cx: &mut ProcCx<'_>) -> Status {
        self.run(cx)
    }

    fn wake(&mut self, cx: &mut ProcCx<'_>) -> Status {
        self.run(cx)
    }

    /// A shell running as PID 1 installs no handlers: TERM, INT and QUIT are dropped by the
    /// kernel, so the kubelet waits out the grace period and kills it.
    fn signal(&mut self, sig: Signal, _cx: &mut ProcCx<'_>) -> Status {
        match sig {
            Signal::Kill => Status::Exited(137),
            _ => Status::Running(self.waiting_until()),
        }
    }
}

#[cfg(test)]
mod tests;
