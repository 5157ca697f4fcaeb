//! `kubectl describe pod` (kubectl/pkg/describe/describe.go `describePod`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, ContainerState, ContainerStatus, Pod, Probe, Toleration, Volume};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::{Writer, annotations_multiline, events_section, labels_multiline, rfc1123z};
use crate::api::admission::qos_class;
use crate::cluster::World;
use crate::kubectl::printers::duration::since_time;
use crate::store::Object;

pub fn describe(world: &World, p: &Pod) -> String {
    let mut w = Writer::default();
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    let m = &p.metadata;
    w.line(0, &format!("Name:\t{}", m.name.as_deref().unwrap_or("")));
    w.line(0, &format!("Namespace:\t{}", m.namespace.as_deref().unwrap_or("")));
    if let Some(pr) = spec.priority {
        w.line(0, &format!("Priority:\t{pr}"));
    }
    if let Some(pc) = &spec.priority_class_name {
        w.line(0, &format!("Priority Class Name:\t{pc}"));
    }
    if let Some(rc) = &spec.runtime_class_name {
        w.line(0, &format!("Runtime Class Name:\t{rc}"));
    }
    if let Some(sa) = spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        w.line(0, &format!("Service Account:\t{sa}"));
    }
    match spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => w.line(0, &format!("Node:\t{n}/{}", st.host_ip.as_deref().unwrap_or(""))),
        None => w.line(0, "Node:\t<none>"),
    }
    if let Some(t) = &st.start_time {
        w.line(0, &format!("Start Time:\t{}", rfc1123z(t)));
    }
    labels_multiline(&mut w, "Labels", m.labels.as_ref());
    annotations_multiline(&mut w, m.annotations.as_ref());
    let phase = st.phase.clone().unwrap_or_default();
    if let Some(dt) = m
        .deletion_timestamp
        .as_ref()
        .filter(|_| phase != "Failed" && phase != "Succeeded")
    {
        w.line(
            0,
            &format!(
                "Status:\tTerminating (lasts {})",
                since_time(Some(dt), world.now()).trim_start_matches('-')
            ),
        );
        w.line(
            0,
            &format!(
                "Termination Grace Period:\t{}s",
                m.deletion_grace_period_seconds.unwrap_or(0)
            ),
        );
    } else {
        w.line(0, &format!("Status:\t{phase}"));
    }
    if let Some(r) = st.reason.as_deref().filter(|r| !r.is_empty()) {
        w.line(0, &format!("Reason:\t{r}"));
    }
    if let Some(msg) = st.message.as_deref().filter(|r| !r.is_empty()) {
        w.line(0, &format!("Message:\t{msg}"));
    }
    w.line(0, &format!("IP:\t{}", st.pod_ip.as_deref().unwrap_or("")));
    match st.pod_ips.as_deref() {
        Some(ips) if !ips.is_empty() => {
            w.line(0, "IPs:");
            for ip in ips {
                w.line(1, &format!("IP:\t{}", ip.ip));
            }
        }
        _ => w.line(0, "IPs:\t<none>"),
    }
    if let Some(owner) = m.owner_references.iter().flatten().find(|o| o.controller == Some(true)) {
        w.line(0, &format!("Controlled By:\t{}/{}", owner.kind, owner.name));
    }
    if let Some(n) = &st.nominated_node_name {
        w.line(0, &format!("NominatedNodeName:\t{n}"));
    }
    let statuses: BTreeMap<String, ContainerStatus> = st
        .init_container_statuses
        .iter()
        .flatten()
        .chain(st.container_statuses.iter().flatten())
        .map(|s| (s.name.clone(), s.clone()))
        .collect();
    if let Some(init) = spec.init_containers.as_deref().filter(|i| !i.is_empty()) {
        containers(&mut w, "Init Containers", init, &statuses, p, false);
    }
    containers(&mut w, "Containers", &spec.containers, &statuses, p, false);
    let conds = st.conditions.clone().unwrap_or_default();
    if !conds.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus");
        for c in &conds {
            w.line(1, &format!("{} \t{} ", c.type_, c.status));
        }
    }
    volumes(&mut w, spec.volumes.as_deref().unwrap_or(&[]));
    w.line(
        0,
        &format!(
            "QoS Class:\t{}",
            st.qos_class.clone().unwrap_or_else(|| qos_class(p).to_string())
        ),
    );
    labels_multiline(&mut w, "Node-Selectors", spec.node_selector.as_ref());
    tolerations(&mut w, spec.tolerations.as_deref().unwrap_or(&[]));
    events_section(&mut w, world, &Object::Pod(p.clone()));
    w.finish()
}

