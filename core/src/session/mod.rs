//! A learner's terminal session: the shell around kubectl. It runs the same command language
//! in the page's terminal, the CLI's REPL and scenario scripts, and prints transcripts — each
//! command's first line after `$ `, then what it wrote, stdout and stderr in order.

pub mod io;
pub mod script;
mod utils;

use crate::cluster::World;
use crate::kubectl;
use crate::kubectl::stream::Stream;
use crate::sim::clock::{Millis, parse_sleep};
use io::{FileError, Files, Output};
use script::{Command, Reader, Token};

/// The longest `sleep` the terminal takes: a learner's `sleep infinity` would hang bash.
const MAX_SLEEP: Millis = 365 * 24 * 3600 * 1000;

/// One command and what it did.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandResult {
    pub first_line: String,
    pub output: Output,
    pub status: i32,
}

impl CommandResult {
    /// The transcript entry: `$ <line>` then the output, ending with a newline.
    pub fn transcript(&self) -> String {
        let mut s = format!("$ {}\n", self.first_line);
        let text = self.output.text();
        s.push_str(&text);
        if !text.is_empty() && !text.ends_with('\n') {
            s.push('\n');
        }
        s
    }
}

/// The result of a whole script.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptResult {
    pub transcript: String,
    pub status: i32,
    pub commands: Vec<CommandResult>,
}

pub struct Session {
    world: World,
    files: Box<dyn Files>,
    /// The terminal's kubeconfig, which `kubectl config` edits.
    kubeconfig: kubectl::kubeconfig::Kubeconfig,
    reader: Reader,
    errexit: bool,
    last_status: i32,
    exited: Option<i32>,
    /// The internal error that stopped this session (native builds, where a panic unwinds).
    failed: Option<String>,
    /// Whether a host clock runs (the page): a watch then stays open while time passes.
    live: bool,
    /// Whether the command line running is one simple command, whose output goes straight
    /// to the terminal: only such a watch can stay open.
    simple_line: bool,
    /// The watch in the foreground (`kubectl get -w` in the page).
    watch: Option<Box<dyn Stream>>,
    /// The container shell the terminal is attached to (`kubectl exec -it web -- sh`).
    attached: Option<kubectl::Attached>,
}

/// The exit status of a command stopped by an internal error (sysexits' EX_SOFTWARE).
pub const INTERNAL_ERROR_STATUS: i32 = 70;

impl Session {
    pub fn new(world: World, files: Box<dyn Files>) -> Self {
        Session {
            world,
            files,
            kubeconfig: Default::default(),
            reader: Reader::default(),
            errexit: false,
            last_status: 0,
            exited: None,
            failed: None,
            live: false,
            simple_line: false,
            watch: None,
            attached: None,
        }
    }

    /// Tells the session a host clock runs, so that a watch (`kubectl get -w`) stays open
    /// and prints as time passes until it is interrupted. Without one (scripts, the CLI) a
    /// watch ends before the next command, after the time of its `--request-timeout`.
    pub fn set_live(&mut self, live: bool) {
        self.live = live;
    }

    /// Whether a watch holds the terminal.
    pub fn watching(&self) -> bool {
        self.watch.is_some()
    }

    /// What the terminal shows before the next line: nothing while a watch holds it, `> `
    /// inside an unfinished command, the container shell's prompt while attached to one.
    pub fn prompt(&self) -> String {
        if self.watch.is_some() {
            String::new()
        } else if let Some(a) = &self.attached {
            a.prompt.clone()
        } else if self.continuing() {
            "> ".into()
        } else {
            "$ ".into()
        }
    }

    /// Lets `ms` of virtual time pass; returns what the open watch printed meanwhile.
    pub fn advance(&mut self, ms: Millis) -> Output {
        let mut out = Output::default();
        let until = self.world.now().saturating_add(ms);
        if let Some(w) = &self.watch
            && w.ends_at() <= until
        {
            let left = w.ends_at().saturating_sub(self.world.now());
            self.world.advance(left);
            self.end_watch(&mut out, 0);
        }
        let left = until.saturating_sub(self.world.now());
        self.world.advance(left);
        self.poll_watch(&mut out, 0);
        out
    }

