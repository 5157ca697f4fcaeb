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

/// Sets the first container's image of a DaemonSet or StatefulSet through the API alone.
fn set_workload_image(s: &mut Session, kind: Kind, name: &str, image: &str) {
    let key = kubeplay_core::store::ObjectKey::new(kind, "default", name);
    let mut obj = s.world().api().store().get(&key).cloned().expect("the workload exists");
    let template = match &mut obj {
        Object::DaemonSet(d) => d.spec.as_mut().map(|s| &mut s.template),
        Object::StatefulSet(st) => st.spec.as_mut().map(|s| &mut s.template),
        _ => None,
    };
    if let Some(c) = template
        .and_then(|t| t.spec.as_mut())
        .and_then(|p| p.containers.first_mut())
    {
        c.image = Some(image.to_string());
    }
    s.world_mut().api_mut().update(obj).expect("the update is valid");
}

/// Active (not terminating) pods per node, how many of them are ready, and whether all run
/// `image`.
fn per_node(world: &World, image: &str) -> (std::collections::BTreeMap<String, usize>, usize, bool) {
    let mut nodes = std::collections::BTreeMap::new();
    let mut ready = 0;
    let mut all_new = true;
    for o in world.api().list(Kind::Pod, Some("default")) {
        let Object::Pod(p) = o else { continue };
        if p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let spec = p.spec.as_ref();
        let node = spec.and_then(|s| s.node_name.clone()).unwrap_or_default();
        *nodes.entry(node).or_default() += 1;
        all_new &= spec.and_then(|s| s.containers.first()).and_then(|c| c.image.as_deref()) == Some(image);
        if p.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
        {
            ready += 1;
        }
    }
    (nodes, ready, all_new)
}

#[test]
fn a_surging_daemon_set_keeps_every_node_served() {
    let mut s = session();
    s.run_script(
        "cat <<EOF | kubectl apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  updateStrategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: busybox:1.36
        command: [sleep, '3600']
EOF
kubectl rollout status ds/agent
",
    );
    set_workload_image(&mut s, Kind::DaemonSet, "agent", "busybox:1.37");
    let mut max_doubled = 0;
    step_until(
        &mut s,
        300,
        |w| {
            let (nodes, ready, _) = per_node(w, "busybox:1.37");
            let doubled = nodes.values().filter(|n| **n > 1).count();
            max_doubled = max_doubled.max(doubled);
            assert!(doubled <= 1, "at most maxSurge nodes run two pods: {nodes:?}");
            assert!(nodes.values().all(|n| *n <= 2), "never three pods on a node: {nodes:?}");
            assert!(ready >= 2, "maxUnavailable 0: both workers always have a ready pod");
        },
        |w| {
            let (nodes, ready, all_new) = per_node(w, "busybox:1.37");
            nodes.values().sum::<usize>() == 2 && ready == 2 && all_new
        },
    );
    assert_eq!(max_doubled, 1, "the surge is used");
}

#[test]
fn a_stateful_set_replaces_at_most_max_unavailable_pods_at_once() {
    let mut s = session();
    s.run_script(
        "cat <<EOF | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 5
  podManagementPolicy: Parallel
  updateStrategy:
    rollingUpdate:
      maxUnavailable: 2
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: busybox:1.36
        command: [sleep, '3600']
EOF
kubectl rollout status sts/db
",
    );
    set_workload_image(&mut s, Kind::StatefulSet, "db", "busybox:1.37");
    let mut min_ready = usize::MAX;
    step_until(
        &mut s,
        300,
        |w| {
            let (_, ready, _) = per_node(w, "busybox:1.37");
            min_ready = min_ready.min(ready);
            assert!(ready >= 3, "at most 2 of 5 pods unavailable: {ready} ready");
        },
        |w| {
            let (nodes, ready, all_new) = per_node(w, "busybox:1.37");
            nodes.values().sum::<usize>() == 5 && ready == 5 && all_new
        },
    );
    assert_eq!(min_ready, 3, "two pods are replaced together");
}
