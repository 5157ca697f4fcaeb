//! `kubectl create`: from files (`-f`, failing on objects that exist), and the generators
//! `create deployment` and `create namespace` (staging/src/k8s.io/kubectl/pkg/cmd/create).
//! A generated object is sent as is, or printed with `--dry-run=client` / `-o yaml|json|name`.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, Job, JobSpec, JobTemplateSpec};
use k8s_openapi::api::core::v1::{Container, ContainerPort, Namespace, PodSpec, PodTemplateSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::sources::infos;
use crate::kubectl::flags::{self, Parsed, flag, multi};
use crate::kubectl::printers::generic::Generic;
use crate::kubectl::printers::{json::to_json, yaml::to_yaml};
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error, with_source};
use crate::store::Object;

/// The flags every generator shares (output, dry run, validation, field manager).
pub(super) const GENERATOR_FLAGS: [flags::FlagSpec; 6] = [
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("save-config", None, false),
    flag("validate", None, true),
    flag("field-manager", None, true),
];

/// A generator's own flags with [`GENERATOR_FLAGS`].
pub(super) fn generator_flags(own: &[flags::FlagSpec]) -> Vec<flags::FlagSpec> {
    let mut v = own.to_vec();
    v.extend_from_slice(&GENERATOR_FLAGS);
    v
}

const FILE_FLAGS: &[flags::FlagSpec] = &[
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("save-config", None, false),
    flag("validate", None, true),
];

