//! The busybox `sh` of the busybox and alpine images, as a resumable interpreter: a script can
//! stop at `sleep` or `tail -f` and continue when virtual time allows, which a
//! run-to-completion shell cannot. It covers what container commands in manifests use: simple
//! commands, `;` `&&` `||` `|`, `while`/`until`/`if`, `$VAR` and `$(...)`, `>`/`>>`, and the
//! common applets. A per-wake step budget keeps `while true; do :; done` from freezing the page.
//!
//! The parser is deliberately small; the full shell (brush-parser's AST, functions, globbing)
//! is a later piece of work.

mod applets;
pub mod lexer;
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
    /// A `sleep` that ends at this instant.
    Sleep(Millis),
    /// A command that never returns by itself (`tail -f`).
    Block,
}

/// What a simple command asks of the interpreter.
enum Outcome {
    Done(i32),
    Sleep(Millis),
    Block,
    Exit(i32),
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
}

/// Steps per wake-up before a busy shell yields: it has used up a time slice of the CPU.
const STEP_BUDGET: usize = 2_000;
/// The virtual time a busy shell's slice of CPU takes, so `while true; do :; done` costs the
/// simulation a bounded amount of work per virtual second.
const TIME_SLICE: Millis = 100;

impl Shell {
    /// `sh -c SCRIPT`.
    pub fn script(src: &str) -> Self {
        let (stack, error) = match parse(src) {
            Ok(node) => (vec![Frame::List { node, next: 0 }], None),
            Err(e) => (Vec::new(), Some(e)),
        };
        Shell {
            stack,
            status: 0,
            vars: Vec::new(),
            error,
            capture: None,
            stdin: None,
        }
    }

