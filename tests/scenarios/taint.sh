# exit: 1
# kubectl taint as kubernetes.io's "Taints and Tolerations" page uses it: a NoSchedule taint
# keeps new pods off a node, a toleration lets one on, a NoExecute taint evicts the pods that do
# not tolerate it, removal by key and by key:effect; kubectl's errors for each bad form.
kubectl taint nodes kind-worker key1=value1:NoSchedule
kubectl taint nodes kind-worker key1=value1:NoSchedule
kubectl taint nodes kind-worker key1=value2:NoSchedule --overwrite
kubectl get node kind-worker -o jsonpath='{.spec.taints}{"\n"}'
kubectl describe node kind-worker | grep Taints
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
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
YAML
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: tolerant
spec:
  nodeName: kind-worker
  tolerations:
  - key: key1
    operator: Equal
    value: value2
    effect: NoSchedule
  - key: key2
    operator: Exists
    effect: NoExecute
  containers:
  - name: nginx
    image: nginx:1.27
YAML
sleep 10
kubectl get pods -o wide
kubectl taint nodes kind-worker2 key2=evict:NoExecute
sleep 10
kubectl get pods -o wide
kubectl get events --field-selector reason=TaintManagerEviction
kubectl taint nodes kind-worker key1:NoSchedule-
kubectl taint nodes kind-worker2 key2-
kubectl taint nodes kind-worker2 key2-
kubectl taint nodes --all node-role.kubernetes.io/control-plane- --dry-run=client
kubectl taint nodes -l kubernetes.io/hostname=kind-worker a=b:PreferNoSchedule c:NoExecute -o name
kubectl taint nodes kind-worker a:PreferNoSchedule- c- x=y:NoSchedule
kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints
# Bad input
kubectl taint nodes kind-worker dedicated=gpu
kubectl taint nodes kind-worker dedicated=gpu:Sometimes
kubectl taint nodes kind-worker a=b:NoSchedule a-
kubectl taint nodes kind-worker a=1:NoSchedule a=2:NoSchedule
kubectl taint pods web a=b:NoSchedule
kubectl taint nodes a=b:NoSchedule
kubectl taint nodes kind-worker
kubectl taint nodes nope a=b:NoSchedule
kubectl taint nodes kind-worker a=b:NoSchedule extra
kubectl taint nodes --all -l x=y a=b:NoSchedule
kubectl taint nodes kind-worker "bad key=v:NoSchedule"
