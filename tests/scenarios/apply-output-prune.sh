# kubectl apply -o prints the applied objects (a List of several) instead of a line each; -l
# applies only the documents whose labels match; --prune deletes what an earlier apply made
# and this one no longer names (kubectl's default allowlist, or --prune-allowlist), with
# kubectl's deprecation warning and its refusals.
# exit: 1
kubectl apply -f manifests/prune-app.yaml -o yaml --dry-run=client -l app=demo
kubectl apply -f manifests/prune-app.yaml -l app=demo
kubectl apply -f manifests/prune-app.yaml -o name
kubectl apply -f manifests/prune-settings.yaml -o jsonpath='{.data.mode}{"\n"}'
kubectl apply -f manifests/prune-settings.yaml --prune -l app=demo --dry-run=client
kubectl get deploy,cm
kubectl apply -f manifests/prune-settings.yaml --prune -l app=demo
kubectl get deploy,cm
kubectl apply -f manifests/prune-settings.yaml --prune --all --prune-allowlist=core/v1/ConfigMap
kubectl get cm
kubectl apply -f manifests/prune-settings.yaml -o wide
kubectl apply -f manifests/prune-settings.yaml --prune
kubectl apply -f manifests/prune-settings.yaml --prune --all --prune-allowlist=v1/ConfigMap
kubectl apply -f manifests/prune-settings.yaml --prune --all --prune-allowlist=core/v1/Nope
kubectl apply -f manifests/prune-settings.yaml --prune --all -l app=demo
kubectl apply -f manifests/prune-settings.yaml --force-conflicts
kubectl apply -f manifests/prune-settings.yaml --server-side --dry-run=client
