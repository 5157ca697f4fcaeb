//! The API server: every write, from kubectl or from a controller, takes this path — decode,
//! default, admit, validate, store — so both meet the same rules and errors.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, PodCondition};
use serde_json::Value;

use super::admission;
use super::decode::{decode, qualified_kind};
use super::defaults;
use super::errors::{ApiError, Reason};
use super::events::{self, EventType, Source};
use super::validation;
use crate::net::ipam::{self, ServiceIps};
use crate::sim::clock::{Millis, api_time, seconds};
use crate::sim::rng::Rng;
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent};

/// How a delete treats the object's dependents (`metav1.DeletionPropagation`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

pub const ORPHAN_FINALIZER: &str = "orphan";
pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";

pub struct ApiServer {
    store: Store,
    now: Millis,
    rng: Rng,
    service_ips: ServiceIps,
    event_seq: u64,
    /// Events by aggregation key, so a repeat finds its Event without a scan.
    event_index: BTreeMap<String, ObjectKey>,
    /// Writes served (creates, updates, deletes), which clients meter against their QPS.
    writes: u64,
}

impl ApiServer {
    pub fn new(rng: Rng) -> Self {
        ApiServer {
            store: Store::default(),
            now: 0,
            rng,
            service_ips: ServiceIps::default(),
            event_seq: 0,
            event_index: BTreeMap::new(),
            writes: 0,
        }
    }

    /// Replaces the generator of names, UIDs and addresses.
    pub fn reseed(&mut self, rng: Rng) {
        self.rng = rng;
    }

    /// The virtual instant the next request happens at; set by the world before each task.
    pub fn set_now(&mut self, now: Millis) {
        self.now = now;
    }

    pub fn now(&self) -> Millis {
        self.now
    }

