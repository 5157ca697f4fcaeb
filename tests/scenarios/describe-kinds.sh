# exit: 0
# `kubectl describe` for the kinds with describers of their own in kubectl 1.35 beyond the
# workloads: Service (endpoints as its EndpointSlices would list them: `+ N more...` past
# three, empty for a selector no ready pod matches), Ingress (TLS, the rules table, a backend
# whose Service is missing), PersistentVolume, PersistentVolumeClaim, PodDisruptionBudget,
# StorageClass; and the generic describer every other kind gets (Lease, Event): each field in
# key order, its name made words.
kubectl create deployment web --image=nginx --replicas=4 --port=80
kubectl expose deployment web --port=80 --type=NodePort
kubectl create service clusterip lonely --tcp=5678:8080
kubectl apply -f manifests/describe-kinds.yaml
kubectl wait --for=condition=Available deploy/web
kubectl scale deploy web --replicas=2
kubectl describe pdb web-pdb
kubectl scale deploy web --replicas=4
kubectl wait --for=condition=Available deploy/web
kubectl describe svc web lonely
kubectl describe ingress web
kubectl describe pv task-pv-volume
kubectl describe pvc task-pv-claim
kubectl describe pdb web-pdb
kubectl describe sc standard
kubectl describe lease -n kube-node-lease kind-worker
kubectl describe ingressclass