    /// Runs the next event ("Next event" in the page); returns what the watch printed.
    pub fn step(&mut self) -> Output {
        let mut out = Output::default();
        match self.world.next_deadline() {
            Some(t) if self.watch.as_ref().is_some_and(|w| w.ends_at() < t) => {
                return self.advance(self.watch.as_ref().map_or(0, |w| w.ends_at()) - self.world.now());
            }
            _ => {
                self.world.step();
            }
        }
        self.poll_watch(&mut out, 0);
        out
    }

    /// Ctrl-C: stops the watch holding the terminal (kubectl exits 1 on an interrupt).
    /// Returns whether one was running.
    pub fn interrupt(&mut self) -> bool {
        // An attached container shell gets the ^C itself and shows a new prompt.
        if self.attached.is_some() {
            return true;
        }
        // A half-typed command (a here-document, a continuation) is dropped, as bash drops it.
        self.reader.cancel();
        self.stop_watch()
    }

    /// An interrupted watch prints nothing more: it is closed unread.
    fn stop_watch(&mut self) -> bool {
        let Some(w) = self.watch.take() else { return false };
        w.close(&mut self.world);
        self.last_status = 1;
        true
    }

    /// Reads the open watch; one that ended by itself gives the terminal back with `status`.
    fn poll_watch(&mut self, out: &mut Output, status: i32) {
        let done = match &mut self.watch {
            Some(w) => {
                w.poll(&mut self.world, out);
                w.done()
            }
            None => false,
        };
        if done {
            self.end_watch(out, status);
        }
    }

    fn end_watch(&mut self, out: &mut Output, status: i32) {
        if let Some(mut w) = self.watch.take() {
            w.poll(&mut self.world, out);
            w.close(&mut self.world);
            self.last_status = status;
        }
    }

    /// A watch opened by a command that cannot keep the terminal: it ends now, after the time
    /// of its `--request-timeout` (or sooner if it ends by itself), printing what it saw.
    fn finish_watch(&mut self, mut w: Box<dyn Stream>, out: &mut Output) {
        if w.timed() {
            while !w.done() && self.world.now() < w.ends_at() {
                let now = self.world.now();
                let next = self
                    .world
                    .next_deadline()
                    .unwrap_or(Millis::MAX)
                    .max(now.saturating_add(1))
                    .min(w.ends_at());
                let left = next.saturating_sub(self.world.now());
                self.world.advance(left);
                w.poll(&mut self.world, out);
            }
        }
        w.poll(&mut self.world, out);
        w.close(&mut self.world);
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    pub fn set_files(&mut self, files: Box<dyn Files>) {
        self.files = files;
    }

    /// Whether a command is half typed (a here-document or a continuation awaits more lines).
    pub fn continuing(&self) -> bool {
        self.reader.in_progress()
    }

    /// Feeds one line of input; returns the result once a command is complete.
    pub fn feed_line(&mut self, line: &str) -> Option<CommandResult> {
        // The learner typed on: the watch holding the terminal is interrupted first.
        self.stop_watch();
        if self.attached.is_some() {
            return Some(self.attached_line(line));
        }
        let cmd = self.reader.feed(line)?;
        Some(self.execute_guarded(&cmd))
    }

    /// A line typed at an attached container shell runs in the container; `exit` (or the
    /// container going away) gives the terminal back, with the shell's status as kubectl's.
    fn attached_line(&mut self, line: &str) -> CommandResult {
        let mut output = Output::default();
        let mut status = 0;
        if let Some(mut a) = self.attached.take() {
            let mut ctx = kubectl::Ctx {
                world: &mut self.world,
                files: self.files.as_ref(),
                stdin: None,
                out: &mut output,
                config: &mut self.kubeconfig,
                watch: None,
                terminal: true,
                attach: None,
            };
            match a.line(line, &mut ctx) {
                Some(code) => {
                    status = code;
                    self.last_status = code;
                }
                None => self.attached = Some(a),
            }
        }
        CommandResult {
            first_line: line.to_string(),
            output,
            status,
        }
    }

    /// The internal error that stopped the session, if one did.
    pub fn failed(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    /// Runs a command behind the safety net: where panics unwind (native builds), a panic in
    /// the core becomes an error result and stops the session, whose world may be half
    /// updated. In the browser panics abort; the page keeps a journal of what was typed and
    /// rebuilds the cluster from it (web/src/recovery.rs). Either way a panic is a bug.
    fn execute_guarded(&mut self, cmd: &Command) -> CommandResult {
        if let Some(e) = &self.failed {
            return internal_error(
                cmd,
                format!("kubeplay: this cluster stopped after an internal error ({e}); start a new one\n"),
            );
        }
        #[cfg(panic = "unwind")]
        {
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.execute(cmd)));
            match run {
                Ok(r) => r,
                Err(payload) => {
                    let msg = panic_message(payload.as_ref());
                    let r = internal_error(cmd, format!("kubeplay: internal error: {msg}\n"));
                    self.failed = Some(msg);
                    self.last_status = INTERNAL_ERROR_STATUS;
                    r
                }
            }
        }
        #[cfg(not(panic = "unwind"))]
        self.execute(cmd)
    }

