//! `kubectl describe`, laid out as kubectl/pkg/describe/describe.go lays it out: lines written
//! at indentation levels of two spaces, tab-separated cells aligned by Go's tabwriter
//! (padding 2), and an Events section of its own.

mod autoscaling;
mod config;
mod events;
mod generic;
mod network;
mod node;
mod pod;
mod policy;
mod rbac;
mod storage;
mod workloads;

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::fmt::strtime;

use super::printers::tabwriter::TabWriter;
use crate::cluster::World;
use crate::store::Object;

pub use events::events_section;
pub use workloads::pod_template;

/// Text with `\t` cell breaks, flushed through the describe tabwriter in blocks.
#[derive(Default)]
pub struct Writer {
    pending: String,
    done: String,
}

impl Writer {
    /// `PrefixWriter.Write(level, ...)`: two spaces per level.
    pub fn line(&mut self, level: usize, text: &str) {
        self.pending.extend(std::iter::repeat_n(' ', level * 2));
        self.pending.push_str(text);
        self.pending.push('\n');
    }

    /// Lines written by `f`, indented `levels` deeper (a section reused inside another, such
    /// as a pod's volumes inside a pod template).
    pub fn nested(&mut self, levels: usize, f: impl FnOnce(&mut Writer)) {
        let mut inner = Writer::default();
        f(&mut inner);
        for l in inner.pending.lines() {
            self.line(levels, l);
        }
    }

    /// Ends an alignment block, as `w.Flush()` does.
    pub fn flush(&mut self) {
        let text = std::mem::take(&mut self.pending);
        self.done.push_str(&TabWriter::DESCRIBE.format(&text));
    }

    /// The lines not yet flushed, tabs and all (for a section reused under another title).
    pub fn pending_text(&self) -> &str {
        &self.pending
    }

    /// The text as written, without aligning columns: what kubectl prints where it writes a
    /// describer's output into a plain buffer (`rollout history --revision`).
    pub fn raw(self) -> String {
        let mut s = self.done;
        s.push_str(&self.pending);
        s
    }

    pub fn finish(mut self) -> String {
        self.flush();
        self.done
    }
}

/// RFC 1123 with numeric zone, as describe prints times: `Thu, 01 Jan 2026 00:05:00 +0000`.
pub fn rfc1123z(t: &Time) -> String {
    strtime::format("%a, %d %b %Y %H:%M:%S +0000", t.0).unwrap_or_default()
}

/// `printLabelsMultiline`.
pub fn labels_multiline(w: &mut Writer, title: &str, m: Option<&BTreeMap<String, String>>) {
    let m = m.cloned().unwrap_or_default();
    if m.is_empty() {
        w.line(0, &format!("{title}:\t<none>"));
        return;
    }
    for (i, (k, v)) in m.iter().enumerate() {
        if i == 0 {
            w.line(0, &format!("{title}:\t{k}={v}"));
        } else {
            w.line(0, &format!("\t{k}={v}"));
        }
    }
}

/// `printAnnotationsMultiline`: the last-applied configuration is left out, long or
/// multi-line values go on their own lines.
pub fn annotations_multiline(w: &mut Writer, m: Option<&BTreeMap<String, String>>) {
    let mut m = m.cloned().unwrap_or_default();
    m.remove("kubectl.kubernetes.io/last-applied-configuration");
    if m.is_empty() {
        w.line(0, "Annotations:\t<none>");
        return;
    }
    for (i, (k, v)) in m.iter().enumerate() {
        let prefix = if i == 0 { "Annotations:\t" } else { "\t" };
        let value = v.strip_suffix('\n').unwrap_or(v);
        if value.len() + k.len() + 2 > 140 || value.contains('\n') {
            w.line(0, &format!("{prefix}{k}:"));
            for l in value.split('\n') {
                let short = if l.len() > 138 {
                    let cut = (0..=138).rev().find(|i| l.is_char_boundary(*i)).unwrap_or(0);
                    format!("{}...", &l[..cut])
                } else {
                    l.to_string()
                };
                w.line(0, &format!("\t  {short}"));
            }
        } else {
            w.line(0, &format!("{prefix}{k}: {value}"));
        }
    }
}

/// Describes one object, or says which kinds have no describer yet.
pub fn describe(world: &World, obj: &Object) -> String {
    match obj {
        Object::Pod(p) => pod::describe(world, p),
        Object::Node(n) => node::describe(world, n),
        Object::Deployment(d) => workloads::deployment(world, d),
        Object::ReplicaSet(r) => workloads::replica_set(world, r),
        Object::StatefulSet(s) => workloads::stateful_set(world, s),
        Object::DaemonSet(d) => workloads::daemon_set(world, d),
        Object::Job(j) => workloads::job(world, j),
        Object::CronJob(c) => workloads::cron_job(world, c),
        Object::HorizontalPodAutoscaler(h) => autoscaling::hpa(world, h),
        Object::ConfigMap(c) => config::config_map(world, c),
        Object::Secret(s) => config::secret(s),
        Object::Role(r) => rbac::role(&r.metadata, r.rules.as_deref()),
        Object::ClusterRole(r) => rbac::role(&r.metadata, r.rules.as_deref()),
        Object::RoleBinding(b) => rbac::binding(&b.metadata, &b.role_ref, b.subjects.as_deref()),
        Object::ClusterRoleBinding(b) => rbac::binding(&b.metadata, &b.role_ref, b.subjects.as_deref()),
        Object::PriorityClass(pc) => policy::priority_class(world, pc),
        Object::ServiceAccount(sa) => policy::service_account(world, sa),
        Object::Namespace(ns) => policy::namespace(world, ns),
        Object::ResourceQuota(q) => policy::resource_quota(q),
        Object::PodDisruptionBudget(p) => policy::pod_disruption_budget(world, p),
        Object::StorageClass(sc) => storage::storage_class_describe(world, sc),
        Object::PersistentVolume(pv) => storage::persistent_volume(world, pv),
        Object::PersistentVolumeClaim(pvc) => storage::persistent_volume_claim(world, pvc),
        Object::Ingress(i) => network::ingress(world, i),
        Object::Service(svc) => network::service(world, svc),
        Object::IngressClass(i) => network::ingress_class(world, i),
        other => generic::describe(world, other, &super::cmd::create::with_type(other)),
    }
}
