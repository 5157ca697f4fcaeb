//! A container's environment, as `makeEnvironmentVariables` builds it: service links first,
//! then `envFrom`, then `env` (later wins), with `$(VAR)` references expanded and ConfigMap,
//! Secret and field references resolved. A missing non-optional source is the
//! `CreateContainerConfigError` message (`configmap "x" not found`).

use k8s_openapi::api::core::v1::{Container, Pod};

use crate::api::ApiServer;
use crate::store::{Kind, Object};

/// `$(VAR)` expansion of kubelet's `expansion.Expand`: unknown references stay as written,
/// `$$` escapes.
pub fn expand(s: &str, env: &[(String, String)]) -> String {
    let mut out = String::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() {
            if b[i + 1] == b'$' {
                out.push('$');
                i += 2;
                continue;
            }
            if b[i + 1] == b'('
                && let Some(end) = s[i + 2..].find(')')
            {
                let name = &s[i + 2..i + 2 + end];
                match env.iter().rev().find(|(k, _)| k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&s[i..i + 3 + end]),
                }
                i += 3 + end;
                continue;
            }
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn service_env(pod: &Pod, api: &ApiServer) -> Vec<(String, String)> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut out = Vec::new();
    let links = pod.spec.as_ref().and_then(|s| s.enable_service_links).unwrap_or(true);
    let mut services: Vec<&k8s_openapi::api::core::v1::Service> = Vec::new();
    for o in api.list(Kind::Service, Some("default")) {
        if let Object::Service(s) = o
            && (s.metadata.name.as_deref() == Some("kubernetes") || (links && ns == "default"))
        {
            services.push(s);
        }
    }
    if links && ns != "default" {
        services.extend(
            api.list(Kind::Service, Some(ns))
                .filter_map(|o| if let Object::Service(s) = o { Some(s) } else { None }),
        );
    }
    for s in services {
        let Some(spec) = &s.spec else { continue };
        let Some(ip) = spec.cluster_ip.as_deref().filter(|ip| *ip != "None" && !ip.is_empty()) else {
            continue;
        };
        let Some(first) = spec.ports.as_ref().and_then(|p| p.first()) else {
            continue;
        };
        let name = s
            .metadata
            .name
            .as_deref()
            .unwrap_or("")
            .to_uppercase()
            .replace('-', "_");
        out.push((format!("{name}_SERVICE_HOST"), ip.to_string()));
        out.push((format!("{name}_SERVICE_PORT"), first.port.to_string()));
        for p in spec.ports.iter().flatten() {
            if let Some(pn) = &p.name {
                out.push((
                    format!("{name}_SERVICE_PORT_{}", pn.to_uppercase().replace('-', "_")),
                    p.port.to_string(),
                ));
            }
        }
        let proto = |p: &k8s_openapi::api::core::v1::ServicePort| p.protocol.clone().unwrap_or_else(|| "TCP".into());
        out.push((
            format!("{name}_PORT"),
            format!("{}://{ip}:{}", proto(first).to_lowercase(), first.port),
        ));
        for p in spec.ports.iter().flatten() {
            let pr = proto(p);
            let base = format!("{name}_PORT_{}_{}", p.port, pr);
            out.push((base.clone(), format!("{}://{ip}:{}", pr.to_lowercase(), p.port)));
            out.push((format!("{base}_PROTO"), pr.to_lowercase()));
            out.push((format!("{base}_PORT"), p.port.to_string()));
            out.push((format!("{base}_ADDR"), ip.to_string()));
        }
    }
    out
}

fn config_value(api: &ApiServer, ns: &str, kind: Kind, name: &str, key: &str) -> Result<Option<String>, String> {
    let word = if kind == Kind::Secret { "secret" } else { "configmap" };
    match api.get(kind, ns, name) {
        None => Err(format!("{word} {name:?} not found")),
        Some(Object::ConfigMap(cm)) => Ok(cm.data.as_ref().and_then(|d| d.get(key)).cloned()),
        Some(Object::Secret(s)) => Ok(s
            .data
            .as_ref()
            .and_then(|d| d.get(key))
            .map(|b| String::from_utf8_lossy(&b.0).into_owned())),
        Some(_) => Ok(None),
    }
}

