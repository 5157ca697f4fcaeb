//! `kubectl port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT...` (staging/src/k8s.io/kubectl/
//! pkg/cmd/portforward/portforward.go at v0.35.0): the pod is chosen as `exec` chooses it, a
//! Service's port is translated to its pod's target port, named ports to numbers, and the
//! forward holds the terminal (in the page until Ctrl-C; in a script until the next command)
//! after printing where it listens. Connections through it come with the networking work.

use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::cluster::World;
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::stream::Stream;
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};
use crate::session::io::Output;
use crate::sim::clock::Millis;
use crate::store::{Kind, Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[multi("address", None), flag("pod-running-timeout", None, true)];

/// `splitPort`.
fn split_port(port: &str) -> (String, String) {
    match port.split(':').collect::<Vec<_>>().as_slice() {
        [l, r] => (l.to_string(), r.to_string()),
        [p, ..] => (p.to_string(), p.to_string()),
        [] => (String::new(), String::new()),
    }
}

/// `LookupContainerPortNumberByName`.
fn named_container_port(pod: &Pod, name: &str) -> Result<i32, CmdError> {
    pod.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .flat_map(|c| c.ports.iter().flatten())
        .find(|p| p.name.as_deref() == Some(name))
        .map(|p| p.container_port)
        .ok_or_else(|| {
            CmdError::Msg(format!(
                "Pod '{}' does not have a named port '{name}'",
                pod.metadata.name.as_deref().unwrap_or("")
            ))
        })
}

/// `convertPodNamedPortToNumber`.
fn pod_ports(ports: &[String], pod: &Pod) -> Result<Vec<(String, i32)>, CmdError> {
    let mut out = Vec::new();
    for port in ports {
        let (local, remote) = split_port(port);
        if remote.is_empty() {
            return Err(CmdError::Msg("remote port cannot be empty".into()));
        }
        let number = match remote.parse::<i32>() {
            Ok(n) => n,
            Err(_) => named_container_port(pod, &remote)?,
        };
        let local = if local == remote { number.to_string() } else { local };
        out.push((local, number));
    }
    Ok(out)
}

/// `translateServicePortToTargetPort`.
fn service_ports(ports: &[String], svc: &Service, pod: &Pod) -> Result<Vec<(String, i32)>, CmdError> {
    let svc_name = svc.metadata.name.as_deref().unwrap_or("");
    let declared: Vec<_> = svc.spec.iter().flat_map(|s| s.ports.iter().flatten()).collect();
    let mut out = Vec::new();
    for port in ports {
        let (mut local, remote) = split_port(port);
        let number = match remote.parse::<i32>() {
            Ok(n) => n,
            Err(_) => {
                let n = declared
                    .iter()
                    .find(|p| p.name.as_deref() == Some(remote.as_str()))
                    .map(|p| p.port)
                    .ok_or_else(|| {
                        CmdError::Msg(format!("Service '{svc_name}' does not have a named port '{remote}'"))
                    })?;
                if local == remote {
                    local = n.to_string();
                }
                n
            }
        };
        let Some(sp) = declared.iter().find(|p| p.port == number) else {
            return Err(CmdError::Msg(format!(
                "Service {svc_name} does not have a service port {number}"
            )));
        };
        let target = match &sp.target_port {
            None => number,
            Some(IntOrString::Int(n)) => *n,
            Some(IntOrString::String(name)) => named_container_port(pod, name)?,
        };
        let local = if local == remote { target.to_string() } else { local };
        out.push((local, target));
    }
    Ok(out)
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("port-forward", e))?;
    if p.args.len() < 2 {
        return Err(usage_error(
            "port-forward",
            "TYPE/NAME and list of ports are required for port-forward",
        ));
    }
    let ns = ctx.namespace(&p);
    let resource = p.args[0].clone();
    let ports = &p.args[1..];
    let pod = super::logs::target_pod(&resource, &ns, "attach to", ctx)?;
    let forwards = match resource.split_once('/') {
        Some((t, name)) if crate::kubectl::resources::resolve_type(t) == Some(Kind::Service) => {
            let key = ObjectKey::new(Kind::Service, &ns, name);
            match ctx.world.api().store().get(&key) {
                Some(Object::Service(s)) => service_ports(ports, s, &pod)?,
                _ => pod_ports(ports, &pod)?,
            }
        }
        _ => pod_ports(ports, &pod)?,
    };
    let phase = pod.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default();
    if phase != "Running" {
        return Err(CmdError::Msg(format!(
            "unable to forward port because pod is not running. Current status={phase}"
        )));
    }
    let addresses = match p.all("address") {
        a if a.is_empty() => vec!["localhost".to_string()],
        a => a,
    };
    let mut rng = ctx.world.rng_for("kubectl/port-forward");
    let mut text = String::new();
    for (local, remote) in forwards {
        // An empty local port lets the system choose one from its ephemeral range.
        let local = if local.is_empty() {
            (32768 + rng.below(28232)).to_string()
        } else {
            local
        };
        for a in &addresses {
            let listens: Vec<String> = match a.as_str() {
                "localhost" => vec!["127.0.0.1".into(), "[::1]".into()],
                other if other.contains(':') => vec![format!("[{other}]")],
                other => vec![other.to_string()],
            };
            for l in listens {
                text.push_str(&format!("Forwarding from {l}:{local} -> {remote}\n"));
            }
        }
    }
    ctx.out.out(text);
    ctx.watch = Some(Box::new(Forward));
    Ok(0)
}

/// The forward while it holds the terminal.
struct Forward;

impl Stream for Forward {
    fn poll(&mut self, _world: &mut World, _out: &mut Output) {}

    fn close(self: Box<Self>, _world: &mut World) {}

    fn ends_at(&self) -> Millis {
        Millis::MAX
    }

    fn timed(&self) -> bool {
        false
    }
}
