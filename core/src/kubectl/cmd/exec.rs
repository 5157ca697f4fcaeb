//! `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [ARGS...]`
//! (staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go at v0.35.0): the command runs in the
//! container through the API server's `pods/exec` and the node's kubelet. Its output comes
//! back, a non-zero exit is passed through (`command terminated with exit code N`), a missing
//! program fails as containerd's runc fails. With `-it` in the page the terminal becomes the
//! container's shell until `exit`; a script has no terminal, so kubectl warns and the shell
//! reads the script's here-document or nothing.

use k8s_openapi::api::core::v1::Pod;

use crate::cluster::exec::ExecError;
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};
use crate::kubelet::exec::ExecRefused;
use crate::runtime::Status;
use crate::runtime::shell::exec::Exec;
use crate::sim::clock::{MINUTE, Millis};

const FLAGS: &[flags::FlagSpec] = &[
    flag("container", Some('c'), true),
    flag("stdin", Some('i'), false),
    flag("tty", Some('t'), false),
    flag("quiet", Some('q'), false),
    multi("filename", Some('f')),
    flag("pod-running-timeout", None, true),
];

/// How long a script's exec may keep running in virtual time before it is ended as Ctrl-C
/// ends it: a script has nobody to press it, and `tail -f` would never return.
const MAX_EXEC_TIME: Millis = 10 * MINUTE;

/// A shell the terminal is attached to (`kubectl exec -it web -- sh` in the page).
pub struct Attached {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// The prompt the shell prints: busybox `/ # `, bash `root@web:/# `.
    pub prompt: String,
    vars: Vec<(String, String)>,
}

/// The error text of a refused exec, as kubectl prints it.
fn refused(e: ExecError, container: &str, program: &str, rng_id: &str) -> CmdError {
    match e {
        ExecError::Api(a) => CmdError::Api(a),
        ExecError::Kubelet(ExecRefused::ContainerNotFound) => CmdError::Msg(format!(
            "unable to upgrade connection: container not found ({container:?})"
        )),
        // The kubelet's streaming server answers 500 with containerd's error.
        ExecError::Kubelet(ExecRefused::NotFound) => CmdError::Msg(format!(
            "Internal error occurred: error executing command in container: failed to exec in container: failed to start exec {rng_id:?}: OCI runtime exec failed: exec failed: unable to start container process: exec: {program:?}: executable file not found in $PATH: unknown"
        )),
    }
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("exec", e))?;
    // Complete: the resource is the first argument unless `--` comes first.
    let resource = match p.dash {
        Some(0) => None,
        _ => p.args.first().cloned(),
    };
    let command: Vec<String> = match p.dash {
        Some(d) => p.args[d..].to_vec(),
        None if p.args.len() > 1 || (!p.args.is_empty() && p.has("filename")) => {
            return Err(usage_error(
                "exec",
                "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
            ));
        }
        None => Vec::new(),
    };
    if resource.is_none() && !p.has("filename") {
        return Err(CmdError::Msg("pod, type/name or --filename must be specified".into()));
    }
    if command.is_empty() {
        return Err(CmdError::Msg(
            "you must specify at least one command for the container".into(),
        ));
    }
    let Some(resource) = resource else {
        return Err(CmdError::Msg(
            "\"kubectl exec -f\" is not available in Kubeplay yet: name the pod".into(),
        ));
    };
    let ns = ctx.namespace(&p);
    let pod: Pod = super::logs::target_pod(&resource, &ns, "attach to", ctx)?;
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let phase = pod.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default();
    if phase == "Succeeded" || phase == "Failed" {
        return Err(CmdError::Msg(format!(
            "cannot exec into a container in a completed pod; current phase is {phase}"
        )));
    }
    let quiet = p.on("quiet");
    let container = match p.get("container").filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => match super::logs::default_container(&pod, quiet, ctx) {
            Some(c) => c,
            None => {
                return Err(CmdError::Msg(format!(
                    "pod {ns}/{pod_name} does not have any containers"
                )));
            }
        },
    };
    super::logs::valid_container(&pod, &container)?;
    let spec = pod.spec.clone().unwrap_or_default();
    let stdin = p.on("stdin");
    let tty = stdin && p.on("tty");
    let program = command[0].clone();
    let exec_id = ctx.world.exec_id(&ns, &pod_name);
    ctx.world
        .exec_check(&ns, &pod_name, &container, &program)
        .map_err(|e| refused(e, &container, &program, &exec_id))?;
    let is_shell = matches!(program.rsplit('/').next(), Some("sh" | "ash" | "bash")) && command.len() == 1;
    if tty && is_shell && ctx.terminal {
        let image = spec
            .containers
            .iter()
            .chain(spec.init_containers.iter().flatten())
            .find(|c| c.name == container)
            .and_then(|c| c.image.clone())
            .unwrap_or_default();
        ctx.attach = Some(Attached {
            prompt: prompt_for(&program, &image, &pod_name),
            namespace: ns,
            pod: pod_name,
            container,
            vars: Vec::new(),
        });
        return Ok(0);
    }
    if tty && !quiet {
        ctx.out
            .err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    }
    let input = if stdin { ctx.stdin.take() } else { None };
    let mut exec = Exec::new(&command, input);
    let code = drive(&ns, &pod_name, &container, &mut exec, ctx);
    match code {
        0 => Ok(0),
        // Ended as Ctrl-C ends it: kubectl dies of the signal and prints nothing.
        130 => Ok(130),
        c => {
            ctx.out.err(format!("command terminated with exit code {c}\n"));
            Ok(c)
        }
    }
}

