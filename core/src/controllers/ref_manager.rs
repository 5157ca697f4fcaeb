//! The controller reference manager (pkg/controller/controller_ref_manager.go), shared by the
//! workload controllers: a controller claims the objects of a kind it controls whose labels its
//! selector still matches, releases those it no longer selects, and adopts matching orphans
//! (unless it is being deleted). And the other direction: which controllers of a namespace
//! select an orphan, so that an orphan's events reach the ones that may adopt it.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::Cx;
use super::podutil::controller_ref;
use crate::labels::Selector;
use crate::store::{Kind, Object, ObjectKey, Store};

static NO_LABELS: BTreeMap<String, String> = BTreeMap::new();

fn labels(o: &Object) -> &BTreeMap<String, String> {
    o.meta().labels.as_ref().unwrap_or(&NO_LABELS)
}

/// The selector of a workload controller.
pub fn selector_of(o: &Object) -> Option<&LabelSelector> {
    match o {
        Object::ReplicaSet(r) => r.spec.as_ref().map(|s| &s.selector),
        Object::Deployment(d) => d.spec.as_ref().map(|s| &s.selector),
        Object::StatefulSet(s) => s.spec.as_ref().map(|s| &s.selector),
        Object::DaemonSet(d) => d.spec.as_ref().map(|s| &s.selector),
        Object::Job(j) => j.spec.as_ref().and_then(|s| s.selector.as_ref()),
        _ => None,
    }
}

/// `ClaimObjects`: the objects of `kind` that `owner` controls after adoption and release.
pub fn claim(owner: &Object, kind: Kind, cx: &mut Cx<'_>) -> Vec<Object> {
    claim_where(owner, kind, |_| true, cx)
}

/// [`claim`] with a membership test an orphan must also pass to be adopted (a StatefulSet
/// adopts only pods named as its ordinals, `isMemberOf`).
pub fn claim_where(owner: &Object, kind: Kind, member: impl Fn(&Object) -> bool, cx: &mut Cx<'_>) -> Vec<Object> {
    let ns = owner.namespace().to_string();
    let uid = owner.meta().uid.clone().unwrap_or_default();
    let selector = selector_of(owner)
        .map(Selector::from_label_selector)
        .unwrap_or_default();
    let deleting = owner.meta().deletion_timestamp.is_some();
    let store = cx.api.store();
    let idx = store.indexes();
    let owned: Vec<Object> = store.get_all(idx.controlled_by(kind, &ns, &uid)).cloned().collect();
    let orphans: Vec<Object> = if deleting || selector.is_empty() {
        Vec::new()
    } else {
        store
            .get_all(idx.controlled_by(kind, &ns, ""))
            .filter(|o| o.meta().deletion_timestamp.is_none() && selector.matches(labels(o)) && member(o))
            .cloned()
            .collect()
    };
    let mut claimed = Vec::new();
    for mut o in owned {
        // Owned but no longer selected: released, unless the owner itself is going away.
        if selector.matches(labels(&o)) || deleting {
            claimed.push(o);
        } else if let Some(refs) = o.meta_mut().owner_references.as_mut() {
            refs.retain(|r| r.uid != uid);
            let _ = cx.api.update(o);
        }
    }
    for mut o in orphans {
        o.meta_mut()
            .owner_references
            .get_or_insert_with(Vec::new)
            .push(controller_ref(owner));
        if let Ok(adopted) = cx.api.update(o) {
            claimed.push(adopted);
        }
    }
    claimed
}

/// The controllers of `owner_kind` in `namespace` whose selector matches an orphan's labels
/// (`getPodReplicaSets` and the like): the ones its events should wake.
pub fn selecting(store: &Store, owner_kind: Kind, namespace: &str, orphan: &Object) -> Vec<ObjectKey> {
    store
        .list(owner_kind, Some(namespace))
        .filter(|o| {
            selector_of(o)
                .map(Selector::from_label_selector)
                .is_some_and(|s| !s.is_empty() && s.matches(labels(orphan)))
        })
        .map(ObjectKey::of)
        .collect()
}
