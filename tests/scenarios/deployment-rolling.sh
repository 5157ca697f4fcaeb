# exit: 1
# A Deployment of 10 replicas rolled from nginx:1.27 to 1.28 with the default 25%/25%
# strategy (at most 13 pods, at least 8 available), then undone to revision 1, which brings
# back the first ReplicaSet by its hash.
kubectl apply -f manifests/web-deploy-v1.yaml
kubectl rollout status deployment/web
kubectl get deploy web -o wide
kubectl apply -f manifests/web-deploy-v2.yaml
kubectl get deploy,rs
sleep 3
kubectl get deploy,rs
kubectl rollout status deployment/web
kubectl get rs
kubectl get events --field-selector involvedObject.kind=Deployment
kubectl rollout history deployment/web
kubectl rollout undo deployment/web --to-revision=1
kubectl rollout status deployment/web --timeout=2m
kubectl get rs
kubectl rollout history deployment/web
kubectl rollout undo deployment/web --to-revision=1
kubectl rollout undo deployment/web --to-revision=9
kubectl get deploy web -o yaml | grep -A3 'annotations:'
kubectl get rs -o yaml | grep 'deployment.kubernetes.io/revision'
kubectl describe deployment web
kubectl describe rs web-895ffb8f5 | head -8
kubectl rollout history deployment/web --revision=3
kubectl rollout history deployment/web --revision=1
