# kubectl logs -f: what is there, then the lines the container goes on writing. A script has
# nobody to press Ctrl-C, so the stream ends at the next command, or after its
# --request-timeout; it ends sooner when the container stops. Several containers (-l) interleave
# in the order they wrote, with --prefix naming each.
# exit: 1
kubectl run counter --image=busybox -l app=count -- sh -c 'while true; do date; sleep 1; done'
kubectl run counter2 --image=busybox -l app=count -- sh -c 'while true; do echo tick; sleep 2; done'
sleep 5
kubectl logs -f counter
kubectl logs -f counter --request-timeout=3s --timestamps
kubectl logs -f -l app=count --prefix --request-timeout=4s
kubectl run short --image=busybox --restart=Never -- sh -c 'echo one; sleep 2; echo two; sleep 2; echo three'
sleep 2
kubectl logs -f short --request-timeout=1m
kubectl get pod short
kubectl logs -f short
kubectl logs -f -p counter
