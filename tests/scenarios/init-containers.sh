# Init containers: Init:0/2 while the first runs, Init:1/2 for the second, then the app; a
# failing one is retried with back-off (Init:CrashLoopBackOff), or fails the pod under Never.
kubectl apply -f manifests/init-steps.yaml
sleep 3
kubectl get pods
sleep 5
kubectl get pods
sleep 5
kubectl get pods
sleep 60
kubectl get pods
kubectl describe pod init-steps | head -n 38
