//! Rows of configuration objects: ConfigMaps, Secrets and ServiceAccounts.

use k8s_openapi::api::core::v1::{ConfigMap, Secret, ServiceAccount};

pub(super) fn config_map_cells(c: &ConfigMap, age: String) -> Vec<String> {
    let n = c.data.as_ref().map_or(0, |d| d.len()) + c.binary_data.as_ref().map_or(0, |d| d.len());
    vec![n.to_string(), age]
}

pub(super) fn secret_cells(s: &Secret, age: String) -> Vec<String> {
    vec![
        s.type_.clone().unwrap_or_default(),
        s.data.as_ref().map_or(0, |d| d.len()).to_string(),
        age,
    ]
}

pub(super) fn service_account_cells(s: &ServiceAccount, age: String) -> Vec<String> {
    vec![s.secrets.as_ref().map_or(0, |d| d.len()).to_string(), age]
}
