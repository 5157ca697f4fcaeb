//! `kubectl config` (staging/src/k8s.io/kubectl/pkg/cmd/config): the terminal's kubeconfig,
//! which kind wrote with one cluster, user and context named `kind-kind`. A namespace set on
//! the current context with `set-context --current --namespace=x` is the one later commands
//! use without `-n`, as the study notes show. Credentials print as `DATA+OMITTED`, as
//! `view` prints them without `--raw` (with `--raw`, Kubeplay has no real keys to show, so it
//! prints the same placeholders).

use serde_json::{Value, json};

use crate::kubectl::flags::{self, flag};
use crate::kubectl::kubeconfig::{Context, Kubeconfig, PATH, SERVER};
use crate::kubectl::printers::generic::Generic;
use crate::kubectl::printers::tabwriter::TabWriter;
use crate::kubectl::printers::yaml::to_yaml;
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};

const HELP: &str = "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".\n\nAvailable Commands:\n  current-context   Display the current-context\n  delete-context    Delete the specified context from the kubeconfig\n  get-clusters      Display clusters defined in the kubeconfig\n  get-contexts      Describe one or many contexts\n  get-users         Display users defined in the kubeconfig\n  rename-context    Rename a context from the kubeconfig file\n  set-context       Set a context entry in kubeconfig\n  use-context       Set the current-context in a kubeconfig file\n  view              Display merged kubeconfig settings or a specified kubeconfig file\n\nUsage:\n  kubectl config SUBCOMMAND [options]\n";

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let Some(i) = args.iter().position(|a| !a.starts_with('-')) else {
        // `DefaultSubCommandRun`: the help on stderr, exit 1.
        return Err(CmdError::Raw(HELP.into()));
    };
    let mut rest = args.to_vec();
    let sub = rest.remove(i);
    match sub.as_str() {
        "view" => view(&rest, ctx),
        "current-context" => current_context(&rest, ctx),
        "get-contexts" => get_contexts(&rest, ctx),
        "get-clusters" => names(&rest, "get-clusters", ctx.config.clusters.clone(), ctx),
        "get-users" => names(&rest, "get-users", ctx.config.users.clone(), ctx),
        "set-context" => set_context(&rest, ctx),
        "use-context" | "use" => use_context(&rest, ctx),
        "rename-context" => rename_context(&rest, ctx),
        "delete-context" => delete_context(&rest, ctx),
        "set" | "unset" | "set-cluster" | "set-credentials" | "delete-cluster" | "delete-user" => Err(CmdError::Msg(
            format!("\"kubectl config {sub}\" is not available in Kubeplay yet"),
        )),
        _ => Err(usage_error("config", &format!("unknown command {:?}", args.join(" ")))),
    }
}

fn parse(args: &[String], cmd: &str, specs: &[flags::FlagSpec]) -> Result<flags::Parsed, CmdError> {
    flags::parse(args, specs).map_err(|e| flag_error(&format!("config {cmd}"), e))
}

/// The kubeconfig as `clientcmd/api/v1` serializes it; `minify` keeps the current context and
/// what it names.
fn document(cfg: &Kubeconfig, minify: bool) -> Value {
    let keep = |name: &str, used: &dyn Fn(&Context) -> &str| {
        !minify || cfg.contexts.get(&cfg.current).is_some_and(|c| used(c) == name)
    };
    let clusters: Vec<Value> = cfg
        .clusters
        .iter()
        .filter(|c| keep(c, &|x| &x.cluster))
        .map(|c| json!({"name": c, "cluster": {"server": SERVER, "certificate-authority-data": "DATA+OMITTED"}}))
        .collect();
    let users: Vec<Value> = cfg
        .users
        .iter()
        .filter(|u| keep(u, &|x| &x.user))
        .map(|u| json!({"name": u, "user": {"client-certificate-data": "DATA+OMITTED", "client-key-data": "DATA+OMITTED"}}))
        .collect();
    let contexts: Vec<Value> = cfg
        .contexts
        .iter()
        .filter(|(n, _)| !minify || **n == cfg.current)
        .map(|(n, c)| {
            let mut body = json!({"cluster": c.cluster, "user": c.user});
            if let Some(ns) = c.namespace.as_deref().filter(|ns| !ns.is_empty()) {
                body["namespace"] = json!(ns);
            }
            json!({"name": n, "context": body})
        })
        .collect();
    json!({
        "kind": "Config",
        "apiVersion": "v1",
        "clusters": clusters,
        "users": users,
        "contexts": contexts,
        "current-context": cfg.current,
    })
}

