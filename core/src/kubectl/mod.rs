//! kubectl: the command language of the terminal, the CLI and the tests. Each command talks to
//! the simulated API server the way kubectl talks to a real one, and prints what kubectl 1.35
//! prints, errors included (kubectl/pkg/cmd/util/helpers.go `CheckErr`).

mod cmd;
pub mod completion;
pub use cmd::exec::Attached;
pub mod describe;
pub mod examples;
pub mod field_selector;
pub mod flags;
pub mod help;
pub mod kubeconfig;
pub mod kustomize;
pub mod printers;
pub mod resources;
pub mod stream;
pub mod watch;

use crate::api::errors::{ApiError, Reason};
use crate::cluster::World;
use crate::session::io::{Files, Output};

/// What a kubectl invocation works with.
pub struct Ctx<'a> {
    pub world: &'a mut World,
    pub files: &'a dyn Files,
    pub stdin: Option<String>,
    pub out: &'a mut Output,
    /// The client's kubeconfig (contexts and their namespaces).
    pub config: &'a mut kubeconfig::Kubeconfig,
    /// A watch the command opened (`get -w`), for the session to keep reading.
    pub watch: Option<Box<dyn stream::Stream>>,
    /// Whether a terminal is there to keep (the page's prompt, not a script or a pipe): an
    /// `exec -it` shell attaches to it.
    pub terminal: bool,
    /// A container shell the command attached the terminal to (`exec -it web -- sh`).
    pub attach: Option<Attached>,
}

impl Ctx<'_> {
    /// The namespace a command works in: `-n`, else the context's, else `default`.
    pub fn namespace(&self, p: &flags::Parsed) -> String {
        match p.get("namespace").filter(|n| !n.is_empty()) {
            Some(n) => n.to_string(),
            None => self.config.namespace(p.get("context")),
        }
    }
}

/// An error as kubectl's `CheckErr` classifies it.
#[derive(Clone, Debug, PartialEq)]
pub enum CmdError {
    /// A status from the API server.
    Api(ApiError),
    /// Any other error: printed as `error: <msg>`.
    Msg(String),
    /// Printed as it is (several lines, or a message that carries its own prefix).
    Raw(String),
    /// Several errors, one line each, without `error: ` prefixes.
    Multi(Vec<CmdError>),
}

impl From<ApiError> for CmdError {
    fn from(e: ApiError) -> Self {
        CmdError::Api(e)
    }
}

/// The end of a command that went on past errors (`ContinueOnError`): success, the one
/// error, or all of them.
pub fn finish(mut errors: Vec<CmdError>) -> Result<i32, CmdError> {
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}

/// `AddSourceToErr`: `error when creating "pod.yaml": ...` inside the status message.
pub fn with_source(verb: &str, source: &str, e: CmdError) -> CmdError {
    match e {
        CmdError::Api(mut a) if !source.is_empty() => {
            a.message = format!("error when {verb} {source:?}: {}", a.message);
            CmdError::Api(a)
        }
        CmdError::Msg(m) if !source.is_empty() => CmdError::Msg(format!("error when {verb} {source:?}: {m}")),
        other => other,
    }
}

/// `StandardErrorMessage` or the plain text, as one line of a multi-error report.
fn message_for(e: &CmdError) -> String {
    match e {
        CmdError::Api(a) if a.reason == Reason::Unknown => format!("Error from server: {}", a.message),
        CmdError::Api(a) => format!("Error from server ({}): {}", a.reason.as_str(), a.message),
        CmdError::Msg(m) | CmdError::Raw(m) => m.clone(),
        CmdError::Multi(v) => v.iter().map(message_for).collect::<Vec<_>>().join("\n"),
    }
}

