//! Validation of Jobs and CronJobs (pkg/apis/batch/validation/validation.go): the pod template
//! restarts only OnFailure or Never, counts are not negative, a CronJob's schedule parses.

use k8s_openapi::api::batch::v1::{CronJob, Job, JobSpec};

use super::pod;
use super::{Errors, nonnegative};
use crate::api::errors::{BadValue, FieldError};

fn job_spec(spec: &JobSpec, prefix: &str, errs: &mut Errors) {
    nonnegative(spec.parallelism, &format!("{prefix}.parallelism"), errs);
    nonnegative(spec.completions, &format!("{prefix}.completions"), errs);
    nonnegative(spec.backoff_limit, &format!("{prefix}.backoffLimit"), errs);
    if let Some(n) = spec.active_deadline_seconds.filter(|n| *n <= 0) {
        errs.push(FieldError::invalid(
            format!("{prefix}.activeDeadlineSeconds"),
            BadValue::Int(n),
            "must be greater than 0",
        ));
    }
    if let Some(n) = spec.ttl_seconds_after_finished.filter(|n| *n < 0) {
        errs.push(FieldError::invalid(
            format!("{prefix}.ttlSecondsAfterFinished"),
            BadValue::Int(n.into()),
            "must be greater than or equal to 0",
        ));
    }
    nonnegative(
        spec.backoff_limit_per_index,
        &format!("{prefix}.backoffLimitPerIndex"),
        errs,
    );
    if let Some(m) = spec.max_failed_indexes {
        nonnegative(Some(m), &format!("{prefix}.maxFailedIndexes"), errs);
        if spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::required(
                format!("{prefix}.backoffLimitPerIndex"),
                "when maxFailedIndexes is specified",
            ));
        }
    }
    let mode = spec.completion_mode.as_deref().unwrap_or("NonIndexed");
    if !["NonIndexed", "Indexed"].contains(&mode) {
        errs.push(FieldError::not_supported(
            format!("{prefix}.completionMode"),
            BadValue::Str(mode.into()),
            &["NonIndexed", "Indexed"],
        ));
    }
    if mode == "Indexed" {
        indexed_limits(spec, prefix, errs);
    } else {
        for (field, v) in [
            ("backoffLimitPerIndex", spec.backoff_limit_per_index),
            ("maxFailedIndexes", spec.max_failed_indexes),
        ] {
            if let Some(n) = v {
                errs.push(FieldError::invalid(
                    format!("{prefix}.{field}"),
                    BadValue::Int(n.into()),
                    "requires indexed completion mode",
                ));
            }
        }
    }
    if spec.pod_failure_policy.is_some() {
        pod_failure_policy(spec, &format!("{prefix}.podFailurePolicy"), errs);
    }
    if let Some(policy) = &spec.success_policy {
        let field = format!("{prefix}.successPolicy");
        if mode != "Indexed" {
            let shown = if policy.rules.is_empty() {
                "batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{}}"
            } else {
                "batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{...}}"
            };
            errs.push(FieldError::invalid(
                field,
                BadValue::Raw(shown.into()),
                "requires indexed completion mode",
            ));
        } else {
            success_policy(spec, &field, errs);
        }
    }
    if let Some(r) = &spec.pod_replacement_policy {
        let field = format!("{prefix}.podReplacementPolicy");
        if spec.pod_failure_policy.is_some() {
            if r != "Failed" {
                errs.push(FieldError::not_supported(field, BadValue::Str(r.clone()), &["Failed"]));
            }
        } else if r != "Failed" && r != "TerminatingOrFailed" {
            errs.push(FieldError::not_supported(
                field,
                BadValue::Str(r.clone()),
                &["Failed", "TerminatingOrFailed"],
            ));
        }
    }
    let Some(pod_spec) = &spec.template.spec else {
        return errs.push(FieldError::required(format!("{prefix}.template.spec.containers"), ""));
    };
    pod::pod_spec(pod_spec, &format!("{prefix}.template.spec"), errs);
    let rp = pod_spec.restart_policy.as_deref().unwrap_or("Always");
    let field = format!("{prefix}.template.spec.restartPolicy");
    if rp == "Always" || rp.is_empty() {
        errs.push(FieldError::required(field, "valid values: \"OnFailure\", \"Never\""));
    } else if rp != "OnFailure" && rp != "Never" {
        errs.push(FieldError::not_supported(
            field,
            BadValue::Str(rp.into()),
            &["OnFailure", "Never"],
        ));
    } else if spec.pod_failure_policy.is_some() && rp != "Never" {
        errs.push(FieldError::invalid(
            field,
            BadValue::Str(rp.into()),
            "only \"Never\" is supported when podFailurePolicy is specified",
        ));
    }
}

