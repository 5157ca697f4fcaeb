# exit: 1
# A CronJob every 15 minutes over an hour of virtual time: a Job per scheduled minute, named
# after it, three successful Jobs kept; Forbid holds a run back
# while the previous one is still going, and starts the missed run once it is done.
kubectl create cronjob tick --image=busybox:1.36 --schedule="*/15 * * * *" -- sh -c 'date; echo tick'
kubectl get cronjob tick
kubectl get cronjob tick -o yaml | grep -e concurrencyPolicy -e HistoryLimit -e suspend
sleep 3600
kubectl get cronjobs
kubectl describe cronjob tick
kubectl get jobs
kubectl get events --field-selector involvedObject.kind=CronJob
cat <<YAML | kubectl apply -f -
apiVersion: batch/v1
kind: CronJob
metadata:
  name: long
spec:
  schedule: "*/5 * * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: long
            image: busybox:1.36
            command: ["sleep", "420"]
YAML
sleep 900
kubectl get cronjob long
kubectl get jobs -l batch.kubernetes.io/job-name
kubectl get events --field-selector involvedObject.name=long
kubectl create cronjob bad --image=busybox:1.36 --schedule="not a schedule"
kubectl create cronjob nosched --image=busybox:1.36