/// The text `CheckErr` writes to stderr for an error, with its final newline.
pub fn check_err(e: &CmdError) -> String {
    let mut s = match e {
        CmdError::Api(a) if a.reason == Reason::Invalid => match &a.invalid {
            Some(d) => {
                let prefix = format!("The {} {:?} is invalid: ", d.kind, d.name);
                let mut causes: Vec<String> = Vec::new();
                for c in &d.causes {
                    let s = c.to_string();
                    if !causes.contains(&s) {
                        causes.push(s);
                    }
                }
                match causes.len() {
                    0 => prefix.trim_end_matches(": ").to_string(),
                    1 => format!("{prefix}{}", causes[0]),
                    _ => format!(
                        "{prefix}\n{}",
                        causes.iter().map(|c| format!("* {c}")).collect::<Vec<_>>().join("\n")
                    ),
                }
            }
            None => format!("The request is invalid: {}", a.message),
        },
        CmdError::Api(_) => message_for(e),
        CmdError::Msg(m) => {
            if m.starts_with("error: ") {
                m.clone()
            } else {
                format!("error: {m}")
            }
        }
        CmdError::Raw(m) => m.clone(),
        CmdError::Multi(v) if v.len() == 1 => return check_err(&v[0]),
        CmdError::Multi(v) => v.iter().map(message_for).collect::<Vec<_>>().join("\n"),
    };
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// kubectl's commands in the order it registers them, for "Did you mean this?".
const COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "alpha",
    "api-resources",
    "api-versions",
    "config",
    "plugin",
    "version",
    "options",
];

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn unknown_command(name: &str) -> CmdError {
    let mut suggestions: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|c| levenshtein(name, c) <= 2 || c.to_lowercase().starts_with(&name.to_lowercase()))
        .collect();
    for (alias, cmd) in [
        ("rm", "delete"),
        ("list", "get"),
        ("ps", "get"),
        ("list", "wait"),
        ("ps", "wait"),
    ] {
        if name == alias && !suggestions.contains(&cmd) {
            suggestions.push(cmd);
        }
    }
    let mut msg = format!("unknown command {name:?} for \"kubectl\"");
    if !suggestions.is_empty() {
        msg.push_str("\n\nDid you mean this?\n");
        for s in suggestions {
            msg.push_str(&format!("\t{s}\n"));
        }
    }
    CmdError::Msg(msg)
}

/// Runs `kubectl <args>`; returns the exit status.
pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> i32 {
    let result = dispatch(args, ctx);
    ctx.world.settle();
    match result {
        Ok(code) => code,
        Err(e) => {
            ctx.out.err(check_err(&e));
            1
        }
    }
}

/// `--request-timeout` (client-go clientcmd): whole seconds, or a Go duration; 0 is none.
pub fn request_timeout(p: &flags::Parsed) -> Result<crate::sim::clock::Millis, CmdError> {
    let Some(v) = p.get("request-timeout") else {
        return Ok(0);
    };
    if let Ok(secs) = v.parse::<u64>() {
        return Ok(secs.saturating_mul(1000));
    }
    match cmd::wait::parse_duration(v) {
        Ok(ms) => Ok(ms),
        Err(_) => Err(CmdError::Msg(
            "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)".into(),
        )),
    }
}

/// A flag error: pflag's message and kubectl's usage hint.
fn flag_error(cmd: &str, msg: String) -> CmdError {
    CmdError::Msg(format!("{msg}\nSee 'kubectl {cmd} --help' for usage."))
}

/// `UsageErrorf`.
fn usage_error(cmd: &str, msg: &str) -> CmdError {
    CmdError::Msg(format!("{msg}\nSee 'kubectl {cmd} -h' for help and examples"))
}

