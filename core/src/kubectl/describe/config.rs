//! `kubectl describe configmap|secret` (staging/src/k8s.io/kubectl/pkg/describe/describe.go,
//! `describeConfigMap`, `describeSecret`): a ConfigMap's values under `====` and `----` rules,
//! a Secret's only as byte counts. Keys are in sorted order (kubectl ranges over a Go map).

use k8s_openapi::api::core::v1::{ConfigMap, Secret};

use super::{Writer, annotations_multiline, events_section, labels_multiline};
use crate::cluster::World;
use crate::store::Object;

pub fn config_map(world: &World, cm: &ConfigMap) -> String {
    let mut w = Writer::default();
    w.line(0, &format!("Name:\t{}", cm.metadata.name.as_deref().unwrap_or("")));
    w.line(
        0,
        &format!("Namespace:\t{}", cm.metadata.namespace.as_deref().unwrap_or("")),
    );
    labels_multiline(&mut w, "Labels", cm.metadata.labels.as_ref());
    annotations_multiline(&mut w, cm.metadata.annotations.as_ref());
    w.line(0, "");
    w.line(0, "Data");
    w.line(0, "====");
    for (k, v) in cm.data.iter().flatten() {
        w.line(0, &format!("{k}:"));
        w.line(0, "----");
        // `%s\n` of the value: one that ends in a newline leaves a blank line.
        for l in v.split('\n') {
            w.line(0, l);
        }
    }
    w.line(0, "");
    w.line(0, "BinaryData");
    w.line(0, "====");
    for (k, v) in cm.binary_data.iter().flatten() {
        w.line(0, &format!("{k}: {} bytes", v.0.len()));
    }
    w.line(0, "");
    events_section(&mut w, world, &Object::ConfigMap(cm.clone()));
    w.finish()
}

pub fn secret(s: &Secret) -> String {
    let mut w = Writer::default();
    w.line(0, &format!("Name:\t{}", s.metadata.name.as_deref().unwrap_or("")));
    w.line(
        0,
        &format!("Namespace:\t{}", s.metadata.namespace.as_deref().unwrap_or("")),
    );
    labels_multiline(&mut w, "Labels", s.metadata.labels.as_ref());
    annotations_multiline(&mut w, s.metadata.annotations.as_ref());
    let ty = s.type_.as_deref().unwrap_or("");
    w.line(0, "");
    w.line(0, &format!("Type:\t{ty}"));
    w.line(0, "");
    w.line(0, "Data");
    w.line(0, "====");
    for (k, v) in s.data.iter().flatten() {
        if k == "token" && ty == "kubernetes.io/service-account-token" {
            w.line(0, &format!("{k}:\t{}", String::from_utf8_lossy(&v.0)));
        } else {
            w.line(0, &format!("{k}:\t{} bytes", v.0.len()));
        }
    }
    w.finish()
}
