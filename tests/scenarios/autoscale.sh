# exit: 0
# kubectl autoscale on a cluster like kind's, which has no metrics-server: the HPA keeps the
# target inside [min, max] (its first look is 15 s after it appears), and otherwise reports
# every 15 s that the resource metrics API is missing, without ever scaling on load.
kubectl create deployment web --image=nginx:1.27
kubectl rollout status deployment/web
kubectl autoscale deployment web --min=2 --max=5 --cpu=50%
kubectl get hpa
kubectl describe hpa web
sleep 15
kubectl get hpa web
kubectl get deployment web
sleep 60
kubectl get hpa
kubectl describe hpa web
kubectl get hpa web -o yaml | grep -A3 currentMetrics
kubectl scale deployment web --replicas=9
sleep 16
kubectl get deployment web
kubectl get events --field-selector involvedObject.kind=HorizontalPodAutoscaler
kubectl autoscale deployment web --max=3
kubectl autoscale deployment web --max=3 --cpu=80%
kubectl delete hpa web
kubectl autoscale deployment web --max=3 --cpu-percent=70 --memory=200Mi --name=both
kubectl get hpa both
kubectl autoscale deploy/web --min=3 --max=2
kubectl autoscale deploy/web --min=1
kubectl autoscale deploy/web --max=0
kubectl autoscale deploy/web --max=4 --cpu=70% --cpu-percent=70
kubectl autoscale deploy/web --max=4 --cpu=abc
kubectl autoscale deploy/web --max=4 --memory=512MiB
kubectl autoscale deploy/web --max=4 --cpu=-10%
kubectl autoscale deploy/nope --max=4
kubectl run lone --image=nginx:1.27
kubectl autoscale pod lone --max=4
kubectl autoscale deployment web --max=4 --cpu=500m --dry-run=client -o yaml
kubectl autoscale deployment web --max=4 --dry-run=client
cat <<YAML | kubectl apply -f -
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: legacy
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: 10
  targetCPUUtilizationPercentage: 60
YAML
kubectl get hpa legacy
cat <<YAML | kubectl apply -f -
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: broken
spec:
  scaleTargetRef:
    kind: Deployment
    name: ""
  minReplicas: 0
  maxReplicas: 0
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 0
YAML
cat <<YAML | kubectl apply -f -
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ghost
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ghost
  maxReplicas: 3
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 60
YAML
sleep 15
kubectl describe hpa ghost
cat <<YAML | kubectl apply -f -
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: custom
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  maxReplicas: 10
  metrics:
  - type: Pods
    pods:
      metric:
        name: requests_per_second
      target:
        type: AverageValue
        averageValue: "100"
  - type: External
    external:
      metric:
        name: queue_depth
      target:
        type: Value
        value: "30"
YAML
sleep 15
kubectl get hpa custom
kubectl describe hpa custom
