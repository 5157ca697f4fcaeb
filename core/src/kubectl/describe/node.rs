//! `kubectl describe node` (kubectl/pkg/describe/describe.go `describeNode`), with the
//! non-terminated pods and allocated resources computed as the describer computes them.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod};

use super::{Writer, annotations_multiline, events_section, labels_multiline, rfc1123z};
use crate::api::quantity::{Format, Quantity};
use crate::cluster::World;
use crate::kubectl::printers::columns::node_roles;
use crate::kubectl::printers::duration::since_time;
use crate::store::{Kind, Object};

pub fn describe(world: &World, n: &Node) -> String {
    let mut w = Writer::default();
    let name = n.metadata.name.clone().unwrap_or_default();
    let spec = n.spec.clone().unwrap_or_default();
    let st = n.status.clone().unwrap_or_default();
    w.line(0, &format!("Name:\t{name}"));
    w.line(0, &format!("Roles:\t{}", node_roles(n)));
    labels_multiline(&mut w, "Labels", n.metadata.labels.as_ref());
    annotations_multiline(&mut w, n.metadata.annotations.as_ref());
    if let Some(t) = &n.metadata.creation_timestamp {
        w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(t)));
    }
    let mut taints = spec.taints.clone().unwrap_or_default();
    if taints.is_empty() {
        w.line(0, "Taints:\t<none>");
    } else {
        taints.sort_by(|a, b| format!("{},{}", a.effect, a.key).cmp(&format!("{},{}", b.effect, b.key)));
        for (i, t) in taints.iter().enumerate() {
            let s = match t.value.as_deref().filter(|v| !v.is_empty()) {
                Some(v) => format!("{}={v}:{}", t.key, t.effect),
                None => format!("{}:{}", t.key, t.effect),
            };
            w.line(0, &format!("{}\t{s}", if i == 0 { "Taints:" } else { "" }));
        }
    }
    w.line(0, &format!("Unschedulable:\t{}", spec.unschedulable.unwrap_or(false)));
    // No node leases are simulated yet: the kubelet heartbeat is implicit.
    w.line(0, "Lease:");
    w.line(1, &format!("HolderIdentity:\t{name}"));
    w.line(1, "AcquireTime:\t<unset>");
    w.line(
        1,
        &format!("RenewTime:\t{}", rfc1123z(&crate::sim::clock::api_time(world.now()))),
    );
    let conds = st.conditions.clone().unwrap_or_default();
    if !conds.is_empty() {
        w.line(0, "Conditions:");
        w.line(
            1,
            "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage",
        );
        w.line(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------",
        );
        for c in &conds {
            let t = |t: &Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>| {
                t.as_ref().map(rfc1123z).unwrap_or_default()
            };
            w.line(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}",
                    c.type_,
                    c.status,
                    t(&c.last_heartbeat_time),
                    t(&c.last_transition_time),
                    c.reason.as_deref().unwrap_or(""),
                    c.message.as_deref().unwrap_or("")
                ),
            );
        }
    }
    w.line(0, "Addresses:");
    for a in st.addresses.iter().flatten() {
        w.line(1, &format!("{}:\t{}", a.type_, a.address));
    }
    for (label, list) in [("Capacity", &st.capacity), ("Allocatable", &st.allocatable)] {
        if let Some(list) = list.as_ref().filter(|l| !l.is_empty()) {
            w.line(0, &format!("{label}:"));
            for (k, v) in list {
                w.line(1, &format!("{k}:\t{}", v.0));
            }
        }
    }
    let info = st.node_info.clone().unwrap_or_default();
    w.line(0, "System Info:");
    for (k, v) in [
        ("Machine ID", &info.machine_id),
        ("System UUID", &info.system_uuid),
        ("Boot ID", &info.boot_id),
        ("Kernel Version", &info.kernel_version),
        ("OS Image", &info.os_image),
        ("Operating System", &info.operating_system),
        ("Architecture", &info.architecture),
        ("Container Runtime Version", &info.container_runtime_version),
        ("Kubelet Version", &info.kubelet_version),
        ("Kube-Proxy Version", &info.kube_proxy_version),
    ] {
        w.line(1, &format!("{k}:\t{v}"));
    }
    if let Some(c) = &spec.pod_cidr {
        w.line(0, &format!("PodCIDR:\t{c}"));
    }
    if let Some(cs) = &spec.pod_cidrs {
        w.line(0, &format!("PodCIDRs:\t{}", cs.join(",")));
    }
    if let Some(p) = &spec.provider_id {
        w.line(0, &format!("ProviderID:\t{p}"));
    }
    let pods: Vec<&Pod> = world
        .api()
        .list(Kind::Pod, None)
        .filter_map(|o| if let Object::Pod(p) = o { Some(p) } else { None })
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(name.as_str()))
        .filter(|p| {
            !matches!(
                p.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        })
        .collect();
    let alloc = st.allocatable.clone().or(st.capacity.clone()).unwrap_or_default();
    let alloc_q = |k: &str| {
        alloc
            .get(k)
            .and_then(|q| Quantity::parse(&q.0).ok())
            .unwrap_or(Quantity::ZERO)
    };
    let (cpu_alloc, mem_alloc) = (alloc_q("cpu"), alloc_q("memory"));
    let pct = |q: &Quantity, total: &Quantity, milli: bool| -> i64 {
        let (a, b) = if milli {
            (q.milli_value(), total.milli_value())
        } else {
            (q.value(), total.value())
        };
        if b == 0 {
            0
        } else {
            crate::num::i64_of_f64(a as f64 / b as f64 * 100.0)
        }
    };
    w.line(0, &format!("Non-terminated Pods:\t({} in total)", pods.len()));
    w.line(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
    );
    w.line(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---",
    );
    let mut totals: BTreeMap<&str, (Quantity, Quantity)> = BTreeMap::new();
    for p in &pods {
        let (req, lim) = pod_requests_and_limits(p);
        let get = |m: &BTreeMap<String, Quantity>, k: &str| m.get(k).copied().unwrap_or(Quantity::ZERO);
        let (cr, cl, mr, ml) = (
            get(&req, "cpu"),
            get(&lim, "cpu"),
            get(&req, "memory"),
            get(&lim, "memory"),
        );
        w.line(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}",
                p.metadata.namespace.as_deref().unwrap_or(""),
                p.metadata.name.as_deref().unwrap_or(""),
                cr,
                pct(&cr, &cpu_alloc, true),
                cl,
                pct(&cl, &cpu_alloc, true),
                mr,
                pct(&mr, &mem_alloc, false),
                ml,
                pct(&ml, &mem_alloc, false),
                since_time(p.metadata.creation_timestamp.as_ref(), world.now())
            ),
        );
        for k in ["cpu", "memory", "ephemeral-storage"] {
            let e = totals.entry(k).or_insert((Quantity::ZERO, Quantity::ZERO));
            e.0 = e.0.plus(get(&req, k));
            e.1 = e.1.plus(get(&lim, k));
        }
    }
    w.line(0, "Allocated resources:");
    w.line(1, "(Total limits may be over 100 percent, i.e., overcommitted.)");
    w.line(1, "Resource\tRequests\tLimits");
    w.line(1, "--------\t--------\t------");
    for k in ["cpu", "memory", "ephemeral-storage"] {
        let (r, l) = totals.get(k).copied().unwrap_or((Quantity::ZERO, Quantity::ZERO));
        let total = alloc_q(k);
        let milli = k == "cpu";
        w.line(
            1,
            &format!(
                "{k}\t{r} ({}%)\t{l} ({}%)",
                pct(&r, &total, milli),
                pct(&l, &total, milli)
            ),
        );
    }
    for k in alloc.keys().filter(|k| k.starts_with("hugepages-")) {
        w.line(1, &format!("{k}\t0 (0%)\t0 (0%)"));
    }
    events_section(&mut w, world, &Object::Node(n.clone()));
    w.finish()
}

