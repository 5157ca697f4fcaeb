# exit: 1
# What kubectl asks the server about itself: the resources it serves (with their short names,
# the `all` category and the verbs), the API versions, where the control plane and CoreDNS
# run, the versions, who the terminal's user is and what it may do; and kind's lack of a
# metrics-server.
kubectl api-resources
kubectl api-resources --namespaced=false
kubectl api-resources --api-group=apps -o wide
kubectl api-resources --categories=all -o name
kubectl api-resources --sort-by=kind --no-headers --api-group=rbac.authorization.k8s.io
kubectl api-resources --sort-by=age
kubectl api-versions
kubectl cluster-info
kubectl version
kubectl version --client -o yaml
kubectl version -o json
kubectl version -o wide
kubectl auth whoami
kubectl auth whoami -o yaml
kubectl auth can-i create deployments
kubectl auth can-i delete nodes
kubectl auth can-i fly pods
kubectl auth can-i get frobs
kubectl auth can-i get /logs
kubectl auth can-i create pods -q
kubectl auth can-i get
kubectl top pod
kubectl top node
kubectl plugin list
kubectl get pc,quota -A
kubectl get --help | head -1
kubectl create secret generic -h | tail -3
kubectl help taint | head -1
kubectl help nope | head -1
kubectl completion bash | head -2
kubectl completion
kubectl completion tcsh