/// Limits of Indexed Jobs (`maxParallelismForIndexedJob`, `completionsSoftLimit` and the
/// backoffLimitPerIndex caps above it).
fn indexed_limits(spec: &JobSpec, prefix: &str, errs: &mut Errors) {
    const MAX_PARALLELISM: i32 = 100_000;
    const MAX_FAILED: i32 = 100_000;
    const SOFT_COMPLETIONS: i32 = 100_000;
    const HIGH_PARALLELISM: i32 = 10_000;
    const HIGH_MAX_FAILED: i32 = 10_000;
    if spec.completions.is_none() {
        errs.push(FieldError::required(
            format!("{prefix}.completions"),
            "when completion mode is Indexed",
        ));
    }
    if let Some(p) = spec.parallelism.filter(|p| *p > MAX_PARALLELISM) {
        errs.push(FieldError::invalid(
            format!("{prefix}.parallelism"),
            BadValue::Int(p.into()),
            format!("must be less than or equal to {MAX_PARALLELISM} when completion mode is Indexed"),
        ));
    }
    if let (Some(c), Some(m)) = (spec.completions, spec.max_failed_indexes)
        && m > c
    {
        errs.push(FieldError::invalid(
            format!("{prefix}.maxFailedIndexes"),
            BadValue::Int(m.into()),
            "must be less than or equal to completions",
        ));
    }
    if let Some(m) = spec.max_failed_indexes.filter(|m| *m > MAX_FAILED) {
        errs.push(FieldError::invalid(
            format!("{prefix}.maxFailedIndexes"),
            BadValue::Int(m.into()),
            format!("must be less than or equal to {MAX_FAILED}"),
        ));
    }
    if spec.completions.is_some_and(|c| c > SOFT_COMPLETIONS) && spec.backoff_limit_per_index.is_some() {
        let high = format!("when completions are above {SOFT_COMPLETIONS} and used with backoff limit per index");
        if spec.max_failed_indexes.is_none() {
            errs.push(FieldError::required(
                format!("{prefix}.maxFailedIndexes"),
                format!("must be specified when completions is above {SOFT_COMPLETIONS}"),
            ));
        }
        if let Some(p) = spec.parallelism.filter(|p| *p > HIGH_PARALLELISM) {
            errs.push(FieldError::invalid(
                format!("{prefix}.parallelism"),
                BadValue::Int(p.into()),
                format!("must be less than or equal to {HIGH_PARALLELISM} {high}"),
            ));
        }
        if let Some(m) = spec.max_failed_indexes.filter(|m| *m > HIGH_MAX_FAILED) {
            errs.push(FieldError::invalid(
                format!("{prefix}.maxFailedIndexes"),
                BadValue::Int(m.into()),
                format!("must be less than or equal to {HIGH_MAX_FAILED} {high}"),
            ));
        }
    }
}

