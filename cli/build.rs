//! Embeds every scenario of `tests/scenarios/` (scripts, expected transcripts and the files
//! they read) in a table, so the same scenarios can run where there is no disk: compiled to
//! wasm and tested in headless Chromium (`tests/wasm_parity.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    files_under(&root, &mut files);
    files.sort();
    let mut table = String::from(
        "/// Scenarios: (name, script, expected transcript).\npub const SCENARIOS: &[(&str, &str, &str)] = &[\n",
    );
    let mut inputs = String::from(
        "/// Files the scripts read, by their path relative to the scripts.\npub const FILES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let Ok(rel) = f.strip_prefix(&root) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let abs = f.display().to_string();
        if let Some(name) = rel.strip_suffix(".sh") {
            // A new scenario has no transcript until it is blessed: expect an empty one.
            let out = f.with_extension("out");
            let expected = match out.exists() {
                true => format!("include_str!({:?})", out.display().to_string()),
                false => "\"\"".to_string(),
            };
            let _ = writeln!(table, "    ({name:?}, include_str!({abs:?}), {expected}),");
        } else if !rel.ends_with(".out") {
            let _ = writeln!(inputs, "    ({rel:?}, include_str!({abs:?})),");
        }
    }
    table.push_str("];\n");
    inputs.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("scenarios.rs");
    if let Err(e) = std::fs::write(&dest, table + &inputs) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
