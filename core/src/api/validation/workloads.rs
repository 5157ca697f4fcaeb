//! Validation of the workload controllers' specs (selector against template), of Services, and
//! the rule that a Pod's spec is mostly immutable.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::{Errors, each, names, nonnegative, pod};
use crate::api::errors::{BadValue, FieldError, go_quote};
use crate::store::Object;

/// `map[string]string{"app":"web"}`, as Go's `%#v` prints a label map.
pub fn go_map(m: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
        .collect();
    format!("map[string]string{{{}}}", pairs.join(", "))
}

pub(super) fn go_selector(s: &LabelSelector) -> String {
    let labels = match &s.match_labels {
        Some(m) => go_map(m),
        None => "map[string]string(nil)".into(),
    };
    let exprs = if s.match_expressions.as_ref().is_some_and(|e| !e.is_empty()) {
        "[]v1.LabelSelectorRequirement{...}"
    } else {
        "[]v1.LabelSelectorRequirement(nil)"
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}

/// Whether a selector's matchLabels and expressions accept a label set.
pub fn selector_matches(s: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    crate::labels::Selector::from_label_selector(s).matches(labels)
}

fn is_empty_selector(s: &LabelSelector) -> bool {
    s.match_labels.as_ref().is_none_or(|m| m.is_empty()) && s.match_expressions.as_ref().is_none_or(|e| e.is_empty())
}

/// Selector and template checks shared by Deployment, ReplicaSet, StatefulSet and DaemonSet.
fn selector_and_template(
    kind_word: &str,
    selector: Option<&LabelSelector>,
    template: Option<&PodTemplateSpec>,
    replicas: Option<i32>,
    errs: &mut Errors,
) {
    if let Some(r) = replicas
        && r < 0
    {
        errs.push(FieldError::invalid(
            "spec.replicas",
            BadValue::Int(r.into()),
            "must be greater than or equal to 0",
        ));
    }
    let Some(sel) = selector else {
        errs.push(FieldError::required("spec.selector", ""));
        if template.is_none() {
            errs.push(FieldError::required("spec.template", ""));
        }
        return;
    };
    if is_empty_selector(sel) {
        errs.push(FieldError::invalid(
            "spec.selector",
            BadValue::Raw(go_selector(sel)),
            format!("empty selector is invalid for {kind_word}"),
        ));
    }
    let Some(t) = template else {
        errs.push(FieldError::required("spec.template", ""));
        return;
    };
    let labels = t.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
    if !is_empty_selector(sel) && !selector_matches(sel, &labels) {
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            BadValue::Raw(go_map(&labels)),
            "`selector` does not match template `labels`",
        ));
    }
    super::labels(&labels, "spec.template.metadata.labels", errs);
    match &t.spec {
        Some(spec) => {
            // A StatefulSet's template is not validated as a pod: its volume mounts may name
            // volumeClaimTemplates (ValidatePodTemplateSpecForStatefulSet); its pods are
            // validated when the controller creates them.
            if kind_word != "statefulset" {
                pod::pod_spec(spec, "spec.template.spec", errs);
            }
            if let Some(rp) = spec.restart_policy.as_deref()
                && rp != "Always"
            {
                errs.push(FieldError::not_supported(
                    "spec.template.spec.restartPolicy",
                    BadValue::Str(rp.into()),
                    &["Always"],
                ));
            }
        }
        None => errs.push(FieldError::required("spec.template.spec.containers", "")),
    }
}

