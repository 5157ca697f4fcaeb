//! The native side of Kubeplay: scenario scripts read from disk, run through the core's
//! session, and their transcripts. `kubeplay` the binary and the scenario tests both use this.

use std::path::{Path, PathBuf};

use kubeplay_core::session::ScriptResult;
use kubeplay_core::session::io::{FileError, Files};
use kubeplay_core::{Session, World};

/// The seed a run uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 1;

/// Files on disk, relative paths taken from a base directory (the script's own).
pub struct DiskFiles {
    base: PathBuf,
}

impl DiskFiles {
    pub fn new(base: impl Into<PathBuf>) -> Self {
        DiskFiles { base: base.into() }
    }

    fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        }
    }
}

impl Files for DiskFiles {
    fn read(&self, path: &str) -> Result<String, FileError> {
        let p = self.resolve(path);
        match std::fs::read(&p) {
            Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(FileError::NotFound),
            Err(e) => Err(FileError::Other(e.to_string())),
        }
    }

    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        let entries = std::fs::read_dir(self.resolve(path)).ok()?;
        Some(
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect(),
        )
    }
}

/// Every scenario of `tests/scenarios/`, embedded at build time (see build.rs).
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));
}

/// A `# name: N` line of a scenario script (`# seed: 7`, `# exit: 1`).
pub fn directive(text: &str, name: &str) -> Option<i64> {
    text.lines().find_map(|l| {
        l.trim()
            .strip_prefix(&format!("# {name}:"))
            .and_then(|v| v.trim().parse().ok())
    })
}

/// Runs a scenario script with a fresh default cluster; paths in it are relative to the
/// script's directory.
pub fn run_script_file(path: &Path, seed: u64) -> std::io::Result<ScriptResult> {
    let text = std::fs::read_to_string(path)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut session = Session::new(World::new(seed), Box::new(DiskFiles::new(base)));
    Ok(session.run_script(&text))
}
