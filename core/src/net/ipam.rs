//! IP address management: pod IPs from each node's podCIDR, as kind's CNI (kindnet with
//! host-local IPAM) hands them out, and Service ClusterIPs and NodePorts as the API server's
//! allocators do.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use crate::sim::rng::Rng;

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

    pub fn cidr(&self) -> String {
        format!("{}.{}.{}.0/24", self.base[0], self.base[1], self.base[2])
    }

    pub fn allocate(&mut self) -> Option<Ipv4Addr> {
        let mut candidate = self.last;
        for _ in 0..253 {
            candidate = if !(2..254).contains(&candidate) {
                2
            } else {
                candidate + 1
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
        if self.cluster_ips.len() as u32 >= SERVICE_SIZE - 2 {
            return None;
        }
        loop {
            let v = SERVICE_BASE + 1 + rng.below((SERVICE_SIZE - 2) as u64) as u32;
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
        (30000..=32767).contains(&port) && self.node_ports.insert(port)
    }

    pub fn allocate_node_port(&mut self, rng: &mut Rng) -> Option<u16> {
        if self.node_ports.len() >= 2768 {
            return None;
        }
        loop {
            let p = 30000 + rng.below(2768) as u16;
            if self.node_ports.insert(p) {
                return Some(p);
            }
        }
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
