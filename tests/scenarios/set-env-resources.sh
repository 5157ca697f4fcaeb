# exit: 1
# kubectl set env and set resources on a Deployment (each change rolls out a new ReplicaSet),
# --list, --from a ConfigMap, removal with KEY-, a bare Pod refused by the API server, and the
# client's own refusals.
kubectl create deployment web --image=nginx:1.27
kubectl rollout status deployment/web
kubectl set env deployment/web GREETING=hello MODE=dev
kubectl set env deployment/web GREETING=hello
kubectl set env deployment/web --list
kubectl create configmap app-config --from-literal=db-host=mysql --from-literal=log_level=debug
kubectl set env deployment/web --from=configmap/app-config --prefix=APP_
kubectl set env deployment/web --list
kubectl set env deployment/web MODE-
kubectl set env deployment/web --list
kubectl set env deployment/web MODE=prod --overwrite=false
kubectl set env deployment/web GREETING=bye --overwrite=false
kubectl set env deployment/web 1A=x
kubectl set env deployment/web A=1 A-
kubectl set env deployment/web -c nomatch X=1
kubectl set resources deployment web -c=nginx --limits=cpu=200m,memory=512Mi --requests=cpu=100m,memory=256Mi
kubectl set resources deployment web --limits=cpu=200m
kubectl set resources deployment web --requests=cpu=2
kubectl set resources deployment web --limits=cpu
kubectl set resources deployment web
kubectl set resources deployment web -c sidecar --limits=cpu=1
kubectl rollout status deployment/web
kubectl rollout history deployment/web
kubectl describe deployment web | grep -A22 'Pod Template'
kubectl run bare --image=busybox:1.36 -- sleep 3600
kubectl set env pod/bare X=1
kubectl set env service/kubernetes X=1
