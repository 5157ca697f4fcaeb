//! The machines a cluster runs on: kind's nodes are containers on the `kind` Docker network
//! (172.18.0.0/16, gateway 172.18.0.1), and a Node a user applies gets a simulated machine, as
//! KWOK gives one, with the next free address of that network.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

const NETWORK: u32 = u32::from_be_bytes([172, 18, 0, 0]);
/// The first host address Docker hands out after the gateway.
const FIRST: u32 = 2;
const SIZE: u32 = 1 << 16;

#[derive(Default)]
pub struct Network {
    used: BTreeSet<u32>,
}

impl Network {
    /// Marks an address as taken (a node that brought its own).
    pub fn reserve(&mut self, ip: &str) {
        if let Ok(a) = ip.parse::<Ipv4Addr>() {
            self.used.insert(u32::from(a));
        }
    }

    pub fn release(&mut self, ip: &str) {
        if let Ok(a) = ip.parse::<Ipv4Addr>() {
            self.used.remove(&u32::from(a));
        }
    }

    /// The lowest free address, or None once all 65,533 are taken.
    pub fn allocate(&mut self) -> Option<String> {
        let free = (FIRST..SIZE - 1)
            .map(|i| NETWORK + i)
            .find(|a| !self.used.contains(a))?;
        self.used.insert(free);
        Some(Ipv4Addr::from(free).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_continue_past_the_first_256() {
        let mut n = Network::default();
        let ips: Vec<String> = (0..300).filter_map(|_| n.allocate()).collect();
        assert_eq!(ips[0], "172.18.0.2");
        assert_eq!(ips[253], "172.18.0.255");
        assert_eq!(ips[254], "172.18.1.0");
        assert_eq!(ips.len(), 300);
        n.release("172.18.0.5");
        assert_eq!(n.allocate().as_deref(), Some("172.18.0.5"));
    }
}
