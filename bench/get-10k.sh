# Benchmark (run by hand): get-10k-setup.sh, then `get pods -o wide` and `-o jsonpath` over
# 10,000 pods, five times each.
kubectl apply -f nodes-300.yaml > /dev/null
sleep 20
kubectl create deployment big --image=nginx:1.27 --replicas=10000
kubectl rollout status deployment/big --timeout=2h > /dev/null
kubectl get deployment big
kubectl get pods -o wide | wc -l
kubectl get pods -o wide | wc -l
kubectl get pods -o wide | wc -l
kubectl get pods -o wide | wc -l
kubectl get pods -o wide | wc -l
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.podIP}{"\n"}{end}' | wc -l
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.podIP}{"\n"}{end}' | wc -l
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.podIP}{"\n"}{end}' | wc -l
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.podIP}{"\n"}{end}' | wc -l
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.podIP}{"\n"}{end}' | wc -l
