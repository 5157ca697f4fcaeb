# exit: 1
# Kustomize as the study notes use it: generators whose names carry kustomize's content hash,
# references to them rewritten, `kubectl apply -k`; an overlay with a namespace, a prefix,
# patches and images; `get`/`delete -k`; and kustomize's own errors.
kubectl kustomize manifests/kustomize/notes-configmap
kubectl apply -k manifests/kustomize/notes-pod
kubectl get cm,secret
kubectl get pod configmap-pod -o jsonpath='{.spec.volumes[0].configMap.name}{"\n"}{.spec.containers[0].env[0].valueFrom.secretKeyRef.name}{"\n"}'
kubectl wait --for=condition=Ready pod/configmap-pod --timeout=60s
kubectl apply -k manifests/kustomize/notes-pod
kubectl get -k manifests/kustomize/notes-pod
kubectl create namespace production
kubectl apply -k manifests/kustomize/overlay/prod --dry-run=client
kubectl apply -k manifests/kustomize/legacy/app
kubectl get statefulset,svc,hpa -l tier=db
kubectl delete -k manifests/kustomize/notes-pod
kubectl kustomize manifests/kustomize/legacy/app --reorder sideways
kubectl kustomize manifests/nope
kubectl kustomize manifests/configMap
kubectl apply -k manifests/kustomize/notes-pod -f manifests/web-v1.yaml
