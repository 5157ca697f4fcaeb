# A rollout whose new pods never become ready passes its progress deadline: the Deployment
# reports ProgressDeadlineExceeded and `rollout status` fails; the old pods keep serving.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  progressDeadlineSeconds: 60
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
YAML
kubectl rollout status deployment/web
kubectl set image deployment/web nginx=nginx:no-such-tag
kubectl rollout status deployment/web
kubectl get deploy,rs
kubectl get deploy web -o yaml | grep -B5 'type: Progressing'