    /// Write requests served so far (events excluded: they go through the event broadcaster,
    /// which has its own limits).
    pub fn writes(&self) -> u64 {
        self.writes
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Object> {
        self.store.get(&ObjectKey::new(kind, namespace, name))
    }

    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> impl Iterator<Item = &Object> {
        self.store.list(kind, namespace)
    }

    pub fn take_watch_events(&mut self) -> Vec<WatchEvent> {
        self.store.take_watch_events()
    }

    pub fn has_pending_watch_events(&self) -> bool {
        self.store.has_pending_watch_events()
    }

    /// Decodes a request body strictly, then creates it.
    pub fn create_json(&mut self, kind: Kind, body: Value) -> Result<Object, ApiError> {
        let obj = decode(kind, body)?;
        self.create(obj)
    }

    /// Decodes a request body strictly, then replaces the stored object with it.
    pub fn update_json(&mut self, kind: Kind, body: Value) -> Result<Object, ApiError> {
        let obj = decode(kind, body)?;
        self.update(obj)
    }

    fn check_namespace(&self, obj: &Object) -> Result<(), ApiError> {
        if !obj.kind().info().namespaced {
            return Ok(());
        }
        let ns = obj.namespace();
        match self.get(Kind::Namespace, "", ns) {
            None => Err(ApiError::not_found("namespaces", ns)),
            Some(Object::Namespace(n)) if n.metadata.deletion_timestamp.is_some() => Err(ApiError::new(
                Reason::Forbidden,
                format!(
                    "{} {:?} is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                    obj.kind().info().resource_group(),
                    obj.name()
                ),
            )),
            _ => Ok(()),
        }
    }

    pub fn create(&mut self, obj: Object) -> Result<Object, ApiError> {
        self.writes = self.writes.saturating_add(1);
        let obj = self.admit_create(obj)?;
        Ok(self.store.put(obj))
    }

    /// What a create with `dryRun=All` answers: the object as it would be stored (defaulted,
    /// admitted, validated, given a uid and a creation time), with nothing stored and no
    /// address or random draw used up.
    pub fn dry_run_create(&mut self, obj: Object) -> Result<Object, ApiError> {
        let (rng, ips) = (self.rng.clone(), self.service_ips.clone());
        let result = self.admit_create(obj);
        self.rng = rng;
        self.service_ips = ips;
        result
    }

    /// A create up to the write.
    fn admit_create(&mut self, mut obj: Object) -> Result<Object, ApiError> {
        let kind = obj.kind();
        let info = kind.info();
        {
            let m = obj.meta_mut();
            if info.namespaced {
                if m.namespace.as_deref().unwrap_or("").is_empty() {
                    m.namespace = Some("default".into());
                }
            } else {
                m.namespace = None;
            }
            if m.name.as_deref().unwrap_or("").is_empty()
                && let Some(prefix) = m.generate_name.clone().filter(|p| !p.is_empty())
            {
                // SimpleNameGenerator: the prefix cut to 58 characters, then 5 random ones.
                let base: String = prefix.chars().take(58).collect();
                m.name = Some(format!("{base}{}", self.rng.name_suffix(5)));
            }
        }
        self.check_namespace(&obj)?;
        // A Job's generated selector names its uid, so the uid comes first.
        let early_uid = (kind == Kind::Job).then(|| self.rng.uuid());
        defaults::apply(&mut obj);
        if let (Object::Job(j), Some(uid)) = (&mut obj, &early_uid) {
            defaults::job_selector(j, uid);
        }
        drop_empty_lists(&mut obj);
        match &mut obj {
            Object::Pod(p) => admission::admit_pod(p, &self.store, &mut self.rng)?,
            Object::PriorityClass(pc) => admission::admit_priority_class(pc, &self.store)?,
            _ => {}
        }
        let errs = validation::validate(&obj, None);
        if !errs.is_empty() {
            return Err(ApiError::invalid(&qualified_kind(kind), obj.name(), errs));
        }
        let key = ObjectKey::of(&obj);
        if self.store.get(&key).is_some() {
            return Err(ApiError::already_exists(&info.resource_group(), obj.name()));
        }
        if let Object::Service(s) = &mut obj {
            self.allocate_service(s)?;
        }
        let uid = early_uid.unwrap_or_else(|| self.rng.uuid());
        let generation = obj.spec_changed(&obj).map(|_| 1);
        let m = obj.meta_mut();
        m.uid = Some(uid);
        m.creation_timestamp = Some(api_time(self.now));
        m.resource_version = None;
        m.deletion_timestamp = None;
        m.managed_fields = None;
        m.generation = generation;
        Ok(obj)
    }

    fn allocate_service(&mut self, s: &mut k8s_openapi::api::core::v1::Service) -> Result<(), ApiError> {
        let name = s.metadata.name.clone().unwrap_or_default();
        let Some(spec) = s.spec.as_mut() else {
            return Ok(());
        };
        if spec.type_.as_deref() == Some("ExternalName") {
            return Ok(());
        }
        let wants_node_ports = matches!(spec.type_.as_deref(), Some("NodePort" | "LoadBalancer"));
        if wants_node_ports {
            // Checked before anything is allocated, so a refusal leaves the allocators as they were
            // (pkg/registry/core/service/portallocator: ErrNotInRange, ErrAllocated).
            let mut causes = Vec::new();
            for (i, p) in spec.ports.iter().flatten().enumerate() {
                let Some(n) = p.node_port.filter(|n| *n != 0) else {
                    continue;
                };
                let field = format!("spec.ports[{i}].nodePort");
                let detail = match u16::try_from(n).ok().filter(|n| ipam::NODE_PORTS.contains(n)) {
                    None => format!(
                        "provided port is not in the valid range. The range of valid ports is {}-{}",
                        ipam::NODE_PORTS.start(),
                        ipam::NODE_PORTS.end()
                    ),
                    Some(port) if self.service_ips.node_port_taken(port) => {
                        "provided port is already allocated".to_string()
                    }
                    Some(_) => continue,
                };
                causes.push(super::errors::FieldError::invalid(
                    field,
                    super::errors::BadValue::Int(n.into()),
                    detail,
                ));
            }
            if !causes.is_empty() {
                return Err(ApiError::invalid("Service", &name, causes));
            }
        }
        match spec.cluster_ip.as_deref() {
            Some("None") => spec.cluster_ips = Some(vec!["None".into()]),
            Some(ip) if !ip.is_empty() => {
                if !self.service_ips.reserve_ip(ip) {
                    let causes = vec![super::errors::FieldError::invalid(
                        "spec.clusterIPs",
                        super::errors::BadValue::Raw(format!("[]string{{{:?}}}", ip)),
                        format!("failed to allocate IP {ip}: provided IP is already allocated"),
                    )];
                    return Err(ApiError::invalid("Service", &name, causes));
                }
                spec.cluster_ips = Some(vec![ip.to_string()]);
            }
            _ => {
                let ip = self
                    .service_ips
                    .allocate_ip(&mut self.rng)
                    .ok_or_else(|| ApiError::new(Reason::InternalError, "range is full"))?;
                spec.cluster_ip = Some(ip.clone());
                spec.cluster_ips = Some(vec![ip]);
            }
        }
        if wants_node_ports {
            for p in spec.ports.iter_mut().flatten() {
                match p.node_port.and_then(|n| u16::try_from(n).ok()) {
                    Some(n) if n != 0 => {
                        self.service_ips.reserve_node_port(n);
                    }
                    _ => p.node_port = self.service_ips.allocate_node_port(&mut self.rng).map(i32::from),
                }
            }
        }
        Ok(())
    }

    /// Replaces an object's spec and metadata; its status is kept (the status subresource).
    pub fn update(&mut self, obj: Object) -> Result<Object, ApiError> {
        self.writes = self.writes.saturating_add(1);
        let (obj, key) = self.admit_update(obj)?;
        let stored = self.store.put(obj);
        self.finish_if_unblocked(&key);
        Ok(self.store.get(&key).cloned().unwrap_or(stored))
    }

    /// An update up to the write: the object as it would be stored, defaulted and validated
    /// against the live one (also what a server-side dry run answers).
    pub(crate) fn admit_update(&self, mut obj: Object) -> Result<(Object, ObjectKey), ApiError> {
        let kind = obj.kind();
        if kind.info().namespaced && obj.namespace().is_empty() {
            obj.meta_mut().namespace = Some("default".into());
        }
        let key = ObjectKey::of(&obj);
        let Some(old) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(&kind.info().resource_group(), obj.name()));
        };
        defaults::apply(&mut obj);
        drop_empty_lists(&mut obj);
        obj.copy_status_from(&old);
        {
            let (om, m) = (old.meta(), obj.meta_mut());
            m.uid = om.uid.clone();
            m.creation_timestamp = om.creation_timestamp.clone();
            m.deletion_timestamp = om.deletion_timestamp.clone();
            m.deletion_grace_period_seconds = om.deletion_grace_period_seconds;
            m.generation = om.generation;
            m.managed_fields = None;
        }
        if let (Object::Service(new), Object::Service(old)) = (&mut obj, &old)
            && let (Some(ns), Some(os)) = (new.spec.as_mut(), old.spec.as_ref())
        {
            // ClusterIP and NodePorts stay with the Service for its life.
            if ns.cluster_ip.as_deref().unwrap_or("").is_empty() {
                ns.cluster_ip = os.cluster_ip.clone();
                ns.cluster_ips = os.cluster_ips.clone();
            }
            for p in ns.ports.iter_mut().flatten() {
                if p.node_port.is_none() {
                    p.node_port = os
                        .ports
                        .iter()
                        .flatten()
                        .find(|o| o.port == p.port)
                        .and_then(|o| o.node_port);
                }
            }
        }
        let errs = validation::validate(&obj, Some(&old));
        if !errs.is_empty() {
            return Err(ApiError::invalid(&qualified_kind(kind), obj.name(), errs));
        }
        if let Object::PriorityClass(pc) = &obj {
            admission::admit_priority_class(pc, &self.store)?;
        }
        if obj.spec_changed(&old) == Some(true) {
            obj.meta_mut().generation = Some(old.meta().generation.unwrap_or(1).saturating_add(1));
        }
        Ok((obj, key))
    }

    /// Writes only the status of an object (the `/status` subresource).
    pub fn update_status(&mut self, obj: &Object) -> Result<Object, ApiError> {
        self.writes = self.writes.saturating_add(1);
        let key = ObjectKey::of(obj);
        let Some(mut current) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(&key.kind.info().resource_group(), &key.name));
        };
        current.copy_status_from(obj);
        Ok(self.store.put(current))
    }

    /// Binds a pod to a node, as the scheduler's `pods/binding` call does: sets `nodeName` and
    /// the `PodScheduled` condition.
    pub fn bind(&mut self, namespace: &str, name: &str, node: &str) -> Result<Object, ApiError> {
        let key = ObjectKey::new(Kind::Pod, namespace, name);
        let Some(Object::Pod(mut pod)) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found("pods", name));
        };
        if pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_ref())
            .is_some_and(|n| !n.is_empty())
        {
            return Err(ApiError::new(
                Reason::Conflict,
                format!("pod {name} is already assigned to node {node:?}"),
            ));
        }
        if let Some(spec) = pod.spec.as_mut() {
            spec.node_name = Some(node.into());
        }
        set_pod_condition(&mut pod, "PodScheduled", "True", None, None, self.now);
        Ok(self.store.put(Object::Pod(pod)))
    }

    /// Deletes an object with the default (background) propagation.
    pub fn delete(&mut self, key: &ObjectKey, grace_seconds: Option<i64>) -> Result<Object, ApiError> {
        self.delete_with(key, grace_seconds, Propagation::Background)
    }

    /// Deletes an object. Pods on a node terminate gracefully: they get a deletionTimestamp and
    /// the kubelet removes them once their containers stop. Namespaces go Terminating until the
    /// namespace controller has emptied them. `Orphan` and `Foreground` propagation add the
    /// garbage collector's `orphan` or `foregroundDeletion` finalizer, so the object stays until
    /// the collector has released or deleted its dependents.
    pub fn delete_with(
        &mut self,
        key: &ObjectKey,
        grace_seconds: Option<i64>,
        propagation: Propagation,
    ) -> Result<Object, ApiError> {
        self.writes = self.writes.saturating_add(1);
        let Some(mut obj) = self.store.get(key).cloned() else {
            return Err(ApiError::not_found(&key.kind.info().resource_group(), &key.name));
        };
        let finalizer = match propagation {
            Propagation::Background => None,
            Propagation::Orphan => Some(ORPHAN_FINALIZER),
            Propagation::Foreground => Some(FOREGROUND_FINALIZER),
        };
        if let Some(f) = finalizer
            && key.kind != Kind::Pod
            && obj.meta().deletion_timestamp.is_none()
        {
            let fs = obj.meta_mut().finalizers.get_or_insert_with(Vec::new);
            if !fs.iter().any(|x| x == f) {
                fs.push(f.to_string());
            }
        }
        match obj {
            Object::Pod(mut pod) => {
                let scheduled = pod
                    .spec
                    .as_ref()
                    .and_then(|s| s.node_name.as_ref())
                    .is_some_and(|n| !n.is_empty());
                let terminal = matches!(
                    pod.status.as_ref().and_then(|s| s.phase.as_deref()),
                    Some("Succeeded" | "Failed")
                );
                let default_grace = pod
                    .spec
                    .as_ref()
                    .and_then(|s| s.termination_grace_period_seconds)
                    .unwrap_or(30);
                let grace = grace_seconds.unwrap_or(default_grace).max(0);
                if !scheduled || grace == 0 || terminal {
                    return Ok(self.remove(key).unwrap_or(Object::Pod(pod)));
                }
                if pod.metadata.deletion_timestamp.is_none()
                    || pod.metadata.deletion_grace_period_seconds.is_some_and(|g| g > grace)
                {
                    pod.metadata.deletion_timestamp = Some(api_time(self.now.saturating_add(seconds(grace))));
                    pod.metadata.deletion_grace_period_seconds = Some(grace);
                }
                Ok(self.store.put(Object::Pod(pod)))
            }
            mut other => {
                let has_finalizers = other.meta().finalizers.as_ref().is_some_and(|f| !f.is_empty());
                let namespace_finalizer = matches!(&other, Object::Namespace(n)
                    if n.spec.as_ref().and_then(|s| s.finalizers.as_ref()).is_some_and(|f| !f.is_empty()));
                if has_finalizers || namespace_finalizer {
                    if other.meta().deletion_timestamp.is_none() {
                        other.meta_mut().deletion_timestamp = Some(api_time(self.now));
                        other.meta_mut().deletion_grace_period_seconds = Some(0);
                        if let Object::Namespace(n) = &mut other
                            && let Some(st) = n.status.as_mut()
                        {
                            st.phase = Some("Terminating".into());
                        }
                    }
                    return Ok(self.store.put(other));
                }
                Ok(self.remove(key).unwrap_or(other))
            }
        }
    }

    /// Finishes a delete that was waiting on finalizers, once they are gone.
    fn finish_if_unblocked(&mut self, key: &ObjectKey) {
        let Some(obj) = self.store.get(key) else {
            return;
        };
        if obj.meta().deletion_timestamp.is_none() || key.kind == Kind::Pod {
            return;
        }
        let blocked = obj.meta().finalizers.as_ref().is_some_and(|f| !f.is_empty())
            || matches!(obj, Object::Namespace(n) if n.spec.as_ref().and_then(|s| s.finalizers.as_ref()).is_some_and(|f| !f.is_empty()));
        if !blocked {
            self.remove(key);
        }
    }

    fn remove(&mut self, key: &ObjectKey) -> Option<Object> {
        let obj = self.store.remove(key)?;
        if let Object::Service(s) = &obj
            && let Some(spec) = &s.spec
        {
            if let Some(ip) = spec.cluster_ip.as_deref() {
                self.service_ips.release_ip(ip);
            }
            for p in spec.ports.iter().flatten() {
                if let Some(n) = p.node_port.and_then(|n| u16::try_from(n).ok()) {
                    self.service_ips.release_node_port(n);
                }
            }
        }
        Some(obj)
    }

    /// Records an event about `obj`, or counts a repeat of the same one.
    pub fn record_event(
        &mut self,
        obj: &Object,
        field_path: Option<String>,
        ty: EventType,
        reason: &str,
        message: &str,
        source: &Source,
    ) {
        let reference = events::reference(obj, field_path);
        let aggregation = events::aggregation_key(&reference, ty, reason, message, source);
        let existing = self
            .event_index
            .get(&aggregation)
            .and_then(|k| match self.store.get(k) {
                Some(Object::Event(e)) => Some(e.clone()),
                _ => None,
            });
        let event = match existing {
            Some(mut e) => {
                events::bump(&mut e, self.now);
                e
            }
            None => {
                self.event_seq += 1;
                let mut e = events::new_event(reference, ty, reason, message, source, self.now, self.event_seq);
                e.metadata.uid = Some(self.rng.uuid());
                e.metadata.creation_timestamp = e.first_timestamp.clone();
                e
            }
        };
        let stored = self.store.put(Object::Event(event));
        self.event_index.insert(aggregation, ObjectKey::of(&stored));
    }

    /// Records an event as client-go's `events.k8s.io/v1` recorder writes one (what kube-proxy
    /// and the scheduler use): `eventTime` and an action, no `source` and no first/last
    /// timestamps, so describe shows the reporting controller and sorts it before the
    /// core/v1 events.
    #[allow(clippy::too_many_arguments)]
    pub fn record_event_v1(
        &mut self,
        regarding: k8s_openapi::api::core::v1::ObjectReference,
        ty: EventType,
        reason: &str,
        action: &str,
        note: &str,
        controller: &str,
        instance: &str,
    ) {
        self.event_seq += 1;
        let source = events::Source {
            component: "",
            host: None,
        };
        let mut e = events::new_event(regarding, ty, reason, note, &source, self.now, self.event_seq);
        let micro = k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime(crate::sim::clock::api_time(self.now).0);
        e.metadata.uid = Some(self.rng.uuid());
        e.metadata.creation_timestamp = e.first_timestamp.take();
        e.last_timestamp = None;
        e.count = None;
        e.source = None;
        e.event_time = Some(micro);
        e.action = Some(action.into());
        e.reporting_component = Some(controller.into());
        e.reporting_instance = Some(instance.into());
        self.store.put(Object::Event(e));
    }
}

