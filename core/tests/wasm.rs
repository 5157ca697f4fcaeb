//! The core compiled to WebAssembly, tested in headless Chromium (wasm-bindgen-test): the
//! scenarios give the same transcripts in the browser as natively, byte for byte.
#![cfg(target_arch = "wasm32")]

use kubeplay_core::session::io::MemFiles;
use kubeplay_core::snapshot::snapshot;
use kubeplay_core::{Session, World, labs};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn session_with(files: &[(&str, &str)]) -> Session {
    let mut mem = MemFiles::default();
    for (path, text) in files {
        mem.insert(path, text);
    }
    Session::new(World::new(1), Box::new(mem))
}

/// A scenario manifest, by file name, as the scripts refer to it.
macro_rules! manifest {
    ($name:literal) => {
        (
            concat!("manifests/", $name),
            include_str!(concat!("../../tests/scenarios/manifests/", $name)),
        )
    };
}

#[wasm_bindgen_test]
fn probe_scenario_matches_the_native_transcript() {
    let mut s = session_with(&[manifest!("probes.yaml")]);
    let r = s.run_script(include_str!("../../tests/scenarios/probe-pod.sh"));
    assert_eq!(r.transcript, include_str!("../../tests/scenarios/probe-pod.out"));
    assert_eq!(r.status, 0);
}

#[wasm_bindgen_test]
fn bad_input_matches_the_native_transcript() {
    let mut s = session_with(&[
        manifest!("unknown-field.yaml"),
        manifest!("bad-names.yaml"),
        manifest!("broken-yaml.yaml"),
        manifest!("no-kind.yaml"),
        manifest!("mixed.yaml"),
        manifest!("half-broken.yaml"),
    ]);
    let r = s.run_script(include_str!("../../tests/scenarios/bad-input.sh"));
    assert_eq!(r.transcript, include_str!("../../tests/scenarios/bad-input.out"));
}

#[wasm_bindgen_test]
fn the_page_lab_runs_and_the_snapshot_sees_it() {
    let mut s = session_with(&[(labs::PROBE_POD.path, labs::PROBE_POD.text)]);
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
