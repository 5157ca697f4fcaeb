//! Parity: every scenario of `tests/scenarios/` runs in headless Chromium, compiled to wasm
//! with the release profile the page ships (opt-level z, LTO, overflow checks on, panics
//! abort), and its transcript must equal the native `.out` file byte for byte.
#![cfg(target_arch = "wasm32")]

use kubeplay::embedded::{FILES, SCENARIOS};
use kubeplay::{DEFAULT_SEED, directive};
use kubeplay_core::session::io::MemFiles;
use kubeplay_core::snapshot::snapshot;
use kubeplay_core::{Session, World, labs};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_scenario_gives_the_native_transcript() {
    assert!(
        SCENARIOS.len() >= 10,
        "scenarios were not embedded: {}",
        SCENARIOS.len()
    );
    let mut failures = Vec::new();
    for (name, script, expected) in SCENARIOS {
        let mut files = MemFiles::default();
        for (path, text) in FILES {
            files.insert(path, text);
        }
        let seed = directive(script, "seed").map_or(DEFAULT_SEED, |s| s as u64);
        let mut session = Session::new(World::new(seed), Box::new(files));
        let r = session.run_script(script);
        if r.transcript != *expected {
            let at = r
                .transcript
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            failures.push(format!(
                "{name}: differs at line {}: got {:?}, expected {:?}",
                at + 1,
                r.transcript.lines().nth(at),
                expected.lines().nth(at)
            ));
        }
        let want = directive(script, "exit").unwrap_or(0) as i32;
        if r.status != want {
            failures.push(format!("{name}: exit status {} (expected {want})", r.status));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The lab the page opens with runs, and the snapshot the page draws from sees its pod.
#[wasm_bindgen_test]
fn the_page_lab_runs_and_the_snapshot_sees_it() {
    let mut files = MemFiles::default();
    files.insert(labs::PROBE_POD.path, labs::PROBE_POD.text);
    let mut s = Session::new(World::new(1), Box::new(files));
    let r = s.run_script(
        "kubectl apply -f probe-pod.yaml\nkubectl wait --for=condition=Ready pod/web-probed --timeout=2m\n",
    );
    assert!(
        r.transcript.contains("pod/web-probed condition met"),
        "{}",
        r.transcript
    );
    let snap = snapshot(s.world());
    let pod = snap
        .nodes
        .iter()
        .flat_map(|n| n.pods.iter())
        .find(|p| p.name == "web-probed")
        .expect("placed on a node");
    assert_eq!((pod.status.as_str(), pod.class), ("Running", "running"));
}
