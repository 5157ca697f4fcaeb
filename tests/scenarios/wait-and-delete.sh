# kubectl wait until a condition holds or the timeout passes, and deletion waits.
cat <<MANIFEST | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: slow-start
spec:
  containers:
    - name: web
      image: nginx
      readinessProbe:
        httpGet:
          path: /
          port: 80
        initialDelaySeconds: 45
MANIFEST
kubectl wait --for=condition=Ready pod/slow-start --timeout=10s
kubectl get pod slow-start
kubectl wait --for=condition=Ready pod/slow-start --timeout=2m
kubectl delete pod slow-start --wait=false
kubectl get pods
kubectl wait --for=delete pod/slow-start --timeout=1m
kubectl get pods
