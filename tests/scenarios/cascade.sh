# exit: 1
# Deleting a Deployment: background propagation (the default) deletes it at once and the
# garbage collector takes its ReplicaSet and pods after it; orphan keeps them running without
# an owner; foreground keeps the Deployment, Terminating, until its pods are gone. The pods'
# `sleep` ignores SIGTERM as PID 1, so each takes its 5 s grace period.
kubectl apply -f manifests/three-slow.yaml
kubectl rollout status deployment/three
kubectl delete deployment one --wait=false
kubectl get deploy,rs,pods -l app=one
sleep 6
kubectl get deploy,rs,pods -l app=one
kubectl delete deployment two --cascade=orphan
kubectl get deploy,rs -l app=two
kubectl get rs -l app=two -o yaml | grep -c ownerReferences
kubectl delete deployment three --cascade=foreground --wait=false
kubectl get deploy three -o yaml | grep -A1 finalizers
kubectl get deploy three
kubectl get rs,pods -l app=three
sleep 6
kubectl get deploy three
kubectl get rs,pods -l app=three
kubectl delete deployment x --cascade=sideways
