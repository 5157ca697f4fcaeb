//! The image manager: pull policy, serialized pulls (the kubelet default), the pull back-off
//! and the `Pulling`/`Pulled`/`Failed`/`BackOff` events with the 1.35 wording
//! (pkg/kubelet/images/image_manager.go).

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::collections::{BTreeMap, BTreeSet};

use super::backoff::Backoff;
use super::{Kubelet, Task};
use crate::api::Cx;
use crate::api::events::{EventType, Source};
use crate::runtime::images::{self, ImageInfo};
use crate::sim::clock::{Millis, go_duration};
use crate::store::{Kind, ObjectKey};

struct Pull {
    pod: ObjectKey,
    /// The normalised reference: `docker.io/library/nginx:latest`.
    full: String,
    uid: String,
    container: String,
    image: String,
    requested_at: Millis,
    started_at: Millis,
    result: Result<u64, String>,
}

pub struct ImageManager {
    present: BTreeSet<String>,
    pulls: BTreeMap<u64, Pull>,
    /// Finished pulls per (pod uid, image): Ok, or the error text.
    results: BTreeMap<(String, String), Result<(), String>>,
    in_flight: BTreeSet<(String, String)>,
    busy_until: Millis,
    next_id: u64,
    pub backoff: Backoff,
}

impl ImageManager {
    /// The images on the machine: they stay in containerd's store when it is stopped.
    pub fn present(&self) -> BTreeSet<String> {
        self.present.clone()
    }

    pub fn with_present(present: BTreeSet<String>) -> Self {
        ImageManager {
            present,
            ..Default::default()
        }
    }
}

impl Default for ImageManager {
    fn default() -> Self {
        ImageManager {
            present: images::PRELOADED.iter().map(|i| i.to_string()).collect(),
            pulls: BTreeMap::new(),
            results: BTreeMap::new(),
            in_flight: BTreeSet::new(),
            busy_until: 0,
            next_id: 0,
            backoff: Backoff::kubelet_default(),
        }
    }
}

