# A DaemonSet puts one pod on every node it may run on: the workers, not the tainted control
# plane. A node that joins gets its pod; a node that is deleted loses it to the pod garbage
# collector after its 40 s quarantine. A RollingUpdate replaces one node's pod at a time.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: agent
        image: busybox:1.36
        command: ["sleep", "3600"]
YAML
kubectl rollout status daemonset/agent
kubectl get ds,pods -o wide
kubectl get pod -l app=agent -o yaml | grep -A4 matchFields
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Node
metadata:
  name: kind-worker3
  labels:
    kubernetes.io/hostname: kind-worker3
YAML
sleep 5
kubectl get nodes
kubectl get ds agent
kubectl get pods -o wide
kubectl delete node kind-worker2
sleep 1
kubectl get ds agent
kubectl get pods -o wide
sleep 45
kubectl get pods -o wide
kubectl set image daemonset/agent agent=busybox:1.37
kubectl rollout status daemonset/agent
kubectl get pods -o wide
kubectl describe daemonset agent
kubectl get events --field-selector involvedObject.kind=DaemonSet
