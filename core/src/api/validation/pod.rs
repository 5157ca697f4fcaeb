//! Pod spec validation, the part of k8s.io/kubernetes/pkg/apis/core/validation/validation.go
//! that a learner's manifests meet most: names, images, ports, probes, volumes, resources.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Container, PodSpec, Probe, ResourceRequirements, Volume};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::names;
use super::{Errors, each};
use crate::api::errors::{BadValue, FieldError};
use crate::api::quantity::Quantity;

pub fn pod_spec(spec: &PodSpec, path: &str, errs: &mut Errors) {
    let volumes = volumes(spec.volumes.as_deref().unwrap_or(&[]), &format!("{path}.volumes"), errs);
    let mut names = BTreeSet::new();
    if spec.containers.is_empty() {
        errs.push(FieldError::required(format!("{path}.containers"), ""));
    }
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        container(
            c,
            &format!("{path}.initContainers[{i}]"),
            &volumes,
            &mut names,
            true,
            errs,
        );
    }
    for (i, c) in spec.containers.iter().enumerate() {
        container(c, &format!("{path}.containers[{i}]"), &volumes, &mut names, false, errs);
    }
    one_of(
        spec.restart_policy.as_deref(),
        &format!("{path}.restartPolicy"),
        &["Always", "OnFailure", "Never"],
        errs,
    );
    one_of(
        spec.dns_policy.as_deref(),
        &format!("{path}.dnsPolicy"),
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        errs,
    );
    if let Some(g) = spec.termination_grace_period_seconds
        && g < 0
    {
        errs.push(FieldError::invalid(
            format!("{path}.terminationGracePeriodSeconds"),
            BadValue::Int(g),
            "must be greater than or equal to 0",
        ));
    }
    if let Some(sel) = &spec.node_selector {
        super::labels(sel, &format!("{path}.nodeSelector"), errs);
    }
    if let Some(a) = &spec.affinity {
        affinity_weights(a, &format!("{path}.affinity"), errs);
    }
    for (i, t) in spec.tolerations.iter().flatten().enumerate() {
        let p = format!("{path}.tolerations[{i}]");
        one_of(
            t.operator.as_deref(),
            &format!("{p}.operator"),
            &["Equal", "Exists"],
            errs,
        );
        if t.operator.as_deref() == Some("Exists") && t.value.as_deref().is_some_and(|v| !v.is_empty()) {
            errs.push(FieldError::invalid(
                format!("{p}.operator"),
                BadValue::Str(t.value.clone().unwrap_or_default()),
                "value must be empty when `operator` is 'Exists'",
            ));
        }
        one_of(
            t.effect.as_deref().filter(|e| !e.is_empty()),
            &format!("{p}.effect"),
            &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            errs,
        );
    }
}

/// Preferred terms carry a weight of 1-100 (pkg/apis/core/validation/validation.go,
/// `ValidatePreferredSchedulingTerms` and `validateWeightedPodAffinityTerms`); the scheduler
/// sums them into scores, so an unchecked weight would also skew every node's score.
fn affinity_weights(a: &k8s_openapi::api::core::v1::Affinity, path: &str, errs: &mut Errors) {
    let preferred = |n: Option<Vec<i32>>| n.unwrap_or_default();
    let lists = [
        (
            "nodeAffinity",
            preferred(a.node_affinity.as_ref().and_then(|n| {
                let terms = n.preferred_during_scheduling_ignored_during_execution.as_ref()?;
                Some(terms.iter().map(|t| t.weight).collect())
            })),
        ),
        (
            "podAffinity",
            preferred(a.pod_affinity.as_ref().and_then(|n| {
                let terms = n.preferred_during_scheduling_ignored_during_execution.as_ref()?;
                Some(terms.iter().map(|t| t.weight).collect())
            })),
        ),
        (
            "podAntiAffinity",
            preferred(a.pod_anti_affinity.as_ref().and_then(|n| {
                let terms = n.preferred_during_scheduling_ignored_during_execution.as_ref()?;
                Some(terms.iter().map(|t| t.weight).collect())
            })),
        ),
    ];
    for (kind, weights) in lists {
        for (i, w) in weights.into_iter().enumerate() {
            if !(1..=100).contains(&w) {
                errs.push(FieldError::invalid(
                    format!("{path}.{kind}.preferredDuringSchedulingIgnoredDuringExecution[{i}].weight"),
                    BadValue::Int(w.into()),
                    "must be in the range 1-100",
                ));
            }
        }
    }
}

fn one_of(v: Option<&str>, path: &str, allowed: &[&str], errs: &mut Errors) {
    if let Some(v) = v
        && !allowed.contains(&v)
    {
        errs.push(FieldError::not_supported(path, BadValue::Str(v.into()), allowed));
    }
}

