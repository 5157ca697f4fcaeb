# exit: 1
# kubectl expose: a Service for a Deployment (ports from its containers, or --port and
# --target-port), for a pod by its labels, several ports named port-N, NodePort, a dry run,
# and the refusals when nothing tells kubectl the selector or the port.
kubectl create deployment web --image=nginx:1.27 --port=80
kubectl expose deployment web
kubectl expose deployment web --name=web-8080 --port=8080 --target-port=80 --type=NodePort
kubectl run solo --image=nginx:1.27 --labels=app=solo,tier=edge
kubectl expose pod solo --port=80 --name=solo
kubectl get svc -o wide
kubectl get svc web -o yaml | grep -A12 '  ports:'
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: twoports
  labels:
    app: two
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
    - containerPort: 443
YAML
kubectl expose pod twoports --dry-run=client -o yaml
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: bare
spec:
  containers:
  - name: web
    image: nginx:1.27
YAML
kubectl expose pod bare --port=80
kubectl expose deployment nope --port=80
kubectl create deployment noport --image=nginx:1.27
kubectl expose deployment noport
kubectl expose configmap kube-root-ca.crt --port=80
kubectl expose deployment web --name=web --port=81
