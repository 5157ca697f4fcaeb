//! `kubectl describe storageclass|pv|pvc` (kubectl pkg/describe/describe.go
//! `describeStorageClass`, `describePersistentVolume`, `describePersistentVolumeClaim`).

use k8s_openapi::api::core::v1::{NodeSelector, PersistentVolume, PersistentVolumeClaim};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use super::{Writer, annotations_multiline, events_section, labels_multiline, rfc1123z};
use crate::cluster::World;
use crate::kubectl::printers::columns::{access_modes, storage_class};
use crate::kubectl::printers::duration::since_time;
use crate::kubectl::printers::table::format_labels;
use crate::store::{Kind, Object};

/// `printBoolPtr`.
fn bool_ptr(b: Option<bool>) -> &'static str {
    match b {
        None => "<unset>",
        Some(true) => "True",
        Some(false) => "False",
    }
}

/// Go's `%v` of a string slice: `[a b]`.
fn go_list(items: Option<&Vec<String>>) -> String {
    format!("[{}]", items.map(|v| v.join(" ")).unwrap_or_default())
}

/// `Status:`, or `Terminating (lasts 5s)` once deletion began.
fn status_line(meta: &ObjectMeta, phase: Option<&str>, world: &World) -> String {
    match &meta.deletion_timestamp {
        Some(t) => format!("Status:\tTerminating (lasts {})", since_time(Some(t), world.now())),
        None => format!("Status:\t{}", phase.unwrap_or("")),
    }
}

pub fn storage_class_describe(world: &World, sc: &StorageClass) -> String {
    let mut w = Writer::default();
    let annotations = sc.metadata.annotations.clone().unwrap_or_default();
    let default = [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|k| annotations.get(*k).is_some_and(|v| v == "true"));
    w.line(0, &format!("Name:\t{}", sc.metadata.name.as_deref().unwrap_or("")));
    w.line(0, &format!("IsDefaultClass:\t{}", if default { "Yes" } else { "No" }));
    // Annotations as labels are printed, the last-applied configuration included.
    w.line(0, &format!("Annotations:\t{}", format_labels(&annotations)));
    w.line(0, &format!("Provisioner:\t{}", sc.provisioner));
    w.line(
        0,
        &format!(
            "Parameters:\t{}",
            format_labels(&sc.parameters.clone().unwrap_or_default())
        ),
    );
    w.line(
        0,
        &format!("AllowVolumeExpansion:\t{}", bool_ptr(sc.allow_volume_expansion)),
    );
    match sc.mount_options.as_deref() {
        None | Some([]) => w.line(0, "MountOptions:\t<none>"),
        Some(opts) => {
            w.line(0, "MountOptions:");
            for o in opts {
                w.line(1, o);
            }
        }
    }
    if let Some(r) = &sc.reclaim_policy {
        w.line(0, &format!("ReclaimPolicy:\t{r}"));
    }
    if let Some(m) = &sc.volume_binding_mode {
        w.line(0, &format!("VolumeBindingMode:\t{m}"));
    }
    if let Some(terms) = &sc.allowed_topologies {
        w.line(
            0,
            &format!("AllowedTopologies:\t{}", if terms.is_empty() { "<none>" } else { "" }),
        );
        for (i, t) in terms.iter().enumerate() {
            let exprs = t.match_label_expressions.as_deref().unwrap_or_default();
            if exprs.is_empty() {
                w.line(1, &format!("Term {i}:\t<none>"));
            }
            for (j, e) in exprs.iter().enumerate() {
                let values = if e.values.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", e.values.join(", "))
                };
                let lead = if j == 0 { format!("Term {i}:") } else { String::new() };
                w.line(1, &format!("{lead}\t{} in{values}", e.key));
            }
        }
    }
    events_section(&mut w, world, &Object::StorageClass(sc.clone()));
    w.finish()
}

