//! The API server's `pods/exec` subresource: it finds the pod's node and hands the stream to
//! that node's kubelet (pkg/registry/core/pod/strategy.go `ExecLocation`).

use super::World;
use crate::api::ApiError;
use crate::kubelet::exec::ExecRefused;
use crate::runtime::Status;
use crate::runtime::shell::exec::Exec;
use crate::store::{Kind, Object, ObjectKey};

/// Why an exec did not start or stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum ExecError {
    /// The API server refused it (no such pod, no node yet).
    Api(ApiError),
    /// The kubelet or the runtime did.
    Kubelet(ExecRefused),
}

impl World {
    /// The node a pod's exec goes to.
    fn exec_node(&self, namespace: &str, pod: &str) -> Result<String, ExecError> {
        let key = ObjectKey::new(Kind::Pod, namespace, pod);
        let Some(Object::Pod(p)) = self.api.store().get(&key) else {
            return Err(ExecError::Api(ApiError::not_found("pods", pod)));
        };
        match p.spec.as_ref().and_then(|s| s.node_name.clone()) {
            Some(n) if !n.is_empty() => Ok(n),
            _ => Err(ExecError::Api(ApiError::bad_request(format!(
                "pod {pod} does not have a host assigned"
            )))),
        }
    }

    /// The id containerd gives an exec (64 hex digits), from the world's seed.
    pub fn exec_id(&self, namespace: &str, pod: &str) -> String {
        self.rng_for(&format!("runtime/exec/{namespace}/{pod}")).hex(64)
    }

    /// Randomness for a client's one-off draw (a temporary directory's name, an exec id):
    /// derived from the seed, the stream and the time, so it uses up nothing of the
    /// components' own streams.
    pub fn rng_for(&self, stream: &str) -> crate::sim::rng::Rng {
        crate::sim::rng::Rng::derive(self.seed, &format!("{stream}/{}", self.now()))
    }

    /// Whether `program` can start in the container.
    pub fn exec_check(&self, namespace: &str, pod: &str, container: &str, program: &str) -> Result<(), ExecError> {
        let node = self.exec_node(namespace, pod)?;
        let key = ObjectKey::new(Kind::Pod, namespace, pod);
        match self.kubelets.get(&node) {
            Some(k) => k.exec_check(&key, container, program).map_err(ExecError::Kubelet),
            None => Err(ExecError::Kubelet(ExecRefused::ContainerNotFound)),
        }
    }

    /// Runs the exec until it exits or waits.
    pub fn exec_step(
        &mut self,
        namespace: &str,
        pod: &str,
        container: &str,
        exec: &mut Exec,
    ) -> Result<Status, ExecError> {
        let node = self.exec_node(namespace, pod)?;
        let key = ObjectKey::new(Kind::Pod, namespace, pod);
        let now = self.now();
        match self.kubelets.get_mut(&node) {
            Some(k) => k.exec_step(&key, container, exec, now).map_err(ExecError::Kubelet),
            None => Err(ExecError::Kubelet(ExecRefused::ContainerNotFound)),
        }
    }
}
