# The scheduler's filters: node selectors, node names, taints; a pod that fits nowhere waits
# until a node that suits it joins the cluster.
kubectl apply -f manifests/placement.yaml
sleep 5
kubectl get pods -o wide
kubectl describe pod wants-ssd
kubectl apply -f manifests/ssd-node.yaml
sleep 5
kubectl get nodes
kubectl get pods -o wide
kubectl describe node ssd-node
