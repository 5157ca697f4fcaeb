//! Manifests the playground ships with, shared by the page (the editor's starting text) and
//! the tests, so both exercise the same files.

/// A file of a lab: its name as `kubectl apply -f` sees it, and its text.
pub struct LabFile {
    pub path: &'static str,
    pub text: &'static str,
}

/// A pod guarded by startup, readiness and liveness probes.
pub const PROBE_POD: LabFile = LabFile {
    path: "probe-pod.yaml",
    text: include_str!("../labs/probe-pod.yaml"),
};

pub const ALL: &[LabFile] = &[PROBE_POD];
