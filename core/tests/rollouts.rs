//! Rollout invariants read from the store at every event, not from a transcript: during a
//! RollingUpdate of 10 replicas with the default 25%/25% strategy there are never more than
//! 13 pods (replicas + maxSurge) that are not terminating, and never fewer than 8 available
//! (replicas - maxUnavailable); a Recreate rollout never has old and new pods at once; an undo
//! brings back the first ReplicaSet.

use kubeplay_core::Session;
use kubeplay_core::World;
use kubeplay_core::session::io::MemFiles;
use kubeplay_core::store::{Kind, Object};

fn deployment(strategy: &str, image: &str) -> String {
    format!(
        "cat <<EOF | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 10
  strategy:
    type: {strategy}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: {image}
        readinessProbe:
          httpGet:
            path: /
            port: 80
          periodSeconds: 2
EOF
"
    )
}

/// (active pods per image, available pods) of the Deployment's pods.
fn census(world: &World) -> (Vec<(String, usize)>, usize) {
    let mut per_image = std::collections::BTreeMap::<String, usize>::new();
    let mut available = 0;
    for o in world.api().list(Kind::Pod, Some("default")) {
        let Object::Pod(p) = o else { continue };
        let terminal = matches!(
            p.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded" | "Failed")
        );
        if terminal || p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let image = p
            .spec
            .as_ref()
            .and_then(|s| s.containers.first())
            .and_then(|c| c.image.clone())
            .unwrap_or_default();
        *per_image.entry(image).or_default() += 1;
        let ready = p
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        if ready {
            available += 1;
        }
    }
    (per_image.into_iter().collect(), available)
}

/// Changes the image through the API alone, so that the test sees every event of the rollout
/// (a kubectl command would let the cluster settle before returning).
fn set_image(s: &mut Session, image: &str) {
    let key = kubeplay_core::store::ObjectKey::new(Kind::Deployment, "default", "web");
    let Some(Object::Deployment(mut d)) = s.world().api().store().get(&key).cloned() else {
        panic!("the Deployment exists");
    };
    if let Some(c) = d
        .spec
        .as_mut()
        .and_then(|s| s.template.spec.as_mut())
        .and_then(|p| p.containers.first_mut())
    {
        c.image = Some(image.to_string());
    }
    s.world_mut()
        .api_mut()
        .update(Object::Deployment(d))
        .expect("the update is valid");
}

fn session() -> Session {
    Session::new(World::new(1), Box::new(MemFiles::default()))
}

/// Steps the world event by event until `done` or a virtual deadline, checking `check` after
/// every event.
fn step_until(s: &mut Session, seconds: u64, mut check: impl FnMut(&World), done: impl Fn(&World) -> bool) {
    let deadline = s.world().now() + seconds * 1000;
    while s.world().now() <= deadline && !done(s.world()) {
        check(s.world());
        if !s.world_mut().step() {
            break;
        }
    }
    check(s.world());
    assert!(
        done(s.world()),
        "the rollout finished within {seconds}s: {:?}",
        census(s.world())
    );
}

fn rolled_out(image: &'static str) -> impl Fn(&World) -> bool {
    move |w: &World| {
        let (per_image, available) = census(w);
        per_image == [(image.to_string(), 10)] && available == 10
    }
}

#[test]
fn rolling_update_stays_within_surge_and_unavailability() {
    let mut s = session();
    s.run_script(&deployment("RollingUpdate", "nginx:1.27"));
    step_until(&mut s, 120, |_| {}, rolled_out("nginx:1.27"));
    set_image(&mut s, "nginx:1.28");
    let mut max_total = 0;
    let mut min_available = usize::MAX;
    let mut saw_both = false;
    step_until(
        &mut s,
        300,
        |w| {
            let (per_image, available) = census(w);
            let total: usize = per_image.iter().map(|(_, n)| n).sum();
            max_total = max_total.max(total);
            min_available = min_available.min(available);
            saw_both |= per_image.len() == 2;
            assert!(total <= 13, "at most replicas + maxSurge pods: {per_image:?}");
            assert!(
                available >= 8,
                "at least replicas - maxUnavailable available: {available}"
            );
        },
        rolled_out("nginx:1.28"),
    );
    assert_eq!(max_total, 13, "the surge is used");
    assert_eq!(min_available, 8, "the unavailability budget is used");
    assert!(saw_both, "old and new pods serve side by side");
}

#[test]
fn recreate_never_runs_old_and_new_together() {
    let mut s = session();
    s.run_script(&deployment("Recreate", "nginx:1.27"));
    step_until(&mut s, 120, |_| {}, rolled_out("nginx:1.27"));
    set_image(&mut s, "nginx:1.28");
    let mut saw_none = false;
    step_until(
        &mut s,
        300,
        |w| {
            let (per_image, _) = census(w);
            assert!(per_image.len() <= 1, "old and new pods at once: {per_image:?}");
            saw_none |= per_image.is_empty();
        },
        rolled_out("nginx:1.28"),
    );
    assert!(saw_none, "every old pod was gone before the new ones came");
}

#[test]
fn an_undo_returns_to_the_first_replica_set() {
    let mut s = session();
    s.run_script(&deployment("RollingUpdate", "nginx:1.27"));
    step_until(&mut s, 120, |_| {}, rolled_out("nginx:1.27"));
    let first: Vec<String> = s
        .world()
        .api()
        .list(Kind::ReplicaSet, Some("default"))
        .map(|o| o.name().to_string())
        .collect();
    s.run_script("kubectl set image deployment/web nginx=nginx:1.28\n");
    step_until(&mut s, 300, |_| {}, rolled_out("nginx:1.28"));
    s.run_script("kubectl rollout undo deployment/web\n");
    step_until(&mut s, 300, |_| {}, rolled_out("nginx:1.27"));
    let owners: std::collections::BTreeSet<String> = s
        .world()
        .api()
        .list(Kind::Pod, Some("default"))
        .filter(|o| o.meta().deletion_timestamp.is_none())
        .filter_map(|o| o.meta().owner_references.as_ref()?.first().map(|r| r.name.clone()))
        .collect();
    assert_eq!(owners.into_iter().collect::<Vec<_>>(), first);
}
