# Numbers at the limits stay total: huge requests never fit a node (nothing overflows into a
# "fit"), tiny ones round up, and out-of-range values get the API server's own errors.
kubectl apply -f manifests/huge-requests.yaml
sleep 10
kubectl get pods
kubectl describe pod peta-cpu | tail -n 3
kubectl describe pod exa-memory | tail -n 3
kubectl get pod exa-memory -o yaml | grep memory:
kubectl get pod nano-cpu -o yaml | grep cpu:
kubectl apply -f manifests/out-of-range.yaml
kubectl get svc
