//! The interpreter, driven as the kubelet drives a container's process.

use super::*;
use crate::runtime::fs::Fs;

/// A process context at time 0 with a full CPU slice.
fn cx_at<'a>(
    fs: &'a mut Fs,
    logs: &'a mut Vec<crate::runtime::LogLine>,
    env: &'a [(String, String)],
    hostname: &'a str,
) -> ProcCx<'a> {
    ProcCx {
        now: 0,
        fs,
        logs,
        env,
        hostname,
        budget: STEP_BUDGET,
    }
}

fn run(script: &str) -> (Status, Vec<String>, Fs) {
    let mut fs = Fs::default();
    let mut logs = Vec::new();
    let env = vec![("GREETING".to_string(), "hi".to_string())];
    let mut cx = cx_at(&mut fs, &mut logs, &env, "pod-a");
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
    let mut cx = cx_at(&mut fs, &mut logs, &env, "h");
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

/// An exec probe's stderr used to be cut out of the container's log by position, which
/// panicked when the log rotated during the exec (found by the property harness).
#[test]
fn an_exec_keeps_its_stderr_out_of_a_full_container_log() {
    let mut fs = Fs::default();
    let line = |i: usize| crate::runtime::LogLine {
        at: 0,
        stream: crate::runtime::Stream::Stdout,
        text: format!("line {i}"),
    };
    let mut logs: Vec<_> = (0..crate::runtime::MAX_LOG_LINES - 1).map(line).collect();
    let env = vec![];
    let mut cx = cx_at(&mut fs, &mut logs, &env, "h");
    let r = run_to_completion(Shell::script("nosuch1; nosuch2; nosuch3"), &mut cx, None);
    assert_eq!(r.exit_code, 127);
    assert_eq!(
        r.stderr,
        "sh: nosuch1: not found\nsh: nosuch2: not found\nsh: nosuch3: not found\n"
    );
    assert_eq!(logs.len(), crate::runtime::MAX_LOG_LINES - 1);
}

#[test]
fn unknown_command_is_127() {
    let (st, out, _) = run("nosuch");
    assert_eq!(st, Status::Exited(127));
    assert_eq!(out, ["sh: nosuch: not found"]);
}
