//! `kubectl apply --prune` (kubectl pkg/cmd/apply/prune.go, pkg/util/prune at v0.35.0): after
//! the apply, objects of the allowlisted kinds in the namespaces it touched that match the
//! selector (or all, with `--all`), were made by `kubectl apply` (they carry its
//! last-applied annotation) and were not in this apply, are deleted and reported as `pruned`.

use super::apply::{LAST_APPLIED, Visited};
use super::create::DryRun;
use crate::kubectl::flags::Parsed;
use crate::kubectl::{CmdError, Ctx};
use crate::labels::Selector;
use crate::sim::clock::api_time;
use crate::store::{Kind, ObjectKey};

/// The default allowlist (`defaultNamespacedPruneResources`), in its order; the kinds the
/// simulated API server does not serve (Endpoints, ReplicationController) have nothing to
/// prune.
const NAMESPACED: &[Kind] = &[
    Kind::ConfigMap,
    Kind::PersistentVolumeClaim,
    Kind::Pod,
    Kind::Secret,
    Kind::Service,
    Kind::Job,
    Kind::CronJob,
    Kind::Ingress,
    Kind::DaemonSet,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::StatefulSet,
];

/// `defaultNonNamespacedPruneResources`.
const CLUSTER: &[Kind] = &[Kind::Namespace, Kind::PersistentVolume];

/// klog's header for a warning (`Lmmdd hh:mm:ss.uuuuuu threadid file:line] `), at the
/// virtual time; kubectl's process id is a fixed number here.
fn klog_warning(now: crate::sim::clock::Millis, file_line: &str, msg: &str) -> String {
    let t = api_time(now).0.strftime("%m%d %H:%M:%S").to_string();
    format!("W{t}.{:06} {:>7} {file_line}] {msg}\n", (now % 1000) * 1000, 42)
}

pub(super) fn prune(
    p: &Parsed,
    dry: DryRun,
    allowlist: &[Kind],
    visited: &Visited,
    ctx: &mut Ctx<'_>,
) -> Result<(), CmdError> {
    let (namespaced, cluster): (Vec<Kind>, Vec<Kind>) = if allowlist.is_empty() {
        // The namespace is always known (the kubeconfig's default at least), so kubectl always
        // gives this warning with the default allowlist.
        ctx.out.err(klog_warning(
            ctx.world.now(),
            "prune.go:71",
            "Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag.",
        ));
        (NAMESPACED.to_vec(), CLUSTER.to_vec())
    } else {
        allowlist.iter().partition(|k| k.info().namespaced)
    };
    let selector = Selector::parse(p.get("selector").unwrap_or("")).map_err(CmdError::Msg)?;
    let suffix = match dry {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let mut scopes: Vec<(Option<String>, &[Kind])> = visited
        .namespaces
        .iter()
        .map(|n| (Some(n.clone()), namespaced.as_slice()))
        .collect();
    scopes.push((None, cluster.as_slice()));
    for (ns, kinds) in scopes {
        for &kind in kinds {
            let doomed: Vec<ObjectKey> = ctx
                .world
                .api()
                .list(kind, ns.as_deref())
                .filter(|o| {
                    let m = o.meta();
                    let applied = m.annotations.as_ref().is_some_and(|a| a.contains_key(LAST_APPLIED));
                    let seen = m.uid.as_ref().is_some_and(|u| visited.uids.contains(u));
                    applied && !seen && selector.matches(&m.labels.clone().unwrap_or_default())
                })
                .map(ObjectKey::of)
                .collect();
            for key in doomed {
                if dry == DryRun::None {
                    ctx.world.api_mut().delete(&key, None)?;
                }
                ctx.out
                    .out(format!("{}/{} pruned{suffix}\n", kind.info().kind_group(), key.name));
            }
        }
    }
    Ok(())
}
