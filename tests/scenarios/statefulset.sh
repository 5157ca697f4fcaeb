# A StatefulSet of 3 with a headless Service and a claim template: pods and claims come in
# order, 0 to 2, each after the previous pod is Running and Ready; scaling to 5 adds 3 and 4
# the same way, scaling to 2 removes 4, 3, 2 from the top; the claims stay. A deleted pod comes
# back with its name. A partitioned update replaces only the pods at or above the partition,
# from the highest ordinal down.
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 3
      containers:
      - name: app
        image: busybox:1.36
        command: ["sleep", "3600"]
        readinessProbe:
          exec:
            command: ["true"]
          periodSeconds: 2
        volumeMounts:
        - name: data
          mountPath: /data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
YAML
kubectl get pods,pvc
kubectl rollout status statefulset/web
kubectl get pods -o wide
kubectl get pvc
kubectl get pod web-1 -o yaml | grep -e hostname -e subdomain -e claimName -e pod-name -e pod-index
kubectl scale statefulset web --replicas=5
sleep 2
kubectl get pods
kubectl rollout status statefulset/web
kubectl scale statefulset web --replicas=2
sleep 1
kubectl get pods
sleep 4
kubectl get pods
sleep 10
kubectl get pods,pvc
kubectl delete pod web-0 --wait=false
sleep 1
kubectl get pods
sleep 10
kubectl get pods
kubectl scale statefulset web --replicas=4
kubectl rollout status statefulset/web
cat <<YAML | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 4
  updateStrategy:
    rollingUpdate:
      partition: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 3
      containers:
      - name: app
        image: busybox:1.37
        command: ["sleep", "3600"]
        readinessProbe:
          exec:
            command: ["true"]
          periodSeconds: 2
        volumeMounts:
        - name: data
          mountPath: /data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
YAML
kubectl rollout status statefulset/web
kubectl get pods -o yaml | grep -e 'name: web-' -e 'image: busybox'
kubectl get controllerrevisions
kubectl rollout history statefulset/web
kubectl describe statefulset web
kubectl get events --field-selector involvedObject.kind=StatefulSet
