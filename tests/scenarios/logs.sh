# exit: 1
# kubectl logs: a finished pod, --tail, --timestamps, -c; a crash-looping container's current
# and --previous logs; the default container of a pod with several (and its note on stderr),
# --all-containers with --prefix; a Deployment's pod; -l; and the kubelet's refusals for a
# container that has not started.
kubectl run hello --image=busybox:1.36 --restart=Never -- sh -c 'echo hello; echo world'
kubectl wait --for=jsonpath='{.status.phase}'=Succeeded pod/hello
kubectl logs hello
kubectl logs hello --tail=1
kubectl logs hello --timestamps
kubectl logs pod/hello -c hello
kubectl logs hello -c nope
kubectl logs hello --previous
kubectl run crash --image=busybox:1.36 -- sh -c 'echo starting; sleep 1; echo giving up; exit 3'
sleep 30
kubectl get pod crash
kubectl logs crash
kubectl logs crash --previous
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: duo
spec:
  initContainers:
  - name: setup
    image: busybox:1.36
    command: ["sh", "-c", "echo preparing"]
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "echo app up; sleep 3600"]
  - name: sidecar
    image: busybox:1.36
    command: ["sh", "-c", "echo sidecar up; sleep 3600"]
YAML
kubectl wait --for=condition=Ready pod/duo
kubectl logs duo
kubectl logs duo -c sidecar
kubectl logs duo --all-containers --prefix
kubectl create deployment web --image=busybox:1.36 --replicas=2 -- sh -c 'echo serving; sleep 3600'
kubectl rollout status deploy/web
kubectl logs deploy/web
kubectl logs -l app=web --prefix
kubectl run pending --image=registry.example.com/nope:1.0
kubectl logs pending
sleep 30
kubectl get pod pending
kubectl logs pending
kubectl logs
kubectl logs nope
kubectl logs configmap/kube-root-ca.crt
