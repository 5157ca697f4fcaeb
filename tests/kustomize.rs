//! `kubectl kustomize` against real kustomize: each fixture directory under
//! `tests/scenarios/manifests/kustomize/` that holds an `expected.kustomize` file was built once
//! with kubectl 1.32.5 (kustomize v5.5.0) and its output kept there; Kubeplay's build must
//! print the same bytes. The generator name hashes in them (`special-config-2-2b86tk8fhm`,
//! `database-creds-bkbd782d2c`, `dev-cfg-v1-md8bfk8tht`, `prod-app-config-95625f88mt`,
//! `base-db-tls-7dd2gcdkkk`, ...) are real kustomize's.

use std::path::{Path, PathBuf};

use kubeplay::DiskFiles;
use kubeplay_core::kubectl::kustomize;

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.join("expected.kustomize").exists() {
                out.push(p.clone());
            }
            fixtures(&p, out);
        }
    }
}

#[test]
fn builds_equal_real_kustomize() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios/manifests/kustomize");
    let mut dirs = Vec::new();
    fixtures(&root, &mut dirs);
    dirs.sort();
    assert!(dirs.len() >= 6, "fixtures found: {dirs:?}");
    let files = DiskFiles::new(&root);
    let mut failures = Vec::new();
    for d in &dirs {
        let rel = d
            .strip_prefix(&root)
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        let expected = std::fs::read_to_string(d.join("expected.kustomize")).expect("expected output");
        match kustomize::build(&rel, &files) {
            Ok(b) if b.to_yaml() == expected => {}
            Ok(b) => failures.push(format!(
                "{rel}: output differs\n--- expected\n{expected}\n--- got\n{}",
                b.to_yaml()
            )),
            Err(e) => failures.push(format!("{rel}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
