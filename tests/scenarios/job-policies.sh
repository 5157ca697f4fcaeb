# exit: 1
# Job policies (kubernetes.io "Handling retriable and non-retriable pod failures with Pod
# failure policy", "Backoff limit per index", "Success policy"): exit code 42 fails the Job at
# once; index 1 fails twice and is given up while the other indexes complete; a success policy
# ends a leader/worker Job as soon as index 0 succeeds. Invalid policies are refused.
cat <<YAML | kubectl apply -f -
apiVersion: batch/v1
kind: Job
metadata:
  name: job-pod-failure-policy-failjob
spec:
  completions: 8
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: docker.io/library/bash:5
        command: ["bash"]
        args:
        - -c
        - echo "Hello world! I'm going to exit with 42 to simulate a software bug." && sleep 3 && exit 42
  backoffLimit: 6
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes:
        containerName: main
        operator: In
        values: [42]
    - action: Ignore
      onPodConditions:
      - type: DisruptionTarget
YAML
kubectl wait --for=condition=failed job/job-pod-failure-policy-failjob --timeout=60s
kubectl get jobs
kubectl get job job-pod-failure-policy-failjob -o yaml | grep -e podReplacementPolicy -e reason -e message -e 'failed:'
kubectl get events --field-selector involvedObject.name=job-pod-failure-policy-failjob
cat <<'YAML' | kubectl apply -f -
apiVersion: batch/v1
kind: Job
metadata:
  name: job-backoff-limit-per-index
spec:
  completions: 4
  parallelism: 4
  completionMode: Indexed
  backoffLimitPerIndex: 1
  maxFailedIndexes: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: example
        image: python
        command: ["sh", "-c", "sleep 1; if [ \"$JOB_COMPLETION_INDEX\" = 1 ]; then exit 1; fi; echo done"]
YAML
sleep 5
kubectl get pods -l job-name=job-backoff-limit-per-index
kubectl wait --for=condition=failed job/job-backoff-limit-per-index --timeout=120s
kubectl get pods -l job-name=job-backoff-limit-per-index
kubectl get job job-backoff-limit-per-index -o yaml | grep -A30 'status:' | grep -v Time
cat <<'YAML' | kubectl apply -f -
apiVersion: batch/v1
kind: Job
metadata:
  name: job-success
spec:
  parallelism: 10
  completions: 10
  completionMode: Indexed
  successPolicy:
    rules:
    - succeededIndexes: "0"
      succeededCount: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.36
        command: ["sh", "-c", "if [ \"$JOB_COMPLETION_INDEX\" = 0 ]; then sleep 5; exit 0; fi; sleep 3600"]
YAML
kubectl wait --for=condition=complete job/job-success --timeout=60s
kubectl get job job-success
kubectl get job job-success -o yaml | grep -A30 'status:' | grep -v Time
kubectl get pods -l job-name=job-success
cat <<'YAML' | kubectl apply -f -
apiVersion: batch/v1
kind: Job
metadata:
  name: bad-policies
spec:
  completions: 3
  backoffLimitPerIndex: 1
  maxFailedIndexes: 5
  successPolicy:
    rules: []
  podFailurePolicy:
    rules:
    - action: FailIndex
      onExitCodes:
        containerName: nope
        operator: In
        values: [3, 0, 1, 1]
    - action: Restart
      onPodConditions:
      - type: DisruptionTarget
        status: Maybe
    - action: Count
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: main
        image: busybox:1.36
YAML
cat <<'YAML' | kubectl apply -f -
apiVersion: batch/v1
kind: Job
metadata:
  name: bad-success
spec:
  completions: 3
  completionMode: Indexed
  successPolicy:
    rules:
    - succeededIndexes: "0,2-1"
    - succeededIndexes: "0-1"
      succeededCount: 5
    - {}
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.36
YAML
