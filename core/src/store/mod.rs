//! The object store: what etcd is to a real cluster. It keeps typed objects by
//! kind/namespace/name, stamps each write with a new resourceVersion and records a watch event
//! for it. Admission, validation and the rest of the API path live in `api`; the store only
//! stores, with the indexes its readers need so that no reader scans a whole kind.

mod indexes;
mod kinds;

pub use indexes::Indexes;

pub use kinds::{Kind, Object, RESOURCES, ResourceInfo};

use std::collections::BTreeMap;

/// Where an object lives. Cluster-scoped objects have an empty namespace.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> Self {
        let namespace = if kind.info().namespaced {
            namespace.to_string()
        } else {
            String::new()
        };
        ObjectKey {
            kind,
            namespace,
            name: name.to_string(),
        }
    }

    pub fn of(obj: &Object) -> Self {
        ObjectKey::new(obj.kind(), obj.namespace(), obj.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

/// A change to one object, as a watch stream would deliver it.
#[derive(Clone, Debug)]
pub struct WatchEvent {
    pub kind: WatchEventType,
    pub key: ObjectKey,
    /// The object after the change; for `Deleted`, its last state.
    pub object: Object,
}

#[derive(Default)]
pub struct Store {
    objects: BTreeMap<ObjectKey, Object>,
    resource_version: u64,
    watch: Vec<WatchEvent>,
    indexes: Indexes,
}

impl Store {
    /// The secondary indexes (pods by node, objects by controller and by owner).
    pub fn indexes(&self) -> &Indexes {
        &self.indexes
    }

    /// The objects under `keys` (an index's answer), in key order.
    pub fn get_all<'a>(&'a self, keys: impl IntoIterator<Item = &'a ObjectKey>) -> impl Iterator<Item = &'a Object> {
        keys.into_iter().filter_map(|k| self.objects.get(k))
    }

    pub fn get(&self, key: &ObjectKey) -> Option<&Object> {
        self.objects.get(key)
    }

    /// Objects of one kind, in one namespace or in all (`None`), ordered by namespace and name
    /// as the API server lists them.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> impl Iterator<Item = &Object> {
        let lo = ObjectKey {
            kind,
            namespace: namespace.unwrap_or("").to_string(),
            name: String::new(),
        };
        self.objects
            .range(lo..)
            .take_while(move |(k, _)| k.kind == kind && namespace.is_none_or(|ns| k.namespace == ns))
            .map(|(_, o)| o)
    }

    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// Writes an object, creating or replacing it, and returns what was stored. A write that
    /// changes nothing keeps the old resourceVersion and wakes no watcher, as in etcd3 storage.
    pub fn put(&mut self, mut obj: Object) -> Object {
        let key = ObjectKey::of(&obj);
        let old = self.objects.get(&key);
        if let Some(old) = old {
            // Compared with the stored version's resourceVersion in place of its own.
            let own = std::mem::replace(
                &mut obj.meta_mut().resource_version,
                old.meta().resource_version.clone(),
            );
            if &obj == old {
                return obj;
            }
            obj.meta_mut().resource_version = own;
        }
        let kind = if old.is_some() {
            WatchEventType::Modified
        } else {
            WatchEventType::Added
        };
        if let Some(old) = old {
            self.indexes.remove(&key, old);
        }
        self.resource_version += 1;
        obj.meta_mut().resource_version = Some(self.resource_version.to_string());
        self.indexes.insert(&key, &obj);
        self.objects.insert(key.clone(), obj.clone());
        self.watch.push(WatchEvent {
            kind,
            key,
            object: obj.clone(),
        });
        obj
    }

    pub fn remove(&mut self, key: &ObjectKey) -> Option<Object> {
        let obj = self.objects.remove(key)?;
        self.indexes.remove(key, &obj);
        self.resource_version += 1;
        self.watch.push(WatchEvent {
            kind: WatchEventType::Deleted,
            key: key.clone(),
            object: obj.clone(),
        });
        Some(obj)
    }

    /// Watch events since the last call, oldest first.
    pub fn take_watch_events(&mut self) -> Vec<WatchEvent> {
        std::mem::take(&mut self.watch)
    }

    pub fn has_pending_watch_events(&self) -> bool {
        !self.watch.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ConfigMap;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn cm(ns: &str, name: &str) -> Object {
        Object::ConfigMap(ConfigMap {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some(ns.into()),
                ..Default::default()
            },
            ..Default::default()
        })
    }

    #[test]
    fn list_is_scoped_and_ordered() {
        let mut s = Store::default();
        s.put(cm("b", "x"));
        s.put(cm("a", "z"));
        s.put(cm("a", "y"));
        let names: Vec<_> = s
            .list(Kind::ConfigMap, Some("a"))
            .map(|o| o.name().to_string())
            .collect();
        assert_eq!(names, ["y", "z"]);
        assert_eq!(s.list(Kind::ConfigMap, None).count(), 3);
        assert_eq!(s.list(Kind::Pod, None).count(), 0);
    }

    #[test]
    fn no_op_write_keeps_version_and_is_silent() {
        let mut s = Store::default();
        let first = s.put(cm("a", "x"));
        s.take_watch_events();
        let again = s.put(cm("a", "x"));
        assert_eq!(first.meta().resource_version, again.meta().resource_version);
        assert!(s.take_watch_events().is_empty());
    }
}