/// Validates the volumes and returns their names, for volumeMount checks.
fn volumes(vols: &[Volume], path: &str, errs: &mut Errors) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for (i, v) in vols.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if v.name.is_empty() {
            errs.push(FieldError::required(format!("{p}.name"), ""));
        } else {
            each(
                names::dns1123_label(&v.name),
                |m| FieldError::invalid(format!("{p}.name"), BadValue::Str(v.name.clone()), m),
                errs,
            );
            if !seen.insert(v.name.clone()) {
                errs.push(FieldError::duplicate(
                    format!("{p}.name"),
                    BadValue::Str(v.name.clone()),
                ));
            }
        }
        let sources = [
            v.empty_dir.is_some(),
            v.config_map.is_some(),
            v.secret.is_some(),
            v.host_path.is_some(),
            v.persistent_volume_claim.is_some(),
            v.nfs.is_some(),
            v.projected.is_some(),
            v.downward_api.is_some(),
            v.csi.is_some(),
            v.ephemeral.is_some(),
            v.image.is_some(),
        ];
        if sources.iter().filter(|s| **s).count() > 1 {
            errs.push(FieldError::forbidden(
                p.clone(),
                "may not specify more than 1 volume type",
            ));
        }
        if let Some(cm) = &v.config_map
            && cm.name.is_empty()
        {
            errs.push(FieldError::required(format!("{p}.configMap.name"), ""));
        }
        if let Some(s) = &v.secret
            && s.secret_name.as_deref().unwrap_or("").is_empty()
        {
            errs.push(FieldError::required(format!("{p}.secret.secretName"), ""));
        }
        if let Some(c) = &v.persistent_volume_claim
            && c.claim_name.is_empty()
        {
            errs.push(FieldError::required(format!("{p}.persistentVolumeClaim.claimName"), ""));
        }
        if let Some(n) = &v.nfs {
            if n.server.is_empty() {
                errs.push(FieldError::required(format!("{p}.nfs.server"), ""));
            }
            if n.path.is_empty() {
                errs.push(FieldError::required(format!("{p}.nfs.path"), ""));
            } else if !n.path.starts_with('/') {
                errs.push(FieldError::invalid(
                    format!("{p}.nfs.path"),
                    BadValue::Str(n.path.clone()),
                    "must be an absolute path",
                ));
            }
        }
    }
    seen
}

fn container(
    c: &Container,
    path: &str,
    volumes: &BTreeSet<String>,
    names_seen: &mut BTreeSet<String>,
    init: bool,
    errs: &mut Errors,
) {
    if c.name.is_empty() {
        errs.push(FieldError::required(format!("{path}.name"), ""));
    } else {
        each(
            names::dns1123_label(&c.name),
            |m| FieldError::invalid(format!("{path}.name"), BadValue::Str(c.name.clone()), m),
            errs,
        );
        if !names_seen.insert(c.name.clone()) {
            errs.push(FieldError::duplicate(
                format!("{path}.name"),
                BadValue::Str(c.name.clone()),
            ));
        }
    }
    if c.image.as_deref().unwrap_or("").trim().is_empty() {
        errs.push(FieldError::required(format!("{path}.image"), ""));
    }
    one_of(
        c.image_pull_policy.as_deref(),
        &format!("{path}.imagePullPolicy"),
        &["Always", "IfNotPresent", "Never"],
        errs,
    );
    let mut port_names = BTreeSet::new();
    for (i, p) in c.ports.iter().flatten().enumerate() {
        let pp = format!("{path}.ports[{i}]");
        if let Some(name) = &p.name {
            each(
                names::port_name(name),
                |m| FieldError::invalid(format!("{pp}.name"), BadValue::Str(name.clone()), m),
                errs,
            );
            if !port_names.insert(name.clone()) {
                errs.push(FieldError::duplicate(format!("{pp}.name"), BadValue::Str(name.clone())));
            }
        }
        if p.container_port == 0 {
            errs.push(FieldError::required(format!("{pp}.containerPort"), ""));
        } else if !(1..=65535).contains(&p.container_port) {
            errs.push(FieldError::invalid(
                format!("{pp}.containerPort"),
                BadValue::Int(p.container_port.into()),
                "must be between 1 and 65535, inclusive",
            ));
        }
        one_of(
            p.protocol.as_deref(),
            &format!("{pp}.protocol"),
            &["SCTP", "TCP", "UDP"],
            errs,
        );
    }
    let mut mount_paths = BTreeSet::new();
    for (i, m) in c.volume_mounts.iter().flatten().enumerate() {
        let mp = format!("{path}.volumeMounts[{i}]");
        if m.name.is_empty() {
            errs.push(FieldError::required(format!("{mp}.name"), ""));
        } else if !volumes.contains(&m.name) {
            errs.push(FieldError::not_found(
                format!("{mp}.name"),
                BadValue::Str(m.name.clone()),
            ));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(format!("{mp}.mountPath"), ""));
        } else if !mount_paths.insert(m.mount_path.clone()) {
            errs.push(FieldError::invalid(
                format!("{mp}.mountPath"),
                BadValue::Str(m.mount_path.clone()),
                "must be unique",
            ));
        }
    }
    if let Some(r) = &c.resources {
        resources(r, &format!("{path}.resources"), errs);
    }
    let probes = [
        ("livenessProbe", &c.liveness_probe),
        ("readinessProbe", &c.readiness_probe),
        ("startupProbe", &c.startup_probe),
    ];
    let restartable = c.restart_policy.as_deref() == Some("Always");
    for (field, probe_opt) in probes {
        let Some(p) = probe_opt else { continue };
        let pp = format!("{path}.{field}");
        if init && !restartable {
            errs.push(FieldError::forbidden(
                pp.clone(),
                "may not be set for init containers without restartPolicy=Always",
            ));
            continue;
        }
        probe(p, &pp, field != "readinessProbe", errs);
        // validateReadinessProbe: the grace period is for probes that kill the container.
        if field == "readinessProbe"
            && let Some(g) = p.termination_grace_period_seconds
        {
            errs.push(FieldError::invalid(
                format!("{pp}.terminationGracePeriodSeconds"),
                BadValue::Int(g),
                "must not be set for readinessProbes",
            ));
        }
    }
    if init && c.lifecycle.is_some() && !restartable {
        errs.push(FieldError::forbidden(
            format!("{path}.lifecycle"),
            "may not be set for init containers without restartPolicy=Always",
        ));
    }
}

