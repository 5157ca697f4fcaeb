//! `kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]]`
//! (staging/src/k8s.io/kubectl/pkg/cmd/create/create_ingress.go): rules grouped by host, a
//! path ending in `*` is a Prefix path and any other is Exact, TLS entries per secret.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule, IngressServiceBackend, IngressSpec,
    IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::create::{one_name, send_wrapped_with};
use crate::kubectl::flags::{self, array, flag};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::Object;

const FLAGS: &[flags::FlagSpec] = &[
    flag("class", None, true),
    array("rule", None),
    flag("default-backend", None, true),
    array("annotation", None),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("save-config", None, false),
    flag("validate", None, true),
    flag("field-manager", None, true),
];

/// Go's `\w`: ASCII letters, digits and underscore.
fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `ruleRegex`: `^([\w*\-.]*)(/[^,=\n]*)=([\w\-]+):([\w\-]+)(,tls=?([\w\-]+)?)?$`.
fn rule_matches(rule: &str) -> bool {
    let b = rule.as_bytes();
    let mut i = b
        .iter()
        .take_while(|c| word(**c) || matches!(c, b'*' | b'-' | b'.'))
        .count();
    if b.get(i) != Some(&b'/') {
        return false;
    }
    i += 1 + b[i + 1..]
        .iter()
        .take_while(|c| !matches!(c, b',' | b'=' | b'\n'))
        .count();
    if b.get(i) != Some(&b'=') {
        return false;
    }
    i += 1;
    let name = b[i..].iter().take_while(|c| word(**c) || **c == b'-').count();
    if name == 0 || b.get(i + name) != Some(&b':') {
        return false;
    }
    i += name + 1;
    let port = b[i..].iter().take_while(|c| word(**c) || **c == b'-').count();
    if port == 0 {
        return false;
    }
    i += port;
    let rest = &rule[i..];
    if rest.is_empty() {
        return true;
    }
    let Some(tls) = rest.strip_prefix(",tls") else {
        return false;
    };
    let secret = tls.strip_prefix('=').unwrap_or(tls);
    secret.bytes().all(|c| word(c) || c == b'-')
}

/// `buildIngressBackendSvc`: `name:port`, the port a number or a port name.
fn backend(service: &str) -> IngressBackend {
    let mut parts = service.split(':');
    let name = parts.next().unwrap_or("").to_string();
    let port = parts.next().unwrap_or("");
    let port = match port.parse::<i32>() {
        Ok(n) => ServiceBackendPort {
            number: Some(n),
            ..Default::default()
        },
        Err(_) => ServiceBackendPort {
            name: Some(port.to_string()),
            ..Default::default()
        },
    };
    IngressBackend {
        service: Some(IngressServiceBackend { name, port: Some(port) }),
        ..Default::default()
    }
}

/// `buildHTTPIngressPath`.
fn http_path(path_and_service: &str) -> HTTPIngressPath {
    let mut parts = path_and_service.split('=');
    let mut path = format!("/{}", parts.next().unwrap_or(""));
    let service = parts.next().unwrap_or("");
    let path_type = if path.ends_with('*') {
        path.pop();
        "Prefix"
    } else {
        "Exact"
    };
    HTTPIngressPath {
        path: Some(path),
        path_type: path_type.into(),
        backend: backend(service),
    }
}

pub fn ingress(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create ingress";
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    let rules = p.all("rule");
    let default_backend = p.get("default-backend").unwrap_or("");
    if default_backend.is_empty() && rules.is_empty() {
        return Err(CmdError::Msg("not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)".into()));
    }
    if let Some(bad) = rules.iter().find(|r| !rule_matches(r)) {
        return Err(CmdError::Msg(format!(
            "rule {bad} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]"
        )));
    }
    let mut annotations = BTreeMap::new();
    for a in p.all("annotation") {
        let Some((k, v)) = a.split_once('=') else {
            return Err(CmdError::Msg(format!(
                "annotation {a} is invalid and should be in format key=[value]"
            )));
        };
        annotations.insert(k.to_string(), v.to_string());
    }
    if !default_backend.is_empty() && default_backend.split(':').count() != 2 {
        return Err(CmdError::Msg(
            "default-backend should be in format servicename:serviceport".into(),
        ));
    }
    // `buildTLSRules`: one entry per secret, each host once.
    let mut tls: Vec<IngressTLS> = Vec::new();
    let mut hosts_seen: Vec<String> = Vec::new();
    for rule in &rules {
        let parts: Vec<&str> = rule.split(',').collect();
        if parts.len() != 2 {
            continue;
        }
        let host = rule.split('/').next().unwrap_or("").to_string();
        let secret = parts[1].split('=').nth(1).unwrap_or("").to_string();
        if hosts_seen.contains(&host) {
            continue;
        }
        hosts_seen.push(host.clone());
        if let Some(t) = tls
            .iter_mut()
            .find(|t| t.secret_name.clone().unwrap_or_default() == secret)
        {
            t.hosts.get_or_insert_with(Vec::new).push(host);
            continue;
        }
        let entry = IngressTLS {
            hosts: (!host.is_empty()).then(|| vec![host]),
            secret_name: (!secret.is_empty()).then_some(secret),
        };
        if entry.hosts.is_some() || entry.secret_name.is_some() {
            tls.push(entry);
        }
    }
    // `buildIngressRules`: paths of the same host share a rule.
    let mut ingress_rules: Vec<IngressRule> = Vec::new();
    for rule in &rules {
        let without_tls = rule.split(',').next().unwrap_or("");
        let (host, rest) = without_tls.split_once('/').unwrap_or((without_tls, ""));
        let path = http_path(rest);
        let host = (!host.is_empty()).then(|| host.to_string());
        if let Some(r) = ingress_rules.iter_mut().find(|r| r.host == host) {
            if let Some(http) = r.http.as_mut() {
                http.paths.push(path);
            }
            continue;
        }
        ingress_rules.push(IngressRule {
            host,
            http: Some(HTTPIngressRuleValue { paths: vec![path] }),
        });
    }
    let ing = Ingress {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: p.get("namespace").map(str::to_string),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..Default::default()
        },
        spec: Some(IngressSpec {
            ingress_class_name: p.get("class").filter(|c| !c.is_empty()).map(str::to_string),
            default_backend: (!default_backend.is_empty()).then(|| backend(default_backend)),
            tls: (!tls.is_empty()).then_some(tls),
            rules: (!ingress_rules.is_empty()).then_some(ingress_rules),
        }),
        // The generators' objects carry an empty load balancer status, as Go prints it.
        status: Some(k8s_openapi::api::networking::v1::IngressStatus {
            load_balancer: Some(Default::default()),
        }),
    };
    send_wrapped_with(Object::Ingress(ing), "failed to create ingress: ", &p, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_as_the_regex_reads_them() {
        for ok in [
            "foo.com/bar=svc1:8080,tls=my-cert",
            "/path=svc:port",
            "foo.com/=svc:80",
            "*.foo.com/a*=s:http,tls",
        ] {
            assert!(rule_matches(ok), "{ok}");
        }
        for bad in [
            "bad",
            "foo.com=svc:80",
            "foo.com/a=svc",
            "foo.com/a=svc:80,tl",
            "foo.com/a=s:80,tls=a.b",
        ] {
            assert!(!rule_matches(bad), "{bad}");
        }
    }
}