    /// Runs a script to its end (or to the first failure under `set -e`, or `exit`).
    pub fn run_script(&mut self, text: &str) -> ScriptResult {
        let mut commands = Vec::new();
        let mut transcript = String::new();
        let mut lines = text.lines();
        loop {
            let cmd = match lines.next() {
                Some(l) => match self.reader.feed(l) {
                    Some(c) => c,
                    None => continue,
                },
                None => match self.reader.finish() {
                    Some(c) => c,
                    None => break,
                },
            };
            let r = self.execute_guarded(&cmd);
            transcript.push_str(&r.transcript());
            let failed = r.status != 0;
            commands.push(r);
            if self.exited.is_some() || self.failed.is_some() || (failed && self.errexit) {
                break;
            }
        }
        let status = match self.failed {
            Some(_) => INTERNAL_ERROR_STATUS,
            None => self.exited.unwrap_or(self.last_status),
        };
        ScriptResult {
            transcript,
            status,
            commands,
        }
    }

    fn execute(&mut self, cmd: &Command) -> CommandResult {
        let mut output = Output::default();
        if let Some(delim) = &cmd.unterminated {
            output.err(format!(
                "bash: warning: here-document at line {} delimited by end-of-file (wanted `{delim}')\n",
                cmd.line_no
            ));
        }
        let status = match script::tokens(cmd) {
            Ok(tokens) => {
                self.simple_line = tokens.iter().all(|t| matches!(t, Token::Word(_)));
                self.run_list(&tokens, cmd, &mut output)
            }
            Err(e) => {
                output.err(format!("bash: {e}\n"));
                2
            }
        };
        self.last_status = status;
        CommandResult {
            first_line: cmd.first_line.clone(),
            output,
            status,
        }
    }

    /// `a && b || c; d`.
    fn run_list(&mut self, tokens: &[Token], cmd: &Command, out: &mut Output) -> i32 {
        let mut status = 0;
        let mut skip = false;
        let mut start = 0;
        let mut i = 0;
        while i <= tokens.len() {
            let op = match tokens.get(i) {
                Some(Token::Op(o @ ("&&" | "||" | ";" | "&"))) => Some(*o),
                None => Some(";"),
                _ => None,
            };
            if let Some(op) = op {
                let part = &tokens[start..i];
                if !part.is_empty() && !skip {
                    status = self.run_pipeline(part, cmd, out);
                    if self.exited.is_some() {
                        return status;
                    }
                }
                skip = match op {
                    "&&" => status != 0,
                    "||" => status == 0,
                    _ => false,
                };
                start = i + 1;
            }
            i += 1;
        }
        status
    }