/// `printVolumeNodeAffinity`: the required terms, operators lower-cased.
fn node_affinity(w: &mut Writer, required: Option<&NodeSelector>) {
    let Some(required) = required else {
        w.line(0, "Node Affinity:\t<none>");
        return;
    };
    w.line(0, "Node Affinity:\t");
    let terms = &required.node_selector_terms;
    w.line(
        1,
        &format!("Required Terms:\t{}", if terms.is_empty() { "<none>" } else { "" }),
    );
    for (i, t) in terms.iter().enumerate() {
        let exprs = t.match_expressions.as_deref().unwrap_or_default();
        if exprs.is_empty() {
            w.line(2, &format!("Term {i}:\t<none>"));
        }
        for (j, e) in exprs.iter().enumerate() {
            let values = match e.values.as_deref() {
                Some(v) if !v.is_empty() => format!(" [{}]", v.join(", ")),
                _ => String::new(),
            };
            let lead = if j == 0 { format!("Term {i}:") } else { String::new() };
            w.line(2, &format!("{lead}\t{} {}{values}", e.key, e.operator.to_lowercase()));
        }
    }
}

pub fn persistent_volume(world: &World, pv: &PersistentVolume) -> String {
    let mut w = Writer::default();
    let spec = pv.spec.clone().unwrap_or_default();
    let m = &pv.metadata;
    w.line(0, &format!("Name:\t{}", m.name.as_deref().unwrap_or("")));
    labels_multiline(&mut w, "Labels", m.labels.as_ref());
    annotations_multiline(&mut w, m.annotations.as_ref());
    w.line(0, &format!("Finalizers:\t{}", go_list(m.finalizers.as_ref())));
    w.line(
        0,
        &format!(
            "StorageClass:\t{}",
            storage_class(m, spec.storage_class_name.as_deref())
        ),
    );
    w.line(
        0,
        &status_line(m, pv.status.as_ref().and_then(|s| s.phase.as_deref()), world),
    );
    let claim = spec.claim_ref.as_ref().map_or(String::new(), |c| {
        format!(
            "{}/{}",
            c.namespace.as_deref().unwrap_or(""),
            c.name.as_deref().unwrap_or("")
        )
    });
    w.line(0, &format!("Claim:\t{claim}"));
    w.line(
        0,
        &format!(
            "Reclaim Policy:\t{}",
            spec.persistent_volume_reclaim_policy.as_deref().unwrap_or("")
        ),
    );
    w.line(
        0,
        &format!(
            "Access Modes:\t{}",
            access_modes(spec.access_modes.as_deref().unwrap_or_default())
        ),
    );
    if let Some(mode) = &spec.volume_mode {
        w.line(0, &format!("VolumeMode:\t{mode}"));
    }
    let capacity = spec
        .capacity
        .as_ref()
        .and_then(|c| c.get("storage"))
        .map_or("0".to_string(), |q| q.0.clone());
    w.line(0, &format!("Capacity:\t{capacity}"));
    node_affinity(&mut w, spec.node_affinity.as_ref().and_then(|a| a.required.as_ref()));
    w.line(
        0,
        &format!(
            "Message:\t{}",
            pv.status.as_ref().and_then(|s| s.message.as_deref()).unwrap_or("")
        ),
    );
    w.line(0, "Source:");
    if let Some(h) = &spec.host_path {
        w.line(2, "Type:\tHostPath (bare host directory volume)");
        w.line(2, &format!("Path:\t{}", h.path));
        w.line(2, &format!("HostPathType:\t{}", h.type_.as_deref().unwrap_or("<none>")));
    } else if let Some(l) = &spec.local {
        w.line(
            2,
            "Type:\tLocalVolume (a persistent volume backed by local storage on a node)",
        );
        w.line(2, &format!("Path:\t{}", l.path));
    } else if let Some(n) = &spec.nfs {
        w.line(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)");
        w.line(2, &format!("Server:\t{}", n.server));
        w.line(2, &format!("Path:\t{}", n.path));
        w.line(2, &format!("ReadOnly:\t{}", n.read_only.unwrap_or(false)));
    } else if let Some(c) = &spec.csi {
        w.line(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)");
        w.line(2, &format!("Driver:\t{}", c.driver));
        w.line(2, &format!("FSType:\t{}", c.fs_type.as_deref().unwrap_or("")));
        w.line(2, &format!("VolumeHandle:\t{}", c.volume_handle));
        w.line(2, &format!("ReadOnly:\t{}", c.read_only.unwrap_or(false)));
        let attrs = c.volume_attributes.clone().unwrap_or_default();
        if attrs.is_empty() {
            w.line(2, "VolumeAttributes:\t<none>");
        }
        for (i, (k, v)) in attrs.iter().enumerate() {
            let mut kv = format!("{k}={v}");
            if kv.len() > 140 {
                let cut = (0..=140).rev().find(|i| kv.is_char_boundary(*i)).unwrap_or(0);
                kv = format!("{}...", &kv[..cut]);
            }
            let lead = if i == 0 {
                "    VolumeAttributes:\t"
            } else {
                "        \t"
            };
            w.line(0, &format!("{lead}    {kv}"));
        }
    } else {
        w.line(1, "<unknown>");
    }
    events_section(&mut w, world, &Object::PersistentVolume(pv.clone()));
    w.finish()
}

