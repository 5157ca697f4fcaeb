//! What kubectl learns from the API server about the server itself: `api-resources`,
//! `api-versions`, `cluster-info` and `version` (staging/src/k8s.io/kubectl/pkg/cmd/apiresources,
//! clusterinfo, version). The resource lists come from the kinds Kubeplay serves
//! ([`RESOURCES`]), so discovery never promises a resource that `get` would refuse.

use std::collections::BTreeSet;

use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::kubeconfig::SERVER;
use crate::kubectl::printers::tabwriter::TabWriter;
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};
use crate::store::{Kind, Object, RESOURCES, ResourceInfo};

/// The verbs a resource's storage supports: namespaces cannot be deleted as a collection.
fn verbs(r: &ResourceInfo) -> &'static [&'static str] {
    const ALL: &[&str] = &[
        "create",
        "delete",
        "deletecollection",
        "get",
        "list",
        "patch",
        "update",
        "watch",
    ];
    const NO_COLLECTION: &[&str] = &["create", "delete", "get", "list", "patch", "update", "watch"];
    if r.kind == Kind::Namespace { NO_COLLECTION } else { ALL }
}

fn categories(r: &ResourceInfo) -> &'static [&'static str] {
    if r.in_all { &["all"] } else { &[] }
}

pub fn api_resources(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "api-resources";
    let specs = [
        flag("output", Some('o'), true),
        flag("no-headers", None, false),
        flag("api-group", None, true),
        flag("namespaced", None, false),
        multi("verbs", None),
        flag("sort-by", None, true),
        flag("cached", None, false),
        multi("categories", None),
    ];
    let p = flags::parse(args, &specs).map_err(|e| flag_error(cmd, e))?;
    if !p.args.is_empty() {
        return Err(usage_error(
            cmd,
            &format!("unexpected arguments: [{}]", p.args.join(" ")),
        ));
    }
    let sort_by = p.get("sort-by").unwrap_or("");
    if !["", "name", "kind"].contains(&sort_by) {
        return Err(CmdError::Msg("--sort-by accepts only name or kind".into()));
    }
    let output = p.get("output").unwrap_or("");
    if !["", "wide", "name"].contains(&output) {
        return Err(CmdError::Msg(format!(
            "unable to match a printer suitable for the output format {output:?}, allowed formats are: name,wide"
        )));
    }
    let namespaced = match p.get("namespaced") {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(v) => {
            return Err(flag_error(
                cmd,
                format!(
                    "invalid argument {v:?} for \"--namespaced\" flag: strconv.ParseBool: parsing {v:?}: invalid syntax"
                ),
            ));
        }
    };
    let want_verbs = p.all("verbs");
    let want_categories = p.all("categories");
    let mut rows: Vec<&ResourceInfo> = RESOURCES
        .iter()
        .filter(|r| p.get("api-group").is_none_or(|g| g == r.group))
        .filter(|r| namespaced.is_none_or(|n| n == r.namespaced))
        .filter(|r| want_verbs.iter().all(|v| verbs(r).contains(&v.as_str())))
        .filter(|r| want_categories.iter().all(|c| categories(r).contains(&c.as_str())))
        .collect();
    // `sortableResource`: by group (or name, or kind), then by name.
    let key = |r: &ResourceInfo| -> String {
        match sort_by {
            "name" => r.plural.to_string(),
            "kind" => r.kind.name().to_string(),
            _ => r.group.to_string(),
        }
    };
    rows.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.plural.cmp(b.plural)));
    if output == "name" {
        let text: String = rows.iter().map(|r| format!("{}\n", r.resource_group())).collect();
        ctx.out.out(text);
        return Ok(0);
    }
    let wide = output == "wide";
    let mut text = String::new();
    if !p.on("no-headers") {
        text.push_str("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND");
        text.push_str(if wide { "\tVERBS\tCATEGORIES\n" } else { "\n" });
    }
    for r in rows {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}",
            r.plural,
            r.short_names.join(","),
            r.api_version(),
            r.namespaced,
            r.kind.name()
        ));
        if wide {
            text.push_str(&format!("\t{}\t{}", verbs(r).join(","), categories(r).join(",")));
        }
        text.push('\n');
    }
    ctx.out.out(TabWriter::GET.format(&text));
    Ok(0)
}

