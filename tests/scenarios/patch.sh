# exit: 0
# kubectl patch: strategic merge (lists of containers and env merged by name, new items first
# as strategicpatch orders them), JSON merge patch, JSON patch, YAML patches, --patch-file,
# --local, dry runs (kubectl prints no dry-run suffix for patch), the scale subresource, and
# each kind of refusal: kubectl's own checks, the server's 400s, plain 500s and 422s, and
# the warning for an unknown field (the server's default field validation is Warn).
kubectl create deployment web --image=nginx:1.27 --replicas=2
kubectl patch deployment web -p '{"spec":{"replicas":3}}'
kubectl patch deployment web -p '{"spec":{"replicas":3}}'
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36","command":["sleep","3600"]},{"name":"nginx","env":[{"name":"MODE","value":"blue"}]}]}}}}'
kubectl get deploy web -o jsonpath='{range .spec.template.spec.containers[*]}{.name}={.image} {.env}{"\n"}{end}'
kubectl patch deploy/web --type merge -p '{"metadata":{"labels":{"tier":"front"}}}'
kubectl patch deploy web --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/1/image","value":"nginx:1.28"},{"op":"remove","path":"/spec/template/spec/containers/0"}]'
kubectl patch deploy web -p 'spec: {replicas: 2}'
kubectl patch deploy web --patch-file manifests/patch-strategy.yaml
kubectl get deploy web -o jsonpath='{.spec.replicas} {.metadata.labels.tier} {.spec.strategy.type} {.spec.template.spec.containers[*].image}{"\n"}'
kubectl rollout status deploy/web
kubectl patch deploy web --subresource=scale -p '{"spec":{"replicas":1}}'
kubectl patch deploy web --dry-run=server -p '{"spec":{"replicas":5}}'
kubectl patch deploy web --dry-run=client -p '{"spec":{"replicas":5}}' -o jsonpath='{.spec.replicas}{"\n"}'
kubectl get deploy web -o jsonpath='{.spec.replicas}{"\n"}'
kubectl patch -f manifests/patch-pod.yaml --local -p '{"metadata":{"labels":{"env":"prod"}}}' -o yaml
kubectl run p --image=nginx:1.27
kubectl patch pod p -p '{"spec":{"containers":[{"name":"p","image":"nginx:1.28"}]}}'
kubectl patch pod p --type json -p '[{"op":"add","path":"/metadata/labels/extra","value":"yes"}]'
kubectl get pod p --show-labels
# Refusals: nothing changes.
kubectl patch deploy web -p '{"spec":{"foo":1}}'
kubectl patch deploy web -p '{"spec":{"replicas":"abc"}}'
kubectl patch deploy web -p '{bad'
kubectl patch deploy web -p 'a: [1'
kubectl patch deploy web --type merge -p '[1]'
kubectl patch deploy web --type json -p '{"op":"add"}'
kubectl patch deploy web --type json -p '[{"op":"remove","path":"/spec/nope"}]'
kubectl patch deploy web -p '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}'
kubectl patch deploy web -p '{"metadata":{"name":"other"}}'
kubectl patch deploy web -p '{"spec":{"replicas":-1}}'
kubectl patch pod p -p '{"spec":{"restartPolicy":"Never"}}'
kubectl patch deploy web --type foo -p '{}'
kubectl patch deploy web
kubectl patch deploy web -p '{}' --patch-file manifests/patch-strategy.yaml
kubectl patch deploy web --patch-file manifests/nope.yaml
kubectl patch deploy nope -p '{}'
kubectl patch deploy -p '{}'
kubectl patch deploy web --local -p '{}'
kubectl patch -f manifests/patch-pod.yaml --local --type json -p '[{"op":"remove","path":"/spec/nope"}]'
kubectl patch -f manifests/patch-pod.yaml --local --type json -p '[{"op":"replace","path":"/spec/containers/3","value":{}}]'
kubectl get deploy web -o jsonpath='{.spec.replicas} {.metadata.labels.tier}{"\n"}'
