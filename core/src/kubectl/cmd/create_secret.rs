//! `kubectl create secret tls` and `kubectl create secret docker-registry`
//! (staging/src/k8s.io/kubectl/pkg/cmd/create/create_secret_tls.go, create_secret_docker.go).
//!
//! A TLS secret's files are checked as `tls.X509KeyPair` begins to: a PEM `CERTIFICATE` block
//! whose body is DER, and a PEM private-key block. Whether the key matches the certificate is
//! not checked: that needs the certificate's public key, which Kubeplay does not parse.

use std::collections::BTreeMap;

use base64::Engine;
use k8s_openapi::ByteString;

use super::create::send_wrapped_with;
use super::create_data::{name_of, secret_files, secret_object};
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::Object;

/// `create secret tls NAME --cert=path --key=path`.
pub fn tls(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create secret tls";
    let specs = super::create::generator_flags(&[
        flag("cert", None, true),
        flag("key", None, true),
        flag("append-hash", None, false),
    ]);
    let p = flags::parse(args, &specs).map_err(|e| flag_error(cmd, e))?;
    let name = name_of(&p, cmd)?;
    let (cert, key) = (p.get("cert").unwrap_or(""), p.get("key").unwrap_or(""));
    if cert.is_empty() || key.is_empty() {
        return Err(CmdError::Msg("key and cert must be specified".into()));
    }
    let read = |path: &str| {
        ctx.files.read(path).map_err(|_| {
            CmdError::Msg(format!(
                "Cannot read file {path}, open {path}: no such file or directory"
            ))
        })
    };
    let (cert_pem, key_pem) = (read(cert)?, read(key)?);
    check_key_pair(&cert_pem, &key_pem).map_err(CmdError::Msg)?;
    let data: BTreeMap<String, ByteString> = [
        ("tls.crt".to_string(), ByteString(cert_pem.into_bytes())),
        ("tls.key".to_string(), ByteString(key_pem.into_bytes())),
    ]
    .into();
    let secret = secret_object(
        name,
        p.get("namespace"),
        "kubernetes.io/tls",
        Some(data),
        p.on("append-hash"),
    );
    send_wrapped_with(Object::Secret(secret), "failed to create secret ", &p, ctx)
}

/// PEM blocks of a text: (type, base64-decoded body).
fn pem_blocks(text: &str) -> Vec<(String, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(close) = after.find("-----") else { break };
        let kind = after[..close].to_string();
        let body_start = &after[close + 5..];
        let end_marker = format!("-----END {kind}-----");
        let Some(end) = body_start.find(&end_marker) else { break };
        let body: String = body_start[..end]
            .lines()
            .filter(|l| !l.contains(':'))
            .collect::<Vec<_>>()
            .concat()
            .split_whitespace()
            .collect();
        let decoded = base64::engine::general_purpose::STANDARD.decode(body).ok();
        out.push((kind, decoded));
        rest = &body_start[end + end_marker.len()..];
    }
    out
}

/// Whether `der` is one well-formed ASN.1 SEQUENCE filling the whole input.
fn der_sequence(der: &[u8]) -> bool {
    let (Some(&0x30), Some(&first)) = (der.first(), der.get(1)) else {
        return false;
    };
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || der.len() < 2 + n {
            return false;
        }
        let len = der[2..2 + n].iter().fold(0usize, |a, b| (a << 8) | usize::from(*b));
        (len, 2 + n)
    };
    header + len == der.len()
}

/// The checks of `tls.X509KeyPair` that need no cryptography, with Go's messages.
fn check_key_pair(cert: &str, key: &str) -> Result<(), String> {
    let certs: Vec<_> = pem_blocks(cert)
        .into_iter()
        .filter(|(k, _)| k == "CERTIFICATE")
        .collect();
    if certs.is_empty() {
        return Err("tls: failed to find any PEM data in certificate input".into());
    }
    let keys = pem_blocks(key);
    if !keys
        .iter()
        .any(|(k, _)| k == "PRIVATE KEY" || k.ends_with(" PRIVATE KEY"))
    {
        if keys.iter().any(|(k, _)| k == "CERTIFICATE") {
            return Err("tls: found a certificate rather than a key in the PEM for the private key".into());
        }
        return Err("tls: failed to find any PEM data in key input".into());
    };
    if certs.iter().any(|(_, der)| !der.as_deref().is_some_and(der_sequence)) {
        return Err("x509: malformed certificate".into());
    }
    Ok(())
}

