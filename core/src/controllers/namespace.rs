//! The namespace controller, with the two small controllers that furnish every namespace: the
//! ServiceAccount controller (a `default` account) and the root-CA publisher (the
//! `kube-root-ca.crt` ConfigMap that every pod's token volume projects). A deleted namespace
//! stays `Terminating` while its contents are deleted, then its `kubernetes` finalizer is
//! removed and it goes away.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{ConfigMap, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::sim::clock::SECOND;
use crate::sim::{Cx, Task};
use crate::store::{Kind, Object, ObjectKey, WatchEvent};

/// A stand-in CA certificate: the cluster has no real PKI, but pods find the file in place.
const ROOT_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIKubeplayMA0GCSqGSIb3DQEBCwUAMBUxEzARBgNVBAMT\nCmt1YmVybmV0ZXMwHhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAwWjAVMRMw\nEQYDVQQDEwprdWJlcm5ldGVzMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKC\n-----END CERTIFICATE-----\n";

/// How long one deletion pass over a namespace's contents takes.
const DELETION_PASS: crate::sim::clock::Millis = 2 * SECOND;

#[derive(Default)]
pub struct NamespaceController {
    queued: BTreeSet<String>,
}

impl NamespaceController {
    pub fn on_watch(&mut self, ev: &WatchEvent, cx: &mut Cx<'_>) {
        let ns = match ev.key.kind {
            Kind::Namespace => ev.key.name.clone(),
            Kind::ServiceAccount | Kind::ConfigMap => ev.key.namespace.clone(),
            _ if ev.kind == crate::store::WatchEventType::Deleted && !ev.key.namespace.is_empty() => {
                ev.key.namespace.clone()
            }
            _ => return,
        };
        if self.queued.insert(ns.clone()) {
            // Deletion passes take the controller a moment (discovery, then a delete per
            // resource), so a deleted namespace is seen Terminating first.
            let deleting =
                matches!(&ev.object, crate::store::Object::Namespace(n) if n.metadata.deletion_timestamp.is_some());
            cx.after(if deleting { DELETION_PASS } else { 0 }, Task::Namespace(ns));
        }
    }

    pub fn reconcile(&mut self, name: &str, cx: &mut Cx<'_>) {
        self.queued.remove(name);
        let Some(Object::Namespace(ns)) = cx.api.get(Kind::Namespace, "", name).cloned() else {
            return;
        };
        if ns.metadata.deletion_timestamp.is_some() {
            return self.finalize(name, ns, cx);
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
    }

    fn finalize(&mut self, name: &str, mut ns: k8s_openapi::api::core::v1::Namespace, cx: &mut Cx<'_>) {
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
        } else if remaining > 0 && self.queued.insert(name.to_string()) {
            // Pods take their grace period; look again later in case no deletion wakes us.
            cx.after(5 * SECOND, Task::Namespace(name.to_string()));
        }
    }
}

fn meta(name: &str, namespace: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: Some(namespace.into()),
        ..Default::default()
    }
}
