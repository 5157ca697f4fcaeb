# exit: 1
# `kubectl get -w`: the list, then a row per change as the watch delivers it, until the
# watch's --request-timeout (a script has no Ctrl-C; without a timeout the watch ends at the
# next command). Rows share a tab writer that remembers widths, so a wider STATUS stands out
# of line; AGE is the age when the change was sent. A selector turns an object that stops
# matching into a DELETED event. --watch-only, --output-watch-events, -o name|yaml|json,
# a named object, and the refusals.
kubectl create deployment web --image=nginx --replicas=2
kubectl get pods -l app=web -w --request-timeout=20s
kubectl get pods -w
kubectl get deploy web -w --request-timeout=30s
kubectl run sleeper --image=busybox -- sleep 3600
kubectl wait --for=condition=Ready pod/sleeper
kubectl delete pod sleeper --wait=false
kubectl get pods -l run=sleeper --watch-only --output-watch-events --request-timeout=40s
kubectl label pod -l app=web tier=front
kubectl get pods -l tier=front -w -o name --request-timeout=5s
kubectl label pod -l app=web tier-
kubectl get pods -l tier=front -w -o name --request-timeout=5s
kubectl run one --image=busybox --restart=Never -- sh -c 'sleep 3'
kubectl get pod one -w -o custom-columns=NAME:.metadata.name,PHASE:.status.phase --request-timeout=20s
kubectl get pod one --watch-only --output-watch-events -o jsonpath='{.type} {.object.status.phase}{"\n"}' --request-timeout=5s
kubectl delete pod one --wait=false
kubectl get ns -w --request-timeout=1s -o yaml | grep -c -e ---
kubectl get pods -o json -w --output-watch-events --request-timeout=1s | grep -c '{"object":'
kubectl get configmaps -w --request-timeout=1m
kubectl get pods,svc -w
kubectl get pod a b -w
kubectl get pods -w --request-timeout=soon
kubectl get pods --output-watch-events