    fn run_pipeline(&mut self, tokens: &[Token], cmd: &Command, out: &mut Output) -> i32 {
        let stages: Vec<&[Token]> = tokens.split(|t| *t == Token::Op("|")).collect();
        let mut input: Option<String> = None;
        let mut status = 0;
        let last = stages.len() - 1;
        for (n, stage) in stages.into_iter().enumerate() {
            let mut argv = Vec::new();
            let mut stdin = input.take();
            let mut redirect: Option<(String, bool)> = None;
            // Where stderr goes: the terminal, stdout (`2>&1`), or away (`2>file`).
            let mut stderr_to_stdout = false;
            let mut stderr_away = false;
            let mut iter = stage.iter().peekable();
            while let Some(t) = iter.next() {
                match t {
                    Token::Word(w) => argv.push(w.clone()),
                    Token::HereDoc(i) => stdin = cmd.heredocs.get(*i).cloned(),
                    Token::ReadFrom(f) => match self.files.read(f) {
                        Ok(text) => stdin = Some(text),
                        Err(_) => {
                            out.err(format!("bash: {f}: No such file or directory\n"));
                            return 1;
                        }
                    },
                    Token::Op(o @ (">" | ">>")) => {
                        if let Some(Token::Word(f)) = iter.next() {
                            redirect = Some((f.clone(), *o == ">>"));
                        }
                    }
                    Token::Op("2>&1") => stderr_to_stdout = true,
                    Token::Op("2>" | "2>>") => {
                        iter.next();
                        stderr_away = true;
                    }
                    Token::Op("&>") => {
                        if let Some(Token::Word(f)) = iter.next() {
                            redirect = Some((f.clone(), false));
                        }
                        stderr_away = true;
                    }
                    Token::Op(_) => {}
                }
            }
            let mut stage_out = Output::default();
            status = self.run_command(&argv, stdin, &mut stage_out);
            if stderr_away {
                stage_out.chunks.retain(|(s, _)| *s != io::Stream::Stderr);
            } else if stderr_to_stdout {
                for (s, _) in stage_out.chunks.iter_mut() {
                    *s = io::Stream::Stdout;
                }
            }
            if redirect.is_some() {
                // Files written by the session are not kept: the host owns the files.
                for (s, t) in stage_out.chunks {
                    if s == io::Stream::Stderr {
                        out.err(t);
                    }
                }
            } else if n < last {
                // stdout feeds the next stage; stderr goes to the terminal.
                let mut piped = String::new();
                for (s, t) in stage_out.chunks {
                    match s {
                        io::Stream::Stdout => piped.push_str(&t),
                        io::Stream::Stderr => out.err(t),
                    }
                }
                input = Some(piped);
            } else {
                out.append(stage_out);
            }
            if self.exited.is_some() {
                break;
            }
        }
        status
    }

    /// `docker` as a kind user has it: kind's nodes are containers, which can be listed, stopped
    /// and started. Stopping one takes its kubelet and containers away at once.
    fn docker(&mut self, args: &[String], out: &mut Output) -> i32 {
        match args.first().map(String::as_str) {
            Some("stop" | "start" | "kill" | "restart") if args.len() > 1 => {
                let verb = args[0].as_str();
                let mut status = 0;
                for name in &args[1..] {
                    let ok = match verb {
                        "start" => self.world.start_machine(name),
                        "restart" => self.world.stop_machine(name) && self.world.start_machine(name),
                        _ => self.world.stop_machine(name),
                    };
                    if ok {
                        out.out(format!("{name}\n"));
                    } else {
                        out.err(format!("Error response from daemon: No such container: {name}\n"));
                        status = 1;
                    }
                }
                self.world.settle();
                status
            }
            Some("ps") => {
                let all = args.iter().any(|a| a == "-a" || a == "--all");
                let mut rows = String::from("NAMES\tSTATUS\n");
                for (name, running) in self.world.machines_list() {
                    if running {
                        rows.push_str(&format!("{name}\tUp\n"));
                    } else if all {
                        rows.push_str(&format!("{name}\tExited (130)\n"));
                    }
                }
                out.out(crate::kubectl::printers::tabwriter::TabWriter::GET.format(&rows));
                0
            }
            Some(cmd) => {
                out.err(format!(
                    "docker: '{cmd}' is not a docker command in Kubeplay (stop, start, restart, kill, ps).\n"
                ));
                1
            }
            None => {
                out.err("Usage:  docker [OPTIONS] COMMAND\n");
                1
            }
        }
    }

