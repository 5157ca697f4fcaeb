//! The node IPAM controller (pkg/controller/nodeipam, the range allocator): every node gets a
//! /24 of the cluster CIDR as its `spec.podCIDR`, the lowest free one, and keeps it for life.
//! kind runs it with `--cluster-cidr=10.244.0.0/16` and `--node-cidr-mask-size=24`, so a
//! cluster has room for 256 nodes; the 257th gets a `CIDRNotAvailable` event and no podCIDR,
//! and its pods cannot get an address, as on a real cluster.

use std::collections::BTreeMap;

use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::events::{EventType, Source};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent};

const SOURCE: Source = Source {
    component: "cidrAllocator",
    host: None,
};

#[derive(Default)]
pub struct NodeIpamController {
    /// Third octet of each allocated 10.244.X.0/24, with the node holding it.
    allocated: BTreeMap<u8, String>,
}

fn subnet_index(cidr: &str) -> Option<u8> {
    let rest = cidr.strip_prefix("10.244.")?;
    let (third, tail) = rest.split_once('.')?;
    (tail == "0/24").then_some(())?;
    third.parse().ok()
}

impl Controller for NodeIpamController {
    fn name(&self) -> &'static str {
        "node-ipam-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::Node]
    }

    fn keys(&self, ev: &WatchEvent, _store: &Store, out: &mut Wakes) {
        out.push((ev.key.clone(), 0));
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::Node(mut node)) = cx.api.get(Kind::Node, "", &key.name).cloned() else {
            self.allocated.retain(|_, holder| *holder != key.name);
            return Ok(());
        };
        let spec = node.spec.get_or_insert_with(Default::default);
        if let Some(cidr) = spec.pod_cidr.as_deref().filter(|c| !c.is_empty()) {
            // Occupied, as the allocator occupies the CIDRs of the nodes it finds.
            if let Some(i) = subnet_index(cidr) {
                self.allocated.entry(i).or_insert_with(|| key.name.clone());
            }
            return Ok(());
        }
        let Some(free) = (0..=u8::MAX).find(|i| !self.allocated.contains_key(i)) else {
            // pkg/controller/nodeipam/ipam/range_allocator.go: RecordNodeStatusChange(..., "CIDRNotAvailable").
            let msg = format!("Node {} status is now: CIDRNotAvailable", key.name);
            cx.api.record_event(
                &Object::Node(node),
                None,
                EventType::Normal,
                "CIDRNotAvailable",
                &msg,
                &SOURCE,
            );
            return Ok(());
        };
        let cidr = format!("10.244.{free}.0/24");
        spec.pod_cidr = Some(cidr.clone());
        spec.pod_cidrs = Some(vec![cidr]);
        cx.api.update(Object::Node(node))?;
        self.allocated.insert(free, key.name.clone());
        Ok(())
    }
}
