# kubectl port-forward: a pod, a Deployment's pod or a Service's target port, named ports
# resolved, the addresses it listens on; a script ends it at the next command. A pod that is
# not running and a port nobody declared are refused as kubectl refuses them.
# exit: 1
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
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
        ports:
        - name: http
          containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: web
    port: 8080
    targetPort: http
YAML
kubectl port-forward deploy/web 8080:80
sleep 10
kubectl port-forward deploy/web 8080:80
kubectl port-forward deploy/web 9000:http --address 0.0.0.0
kubectl port-forward svc/web 8888:8080
kubectl port-forward svc/web web
kubectl port-forward svc/web 8888:9999
kubectl port-forward deploy/web 8080:nope
kubectl port-forward deploy/web :80
kubectl port-forward deploy/web
kubectl port-forward pod/nope 80
