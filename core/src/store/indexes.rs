//! The store's secondary indexes, as client-go's `Indexer` keeps them for informers: a kubelet
//! finds the pods bound to its node, a controller the objects it controls (and the orphans it
//! may adopt), the garbage collector the dependents of an owner, each without a scan.

use std::collections::{BTreeMap, BTreeSet};

use super::{Kind, Object, ObjectKey};

#[derive(Default)]
pub struct Indexes {
    /// Pods by `spec.nodeName` (unbound pods are not indexed).
    pods_by_node: BTreeMap<String, BTreeSet<ObjectKey>>,
    /// Objects by (kind, namespace, uid of their controller): `""` collects the orphans.
    controlled: BTreeMap<(Kind, String, String), BTreeSet<ObjectKey>>,
    /// Objects by the uid of each of their owners.
    dependents: BTreeMap<String, BTreeSet<ObjectKey>>,
}

static EMPTY: BTreeSet<ObjectKey> = BTreeSet::new();

fn node_of(obj: &Object) -> Option<&str> {
    match obj {
        Object::Pod(p) => p.spec.as_ref()?.node_name.as_deref().filter(|n| !n.is_empty()),
        _ => None,
    }
}

/// The uid of the object's controller (the owner reference with `controller: true`), or "".
pub fn controller_uid(obj: &Object) -> &str {
    obj.meta()
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map_or("", |r| r.uid.as_str())
}

impl Indexes {
    pub(super) fn insert(&mut self, key: &ObjectKey, obj: &Object) {
        if let Some(node) = node_of(obj) {
            self.pods_by_node
                .entry(node.to_string())
                .or_default()
                .insert(key.clone());
        }
        let by = (key.kind, key.namespace.clone(), controller_uid(obj).to_string());
        self.controlled.entry(by).or_default().insert(key.clone());
        for r in obj.meta().owner_references.iter().flatten() {
            self.dependents.entry(r.uid.clone()).or_default().insert(key.clone());
        }
    }

    pub(super) fn remove(&mut self, key: &ObjectKey, obj: &Object) {
        fn drop_from<K: Ord>(map: &mut BTreeMap<K, BTreeSet<ObjectKey>>, k: K, key: &ObjectKey) {
            if let Some(set) = map.get_mut(&k) {
                set.remove(key);
                if set.is_empty() {
                    map.remove(&k);
                }
            }
        }
        if let Some(node) = node_of(obj) {
            drop_from(&mut self.pods_by_node, node.to_string(), key);
        }
        let by = (key.kind, key.namespace.clone(), controller_uid(obj).to_string());
        drop_from(&mut self.controlled, by, key);
        for r in obj.meta().owner_references.iter().flatten() {
            drop_from(&mut self.dependents, r.uid.clone(), key);
        }
    }

    /// Keys of the pods bound to `node`.
    pub fn pods_on_node(&self, node: &str) -> &BTreeSet<ObjectKey> {
        self.pods_by_node.get(node).unwrap_or(&EMPTY)
    }

    /// Keys of the objects of `kind` in `namespace` whose controller has `uid`; `""` gives the
    /// orphans, which a controller may adopt.
    pub fn controlled_by(&self, kind: Kind, namespace: &str, uid: &str) -> &BTreeSet<ObjectKey> {
        self.controlled
            .get(&(kind, namespace.to_string(), uid.to_string()))
            .unwrap_or(&EMPTY)
    }

    /// Keys of the objects that name `uid` among their owners.
    pub fn dependents_of(&self, uid: &str) -> &BTreeSet<ObjectKey> {
        self.dependents.get(uid).unwrap_or(&EMPTY)
    }
}
