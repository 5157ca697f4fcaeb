# kubectl apply three times: created, unchanged, configured; then an update the API server
# refuses because a pod's spec is mostly immutable.
kubectl apply -f manifests/web-v1.yaml
kubectl apply -f manifests/web-v1.yaml
sleep 20
kubectl get pods --show-labels
kubectl apply -f manifests/web-v2.yaml
kubectl get pods --show-labels
kubectl apply -f manifests/web-v3.yaml
kubectl get pod web -o yaml | grep image:
kubectl get pod web -o name
kubectl get pods -l app=web
kubectl get pods -l 'tier in (frontend)'
# exit: 0
sleep 10
kubectl get pods
kubectl describe pod web | tail -n 9
