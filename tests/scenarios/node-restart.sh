# A kind node restarted (docker stop, then docker start 20 s later): its pods come back in
# place with RESTARTS 1, last state Unknown/255 and new IPs, after a SandboxChanged event; a
# restartPolicy Never pod fails instead; kube-proxy and the kubelet record Starting again.
kubectl create deployment web --image=nginx:1.27 --replicas=2
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: once
spec:
  nodeName: kind-worker
  restartPolicy: Never
  containers:
  - name: c
    image: busybox:1.36
    command: ["sleep", "3600"]
YAML
kubectl rollout status deployment/web
kubectl get pods -o wide
sleep 10
docker stop kind-worker
sleep 20
docker start kind-worker
sleep 30
kubectl get pods -o wide
kubectl get pods -n kube-system -o wide | grep kind-worker
kubectl describe pod -l app=web | grep -A8 "Last State"
kubectl get events --field-selector type=Normal | grep -e SandboxChanged -e Starting
kubectl describe node kind-worker | grep -A20 Events
