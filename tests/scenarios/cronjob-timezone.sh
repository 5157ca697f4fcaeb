# exit: 1
# A CronJob's spec.timeZone: the schedule is read on that zone's clock (the virtual cluster
# starts at midnight UTC, which is 09:00 in Tokyo and 01:00 in Berlin), the Job's
# scheduled-timestamp annotation is written in the zone, and unknown or ambiguous zones are
# refused as the API server refuses them.
cat <<YAML | kubectl apply -f -
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tokyo
spec:
  schedule: "10 9 * * *"
  timeZone: Asia/Tokyo
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: hello
            image: busybox:1.36
            command: ["echo", "konnichiwa"]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: berlin
spec:
  schedule: "10 9 * * *"
  timeZone: Europe/Berlin
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: hello
            image: busybox:1.36
            command: ["echo", "guten morgen"]
YAML
kubectl get cronjobs
sleep 900
kubectl get cronjobs
kubectl get jobs
kubectl get jobs -o yaml | grep scheduled-timestamp
kubectl get events --field-selector involvedObject.kind=CronJob
cat <<YAML | kubectl apply -f -
apiVersion: batch/v1
kind: CronJob
metadata:
  name: mars
spec:
  schedule: "0 * * * *"
  timeZone: Mars/Olympus
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox:1.36
YAML
cat <<YAML | kubectl apply -f -
apiVersion: batch/v1
kind: CronJob
metadata:
  name: local
spec:
  schedule: "CRON_TZ=UTC 0 * * * *"
  timeZone: local
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox:1.36
YAML
cat <<YAML | kubectl apply -f -
apiVersion: batch/v1
kind: CronJob
metadata:
  name: spaced
spec:
  schedule: "0 * * * *"
  timeZone: America/New York
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox:1.36
YAML
