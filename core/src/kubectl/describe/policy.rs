//! `kubectl describe priorityclass|serviceaccount|namespace|resourcequota`
//! (staging/src/k8s.io/kubectl/pkg/describe/describe.go `describePriorityClass`,
//! `describeServiceAccount` (1.35: image pull secrets only), `describeNamespace`,
//! `describeQuota`, `describePodDisruptionBudgetV1`).

use k8s_openapi::api::core::v1::{Namespace, ResourceQuota, ServiceAccount};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::{Writer, annotations_multiline, events_section, labels_multiline};
use crate::cluster::World;
use crate::kubectl::printers::table::format_labels;
use crate::store::{Kind, Object};

pub fn priority_class(world: &World, pc: &PriorityClass) -> String {
    let mut w = Writer::default();
    w.line(0, &format!("Name:\t{}", pc.metadata.name.as_deref().unwrap_or("")));
    w.line(0, &format!("Value:\t{}", pc.value));
    w.line(0, &format!("GlobalDefault:\t{}", pc.global_default.unwrap_or(false)));
    w.line(
        0,
        &format!("PreemptionPolicy:\t{}", pc.preemption_policy.as_deref().unwrap_or("")),
    );
    w.line(0, &format!("Description:\t{}", pc.description.as_deref().unwrap_or("")));
    // This describer prints annotations as labels are printed: `k=v,...` on one line.
    w.line(
        0,
        &format!(
            "Annotations:\t{}",
            format_labels(&pc.metadata.annotations.clone().unwrap_or_default())
        ),
    );
    events_section(&mut w, world, &Object::PriorityClass(pc.clone()));
    w.finish()
}

pub fn service_account(world: &World, sa: &ServiceAccount) -> String {
    let mut w = Writer::default();
    w.line(0, &format!("Name:\t{}", sa.metadata.name.as_deref().unwrap_or("")));
    w.line(
        0,
        &format!("Namespace:\t{}", sa.metadata.namespace.as_deref().unwrap_or("")),
    );
    labels_multiline(&mut w, "Labels", sa.metadata.labels.as_ref());
    annotations_multiline(&mut w, sa.metadata.annotations.as_ref());
    let secrets: Vec<&str> = sa
        .image_pull_secrets
        .iter()
        .flatten()
        .map(|s| s.name.as_str())
        .collect();
    match secrets.split_first() {
        None => w.line(0, "Image pull secrets:\t<none>"),
        Some((first, rest)) => {
            w.line(0, &format!("Image pull secrets:\t{first}"));
            for s in rest {
                w.line(0, &format!("                   \t{s}"));
            }
        }
    }
    events_section(&mut w, world, &Object::ServiceAccount(sa.clone()));
    w.finish()
}

/// Help texts of the scopes `describeQuota` explains.
fn scope_help(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "Terminating" => {
            "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system."
        }
        "NotTerminating" => {
            "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate."
        }
        "BestEffort" => {
            "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service."
        }
        "NotBestEffort" => {
            "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service."
        }
        _ => return None,
    })
}

/// A quota's sorted scopes and the help line of each that has one.
fn scopes_section(q: &ResourceQuota, level: usize, bullet: &str, w: &mut Writer) {
    let mut scopes: Vec<String> = q.spec.as_ref().and_then(|s| s.scopes.clone()).unwrap_or_default();
    scopes.sort();
    if scopes.is_empty() {
        return;
    }
    w.line(level, &format!("Scopes:\t{}", scopes.join(", ")));
    for s in &scopes {
        if let Some(h) = scope_help(s) {
            w.line(level, &format!("{bullet}{h}"));
        }
    }
}

/// The Resource/Used/Hard rows of a quota's status (keys of `status.hard`, sorted).
fn quota_rows(q: &ResourceQuota, level: usize, dashes: &str, w: &mut Writer) {
    let status = q.status.clone().unwrap_or_default();
    w.line(level, "Resource\tUsed\tHard");
    w.line(level, &format!("--------\t{dashes}\t{dashes}"));
    for (name, hard) in status.hard.iter().flatten() {
        let used = crate::kubectl::printers::columns::quota_used(&status, name);
        w.line(level, &format!("{name}\t{used}\t{}", hard.0));
    }
}