/// Where a container's image stands for this sync.
pub enum Ensure {
    Ready(&'static ImageInfo, images::Reference),
    Pulling,
    /// A waiting reason and message: `ErrImagePull`, `ImagePullBackOff`, `ErrImageNeverPull`.
    Failed(&'static str, String),
}

const SOURCE_COMPONENT: &str = "kubelet";

impl Kubelet {
    fn source(&self) -> Source {
        Source {
            component: SOURCE_COMPONENT,
            host: Some(self.node.clone()),
        }
    }

    /// `EnsureImageExists` for one container of a pod.
    pub(crate) fn ensure_image(
        &mut self,
        key: &ObjectKey,
        uid: &str,
        container: &str,
        image: &str,
        policy: &str,
        cx: &mut Cx<'_, Task>,
    ) -> Ensure {
        let resolved = images::resolve(image);
        let full = images::parse(image)
            .map(|r| r.full())
            .unwrap_or_else(|_| image.to_string());
        let present = self.images.present.contains(&full);
        let field = self.field_path(key, container);
        let pull_key = (uid.to_string(), image.to_string());
        let backoff_key = format!("{uid}_{image}");

        if let Some(result) = self.images.results.remove(&pull_key) {
            match result {
                Ok(()) => {
                    if let Ok((info, r)) = resolved {
                        return Ensure::Ready(info, r);
                    }
                }
                Err(msg) => return Ensure::Failed("ErrImagePull", msg),
            }
        }
        if self.images.in_flight.contains(&pull_key) {
            return Ensure::Pulling;
        }
        let must_pull = match policy {
            "Never" => {
                if present {
                    false
                } else {
                    let msg = format!("Container image {image:?} is not present with pull policy of Never");
                    self.event(key, field, EventType::Warning, "ErrImageNeverPull", &msg, cx);
                    return Ensure::Failed("ErrImageNeverPull", msg);
                }
            }
            "Always" => true,
            _ => !present,
        };
        if !must_pull && let Ok((info, r)) = resolved {
            let msg = format!("Container image {image:?} already present on machine and can be accessed by the pod");
            self.event(key, field, EventType::Normal, "Pulled", &msg, cx);
            return Ensure::Ready(info, r);
        }
        if self.images.backoff.in_backoff_since_update(&backoff_key, cx.now) {
            let msg = format!("Back-off pulling image {image:?}");
            self.event(key, field, EventType::Normal, "BackOff", &msg, cx);
            return Ensure::Failed("ImagePullBackOff", msg);
        }
        self.event(
            key,
            field,
            EventType::Normal,
            "Pulling",
            &format!("Pulling image {image:?}"),
            cx,
        );
        // Serialized pulls: this one starts when the previous one is done.
        let start = self.images.busy_until.max(cx.now);
        // A pull queued behind another pull of the same image finds its layers on disk by the
        // time it runs, and only resolves the manifest.
        let layers_local = present || self.images.pulls.values().any(|p| p.result.is_ok() && p.full == full);
        let (duration, result) = match &resolved {
            Ok((info, _)) if layers_local => (self.rng.range(300, 900), Ok(info.size)),
            Ok((info, _)) => {
                // About 12 MB/s from the registry, plus a round trip, with ±20% jitter.
                let base = (info.size / 12_000).saturating_add(400);
                let (low, high) = (base.saturating_mul(8) / 10, base.saturating_mul(12) / 10);
                (self.rng.range(low, high), Ok(info.size))
            }
            Err(e) => (self.rng.range(800, 2_500), Err(e.clone())),
        };
        self.images.busy_until = start.saturating_add(duration);
        self.images.next_id = self.images.next_id.saturating_add(1);
        let id = self.images.next_id;
        self.images.pulls.insert(
            id,
            Pull {
                pod: key.clone(),
                full: full.clone(),
                uid: uid.into(),
                container: container.into(),
                image: image.into(),
                requested_at: cx.now,
                started_at: start,
                result,
            },
        );
        self.images.in_flight.insert(pull_key);
        let done = start.saturating_add(duration).saturating_sub(cx.now);
        self.later(done, Task::PullDone(id), cx);
        Ensure::Pulling
    }

    pub(crate) fn pull_done(&mut self, id: u64, cx: &mut Cx<'_, Task>) {
        let Some(pull) = self.images.pulls.remove(&id) else {
            return;
        };
        let pull_key = (pull.uid.clone(), pull.image.clone());
        self.images.in_flight.remove(&pull_key);
        let field = self.field_path(&pull.pod, &pull.container);
        match pull.result {
            Ok(size) => {
                if let Ok(r) = images::parse(&pull.image) {
                    self.images.present.insert(r.full());
                }
                let msg = format!(
                    "Successfully pulled image {:?} in {} ({} including waiting). Image size: {size} bytes.",
                    pull.image,
                    go_duration(cx.now.saturating_sub(pull.started_at)),
                    go_duration(cx.now.saturating_sub(pull.requested_at))
                );
                self.event(&pull.pod, field, EventType::Normal, "Pulled", &msg, cx);
                self.images.results.insert(pull_key, Ok(()));
            }
            Err(err) => {
                self.images
                    .backoff
                    .next(&format!("{}_{}", pull.uid, pull.image), cx.now);
                let msg = format!("Failed to pull image {:?}: {err}", pull.image);
                self.event(&pull.pod, field.clone(), EventType::Warning, "Failed", &msg, cx);
                self.event(
                    &pull.pod,
                    field,
                    EventType::Warning,
                    "Failed",
                    "Error: ErrImagePull",
                    cx,
                );
                self.images.results.insert(pull_key, Err(err));
            }
        }
        self.queue_sync(&pull.pod, 0, cx);
    }

    /// The field path of a container, which kubelet events carry: `spec.containers{web}`.
    pub(crate) fn field_path(&self, key: &ObjectKey, container: &str) -> Option<String> {
        let list = match self.pods.get(key) {
            Some(p) if p.init.iter().any(|c| c.name() == container) => "initContainers",
            _ => "containers",
        };
        Some(format!("spec.{list}{{{container}}}"))
    }

    pub(crate) fn event(
        &self,
        key: &ObjectKey,
        field: Option<String>,
        ty: EventType,
        reason: &str,
        msg: &str,
        cx: &mut Cx<'_, Task>,
    ) {
        if let Some(obj) = cx.api.get(Kind::Pod, &key.namespace, &key.name).cloned() {
            cx.api.record_event(&obj, field, ty, reason, msg, &self.source());
        }
    }
}
