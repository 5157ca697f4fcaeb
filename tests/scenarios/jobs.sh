# exit: 1
# Jobs: three completions two at a time; a failing Job that backs off 10 s, then 20 s, and
# fails past its backoffLimit; an Indexed Job; a Job past its activeDeadlineSeconds; a finished
# Job removed by its TTL. Bad Jobs are refused.
cat <<YAML | kubectl apply -f -
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: busybox:1.36
        command: ["sh", "-c", "sleep 2; echo 3.14159"]
YAML
kubectl get jobs,pods
kubectl wait --for=condition=complete job/pi --timeout=60s
kubectl get jobs,pods
kubectl get events --field-selector involvedObject.kind=Job
kubectl get job pi -o yaml | grep -A40 'status:'
kubectl describe job pi
cat <<YAML | kubectl apply -f -
apiVersion: batch/v1
kind: Job
metadata:
  name: fail
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: fail
        image: busybox:1.36
        command: ["sh", "-c", "exit 1"]
YAML
sleep 5
kubectl get pods -l job-name=fail
sleep 15
kubectl get pods -l job-name=fail
kubectl wait --for=condition=failed job/fail --timeout=60s
kubectl get jobs
kubectl get events --field-selector involvedObject.name=fail
kubectl create job indexed --image=busybox:1.36 --dry-run=client -o yaml -- sh -c 'echo $JOB_COMPLETION_INDEX'
cat <<'YAML' | kubectl apply -f -
apiVersion: batch/v1
kind: Job
metadata:
  name: indexed
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  ttlSecondsAfterFinished: 20
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36
        command: ["sh", "-c", "echo index $JOB_COMPLETION_INDEX"]
YAML
kubectl wait --for=condition=complete job/indexed --timeout=60s
kubectl get pods -l job-name=indexed -o yaml | grep 'job-completion-index:'
kubectl get job indexed -o yaml | grep completedIndexes
sleep 25
kubectl get job indexed
kubectl get pods -l job-name=indexed
cat <<YAML | kubectl apply -f -
apiVersion: batch/v1
kind: Job
metadata:
  name: slow
spec:
  activeDeadlineSeconds: 10
  template:
    spec:
      restartPolicy: OnFailure
      terminationGracePeriodSeconds: 1
      containers:
      - name: slow
        image: busybox:1.36
        command: ["sleep", "600"]
YAML
sleep 15
kubectl get job slow
kubectl get events --field-selector involvedObject.name=slow
kubectl create job oops --image=busybox:1.36 --dry-run=server
cat <<YAML | kubectl apply -f -
apiVersion: batch/v1
kind: Job
metadata:
  name: always
spec:
  template:
    spec:
      containers:
      - name: c
        image: busybox:1.36
YAML
kubectl create job
kubectl create job nothing
