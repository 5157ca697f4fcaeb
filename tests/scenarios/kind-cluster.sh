# A fresh cluster is what `kind create cluster` with two workers gives: the control plane's
# static pods, CoreDNS and the local-path provisioner on the control plane, kindnet and
# kube-proxy on every node, the default StorageClass, and each node's start-up events.
# Deleting a static pod's mirror only gives it a new UID and age: the kubelet posts it again.
kubectl get nodes -o wide
kubectl get pods -A -o wide
kubectl get ns
kubectl get deploy,ds -A
kubectl get sc
kubectl describe node kind-worker
kubectl describe node kind-control-plane | grep -A20 'Non-terminated Pods'
kubectl get events | head -8
kubectl -n kube-system get events --field-selector involvedObject.name=etcd-kind-control-plane
kubectl -n kube-system describe pod etcd-kind-control-plane | head -30
kubectl delete pod kube-scheduler-kind-control-plane -n kube-system
kubectl get pods -n kube-system -l component=kube-scheduler