/// Runs an exec to its end, letting virtual time pass while it sleeps and printing what it
/// writes as it goes. Returns its exit code.
fn drive(ns: &str, pod: &str, container: &str, exec: &mut Exec, ctx: &mut Ctx<'_>) -> i32 {
    let deadline = ctx.world.now().saturating_add(MAX_EXEC_TIME);
    loop {
        let step = ctx.world.exec_step(ns, pod, container, exec);
        let (out, err) = exec.take_output();
        if !out.is_empty() {
            ctx.out.out(out);
        }
        if !err.is_empty() {
            ctx.out.err(err);
        }
        match step {
            Ok(Status::Exited(c)) => return c,
            Ok(Status::OomKilled) => return 137,
            Ok(Status::Running(Some(t))) if t <= deadline => {
                let now = ctx.world.now();
                ctx.world.advance(t.saturating_sub(now));
            }
            Ok(Status::Running(_)) => return 130,
            // The container stopped under it: the stream ends with the process killed.
            Err(_) => return 137,
        }
    }
}

/// What the shell prints before each line: bash shows `user@host:dir# `, busybox and dash
/// `/ # ` and `# `.
fn prompt_for(program: &str, image: &str, pod: &str) -> String {
    let name = program.rsplit('/').next().unwrap_or(program);
    let busybox = image.starts_with("busybox") || image.contains("alpine");
    match (name, busybox) {
        ("bash", _) => format!("root@{pod}:/# "),
        (_, true) => "/ # ".into(),
        _ => "# ".into(),
    }
}

impl Attached {
    /// Runs one line typed at the attached shell. Returns the shell's exit code when the
    /// line ended it (`exit`), else None.
    pub fn line(&mut self, line: &str, ctx: &mut Ctx<'_>) -> Option<i32> {
        let vars = std::mem::take(&mut self.vars);
        let mut exec = Exec::line(line, vars);
        let (ns, pod, container) = (self.namespace.clone(), self.pod.clone(), self.container.clone());
        let code = drive(&ns, &pod, &container, &mut exec, ctx);
        let exited = exec.exited();
        self.vars = exec.into_vars();
        if exited {
            if code != 0 {
                ctx.out.err(format!("command terminated with exit code {code}\n"));
            }
            return Some(code);
        }
        // The container went away under the shell.
        if ctx.world.exec_check(&ns, &pod, &container, "sh").is_err() {
            return Some(137);
        }
        None
    }
}
