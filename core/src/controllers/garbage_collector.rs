//! The garbage collector (pkg/controller/garbagecollector): an object whose owners are all gone
//! is deleted (background propagation, the default); an owner deleted with `orphan` propagation
//! first has the references to it removed from its dependents; one deleted in the foreground
//! waits, Terminating with the `foregroundDeletion` finalizer, until the dependents that block
//! it (`blockOwnerDeletion`) are gone.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::server::{FOREGROUND_FINALIZER, ORPHAN_FINALIZER, Propagation};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent, WatchEventType};

pub struct GarbageCollector;

/// The key an owner reference points at, from the dependent's namespace.
fn owner_key(r: &OwnerReference, namespace: &str) -> Option<ObjectKey> {
    let kind = *Kind::ALL.iter().find(|k| k.name() == r.kind)?;
    Some(ObjectKey::new(kind, namespace, &r.name))
}

#[derive(PartialEq)]
enum Owner {
    /// Exists and is not waiting for its dependents.
    Solid,
    /// Absent, or a different object of the same name.
    Dangling,
    /// Being deleted in the foreground.
    Waiting,
}

fn owner_state(r: &OwnerReference, namespace: &str, store: &Store) -> Owner {
    let Some(obj) = owner_key(r, namespace).and_then(|k| store.get(&k)) else {
        return Owner::Dangling;
    };
    if obj.meta().uid.as_deref() != Some(r.uid.as_str()) {
        return Owner::Dangling;
    }
    if has_finalizer(obj, FOREGROUND_FINALIZER) && obj.meta().deletion_timestamp.is_some() {
        Owner::Waiting
    } else {
        Owner::Solid
    }
}

fn has_finalizer(obj: &Object, f: &str) -> bool {
    obj.meta().finalizers.iter().flatten().any(|x| x == f)
}

fn deleting_with(obj: &Object, f: &str) -> bool {
    obj.meta().deletion_timestamp.is_some() && has_finalizer(obj, f)
}

impl Controller for GarbageCollector {
    fn name(&self) -> &'static str {
        "garbage-collector-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        Kind::ALL
    }

    fn keys(&self, ev: &WatchEvent, store: &Store, out: &mut Wakes) {
        let obj = &ev.object;
        let uid = obj.meta().uid.clone().unwrap_or_default();
        match ev.kind {
            WatchEventType::Deleted => {
                // Its dependents may have lost their last owner.
                for k in store.indexes().dependents_of(&uid) {
                    out.push((k.clone(), 0));
                }
                // A deleted dependent may be what a foreground owner waits for.
                for r in obj.meta().owner_references.iter().flatten() {
                    if let Some(k) = owner_key(r, &ev.key.namespace) {
                        out.push((k, 0));
                    }
                }
            }
            _ => {
                if deleting_with(obj, ORPHAN_FINALIZER) || deleting_with(obj, FOREGROUND_FINALIZER) {
                    out.push((ev.key.clone(), 0));
                }
                // A dependent created or left with an owner that is not there.
                let ns = &ev.key.namespace;
                if obj
                    .meta()
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|r| owner_state(r, ns, store) != Owner::Solid)
                {
                    out.push((ev.key.clone(), 0));
                }
            }
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(obj) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        if deleting_with(&obj, ORPHAN_FINALIZER) {
            return orphan_dependents(obj, cx);
        }
        if deleting_with(&obj, FOREGROUND_FINALIZER) {
            return delete_dependents(obj, cx);
        }
        attempt_to_delete(key, obj, cx)
    }
}

/// `orphanDependents`, then the `orphan` finalizer goes and the owner with it.
fn orphan_dependents(mut owner: Object, cx: &mut Cx<'_>) -> Result<(), ApiError> {
    let uid = owner.meta().uid.clone().unwrap_or_default();
    let dependents: Vec<ObjectKey> = cx.api.store().indexes().dependents_of(&uid).iter().cloned().collect();
    for k in dependents {
        if let Some(mut d) = cx.api.store().get(&k).cloned() {
            if let Some(refs) = d.meta_mut().owner_references.as_mut() {
                refs.retain(|r| r.uid != uid);
            }
            cx.api.update(d)?;
        }
    }
    if let Some(fs) = owner.meta_mut().finalizers.as_mut() {
        fs.retain(|f| f != ORPHAN_FINALIZER);
    }
    cx.api.update(owner)?;
    Ok(())
}

/// `processDeletingDependentsItem`: deletes the dependents; once none that blocks the owner is
/// left, the `foregroundDeletion` finalizer goes and the owner with it.
fn delete_dependents(mut owner: Object, cx: &mut Cx<'_>) -> Result<(), ApiError> {
    let uid = owner.meta().uid.clone().unwrap_or_default();
    let dependents: Vec<ObjectKey> = cx.api.store().indexes().dependents_of(&uid).iter().cloned().collect();
    let mut blocking = 0;
    for k in dependents {
        let Some(d) = cx.api.store().get(&k).cloned() else {
            continue;
        };
        let blocks = d
            .meta()
            .owner_references
            .iter()
            .flatten()
            .any(|r| r.uid == uid && r.block_owner_deletion == Some(true));
        if blocks {
            blocking += 1;
        }
        if d.meta().deletion_timestamp.is_none() {
            attempt_to_delete(&k, d, cx)?;
        }
    }
    if blocking == 0 {
        if let Some(fs) = owner.meta_mut().finalizers.as_mut() {
            fs.retain(|f| f != FOREGROUND_FINALIZER);
        }
        cx.api.update(owner)?;
    }
    Ok(())
}

/// `attemptToDeleteItem`: a dependent with a solid owner keeps living (references to gone
/// owners are dropped); one whose owners are all gone or going is deleted, in the foreground
/// when an owner waits for it and it has dependents of its own.
fn attempt_to_delete(key: &ObjectKey, obj: Object, cx: &mut Cx<'_>) -> Result<(), ApiError> {
    if obj.meta().deletion_timestamp.is_some() {
        return Ok(());
    }
    let refs: Vec<OwnerReference> = obj.meta().owner_references.clone().unwrap_or_default();
    if refs.is_empty() {
        return Ok(());
    }
    let states: Vec<Owner> = refs
        .iter()
        .map(|r| owner_state(r, &key.namespace, cx.api.store()))
        .collect();
    if states.contains(&Owner::Solid) {
        if states.contains(&Owner::Dangling) {
            let mut next = obj;
            let keep: Vec<OwnerReference> = refs
                .into_iter()
                .zip(states)
                .filter(|(_, s)| *s != Owner::Dangling)
                .map(|(r, _)| r)
                .collect();
            next.meta_mut().owner_references = Some(keep);
            cx.api.update(next)?;
        }
        return Ok(());
    }
    let uid = obj.meta().uid.clone().unwrap_or_default();
    let has_dependents = !cx.api.store().indexes().dependents_of(&uid).is_empty();
    let policy = if states.contains(&Owner::Waiting) && has_dependents {
        Propagation::Foreground
    } else {
        Propagation::Background
    };
    match cx.api.delete_with(key, None, policy) {
        Ok(_) => Ok(()),
        Err(e) if e.reason == crate::api::Reason::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}
