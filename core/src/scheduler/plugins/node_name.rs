//! NodeName: a pod that names a node fits only there.

use k8s_openapi::api::core::v1::Pod;

use crate::scheduler::framework::{NodeInfo, Rejection};

pub fn filter(pod: &Pod, node: &NodeInfo<'_>) -> Result<(), Rejection> {
    match pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
        Some(n) if !n.is_empty() && n != node.name() => {
            Err(Rejection::unresolvable("node(s) didn't match the requested node name"))
        }
        _ => Ok(()),
    }
}