pub fn validate(obj: &Object, old: Option<&Object>, errs: &mut Errors) {
    let (word, selector, template, replicas) = match obj {
        Object::Deployment(d) => match &d.spec {
            Some(s) => ("deployment", Some(&s.selector), Some(&s.template), s.replicas),
            None => return errs.push(FieldError::required("spec.selector", "")),
        },
        Object::ReplicaSet(rs) => match &rs.spec {
            Some(s) => ("replicaset", Some(&s.selector), s.template.as_ref(), s.replicas),
            None => return errs.push(FieldError::required("spec.selector", "")),
        },
        Object::StatefulSet(st) => match &st.spec {
            Some(s) => ("statefulset", Some(&s.selector), Some(&s.template), s.replicas),
            None => return errs.push(FieldError::required("spec.selector", "")),
        },
        Object::DaemonSet(ds) => match &ds.spec {
            Some(s) => ("daemonset", Some(&s.selector), Some(&s.template), None),
            None => return errs.push(FieldError::required("spec.selector", "")),
        },
        _ => return,
    };
    selector_and_template(word, selector, template, replicas, errs);
    match obj {
        Object::Deployment(d) => {
            if let Some(spec) = &d.spec {
                deployment_spec(spec, errs);
            }
        }
        Object::DaemonSet(d) => {
            if let Some(spec) = &d.spec {
                daemon_set_spec(spec, errs);
            }
        }
        Object::StatefulSet(st) => {
            if let Some(spec) = &st.spec {
                stateful_set_update_strategy(spec, errs);
            }
        }
        _ => {}
    }
    if let (Object::StatefulSet(new), Some(Object::StatefulSet(old))) = (obj, old) {
        // A StatefulSet's selector is covered by the one rule for its whole spec.
        return stateful_set_update(new, old, errs);
    }
    // apps/v1 selectors are immutable.
    let old_selector = match old {
        Some(Object::Deployment(d)) => d.spec.as_ref().map(|s| &s.selector),
        Some(Object::ReplicaSet(r)) => r.spec.as_ref().map(|s| &s.selector),
        Some(Object::DaemonSet(d)) => d.spec.as_ref().map(|s| &s.selector),
        _ => None,
    };
    if let (Some(old_sel), Some(sel)) = (old_selector, selector)
        && old_sel != sel
    {
        errs.push(FieldError::invalid(
            "spec.selector",
            BadValue::Raw(go_selector(sel)),
            "field is immutable",
        ));
    }
}

/// `ValidateStatefulSetUpdate`: only the listed fields of the spec may change; the service
/// name, the selector, the claim templates and the pod management policy are fixed.
fn stateful_set_update(
    new: &k8s_openapi::api::apps::v1::StatefulSet,
    old: &k8s_openapi::api::apps::v1::StatefulSet,
    errs: &mut Errors,
) {
    let (Some(n), Some(o)) = (&new.spec, &old.spec) else {
        return;
    };
    let mut n = n.clone();
    n.replicas = o.replicas;
    n.template = o.template.clone();
    n.update_strategy = o.update_strategy.clone();
    n.min_ready_seconds = o.min_ready_seconds;
    n.ordinals = o.ordinals.clone();
    n.revision_history_limit = o.revision_history_limit;
    n.persistent_volume_claim_retention_policy = o.persistent_volume_claim_retention_policy.clone();
    if &n != o {
        errs.push(FieldError::forbidden(
            "spec",
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ));
    }
}

