//! `kubectl autoscale` (staging/src/k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go, 1.35): an
//! `autoscaling/v2` HorizontalPodAutoscaler for an object with a scale subresource, with
//! `--cpu`/`--memory` targets (a percentage is a utilization, a quantity an average value) and
//! the deprecated `--cpu-percent`. When creating the v2 object fails, 1.35 falls back to v1 only
//! if the flags fit v1, and words the failure through that check (the `empty input` quirk).

use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, MetricSpec, MetricTarget,
    ResourceMetricSource,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::create::{DryRun, check_output, dry_run, print_result, with_type};
use super::sources::infos;
use crate::api::ApiError;
use crate::api::quantity::Quantity;
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::printers::{json::to_json, yaml::to_yaml};
use crate::kubectl::resources::{Selection, parse_args};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::{Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
    flag("min", None, true),
    flag("max", None, true),
    flag("cpu", None, true),
    flag("memory", None, true),
    flag("cpu-percent", None, true),
    flag("name", None, true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("dry-run", None, true),
    flag("save-config", None, false),
    flag("record", None, false),
    flag("field-manager", None, true),
];

fn int_flag(p: &flags::Parsed, name: &str) -> Result<i32, CmdError> {
    match p.get(name) {
        None => Ok(-1),
        Some(v) => v.parse().map_err(|_| {
            CmdError::Msg(format!(
                "invalid argument {v:?} for \"--{name}\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"
            ))
        }),
    }
}

/// One `--cpu`/`--memory` value as a metric: `70%` a utilization, a quantity an average value,
/// a bare number milli-CPU or mebibytes.
fn resource_metric(resource: &str, input: &str) -> Result<MetricSpec, CmdError> {
    let target = if let Some(pct) = input.strip_suffix('%') {
        let n: i32 = pct
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| CmdError::Msg(format!("invalid percentage value: {pct}")))?;
        MetricTarget {
            type_: "Utilization".into(),
            average_utilization: Some(n),
            ..Default::default()
        }
    } else {
        let text = if input.bytes().all(|b| b.is_ascii_digit()) && !input.is_empty() {
            if resource == "cpu" {
                format!("{input}m")
            } else {
                format!("{input}Mi")
            }
        } else {
            input.to_string()
        };
        let q = Quantity::parse(&text)
            .ok()
            .filter(|q| *q > Quantity::ZERO)
            .ok_or_else(|| CmdError::Msg(format!("invalid resource {resource} value: {input}")))?;
        MetricTarget {
            type_: "AverageValue".into(),
            average_value: Some(ApiQuantity(q.to_string())),
            ..Default::default()
        }
    };
    Ok(MetricSpec {
        type_: "Resource".into(),
        resource: Some(ResourceMetricSource {
            name: resource.into(),
            target,
        }),
        ..Default::default()
    })
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("autoscale", e))?;
    if p.has("cpu-percent") {
        ctx.out.err("Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).\n");
    }
    if !p.has("max") {
        return Err(CmdError::Msg("required flag(s) \"max\" not set".into()));
    }
    let (min, max) = (int_flag(&p, "min")?, int_flag(&p, "max")?);
    let cpu_percent = int_flag(&p, "cpu-percent")?;
    if max < 1 {
        return Err(CmdError::Msg(format!(
            "--max=MAXPODS is required and must be at least 1, max: {max}"
        )));
    }
    if max < min {
        return Err(CmdError::Msg(format!(
            "--max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}"
        )));
    }
    let cpu = p.get("cpu").filter(|c| !c.is_empty());
    if cpu_percent > 0 && cpu.is_some() {
        return Err(CmdError::Msg("--cpu-percent and --cpu are mutually exclusive".into()));
    }
    check_output(&p, ctx)?;
    let dry = dry_run(&p)?;
    let mut metrics = Vec::new();
    if let Some(c) = cpu {
        metrics.push(resource_metric("cpu", c)?);
    } else if cpu_percent > 0 {
        metrics.push(crate::api::autoscaling::cpu_utilization(cpu_percent));
    }
    if let Some(m) = p.get("memory").filter(|m| !m.is_empty()) {
        metrics.push(resource_metric("memory", m)?);
    }
    let ns = ctx.namespace(&p);
    let targets: Vec<ObjectKey> = if super::sources::given(&p) {
        let (found, mut errs) = infos(&p, &ns, ctx)?;
        if let Some(e) = errs.pop() {
            return Err(e);
        }
        found.iter().map(|i| ObjectKey::new(i.kind, &ns, i.name())).collect()
    } else {
        match parse_args(&p.args).map_err(CmdError::Msg)? {
            Selection::Names(n) => n.into_iter().map(|(k, n)| ObjectKey::new(k, &ns, &n)).collect(),
            Selection::Types(kinds) if kinds.is_empty() => {
                return Err(CmdError::Msg("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".into()));
            }
            Selection::Types(_) => {
                return Err(CmdError::Msg(
                    "resource(s) were provided, but no name was specified".into(),
                ));
            }
        }
    };
    for key in targets {
        let info = key.kind.info();
        if ctx.world.api().store().get(&key).is_none() {
            return Err(ApiError::not_found(&info.resource_group(), &key.name).into());
        }
        if !crate::api::scale::has_scale(key.kind) {
            return Err(CmdError::Msg(format!(
                "cannot autoscale a {}: could not find scale subresource for {}/{}, Resource={} in discovery information",
                key.kind.name(),
                info.group,
                info.version,
                info.plural
            )));
        }
        let hpa = HorizontalPodAutoscaler {
            metadata: ObjectMeta {
                name: Some(p.get("name").unwrap_or(&key.name).to_string()),
                // 1.35 sets the namespace in the object only when one was given.
                namespace: p.get("namespace").map(str::to_string),
                ..Default::default()
            },
            spec: Some(HorizontalPodAutoscalerSpec {
                scale_target_ref: CrossVersionObjectReference {
                    api_version: Some(info.api_version()),
                    kind: key.kind.name().into(),
                    name: key.name.clone(),
                },
                min_replicas: (min > 0).then_some(min),
                max_replicas: max,
                metrics: (!metrics.is_empty()).then(|| metrics.clone()),
                behavior: None,
            }),
            status: Some(Default::default()),
        };
        let obj = Object::HorizontalPodAutoscaler(hpa);
        let obj = if p.on("save-config") {
            super::create::save_config(obj)
        } else {
            obj
        };
        match dry {
            DryRun::Client => {
                // The client-side object prints `currentMetrics: null` (no omitempty there).
                let mut v = with_type(&obj);
                if let Some(st) = v.pointer_mut("/status").and_then(|s| s.as_object_mut()) {
                    st.insert("currentMetrics".into(), serde_json::Value::Null);
                }
                match p.get("output").unwrap_or("") {
                    "yaml" => ctx.out.out(to_yaml(&v)),
                    "json" => ctx.out.out(format!("{}\n", to_json(&v))),
                    _ => print_result(&obj, "created", dry, &p, ctx),
                }
            }
            DryRun::Server => {
                let mut probe = obj.clone();
                crate::api::defaults::apply(&mut probe);
                print_result(&probe, "autoscaled", dry, &p, ctx);
            }
            DryRun::None => match ctx.world.api_mut().create(obj) {
                Ok(created) => print_result(&created, "autoscaled", dry, &p, ctx),
                Err(e) => return Err(v1_fallback(e, cpu, p.get("memory"))),
            },
        }
    }
    Ok(0)
}

