# exit: 1
# A worker's container stops (`docker stop kind-worker`, as on kind): its node goes NotReady
# once the 50 s grace period has passed, gets the unreachable taints, and its pods are evicted
# when their 300 s toleration runs out, about 5 minutes 50 seconds after the stop. The
# Deployment's pods come back on the other worker at once; the StatefulSet's pod stays
# Terminating until the node returns; DaemonSet pods are never evicted. `docker start` brings
# the node back and the terminating pods go.
kubectl create deployment web --image=nginx:1.27 --replicas=4
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 2
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
        command: ["sleep", "3600"]
YAML
kubectl rollout status deployment/web
kubectl rollout status statefulset/db
kubectl get pods -o wide
docker stop kind-worker
docker ps -a
sleep 30
kubectl get nodes
sleep 30
kubectl get nodes
kubectl describe node kind-worker | grep -A3 Taints
kubectl describe node kind-worker | grep -A6 Conditions
kubectl get pods -o wide
kubectl get deploy web
kubectl get events --field-selector reason=NodeNotReady
sleep 300
kubectl get pods -o wide
kubectl get events --field-selector reason=TaintManagerEviction
kubectl -n kube-system get pods -o wide | grep kind-worker
docker start kind-worker
sleep 10
kubectl get nodes
kubectl get pods -o wide
kubectl describe node kind-worker | grep -A2 Taints
docker stop no-such-node