/// `-o json` of a kubeconfig: Go's struct order (kind, apiVersion, clusters, users, contexts,
/// current-context; server before the CA data), four-space indent.
fn config_json(doc: &Value) -> String {
    fn write(v: &Value, order: &[&str], level: usize, out: &mut String) {
        let pad = "    ".repeat(level + 1);
        let end = "    ".repeat(level);
        match v {
            Value::Object(m) => {
                if m.is_empty() {
                    out.push_str("{}");
                    return;
                }
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
                out.push_str("{\n");
                for (i, k) in keys.iter().enumerate() {
                    out.push_str(&format!("{pad}{}: ", Value::from(k.as_str())));
                    write(&m[*k], order, level + 1, out);
                    out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
                }
                out.push_str(&format!("{end}}}"));
            }
            Value::Array(a) => {
                if a.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push_str("[\n");
                for (i, item) in a.iter().enumerate() {
                    out.push_str(&pad);
                    write(item, order, level + 1, out);
                    out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
                }
                out.push_str(&format!("{end}]"));
            }
            other => out.push_str(&other.to_string()),
        }
    }
    const ORDER: &[&str] = &[
        "kind",
        "apiVersion",
        "name",
        "clusters",
        "users",
        "contexts",
        "current-context",
        "cluster",
        "user",
        "context",
        "server",
        "certificate-authority-data",
        "client-certificate-data",
        "client-key-data",
        "namespace",
    ];
    let mut out = String::new();
    write(doc, ORDER, 0, &mut out);
    out.push('\n');
    crate::kubectl::printers::json::go_escape(&out)
}

fn view(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let specs = [
        flag("output", Some('o'), true),
        flag("minify", None, false),
        flag("raw", None, false),
        flag("flatten", None, false),
        flag("merge", None, true),
    ];
    let p = parse(args, "view", &specs)?;
    if !p.args.is_empty() {
        return Err(usage_error(
            "config view",
            &format!("unexpected arguments: {:?}", p.args),
        ));
    }
    let cfg = &*ctx.config;
    if p.on("minify") {
        if cfg.current.is_empty() {
            return Err(CmdError::Msg("current-context must exist in order to minify".into()));
        }
        if !cfg.contexts.contains_key(&cfg.current) {
            return Err(CmdError::Msg(format!("cannot locate context {}", cfg.current)));
        }
    }
    let doc = document(cfg, p.on("minify"));
    let output = p.get("output").unwrap_or("yaml").to_string();
    let text = match output.as_str() {
        "" | "yaml" => to_yaml(&doc),
        "json" => config_json(&doc),
        other => match Generic::from_output(other, ctx)? {
            Some(g) => g.print(&doc, false)?,
            None => {
                return Err(CmdError::Msg(format!(
                    "unable to match a printer suitable for the output format {other:?}, allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,yaml"
                )));
            }
        },
    };
    ctx.out.out(text);
    Ok(0)
}

fn current_context(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    parse(args, "current-context", &[])?;
    if ctx.config.current.is_empty() {
        return Err(CmdError::Msg("current-context is not set".into()));
    }
    ctx.out.out(format!("{}\n", ctx.config.current));
    Ok(0)
}