/// Empty `ownerReferences` and `finalizers` are stored as absent, as Go's `omitempty` drops
/// them: a controller that removes the last reference leaves no `ownerReferences: []` behind.
fn drop_empty_lists(obj: &mut Object) {
    let m = obj.meta_mut();
    if m.owner_references.as_ref().is_some_and(Vec::is_empty) {
        m.owner_references = None;
    }
    if m.finalizers.as_ref().is_some_and(Vec::is_empty) {
        m.finalizers = None;
    }
}

/// Sets a pod condition, moving `lastTransitionTime` only when the status changes, as the
/// kubelet's status manager and the scheduler do.
pub fn set_pod_condition(
    pod: &mut Pod,
    ty: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: Millis,
) {
    let st = pod.status.get_or_insert_with(Default::default);
    let conds = st.conditions.get_or_insert_with(Vec::new);
    let observed = pod.metadata.generation;
    if let Some(c) = conds.iter_mut().find(|c| c.type_ == ty) {
        if c.status != status {
            c.last_transition_time = Some(api_time(now));
        }
        c.status = status.into();
        c.reason = reason.map(Into::into);
        c.message = message.map(Into::into);
        c.observed_generation = observed;
    } else {
        conds.push(PodCondition {
            type_: ty.into(),
            status: status.into(),
            reason: reason.map(Into::into),
            message: message.map(Into::into),
            last_transition_time: Some(api_time(now)),
            last_probe_time: None,
            observed_generation: observed,
        });
    }
}
