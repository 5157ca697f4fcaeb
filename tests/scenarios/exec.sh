# kubectl exec as kubernetes.io's "Get a Shell to a Running Container" uses it: a command in
# the default or a named container, its output and exit code, a sleep that takes virtual time,
# a script on stdin; -it without a terminal warns; the errors of a container not yet running,
# a program the image lacks, a wrong container, and the old argument form.
# exit: 1
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: shell-demo
spec:
  containers:
  - name: nginx
    image: nginx
    env:
    - name: GREETING
      value: hello
  - name: side
    image: busybox
    command: ["sh", "-c", "echo started; sleep 3600"]
YAML
kubectl exec shell-demo -- ls /
kubectl wait --for=condition=Ready pod/shell-demo
kubectl exec shell-demo -- ls /
kubectl exec shell-demo -c side -- sh -c 'echo $HOSTNAME; exit 3'
kubectl exec shell-demo -- printenv GREETING
kubectl exec -it shell-demo -- /bin/bash
kubectl exec -it shell-demo -c side -- bash
kubectl exec shell-demo -c nope -- ls
kubectl exec shell-demo ls
kubectl exec shell-demo
kubectl exec -- ls
kubectl exec shell-demo -c side -- sh -c 'echo a > /tmp/x; sleep 5; cat /tmp/x'
kubectl exec -i shell-demo -c side -- sh <<'S'
echo from stdin
cat /tmp/x
S
kubectl exec deploy/none -- ls
kubectl exec secret/x -- ls