fn dispatch(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    // Global flags may come before the subcommand: `kubectl -n kube-system get pods`.
    let mut rest: Vec<String> = Vec::new();
    let mut sub: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if sub.is_none() && !a.starts_with('-') {
            sub = Some(a.clone());
        } else {
            rest.push(a.clone());
            if sub.is_none() && (a == "-n" || a == "--namespace" || a == "--context" || a == "--kubeconfig") {
                if let Some(v) = args.get(i + 1) {
                    rest.push(v.clone());
                }
                i += 1;
            }
        }
        i += 1;
    }
    let Some(sub) = sub else {
        if help::asked(&rest) || rest.is_empty() {
            ctx.out.out(help::text("").unwrap_or_default());
            return Ok(0);
        }
        let first = &rest[0];
        let msg = if first.starts_with("--") {
            format!("unknown flag: {}", first.split('=').next().unwrap_or(first))
        } else {
            format!(
                "unknown shorthand flag: '{}' in {first}",
                first.chars().nth(1).unwrap_or('-')
            )
        };
        return Err(CmdError::Msg(format!("{msg}\nSee 'kubectl --help' for usage.")));
    };
    // `kubectl help [COMMAND...]` and `-h`/`--help` anywhere before `--`.
    if sub == "help" {
        let words: Vec<String> = rest.iter().filter(|a| !a.starts_with('-')).cloned().collect();
        let path = match words.split_first() {
            Some((first, more)) if help::text(first).is_some() => help::path_of(first, more),
            Some((first, _)) => {
                ctx.out.out(format!("Unknown help topic [`{first}`]\n"));
                String::new()
            }
            None => String::new(),
        };
        ctx.out.out(help::text(&path).unwrap_or_default());
        return Ok(0);
    }
    if COMMANDS.contains(&sub.as_str()) && help::asked(&rest) {
        let path = help::path_of(&sub, &rest);
        ctx.out.out(help::text(&path).unwrap_or_default());
        return Ok(0);
    }
    match sub.as_str() {
        "apply" => cmd::apply::run(&rest, ctx),
        "create" => cmd::create::run(&rest, ctx),
        "run" => cmd::run::run(&rest, ctx),
        "get" => cmd::get::run(&rest, ctx),
        "describe" => cmd::describe::run(&rest, ctx),
        "delete" => cmd::delete::run(&rest, ctx),
        "wait" => cmd::wait::run(&rest, ctx),
        "scale" => cmd::scale::run(&rest, ctx),
        "autoscale" => cmd::autoscale::run(&rest, ctx),
        "label" => cmd::label::label(&rest, ctx),
        "logs" => cmd::logs::run(&rest, ctx),
        "expose" => cmd::expose::run(&rest, ctx),
        "annotate" => cmd::label::annotate(&rest, ctx),
        "patch" => cmd::patch::run(&rest, ctx),
        "rollout" => cmd::rollout::run(&rest, ctx),
        "set" => cmd::set::run(&rest, ctx),
        "cordon" => cmd::drain::cordon(&rest, true, ctx),
        "uncordon" => cmd::drain::cordon(&rest, false, ctx),
        "drain" => cmd::drain::drain(&rest, ctx),
        "version" => cmd::discovery::version(&rest, ctx),
        "api-resources" => cmd::discovery::api_resources(&rest, ctx),
        "api-versions" => cmd::discovery::api_versions(&rest, ctx),
        "cluster-info" => cmd::discovery::cluster_info(&rest, ctx),
        "auth" => cmd::auth::run(&rest, ctx),
        "events" => cmd::events::run(&rest, ctx),
        "top" => cmd::discovery::top(&rest, ctx),
        "plugin" => cmd::discovery::plugin(&rest, ctx),
        "kustomize" => cmd::kustomize::run(&rest, ctx),
        "config" => cmd::config::run(&rest, ctx),
        "taint" => cmd::taint::run(&rest, ctx),
        "exec" => cmd::exec::run(&rest, ctx),
        "replace" => cmd::replace::run(&rest, ctx),
        "diff" => cmd::diff::run(&rest, ctx),
        "completion" => completion::run(&rest, ctx),
        "port-forward" => cmd::port_forward::run(&rest, ctx),
        other if COMMANDS.contains(&other) => Err(CmdError::Msg(format!(
            "\"kubectl {other}\" is not available in Kubeplay yet"
        ))),
        other => Err(unknown_command(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::errors::FieldError;

    #[test]
    fn invalid_is_printed_from_its_details() {
        let one = ApiError::invalid("Pod", "testPod", vec![FieldError::required("spec.containers", "")]);
        assert_eq!(
            check_err(&CmdError::Api(one)),
            "The Pod \"testPod\" is invalid: spec.containers: Required value\n"
        );
        let two = ApiError::invalid(
            "Pod",
            "x",
            vec![FieldError::required("a", ""), FieldError::required("b", "")],
        );
        assert_eq!(
            check_err(&CmdError::Api(two)),
            "The Pod \"x\" is invalid: \n* a: Required value\n* b: Required value\n"
        );
    }

    #[test]
    fn suggestions_follow_registration_order() {
        assert_eq!(
            check_err(&unknown_command("gett")),
            "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n"
        );
        assert_eq!(
            check_err(&unknown_command("frobnicate")),
            "error: unknown command \"frobnicate\" for \"kubectl\"\n"
        );
    }
}
