//! A container as the kubelet and the runtime see it: the spec, the current instance (a
//! running process or its exit), the last termination, restarts and probe-driven readiness.

use k8s_openapi::api::core::v1::Container;

use crate::runtime::fs::Fs;
use crate::runtime::images::{self, ImageInfo};
use crate::runtime::nginx::{self, Nginx};
use crate::runtime::server::Server;
use crate::runtime::shell::Shell;
use crate::runtime::{LogLine, ProcCx, Process, Signal};
use crate::sim::clock::Millis;

/// How an instance ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Terminated {
    pub exit_code: i32,
    pub reason: String,
    pub message: Option<String>,
    pub started_at: Millis,
    pub finished_at: Millis,
    pub container_id: String,
}

pub enum InstanceState {
    Running(Box<dyn Process>),
    Exited(Terminated),
}

/// One run of a container: created, started, and maybe ended.
pub struct Instance {
    pub id: String,
    /// The image the container was started with, to notice a changed definition.
    pub image: String,
    pub started_at: Millis,
    pub state: InstanceState,
    pub fs: Fs,
    pub logs: Vec<LogLine>,
    /// Set once a stop signal was sent: SIGKILL follows at this instant.
    pub kill_at: Option<Millis>,
    /// Bumped at each wake-up scheduled, so stale timers are dropped.
    pub wake_seq: u64,
    /// The environment and hostname the process runs with, for every call into it.
    pub env: Vec<(String, String)>,
    pub hostname: String,
}

impl Instance {
    pub fn running(&self) -> bool {
        matches!(self.state, InstanceState::Running(_))
    }

    /// Calls into the running process with its context; `None` if it is not running.
    pub fn drive<R>(&mut self, now: Millis, f: impl FnOnce(&mut dyn Process, &mut ProcCx<'_>) -> R) -> Option<R> {
        let InstanceState::Running(process) = &mut self.state else {
            return None;
        };
        let mut cx = ProcCx {
            now,
            fs: &mut self.fs,
            logs: &mut self.logs,
            env: &self.env,
            hostname: &self.hostname,
            budget: crate::runtime::shell::STEP_BUDGET,
        };
        Some(f(process.as_mut(), &mut cx))
    }
}

/// The kubelet's view of one container of a pod.
pub struct ContainerRt {
    pub spec: Container,
    pub init: bool,
    pub current: Option<Instance>,
    pub last_termination: Option<Terminated>,
    pub restart_count: i32,
    /// Why it is not running, when the kubelet knows: `ErrImagePull`, `CrashLoopBackOff`, ...
    pub waiting: Option<(String, String)>,
    pub ready: bool,
    /// The startup probe has succeeded (or there is none).
    pub started: bool,
    /// Image resolved for the current instance: `docker.io/library/nginx:latest`.
    pub image_ref: Option<String>,
    /// A (re)start passed the back-off check and waits for its image: the kubelet's start
    /// is one step that a pull blocks, so the check is not made again.
    pub start_pending: bool,
    /// The log of the instance before the current one (`kubectl logs --previous`).
    pub previous_logs: Option<Vec<crate::runtime::LogLine>>,
}

impl ContainerRt {
    /// The current instance's log (stdout and stderr as written), or with `previous` the log of
    /// the instance before it; None when there is no such instance.
    pub fn log_lines(&self, previous: bool) -> Option<Vec<crate::runtime::LogLine>> {
        if previous {
            return self.previous_logs.clone();
        }
        self.current.as_ref().map(|i| i.logs.clone())
    }