/// `validatePodFailurePolicy` and its rules.
fn pod_failure_policy(spec: &JobSpec, prefix: &str, errs: &mut Errors) {
    const ACTIONS: &[&str] = &["Count", "FailIndex", "FailJob", "Ignore"];
    let Some(policy) = &spec.pod_failure_policy else { return };
    let names: Vec<&str> = spec
        .template
        .spec
        .iter()
        .flat_map(|s| s.containers.iter().chain(s.init_containers.iter().flatten()))
        .map(|c| c.name.as_str())
        .collect();
    for (i, rule) in policy.rules.iter().enumerate() {
        let path = format!("{prefix}.rules[{i}]");
        let action = format!("{path}.action");
        if rule.action.is_empty() {
            errs.push(FieldError::required(
                action,
                "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]",
            ));
        } else if rule.action == "FailIndex" {
            if spec.backoff_limit_per_index.is_none() {
                errs.push(FieldError::invalid(
                    action,
                    BadValue::Str(rule.action.clone()),
                    "requires the backoffLimitPerIndex to be set",
                ));
            }
        } else if !ACTIONS.contains(&rule.action.as_str()) {
            errs.push(FieldError::not_supported(
                action,
                BadValue::Str(rule.action.clone()),
                ACTIONS,
            ));
        }
        if let Some(req) = &rule.on_exit_codes {
            let p = format!("{path}.onExitCodes");
            if req.operator.is_empty() {
                errs.push(FieldError::required(
                    format!("{p}.operator"),
                    "valid values: [\"In\" \"NotIn\"]",
                ));
            } else if req.operator != "In" && req.operator != "NotIn" {
                errs.push(FieldError::not_supported(
                    format!("{p}.operator"),
                    BadValue::Str(req.operator.clone()),
                    &["In", "NotIn"],
                ));
            }
            if let Some(c) = req.container_name.as_ref().filter(|c| !names.contains(&c.as_str())) {
                errs.push(FieldError::invalid(
                    format!("{p}.containerName"),
                    BadValue::Str(c.clone()),
                    "must be one of the container or initContainer names in the pod template",
                ));
            }
            let shown = || {
                let v: Vec<String> = req.values.iter().map(i32::to_string).collect();
                BadValue::Raw(format!("[]int32{{{}}}", v.join(", ")))
            };
            if req.values.is_empty() {
                errs.push(FieldError::invalid(
                    format!("{p}.values"),
                    shown(),
                    "at least one value is required",
                ));
            }
            let mut seen = std::collections::BTreeSet::new();
            for (j, v) in req.values.iter().enumerate() {
                if req.operator == "In" && *v == 0 {
                    errs.push(FieldError::invalid(
                        format!("{p}.values[{j}]"),
                        BadValue::Int((*v).into()),
                        "must not be 0 for the In operator",
                    ));
                }
                if !seen.insert(*v) {
                    errs.push(FieldError::duplicate(
                        format!("{p}.values[{j}]"),
                        BadValue::Int((*v).into()),
                    ));
                }
            }
            if req.values.windows(2).any(|w| w[0] > w[1]) {
                errs.push(FieldError::invalid(format!("{p}.values"), shown(), "must be ordered"));
            }
        }
        let conditions = rule.on_pod_conditions.as_deref().unwrap_or(&[]);
        for (j, pattern) in conditions.iter().enumerate() {
            let status = pattern.status.as_deref().unwrap_or("");
            let field = format!("{path}.onPodConditions[{j}].status");
            if status.is_empty() {
                errs.push(FieldError::required(
                    field,
                    "valid values: [\"False\" \"True\" \"Unknown\"]",
                ));
            } else if !["False", "True", "Unknown"].contains(&status) {
                errs.push(FieldError::not_supported(
                    field,
                    BadValue::Str(status.into()),
                    &["False", "True", "Unknown"],
                ));
            }
        }
        if rule.on_exit_codes.is_some() && !conditions.is_empty() {
            errs.push(FieldError::invalid(
                path,
                BadValue::Omitted,
                "specifying both OnExitCodes and OnPodConditions is not supported",
            ));
        } else if rule.on_exit_codes.is_none() && conditions.is_empty() {
            errs.push(FieldError::invalid(
                path,
                BadValue::Omitted,
                "specifying one of OnExitCodes and OnPodConditions is required",
            ));
        }
    }
}

