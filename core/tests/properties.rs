//! Property tests (proptest, stable toolchain): manifests with extreme numbers, hostile shell
//! scripts in containers, and random kubectl lines. Whatever is typed, nothing panics, work per
//! virtual second stays bounded, a rejected command leaves the cluster as it was, and where the
//! API server has an error text for a value, that is the text printed.
//!
//! CI runs a fixed number of cases from a fixed seed; by hand, more cases and other seeds:
//!     KUBEPLAY_PROPTEST_CASES=100000 KUBEPLAY_PROPTEST_SEED=7 \
//!         cargo test --release -p kubeplay-core --test properties
//! `KUBEPLAY_TRACE=1` (with `-- --nocapture`) prints each container script before it runs,
//! which finds the case when one hangs.

use kubeplay_core::api::quantity::Quantity;
use kubeplay_core::runtime::fs::Fs;
use kubeplay_core::runtime::shell::{STEP_BUDGET, Shell};
use kubeplay_core::runtime::{ProcCx, Process, Status};
use kubeplay_core::session::io::MemFiles;
use kubeplay_core::{Session, World};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// Cases per property: small in CI, as many as asked for by hand.
fn cases(default: u32) -> u32 {
    std::env::var("KUBEPLAY_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A runner with a fixed seed, so CI is repeatable; `KUBEPLAY_PROPTEST_SEED=N` explores others.
fn runner(default: u32) -> TestRunner {
    let seed: u64 = std::env::var("KUBEPLAY_PROPTEST_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases: cases(default),
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Tasks the simulation may run per virtual second for one pod, however hostile: kubelet
/// syncs, probes and a busy container's 100 ms CPU slices, with a wide margin.
const MAX_TASKS_PER_SECOND: u64 = 400;

/// Numbers at and around every limit a Go or Rust integer has, plus anything at all.
fn edgy_i64() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MIN + 1),
        Just(i32::MIN as i64 - 1),
        Just(i32::MIN as i64),
        Just(-1),
        Just(0),
        Just(1),
        Just(100),
        Just(65535),
        Just(65536),
        Just(i32::MAX as i64),
        Just(i32::MAX as i64 + 1),
        Just(u32::MAX as i64 + 1),
        Just(i64::MAX),
        any::<i64>(),
        -1000i64..100_000,
    ]
}

/// Quantity text: well-formed with huge or tiny exponents and many digits, and malformed.
fn quantity() -> impl Strategy<Value = String> {
    let suffix = prop_oneof![
        Just(String::new()),
        prop::sample::select(vec![
            "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"
        ])
        .prop_map(String::from),
        (-40i32..40).prop_map(|e| format!("e{e}")),
        "[eEinumkKMGTP+-]{1,4}[0-9]{0,3}",
    ];
    let number = prop_oneof![
        "[0-9]{1,30}",
        "[0-9]{0,3}\\.[0-9]{1,80}",
        (0usize..300, 1u8..10).prop_map(|(zeros, d)| format!("0.{}{d}", "0".repeat(zeros))),
        (1usize..400).prop_map(|n| "9".repeat(n)),
    ];
    (prop::sample::select(vec!["", "-", "+"]), number, suffix).prop_map(|(s, n, x)| format!("{s}{n}{x}"))
}

/// A pod whose numeric fields are drawn from the extremes.
#[derive(Clone, Debug)]
struct NumericPod {
    cpu: String,
    memory: String,
    port: i64,
    grace: i64,
    period: i64,
    initial_delay: i64,
    weight: i64,
}

fn numeric_pod() -> impl Strategy<Value = NumericPod> {
    (
        quantity(),
        quantity(),
        edgy_i64(),
        edgy_i64(),
        edgy_i64(),
        edgy_i64(),
        edgy_i64(),
    )
        .prop_map(|(cpu, memory, port, grace, period, initial_delay, weight)| NumericPod {
            cpu,
            memory,
            port,
            grace,
            period,
            initial_delay,
            weight,
        })
}

impl NumericPod {
    fn yaml(&self) -> String {
        format!(
            "apiVersion: v1
kind: Pod
metadata:
  name: edgy
spec:
  terminationGracePeriodSeconds: {grace}
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: {weight}
        preference:
          matchExpressions:
          - {{key: disk, operator: In, values: [ssd]}}
  containers:
  - name: web
    image: nginx
    ports:
    - containerPort: {port}
    resources:
      requests:
        cpu: \"{cpu}\"
        memory: \"{memory}\"
    readinessProbe:
      tcpSocket:
        port: 80
      periodSeconds: {period}
      initialDelaySeconds: {initial_delay}
",
            grace = self.grace,
            weight = self.weight,
            port = self.port,
            cpu = self.cpu,
            memory = self.memory,
            period = self.period,
            initial_delay = self.initial_delay,
        )
    }

    /// What the API server says about the integer fields, where it refuses them: Go's
    /// decoder for values that do not fit an int32, then validation (pkg/apis/core/validation).
    /// Sources: validateProbe, validateContainerPorts and ValidatePreferredSchedulingTerms in
    /// pkg/apis/core/validation/validation.go (v1.35.4 as vendored), apimachinery v0.35.0.
    fn expected_errors(&self) -> Vec<String> {
        let mut e = Vec::new();
        // A quantity that does not parse aborts decoding at once (its UnmarshalJSON fails);
        // a number too big for its field is only remembered, so the quantity error wins.
        for q in [&self.cpu, &self.memory] {
            if let Err(msg) = Quantity::parse(q) {
                e.push(format!("Pod in version \"v1\" cannot be handled as a Pod: {msg}"));
                return e;
            }
        }
        let fits = |v: i64| i32::try_from(v).is_ok();
        // The first field that does not fit is reported, in the order the server meets them:
        // kubectl sends JSON marshalled from a Go map, so keys arrive sorted.
        let order = [
            (
                "weight",
                self.weight,
                "PreferredSchedulingTerm.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.weight",
            ),
            ("port", self.port, "ContainerPort.spec.containers.ports.containerPort"),
            (
                "initialDelay",
                self.initial_delay,
                "Probe.spec.containers.readinessProbe.initialDelaySeconds",
            ),
            (
                "period",
                self.period,
                "Probe.spec.containers.readinessProbe.periodSeconds",
            ),
        ];
        if let Some((_, v, field)) = order.iter().find(|(_, v, _)| !fits(*v)) {
            e.push(format!(
                "json: cannot unmarshal number {v} into Go struct field {field} of type int32"
            ));
            return e;
        }
        if self.grace < 0 {
            e.push(format!(
                "spec.terminationGracePeriodSeconds: Invalid value: {}: must be greater than or equal to 0",
                self.grace
            ));
        }
        if !(1..=100).contains(&self.weight) {
            e.push(format!(
                "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: {}: must be in the range 1-100",
                self.weight
            ));
        }
        if self.port == 0 {
            e.push("spec.containers[0].ports[0].containerPort: Required value".into());
        } else if !(1..=65535).contains(&self.port) {
            e.push(format!(
                "spec.containers[0].ports[0].containerPort: Invalid value: {}: must be between 1 and 65535, inclusive",
                self.port
            ));
        }
        for (name, v) in [
            ("periodSeconds", self.period),
            ("initialDelaySeconds", self.initial_delay),
        ] {
            if v < 0 {
                e.push(format!(
                    "spec.containers[0].readinessProbe.{name}: Invalid value: {v}: must be greater than or equal to 0"
                ));
            }
        }
        e
    }
}

fn session_with(files: &[(&str, &str)]) -> Session {
    let mut mem = MemFiles::default();
    for (p, t) in files {
        mem.insert(p, t);
    }
    Session::new(World::new(1), Box::new(mem))
}

/// Lets `seconds` of virtual time pass and checks the work it took stayed bounded.
fn run_bounded(s: &mut Session, seconds: u64) -> Result<(), TestCaseError> {
    let before = s.world().tasks_run();
    let r = s.feed_line(&format!("sleep {seconds}"));
    prop_assert!(r.is_some_and(|r| r.status == 0));
    let work = s.world().tasks_run() - before;
    prop_assert!(
        work <= MAX_TASKS_PER_SECOND * seconds,
        "{work} tasks in {seconds} virtual seconds"
    );
    prop_assert!(!s.world().livelocked());
    Ok(())
}

/// `kubectl describe pod NAME` works on whatever the pod went through, and nothing panicked.
fn describes_cleanly(s: &mut Session, pod: &str) -> Result<(), TestCaseError> {
    let desc = s.feed_line(&format!("kubectl describe pod {pod}")).expect("a command");
    prop_assert!(s.failed().is_none(), "panic: {:?}", s.failed());
    prop_assert_eq!(desc.status, 0);
    Ok(())
}

#[test]
fn manifests_with_extreme_numbers() {
    runner(48)
        .run(&numeric_pod(), |pod| {
            let yaml = pod.yaml();
            let mut s = session_with(&[("edgy.yaml", &yaml)]);
            let rv = s.world().api().store().resource_version();
            let r = s.feed_line("kubectl apply -f edgy.yaml").expect("a command");
            prop_assert!(s.failed().is_none(), "panic: {:?}\n{yaml}", s.failed());
            let text = r.output.text();
            for e in pod.expected_errors() {
                prop_assert!(text.contains(&e), "missing {e:?} in {text}\n{yaml}");
            }
            if r.status != 0 {
                // A rejected document changes nothing: no write reached the store.
                prop_assert_eq!(s.world().api().store().resource_version(), rv, "{}", text);
                return Ok(());
            }
            prop_assert!(
                pod.expected_errors().is_empty(),
                "accepted, expected {:?}",
                pod.expected_errors()
            );
            run_bounded(&mut s, 120)?;
            let get = s.feed_line("kubectl get pods -o wide").expect("a command");
            prop_assert!(get.output.text().contains("edgy"));
            describes_cleanly(&mut s, "edgy")
        })
        .unwrap();
}

/// Pieces of shell that nest, loop, grow and break quoting.
fn shell_script() -> impl Strategy<Value = String> {
    let atom = prop::sample::select(vec![
        "echo hi",
        ":",
        "true",
        "false",
        "x=$x$x",
        "x=a",
        "sleep 1",
        "cat /tmp/f >> /tmp/f",
        "echo $x >> /tmp/f",
        "exit 3",
        "sh -c 'echo in'",
        "test -f /tmp/f",
        "tail -f /dev/null",
        "\"",
        "'",
        ")",
        "}",
        "done",
        "$(",
    ]);
    let leaf = atom.prop_map(String::from);
    leaf.prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.join("; ")),
            inner.clone().prop_map(|s| format!("while true; do {s}; done")),
            inner.clone().prop_map(|s| format!("until false; do {s}; done")),
            inner.clone().prop_map(|s| format!("y=$({s})")),
            inner.clone().prop_map(|s| format!("{{ {s}; }}")),
            inner.clone().prop_map(|s| format!("if {s}; then {s}; else {s}; fi")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} | {b}")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("{a} && {b} || {a}")),
        ]
    })
}