    /// A plain command line (`sleep 3600`, `cat /tmp/healthy`), run as one simple command.
    pub fn argv(argv: &[String]) -> Self {
        let words = argv.iter().map(|a| vec![Part::Lit(a.clone())]).collect();
        let node = Rc::new(Node::List(vec![Rc::new(Node::Simple {
            words,
            redirects: Vec::new(),
        })]));
        Shell {
            stack: vec![Frame::List { node, next: 0 }],
            status: 0,
            vars: Vec::new(),
            error: None,
            capture: None,
            stdin: None,
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

    fn expand(&mut self, word: &Word, cx: &mut ProcCx<'_>) -> String {
        let mut out = String::new();
        for part in word {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Var(v) => out.push_str(&self.var(v, cx)),
                Part::Subst(src) => {
                    let r = run_to_completion(Shell::script(src), cx, None);
                    out.push_str(r.stdout.trim_end_matches('\n'));
                }
            }
        }
        out
    }

    fn write_out(&mut self, text: &str, cx: &mut ProcCx<'_>) {
        match &mut self.capture {
            Some(buf) => buf.push_str(text),
            None => {
                for line in text.lines() {
                    cx.out(line.to_string());
                }
            }
        }
    }

    fn run(&mut self, cx: &mut ProcCx<'_>) -> Status {
        if let Some(e) = self.error.take() {
            cx.err(format!("sh: {e}"));
            return Status::Exited(2);
        }
        let mut budget = STEP_BUDGET;
        loop {
            if budget == 0 {
                return Status::Running(Some(cx.now.saturating_add(TIME_SLICE)));
            }
            budget -= 1;
            let Some(frame) = self.stack.pop() else {
                return Status::Exited(self.status);
            };
            match frame {
                Frame::Sleep(until) => {
                    if cx.now < until {
                        self.stack.push(Frame::Sleep(until));
                        return Status::Running(Some(until));
                    }
                    self.status = 0;
                }
                Frame::Block => {
                    self.stack.push(Frame::Block);
                    return Status::Running(None);
                }
                Frame::List { node, next } => {
                    let Node::List(items) = &*node else { continue };
                    if let Some(item) = items.get(next).cloned() {
                        self.stack.push(Frame::List {
                            node: node.clone(),
                            next: next + 1,
                        });
                        if let Some(status) = self.enter(item, cx) {
                            return status;
                        }
                    }
                }
                Frame::AndOr { node, next } => {
                    let Node::AndOr(items, ops) = &*node else {
                        continue;
                    };
                    // After item `next - 1` finished with self.status, decide whether to run `next`.
                    let mut i = next;
                    while i < items.len() {
                        let op = ops[i - 1];
                        let run = (op == "&&") == (self.status == 0);
                        if run {
                            break;
                        }
                        i += 1;
                    }
                    if let Some(item) = items.get(i).cloned() {
                        self.stack.push(Frame::AndOr {
                            node: node.clone(),
                            next: i + 1,
                        });
                        if let Some(status) = self.enter(item, cx) {
                            return status;
                        }
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
                        let cond = cond.clone();
                        if let Some(status) = self.enter(cond, cx) {
                            return status;
                        }
                    } else {
                        // The condition just ran.
                        let go = (self.status == 0) != *until;
                        if go {
                            self.stack.push(Frame::Loop {
                                node: node.clone(),
                                in_body: true,
                            });
                            let body = body.clone();
                            if let Some(status) = self.enter(body, cx) {
                                return status;
                            }
                        } else {
                            self.status = 0;
                        }
                    }
                }
                Frame::If { node, branch, in_body } => {
                    let Node::If { branches, otherwise } = &*node else {
                        continue;
                    };
                    if in_body {
                        continue;
                    }
                    if self.status == 0 {
                        let body = branches[branch].1.clone();
                        self.stack.push(Frame::If {
                            node: node.clone(),
                            branch,
                            in_body: true,
                        });
                        if let Some(status) = self.enter(body, cx) {
                            return status;
                        }
                    } else if let Some((cond, _)) = branches.get(branch + 1).cloned() {
                        self.stack.push(Frame::If {
                            node: node.clone(),
                            branch: branch + 1,
                            in_body: false,
                        });
                        if let Some(status) = self.enter(cond, cx) {
                            return status;
                        }
                    } else if let Some(body) = otherwise.clone() {
                        if let Some(status) = self.enter(body, cx) {
                            return status;
                        }
                    } else {
                        self.status = 0;
                    }
                }
            }
        }
    }

    /// Starts a node: compound nodes push a frame, simple commands run now. Returns a status
    /// when the process must stop here (exit).
    fn enter(&mut self, node: Rc<Node>, cx: &mut ProcCx<'_>) -> Option<Status> {
        match &*node {
            Node::List(_) => self.stack.push(Frame::List { node, next: 0 }),
            Node::AndOr(..) => {
                // Run the first item; the frame decides about the rest.
                let Node::AndOr(items, _) = &*node else { return None };
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
                let cond = branches[0].0.clone();
                self.stack.push(Frame::If {
                    node: node.clone(),
                    branch: 0,
                    in_body: false,
                });
                return self.enter(cond, cx);
            }
            Node::Pipeline(items) => {
                // Each stage runs to completion with the previous stage's output as input.
                let mut input: Option<String> = None;
                let last = items.len() - 1;
                for (i, item) in items.iter().enumerate() {
                    let mut stage = Shell {
                        stack: vec![Frame::List {
                            node: Rc::new(Node::List(vec![item.clone()])),
                            next: 0,
                        }],
                        status: 0,
                        vars: self.vars.clone(),
                        error: None,
                        capture: None,
                        stdin: input.take(),
                    };
                    if i == last {
                        stage.capture = self.capture.take();
                        let r = run_to_completion_keep(&mut stage, cx);
                        self.capture = stage.capture.take();
                        self.status = r;
                    } else {
                        let r = run_to_completion(stage, cx, None);
                        input = Some(r.stdout);
                    }
                }
            }
            Node::Simple { words, redirects } => match self.simple(words, redirects, cx) {
                Outcome::Done(s) => self.status = s,
                Outcome::Sleep(until) => self.stack.push(Frame::Sleep(until)),
                Outcome::Block => self.stack.push(Frame::Block),
                Outcome::Exit(code) => {
                    self.stack.clear();
                    self.status = code;
                    return Some(Status::Exited(code));
                }
            },
        }
        None
    }

    fn simple(&mut self, words: &[Word], redirects: &[(&'static str, Word)], cx: &mut ProcCx<'_>) -> Outcome {
        let mut argv: Vec<String> = words.iter().map(|w| self.expand(w, cx)).collect();
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
            self.vars.extend(assigned);
            return Outcome::Done(0);
        }
        let mut out_file: Option<(String, bool)> = None;
        for (op, target) in redirects {
            let path = self.expand(target, cx);
            match *op {
                ">" | ">>" => out_file = Some((path, *op == ">>")),
                "<" => self.stdin = cx.fs.read(&path).map(str::to_string),
                _ => {}
            }
        }
        if let Some((path, append)) = &out_file {
            if !*append {
                cx.fs.write(path, "");
            }
            let saved = self.capture.replace(String::new());
            let outcome = self.applet(&argv, cx);
            let text = std::mem::replace(&mut self.capture, saved).unwrap_or_default();
            cx.fs.append(path, &text);
            return outcome;
        }
        self.applet(&argv, cx)
    }
}

/// Runs a shell until it exits or would wait, capturing its output (exec probes, `$(...)`).
/// Waiting counts as the command's end: an exec has no time to sleep in.
pub fn run_to_completion(mut sh: Shell, cx: &mut ProcCx<'_>, stdin: Option<String>) -> ExecResult {
    sh.capture = Some(String::new());
    if stdin.is_some() {
        sh.stdin = stdin;
    }
    let before = cx.logs.len();
    let (code, timed_out) = match sh.run(cx) {
        Status::Exited(c) => (c, false),
        Status::Running(_) => {
            sh.stack.clear();
            (sh.status, true)
        }
    };
    // stderr goes to the exec's stderr, not the container log.
    let stderr: String = cx.logs.drain(before..).map(|l| format!("{}\n", l.text)).collect();
    ExecResult {
        exit_code: code,
        stdout: sh.capture.unwrap_or_default(),
        stderr,
        timed_out,
    }
}

fn run_to_completion_keep(sh: &mut Shell, cx: &mut ProcCx<'_>) -> i32 {
    match sh.run(cx) {
        Status::Exited(c) => c,
        Status::Running(_) => {
            // Drop whatever it was waiting on and report how far it got.
            sh.stack.clear();
            sh.status
        }
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
            _ => Status::Running(match self.stack.last() {
                Some(Frame::Sleep(t)) => Some(*t),
                _ => None,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::fs::Fs;

    fn run(script: &str) -> (Status, Vec<String>, Fs) {
        let mut fs = Fs::default();
        let mut logs = Vec::new();
        let env = vec![("GREETING".to_string(), "hi".to_string())];
        let mut cx = ProcCx {
            now: 0,
            fs: &mut fs,
            logs: &mut logs,
            env: &env,
            hostname: "pod-a",
        };
        let mut sh = Shell::script(script);
        let st = sh.start(&mut cx);
        let lines = logs.iter().map(|l| l.text.clone()).collect();
        (st, lines, fs)
    }

    #[test]
    fn sequences_and_conditionals() {
        let (st, out, _) = run("echo $GREETING; false && echo no || echo yes; echo \"$(hostname)!\"");
        assert_eq!(st, Status::Exited(0));
        assert_eq!(out, ["hi", "yes", "pod-a!"]);
    }

    #[test]
    fn sleep_suspends_and_resumes() {
        let mut fs = Fs::default();
        let mut logs = Vec::new();
        let env = vec![];
        let mut sh = Shell::script("echo a; sleep 2; echo b");
        let mut cx = ProcCx {
            now: 0,
            fs: &mut fs,
            logs: &mut logs,
            env: &env,
            hostname: "h",
        };
        assert_eq!(sh.start(&mut cx), Status::Running(Some(2000)));
        cx.now = 2000;
        assert_eq!(sh.wake(&mut cx), Status::Exited(0));
        assert_eq!(logs.len(), 2);
    }

    #[test]
    fn loops_and_files() {
        let (st, _, fs) = run(
            "touch /tmp/healthy; i=0; while [ -f /tmp/healthy ]; do echo x >> /tmp/log; rm /tmp/healthy; done; cat /tmp/log",
        );
        assert_eq!(st, Status::Exited(0));
        assert_eq!(fs.read("/tmp/log"), Some("x\n"));
    }

    #[test]
    fn busy_loop_yields() {
        let (st, _, _) = run("while true; do :; done");
        assert_eq!(st, Status::Running(Some(TIME_SLICE)));
    }

    #[test]
    fn syntax_errors_exit_2() {
        let (st, out, _) = run("while true; do echo");
        assert_eq!(st, Status::Exited(2));
        assert!(out[0].starts_with("sh: syntax error"), "{out:?}");
    }

    #[test]
    fn unknown_command_is_127() {
        let (st, out, _) = run("nosuch");
        assert_eq!(st, Status::Exited(127));
        assert_eq!(out, ["sh: nosuch: not found"]);
    }
}
