//! `kubectl expose` (staging/src/k8s.io/kubectl/pkg/cmd/expose): a Service for a Deployment,
//! ReplicaSet, Pod or Service, its selector and ports found by introspection unless given
//! (`--port`, `--target-port`, `--protocol`, `--type`, `--name`, `--selector`, `--labels`).
//! Several container ports make a port each, named `port-1`, `port-2`...

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{PodSpec, Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::create::send_as;
use crate::api::ApiError;
use crate::kubectl::flags::{self, flag};
use crate::kubectl::resources::{Selection, parse_args};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::{Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[
    flag("port", None, true),
    flag("target-port", None, true),
    flag("protocol", None, true),
    flag("type", None, true),
    flag("name", None, true),
    flag("selector", None, true),
    flag("labels", Some('l'), true),
    flag("external-ip", None, true),
    flag("cluster-ip", None, true),
    flag("session-affinity", None, true),
    flag("load-balancer-ip", None, true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("save-config", None, false),
    flag("override-type", None, true),
    flag("overrides", None, true),
];

fn parse_map(s: &str) -> Result<BTreeMap<String, String>, CmdError> {
    let mut m = BTreeMap::new();
    for pair in s.split(',').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some((k, v)) => {
                m.insert(k.to_string(), v.to_string());
            }
            None => return Err(CmdError::Msg(format!("invalid label spec: {pair}"))),
        }
    }
    Ok(m)
}

/// A port and its protocol.
type Port = (i32, String);

/// The container ports of a pod spec, with their protocols.
fn container_ports(spec: Option<&PodSpec>) -> Vec<Port> {
    spec.into_iter()
        .flat_map(|s| s.containers.iter())
        .flat_map(|c| c.ports.iter().flatten())
        .map(|p| (p.container_port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
        .collect()
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("expose", e))?;
    super::create::check_output(&p, ctx)?;
    super::create::dry_run(&p)?;
    let ns = ctx.namespace(&p);
    let key = match parse_args(&p.args).map_err(CmdError::Msg)? {
        Selection::Names(n) if n.len() == 1 => n
            .into_iter()
            .next()
            .map(|(k, name)| ObjectKey::new(k, &ns, &name))
            .ok_or_else(|| CmdError::Msg("resource(s) were provided, but no name was specified".into()))?,
        Selection::Names(_) => {
            return Err(CmdError::Msg("error: expose requires exactly one resource".into()));
        }
        Selection::Types(k) if k.is_empty() => {
            return Err(CmdError::Msg("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".into()));
        }
        Selection::Types(_) => {
            return Err(CmdError::Msg(
                "resource(s) were provided, but no name was specified".into(),
            ));
        }
    };
    let Some(obj) = ctx.world.api().store().get(&key).cloned() else {
        return Err(ApiError::not_found(&key.kind.info().resource_group(), &key.name).into());
    };
    let what = key.kind.name().to_lowercase();
    let (selector, ports): (Option<BTreeMap<String, String>>, Vec<Port>) = match &obj {
        Object::Deployment(d) => {
            let s = d.spec.clone().unwrap_or_default();
            (
                s.selector.match_labels.clone(),
                container_ports(s.template.spec.as_ref()),
            )
        }
        Object::ReplicaSet(r) => {
            let s = r.spec.clone().unwrap_or_default();
            (
                s.selector.match_labels.clone(),
                container_ports(s.template.as_ref().and_then(|t| t.spec.as_ref())),
            )
        }
        Object::Pod(pod) => (pod.metadata.labels.clone(), container_ports(pod.spec.as_ref())),
        Object::Service(svc) => {
            let s = svc.spec.clone().unwrap_or_default();
            let ports = s
                .ports
                .iter()
                .flatten()
                .map(|p| (p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
                .collect();
            (s.selector.clone(), ports)
        }
        _ => return Err(CmdError::Msg(format!("cannot expose a {}", key.kind.name()))),
    };
    let selector = match p.get("selector") {
        Some(s) => Some(parse_map(s)?),
        None => selector.filter(|m| !m.is_empty()),
    };
    let Some(selector) = selector else {
        return Err(CmdError::Msg(format!(
            "couldn't retrieve selectors via --selector flag or introspection: the {what} has no labels and cannot be exposed"
        )));
    };
    let ports: Vec<Port> = match p.get("port") {
        Some(port) => {
            let n: i32 = port.parse().map_err(|_| {
                CmdError::Msg(format!(
                    "invalid argument {port:?} for \"--port\" flag: strconv.ParseInt: parsing {port:?}: invalid syntax"
                ))
            })?;
            let proto = ports.first().map_or_else(|| "TCP".to_string(), |(_, pr)| pr.clone());
            vec![(n, proto)]
        }
        None if ports.is_empty() => {
            return Err(CmdError::Msg(
                "couldn't find port via --port flag or introspection".into(),
            ));
        }
        None => ports,
    };
    let protocol = p.get("protocol").map(str::to_string);
    let target = p.get("target-port").map(|t| match t.parse::<i32>() {
        Ok(n) => IntOrString::Int(n),
        Err(_) => IntOrString::String(t.to_string()),
    });
    let many = ports.len() > 1;
    let service_ports: Vec<ServicePort> = ports
        .iter()
        .enumerate()
        .map(|(i, (port, proto))| ServicePort {
            name: many.then(|| format!("port-{}", i.saturating_add(1))),
            port: *port,
            protocol: Some(protocol.clone().unwrap_or_else(|| proto.clone())),
            target_port: Some(target.clone().unwrap_or(IntOrString::Int(*port))),
            ..Default::default()
        })
        .collect();
    let labels = match p.get("labels") {
        Some(l) => Some(parse_map(l)?),
        None => obj.meta().labels.clone(),
    };
    let svc = Service {
        metadata: ObjectMeta {
            name: Some(p.get("name").unwrap_or(&key.name).to_string()),
            namespace: p.get("namespace").map(str::to_string),
            labels,
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            selector: Some(selector),
            ports: Some(service_ports),
            type_: p.get("type").map(str::to_string),
            cluster_ip: p.get("cluster-ip").map(str::to_string),
            external_ips: p.get("external-ip").map(|e| e.split(',').map(str::to_string).collect()),
            session_affinity: p.get("session-affinity").map(str::to_string),
            ..Default::default()
        }),
        // The generator's zero status prints as `status: {loadBalancer: {}}`.
        status: Some(k8s_openapi::api::core::v1::ServiceStatus {
            load_balancer: Some(Default::default()),
            ..Default::default()
        }),
    };
    send_as(Object::Service(svc), "exposed", &p, ctx)
}