/// Deeply nested forms: past the parser's and the interpreter's limits.
fn deep_script() -> impl Strategy<Value = String> {
    (1usize..5000, 0usize..4).prop_map(|(depth, form)| match form {
        0 => format!("{}:{}", "{ ".repeat(depth), "; }".repeat(depth)),
        1 => format!("{}:{}", "x=$(".repeat(depth), ")".repeat(depth)),
        2 => format!("{}:{}", "while true; do ".repeat(depth), "; done".repeat(depth)),
        _ => format!("{}echo{}", "sh -c '".repeat(depth.min(50)), "'".repeat(depth.min(50))),
    })
}

/// Runs a script as a container's process for `wakes` wake-ups, as the kubelet drives it: each
/// wake-up takes at most one budget of steps, however the script nests.
fn drive(script: &str, wakes: usize) -> Result<(), TestCaseError> {
    if std::env::var_os("KUBEPLAY_TRACE").is_some() {
        eprintln!("SCRIPT {script:?}");
    }
    let mut fs = Fs::default();
    let mut logs = Vec::new();
    let env = Vec::new();
    let mut sh = Shell::script(script);
    let mut now = 0u64;
    for i in 0..wakes {
        let mut cx = ProcCx {
            now,
            fs: &mut fs,
            logs: &mut logs,
            env: &env,
            hostname: "h",
            budget: STEP_BUDGET,
        };
        let st = if i == 0 { sh.start(&mut cx) } else { sh.wake(&mut cx) };
        prop_assert!(fs.bytes() <= kubeplay_core::runtime::fs::MAX_FS_BYTES);
        match st {
            Status::Running(Some(at)) => {
                prop_assert!(at >= now, "woke in the past");
                now = at;
            }
            Status::Running(None) | Status::Exited(_) | Status::OomKilled => break,
        }
    }
    Ok(())
}