fn field_value(pod: &Pod, path: &str, pod_ip: Option<&str>, host_ip: &str) -> String {
    let m = &pod.metadata;
    match path {
        "metadata.name" => m.name.clone().unwrap_or_default(),
        "metadata.namespace" => m.namespace.clone().unwrap_or_default(),
        "metadata.uid" => m.uid.clone().unwrap_or_default(),
        "spec.nodeName" => pod.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default(),
        "spec.serviceAccountName" => pod
            .spec
            .as_ref()
            .and_then(|s| s.service_account_name.clone())
            .unwrap_or_default(),
        "status.podIP" | "status.podIPs" => pod_ip.unwrap_or("").to_string(),
        "status.hostIP" | "status.hostIPs" => host_ip.to_string(),
        p => {
            let label = p.strip_prefix("metadata.labels['").and_then(|r| r.strip_suffix("']"));
            let ann = p
                .strip_prefix("metadata.annotations['")
                .and_then(|r| r.strip_suffix("']"));
            match (label, ann) {
                (Some(k), _) => m.labels.as_ref().and_then(|l| l.get(k)).cloned().unwrap_or_default(),
                (_, Some(k)) => m
                    .annotations
                    .as_ref()
                    .and_then(|l| l.get(k))
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            }
        }
    }
}

/// The environment of a container, or the CreateContainerConfigError message.
pub fn resolve(
    c: &Container,
    pod: &Pod,
    api: &ApiServer,
    pod_ip: Option<&str>,
    host_ip: &str,
) -> Result<Vec<(String, String)>, String> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut env = service_env(pod, api);
    for from in c.env_from.iter().flatten() {
        let prefix = from.prefix.clone().unwrap_or_default();
        let (kind, name, optional) = match (&from.config_map_ref, &from.secret_ref) {
            (Some(r), _) => (Kind::ConfigMap, r.name.clone(), r.optional.unwrap_or(false)),
            (_, Some(r)) => (Kind::Secret, r.name.clone(), r.optional.unwrap_or(false)),
            _ => continue,
        };
        let pairs: Vec<(String, String)> = match api.get(kind, ns, &name) {
            Some(Object::ConfigMap(cm)) => cm.data.clone().unwrap_or_default().into_iter().collect(),
            Some(Object::Secret(s)) => s
                .data
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, String::from_utf8_lossy(&v.0).into_owned()))
                .collect(),
            _ if optional => Vec::new(),
            _ => {
                return Err(format!(
                    "{} {name:?} not found",
                    if kind == Kind::Secret { "secret" } else { "configmap" }
                ));
            }
        };
        for (k, v) in pairs {
            env.push((format!("{prefix}{k}"), v));
        }
    }
    for e in c.env.iter().flatten() {
        let value = match &e.value_from {
            None => expand(e.value.as_deref().unwrap_or(""), &env),
            Some(from) => {
                if let Some(r) = &from.config_map_key_ref {
                    match config_value(api, ns, Kind::ConfigMap, &r.name, &r.key) {
                        Ok(Some(v)) => v,
                        Ok(None) if r.optional == Some(true) => continue,
                        Ok(None) => {
                            return Err(format!("couldn't find key {} in ConfigMap {ns}/{}", r.key, r.name));
                        }
                        Err(_) if r.optional == Some(true) => continue,
                        Err(e) => return Err(e),
                    }
                } else if let Some(r) = &from.secret_key_ref {
                    match config_value(api, ns, Kind::Secret, &r.name, &r.key) {
                        Ok(Some(v)) => v,
                        Ok(None) if r.optional == Some(true) => continue,
                        Ok(None) => {
                            return Err(format!("couldn't find key {} in Secret {ns}/{}", r.key, r.name));
                        }
                        Err(_) if r.optional == Some(true) => continue,
                        Err(e) => return Err(e),
                    }
                } else if let Some(f) = &from.field_ref {
                    field_value(pod, &f.field_path, pod_ip, host_ip)
                } else {
                    String::new()
                }
            }
        };
        env.push((e.name.clone(), value));
    }
    Ok(env)
}

/// A downward-API field of a pod as stored (for `kubectl describe`'s Environment lines).
pub fn resolve_field(pod: &Pod, path: &str) -> String {
    let st = pod.status.as_ref();
    field_value(
        pod,
        path,
        st.and_then(|s| s.pod_ip.as_deref()),
        st.and_then(|s| s.host_ip.as_deref()).unwrap_or(""),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependent_variables() {
        let env = vec![("A".to_string(), "x".to_string())];
        assert_eq!(expand("$(A)-$(B)-$$(A)", &env), "x-$(B)-$(A)");
    }
}
