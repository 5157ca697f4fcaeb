# exit: 1
# `-f URL`: the kubernetes.io examples the tutorials apply by address (k8s.io/examples,
# kubernetes.io/examples, the raw GitHub path) come from the project's own catalogue when no
# host fetched them; any other address fails as kubectl does without a network.
kubectl apply -f https://k8s.io/examples/application/deployment.yaml
kubectl rollout status deployment/nginx-deployment
kubectl apply -f https://k8s.io/examples/application/deployment-update.yaml
kubectl rollout status deployment/nginx-deployment
kubectl apply -f https://kubernetes.io/examples/application/deployment-scale.yaml
kubectl get deploy nginx-deployment -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image}{"\n"}'
kubectl apply -f https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/service/networking/run-my-nginx.yaml -f https://k8s.io/examples/service/networking/nginx-svc.yaml
kubectl create -f https://k8s.io/examples/pods/simple-pod.yaml --dry-run=client -o name
kubectl apply -f https://k8s.io/examples/pods/nosuch.yaml
kubectl apply -f https://example.com/manifests/app.yaml