fn get_contexts(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let specs = [flag("output", Some('o'), true), flag("no-headers", None, false)];
    let p = parse(args, "get-contexts", &specs)?;
    let cfg = &*ctx.config;
    let wanted: Vec<String> = if p.args.is_empty() {
        cfg.contexts.keys().cloned().collect()
    } else {
        p.args.clone()
    };
    match p.get("output").unwrap_or("") {
        "name" => {
            let mut text = String::new();
            let mut missing = Vec::new();
            for n in &wanted {
                if cfg.contexts.contains_key(n) {
                    text.push_str(&format!("{n}\n"));
                } else {
                    missing.push(n.clone());
                }
            }
            ctx.out.out(text);
            return match missing.first() {
                Some(n) => Err(CmdError::Msg(format!("context {n} not found"))),
                None => Ok(0),
            };
        }
        "" => {}
        other => return Err(CmdError::Msg(format!("output must be one of '' or 'name': {other}"))),
    }
    let mut rows = String::new();
    if !p.on("no-headers") {
        rows.push_str("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
    }
    let mut missing = Vec::new();
    for n in &wanted {
        let Some(c) = cfg.contexts.get(n) else {
            missing.push(n.clone());
            continue;
        };
        let mark = if *n == cfg.current { "*" } else { "" };
        rows.push_str(&format!(
            "{mark}\t{n}\t{}\t{}\t{}\n",
            c.cluster,
            c.user,
            c.namespace.as_deref().unwrap_or("")
        ));
    }
    ctx.out.out(TabWriter::GET.format(&rows));
    match missing.first() {
        Some(n) => Err(CmdError::Msg(format!("context {n} not found"))),
        None => Ok(0),
    }
}

fn names(args: &[String], cmd: &str, list: Vec<String>, ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    parse(args, cmd, &[])?;
    let mut text = String::from("NAME\n");
    for n in list {
        text.push_str(&format!("{n}\n"));
    }
    ctx.out.out(text);
    Ok(0)
}

fn set_context(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let specs = [
        flag("current", None, false),
        flag("cluster", None, true),
        flag("user", None, true),
    ];
    let p = parse(args, "set-context", &specs)?;
    let name = match (p.args.as_slice(), p.on("current")) {
        ([], true) => {
            if ctx.config.current.is_empty() {
                return Err(CmdError::Msg("no current context is set".into()));
            }
            ctx.config.current.clone()
        }
        ([_], true) => {
            return Err(CmdError::Msg(
                "you cannot specify both a context name and --current".into(),
            ));
        }
        ([name], false) => name.clone(),
        _ => return Err(usage_error("config set-context", "Unexpected args: []")),
    };
    let exists = ctx.config.contexts.contains_key(&name);
    let entry = ctx.config.contexts.entry(name.clone()).or_insert_with(|| Context {
        cluster: String::new(),
        user: String::new(),
        namespace: None,
    });
    if let Some(c) = p.get("cluster") {
        entry.cluster = c.to_string();
    }
    if let Some(u) = p.get("user") {
        entry.user = u.to_string();
    }
    if p.has("namespace") {
        entry.namespace = p.get("namespace").filter(|n| !n.is_empty()).map(str::to_string);
    }
    let verb = if exists { "modified" } else { "created" };
    ctx.out.out(format!("Context {name:?} {verb}.\n"));
    Ok(0)
}

fn use_context(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = parse(args, "use-context", &[])?;
    let [name] = p.args.as_slice() else {
        return Err(usage_error(
            "config use-context",
            &format!("Unexpected args: {:?}", p.args),
        ));
    };
    if !ctx.config.contexts.contains_key(name) {
        return Err(CmdError::Msg(format!("no context exists with the name: {name:?}")));
    }
    ctx.config.current = name.clone();
    ctx.out.out(format!("Switched to context {name:?}.\n"));
    Ok(0)
}

fn rename_context(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = parse(args, "rename-context", &[])?;
    let [old, new] = p.args.as_slice() else {
        return Err(usage_error("config rename-context", "Unexpected args: []"));
    };
    if new.is_empty() {
        return Err(CmdError::Msg("You must specify a new non-empty context name".into()));
    }
    if ctx.config.contexts.contains_key(new) {
        return Err(CmdError::Msg(format!(
            "cannot rename the context {old:?}, the context {new:?} already exists in {PATH}"
        )));
    }
    let Some(c) = ctx.config.contexts.remove(old) else {
        return Err(CmdError::Msg(format!(
            "cannot rename the context {old:?}, it's not in {PATH}"
        )));
    };
    ctx.config.contexts.insert(new.clone(), c);
    if ctx.config.current == *old {
        ctx.config.current = new.clone();
    }
    ctx.out.out(format!("Context {old:?} renamed to {new:?}.\n"));
    Ok(0)
}

fn delete_context(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = parse(args, "delete-context", &[])?;
    let [name] = p.args.as_slice() else {
        return Err(usage_error("config delete-context", "Unexpected args: []"));
    };
    if ctx.config.contexts.remove(name).is_none() {
        return Err(CmdError::Msg(format!("cannot delete context {name}, not in {PATH}")));
    }
    if ctx.config.current == *name {
        ctx.out.err(
            "warning: this removed your active context, use \"kubectl config use-context\" to select a different one\n",
        );
    }
    ctx.out.out(format!("deleted context {name} from {PATH}\n"));
    Ok(0)
}
