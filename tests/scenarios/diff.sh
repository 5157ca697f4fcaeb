# kubectl diff: what an apply would change, as `diff -u -N` of the live object and the
# server's dry-run answer (defaults, uid and generation included); Secret values masked; exit
# status 1 for differences, 0 for none, 2 for an error.
# exit: 2
kubectl diff -f manifests/prune-settings.yaml
kubectl apply -f manifests/prune-settings.yaml
kubectl diff -f manifests/prune-settings.yaml
kubectl diff -f manifests/web-deploy-v1.yaml
kubectl apply -f manifests/web-deploy-v1.yaml
kubectl diff -f manifests/web-deploy-v2.yaml
kubectl create secret generic creds --from-literal=user=admin --from-literal=password=old --save-config
kubectl create secret generic creds --from-literal=user=admin --from-literal=password=new --dry-run=client -o yaml | kubectl diff -f -
kubectl diff -f manifests/unknown-field.yaml
kubectl diff