pub fn resource_quota(q: &ResourceQuota) -> String {
    let mut w = Writer::default();
    w.line(0, &format!("Name:\t{}", q.metadata.name.as_deref().unwrap_or("")));
    w.line(
        0,
        &format!("Namespace:\t{}", q.metadata.namespace.as_deref().unwrap_or("")),
    );
    // `describeQuota` writes a help line as ` * ...` at level 0.
    scopes_section(q, 0, " * ", &mut w);
    quota_rows(q, 0, "----", &mut w);
    w.finish()
}

pub fn namespace(world: &World, ns: &Namespace) -> String {
    let mut w = Writer::default();
    let name = ns.metadata.name.as_deref().unwrap_or("");
    w.line(0, &format!("Name:\t{name}"));
    labels_multiline(&mut w, "Labels", ns.metadata.labels.as_ref());
    annotations_multiline(&mut w, ns.metadata.annotations.as_ref());
    w.line(
        0,
        &format!(
            "Status:\t{}",
            ns.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("")
        ),
    );
    let conditions = ns.status.as_ref().and_then(|s| s.conditions.as_ref());
    if let Some(c) = conditions.filter(|c| !c.is_empty()) {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage");
        w.line(1, "----\t------\t------------------\t------\t-------");
        for c in c {
            w.line(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}",
                    c.type_,
                    c.status,
                    c.last_transition_time.as_ref().map(super::rfc1123z).unwrap_or_default(),
                    c.reason.as_deref().unwrap_or(""),
                    c.message.as_deref().unwrap_or("")
                ),
            );
        }
    }
    w.line(0, "");
    let quotas: Vec<&ResourceQuota> = world
        .api()
        .list(Kind::ResourceQuota, Some(name))
        .filter_map(|o| {
            if let Object::ResourceQuota(q) = o {
                Some(q)
            } else {
                None
            }
        })
        .collect();
    if quotas.is_empty() {
        w.line(0, "No resource quota.");
    } else {
        w.line(0, "Resource Quotas");
        for q in quotas {
            w.line(1, &format!("Name:\t{}", q.metadata.name.as_deref().unwrap_or("")));
            scopes_section(q, 1, "* ", &mut w);
            quota_rows(q, 1, "---", &mut w);
        }
    }
    w.line(0, "");
    // LimitRange is not served yet (the guard-rails issue adds it).
    w.line(0, "No LimitRange resource.");
    w.finish()
}

pub fn pod_disruption_budget(world: &World, pdb: &PodDisruptionBudget) -> String {
    let mut w = Writer::default();
    let m = &pdb.metadata;
    w.line(0, &format!("Name:\t{}", m.name.as_deref().unwrap_or("")));
    w.line(0, &format!("Namespace:\t{}", m.namespace.as_deref().unwrap_or("")));
    let spec = pdb.spec.clone().unwrap_or_default();
    let text = |v: &IntOrString| match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    if let Some(min) = &spec.min_available {
        w.line(0, &format!("Min available:\t{}", text(min)));
    } else if let Some(max) = &spec.max_unavailable {
        w.line(0, &format!("Max unavailable:\t{}", text(max)));
    }
    match &spec.selector {
        Some(s) => w.line(
            0,
            &format!(
                "Selector:\t{}",
                crate::kubectl::printers::columns::format_selector(Some(s))
            ),
        ),
        None => w.line(0, "Selector:\t<unset>"),
    }
    let status = pdb.status.clone().unwrap_or_default();
    w.line(0, "Status:");
    w.line(2, &format!("Allowed disruptions:\t{}", status.disruptions_allowed));
    w.line(2, &format!("Current:\t{}", status.current_healthy));
    w.line(2, &format!("Desired:\t{}", status.desired_healthy));
    w.line(2, &format!("Total:\t{}", status.expected_pods));
    events_section(&mut w, world, &Object::PodDisruptionBudget(pdb.clone()));
    w.finish()
}
