//! Scenario tests: every `tests/scenarios/*.sh` runs through the CLI's library entry point
//! on a fresh default cluster and its transcript must equal the `.out` file beside it. A
//! script may say `# seed: N` (default 1) and `# exit: N` (default 0).
//!
//! `KUBEPLAY_BLESS=1 cargo test --test scenarios` rewrites the `.out` files; review the diff.

use std::path::{Path, PathBuf};

use kubeplay::embedded::FILES;
use kubeplay::{DEFAULT_SEED, directive, run_script_file};
use kubeplay_core::session::io::MemFiles;
use kubeplay_core::{Session, World};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios")
}

fn scenarios() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/scenarios exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    v.sort();
    v
}

fn seed_of(path: &Path) -> u64 {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    directive(&text, "seed").map_or(DEFAULT_SEED, |s| s as u64)
}

#[test]
fn transcripts_match_expected_files() {
    let bless = std::env::var_os("KUBEPLAY_BLESS").is_some();
    let mut failures = Vec::new();
    for script in scenarios() {
        let text = std::fs::read_to_string(&script).unwrap_or_default();
        let expected_exit = directive(&text, "exit").unwrap_or(0) as i32;
        let result = run_script_file(&script, seed_of(&script)).expect("script runs");
        let out_path = script.with_extension("out");
        if bless {
            std::fs::write(&out_path, &result.transcript).expect("write .out");
        }
        let expected = std::fs::read_to_string(&out_path).unwrap_or_default();
        let name = script.file_name().unwrap_or_default().to_string_lossy().to_string();
        if result.transcript != expected {
            let line = result
                .transcript
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b);
            let at = line.unwrap_or_else(|| result.transcript.lines().count().min(expected.lines().count()));
            failures.push(format!(
                "{name}: transcript differs at line {}\n  got:      {:?}\n  expected: {:?}",
                at + 1,
                result.transcript.lines().nth(at).unwrap_or("<end>"),
                expected.lines().nth(at).unwrap_or("<end>")
            ));
        }
        if result.status != expected_exit {
            failures.push(format!(
                "{name}: exit status {} (expected {expected_exit})",
                result.status
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same script with the same seed prints the same transcript, byte for byte, whether its
/// files come from the disk (the CLI) or from memory (the page, whose files are the embedded
/// table `tests/wasm_parity.rs` also uses).
#[test]
fn same_seed_same_transcript() {
    for script in scenarios() {
        let seed = seed_of(&script);
        let a = run_script_file(&script, seed).expect("runs");
        let mut files = MemFiles::default();
        for (path, text) in FILES {
            files.insert(path, text);
        }
        let text = std::fs::read_to_string(&script).expect("script");
        let mut session = Session::new(World::new(seed), Box::new(files));
        let b = session.run_script(&text);
        assert_eq!(
            a.transcript,
            b.transcript,
            "{} differs between a second run from memory and the run from disk",
            script.display()
        );
    }
}

/// The seed is what varies a run: generated names and addresses change with it.
#[test]
fn another_seed_another_run() {
    let script = dir().join("probe-pod.sh");
    let a = run_script_file(&script, 1).expect("runs");
    let b = run_script_file(&script, 2).expect("runs");
    assert_ne!(a.transcript, b.transcript);
    assert_eq!(a.status, b.status);
}
