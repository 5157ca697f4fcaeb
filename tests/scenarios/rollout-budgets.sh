# exit: 1
# Rolling-update budgets beyond maxUnavailable. A DaemonSet with maxSurge starts the new pod
# beside the old one and deletes the old one once the new is available (exactly one of the two
# budgets may be non-zero). A StatefulSet's maxUnavailable (beta, on in v1.35.0, rounded down,
# at least 1) replaces that many pods at once, highest ordinals first.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  updateStrategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  minReadySeconds: 5
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
kubectl get ds agent -o yaml | grep -A3 rollingUpdate
kubectl set image daemonset/agent agent=busybox:1.37
sleep 2
kubectl get pods -o wide
sleep 6
kubectl get pods -o wide
kubectl rollout status daemonset/agent
kubectl get pods -o wide
kubectl get events --field-selector involvedObject.kind=DaemonSet
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: both
spec:
  selector:
    matchLabels:
      app: both
  updateStrategy:
    rollingUpdate:
      maxSurge: 1
  template:
    metadata:
      labels:
        app: both
    spec:
      containers:
      - name: c
        image: busybox:1.36
YAML
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: neither
spec:
  selector:
    matchLabels:
      app: neither
  updateStrategy:
    rollingUpdate:
      maxSurge: 150%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: neither
    spec:
      containers:
      - name: c
        image: busybox:1.36
YAML
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: zero
spec:
  selector:
    matchLabels:
      app: zero
  updateStrategy:
    rollingUpdate:
      maxUnavailable: 0%
  template:
    metadata:
      labels:
        app: zero
    spec:
      containers:
      - name: c
        image: busybox:1.36
YAML
kubectl delete ds agent
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 5
  podManagementPolicy: Parallel
  selector:
    matchLabels:
      app: db
  updateStrategy:
    rollingUpdate:
      maxUnavailable: 40%
  template:
    metadata:
      labels:
        app: db
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: db
        image: busybox:1.36
        command: ["sleep", "3600"]
YAML
kubectl rollout status statefulset/db
kubectl get sts db -o yaml | grep -A3 rollingUpdate
kubectl set image statefulset/db db=busybox:1.37
sleep 1
kubectl get pods
kubectl rollout status statefulset/db
kubectl get pods
kubectl get events --field-selector involvedObject.kind=StatefulSet,reason=SuccessfulDelete
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: bad
spec:
  serviceName: bad
  selector:
    matchLabels:
      app: bad
  updateStrategy:
    rollingUpdate:
      partition: -1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: bad
    spec:
      containers:
      - name: c
        image: busybox:1.36
YAML
