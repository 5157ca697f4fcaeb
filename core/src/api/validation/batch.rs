//! Validation of Jobs and CronJobs (pkg/apis/batch/validation/validation.go): the pod template
//! restarts only OnFailure or Never, counts are not negative, a CronJob's schedule parses.

use k8s_openapi::api::batch::v1::{CronJob, Job, JobSpec};

use super::Errors;
use super::pod;
use crate::api::errors::{BadValue, FieldError};

fn nonnegative(v: Option<i32>, field: &str, errs: &mut Errors) {
    if let Some(n) = v.filter(|n| *n < 0) {
        errs.push(FieldError::invalid(
            field,
            BadValue::Int(n.into()),
            "must be greater than or equal to 0",
        ));
    }
}

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
    let mode = spec.completion_mode.as_deref().unwrap_or("NonIndexed");
    if !["NonIndexed", "Indexed"].contains(&mode) {
        errs.push(FieldError::not_supported(
            format!("{prefix}.completionMode"),
            BadValue::Str(mode.into()),
            &["NonIndexed", "Indexed"],
        ));
    }
    if mode == "Indexed" && spec.completions.is_none() {
        errs.push(FieldError::required(
            format!("{prefix}.completions"),
            "when completion mode is Indexed",
        ));
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

pub fn job(j: &Job, errs: &mut Errors) {
    match &j.spec {
        Some(spec) => job_spec(spec, "spec", errs),
        None => errs.push(FieldError::required("spec.template", "")),
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
    } else if spec.schedule.contains("TZ") {
        errs.push(FieldError::invalid(
            "spec.schedule",
            BadValue::Str(spec.schedule.clone()),
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ));
    } else if let Err(e) = crate::controllers::parse_schedule(&spec.schedule) {
        errs.push(FieldError::invalid(
            "spec.schedule",
            BadValue::Str(spec.schedule.clone()),
            e,
        ));
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
