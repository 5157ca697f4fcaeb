//! The TTL-after-finished controller (pkg/controller/ttlafterfinished): a Job with
//! `ttlSecondsAfterFinished` is deleted (foreground, so its pods go first) that long after its
//! Complete or Failed condition. It records no events.

use super::{Controller, Cx, Wakes};
use crate::api::ApiError;
use crate::api::server::Propagation;
use crate::sim::clock::{from_api_time, seconds};
use crate::store::{Kind, Object, ObjectKey, Store, WatchEvent};

pub struct TtlAfterFinished;

impl Controller for TtlAfterFinished {
    fn name(&self) -> &'static str {
        "ttl-after-finished-controller"
    }

    fn watches(&self) -> &'static [Kind] {
        &[Kind::Job]
    }

    fn keys(&self, ev: &WatchEvent, _store: &Store, out: &mut Wakes) {
        if let Object::Job(j) = &ev.object
            && j.spec.as_ref().and_then(|s| s.ttl_seconds_after_finished).is_some()
        {
            out.push((ev.key.clone(), 0));
        }
    }

    fn reconcile(&mut self, key: &ObjectKey, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let Some(Object::Job(job)) = cx.api.store().get(key).cloned() else {
            return Ok(());
        };
        let Some(ttl) = job.spec.as_ref().and_then(|s| s.ttl_seconds_after_finished) else {
            return Ok(());
        };
        if job.metadata.deletion_timestamp.is_some() {
            return Ok(());
        }
        let finished_at = job
            .status
            .iter()
            .flat_map(|s| s.conditions.iter().flatten())
            .find(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True")
            .and_then(|c| c.last_transition_time.as_ref().map(from_api_time));
        let Some(finished_at) = finished_at else {
            return Ok(());
        };
        let expires = finished_at.saturating_add(seconds(ttl.into()));
        if cx.now < expires {
            cx.after(expires - cx.now, key.clone());
            return Ok(());
        }
        match cx.api.delete_with(key, None, Propagation::Foreground) {
            Ok(_) => Ok(()),
            Err(e) if e.reason == crate::api::Reason::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }
}
