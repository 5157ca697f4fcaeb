# Waits that a real kubectl would keep up for ever give the terminal back: `rollout status`
# without --timeout on a StatefulSet whose pod cannot be scheduled ends after an hour of virtual
# time; draining a stopped node waits for a pod that can never finish terminating, and gives
# up with what --timeout would have said. Nothing here may hang.
# exit: 0
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: big
spec:
  serviceName: big
  replicas: 2
  selector:
    matchLabels:
      app: big
  template:
    metadata:
      labels:
        app: big
    spec:
      containers:
      - name: c
        image: busybox:1.36
        command: ["sleep", "3600"]
        resources:
          requests:
            cpu: "64"
YAML
kubectl rollout status statefulset/big
kubectl get pods -l app=big
kubectl create deployment web --image=nginx:1.27 --replicas=2
kubectl rollout status deployment/web > /dev/null
docker stop kind-worker
kubectl drain kind-worker --ignore-daemonsets
kubectl get pods -l app=web -o wide
