# A bare ReplicaSet: it adopts a matching orphan, releases a pod whose label changes, keeps
# its count, and scales down the pod with the lowest deletion cost first.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: stray
  labels:
    app: cache
spec:
  containers:
  - name: nginx
    image: nginx:1.27
YAML
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: cache
spec:
  replicas: 3
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
YAML
sleep 10
kubectl get rs,pods
kubectl get pod stray -o yaml | grep 'kind: ReplicaSet'
kubectl get events --field-selector involvedObject.kind=ReplicaSet
kubectl scale rs cache --replicas=1
sleep 1
kubectl get pods
kubectl scale rs cache --replicas=1000000
kubectl get rs cache
kubectl get pods --field-selector=status.phase=Pending | wc -l
kubectl scale rs cache --replicas=2
sleep 60
kubectl get rs cache
kubectl get pods