pub fn api_versions(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, &[]).map_err(|e| flag_error("api-versions", e))?;
    if !p.args.is_empty() {
        return Err(usage_error(
            "api-versions",
            &format!("unexpected arguments: [{}]", p.args.join(" ")),
        ));
    }
    let set: BTreeSet<String> = RESOURCES.iter().map(ResourceInfo::api_version).collect();
    ctx.out
        .out(set.into_iter().map(|v| format!("{v}\n")).collect::<String>());
    Ok(0)
}

/// `kubectl cluster-info`: the control plane, then each `kubernetes.io/cluster-service`
/// Service of kube-system by its `kubernetes.io/name`, reached through the API server proxy.
pub fn cluster_info(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, &[]).map_err(|e| flag_error("cluster-info", e))?;
    if p.args.first().map(String::as_str) == Some("dump") {
        return Err(CmdError::Msg(
            "\"kubectl cluster-info dump\" is not available in Kubeplay yet".into(),
        ));
    }
    let mut text = format!("Kubernetes control plane is running at {SERVER}\n");
    for obj in ctx.world.api().store().list(Kind::Service, Some("kube-system")) {
        let Object::Service(s) = obj else { continue };
        let labels = s.metadata.labels.clone().unwrap_or_default();
        if labels.get("kubernetes.io/cluster-service").map(String::as_str) != Some("true") {
            continue;
        }
        let name = labels
            .get("kubernetes.io/name")
            .cloned()
            .unwrap_or_else(|| obj.name().to_string());
        let Some(port) = s.spec.as_ref().and_then(|sp| sp.ports.as_ref()).and_then(|p| p.first()) else {
            continue;
        };
        let port_name = port.name.clone().unwrap_or_else(|| port.port.to_string());
        let scheme = if port.name.as_deref() == Some("https") || port.port == 443 {
            "https:"
        } else {
            ""
        };
        text.push_str(&format!(
            "{name} is running at {SERVER}/api/v1/namespaces/kube-system/services/{scheme}{}:{port_name}/proxy\n",
            obj.name()
        ));
    }
    text.push_str("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    ctx.out.out(text);
    Ok(0)
}

const GIT_COMMIT: &str = "66452049f3d692768c39c797b21b793dce80314e";

/// `version.Info` as YAML lines (keys sorted) or JSON pairs (struct order).
fn version_fields(server: bool) -> Vec<(&'static str, &'static str)> {
    let mut f = vec![("major", "1"), ("minor", "35")];
    if server {
        f.extend([
            ("emulationMajor", "1"),
            ("emulationMinor", "35"),
            ("minCompatibilityMajor", "1"),
            ("minCompatibilityMinor", "34"),
        ]);
    }
    f.extend([
        ("gitVersion", "v1.35.0"),
        ("gitCommit", GIT_COMMIT),
        ("gitTreeState", "clean"),
        (
            "buildDate",
            if server {
                "2025-12-17T12:32:07Z"
            } else {
                "2025-12-17T12:39:26Z"
            },
        ),
        ("goVersion", "go1.25.5"),
        ("compiler", "gc"),
        ("platform", "linux/amd64"),
    ]);
    f
}

