# Bad manifests and bad commands print what kubectl and the API server print, and change
# nothing in the cluster.
kubectl apply -f manifests/unknown-field.yaml
kubectl apply -f manifests/bad-names.yaml
kubectl apply -f manifests/broken-yaml.yaml
kubectl apply -f manifests/no-kind.yaml
kubectl apply -f manifests/nowhere.yaml
kubectl get pods
kubectl apply -f manifests/mixed.yaml
kubectl get configmap settings
kubectl get pod ghost
kubectl get gadgets
kubectl gett pods
kubectl get pods --colour=always
kubectl get pods -z
kubectl get
kubectl delete pods
kubectl describe
kubectl wait --for=condition=Ready pod/ghost
kubectl wait --for=ready pod/ghost
helm install demo
kubectl get pods -o table
kubectl get pods
kubectl apply -f manifests/half-broken.yaml
kubectl get configmaps