/// `create secret docker-registry NAME --docker-username=u --docker-password=p ...`.
pub fn docker_registry(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create secret docker-registry";
    let specs = [
        flag("docker-username", None, true),
        flag("docker-password", None, true),
        flag("docker-email", None, true),
        flag("docker-server", None, true),
        multi("from-file", None),
        flag("append-hash", None, false),
    ];
    let specs = super::create::generator_flags(&specs);
    let p = flags::parse(args, &specs).map_err(|e| flag_error(cmd, e))?;
    let name = name_of(&p, cmd)?;
    let user = p.get("docker-username").unwrap_or("");
    let password = p.get("docker-password").unwrap_or("");
    let server = p.get("docker-server").unwrap_or("https://index.docker.io/v1/");
    let files = p.all("from-file");
    if files.is_empty() && (user.is_empty() || password.is_empty() || server.is_empty()) {
        return Err(CmdError::Msg(
            "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required".into(),
        ));
    }
    let data = if files.is_empty() {
        BTreeMap::from([(
            ".dockerconfigjson".to_string(),
            ByteString(docker_config_json(user, password, p.get("docker-email").unwrap_or(""), server).into_bytes()),
        )])
    } else {
        secret_files(&p, &name, ctx)?
    };
    let secret = secret_object(
        name,
        p.get("namespace"),
        "kubernetes.io/dockerconfigjson",
        Some(data),
        p.on("append-hash"),
    );
    send_wrapped_with(Object::Secret(secret), "failed to create secret ", &p, ctx)
}

/// `handleDockerCfgJSONContent`: `{"auths":{server:{username,password,email,auth}}}` in the
/// struct's field order, empty fields left out, as Go's `json.Marshal` writes it.
fn docker_config_json(user: &str, password: &str, email: &str, server: &str) -> String {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let quote = |s: &str| crate::kubectl::printers::json::go_escape(&serde_json::Value::from(s).to_string());
    let mut fields = Vec::new();
    for (k, v) in [
        ("username", user),
        ("password", password),
        ("email", email),
        ("auth", auth.as_str()),
    ] {
        if !v.is_empty() {
            fields.push(format!("\"{k}\":{}", quote(v)));
        }
    }
    format!("{{\"auths\":{{{}:{{{}}}}}}}", quote(server), fields.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value real kubectl 1.33 prints for
    /// `create secret docker-registry my-secret --docker-server=DOCKER_REGISTRY_SERVER
    /// --docker-username=DOCKER_USER --docker-password=DOCKER_PASSWORD --docker-email=DOCKER_EMAIL`.
    #[test]
    fn docker_config_matches_kubectl() {
        let json = docker_config_json(
            "DOCKER_USER",
            "DOCKER_PASSWORD",
            "DOCKER_EMAIL",
            "DOCKER_REGISTRY_SERVER",
        );
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(json),
            "eyJhdXRocyI6eyJET0NLRVJfUkVHSVNUUllfU0VSVkVSIjp7InVzZXJuYW1lIjoiRE9DS0VSX1VTRVIiLCJwYXNzd29yZCI6IkRPQ0tFUl9QQVNTV09SRCIsImVtYWlsIjoiRE9DS0VSX0VNQUlMIiwiYXV0aCI6IlJFOURTMFZTWDFWVFJWSTZSRTlEUzBWU1gxQkJVMU5YVDFKRSJ9fX0="
        );
    }

    #[test]
    fn key_pair_checks_follow_go() {
        let cert = "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n";
        let key = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";
        assert_eq!(check_key_pair(cert, key), Ok(()));
        assert_eq!(
            check_key_pair("hi", key).unwrap_err(),
            "tls: failed to find any PEM data in certificate input"
        );
        assert_eq!(
            check_key_pair(cert, "hi").unwrap_err(),
            "tls: failed to find any PEM data in key input"
        );
        let bad = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert_eq!(check_key_pair(bad, key).unwrap_err(), "x509: malformed certificate");
    }
}
