//! The busybox applets the shell runs: `echo`, `sleep`, `cat`, `test`, `date`, ... Each acts on
//! the container's filesystem and environment and says how the command ended.

use k8s_openapi::jiff::Timestamp;

use super::{Outcome, Shell};
use crate::runtime::ProcCx;
use crate::sim::clock::{EPOCH_SECONDS, SECOND, parse_sleep};

/// The applets that are programs on a shell image's PATH (not shell builtins such as `exit`
/// or `export`): what `kubectl exec` can start directly.
pub const EXECUTABLES: &[&str] = &[
    "true", "false", "echo", "printf", "sleep", "cat", "touch", "rm", "mkdir", "ls", "stat", "test", "[", "date",
    "hostname", "env", "printenv", "tail", "sh", "ash", "bash", "pwd", "whoami", "grep", "wc",
];

impl Shell {
    pub(super) fn applet(&mut self, argv: &[String], cx: &mut ProcCx<'_>) -> Outcome {
        let name = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
        let args = &argv[1..];
        let done = Outcome::Done;
        match name.as_str() {
            ":" | "true" => done(0),
            "false" => done(1),
            "exit" => Outcome::Exit(args.first().and_then(|a| a.parse().ok()).unwrap_or(self.status)),
            "echo" => {
                let (newline, rest) = match args.first().map(String::as_str) {
                    Some("-n") => (false, &args[1..]),
                    _ => (true, args),
                };
                let mut s = rest.join(" ");
                if newline {
                    s.push('\n');
                }
                self.write_out(&s, cx);
                done(0)
            }
            "printf" => {
                let fmt = args.first().cloned().unwrap_or_default();
                let mut rest = args.iter().skip(1);
                let mut s = String::new();
                let mut chars = fmt.chars().peekable();
                while let Some(c) = chars.next() {
                    match (c, chars.peek()) {
                        ('\\', Some('n')) => {
                            chars.next();
                            s.push('\n');
                        }
                        ('%', Some('s' | 'd')) => {
                            chars.next();
                            s.push_str(rest.next().map(String::as_str).unwrap_or(""));
                        }
                        _ => s.push(c),
                    }
                }
                self.write_out(&s, cx);
                done(0)
            }
            "sleep" => match args.first().and_then(|a| parse_sleep(a)) {
                Some(ms) => Outcome::Sleep(cx.now.saturating_add(ms)),
                None => {
                    cx.err(format!(
                        "sleep: invalid number '{}'",
                        args.first().map(String::as_str).unwrap_or("")
                    ));
                    done(1)
                }
            },
            "cat" => {
                if args.is_empty() {
                    let input = self.stdin.take().unwrap_or_default();
                    self.write_out(&input, cx);
                    return done(0);
                }
                let mut status = 0;
                for f in args {
                    match cx.fs.read(f).map(str::to_string) {
                        Some(text) => self.write_out(&text, cx),
                        None => {
                            cx.err(format!("cat: can't open '{f}': No such file or directory"));
                            status = 1;
                        }
                    }
                }
                done(status)
            }
            "touch" => {
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    if !cx.fs.exists(f) {
                        let _ = cx.fs.write(f, "");
                    }
                }
                done(0)
            }
            "rm" => {
                let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
                let mut status = 0;
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    if !cx.fs.remove(f) && !force {
                        cx.err(format!("rm: can't remove '{f}': No such file or directory"));
                        status = 1;
                    }
                }
                done(status)
            }
            "mkdir" => {
                for d in args.iter().filter(|a| !a.starts_with('-')) {
                    cx.fs.mkdir(d);
                }
                done(0)
            }
            "ls" => {
                let dir = args
                    .iter()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_else(|| "/".into());
                if !cx.fs.exists(&dir) {
                    cx.err(format!("ls: {dir}: No such file or directory"));
                    return done(1);
                }
                let listing = if cx.fs.is_dir(&dir) {
                    cx.fs.list(&dir).join("\n")
                } else {
                    dir.clone()
                };
                if !listing.is_empty() {
                    self.write_out(&format!("{listing}\n"), cx);
                }
                done(0)
            }
            "stat" | "test" | "[" => {
                let args: Vec<&str> = args.iter().map(String::as_str).filter(|a| *a != "]").collect();
                if name == "stat" {
                    let Some(f) = args.first() else {
                        return done(1);
                    };
                    if cx.fs.exists(f) {
                        self.write_out(&format!("  File: {f}\n"), cx);
                        return done(0);
                    }
                    cx.err(format!("stat: can't stat '{f}': No such file or directory"));
                    return done(1);
                }
                done(if test(&args, cx) { 0 } else { 1 })
            }
            "date" => {
                let ts = Timestamp::from_second(EPOCH_SECONDS.saturating_add(crate::num::i64_of(cx.now / SECOND)))
                    .unwrap_or(Timestamp::UNIX_EPOCH);
                let s = k8s_openapi::jiff::fmt::strtime::format("%a %b %e %H:%M:%S UTC %Y", ts).unwrap_or_default();
                self.write_out(&format!("{s}\n"), cx);
                done(0)
            }
            "hostname" => {
                let h = cx.hostname.to_string();
                self.write_out(&format!("{h}\n"), cx);
                done(0)
            }
            "env" | "printenv" => {
                let mut lines: Vec<String> = cx.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
                if name == "printenv"
                    && let Some(k) = args.first()
                {
                    let v = cx.getenv(k).map(str::to_string);
                    return match v {
                        Some(v) => {
                            self.write_out(&format!("{v}\n"), cx);
                            done(0)
                        }
                        None => done(1),
                    };
                }
                lines.push(format!("HOSTNAME={}", cx.hostname));
                self.write_out(&(lines.join("\n") + "\n"), cx);
                done(0)
            }
            "tail" => {
                let follow = args.iter().any(|a| a == "-f" || a == "-F");
                let files: Vec<&String> = args
                    .iter()
                    .filter(|a| !a.starts_with('-') && a.parse::<u64>().is_err())
                    .collect();
                let mut status = 0;
                for f in &files {
                    match cx.fs.read(f).map(str::to_string) {
                        Some(text) => {
                            let last: Vec<&str> = text.lines().rev().take(10).collect();
                            let body: String = last.into_iter().rev().map(|l| format!("{l}\n")).collect();
                            self.write_out(&body, cx);
                        }
                        None => {
                            cx.err(format!("tail: can't open '{f}': No such file or directory"));
                            status = 1;
                        }
                    }
                }
                if follow {
                    if files.is_empty() || status == 0 || files.len() > 1 {
                        return Outcome::Block;
                    }
                    cx.err("tail: no files");
                }
                done(status)
            }
            "sh" | "ash" | "bash" => {
                if args.first().map(String::as_str) == Some("-c") {
                    let script = args.get(1).cloned().unwrap_or_default();
                    let stdin = self.stdin.take();
                    let capture = self.capture.is_some();
                    return Outcome::Spawn(self.child(Shell::script(&script), stdin, capture));
                }
                // An interactive shell with no terminal reads EOF and exits.
                done(0)
            }
            "export" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        self.set_var(k, v);
                    }
                }
                done(0)
            }
            "pwd" => {
                self.write_out("/\n", cx);
                done(0)
            }
            "whoami" => {
                self.write_out("root\n", cx);
                done(0)
            }
            "grep" => {
                let pattern = args.iter().find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
                let input = match args.iter().filter(|a| !a.starts_with('-')).nth(1) {
                    Some(f) => cx.fs.read(f).unwrap_or("").to_string(),
                    None => self.stdin.take().unwrap_or_default(),
                };
                let hits: String = input
                    .lines()
                    .filter(|l| l.contains(&pattern))
                    .map(|l| format!("{l}\n"))
                    .collect();
                let found = !hits.is_empty();
                if !args.iter().any(|a| a == "-q") {
                    self.write_out(&hits, cx);
                }
                done(if found { 0 } else { 1 })
            }
            "wc" => {
                let input = self.stdin.take().unwrap_or_default();
                self.write_out(&format!("{}\n", input.lines().count()), cx);
                done(0)
            }
            _ => {
                cx.err(format!("sh: {name}: not found"));
                done(127)
            }
        }
    }
}

pub(super) fn test(args: &[&str], cx: &ProcCx<'_>) -> bool {
    match args {
        ["!", rest @ ..] => !test(rest, cx),
        ["-f", f] => cx.fs.read(f).is_some(),
        ["-e", f] => cx.fs.exists(f),
        ["-d", f] => cx.fs.is_dir(f),
        ["-s", f] => cx.fs.read(f).is_some_and(|s| !s.is_empty()),
        ["-z", s] => s.is_empty(),
        ["-n", s] => !s.is_empty(),
        [a, "=", b] | [a, "==", b] => a == b,
        [a, "!=", b] => a != b,
        [a, op, b] => {
            let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) else {
                return false;
            };
            match *op {
                "-eq" => x == y,
                "-ne" => x != y,
                "-lt" => x < y,
                "-le" => x <= y,
                "-gt" => x > y,
                "-ge" => x >= y,
                _ => false,
            }
        }
        [s] => !s.is_empty(),
        _ => false,
    }
}
