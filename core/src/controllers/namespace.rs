//! The namespace controller, with the two small controllers that furnish every namespace: the
//! ServiceAccount controller (a `default` account) and the root-CA publisher (the
//! `kube-root-ca.crt` ConfigMap that every pod's token volume projects). A deleted namespace
//! stays `Terminating` while its contents are deleted, then its `kubernetes` finalizer is
//! removed and it goes away.

use k8s_openapi::api::core::v1::{ConfigMap, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::sim::clock::SECOND;
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent, WatchEventType};

/// A stand-in CA certificate: the cluster has no real PKI, but pods find the file in place.
const ROOT_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIKubeplayMA0GCSqGSIb3DQEBCwUAMBUxEzARBgNVBAMT\nCmt1YmVybmV0ZXMwHhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAwWjAVMRMw\nEQYDVQQDEwprdWJlcm5ldGVzMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKC\n-----END CERTIFICATE-----\n";

/// How long one deletion pass over a namespace's contents takes.
const DELETION_PASS: crate::sim::clock::Millis = 2 * SECOND;

pub struct NamespaceController;

impl Controller for NamespaceController {
    fn name(&self) -> &'static str {
        "namespace"
    }

    /// Namespaces and what furnishes them; every other namespaced kind only for its deletions,
    /// which may let a Terminating namespace finish.
    fn watches(&self) -> &'static [Kind] {
        Kind::ALL
    }

    fn keys(&self, ev: &WatchEvent, _store: &Store, out: &mut Wakes) {
        let ns = match ev.key.kind {
            Kind::Namespace => ev.key.name.clone(),
            Kind::ServiceAccount | Kind::ConfigMap => ev.key.namespace.clone(),
            _ if ev.kind == WatchEventType::Deleted && !ev.key.namespace.is_empty() => ev.key.namespace.clone(),
            _ => return,
        };
        // Deletion passes take the controller a moment (discovery, then a delete per
        // resource), so a deleted namespace is seen Terminating first.
        let deleting = matches!(&ev.object, Object::Namespace(n) if n.metadata.deletion_timestamp.is_some());
        out.push((
            ObjectKey::new(Kind::Namespace, "", &ns),
            if deleting { DELETION_PASS } else { 0 },
        ));
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let name = key.name.as_str();
        let Some(Object::Namespace(ns)) = cx.api.get(Kind::Namespace, "", name).cloned() else {
            return Ok(());
        };
        if ns.metadata.deletion_timestamp.is_some() {
            finalize(name, ns, cx);
            return Ok(());
        }
        if cx.api.get(Kind::ServiceAccount, name, "default").is_none() {
            let sa = ServiceAccount {
                metadata: meta("default", name),
                ..Default::default()
            };
            let _ = cx.api.create(Object::ServiceAccount(sa));
        }
        if cx.api.get(Kind::ConfigMap, name, "kube-root-ca.crt").is_none() {
            let mut m = meta("kube-root-ca.crt", name);
            m.annotations = Some([("kubernetes.io/description".to_string(), "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.".to_string())].into());
            let cm = ConfigMap {
                metadata: m,
                data: Some([("ca.crt".to_string(), ROOT_CA.to_string())].into()),
                ..Default::default()
            };
            let _ = cx.api.create(Object::ConfigMap(cm));
        }
        Ok(())
    }
}

fn finalize(name: &str, mut ns: k8s_openapi::api::core::v1::Namespace, cx: &mut Cx<'_>) {
    let mut remaining = 0;
    for kind in Kind::ALL.iter().filter(|k| k.info().namespaced) {
        let keys: Vec<ObjectKey> = cx.api.list(*kind, Some(name)).map(ObjectKey::of).collect();
        for key in keys {
            remaining += 1;
            let already = cx
                .api
                .store()
                .get(&key)
                .is_some_and(|o| o.meta().deletion_timestamp.is_some());
            if !already {
                let _ = cx.api.delete(&key, None);
            }
        }
    }
    let left = Kind::ALL
        .iter()
        .filter(|k| k.info().namespaced)
        .map(|k| cx.api.list(*k, Some(name)).count())
        .sum::<usize>();
    if left == 0 {
        if let Some(spec) = ns.spec.as_mut() {
            spec.finalizers = Some(Vec::new());
        }
        let _ = cx.api.update(Object::Namespace(ns));
    } else if remaining > 0 {
        // Pods take their grace period; look again later in case no deletion wakes us.
        cx.after(5 * SECOND, ObjectKey::new(Kind::Namespace, "", name));
    }
}

fn meta(name: &str, namespace: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: Some(namespace.into()),
        ..Default::default()
    }
}