/// `validateSuccessPolicy` and its rules.
fn success_policy(spec: &JobSpec, prefix: &str, errs: &mut Errors) {
    let Some(policy) = &spec.success_policy else { return };
    let completions = spec.completions.unwrap_or(0);
    if policy.rules.is_empty() {
        errs.push(FieldError::required(
            format!("{prefix}.rules"),
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    for (i, rule) in policy.rules.iter().enumerate() {
        let path = format!("{prefix}.rules[{i}]");
        if rule.succeeded_count.is_none() && rule.succeeded_indexes.is_none() {
            errs.push(FieldError::required(
                path.clone(),
                "at least one of succeededCount or succeededIndexes must be specified",
            ));
        }
        let mut total = 0usize;
        if let Some(text) = &rule.succeeded_indexes {
            match crate::controllers::job_policy::parse_indexes(text, completions) {
                Ok(set) => total = set.len(),
                Err(e) => errs.push(FieldError::invalid(
                    format!("{path}.succeededIndexes"),
                    BadValue::Str(text.clone()),
                    format!("error parsing succeededIndexes: {e}"),
                )),
            }
        }
        if let Some(n) = rule.succeeded_count {
            let field = format!("{path}.succeededCount");
            nonnegative(Some(n), &field, errs);
            if n > completions {
                errs.push(FieldError::invalid(
                    field.clone(),
                    BadValue::Int(n.into()),
                    format!("must be less than or equal to {completions} (the number of specified completions)"),
                ));
            }
            if rule.succeeded_indexes.is_some() && usize::try_from(n).is_ok_and(|n| n > total) {
                errs.push(FieldError::invalid(
                    field,
                    BadValue::Int(n.into()),
                    format!("must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"),
                ));
            }
        }
    }
}

/// `field is immutable`, with the value as the API server prints it.
fn immutable<T: PartialEq>(new: &T, old: &T, field: &str, value: impl FnOnce() -> BadValue, errs: &mut Errors) {
    if new != old {
        errs.push(FieldError::invalid(field, value(), "field is immutable"));
    }
}

/// `ValidateJobSpecUpdate`: what a running Job may not change. Completions change only for an
/// Indexed Job and only together with parallelism (elastic Indexed Jobs); the pod template only
/// while the Job is suspended and has never started, and then only its scheduling directives.
/// A template's value is Go's `%#v` dump of the whole PodTemplateSpec, shortened here.
pub fn job_update(new: &Job, old: &Job, errs: &mut Errors) {
    let (Some(n), Some(o)) = (&new.spec, &old.spec) else {
        return;
    };
    let int = |v: Option<i32>| v.map_or(BadValue::Raw("null".into()), |n| BadValue::Int(n.into()));
    let indexed = n.completion_mode.as_deref() == Some("Indexed");
    if n.completions != o.completions {
        if !indexed {
            immutable(
                &n.completions,
                &o.completions,
                "spec.completions",
                || int(n.completions),
                errs,
            );
        } else if let Some(c) = n.completions
            && Some(c) != n.parallelism
        {
            errs.push(FieldError::invalid(
                "spec.completions",
                BadValue::Int(c.into()),
                "can only be modified in tandem with spec.parallelism",
            ));
        }
    }
    immutable(
        &n.selector,
        &o.selector,
        "spec.selector",
        || BadValue::Raw(n.selector.as_ref().map_or("null".into(), super::workloads::go_selector)),
        errs,
    );
    let never_started = old.status.as_ref().and_then(|s| s.start_time.as_ref()).is_none();
    let mut template = n.template.clone();
    if o.suspend == Some(true) && never_started {
        // JobMutableSchedulingDirectives: these may change before the Job first runs.
        let (ts, os) = (template.spec.as_mut(), o.template.spec.as_ref());
        if let (Some(ts), Some(os)) = (ts, os) {
            ts.node_selector = os.node_selector.clone();
            ts.tolerations = os.tolerations.clone();
            ts.affinity = os.affinity.clone();
            ts.scheduling_gates = os.scheduling_gates.clone();
        }
        if let (Some(tm), Some(om)) = (template.metadata.as_mut(), o.template.metadata.as_ref()) {
            tm.labels = om.labels.clone();
            tm.annotations = om.annotations.clone();
        }
    }
    immutable(
        &template,
        &o.template,
        "spec.template",
        || BadValue::Raw("core.PodTemplateSpec{...}".into()),
        errs,
    );
    let s = |v: &Option<String>| v.clone().map_or(BadValue::Raw("null".into()), BadValue::Str);
    immutable(
        &n.completion_mode,
        &o.completion_mode,
        "spec.completionMode",
        || s(&n.completion_mode),
        errs,
    );
    immutable(
        &n.pod_failure_policy,
        &o.pod_failure_policy,
        "spec.podFailurePolicy",
        || BadValue::Raw("batch.PodFailurePolicy{...}".into()),
        errs,
    );
    immutable(
        &n.backoff_limit_per_index,
        &o.backoff_limit_per_index,
        "spec.backoffLimitPerIndex",
        || int(n.backoff_limit_per_index),
        errs,
    );
    immutable(
        &n.managed_by,
        &o.managed_by,
        "spec.managedBy",
        || s(&n.managed_by),
        errs,
    );
    immutable(
        &n.success_policy,
        &o.success_policy,
        "spec.successPolicy",
        || BadValue::Raw("batch.SuccessPolicy{...}".into()),
        errs,
    );
    immutable(
        &n.pod_replacement_policy,
        &o.pod_replacement_policy,
        "spec.podReplacementPolicy",
        || s(&n.pod_replacement_policy),
        errs,
    );
}

pub fn job(j: &Job, errs: &mut Errors) {
    match &j.spec {
        Some(spec) => job_spec(spec, "spec", errs),
        None => errs.push(FieldError::required("spec.template", "")),
    }
}

/// `validateTimeZone`: IANA-shaped parts, not `Local`, and a zone the server knows.
fn time_zone(tz: &str, errs: &mut Errors) {
    let invalid = |msg: String| FieldError::invalid("spec.timeZone", BadValue::Str(tz.into()), msg);
    if tz.is_empty() {
        return errs.push(invalid("timeZone must be nil or non-empty string".into()));
    }
    let part_ok = |p: &str| {
        !(p == "." || p == ".." || p.starts_with('-'))
            && (1..=14).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+'))
    };
    if !tz.split('/').all(part_ok) {
        return errs.push(invalid(format!("unknown time zone {tz}")));
    }
    if tz.eq_ignore_ascii_case("local") {
        errs.push(invalid(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones".into(),
        ));
        return;
    }
    if let Err(e) = crate::controllers::load_time_zone(tz) {
        errs.push(invalid(e));
    }
}

pub fn cron_job(c: &CronJob, errs: &mut Errors) {
    if c.metadata.name.as_deref().is_some_and(|n| n.len() > 52) {
        errs.push(FieldError::invalid(
            "metadata.name",
            BadValue::Str(c.metadata.name.clone().unwrap_or_default()),
            "must be no more than 52 characters",
        ));
    }
    let Some(spec) = &c.spec else {
        return errs.push(FieldError::required("spec.schedule", ""));
    };
    if spec.schedule.is_empty() {
        errs.push(FieldError::required("spec.schedule", ""));
    } else {
        if let Err(e) = crate::controllers::parse_schedule(&spec.schedule) {
            errs.push(FieldError::invalid(
                "spec.schedule",
                BadValue::Str(spec.schedule.clone()),
                e,
            ));
        }
        // On create; an update may keep a TZ its old schedule already had.
        if spec.schedule.contains("TZ") {
            errs.push(FieldError::invalid(
                "spec.schedule",
                BadValue::Str(spec.schedule.clone()),
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            ));
        }
    }
    if let Some(tz) = &spec.time_zone {
        time_zone(tz, errs);
    }
    let policy = spec.concurrency_policy.as_deref().unwrap_or("Allow");
    if !["Allow", "Forbid", "Replace"].contains(&policy) {
        errs.push(FieldError::not_supported(
            "spec.concurrencyPolicy",
            BadValue::Str(policy.into()),
            &["Allow", "Forbid", "Replace"],
        ));
    }
    nonnegative(
        spec.successful_jobs_history_limit,
        "spec.successfulJobsHistoryLimit",
        errs,
    );
    nonnegative(spec.failed_jobs_history_limit, "spec.failedJobsHistoryLimit", errs);
    match &spec.job_template.spec {
        Some(js) => job_spec(js, "spec.jobTemplate.spec", errs),
        None => errs.push(FieldError::required("spec.jobTemplate.spec.template", "")),
    }
}
