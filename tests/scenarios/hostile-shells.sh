# Hostile container scripts cannot hang or exhaust the simulation, and hostile documents
# cannot overflow the YAML reader.
kubectl apply -f manifests/hostile-shells.yaml
sleep 60
kubectl get pods
kubectl describe pod memory-hog | grep OOMKilled
kubectl describe pod deep-braces | grep "Exit Code"
kubectl apply -f manifests/deep-yaml.yaml
kubectl apply -f manifests/deep-json.yaml
kubectl get configmap deep-json -o yaml | wc -c
