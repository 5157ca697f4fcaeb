# exit: 0
# `kubectl events`: a namespace's events oldest first with kubectl's own columns, repeats as
# `(xN over M)`, one object's with --for, one type with --types, all namespaces with -A, and
# the refusals. `kubectl events -w` lists nothing first: the watch sends the events there are,
# in key order, then each new one, the header printed before the first.
kubectl run web --image=nginx
kubectl run broken --image=nginx:no-such-tag
sleep 90
kubectl events
kubectl events --for pod/broken
kubectl events --for=po/broken --types=Warning
kubectl events --types=warning,Normal --for pod/web --no-headers
kubectl events -A --for node/kind-worker
kubectl events --for pod/broken -o jsonpath='{.items[*].reason}'
echo
kubectl events --for pod/broken -o yaml | head -30
kubectl events -n kube-public
kubectl events -A --for pod/nothing-here
kubectl events --for broken
kubectl events --for frob/web
kubectl events --types=Info
kubectl events -o wide
kubectl events -w --for pod/web --request-timeout=5s
kubectl delete pod web --wait=false
kubectl events -w --types=Normal --for pod/nosuch --request-timeout=5s
kubectl events -A -w --types=Warning --request-timeout=40s
