# A namespace gets its default ServiceAccount and root CA ConfigMap; deleting it deletes what
# it holds, pods gracefully, and it stays Terminating until it is empty.
kubectl apply -f manifests/team.yaml
kubectl get all -n team-a
kubectl get sa,cm,secret -n team-a
kubectl get secret credentials -n team-a -o yaml
kubectl get pods -A
kubectl delete namespace team-a --wait=false
kubectl get ns
kubectl get pods -n team-a
sleep 40
kubectl get ns
kubectl get all -n team-a
