//! The CLI's safety net: a panic in the core (here the `kubeplay debug panic` fault injector)
//! prints an error after the transcript so far and exits non-zero, instead of aborting.

use std::process::Command;

#[test]
fn a_panic_ends_the_run_with_an_error_and_status_70() {
    let dir = std::env::temp_dir().join(format!("kubeplay-panic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script = dir.join("panic.sh");
    std::fs::write(&script, "echo before\nkubeplay debug panic\necho never\n").expect("write script");
    let out = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .arg("run")
        .arg(&script)
        .output()
        .expect("kubeplay runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        "$ echo before\nbefore\n$ kubeplay debug panic\nkubeplay: internal error: deliberate panic (kubeplay debug panic)\n"
    );
    assert_eq!(out.status.code(), Some(70));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_repl_stops_non_zero_after_a_panic() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kubeplay runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"kubeplay debug panic\nkubectl get nodes\n")
        .expect("write");
    let out = child.wait_with_output().expect("exits");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("kubeplay: internal error: deliberate panic"),
        "{stdout}"
    );
    assert!(!stdout.contains("kind-worker"), "{stdout}");
    assert_eq!(out.status.code(), Some(70));
}