    fn run_command(&mut self, argv: &[String], stdin: Option<String>, out: &mut Output) -> i32 {
        let Some(name) = argv.first() else { return 0 };
        let args = &argv[1..];
        match name.as_str() {
            "kubectl" | "k" => {
                let mut ctx = kubectl::Ctx {
                    world: &mut self.world,
                    files: self.files.as_ref(),
                    stdin,
                    out,
                    config: &mut self.kubeconfig,
                    watch: None,
                    terminal: self.live && self.simple_line,
                    attach: None,
                };
                let status = kubectl::run(args, &mut ctx);
                if let Some(a) = ctx.attach.take() {
                    self.attached = Some(a);
                }
                if let Some(w) = ctx.watch.take() {
                    if self.live && self.simple_line {
                        self.watch = Some(w);
                        self.poll_watch(out, status);
                    } else {
                        self.finish_watch(w, out);
                    }
                }
                status
            }
            "sleep" => match args.first().and_then(|a| parse_sleep(a)) {
                Some(ms) if args.len() == 1 && ms > MAX_SLEEP => {
                    out.err("sleep: the terminal does not sleep longer than a year of virtual time\n");
                    1
                }
                Some(ms) if args.len() == 1 => {
                    self.world.advance(ms);
                    0
                }
                _ => {
                    let shown = args.first().map(String::as_str).unwrap_or("");
                    if shown.is_empty() {
                        out.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
                    } else {
                        out.err(format!(
                            "sleep: invalid time interval '{shown}'\nTry 'sleep --help' for more information.\n"
                        ));
                    }
                    1
                }
            },
            "echo" => {
                let (newline, words) = match args.first().map(String::as_str) {
                    Some("-n") => (false, &args[1..]),
                    _ => (true, args),
                };
                out.out(words.join(" "));
                if newline {
                    out.out("\n");
                }
                0
            }
            "cat" => {
                if args.is_empty() {
                    out.out(stdin.unwrap_or_default());
                    return 0;
                }
                let mut status = 0;
                for f in args {
                    match self.files.read(f) {
                        Ok(t) => out.out(t),
                        Err(FileError::NotFound) => {
                            out.err(format!("cat: {f}: No such file or directory\n"));
                            status = 1;
                        }
                        Err(FileError::Other(e)) => {
                            out.err(format!("cat: {f}: {e}\n"));
                            status = 1;
                        }
                    }
                }
                status
            }
            "set" => {
                for a in args {
                    match a.as_str() {
                        "-e" => self.errexit = true,
                        "+e" => self.errexit = false,
                        _ => {}
                    }
                }
                0
            }
            "kubeplay" => match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                // A fault injector for the safety nets above (tests of the CLI and the page).
                ["debug", "panic"] => panic!("deliberate panic (kubeplay debug panic)"),
                _ => {
                    out.err("kubeplay: usage: kubeplay debug panic\n");
                    2
                }
            },
            "docker" => self.docker(args, out),
            "true" | ":" => 0,
            "false" => 1,
            "exit" => {
                let code = args.first().and_then(|a| a.parse().ok()).unwrap_or(self.last_status);
                self.exited = Some(code);
                code
            }
            "date" => {
                let t = crate::sim::clock::api_time(self.world.now());
                let s = k8s_openapi::jiff::fmt::strtime::format("%a %b %e %H:%M:%S UTC %Y", t.0).unwrap_or_default();
                out.out(format!("{s}\n"));
                0
            }
            other => match utils::run(other, args, stdin, self.files.as_ref(), out) {
                Some(status) => status,
                None => {
                    out.err(format!("bash: {other}: command not found\n"));
                    127
                }
            },
        }
    }
}

/// What a command stopped by an internal error prints.
fn internal_error(cmd: &Command, text: String) -> CommandResult {
    let mut output = Output::default();
    output.err(text);
    CommandResult {
        first_line: cmd.first_line.clone(),
        output,
        status: INTERNAL_ERROR_STATUS,
    }
}

