# exit: 1
# A Recreate rollout: every old pod is gone before the first new one is created.
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 3
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "trap 'sleep 3; exit 0' TERM; while true; do sleep 1; done"]
YAML
kubectl rollout status deployment/api
kubectl set image deployment/api app=busybox:1.37
kubectl get rs,pods
sleep 2
kubectl get rs,pods
sleep 2
kubectl get rs,pods
kubectl rollout status deployment/api
kubectl get pods
kubectl describe deployment api | grep -A4 Conditions
kubectl set image deployment/api app=busybox:1.37
kubectl set image deployment/api nope=busybox:1.37
kubectl set image deployment/api