const DEPLOYMENT_FLAGS: &[flags::FlagSpec] = &[
    multi("image", None),
    flag("replicas", Some('r'), true),
    flag("port", None, true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("save-config", None, false),
    flag("validate", None, true),
];

const JOB_FLAGS: &[flags::FlagSpec] = &[
    flag("image", None, true),
    flag("from", None, true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("save-config", None, false),
    flag("validate", None, true),
];

const CRON_JOB_FLAGS: &[flags::FlagSpec] = &[
    flag("image", None, true),
    flag("schedule", None, true),
    flag("restart", None, true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("save-config", None, false),
    flag("validate", None, true),
];

const NAMESPACE_FLAGS: &[flags::FlagSpec] = &[
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("save-config", None, false),
];

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    match args.iter().position(|a| !a.starts_with('-')).map(|i| args[i].as_str()) {
        Some("deployment" | "deploy") => deployment(&without_first_word(args), ctx),
        Some("namespace" | "ns") => namespace_cmd(&without_first_word(args), ctx),
        Some("job") => job(&without_first_word(args), ctx),
        Some("cronjob" | "cj") => cron_job(&without_first_word(args), ctx),
        Some("configmap" | "cm") => super::create_data::config_map(&without_first_word(args), ctx),
        Some("secret") => super::create_data::secret(&without_first_word(args), ctx),
        Some("service" | "svc") => super::create_service::service(&without_first_word(args), ctx),
        Some("serviceaccount" | "sa") => super::create_service::service_account(&without_first_word(args), ctx),
        Some("role") => super::create_rbac::role(&without_first_word(args), ctx),
        Some("clusterrole") => super::create_rbac::cluster_role(&without_first_word(args), ctx),
        Some("rolebinding") => super::create_rbac::role_binding(&without_first_word(args), ctx),
        Some("clusterrolebinding") => super::create_rbac::cluster_role_binding(&without_first_word(args), ctx),
        Some("priorityclass" | "pc") => super::create_policy::priority_class(&without_first_word(args), ctx),
        Some("quota" | "resourcequota") => super::create_policy::quota(&without_first_word(args), ctx),
        Some("poddisruptionbudget" | "pdb") => {
            super::create_policy::pod_disruption_budget(&without_first_word(args), ctx)
        }
        Some("ingress" | "ing") => super::create_ingress::ingress(&without_first_word(args), ctx),
        _ => from_files(args, ctx),
    }
}

/// A group command (`create secret`, `create service`) given a word that is none of its
/// subcommands: cobra runs the group itself, whose flags are only the global ones, and
/// `RequireNoArguments` refuses the words.
pub(super) fn unknown_subcommand(cmd: &str, args: &[String]) -> CmdError {
    match flags::parse(args, &[]) {
        Err(e) => flag_error(cmd, e),
        Ok(p) => usage_error(cmd, &format!("unknown command {:?}", p.args.join(" "))),
    }
}

fn without_first_word(args: &[String]) -> Vec<String> {
    let mut v = args.to_vec();
    if let Some(i) = v.iter().position(|a| !a.starts_with('-')) {
        v.remove(i);
    }
    v
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum DryRun {
    None,
    Client,
    Server,
}

pub(super) fn dry_run(p: &Parsed) -> Result<DryRun, CmdError> {
    match p.get("dry-run") {
        None | Some("none") => Ok(DryRun::None),
        Some("client" | "true") => Ok(DryRun::Client),
        Some("server") => Ok(DryRun::Server),
        Some(other) => Err(CmdError::Msg(format!(
            "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
        ))),
    }
}

pub(super) fn check_output(p: &Parsed, ctx: &Ctx<'_>) -> Result<(), CmdError> {
    printer(p, ctx).map(|_| ())
}

/// The printer of `-o` and `--template` for a command that prints the object it made.
pub(super) fn printer(p: &Parsed, ctx: &Ctx<'_>) -> Result<Option<Generic>, CmdError> {
    let o = p.get("output").unwrap_or("");
    let generic = Generic::from_flags(o, p.get("template"), ctx)?;
    if generic.is_none() && !["", "name", "yaml", "json"].contains(&o) {
        return Err(CmdError::Msg(format!(
            "unable to match a printer suitable for the output format {o:?}, allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
        )));
    }
    Ok(generic)
}

/// Sends a generated object (unless a client dry run) and prints it as `-o` asks.
pub(super) fn send(obj: Object, p: &Parsed, ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    send_as(obj, "created", p, ctx)
}

/// [`send`] with the verb the command prints (`exposed`, `autoscaled`).
pub(super) fn send_as(obj: Object, verb: &str, p: &Parsed, ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    check_output(p, ctx)?;
    let dry = dry_run(p)?;
    let obj = if p.on("save-config") { save_config(obj) } else { obj };
    let shown = match dry {
        DryRun::Client => obj,
        DryRun::Server => {
            // The server runs everything but the write: defaulting and validation included.
            let mut probe = obj.clone();
            crate::api::defaults::apply(&mut probe);
            probe
        }
        DryRun::None => {
            // The request goes to the namespace of `-n` or of the kubeconfig context; only
            // `-n` shows in a printed object.
            let mut obj = obj;
            if obj.kind().info().namespaced && obj.namespace().is_empty() {
                obj.meta_mut().namespace = Some(ctx.namespace(p));
            }
            ctx.world.api_mut().create(obj)?
        }
    };
    print_result(&shown, verb, dry, p, ctx);
    Ok(0)
}

pub(super) fn print_result(obj: &Object, verb: &str, dry: DryRun, p: &Parsed, ctx: &mut Ctx<'_>) {
    let kg = obj.kind().info().kind_group();
    let suffix = match dry {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    if let Ok(Some(g)) = printer(p, ctx) {
        match g.print(&with_type(obj), false) {
            Ok(text) => ctx.out.out(text),
            Err(e) => ctx.out.err(crate::kubectl::check_err(&e)),
        }
        return;
    }
    match p.get("output").unwrap_or("") {
        "yaml" => ctx.out.out(to_yaml(&with_type(obj))),
        "json" => ctx.out.out(format!("{}\n", to_json(&with_type(obj)))),
        "name" => ctx.out.out(format!("{kg}/{}\n", obj.name())),
        _ => ctx.out.out(format!("{kg}/{} {verb}{suffix}\n", obj.name())),
    }
}

/// `--save-config` (`CreateApplyAnnotation`): the object as the client sends it, as compact
/// JSON, becomes its own last-applied annotation, so that a later `kubectl apply` merges
/// against it. Go encodes a generated (typed) object in its struct's field order; the
/// annotation here has the keys sorted, as for a manifest read from a file.
pub(super) fn save_config(mut obj: Object) -> Object {
    let mut v = with_type(&obj);
    if let Some(a) = v
        .pointer_mut("/metadata/annotations")
        .and_then(serde_json::Value::as_object_mut)
    {
        a.remove(super::apply::LAST_APPLIED);
    }
    let text = format!("{}\n", serde_json::to_string(&v).unwrap_or_default());
    obj.meta_mut()
        .annotations
        .get_or_insert_with(Default::default)
        .insert(super::apply::LAST_APPLIED.into(), text);
    obj
}

/// The object with its `apiVersion` and `kind`, as the printers show it.
pub(crate) fn with_type(obj: &Object) -> serde_json::Value {
    let mut v = obj.to_value();
    if let Some(m) = v.as_object_mut() {
        m.insert("apiVersion".into(), obj.kind().info().api_version().into());
        m.insert("kind".into(), obj.kind().name().into());
        // Fields Go writes though empty (no omitempty): an aggregated ClusterRole's
        // `rules: null`, a core Event's reporting fields and `eventTime: null`.
        match obj.kind() {
            crate::store::Kind::ClusterRole => {
                m.entry("rules").or_insert(serde_json::Value::Null);
            }
            crate::store::Kind::Event => {
                m.entry("reportingComponent").or_insert_with(|| "".into());
                m.entry("reportingInstance").or_insert_with(|| "".into());
                m.entry("eventTime").or_insert(serde_json::Value::Null);
            }
            _ => {}
        }
    }
    v
}

fn from_files(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FILE_FLAGS).map_err(|e| flag_error("create", e))?;
    if !super::sources::given(&p) {
        return Err(usage_error("create", "must specify one of -f and -k"));
    }
    if !p.args.is_empty() {
        return Err(usage_error(
            "create",
            &format!("Unexpected args: [{}]", p.args.join(" ")),
        ));
    }
    check_output(&p, ctx)?;
    let dry = dry_run(&p)?;
    let ns = ctx.namespace(&p);
    let (infos, mut errs) = infos(&p, &ns, ctx)?;
    for info in &infos {
        let body = if p.on("save-config") {
            super::apply::modified_configuration(info).0
        } else {
            info.value.clone()
        };
        let result = if dry == DryRun::Client {
            crate::api::decode::decode(info.kind, body).map_err(CmdError::from)
        } else {
            ctx.world.api_mut().create_json(info.kind, body).map_err(CmdError::from)
        };
        match result {
            Ok(obj) => print_result(&obj, "created", dry, &p, ctx),
            Err(e) => errs.push(with_source("creating", &info.source, e)),
        }
    }
    match errs.len() {
        0 => Ok(0),
        1 => Err(errs.remove(0)),
        _ => Err(CmdError::Multi(errs)),
    }
}

/// The single NAME a generator takes.
pub(super) fn one_name(p: &Parsed, cmd: &str) -> Result<String, CmdError> {
    let names = match p.dash {
        Some(d) => &p.args[..d],
        None => &p.args[..],
    };
    match names {
        [name] => Ok(name.clone()),
        _ => Err(usage_error(
            cmd,
            &format!("exactly one NAME is required, got {}", names.len()),
        )),
    }
}

/// A container name from an image: its last path element without tag or digest
/// (`create deployment`'s `buildPodSpec`).
fn container_name(image: &str, taken: &[String]) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let base = last.split(['@', ':']).next().unwrap_or(last).replace('_', "-");
    if taken.contains(&base) {
        // Upstream appends five random characters; a counter keeps the transcript stable.
        format!("{base}-{}", taken.len())
    } else {
        base
    }
}

fn deployment(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create deployment";
    let p = flags::parse(args, DEPLOYMENT_FLAGS).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    let images = p.all("image");
    if images.is_empty() {
        return Err(CmdError::Msg("required flag(s) \"image\" not set".into()));
    }
    let command: Vec<String> = p.dash.map(|d| p.args[d..].to_vec()).unwrap_or_default();
    if images.len() > 1 && !command.is_empty() {
        return Err(CmdError::Msg(
            "cannot specify multiple --image options and command".into(),
        ));
    }
    let replicas: i32 = match p.get("replicas") {
        None => 1,
        Some(r) => r.parse().map_err(|_| {
            CmdError::Msg(format!(
                "invalid argument {r:?} for \"-r, --replicas\" flag: strconv.ParseInt: parsing {r:?}: invalid syntax"
            ))
        })?,
    };
    let port: i32 = match p.get("port") {
        None => -1,
        Some(v) => v.parse().map_err(|_| {
            CmdError::Msg(format!(
                "invalid argument {v:?} for \"--port\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"
            ))
        })?,
    };
    let mut names: Vec<String> = Vec::new();
    let mut containers = Vec::new();
    for image in &images {
        let cname = container_name(image, &names);
        names.push(cname.clone());
        containers.push(Container {
            name: cname,
            image: Some(image.clone()),
            command: (!command.is_empty()).then(|| command.clone()),
            resources: Some(ResourceRequirements::default()),
            ..Default::default()
        });
    }
    if port >= 0
        && let Some(c) = containers.first_mut()
    {
        c.ports = Some(vec![ContainerPort {
            container_port: port,
            ..Default::default()
        }]);
    }
    let labels: BTreeMap<String, String> = [("app".to_string(), name.clone())].into();
    let ns = p.get("namespace").map(str::to_string);
    let d = Deployment {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: ns,
            labels: Some(labels.clone()),
            ..Default::default()
        },
        spec: Some(DeploymentSpec {
            replicas: Some(replicas),
            selector: LabelSelector {
                match_labels: Some(labels.clone()),
                ..Default::default()
            },
            strategy: Some(Default::default()),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    containers,
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        status: Some(Default::default()),
    };
    send(Object::Deployment(d), &p, ctx)
}

fn namespace_cmd(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create namespace";
    let p = flags::parse(args, NAMESPACE_FLAGS).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    let ns = Namespace {
        metadata: ObjectMeta {
            name: Some(name),
            ..Default::default()
        },
        spec: Some(Default::default()),
        status: Some(Default::default()),
    };
    send(Object::Namespace(ns), &p, ctx)
}

/// `create job` and `create cronjob` wrap the server's refusal in their own message instead of
/// letting kubectl format it.
fn send_wrapped(obj: Object, what: &str, p: &Parsed, ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    send_wrapped_with(obj, &format!("failed to create {what}: "), p, ctx)
}

/// A refusal from the server as `fmt.Errorf("<prefix>%v", err)` prints it.
pub(super) fn send_wrapped_with(obj: Object, prefix: &str, p: &Parsed, ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let group = obj.kind().info().group;
    match send(obj, p, ctx) {
        Err(CmdError::Api(e)) => {
            let text = match &e.invalid {
                Some(d) => {
                    let causes: Vec<String> = d.causes.iter().map(ToString::to_string).collect();
                    let group = if group.is_empty() {
                        String::new()
                    } else {
                        format!(".{group}")
                    };
                    format!("{}{group} {:?} is invalid: {}", d.kind, d.name, causes.join(", "))
                }
                None => e.message.clone(),
            };
            Err(CmdError::Msg(format!("{prefix}{text}")))
        }
        other => other,
    }
}

/// The one container of `create job`/`create cronjob`: named after the object.
fn batch_pod_template(name: &str, image: &str, command: Vec<String>, restart: &str) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(ObjectMeta::default()),
        spec: Some(PodSpec {
            containers: vec![Container {
                name: name.to_string(),
                image: Some(image.to_string()),
                command: (!command.is_empty()).then_some(command),
                resources: Some(ResourceRequirements::default()),
                ..Default::default()
            }],
            restart_policy: Some(restart.to_string()),
            ..Default::default()
        }),
    }
}

fn job(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create job";
    let p = flags::parse(args, JOB_FLAGS).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    let command: Vec<String> = p.dash.map(|d| p.args[d..].to_vec()).unwrap_or_default();
    let (image, from) = (p.get("image"), p.get("from"));
    if image.is_some() == from.is_some() {
        return Err(CmdError::Msg("either --image or --from must be specified".into()));
    }
    if from.is_some() && !command.is_empty() {
        return Err(CmdError::Msg("cannot specify --from and command".into()));
    }
    let ns = p.get("namespace").map(str::to_string);
    let job = if let Some(from) = from {
        let Some(cj_name) = from
            .strip_prefix("cronjob/")
            .or_else(|| from.strip_prefix("cronjobs/"))
            .or_else(|| from.strip_prefix("cj/"))
        else {
            return Err(CmdError::Msg(format!("from must be an existing cronjob: {from}")));
        };
        let lookup_ns = ctx.namespace(&p);
        let Some(Object::CronJob(cj)) = ctx
            .world
            .api()
            .get(crate::store::Kind::CronJob, &lookup_ns, cj_name)
            .cloned()
        else {
            return Err(crate::api::ApiError::not_found("cronjobs.batch", cj_name).into());
        };
        let spec = cj.spec.clone().unwrap_or_default();
        let tm = spec.job_template.metadata.clone().unwrap_or_default();
        let mut annotations = tm.annotations.clone().unwrap_or_default();
        annotations.insert("cronjob.kubernetes.io/instantiate".into(), "manual".into());
        Job {
            metadata: ObjectMeta {
                name: Some(name),
                namespace: ns,
                labels: tm.labels.clone(),
                annotations: Some(annotations),
                owner_references: Some(vec![k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
                    api_version: "batch/v1".into(),
                    kind: "CronJob".into(),
                    name: cj_name.to_string(),
                    uid: cj.metadata.uid.clone().unwrap_or_default(),
                    controller: Some(true),
                    block_owner_deletion: None,
                }]),
                ..Default::default()
            },
            spec: spec.job_template.spec.clone(),
            status: Some(Default::default()),
        }
    } else {
        Job {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                namespace: ns,
                ..Default::default()
            },
            spec: Some(JobSpec {
                template: batch_pod_template(&name, image.unwrap_or(""), command, "Never"),
                ..Default::default()
            }),
            status: Some(Default::default()),
        }
    };
    send_wrapped(Object::Job(job), "job", &p, ctx)
}

fn cron_job(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create cronjob";
    let p = flags::parse(args, CRON_JOB_FLAGS).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    let missing: Vec<&str> = ["image", "schedule"]
        .into_iter()
        .filter(|f| p.get(f).is_none())
        .collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|f| format!("{f:?}")).collect();
        return Err(CmdError::Msg(format!("required flag(s) {} not set", list.join(", "))));
    }
    let command: Vec<String> = p.dash.map(|d| p.args[d..].to_vec()).unwrap_or_default();
    let cj = CronJob {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: p.get("namespace").map(str::to_string),
            ..Default::default()
        },
        spec: Some(CronJobSpec {
            schedule: p.get("schedule").unwrap_or("").to_string(),
            job_template: JobTemplateSpec {
                metadata: Some(ObjectMeta {
                    name: Some(name.clone()),
                    ..Default::default()
                }),
                spec: Some(JobSpec {
                    template: batch_pod_template(
                        &name,
                        p.get("image").unwrap_or(""),
                        command,
                        p.get("restart").unwrap_or("OnFailure"),
                    ),
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        status: Some(Default::default()),
    };
    send_wrapped(Object::CronJob(cj), "cronjob", &p, ctx)
}