/// `resourcehelper.PodRequestsAndLimits`: app containers summed, the largest init container
/// taken when larger, plus overhead.
fn pod_requests_and_limits(p: &Pod) -> (BTreeMap<String, Quantity>, BTreeMap<String, Quantity>) {
    let mut req: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut lim: BTreeMap<String, Quantity> = BTreeMap::new();
    let Some(spec) = &p.spec else {
        return (req, lim);
    };
    let add = |into: &mut BTreeMap<String, Quantity>,
               from: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>| {
        for (k, v) in from.into_iter().flatten() {
            if let Ok(q) = Quantity::parse(&v.0) {
                let e = into.entry(k.clone()).or_insert(Quantity::from_value(0, q.format()));
                *e = e.plus(q);
            }
        }
    };
    for c in &spec.containers {
        let r = c.resources.as_ref();
        add(&mut req, r.and_then(|r| r.requests.as_ref()));
        add(&mut lim, r.and_then(|r| r.limits.as_ref()));
    }
    for c in spec.init_containers.iter().flatten() {
        let r = c.resources.as_ref();
        for (into, from) in [
            (&mut req, r.and_then(|r| r.requests.as_ref())),
            (&mut lim, r.and_then(|r| r.limits.as_ref())),
        ] {
            for (k, v) in from.into_iter().flatten() {
                if let Ok(q) = Quantity::parse(&v.0) {
                    let e = into
                        .entry(k.clone())
                        .or_insert(Quantity::from_value(0, Format::DecimalSi));
                    if q > *e {
                        *e = q;
                    }
                }
            }
        }
    }
    (req, lim)
}
