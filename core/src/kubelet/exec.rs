//! The kubelet's exec endpoint (`/exec/{namespace}/{pod}/{container}`, which the API server's
//! `pods/exec` subresource proxies to): a command started in a running container through the
//! runtime, on that container's filesystem and environment (pkg/kubelet/server/server.go,
//! containerd's `Exec`). The caller drives it in steps while virtual time passes.

use super::Kubelet;
use crate::runtime::shell::exec::Exec;
use crate::runtime::{ProcCx, Status, images};
use crate::sim::clock::Millis;
use crate::store::ObjectKey;

/// Why the kubelet could not run an exec.
#[derive(Clone, Debug, PartialEq)]
pub enum ExecRefused {
    /// No running instance of that container (`container not found ("web")`).
    ContainerNotFound,
    /// The runtime found no such program in the image (`executable file not found in $PATH`).
    NotFound,
}

impl Kubelet {
    /// Checks that `program` can start in the container, as the runtime's exec does before the
    /// stream opens.
    pub fn exec_check(&self, key: &ObjectKey, container: &str, program: &str) -> Result<(), ExecRefused> {
        let c = self
            .pods
            .get(key)
            .and_then(|p| p.find(container))
            .ok_or(ExecRefused::ContainerNotFound)?;
        let inst = c
            .current
            .as_ref()
            .filter(|i| i.running())
            .ok_or(ExecRefused::ContainerNotFound)?;
        let image = c.image_ref.as_deref().unwrap_or(&inst.image);
        match images::resolve(image) {
            Ok((info, r)) if images::has_executable(info, &r, program) => Ok(()),
            _ => Err(ExecRefused::NotFound),
        }
    }

    /// Runs the exec until it exits or waits; `Err` when the container stopped under it.
    pub fn exec_step(
        &mut self,
        key: &ObjectKey,
        container: &str,
        exec: &mut Exec,
        now: Millis,
    ) -> Result<Status, ExecRefused> {
        let inst = self
            .pods
            .get_mut(key)
            .and_then(|p| p.find_mut(container))
            .and_then(|c| c.current.as_mut())
            .filter(|i| i.running())
            .ok_or(ExecRefused::ContainerNotFound)?;
        let (env, hostname) = (inst.env.clone(), inst.hostname.clone());
        let mut cx = ProcCx {
            now,
            fs: &mut inst.fs,
            logs: &mut inst.logs,
            env: &env,
            hostname: &hostname,
            budget: crate::runtime::shell::STEP_BUDGET,
        };
        Ok(exec.step(&mut cx))
    }
}
