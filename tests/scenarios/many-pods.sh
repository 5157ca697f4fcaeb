# Six pods of one image land on two workers. Pulls are serialized per node, and a pull queued
# behind another of the same image only resolves its manifest, so all run within seconds.
cat <<EOF | kubectl apply -f -
---
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: web-2
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: web-3
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: web-4
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: web-5
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
EOF
sleep 5
kubectl get pods -o wide
kubectl wait --for=condition=Ready pods -l app=web --timeout=1m
kubectl get pods
kubectl describe pod web-5 | tail -n 8
kubectl describe node kind-worker | tail -n 20
