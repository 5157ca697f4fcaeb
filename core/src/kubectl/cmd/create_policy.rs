//! `kubectl create priorityclass`, `create quota` and `create poddisruptionbudget`
//! (staging/src/k8s.io/kubectl/pkg/cmd/create/create_priorityclass.go, create_quota.go,
//! create_pdb.go): objects that govern other objects, built from flags.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ResourceQuota, ResourceQuotaSpec};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::create::{one_name, send_wrapped_with};
use crate::kubectl::flags::{self, flag};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::Object;

/// `create priorityclass NAME [--value=N] [--global-default] [--description=...]
/// [--preemption-policy=...]`.
pub fn priority_class(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create priorityclass";
    let specs = super::create::generator_flags(&[
        flag("value", None, true),
        flag("global-default", None, false),
        flag("description", None, true),
        flag("preemption-policy", None, true),
    ]);
    let p = flags::parse(args, &specs).map_err(|e| flag_error(cmd, e))?;
    let value: i32 = match p.get("value") {
        None => 0,
        Some(v) => v.parse().map_err(|_| {
            flag_error(
                cmd,
                format!("invalid argument {v:?} for \"--value\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"),
            )
        })?,
    };
    let name = one_name(&p, cmd)?;
    let pc = PriorityClass {
        metadata: ObjectMeta {
            name: Some(name),
            ..Default::default()
        },
        value,
        global_default: p.on("global-default").then_some(true),
        description: p.get("description").filter(|d| !d.is_empty()).map(str::to_string),
        preemption_policy: Some(p.get("preemption-policy").unwrap_or("PreemptLowerPriority").to_string()),
    };
    send_wrapped_with(Object::PriorityClass(pc), "failed to create priorityclass: ", &p, ctx)
}

/// `create quota NAME [--hard=key=value,...] [--scopes=Scope,...]`.
pub fn quota(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create quota";
    let specs = super::create::generator_flags(&[flag("hard", None, true), flag("scopes", None, true)]);
    let p = flags::parse(args, &specs).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    // `populateResourceListV1`.
    let hard = match p.get("hard").unwrap_or("") {
        "" => None,
        text => {
            let mut list = BTreeMap::new();
            for statement in text.split(',') {
                let parts: Vec<&str> = statement.split('=').collect();
                let [resource, value] = parts.as_slice() else {
                    return Err(CmdError::Msg(format!(
                        "Invalid argument syntax {statement}, expected <resource>=<value>"
                    )));
                };
                let q = crate::api::quantity::Quantity::parse(value).map_err(CmdError::Msg)?;
                list.insert(resource.to_string(), Quantity(q.canonical()));
            }
            Some(list)
        }
    };
    // `parseScopes`: the server checks the names.
    let scopes = match p.get("scopes").unwrap_or("") {
        "" => None,
        text => {
            let mut out = Vec::new();
            for scope in text.split(',') {
                if scope.is_empty() {
                    return Err(CmdError::Msg("invalid resource quota scope \"\"".into()));
                }
                out.push(scope.to_string());
            }
            Some(out)
        }
    };
    let q = ResourceQuota {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: p.get("namespace").map(str::to_string),
            ..Default::default()
        },
        spec: Some(ResourceQuotaSpec {
            hard,
            scopes,
            ..Default::default()
        }),
        status: Some(Default::default()),
    };
    send_wrapped_with(Object::ResourceQuota(q), "failed to create quota: ", &p, ctx)
}

/// `create poddisruptionbudget NAME --selector=... --min-available=N|--max-unavailable=N`.
pub fn pod_disruption_budget(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let cmd = "create poddisruptionbudget";
    let specs = super::create::generator_flags(&[
        flag("min-available", None, true),
        flag("max-unavailable", None, true),
        flag("selector", None, true),
    ]);
    let p = flags::parse(args, &specs).map_err(|e| flag_error(cmd, e))?;
    let name = one_name(&p, cmd)?;
    let selector = p.get("selector").unwrap_or("");
    let min = p.get("min-available").unwrap_or("");
    let max = p.get("max-unavailable").unwrap_or("");
    if selector.is_empty() {
        return Err(CmdError::Msg("a selector must be specified".into()));
    }
    if min.is_empty() && max.is_empty() {
        return Err(CmdError::Msg(
            "one of min-available or max-unavailable must be specified".into(),
        ));
    }
    if !min.is_empty() && !max.is_empty() {
        return Err(CmdError::Msg(
            "min-available and max-unavailable cannot be both specified".into(),
        ));
    }
    // `^[0-9]+%?$`.
    let number_or_percent = |s: &str| {
        let digits = s.strip_suffix('%').unwrap_or(s);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if !min.is_empty() && !number_or_percent(min) {
        return Err(CmdError::Msg("invalid format specified for min-available".into()));
    }
    if !max.is_empty() && !number_or_percent(max) {
        return Err(CmdError::Msg("invalid format specified for max-unavailable".into()));
    }
    let sel = crate::labels::Selector::parse(selector)
        .map_err(|e| CmdError::Msg(format!("couldn't parse the selector string \"{selector}\": {e}")))?
        .to_label_selector()
        .map_err(CmdError::Msg)?;
    // `intstr.Parse`: a number that fits an int32, else a string.
    let int_or_string = |s: &str| match s.parse::<i32>() {
        Ok(n) => IntOrString::Int(n),
        Err(_) => IntOrString::String(s.to_string()),
    };
    let pdb = PodDisruptionBudget {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: p.get("namespace").map(str::to_string),
            ..Default::default()
        },
        spec: Some(PodDisruptionBudgetSpec {
            selector: Some(sel),
            min_available: (!min.is_empty()).then(|| int_or_string(min)),
            max_unavailable: (!max.is_empty()).then(|| int_or_string(max)),
            ..Default::default()
        }),
        status: Some(Default::default()),
    };
    send_wrapped_with(
        Object::PodDisruptionBudget(pdb),
        "failed to create poddisruptionbudgets: ",
        &p,
        ctx,
    )
}