fn resources(r: &ResourceRequirements, path: &str, errs: &mut Errors) {
    for (list_name, list) in [("limits", &r.limits), ("requests", &r.requests)] {
        for (k, v) in list.iter().flatten() {
            if let Ok(q) = Quantity::parse(&v.0)
                && q < Quantity::ZERO
            {
                errs.push(FieldError::invalid(
                    format!("{path}.{list_name}[{k}]"),
                    BadValue::Str(v.0.clone()),
                    "must be greater than or equal to 0",
                ));
            }
        }
    }
    if let (Some(limits), Some(requests)) = (&r.limits, &r.requests) {
        for (k, req) in requests {
            let (Some(lim), Ok(rq)) = (limits.get(k), Quantity::parse(&req.0)) else {
                continue;
            };
            if let Ok(l) = Quantity::parse(&lim.0)
                && rq > l
            {
                errs.push(FieldError::invalid(
                    format!("{path}.requests"),
                    BadValue::Str(req.0.clone()),
                    format!("must be less than or equal to {k} limit of {}", lim.0),
                ));
            }
        }
    }
}

fn probe(p: &Probe, path: &str, success_must_be_one: bool, errs: &mut Errors) {
    let handlers = [
        p.exec.is_some(),
        p.http_get.is_some(),
        p.tcp_socket.is_some(),
        p.grpc.is_some(),
    ];
    match handlers.iter().filter(|h| **h).count() {
        0 => errs.push(FieldError::required(path, "must specify a handler type")),
        1 => {}
        _ => errs.push(FieldError::forbidden(path, "may not specify more than 1 handler type")),
    }
    // validateProbe (pkg/apis/core/validation/validation.go, v1.35): ValidateNonnegativeField
    // on all five; a zero was already defaulted (SetDefaults_Probe).
    for (field, v) in [
        ("initialDelaySeconds", p.initial_delay_seconds),
        ("timeoutSeconds", p.timeout_seconds),
        ("periodSeconds", p.period_seconds),
        ("successThreshold", p.success_threshold),
        ("failureThreshold", p.failure_threshold),
    ] {
        if let Some(v) = v
            && v < 0
        {
            errs.push(FieldError::invalid(
                format!("{path}.{field}"),
                BadValue::Int(v.into()),
                "must be greater than or equal to 0",
            ));
        }
    }
    if let Some(g) = p.termination_grace_period_seconds
        && g <= 0
    {
        errs.push(FieldError::invalid(
            format!("{path}.terminationGracePeriodSeconds"),
            BadValue::Int(g),
            "must be greater than 0",
        ));
    }
    if success_must_be_one
        && let Some(s) = p.success_threshold
        && s != 1
    {
        errs.push(FieldError::invalid(
            format!("{path}.successThreshold"),
            BadValue::Int(s.into()),
            "must be 1",
        ));
    }
    let port = p
        .http_get
        .as_ref()
        .map(|h| (&h.port, "httpGet"))
        .or(p.tcp_socket.as_ref().map(|t| (&t.port, "tcpSocket")));
    if let Some((port, handler)) = port {
        let pp = format!("{path}.{handler}.port");
        match port {
            IntOrString::Int(n) if !(1..=65535).contains(n) => errs.push(FieldError::invalid(
                pp,
                BadValue::Int((*n).into()),
                "must be between 1 and 65535, inclusive",
            )),
            IntOrString::String(s) => {
                each(
                    names::port_name(s),
                    |m| FieldError::invalid(pp.clone(), BadValue::Str(s.clone()), m),
                    errs,
                );
            }
            _ => {}
        }
    }
    if let Some(e) = &p.exec
        && e.command.as_ref().is_none_or(|c| c.is_empty())
    {
        errs.push(FieldError::required(format!("{path}.exec.command"), ""));
    }
}