/// Pod updates may change only images, activeDeadlineSeconds, tolerations (additions) and a
/// few more fields. The real message ends with a go-cmp diff of the spec, which is left out.
pub fn pod_update(new: &Pod, old: &Pod, errs: &mut Errors) {
    let (Some(n), Some(o)) = (&new.spec, &old.spec) else {
        return;
    };
    let mut n = n.clone();
    let mut o = o.clone();
    for (nc, oc) in n.containers.iter_mut().zip(o.containers.iter_mut()) {
        nc.image = oc.image.clone();
    }
    for (nc, oc) in n
        .init_containers
        .iter_mut()
        .flatten()
        .zip(o.init_containers.iter_mut().flatten())
    {
        nc.image = oc.image.clone();
    }
    n.active_deadline_seconds = o.active_deadline_seconds;
    n.tolerations = o.tolerations.clone();
    if n.node_name.is_none() {
        n.node_name = o.node_name.clone();
    }
    if n != o {
        errs.push(FieldError::forbidden(
            "spec",
            "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        ));
    }
}

pub fn service(s: &Service, errs: &mut Errors) {
    let Some(spec) = &s.spec else {
        return errs.push(FieldError::required("spec.ports", ""));
    };
    let ty = spec.type_.as_deref().unwrap_or("ClusterIP");
    if !["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].contains(&ty) {
        errs.push(FieldError::not_supported(
            "spec.type",
            BadValue::Str(ty.into()),
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        ));
    }
    let headless = spec.cluster_ip.as_deref() == Some("None");
    let ports = spec.ports.as_deref().unwrap_or(&[]);
    if ports.is_empty() && ty != "ExternalName" && !headless {
        errs.push(FieldError::required("spec.ports", ""));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = format!("spec.ports[{i}]");
        match p.name.as_deref() {
            None | Some("") if ports.len() > 1 => errs.push(FieldError::required(format!("{pp}.name"), "")),
            Some(name) if !name.is_empty() => {
                each(
                    names::dns1123_label(name),
                    |m| FieldError::invalid(format!("{pp}.name"), BadValue::Str(name.into()), m),
                    errs,
                );
                if !seen.insert(name.to_string()) {
                    errs.push(FieldError::duplicate(format!("{pp}.name"), BadValue::Str(name.into())));
                }
            }
            _ => {}
        }
        if !(1..=65535).contains(&p.port) {
            errs.push(FieldError::invalid(
                format!("{pp}.port"),
                BadValue::Int(p.port.into()),
                "must be between 1 and 65535, inclusive",
            ));
        }
        match &p.target_port {
            Some(IntOrString::Int(t)) if !(1..=65535).contains(t) => errs.push(FieldError::invalid(
                format!("{pp}.targetPort"),
                BadValue::Int((*t).into()),
                "must be between 1 and 65535, inclusive",
            )),
            Some(IntOrString::String(t)) => each(
                names::port_name(t),
                |m| FieldError::invalid(format!("{pp}.targetPort"), BadValue::Str(t.clone()), m),
                errs,
            ),
            _ => {}
        }
        if let Some(np) = p.node_port
            && ty == "ClusterIP"
            && np != 0
        {
            errs.push(FieldError::forbidden(
                format!("{pp}.nodePort"),
                "may not be used when `type` is 'ClusterIP'",
            ));
        }
    }
    // The same nodePort twice for one protocol, after the per-port checks as ValidateService
    // orders them.
    let mut node_ports = std::collections::BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        if let Some(np) = p.node_port.filter(|n| *n != 0)
            && !node_ports.insert((p.protocol.clone(), np))
        {
            errs.push(FieldError::duplicate(
                format!("spec.ports[{i}].nodePort"),
                BadValue::Int(np.into()),
            ));
        }
    }
    if let Some(sel) = &spec.selector {
        super::labels(sel, "spec.selector", errs);
    }
}

fn int_or_percent_value(v: &IntOrString) -> BadValue {
    match v {
        IntOrString::Int(n) => BadValue::Int((*n).into()),
        IntOrString::String(s) => BadValue::Str(s.clone()),
    }
}

/// `getIntOrPercentValue`: the number, with or without its `%`; None if it is not one.
fn int_or_percent(v: &IntOrString) -> Option<i64> {
    match v {
        IntOrString::Int(n) => Some((*n).into()),
        IntOrString::String(s) => s.strip_suffix('%').and_then(|p| p.parse().ok()),
    }
}

/// `ValidatePositiveIntOrPercent`.
fn positive_int_or_percent(v: &IntOrString, field: &str, errs: &mut Errors) {
    match v {
        IntOrString::String(s)
            if s.strip_suffix('%')
                .is_none_or(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            errs.push(FieldError::invalid(
                field,
                int_or_percent_value(v),
                "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
            ));
        }
        IntOrString::Int(n) if *n < 0 => {
            errs.push(FieldError::invalid(
                field,
                int_or_percent_value(v),
                "must be greater than or equal to 0",
            ));
        }
        _ => {}
    }
}

/// `IsNotMoreThan100Percent`.
fn not_more_than_100_percent(v: &IntOrString, field: &str, errs: &mut Errors) {
    if matches!(v, IntOrString::String(_)) && int_or_percent(v).is_some_and(|p| p > 100) {
        errs.push(FieldError::invalid(
            field,
            int_or_percent_value(v),
            "must not be greater than 100%",
        ));
    }
}

/// `ValidateDaemonSetSpec`'s strategy part (`ValidateDaemonSetUpdateStrategy`,
/// `ValidateRollingUpdateDaemonSet`): exactly one of maxSurge and maxUnavailable is non-zero.
fn daemon_set_spec(spec: &k8s_openapi::api::apps::v1::DaemonSetSpec, errs: &mut Errors) {
    nonnegative(spec.min_ready_seconds, "spec.minReadySeconds", errs);
    nonnegative(spec.revision_history_limit, "spec.revisionHistoryLimit", errs);
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    match strategy.type_.as_deref().unwrap_or("RollingUpdate") {
        "OnDelete" => {}
        "RollingUpdate" => {
            let Some(ru) = &strategy.rolling_update else {
                return errs.push(FieldError::required("spec.updateStrategy.rollingUpdate", ""));
            };
            let path = "spec.updateStrategy.rollingUpdate";
            let unavailable = ru.max_unavailable.clone().unwrap_or(IntOrString::Int(1));
            let surge = ru.max_surge.clone().unwrap_or(IntOrString::Int(0));
            positive_int_or_percent(&unavailable, &format!("{path}.maxUnavailable"), errs);
            positive_int_or_percent(&surge, &format!("{path}.maxSurge"), errs);
            not_more_than_100_percent(&unavailable, &format!("{path}.maxUnavailable"), errs);
            not_more_than_100_percent(&surge, &format!("{path}.maxSurge"), errs);
            let has_unavailable = int_or_percent(&unavailable).is_some_and(|n| n != 0);
            let has_surge = int_or_percent(&surge).is_some_and(|n| n != 0);
            if has_unavailable && has_surge {
                errs.push(FieldError::invalid(
                    format!("{path}.maxSurge"),
                    int_or_percent_value(&surge),
                    "may not be set when maxUnavailable is non-zero",
                ));
            } else if !has_unavailable && !has_surge {
                errs.push(FieldError::required(
                    format!("{path}.maxUnavailable"),
                    "cannot be 0 when maxSurge is 0",
                ));
            }
        }
        other => errs.push(FieldError::not_supported(
            "spec.updateStrategy.type",
            BadValue::Str(other.into()),
            &["OnDelete", "RollingUpdate"],
        )),
    }
}

/// `ValidateStatefulSetSpec`'s strategy part (`validateRollingUpdateStatefulSet`).
fn stateful_set_update_strategy(spec: &k8s_openapi::api::apps::v1::StatefulSetSpec, errs: &mut Errors) {
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    match strategy.type_.as_deref().unwrap_or("RollingUpdate") {
        "OnDelete" => {}
        "RollingUpdate" => {
            let Some(ru) = &strategy.rolling_update else { return };
            let path = "spec.updateStrategy.rollingUpdate";
            nonnegative(ru.partition, &format!("{path}.partition"), errs);
            if let Some(mu) = &ru.max_unavailable {
                let field = format!("{path}.maxUnavailable");
                positive_int_or_percent(mu, &field, errs);
                if int_or_percent(mu) == Some(0) {
                    errs.push(FieldError::invalid(&field, int_or_percent_value(mu), "cannot be 0"));
                }
                not_more_than_100_percent(mu, &field, errs);
            }
        }
        other => errs.push(FieldError::not_supported(
            "spec.updateStrategy.type",
            BadValue::Str(other.into()),
            &["OnDelete", "RollingUpdate"],
        )),
    }
}

/// pkg/apis/apps/validation `ValidateDeploymentSpec`: the strategy and the timing fields.
fn deployment_spec(spec: &k8s_openapi::api::apps::v1::DeploymentSpec, errs: &mut Errors) {
    let strategy = spec.strategy.clone().unwrap_or_default();
    match strategy.type_.as_deref().unwrap_or("RollingUpdate") {
        "Recreate" => {
            if strategy.rolling_update.is_some() {
                errs.push(FieldError::forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => {
            let ru = strategy.rolling_update.clone().unwrap_or_default();
            let unavailable = ru.max_unavailable.clone().unwrap_or(IntOrString::String("25%".into()));
            let surge = ru.max_surge.clone().unwrap_or(IntOrString::String("25%".into()));
            positive_int_or_percent(&unavailable, "spec.strategy.rollingUpdate.maxUnavailable", errs);
            positive_int_or_percent(&surge, "spec.strategy.rollingUpdate.maxSurge", errs);
            if int_or_percent(&unavailable) == Some(0) && int_or_percent(&surge) == Some(0) {
                errs.push(FieldError::invalid(
                    "spec.strategy.rollingUpdate.maxUnavailable",
                    int_or_percent_value(&unavailable),
                    "may not be 0 when `maxSurge` is 0",
                ));
            }
            if matches!(unavailable, IntOrString::String(_)) && int_or_percent(&unavailable).is_some_and(|p| p > 100) {
                errs.push(FieldError::invalid(
                    "spec.strategy.rollingUpdate.maxUnavailable",
                    int_or_percent_value(&unavailable),
                    "must not be greater than 100%",
                ));
            }
        }
        other => errs.push(FieldError::not_supported(
            "spec.strategy.type",
            BadValue::Str(other.into()),
            &["Recreate", "RollingUpdate"],
        )),
    }
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    if min_ready < 0 {
        errs.push(FieldError::invalid(
            "spec.minReadySeconds",
            BadValue::Int(min_ready.into()),
            "must be greater than or equal to 0",
        ));
    }
    if let Some(n) = spec.revision_history_limit
        && n < 0
    {
        errs.push(FieldError::invalid(
            "spec.revisionHistoryLimit",
            BadValue::Int(n.into()),
            "must be greater than or equal to 0",
        ));
    }
    if let Some(n) = spec.progress_deadline_seconds {
        if n < 0 {
            errs.push(FieldError::invalid(
                "spec.progressDeadlineSeconds",
                BadValue::Int(n.into()),
                "must be greater than or equal to 0",
            ));
        }
        if n <= min_ready {
            errs.push(FieldError::invalid(
                "spec.progressDeadlineSeconds",
                BadValue::Int(n.into()),
                "must be greater than minReadySeconds",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::api::decode::decode;
    use crate::api::validation::validate;
    use crate::store::Kind;

    /// Mounts may name volumeClaimTemplates, which the pod template does not list as volumes.
    #[test]
    fn statefulset_templates_are_not_validated_as_pods() {
        let sts = json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
            "spec": {
                "selector": {"matchLabels": {"app": "db"}},
                "serviceName": "db",
                "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [
                    {"name": "mysql", "image": "mysql:8.0", "volumeMounts": [{"name": "data", "mountPath": "/var/lib/mysql"}]}
                ]}},
                "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}}]
            }
        });
        let obj = decode(Kind::StatefulSet, sts).unwrap();
        assert!(validate(&obj, None).is_empty());
    }

    #[test]
    fn deployment_selector_must_match_template() {
        let d = json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
            }
        });
        let errs = validate(&decode(Kind::Deployment, d).unwrap(), None);
        assert_eq!(
            errs[0].to_string(),
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"
        );
    }
}
