//! Nothing a user types may panic or hang: hostile commands, absurd numbers, busy containers,
//! and random bytes through the manifest reader and the command line.

use kubeplay_core::api::manifest::parse_stream;
use kubeplay_core::session::io::MemFiles;
use kubeplay_core::sim::rng::Rng;
use kubeplay_core::{Session, World};

fn session(files: &[(&str, &str)]) -> Session {
    let mut mem = MemFiles::default();
    for (p, t) in files {
        mem.insert(p, t);
    }
    Session::new(World::new(1), Box::new(mem))
}

const BUSY: &str = "apiVersion: v1
kind: Pod
metadata:
  name: busy
spec:
  terminationGracePeriodSeconds: 9223372036854775807
  containers:
  - name: spin
    image: busybox
    command: [\"sh\", \"-c\", \"while true; do echo spinning; done\"]
    readinessProbe:
      exec:
        command: [\"sh\", \"-c\", \"while true; do :; done\"]
      periodSeconds: 2147483647
      initialDelaySeconds: 2147483647
  - name: sleepy
    image: busybox
    command: [\"sleep\", \"1e300\"]
";

#[test]
fn hostile_commands_neither_panic_nor_hang() {
    let mut s = session(&[("busy.yaml", BUSY)]);
    let script = "kubectl apply -f busy.yaml
sleep 120
kubectl get pods
kubectl wait --for=condition=Ready pod/busy --timeout=99999999999h --timeout=30s
kubectl wait --for=condition=Ready pod/busy --timeout=1e400h
kubectl delete pod busy --grace-period=99999999999999999 --wait=false
kubectl delete pod busy --timeout=10s
sleep 1e300
sleep infinity
sleep -5
kubectl get pods -o yaml | wc -l
kubectl get pods --selector='a in (' -o wide
kubectl get pods --field-selector=
kubectl describe pods/ /// //
echo \"unterminated
kubectl get 'pods
cat <<EOF
never closed
";
    let r = s.run_script(script);
    assert!(r.transcript.contains("$ kubectl get pods\n"), "{}", r.transcript);
    assert!(
        s.world().now() < 400 * 24 * 3600 * 1000,
        "time ran away: {}",
        s.world().now()
    );
}

#[test]
fn random_bytes_through_the_manifest_reader_and_the_command_line() {
    let mut rng = Rng::new(42);
    let alphabet: Vec<char> = "abc:- \n\t{}[]\"'#|&;<>$()\\0123456789,.*!?%@`~=/kubectlgetapplyrun"
        .chars()
        .collect();
    let mut s = session(&[]);
    for _ in 0..300 {
        let len = rng.range(0, 80) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
            .collect();
        let _ = parse_stream(&text);
        for line in text.lines() {
            let _ = s.feed_line(&format!("kubectl {line}"));
            let _ = s.feed_line(line);
        }
    }
    // Whatever was typed, a plain command still works afterwards.
    let _ = s.feed_line("EOF");
    let r = s.run_script("kubectl get nodes\n");
    assert!(r.transcript.contains("kind-worker2"), "{}", r.transcript);
}