/// A failed v2 create goes through `canCreateHPAV1`: without `--cpu` its parse of the empty
/// value fails (`empty input`); with a `--cpu` percentage and no `--memory` the v1 retry fails
/// as v2 did and that error is shown; otherwise the check passes a nil error to `%w`.
fn v1_fallback(e: ApiError, cpu: Option<&str>, memory: Option<&str>) -> CmdError {
    let prefix = "failed to create autoscaling/v2 HPA and the configuration is incompatible with autoscaling/v1";
    match cpu {
        None => CmdError::Msg(format!("{prefix}: empty input")),
        Some(c) if c.ends_with('%') && memory.is_none_or(str::is_empty) => e.into(),
        Some(_) => CmdError::Msg(format!("{prefix}: %!w(<nil>)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_inputs() {
        let t = |r, s| resource_metric(r, s).ok().and_then(|m| m.resource).map(|r| r.target);
        assert_eq!(t("cpu", "80%").and_then(|t| t.average_utilization), Some(80));
        assert_eq!(
            t("cpu", "80").and_then(|t| t.average_value).map(|q| q.0),
            Some("80m".into())
        );
        assert_eq!(
            t("memory", "200").and_then(|t| t.average_value).map(|q| q.0),
            Some("200Mi".into())
        );
        assert!(t("cpu", "-10%").is_none());
        assert!(t("memory", "512MiB").is_none());
    }
}