/// `kubectl version [--client] [-o yaml|json]` for kubectl 1.35.0 against kind v1.35.0.
pub fn version(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, &[flag("client", None, false), flag("output", Some('o'), true)])
        .map_err(|e| flag_error("version", e))?;
    if !p.args.is_empty() {
        return Err(usage_error("version", &format!("unexpected arguments: {:?}", p.args)));
    }
    let client_only = p.on("client");
    let blocks: Vec<(&str, Vec<(&str, &str)>)> = std::iter::once(("clientVersion", version_fields(false)))
        .chain((!client_only).then(|| ("serverVersion", version_fields(true))))
        .collect();
    match p.get("output").unwrap_or("") {
        "" => {
            let mut text = "Client Version: v1.35.0\nKustomize Version: v5.7.1\n".to_string();
            if !client_only {
                text.push_str("Server Version: v1.35.0\n");
            }
            ctx.out.out(text);
        }
        "yaml" => {
            let mut text = String::new();
            for (i, (name, fields)) in blocks.iter().enumerate() {
                text.push_str(&format!("{name}:\n"));
                let mut sorted = fields.clone();
                sorted.sort();
                for (k, v) in sorted {
                    let quoted = if v.chars().all(|c| c.is_ascii_digit()) || v.contains(':') && v.ends_with('Z') {
                        format!("\"{v}\"")
                    } else {
                        v.to_string()
                    };
                    text.push_str(&format!("  {k}: {quoted}\n"));
                }
                if i == 0 {
                    text.push_str("kustomizeVersion: v5.7.1\n");
                }
            }
            text.push('\n');
            ctx.out.out(text);
        }
        "json" => {
            let mut parts = Vec::new();
            for (i, (name, fields)) in blocks.iter().enumerate() {
                let body: Vec<String> = fields.iter().map(|(k, v)| format!("    \"{k}\": \"{v}\"")).collect();
                parts.push(format!("  \"{name}\": {{\n{}\n  }}", body.join(",\n")));
                if i == 0 {
                    parts.push("  \"kustomizeVersion\": \"v5.7.1\"".into());
                }
            }
            ctx.out.out(format!("{{\n{}\n}}\n", parts.join(",\n")));
        }
        _ => return Err(CmdError::Msg("--output must be 'yaml' or 'json'".into())),
    }
    Ok(0)
}

/// `kubectl top pod|node`: kind has no metrics-server, so discovery has no `metrics.k8s.io`
/// (pkg/cmd/top: `Metrics API not available`).
pub fn top(args: &[String], _ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let specs = [
        flag("all-namespaces", Some('A'), false),
        flag("selector", Some('l'), true),
        flag("containers", None, false),
        flag("no-headers", None, false),
        flag("sort-by", None, true),
        flag("sum", None, false),
        flag("show-swap", None, false),
        flag("use-protocol-buffers", None, false),
    ];
    let p = flags::parse(args, &specs).map_err(|e| flag_error("top", e))?;
    match p.args.first().map(String::as_str) {
        Some("pod" | "pods" | "po" | "node" | "nodes" | "no") => {
            Err(CmdError::Msg("Metrics API not available".into()))
        }
        Some(other) => Err(usage_error("top", &format!("unknown command {other:?}"))),
        None => Err(CmdError::Raw("Display resource (CPU/memory) usage.\n\n This command requires Metrics Server to be correctly configured and working on the server.\n\nAvailable Commands:\n  node          Display resource (CPU/memory) usage of nodes\n  pod           Display resource (CPU/memory) usage of pods\n\nUsage:\n  kubectl top [flags] [options]\n".into())),
    }
}

/// `kubectl plugin list`: the terminal's PATH has no `kubectl-*` programs.
pub fn plugin(args: &[String], _ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, &[flag("name-only", None, false)]).map_err(|e| flag_error("plugin", e))?;
    match p.args.first().map(String::as_str) {
        Some("list") => Err(CmdError::Msg("unable to find any kubectl plugins in your PATH".into())),
        Some(other) => Err(usage_error("plugin", &format!("unknown command {other:?}"))),
        None => Err(CmdError::Raw("Provides utilities for interacting with plugins.\n\nAvailable Commands:\n  list          List all visible plugin executables on a user's PATH\n\nUsage:\n  kubectl plugin [flags] [options]\n".into())),
    }
}
