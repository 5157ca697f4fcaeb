//! `kubectl create service clusterip|nodeport|loadbalancer|externalname` and
//! `kubectl create serviceaccount` (staging/src/k8s.io/kubectl/pkg/cmd/create/create_service.go,
//! create_serviceaccount.go). A Service is labelled and selects `app=<name>`; each `--tcp`
//! pair `port[:targetPort]` becomes a port named after the pair.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Service, ServiceAccount, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::create::{one_name, send, send_wrapped_with};
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::Object;

const SERVICE_HELP: &str = "Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]\n";

/// `create service TYPE NAME ...`.
pub fn service(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let Some(i) = args.iter().position(|a| !a.starts_with('-')) else {
        // `DefaultSubCommandRun`: the help on stderr, and exit 1.
        return Err(CmdError::Raw(SERVICE_HELP.into()));
    };
    let mut rest = args.to_vec();
    let sub = rest.remove(i);
    let (type_, extra): (&str, &[flags::FlagSpec]) = match sub.as_str() {
        "clusterip" => ("ClusterIP", &[flag("clusterip", None, true)]),
        "nodeport" => ("NodePort", &[flag("node-port", None, true)]),
        "loadbalancer" => ("LoadBalancer", &[]),
        "externalname" => ("ExternalName", &[flag("external-name", None, true)]),
        _ => return Err(super::create::unknown_subcommand("create service", args)),
    };
    let cmd = format!("create service {sub}");
    let mut specs: Vec<flags::FlagSpec> = vec![multi("tcp", None)];
    specs.extend_from_slice(extra);
    specs.extend_from_slice(&super::create::GENERATOR_FLAGS);
    let p = flags::parse(&rest, &specs).map_err(|e| flag_error(&cmd, e))?;
    // cobra checks required flags before the command sees its arguments.
    if type_ == "ExternalName" && !p.has("external-name") {
        return Err(CmdError::Msg("required flag(s) \"external-name\" not set".into()));
    }
    let name = one_name(&p, &cmd)?;
    let node_port: i32 = match p.get("node-port") {
        None => 0,
        Some(v) => v.parse().map_err(|_| {
            flag_error(
                &cmd,
                format!(
                    "invalid argument {v:?} for \"--node-port\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"
                ),
            )
        })?,
    };
    let cluster_ip = p.get("clusterip").unwrap_or("").to_string();
    let external_name = p.get("external-name").unwrap_or("").to_string();
    let tcp = p.all("tcp");
    // `ServiceOptions.Validate`.
    if cluster_ip == "None" && type_ != "ClusterIP" {
        return Err(CmdError::Msg(
            "ClusterIP=None can only be used with ClusterIP service type".into(),
        ));
    }
    if cluster_ip != "None" && tcp.is_empty() && type_ != "ExternalName" {
        return Err(CmdError::Msg("at least one tcp port specifier must be provided".into()));
    }
    if type_ == "ExternalName" && !crate::api::validation::names::dns1123_subdomain(&external_name).is_empty() {
        return Err(CmdError::Msg(format!("invalid service external name {external_name}")));
    }
    let mut ports = Vec::new();
    for pair in &tcp {
        let (port, target) = parse_ports(pair)?;
        ports.push(ServicePort {
            name: Some(pair.replace(':', "-")),
            port,
            target_port: Some(target),
            protocol: Some("TCP".into()),
            node_port: (node_port != 0).then_some(node_port),
            ..Default::default()
        });
    }
    let app: BTreeMap<String, String> = [("app".to_string(), name.clone())].into();
    let svc = Service {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: p.get("namespace").map(str::to_string),
            labels: Some(app.clone()),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            type_: Some(type_.into()),
            selector: Some(app),
            ports: (!ports.is_empty()).then_some(ports),
            external_name: (!external_name.is_empty()).then_some(external_name),
            cluster_ip: (!cluster_ip.is_empty()).then_some(cluster_ip),
            ..Default::default()
        }),
        // The generators' objects carry an empty load balancer status, as Go prints it.
        status: Some(k8s_openapi::api::core::v1::ServiceStatus {
            load_balancer: Some(Default::default()),
            ..Default::default()
        }),
    };
    send_wrapped_with(
        Object::Service(svc),
        &format!("failed to create {type_} service: "),
        &p,
        ctx,
    )
}

/// `parsePorts`: `port[:targetPort]`, the target a number or a port name.
fn parse_ports(pair: &str) -> Result<(i32, IntOrString), CmdError> {
    let mut parts = pair.split(':');
    let first = parts.next().unwrap_or("");
    let port = parse_uint16(first)?;
    let Some(target) = parts.next() else {
        return Ok((port, IntOrString::Int(port)));
    };
    match target.parse::<i64>() {
        Ok(n) => match i32::try_from(n) {
            Ok(n) if (1..=65535).contains(&n) => Ok((port, IntOrString::Int(n))),
            _ => Err(CmdError::Msg("must be between 1 and 65535, inclusive".into())),
        },
        Err(_) => {
            let errs = crate::api::validation::names::port_name(target);
            if !errs.is_empty() {
                return Err(CmdError::Msg(errs.join(",")));
            }
            Ok((port, IntOrString::String(target.to_string())))
        }
    }
}

/// `utilsnet.ParsePort(s, true)`: Go's `strconv.ParseUint(s, 10, 16)` and its errors.
fn parse_uint16(s: &str) -> Result<i32, CmdError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CmdError::Msg(format!(
            "strconv.ParseUint: parsing {s:?}: invalid syntax"
        )));
    }
    match s.parse::<u16>() {
        Ok(n) => Ok(i32::from(n)),
        Err(_) => Err(CmdError::Msg(format!(
            "strconv.ParseUint: parsing {s:?}: value out of range"
        ))),
    }
}

/// `create serviceaccount NAME`.
pub fn service_account(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create serviceaccount";
    let p = flags::parse(args, &super::create::GENERATOR_FLAGS).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    let sa = ServiceAccount {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: p.get("namespace").map(str::to_string),
            ..Default::default()
        },
        ..Default::default()
    };
    send(Object::ServiceAccount(sa), &p, ctx)
}
