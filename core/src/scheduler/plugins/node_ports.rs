//! NodePorts: a hostPort can be taken by one pod per node (and protocol and host IP).

use k8s_openapi::api::core::v1::Pod;

use crate::scheduler::framework::{NodeInfo, Rejection};

pub fn host_ports(pod: &Pod) -> Vec<(String, String, i32)> {
    let Some(spec) = &pod.spec else {
        return Vec::new();
    };
    spec.containers
        .iter()
        .flat_map(|c| c.ports.iter().flatten())
        .filter_map(|p| {
            let hp = p.host_port.filter(|h| *h > 0)?;
            let ip = p
                .host_ip
                .clone()
                .filter(|i| !i.is_empty())
                .unwrap_or_else(|| "0.0.0.0".into());
            Some((ip, p.protocol.clone().unwrap_or_else(|| "TCP".into()), hp))
        })
        .collect()
}

pub fn filter(pod: &Pod, node: &NodeInfo<'_>) -> Result<(), Rejection> {
    let wanted = host_ports(pod);
    if wanted.is_empty() {
        return Ok(());
    }
    let used = node.host_ports;
    let conflict = wanted.iter().any(|(ip, proto, port)| {
        used.iter().any(|(uip, uproto, uport)| {
            uport == port && uproto == proto && (uip == ip || uip == "0.0.0.0" || ip == "0.0.0.0")
        })
    });
    if conflict {
        Err(Rejection::unschedulable(vec![
            "node(s) didn't have free ports for the requested pod ports".into(),
        ]))
    } else {
        Ok(())
    }
}