/// The text a panic was raised with (also the page's panic hook uses it).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use io::MemFiles;

    fn session() -> Session {
        Session::new(World::new(1), Box::new(MemFiles::default()))
    }

    #[test]
    fn transcript_shape_and_errexit() {
        let mut s = session();
        let r = s.run_script("echo hello\nset -e\nnosuch arg\necho never\n");
        assert_eq!(
            r.transcript,
            "$ echo hello\nhello\n$ set -e\n$ nosuch arg\nbash: nosuch: command not found\n"
        );
        assert_eq!(r.status, 127);
    }

    #[test]
    fn sleep_moves_virtual_time() {
        let mut s = session();
        let before = s.world().now();
        s.run_script("sleep 90\n");
        assert_eq!(s.world().now() - before, 90_000);
    }

    /// In the page `kubectl exec -it POD -- sh` attaches the terminal to the container's
    /// shell: lines run in the container with the shell's variables kept between them, the
    /// prompt is the shell's, Ctrl-C stays inside, and `exit N` gives the terminal back with
    /// kubectl's report of the status.
    #[test]
    fn exec_it_attaches_the_terminal_to_a_container_shell() {
        let mut s = session();
        s.set_live(true);
        s.feed_line("kubectl run box --image=busybox -- sleep 3600");
        s.advance(10_000);
        let r = s.feed_line("kubectl exec -it box -- sh");
        assert_eq!(r.map(|r| (r.status, r.output.text())), Some((0, String::new())));
        assert_eq!(s.prompt(), "/ # ");
        let r = s.feed_line("X=hi; echo $X > /tmp/f; hostname");
        assert_eq!(r.map(|r| r.output.text()), Some("box\n".to_string()));
        assert!(s.interrupt());
        assert_eq!(s.prompt(), "/ # ");
        let r = s.feed_line("echo $X; cat /tmp/f");
        assert_eq!(r.map(|r| r.output.text()), Some("hi\nhi\n".to_string()));
        let r = s.feed_line("exit 4");
        assert_eq!(
            r.map(|r| (r.status, r.output.text())),
            Some((4, "command terminated with exit code 4\n".to_string()))
        );
        assert_eq!(s.prompt(), "$ ");
        // The file is in the container: a later exec reads it.
        let r = s.feed_line("kubectl exec box -- cat /tmp/f");
        assert_eq!(r.map(|r| r.output.text()), Some("hi\n".to_string()));
    }

    /// In the page a watch holds the terminal while time passes, printing each change as
    /// it comes, until Ctrl-C (kubectl then exits 1) or the next command line.
    #[test]
    fn a_live_watch_prints_as_time_passes_until_interrupted() {
        let mut s = session();
        s.set_live(true);
        let created = s.feed_line("kubectl run web --image=nginx").map(|r| r.status);
        assert_eq!(created, Some(0));
        let listed = s.feed_line("kubectl get pods -w").map(|r| r.output.text());
        assert!(listed.is_some_and(|t| t.starts_with("NAME ") && t.contains("web ")));
        assert!(s.watching());
        let rows = s.advance(10_000).text();
        assert!(
            rows.lines().any(|l| l.contains("1/1") && l.contains("Running")),
            "{rows}"
        );
        assert!(!rows.contains("NAME"), "the header is printed once: {rows}");
        // Nothing changes now: quiet.
        assert_eq!(s.advance(5_000).text(), "");
        assert!(s.interrupt());
        assert!(!s.watching());
        assert_eq!(s.feed_line("exit").map(|r| r.status), Some(1));
    }

    /// A watch in a pipeline cannot hold the terminal: it ends at once, after its timeout.
    #[test]
    fn a_watch_that_cannot_hold_the_terminal_ends_after_its_timeout() {
        let mut s = session();
        s.set_live(true);
        let before = s.world().now();
        let r = s.feed_line("kubectl get ns -w -o name --request-timeout=7s | head -1");
        assert_eq!(r.map(|r| r.output.text()), Some("namespace/default\n".to_string()));
        assert!(!s.watching());
        assert_eq!(s.world().now() - before, 7_000);
        // A live watch ends by itself at its timeout too, and the next line runs as usual.
        s.feed_line("kubectl get ns -w --request-timeout=3s");
        assert!(s.watching());
        s.advance(2_000);
        assert!(s.watching());
        s.advance(2_000);
        assert!(!s.watching());
    }

    /// A panic in the core stops the session with an error instead of killing the process.
    #[test]
    fn a_panic_is_caught_and_stops_the_session() {
        let mut s = session();
        let r = s.run_script("echo before\nkubeplay debug panic\necho after\n");
        assert_eq!(
            r.transcript,
            "$ echo before\nbefore\n$ kubeplay debug panic\nkubeplay: internal error: deliberate panic (kubeplay debug panic)\n"
        );
        assert_eq!(r.status, INTERNAL_ERROR_STATUS);
        let again = s.feed_line("kubectl get nodes").expect("a command");
        assert_eq!(again.status, INTERNAL_ERROR_STATUS);
        assert!(again.output.text().contains("stopped after an internal error"));
    }

    #[test]
    fn and_or_lists() {
        let mut s = session();
        let r = s.run_script("false && echo no || echo yes\n");
        assert_eq!(r.transcript, "$ false && echo no || echo yes\nyes\n");
    }
}