    pub fn new(spec: Container, init: bool) -> Self {
        ContainerRt {
            spec,
            init,
            current: None,
            last_termination: None,
            restart_count: 0,
            waiting: None,
            ready: false,
            started: false,
            image_ref: None,
            start_pending: false,
            previous_logs: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.spec.name
    }

    pub fn is_running(&self) -> bool {
        self.current.as_ref().is_some_and(Instance::running)
    }

    pub fn exited(&self) -> Option<&Terminated> {
        match &self.current.as_ref()?.state {
            InstanceState::Exited(t) => Some(t),
            InstanceState::Running(_) => None,
        }
    }

    /// Completed successfully (exit 0), for init containers.
    pub fn succeeded(&self) -> bool {
        self.exited().is_some_and(|t| t.exit_code == 0)
    }
}

/// The command a container runs: `command` replaces the image entrypoint, `args` its cmd.
pub fn argv(spec: &Container, image: &ImageInfo) -> Vec<String> {
    let entry: Vec<String> = match &spec.command {
        Some(c) => c.clone(),
        None => image.entrypoint.iter().map(|s| s.to_string()).collect(),
    };
    let args: Vec<String> = match (&spec.args, &spec.command) {
        (Some(a), _) => a.clone(),
        (None, Some(_)) => Vec::new(),
        (None, None) => image.cmd.iter().map(|s| s.to_string()).collect(),
    };
    entry.into_iter().chain(args).collect()
}

/// The program for an argv in an image, or the runtime's error when there is none:
/// `exec: "foo": executable file not found in $PATH`.
pub fn spawn(image: &ImageInfo, reference: &images::Reference, argv: &[String]) -> Result<Box<dyn Process>, String> {
    let Some(first) = argv.first() else {
        return Err("no command specified".into());
    };
    let base = first.rsplit('/').next().unwrap_or(first);
    let repo = reference.repo.as_str();
    let is_default = base
        == image
            .entrypoint
            .first()
            .or(image.cmd.first())
            .copied()
            .unwrap_or("")
            .rsplit('/')
            .next()
            .unwrap_or("");
    if repo.ends_with("/nginx") && (base == "docker-entrypoint.sh" || base == "nginx") {
        return Ok(Box::new(Nginx));
    }
    if is_default && let Some(server) = Server::for_repo(repo, image.stop_signal) {
        return Ok(Box::new(server));
    }
    if let Some(server) = Server::system(repo, image.stop_signal) {
        return Ok(Box::new(server));
    }
    if !image.has_shell {
        return Err(format!("exec: {first:?}: executable file not found in $PATH"));
    }
    match base {
        "sh" | "bash" | "ash" => {
            let script = match (argv.get(1).map(String::as_str), argv.get(2)) {
                (Some("-c"), Some(s)) => Some(s.clone()),
                (Some("-c"), None) => return Err("sh: -c requires an argument".into()),
                _ => None,
            };
            Ok(Box::new(match script {
                Some(s) => Shell::script(&s),
                None => Shell::argv(argv),
            }))
        }
        _ if KNOWN_COMMANDS.contains(&base) => Ok(Box::new(Shell::argv(argv))),
        _ => Err(format!("exec: {first:?}: executable file not found in $PATH")),
    }
}

/// Programs every shell image here carries (busybox applets and coreutils).
const KNOWN_COMMANDS: &[&str] = &[
    "sleep", "echo", "cat", "true", "false", "touch", "rm", "mkdir", "ls", "date", "hostname", "env", "printenv",
    "tail", "stat", "test", "printf", "grep", "wc", "pwd", "whoami",
];

/// The files an image ships with.
pub fn image_files(reference: &images::Reference) -> Fs {
    let mut fs = Fs::default();
    for d in [
        "/bin", "/etc", "/tmp", "/usr", "/var", "/root", "/home", "/proc", "/dev",
    ] {
        fs.mkdir(d);
    }
    let _ = fs.write("/etc/hostname", "");
    if reference.repo.ends_with("/nginx") {
        nginx::image_files(&mut fs);
    }
    fs
}

/// The signal the runtime sends to stop a container.
pub fn stop_signal(image: Option<&ImageInfo>) -> Signal {
    image.map_or(Signal::Term, |i| i.stop_signal)
}
