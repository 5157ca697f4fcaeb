# Benchmark setup (run by hand): 10,000 running pods on 300 applied nodes. get-10k.sh runs the
# same and then reads them five times with each printer; the difference is the printers' cost.
kubectl apply -f nodes-300.yaml > /dev/null
sleep 20
kubectl create deployment big --image=nginx:1.27 --replicas=10000
kubectl rollout status deployment/big --timeout=2h > /dev/null
kubectl get deployment big
