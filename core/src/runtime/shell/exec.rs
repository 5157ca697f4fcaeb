//! A process that `kubectl exec` starts in a running container (the CRI's `Exec`): a shell on
//! the container's filesystem and environment whose stdout and stderr go back to the caller
//! instead of the container's log. It runs in steps, so a `sleep` inside it takes virtual time
//! while the cluster goes on, and an interactive shell keeps its variables from line to line.

use super::Shell;
use crate::runtime::{ProcCx, Status};

/// Names a shell image runs as its shell.
const SHELLS: &[&str] = &["sh", "ash", "bash"];

/// An exec'd command between steps.
pub struct Exec {
    sh: Shell,
    stdout: String,
    stderr: String,
}

impl Exec {
    /// `COMMAND [ARGS...]` as the runtime starts it: `sh -c SCRIPT` and a shell reading its
    /// script from stdin (`kubectl exec -i web -- sh < script`) run that script; anything
    /// else runs as one command with `stdin`.
    pub fn new(argv: &[String], stdin: Option<String>) -> Self {
        let base = argv.first().map(|a| a.rsplit('/').next().unwrap_or(a));
        let is_shell = base.is_some_and(|b| SHELLS.contains(&b));
        let mut sh = match (is_shell, argv.get(1).map(String::as_str), argv.get(2)) {
            (true, Some("-c"), Some(script)) => Shell::script(script),
            (true, None, _) => Shell::script(stdin.as_deref().unwrap_or("")),
            _ => Shell::argv(argv),
        };
        sh.capture = Some(String::new());
        sh.stdin = stdin;
        Exec {
            sh,
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    /// One line typed at an interactive shell, with the variables the lines before it set.
    pub fn line(line: &str, vars: Vec<(String, String)>) -> Self {
        let mut sh = Shell::script(line);
        sh.vars = vars;
        sh.capture = Some(String::new());
        Exec {
            sh,
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    /// Runs until the command exits or waits. What it wrote to stderr is collected here, not
    /// in the container's log.
    pub fn step(&mut self, cx: &mut ProcCx<'_>) -> Status {
        let container_log = std::mem::take(cx.logs);
        let status = self.sh.run(cx);
        let own = std::mem::replace(cx.logs, container_log);
        for l in own {
            self.stderr.push_str(&l.text);
            self.stderr.push('\n');
        }
        if let Some(buf) = &mut self.sh.capture {
            self.stdout.push_str(buf);
            buf.clear();
        }
        status
    }

    /// What it printed since the last call: (stdout, stderr).
    pub fn take_output(&mut self) -> (String, String) {
        (std::mem::take(&mut self.stdout), std::mem::take(&mut self.stderr))
    }

    /// Whether the shell ran `exit`.
    pub fn exited(&self) -> bool {
        self.sh.exited
    }

    /// The shell variables it ends with, for the next line of an interactive shell.
    pub fn into_vars(self) -> Vec<(String, String)> {
        self.sh.vars
    }
}
