# Cordon and drain: a bare pod stops the drain until --force; DaemonSet pods need
# --ignore-daemonsets; a PodDisruptionBudget of minAvailable 2 over 3 replicas lets the pods go
# one at a time, each eviction waiting until the replacement is ready.
kubectl cordon kind-worker
kubectl cordon kind-worker
kubectl get nodes
kubectl uncordon kind-worker
kubectl uncordon kind-worker
kubectl cordon kind-worker2
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
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
        image: nginx:1.27
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app: web
---
apiVersion: v1
kind: Pod
metadata:
  name: bare
spec:
  nodeName: kind-worker
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
YAML
kubectl rollout status deployment/web
kubectl uncordon kind-worker2
kubectl get pods -o wide
kubectl get pdb
kubectl drain kind-worker
kubectl get nodes
kubectl drain kind-worker --ignore-daemonsets
kubectl drain kind-worker --ignore-daemonsets --force
kubectl get pods -o wide
kubectl get pdb
kubectl get events --field-selector reason=NodeNotSchedulable
