//! `kubectl auth whoami` and `kubectl auth can-i` (staging/src/k8s.io/kubectl/pkg/cmd/auth):
//! the terminal's user is kind's `kubernetes-admin`, whose group `kubeadm:cluster-admins` is
//! bound to cluster-admin, so every check is allowed. Other identities (`--as`) need the
//! RBAC authorizer, which the guard-rails issue adds; until then they are refused by name.

use crate::kubectl::flags::{self, flag};
use crate::kubectl::printers::tabwriter::TabWriter;
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};
use crate::store::RESOURCES;

const USER: &str = "kubernetes-admin";
const GROUPS: &[&str] = &["kubeadm:cluster-admins", "system:authenticated"];
/// The SHA-256 of the client certificate kind wrote (one cluster's; stable for Kubeplay).
const CREDENTIAL_ID: &str = "X509SHA256=8979e3d39e1d81acc4258cf55cea1933d20d32a0f05df627d7a4edfc04cfb345";

const RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];
const NON_RESOURCE_VERBS: &[&str] = &["get", "put", "post", "head", "options", "delete", "patch", "*"];

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let Some(i) = args.iter().position(|a| !a.starts_with('-')) else {
        return Err(CmdError::Raw("Inspect authorization.\n\nAvailable Commands:\n  can-i           Check whether an action is allowed\n  reconcile       Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects\n  whoami          Experimental: Check self subject attributes\n\nUsage:\n  kubectl auth [flags] [options]\n".into()));
    };
    let mut rest = args.to_vec();
    let sub = rest.remove(i);
    if rest.iter().any(|a| a.starts_with("--as")) {
        return Err(CmdError::Msg(
            "impersonation (--as) needs RBAC, which is not available in Kubeplay yet".into(),
        ));
    }
    match sub.as_str() {
        "whoami" => whoami(&rest, ctx),
        "can-i" => can_i(&rest, ctx),
        "reconcile" => Err(CmdError::Msg(
            "\"kubectl auth reconcile\" is not available in Kubeplay yet".into(),
        )),
        _ => Err(usage_error("auth", &format!("unknown command {:?}", args.join(" ")))),
    }
}

fn whoami(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, &[flag("output", Some('o'), true)]).map_err(|e| flag_error("auth whoami", e))?;
    let groups = format!("[{}]", GROUPS.join(" "));
    let text = match p.get("output").unwrap_or("") {
        "" => TabWriter::GET.format(&format!(
            "ATTRIBUTE\tVALUE\nUsername\t{USER}\nGroups\t{groups}\nExtra: authentication.kubernetes.io/credential-id\t[{CREDENTIAL_ID}]\n"
        )),
        "yaml" => format!(
            "apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\nmetadata: {{}}\nstatus:\n  userInfo:\n    extra:\n      authentication.kubernetes.io/credential-id:\n      - {CREDENTIAL_ID}\n    groups:\n{}    username: {USER}\n",
            GROUPS.iter().map(|g| format!("    - {g}\n")).collect::<String>()
        ),
        "json" => format!(
            "{{\n    \"kind\": \"SelfSubjectReview\",\n    \"apiVersion\": \"authentication.k8s.io/v1\",\n    \"metadata\": {{}},\n    \"status\": {{\n        \"userInfo\": {{\n            \"username\": \"{USER}\",\n            \"groups\": [\n{}\n            ],\n            \"extra\": {{\n                \"authentication.kubernetes.io/credential-id\": [\n                    \"{CREDENTIAL_ID}\"\n                ]\n            }}\n        }}\n    }}\n}}\n",
            GROUPS.iter().map(|g| format!("                \"{g}\"")).collect::<Vec<_>>().join(",\n")
        ),
        other => {
            return Err(CmdError::Msg(format!(
                "unable to match a printer suitable for the output format {other:?}, allowed formats are: json,yaml"
            )));
        }
    };
    ctx.out.out(text);
    Ok(0)
}

fn can_i(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let specs = [
        flag("all-namespaces", Some('A'), false),
        flag("quiet", Some('q'), false),
        flag("subresource", None, true),
        flag("list", None, false),
        flag("no-headers", None, false),
    ];
    let p = flags::parse(args, &specs).map_err(|e| flag_error("auth can-i", e))?;
    let warn = |ctx: &mut Ctx<'_>, m: String| ctx.out.err(format!("Warning: {m}\n\n"));
    if p.on("list") {
        if !p.args.is_empty() {
            return Err(CmdError::Msg("list option must be specified with no arguments".into()));
        }
        if p.on("quiet") || p.on("all-namespaces") || p.has("subresource") {
            return Err(CmdError::Msg(
                "list option can't be specified with neither quiet, all-namespaces nor subresource options".into(),
            ));
        }
        // The list is the rules review of the RBAC authorizer, which comes with the
        // guard-rails issue.
        return Err(CmdError::Msg(
            "\"kubectl auth can-i --list\" needs RBAC, which is not available in Kubeplay yet".into(),
        ));
    }
    let [verb, target] = p.args.as_slice() else {
        return Err(CmdError::Msg("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.".into()));
    };
    if target.starts_with('/') {
        if p.has("subresource") {
            return Err(CmdError::Msg(
                "--subresource can not be used with NonResourceURL".into(),
            ));
        }
        if !NON_RESOURCE_VERBS.contains(&verb.as_str()) {
            warn(ctx, format!("verb '{verb}' is not a known verb"));
        }
    } else {
        let resource = target.split('/').next().unwrap_or("").to_lowercase();
        if resource != "*" {
            let (name, group) = match resource.split_once('.') {
                Some((n, g)) => (n.to_string(), g.to_string()),
                None => (resource.clone(), String::new()),
            };
            let found = RESOURCES.iter().find(|r| {
                (r.plural == name || r.singular == name || r.short_names.contains(&name.as_str()))
                    && (group.is_empty() || r.group == group)
            });
            match found {
                None if name == "users" || name == "groups" => {}
                None if group.is_empty() => warn(ctx, format!("the server doesn't have a resource type '{name}'")),
                None => warn(
                    ctx,
                    format!("the server doesn't have a resource type '{name}' in group '{group}'"),
                ),
                Some(r) if !r.namespaced && !p.on("all-namespaces") => {
                    if r.group.is_empty() {
                        warn(ctx, format!("resource '{}' is not namespace scoped", r.plural));
                    } else {
                        warn(
                            ctx,
                            format!("resource '{}' is not namespace scoped in group '{}'", r.plural, r.group),
                        );
                    }
                }
                Some(_) => {}
            }
        }
        if !RESOURCE_VERBS.contains(&verb.as_str()) {
            warn(ctx, format!("verb '{verb}' is not a known verb"));
        }
    }
    if p.on("no-headers") {
        return Err(CmdError::Msg(
            "--no-headers cannot be set without --list specified".into(),
        ));
    }
    // cluster-admin allows everything.
    if !p.on("quiet") {
        ctx.out.out("yes\n");
    }
    Ok(0)
}
