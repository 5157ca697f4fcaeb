# A pod with all three probes: it is Running at once but Ready only after the startup probe
# passes (10s initial delay) and the readiness probe that follows it.
kubectl get nodes
kubectl apply -f manifests/probes.yaml
kubectl get pods
kubectl wait --for=condition=Ready pod/probes --timeout=60s
kubectl get pods -o wide
kubectl describe pod probes
