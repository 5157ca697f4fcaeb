# kubectl replace puts the file's object in place of the stored one (the PUT drops what the
# file leaves out, such as an earlier apply's last-applied annotation); --force deletes and
# recreates, waiting for a pod's grace period on the virtual clock; kubectl's refusals.
# exit: 1
kubectl replace -f manifests/prune-settings.yaml
kubectl apply -f manifests/prune-settings.yaml
kubectl get cm settings -o jsonpath='{.metadata.annotations}{"\n"}'
kubectl replace -f manifests/prune-settings.yaml
kubectl get cm settings -o jsonpath='{.metadata.annotations}{"|"}{.data.mode}{"\n"}'
kubectl replace -f manifests/prune-settings.yaml --save-config -o yaml
kubectl replace -f manifests/prune-settings.yaml --dry-run=client
kubectl replace -f manifests/prune-settings.yaml --dry-run=server -o name
kubectl run web --image=nginx:1.27
sleep 10
kubectl replace --force -f manifests/web-v1.yaml
kubectl get pods
kubectl replace --force --grace-period=0 -f manifests/prune-settings.yaml
kubectl replace --grace-period=0 -f manifests/prune-settings.yaml
kubectl replace --timeout=5s -f manifests/prune-settings.yaml
kubectl replace --force --dry-run=client -f manifests/prune-settings.yaml
kubectl replace
