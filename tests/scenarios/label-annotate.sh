# exit: 1
# kubectl label and annotate: add, change with --overwrite, remove with KEY-, select with -l and
# --all, list; a labelled node attracts a pod with a nodeSelector, as the scheduling chapter
# of the study notes does; and the refusals of kubectl and of the API server.
kubectl run web --image=nginx:1.27 --labels=app=web
kubectl run db --image=nginx:1.27 --labels=app=db
kubectl label pod web tier=frontend
kubectl label pod web tier=backend
kubectl label pod web tier=backend --overwrite
kubectl label pod web tier=backend
kubectl get pods --show-labels
kubectl label pods --all env=dev
kubectl label pods -l app=db env=prod --overwrite
kubectl get pods -L env,tier
kubectl label pod web tier-
kubectl label pod web tier-
kubectl label pod web --list
kubectl annotate pod web description="the front door" owner=team-a
kubectl annotate pod web owner=team-b
kubectl annotate pod web owner=team-b --overwrite
kubectl annotate pod web owner-
kubectl describe pod web | grep -A2 Annotations
kubectl label nodes kind-worker2 disktype=ssd
kubectl get nodes -l disktype=ssd
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: fast
spec:
  nodeSelector:
    disktype: ssd
  containers:
  - name: nginx
    image: nginx:1.27
YAML
kubectl wait --for=condition=Ready pod/fast
kubectl get pod fast -o jsonpath='{.spec.nodeName}'
echo
kubectl label pod web 'bad=has spaces'
kubectl label pod web b@d=x
kubectl label pod web a=1 a-
kubectl label pod web
kubectl label pod a=1 web
kubectl label pod nope x=y
kubectl label pods x=y
