# exit: 1
# kubectl's template outputs: -o jsonpath (paths, [*], filters, range with literals, quoted
# keys with dots, missing fields printing nothing), -o custom-columns and its file form,
# --sort-by, -L label columns, and kubectl wait --for=jsonpath.
kubectl create deployment web --image=nginx:1.27 --replicas=3
kubectl run lone --image=busybox:1.36 --labels=app=lone,tier=batch -- sleep 3600
kubectl wait --for=jsonpath='{.status.readyReplicas}'=3 deployment/web --timeout=120s
kubectl wait --for=jsonpath='{.status.phase}'=Running pod/lone --timeout=60s
kubectl get pod lone -o jsonpath='{.status.phase}'
echo
kubectl get pods -o jsonpath='{.items[*].metadata.name}'
echo
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.spec.nodeName}{"\n"}{end}'
kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.labels}'
echo
kubectl get pod lone -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'
echo
kubectl get nodes -o jsonpath='{.items[*].metadata.labels.kubernetes\.io/hostname}'
echo
kubectl get nodes -o jsonpath="{.items[0].metadata.labels['node-role\.kubernetes\.io/control-plane']}|{.items[0].spec.taints[0].effect}"
echo
kubectl get pod lone -o jsonpath='{.spec.nothing}'
kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image} {.status.replicas}'
echo
kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IMAGE:.spec.containers[*].image,PORTS:spec.containers[0].ports
kubectl get pods -o custom-columns-file=manifests/pod-columns.txt --sort-by=.metadata.name
kubectl get pods --sort-by=.metadata.creationTimestamp -L app,tier --no-headers
kubectl get nodes --sort-by=.metadata.name -L kubernetes.io/hostname
kubectl get pods --sort-by=.spec.nothing
kubectl get pods -o jsonpath='{.items[0'
kubectl get pods -o custom-columns=NAME
kubectl get pods -o jsonpath
kubectl wait --for=jsonpath='{.status.phase}'=Succeeded pod/lone --timeout=5s
kubectl get pod lone -o jsonpath='{.spec.containers[3].name}'
