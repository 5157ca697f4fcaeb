# Restart back-off, image pull back-off, an unschedulable pod, and graceful deletion of a
# shell that ignores SIGTERM (it waits out the 30s grace period).
kubectl apply -f manifests/troubled.yaml
sleep 10
kubectl get pods
sleep 50
kubectl get pods
kubectl delete pod sleeper
kubectl get pods
kubectl describe pod crasher
kubectl describe pod typo-image
kubectl describe pod greedy
kubectl get events --field-selector involvedObject.name=greedy