#[test]
fn hostile_shell_scripts_in_a_container_process() {
    runner(512)
        .run(&prop_oneof![shell_script(), deep_script()], |script| drive(&script, 50))
        .unwrap();
}

#[test]
fn hostile_shell_scripts_in_a_pod() {
    runner(24)
        .run(&shell_script(), |script| {
            let command = serde_json::to_string(&script).expect("a JSON string");
            let yaml = format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: shell\nspec:\n  containers:\n  - name: sh\n    image: busybox\n    command: [\"sh\", \"-c\", {command}]\n    readinessProbe:\n      exec:\n        command: [\"sh\", \"-c\", {command}]\n      periodSeconds: 1\n"
            );
            let mut s = session_with(&[("shell.yaml", &yaml)]);
            let r = s.feed_line("kubectl apply -f shell.yaml").expect("a command");
            prop_assert_eq!(r.status, 0, "{}", r.output.text());
            run_bounded(&mut s, 60)?;
            describes_cleanly(&mut s, "shell")
        })
        .unwrap();
}

/// kubectl lines from its grammar, with hostile values where values go.
fn kubectl_line() -> impl Strategy<Value = String> {
    let verb = prop::sample::select(vec![
        "get", "describe", "delete", "apply", "wait", "version", "logs", "exec", "create", "nosuch",
    ]);
    let resource = prop::sample::select(vec![
        "pods",
        "pod/edgy",
        "nodes",
        "node/kind-worker",
        "all",
        "deploy",
        "svc",
        "events",
        "ns",
        "x/y/z",
        "",
    ]);
    let flag = prop_oneof![
        Just("-o wide".to_string()),
        Just("-o yaml".to_string()),
        Just("-o json".to_string()),
        Just("-o jsonpath={.items}".to_string()),
        Just("-A".to_string()),
        Just("--all".to_string()),
        Just("-f edgy.yaml".to_string()),
        Just("-f -".to_string()),
        Just("--for=delete".to_string()),
        Just("--for=condition=Ready".to_string()),
        edgy_i64().prop_map(|v| format!("--timeout={v}s")),
        edgy_i64().prop_map(|v| format!("--grace-period={v}")),
        "[a-z=,!() ]{0,12}".prop_map(|v| format!("-l '{v}'")),
        "[a-z.=,!]{0,12}".prop_map(|v| format!("--field-selector={v}")),
        "[ -~]{0,16}",
    ];
    (verb, resource, prop::collection::vec(flag, 0..4)).prop_map(|(v, r, f)| format!("kubectl {v} {r} {}", f.join(" ")))
}

#[test]
fn random_kubectl_lines() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: edgy\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, \"3600\"]\n";
    let s = std::cell::RefCell::new(session_with(&[("edgy.yaml", pod)]));
    runner(256)
        .run(&kubectl_line(), |line| {
            let mut s = s.borrow_mut();
            let before = s.world().tasks_run();
            let start = s.world().now();
            // As a script: an unterminated quote or here-document ends with the input instead
            // of swallowing the cases after it.
            let r = s.run_script(&line);
            prop_assert!(s.failed().is_none(), "panic on {line:?}: {:?}", s.failed());
            prop_assert!(!r.commands.is_empty() || line.trim().is_empty(), "{line:?} ran nothing");
            let seconds = (s.world().now() - start) / 1000 + 1;
            let work = s.world().tasks_run() - before;
            prop_assert!(
                work <= MAX_TASKS_PER_SECOND * 3 * seconds,
                "{work} tasks in {seconds} s for {line:?}"
            );
            Ok(())
        })
        .unwrap();
}