fn bool_word(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// The containers section. In a pod template (`template`) the title sits one level deeper
/// and each name one space further in, as `DescribePodTemplate` writes them.
pub(super) fn containers(
    w: &mut Writer,
    title: &str,
    cs: &[Container],
    statuses: &BTreeMap<String, ContainerStatus>,
    pod: &Pod,
    template: bool,
) {
    let (title_level, name_prefix) = if template { (1, " ") } else { (0, "") };
    if cs.is_empty() {
        w.line(title_level, &format!("{title}: <none>"));
        return;
    }
    w.line(title_level, &format!("{title}:"));
    for c in cs {
        let status = statuses.get(&c.name);
        w.line(1, &format!("{name_prefix}{}:", c.name));
        if let Some(s) = status {
            w.line(
                2,
                &format!("Container ID:\t{}", s.container_id.as_deref().unwrap_or("")),
            );
        }
        w.line(2, &format!("Image:\t{}", c.image.as_deref().unwrap_or("")));
        if let Some(s) = status {
            w.line(2, &format!("Image ID:\t{}", s.image_id));
        }
        let ports: Vec<String> = c
            .ports
            .iter()
            .flatten()
            .map(|p| {
                named(
                    format!("{}/{}", p.container_port, p.protocol.as_deref().unwrap_or("TCP")),
                    p.name.as_deref(),
                )
            })
            .collect();
        let host_ports: Vec<String> = c
            .ports
            .iter()
            .flatten()
            .map(|p| {
                named(
                    format!(
                        "{}/{}",
                        p.host_port.unwrap_or(0),
                        p.protocol.as_deref().unwrap_or("TCP")
                    ),
                    p.name.as_deref(),
                )
            })
            .collect();
        for (one, many, list) in [("Port", "Ports", ports), ("Host Port", "Host Ports", host_ports)] {
            let joined = list.join(", ");
            if joined.contains(',') {
                w.line(2, &format!("{many}:\t{joined}"));
            } else {
                w.line(
                    2,
                    &format!("{one}:\t{}", if joined.is_empty() { "<none>" } else { &joined }),
                );
            }
        }
        for (label, items) in [("Command", &c.command), ("Args", &c.args)] {
            if let Some(items) = items.as_ref().filter(|i| !i.is_empty()) {
                w.line(2, &format!("{label}:"));
                for item in items {
                    for l in item.split('\n') {
                        w.line(3, l);
                    }
                }
            }
        }
        if let Some(s) = status {
            state(w, "State", s.state.as_ref());
            if s.last_state.as_ref().and_then(|l| l.terminated.as_ref()).is_some() {
                state(w, "Last State", s.last_state.as_ref());
            }
            w.line(2, &format!("Ready:\t{}", bool_word(s.ready)));
            w.line(2, &format!("Restart Count:\t{}", s.restart_count));
        }
        if let Some(r) = &c.resources {
            for (label, list) in [("Limits", &r.limits), ("Requests", &r.requests)] {
                if let Some(list) = list.as_ref().filter(|l| !l.is_empty()) {
                    w.line(2, &format!("{label}:"));
                    for (k, v) in list {
                        w.line(3, &format!("{k}:\t{}", v.0));
                    }
                }
            }
        }
        for (label, probe) in [
            ("Liveness", &c.liveness_probe),
            ("Readiness", &c.readiness_probe),
            ("Startup", &c.startup_probe),
        ] {
            if let Some(p) = probe {
                w.line(2, &format!("{label}:\t{}", describe_probe(p)));
            }
        }
        env_from(w, c);
        env(w, c, pod);
        let mut mounts = c.volume_mounts.clone().unwrap_or_default();
        mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
        if mounts.is_empty() {
            w.line(2, "Mounts:\t<none>");
        } else {
            w.line(2, "Mounts:");
            for m in mounts {
                let mut flags = if m.read_only == Some(true) {
                    "ro".to_string()
                } else {
                    "rw".to_string()
                };
                if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
                    flags.push_str(&format!(",path={sp:?}"));
                }
                w.line(3, &format!("{} from {} ({flags})", m.mount_path, m.name));
            }
        }
    }
}

fn named(s: String, name: Option<&str>) -> String {
    match name {
        Some(n) if !n.is_empty() => format!("{s} ({n})"),
        _ => s,
    }
}