pub fn persistent_volume_claim(world: &World, pvc: &PersistentVolumeClaim) -> String {
    let mut w = Writer::default();
    let spec = pvc.spec.clone().unwrap_or_default();
    let status = pvc.status.clone().unwrap_or_default();
    let m = &pvc.metadata;
    let ns = m.namespace.as_deref().unwrap_or("");
    let name = m.name.as_deref().unwrap_or("");
    w.line(0, &format!("Name:\t{name}"));
    w.line(0, &format!("Namespace:\t{ns}"));
    w.line(
        0,
        &format!(
            "StorageClass:\t{}",
            storage_class(m, spec.storage_class_name.as_deref())
        ),
    );
    w.line(0, &status_line(m, status.phase.as_deref(), world));
    let volume = spec.volume_name.clone().unwrap_or_default();
    w.line(0, &format!("Volume:\t{volume}"));
    labels_multiline(&mut w, "Labels", m.labels.as_ref());
    annotations_multiline(&mut w, m.annotations.as_ref());
    w.line(0, &format!("Finalizers:\t{}", go_list(m.finalizers.as_ref())));
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            status
                .capacity
                .as_ref()
                .and_then(|c| c.get("storage"))
                .map_or("0".to_string(), |q| q.0.clone()),
            access_modes(status.access_modes.as_deref().unwrap_or_default()),
        )
    };
    w.line(0, &format!("Capacity:\t{capacity}"));
    w.line(0, &format!("Access Modes:\t{modes}"));
    if let Some(mode) = &spec.volume_mode {
        w.line(0, &format!("VolumeMode:\t{mode}"));
    }
    if let Some(ds) = &spec.data_source {
        w.line(0, "DataSource:");
        if let Some(g) = &ds.api_group {
            w.line(1, &format!("APIGroup:\t{g}"));
        }
        w.line(1, &format!("Kind:\t{}", ds.kind));
        w.line(1, &format!("Name:\t{}", ds.name));
    }
    // `getPodsForPVC`: the pods of the namespace with a volume of this claim, by name.
    let mut users: Vec<String> = world
        .api()
        .list(Kind::Pod, Some(ns))
        .filter_map(|o| match o {
            Object::Pod(p) => Some(p),
            _ => None,
        })
        .flat_map(|p| {
            let claims = p.spec.iter().flat_map(|s| s.volumes.iter().flatten());
            claims
                .filter(|v| v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name == name))
                .map(|_| p.metadata.name.clone().unwrap_or_default())
                .collect::<Vec<_>>()
        })
        .collect();
    users.sort();
    match users.split_first() {
        None => w.line(0, "Used By:\t<none>"),
        Some((first, rest)) => {
            w.line(0, &format!("Used By:\t{first}"));
            for u in rest {
                w.line(0, &format!("\t{u}"));
            }
        }
    }
    let conditions = status.conditions.clone().unwrap_or_default();
    if !conditions.is_empty() {
        let zero = "Mon, 01 Jan 0001 00:00:00 +0000".to_string();
        let time = |t: Option<&Time>| t.map_or(zero.clone(), rfc1123z);
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage");
        w.line(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------",
        );
        for c in &conditions {
            w.line(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}",
                    c.type_,
                    c.status,
                    time(c.last_probe_time.as_ref()),
                    time(c.last_transition_time.as_ref()),
                    c.reason.as_deref().unwrap_or(""),
                    c.message.as_deref().unwrap_or("")
                ),
            );
        }
    }
    events_section(&mut w, world, &Object::PersistentVolumeClaim(pvc.clone()));
    w.finish()
}
