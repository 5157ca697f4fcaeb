# exit: 1
# The client's kubeconfig, as kind writes it and as the study notes' namespace chapter uses
# it: a namespace set on the current context is where later commands go without -n, until
# it is set back; contexts can be added, switched, renamed and deleted.
kubectl config view
kubectl config current-context
kubectl config get-contexts
kubectl create namespace dev
kubectl config set-context --current --namespace=dev
kubectl config get-contexts
kubectl create deployment web --image=nginx --replicas=2
kubectl create configmap settings --from-literal=mode=dev
kubectl get deploy,cm
kubectl get deploy -n default
kubectl config view --minify -o jsonpath='{..namespace}'
echo
kubectl config view -o json
kubectl config set-context staging --cluster=kind-kind --user=kind-kind --namespace=kube-system
kubectl config get-contexts -o name
kubectl config use-context staging
kubectl get svc
kubectl --context=kind-kind get deploy
kubectl config use-context nope
kubectl config rename-context staging ops
kubectl config get-contexts
kubectl config delete-context ops
kubectl config use-context kind-kind
kubectl config set-context --current --namespace=
kubectl get deploy
kubectl config get-clusters
kubectl config get-users
kubectl config get-contexts nope
kubectl config frob