fn state(w: &mut Writer, label: &str, s: Option<&ContainerState>) {
    let Some(s) = s else { return };
    if let Some(r) = &s.running {
        w.line(2, &format!("{label}:\tRunning"));
        if let Some(t) = &r.started_at {
            w.line(3, &format!("Started:\t{}", rfc1123z(t)));
        }
    } else if let Some(wt) = &s.waiting {
        w.line(2, &format!("{label}:\tWaiting"));
        if let Some(r) = wt.reason.as_deref().filter(|r| !r.is_empty()) {
            w.line(3, &format!("Reason:\t{r}"));
        }
    } else if let Some(t) = &s.terminated {
        w.line(2, &format!("{label}:\tTerminated"));
        if let Some(r) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            w.line(3, &format!("Reason:\t{r}"));
        }
        if let Some(msg) = t.message.as_deref().filter(|r| !r.is_empty()) {
            w.line(3, &format!("Message:\t{msg}"));
        }
        w.line(3, &format!("Exit Code:\t{}", t.exit_code));
        if let Some(sig) = t.signal.filter(|s| *s > 0) {
            w.line(3, &format!("Signal:\t{sig}"));
        }
        if let Some(at) = &t.started_at {
            w.line(3, &format!("Started:\t{}", rfc1123z(at)));
        }
        if let Some(at) = &t.finished_at {
            w.line(3, &format!("Finished:\t{}", rfc1123z(at)));
        }
    } else {
        w.line(2, &format!("{label}:\tWaiting"));
    }
}

/// `DescribeProbe`: `http-get http://:http-port/index.html delay=15s timeout=1s period=20s #success=1 #failure=4`.
pub fn describe_probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    let port = |p: &IntOrString| match p {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    if let Some(e) = &p.exec {
        return format!("exec [{}] {attrs}", e.command.clone().unwrap_or_default().join(" "));
    }
    if let Some(h) = &p.http_get {
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let host = h.host.clone().unwrap_or_default();
        return format!(
            "http-get {scheme}://{host}:{}{} {attrs}",
            port(&h.port),
            h.path.as_deref().unwrap_or("")
        );
    }
    if let Some(t) = &p.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            t.host.clone().unwrap_or_default(),
            port(&t.port)
        );
    }
    if let Some(g) = &p.grpc {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            g.port,
            g.service.clone().unwrap_or_default()
        );
    }
    format!("unknown {attrs}")
}

fn env_from(w: &mut Writer, c: &Container) {
    let Some(from) = c.env_from.as_ref().filter(|f| !f.is_empty()) else {
        return;
    };
    w.line(2, "Environment Variables from:");
    for f in from {
        let (name, kind, optional) = match (&f.config_map_ref, &f.secret_ref) {
            (Some(r), _) => (r.name.clone(), "ConfigMap", r.optional.unwrap_or(false)),
            (_, Some(r)) => (r.name.clone(), "Secret", r.optional.unwrap_or(false)),
            _ => continue,
        };
        let prefix = match f.prefix.as_deref() {
            Some(p) if !p.is_empty() => format!(" with prefix '{p}'"),
            _ => String::new(),
        };
        w.line(3, &format!("{name}\t{kind}{prefix}\tOptional: {optional}"));
    }
}

fn env(w: &mut Writer, c: &Container, pod: &Pod) {
    let Some(vars) = c.env.as_ref().filter(|e| !e.is_empty()) else {
        w.line(2, "Environment:\t<none>");
        return;
    };
    w.line(2, "Environment:");
    for e in vars {
        match &e.value_from {
            None => {
                let v = e.value.clone().unwrap_or_default();
                let mut lines = v.split('\n');
                w.line(3, &format!("{}:\t{}", e.name, lines.next().unwrap_or("")));
                for l in lines {
                    w.line(3, &format!("\t{l}"));
                }
            }
            Some(from) => {
                if let Some(f) = &from.field_ref {
                    let v = crate::kubelet::env::resolve_field(pod, &f.field_path);
                    w.line(
                        3,
                        &format!(
                            "{}:\t{v} ({}:{})",
                            e.name,
                            f.api_version.as_deref().unwrap_or("v1"),
                            f.field_path
                        ),
                    );
                } else if let Some(r) = &from.resource_field_ref {
                    w.line(3, &format!("{}:\t{} ({})", e.name, "node allocatable", r.resource));
                } else if let Some(r) = &from.secret_key_ref {
                    w.line(
                        3,
                        &format!(
                            "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}",
                            e.name,
                            r.key,
                            r.name,
                            r.optional.unwrap_or(false)
                        ),
                    );
                } else if let Some(r) = &from.config_map_key_ref {
                    w.line(
                        3,
                        &format!(
                            "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}",
                            e.name,
                            r.key,
                            r.name,
                            r.optional.unwrap_or(false)
                        ),
                    );
                }
            }
        }
    }
}

