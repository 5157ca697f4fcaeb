//! Rows of storage objects: PersistentVolumes, PersistentVolumeClaims and StorageClasses.

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
use k8s_openapi::api::storage::v1::{CSIDriver, StorageClass};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::row;
use crate::kubectl::printers::table::Row;
use crate::store::Object;

/// The class a volume or claim names: the deprecated beta annotation wins over the field.
pub fn storage_class(meta: &ObjectMeta, field: Option<&str>) -> String {
    let annotation = meta
        .annotations
        .as_ref()
        .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class"));
    annotation.map(String::as_str).or(field).unwrap_or_default().to_string()
}

/// `GetAccessModesAsString`: abbreviated, de-duplicated, in a fixed order.
pub fn access_modes(modes: &[String]) -> String {
    let order = [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ];
    order
        .iter()
        .filter(|(full, _)| modes.iter().any(|m| m == full))
        .map(|(_, short)| *short)
        .collect::<Vec<_>>()
        .join(",")
}

pub(super) fn pv_cells(p: &PersistentVolume, age: String) -> Vec<String> {
    let spec = p.spec.clone().unwrap_or_default();
    let claim = spec.claim_ref.as_ref().map_or(String::new(), |c| {
        format!(
            "{}/{}",
            c.namespace.clone().unwrap_or_default(),
            c.name.clone().unwrap_or_default()
        )
    });
    let status = if p.metadata.deletion_timestamp.is_some() {
        "Terminating".into()
    } else {
        p.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default()
    };
    let class = storage_class(&p.metadata, spec.storage_class_name.as_deref());
    vec![
        spec.capacity
            .as_ref()
            .and_then(|c| c.get("storage"))
            .map(|q| q.0.clone())
            .unwrap_or_default(),
        access_modes(&spec.access_modes.clone().unwrap_or_default()),
        spec.persistent_volume_reclaim_policy.clone().unwrap_or_default(),
        status,
        claim,
        class,
        spec.volume_attributes_class_name
            .clone()
            .unwrap_or_else(|| "<unset>".into()),
        p.status.as_ref().and_then(|s| s.reason.clone()).unwrap_or_default(),
        age,
        spec.volume_mode.clone().unwrap_or_else(|| "<unset>".into()),
    ]
}

pub(super) fn pvc_cells(p: &PersistentVolumeClaim, age: String) -> Vec<String> {
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    let status = if p.metadata.deletion_timestamp.is_some() {
        "Terminating".into()
    } else {
        st.phase.clone().unwrap_or_default()
    };
    let volume = spec.volume_name.clone().unwrap_or_default();
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            st.capacity
                .as_ref()
                .and_then(|c| c.get("storage"))
                .map(|q| q.0.clone())
                .unwrap_or_default(),
            access_modes(&st.access_modes.clone().unwrap_or_default()),
        )
    };
    let class = storage_class(&p.metadata, spec.storage_class_name.as_deref());
    vec![
        status,
        volume,
        capacity,
        modes,
        class,
        spec.volume_attributes_class_name
            .clone()
            .unwrap_or_else(|| "<unset>".into()),
        age,
        spec.volume_mode.clone().unwrap_or_else(|| "<unset>".into()),
    ]
}

/// A StorageClass row; the default class has ` (default)` after its name.
pub(super) fn storage_class_row(o: &Object, s: &StorageClass, age: String) -> Row {
    let mut r = row(
        o,
        vec![
            s.provisioner.clone(),
            s.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
            s.volume_binding_mode.clone().unwrap_or_else(|| "Immediate".into()),
            s.allow_volume_expansion.unwrap_or(false).to_string(),
            age,
        ],
    );
    let ann = s.metadata.annotations.clone().unwrap_or_default();
    let default = [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|k| ann.get(*k).map(String::as_str) == Some("true"));
    if default {
        r.name.push_str(" (default)");
    }
    r
}

pub(super) fn csi_driver_cells(d: &CSIDriver, age: String) -> Vec<String> {
    let spec = &d.spec;
    let modes = spec
        .volume_lifecycle_modes
        .clone()
        .unwrap_or_else(|| vec!["Persistent".into()])
        .join(",");
    let tokens = match spec.token_requests.as_deref() {
        Some(t) if !t.is_empty() => t.iter().map(|r| r.audience.clone()).collect::<Vec<_>>().join(","),
        _ => "<unset>".into(),
    };
    vec![
        spec.attach_required.unwrap_or(true).to_string(),
        spec.pod_info_on_mount.unwrap_or(false).to_string(),
        spec.storage_capacity.unwrap_or(false).to_string(),
        tokens,
        spec.requires_republish.unwrap_or(false).to_string(),
        modes,
        age,
    ]
}
