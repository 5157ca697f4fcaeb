# Benchmark (run by hand, not in CI): 300 applied Node manifests and a Deployment of 30,000
# replicas. `kubectl rollout status` returns once every pod is available.
kubectl apply -f nodes-300.yaml > /dev/null
sleep 20
kubectl get nodes | wc -l
kubectl create deployment big --image=nginx:1.27 --replicas=30000
kubectl rollout status deployment/big --timeout=2h > /dev/null
kubectl get deployment big
kubectl get pods --field-selector=status.phase=Running | wc -l