pub(super) fn volumes(w: &mut Writer, vols: &[Volume]) {
    if vols.is_empty() {
        w.line(0, "Volumes:\t<none>");
        return;
    }
    w.line(0, "Volumes:");
    for v in vols {
        w.line(1, &format!("{}:", v.name));
        if let Some(e) = &v.empty_dir {
            w.line(
                2,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)",
            );
            w.line(2, &format!("Medium:\t{}", e.medium.as_deref().unwrap_or("")));
            w.line(
                2,
                &format!(
                    "SizeLimit:\t{}",
                    e.size_limit.as_ref().map_or("<unset>".to_string(), |q| q.0.clone())
                ),
            );
        } else if let Some(p) = &v.projected {
            w.line(
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)",
            );
            for s in p.sources.iter().flatten() {
                if let Some(t) = &s.service_account_token {
                    w.line(
                        2,
                        &format!("TokenExpirationSeconds:\t{}", t.expiration_seconds.unwrap_or(3600)),
                    );
                }
                if let Some(cm) = &s.config_map {
                    w.line(2, &format!("ConfigMapName:\t{}", cm.name));
                    w.line(2, &format!("Optional:\t{}", cm.optional.unwrap_or(false)));
                }
                if s.downward_api.is_some() {
                    w.line(2, "DownwardAPI:\ttrue");
                }
                if let Some(sec) = &s.secret {
                    w.line(2, &format!("SecretName:\t{}", sec.name));
                    w.line(2, &format!("Optional:\t{}", sec.optional.unwrap_or(false)));
                }
            }
        } else if let Some(cm) = &v.config_map {
            w.line(2, "Type:\tConfigMap (a volume populated by a ConfigMap)");
            w.line(2, &format!("Name:\t{}", cm.name));
            w.line(2, &format!("Optional:\t{}", cm.optional.unwrap_or(false)));
        } else if let Some(s) = &v.secret {
            w.line(2, "Type:\tSecret (a volume populated by a Secret)");
            w.line(2, &format!("SecretName:\t{}", s.secret_name.as_deref().unwrap_or("")));
            w.line(2, &format!("Optional:\t{}", s.optional.unwrap_or(false)));
        } else if let Some(h) = &v.host_path {
            w.line(2, "Type:\tHostPath (bare host directory volume)");
            w.line(2, &format!("Path:\t{}", h.path));
            w.line(
                2,
                &format!(
                    "HostPathType:\t{}",
                    h.type_.as_deref().filter(|t| !t.is_empty()).unwrap_or("<none>")
                ),
            );
        } else if let Some(c) = &v.persistent_volume_claim {
            w.line(
                2,
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            );
            w.line(2, &format!("ClaimName:\t{}", c.claim_name));
            w.line(2, &format!("ReadOnly:\t{}", c.read_only.unwrap_or(false)));
        } else if let Some(n) = &v.nfs {
            w.line(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)");
            w.line(2, &format!("Server:\t{}", n.server));
            w.line(2, &format!("Path:\t{}", n.path));
            w.line(2, &format!("ReadOnly:\t{}", n.read_only.unwrap_or(false)));
        }
    }
}

/// `printPodTolerationsMultiline`.
pub(super) fn tolerations(w: &mut Writer, ts: &[Toleration]) {
    if ts.is_empty() {
        w.line(0, "Tolerations:\t<none>");
        return;
    }
    let mut sorted = ts.to_vec();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.iter().enumerate() {
        let mut s = t.key.clone().unwrap_or_default();
        if let Some(v) = t.value.as_deref().filter(|v| !v.is_empty()) {
            s.push('=');
            s.push_str(v);
        }
        if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
            s.push(':');
            s.push_str(e);
        }
        if t.operator.as_deref() == Some("Exists") && t.value.as_deref().unwrap_or("").is_empty() {
            if t.key.as_deref().unwrap_or("").is_empty() && t.effect.as_deref().unwrap_or("").is_empty() {
                s.push_str("op=Exists");
            } else {
                s.push_str(" op=Exists");
            }
        }
        if let Some(secs) = t.toleration_seconds {
            s.push_str(&format!(" for {secs}s"));
        }
        let prefix = if i == 0 { "Tolerations:" } else { "" };
        w.line(0, &format!("{prefix}\t{s}"));
    }
}
