//! IP address management: pod IPs from each node's podCIDR, as kind's CNI (kindnet with
//! host-local IPAM) hands them out, and Service ClusterIPs and NodePorts as the API server's
//! allocators do.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use crate::sim::rng::Rng;

/// The default `--service-node-port-range` of kube-apiserver.
pub const NODE_PORTS: std::ops::RangeInclusive<u16> = 30000..=32767;

/// Host-local IPAM over a /24: sequential from `.2`, continuing after the last handed out, so a
/// freed address is not reused at once (the CNI plugin's round-robin behaviour).
#[derive(Clone, Debug)]
pub struct PodCidr {
    base: [u8; 3],
    last: u8,
    used: BTreeSet<u8>,
}

impl PodCidr {
    /// `10.244.<index>.0/24`, kind's pod subnet split per node.
    pub fn for_node_index(index: u8) -> Self {
        PodCidr {
            base: [10, 244, index],
            last: 1,
            used: BTreeSet::new(),
        }
    }

    /// A node's `spec.podCIDR`, which the node IPAM controller cuts as a /24 (kube-controller-
    /// manager's `--node-cidr-mask-size`, 24 on kind). Anything else is refused.
    pub fn parse(cidr: &str) -> Option<Self> {
        let (addr, bits) = cidr.split_once('/')?;
        let addr: Ipv4Addr = addr.parse().ok()?;
        if bits != "24" || addr.octets()[3] != 0 {
            return None;
        }
        let [a, b, c, _] = addr.octets();
        Some(PodCidr {
            base: [a, b, c],
            last: 1,
            used: BTreeSet::new(),
        })
    }

    pub fn cidr(&self) -> String {
        format!("{}.{}.{}.0/24", self.base[0], self.base[1], self.base[2])
    }

    /// The last address handed out (host-local IPAM's `last_reserved_ip`).
    pub fn last_reserved(&self) -> u8 {
        self.last
    }

    /// Continues after `last`, as host-local does with the state it keeps on the node's disk.
    pub fn resume_after(&mut self, last: u8) {
        self.last = last;
    }

    pub fn allocate(&mut self) -> Option<Ipv4Addr> {
        let mut candidate = self.last;
        for _ in 0..253 {
            candidate = if !(2..254).contains(&candidate) {
                2
            } else {
                candidate.saturating_add(1)
            };
            if self.used.insert(candidate) {
                self.last = candidate;
                return Some(Ipv4Addr::new(self.base[0], self.base[1], self.base[2], candidate));
            }
        }
        None
    }

    pub fn release(&mut self, ip: &str) {
        if let Ok(addr) = ip.parse::<Ipv4Addr>() {
            self.used.remove(&addr.octets()[3]);
        }
    }
}

/// ClusterIPs from 10.96.0.0/12 and NodePorts from 30000-32767, picked at random (seeded) as
/// the API server's allocators pick them. `10.96.0.1` (the `kubernetes` Service) and
/// `10.96.0.10` (kube-dns) are taken at bootstrap.
#[derive(Clone, Debug, Default)]
pub struct ServiceIps {
    cluster_ips: BTreeSet<u32>,
    node_ports: BTreeSet<u16>,
}

const SERVICE_BASE: u32 = u32::from_be_bytes([10, 96, 0, 0]);
const SERVICE_SIZE: u32 = 1 << 20;

impl ServiceIps {
    pub fn reserve_ip(&mut self, ip: &str) -> bool {
        match ip.parse::<Ipv4Addr>() {
            Ok(a) => {
                let v = u32::from(a);
                (SERVICE_BASE..SERVICE_BASE + SERVICE_SIZE).contains(&v) && self.cluster_ips.insert(v)
            }
            Err(_) => false,
        }
    }

    pub fn allocate_ip(&mut self, rng: &mut Rng) -> Option<String> {
        if crate::num::u64_of(self.cluster_ips.len()) >= u64::from(SERVICE_SIZE - 2) {
            return None;
        }
        loop {
            let offset = u32::try_from(rng.below(u64::from(SERVICE_SIZE - 2))).unwrap_or(0);
            let v = SERVICE_BASE.saturating_add(1).saturating_add(offset);
            if self.cluster_ips.insert(v) {
                return Some(Ipv4Addr::from(v).to_string());
            }
        }
    }

    pub fn release_ip(&mut self, ip: &str) {
        if let Ok(a) = ip.parse::<Ipv4Addr>() {
            self.cluster_ips.remove(&u32::from(a));
        }
    }

    pub fn reserve_node_port(&mut self, port: u16) -> bool {
        NODE_PORTS.contains(&port) && self.node_ports.insert(port)
    }

    pub fn node_port_taken(&self, port: u16) -> bool {
        self.node_ports.contains(&port)
    }

    /// A random free port of the range, as the port allocator picks one.
    pub fn allocate_node_port(&mut self, rng: &mut Rng) -> Option<u16> {
        let (first, last) = (*NODE_PORTS.start(), *NODE_PORTS.end());
        let size = u64::from(last.saturating_sub(first)).saturating_add(1);
        if self.node_ports.len() as u64 >= size {
            return None;
        }
        // Probe from a random offset: at most `size` steps, even when the range is nearly full.
        let start = rng.below(size);
        (0..size)
            .filter_map(|i| {
                start
                    .saturating_add(i)
                    .checked_rem(size)
                    .and_then(|o| u16::try_from(o).ok())
            })
            .map(|offset| first.saturating_add(offset))
            .find(|p| self.node_ports.insert(*p))
    }

    pub fn release_node_port(&mut self, port: u16) {
        self.node_ports.remove(&port);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_ips_are_sequential_and_not_reused_at_once() {
        let mut c = PodCidr::for_node_index(1);
        assert_eq!(c.allocate().unwrap().to_string(), "10.244.1.2");
        assert_eq!(c.allocate().unwrap().to_string(), "10.244.1.3");
        c.release("10.244.1.2");
        assert_eq!(c.allocate().unwrap().to_string(), "10.244.1.4");
    }

    #[test]
    fn service_ips_stay_in_range() {
        let mut s = ServiceIps::default();
        let mut rng = Rng::new(1);
        assert!(s.reserve_ip("10.96.0.1"));
        assert!(!s.reserve_ip("10.96.0.1"));
        let ip: Ipv4Addr = s.allocate_ip(&mut rng).unwrap().parse().unwrap();
        assert!(
            (SERVICE_BASE..SERVICE_BASE + SERVICE_SIZE).contains(&u32::from(ip)),
            "{ip}"
        );
        let p = s.allocate_node_port(&mut rng).unwrap();
        assert!((30000..=32767).contains(&p));
    }
}
