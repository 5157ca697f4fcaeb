# Refusals from the API server and kubectl change nothing.
kubectl create deployment web --image=nginx:1.27 --replicas=2
kubectl rollout status deployment/web
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: other
  template:
    metadata:
      labels:
        app: other
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
YAML
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mismatch
spec:
  selector:
    matchLabels:
      app: a
  template:
    metadata:
      labels:
        app: b
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
YAML
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: stuck
spec:
  replicas: -1
  minReadySeconds: 20
  progressDeadlineSeconds: 10
  strategy:
    rollingUpdate:
      maxSurge: 0
      maxUnavailable: 0
  selector:
    matchLabels:
      app: s
  template:
    metadata:
      labels:
        app: s
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
YAML
kubectl scale deployment web --replicas=-3
kubectl scale deployment web
kubectl scale configmap kube-root-ca.crt --replicas=2
kubectl scale deployment nope --replicas=2
kubectl rollout undo deployment/web
kubectl rollout undo deployment/web --to-revision=3
kubectl rollout pause deployment/web
kubectl rollout undo deployment/web
kubectl rollout resume deployment/web
kubectl rollout resume deployment/web
kubectl get deploy
