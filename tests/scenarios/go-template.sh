# exit: 1
# `-o go-template`: Go's text/template over the object as kubectl hands it to the engine
# (whole numbers as integers, missing keys as <no value>, maps as map[k:v]), kubectl's
# base64decode, `--template` alone meaning go-template, go-template-file, and Go's parse and
# execution errors. Every line of the `create ... --dry-run=client` part was compared with real
# kubectl 1.33, which differs only where 1.34 dropped the zero creationTimestamp and in the
# field order of the raw JSON it dumps on an execution error.
kubectl create deployment web --image=nginx --replicas=3 --dry-run=client -o 'go-template={{.spec.replicas}}'
kubectl create deployment web --image=nginx --replicas=1000000 --dry-run=client -o 'go-template={{.spec.replicas}}'
kubectl create deployment web --image=nginx --dry-run=client -o 'go-template={{.metadata}}'
kubectl create deployment web --image=nginx --dry-run=client -o 'go-template={{.spec.template.spec.containers}}'
kubectl create deployment web --image=nginx --dry-run=client -o 'go-template={{.nope}}|{{.nope.deeper}}|{{index .metadata "nope"}}'
kubectl create deployment web --image=nginx --dry-run=client -o 'go-template={{range .spec.template.spec.containers}}{{.name}}:{{.image}}{{"\n"}}{{end}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{.data.password | base64decode}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{index .data "password" | base64decode}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client '--template={{.kind}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{printf "%s-%d|%5s|%v" .kind 7 "ab" .data}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{if eq .kind "Secret"}}yes{{else}}no{{end}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{range $k, $v := .data}}{{$k}}={{$v}};{{end}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{len .data}} {{print 1 2 "a" 3}} {{println "x" 1}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{.kind.foo}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{.kind'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{foo .kind}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{range .data}}x'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{ .kind -}}   ,   {{- .apiVersion }}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o go-template
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{.data.password | base64decode | printf "%q"}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{index .data 0}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{.kind | base64decode}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{with .data}}{{.password}}{{end}}|{{with .nope}}x{{else}}y{{end}}'
kubectl create secret generic s --from-literal=password=hunter2 --dry-run=client -o 'go-template={{$n := .kind}}{{$n}} {{$}}'
kubectl create deployment web --image=nginx --replicas=2
kubectl expose deployment web --port=80 --type=NodePort
kubectl wait --for=condition=Available deploy/web
kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}'
kubectl get services/web -o go-template='{{(index .spec.ports 0).nodePort}}'
kubectl get pods -o go-template-file=manifests/pod-phases.tmpl
kubectl get deploy web -o template='{{.status.readyReplicas}}/{{.spec.replicas}} {{if .status.conditions}}{{(index .status.conditions 0).type}}{{end}}'
kubectl get pods -w --request-timeout=1s -o go-template='{{.metadata.name}}{{"\n"}}'
kubectl get pods -o go-template-file=manifests/nosuch.tmpl
