# exit: 0
# The rest of kubectl's create generators, as the docs use them: Services of each type (a
# headless one with --clusterip=None), a ServiceAccount, TLS and registry Secrets, RBAC roles
# and bindings, a PriorityClass that pods then use, a ResourceQuota, a PodDisruptionBudget and
# an Ingress. The --dry-run=client outputs equal real kubectl's (1.33, without
# creationTimestamp); the refusals are kubectl's own.
kubectl create service clusterip web --tcp=80:8080 --dry-run=client -o yaml
kubectl create service clusterip web-headless --clusterip=None
kubectl create service nodeport web-np --tcp=80:8080 --node-port=30080
kubectl create service loadbalancer web-lb --tcp=80:8080,443
kubectl create service externalname db --external-name db.example.com
kubectl create svc clusterip named --tcp=80:http -o name
kubectl get svc -o wide
kubectl create service nodeport taken --tcp=81 --node-port=30080
kubectl create service clusterip bad --tcp=70000
kubectl create service nodeport x --clusterip=None
kubectl create service externalname x
kubectl create service clusterip x
kubectl create service foo x
kubectl create serviceaccount builder
kubectl create sa builder
kubectl get sa
kubectl create secret tls web-tls --cert=manifests/tls/tls.crt --key=manifests/tls/tls.key
kubectl get secret web-tls
kubectl create secret tls bad --cert=manifests/tls/tls.key --key=manifests/tls/tls.key
kubectl create secret tls bad --cert=manifests/tls/none.crt --key=manifests/tls/tls.key
kubectl create secret docker-registry regcred --docker-server=DOCKER_REGISTRY_SERVER --docker-username=DOCKER_USER --docker-password=DOCKER_PASSWORD --docker-email=DOCKER_EMAIL --dry-run=client -o yaml
kubectl create secret docker-registry regcred --docker-username=u --docker-password=p
kubectl get secret regcred -o jsonpath='{.data.\.dockerconfigjson}' | base64 -d
echo
kubectl create secret docker-registry x --docker-username=u
kubectl create configmap hashed --from-literal=a=b --append-hash
kubectl create role pod-reader --verb=get,list,watch --resource=pods
kubectl create role scaler --verb=get,update --resource=deploy.apps/scale,rs,pods --resource-name=web --dry-run=client -o yaml
kubectl create role x --verb=get --resource=frobs
kubectl create role x --verb=bind --resource=pods
kubectl create clusterrole logs-reader --verb=get --non-resource-url=/logs/*
kubectl create clusterrole monitoring --aggregation-rule=rbac.example.com/aggregate-to-monitoring=true --dry-run=client -o yaml
kubectl create clusterrole x --verb=list --non-resource-url=/logs
kubectl create rolebinding read-pods --role=pod-reader --user=jane --serviceaccount=default:builder
kubectl create rolebinding x --user=jane
kubectl create rolebinding x --role=r --serviceaccount=builder
kubectl create clusterrolebinding root --clusterrole=cluster-admin --group=admins
kubectl create clusterrolebinding x
kubectl get role,rolebinding -o wide
kubectl create priorityclass high --value=1000 --description="for the important ones"
kubectl create priorityclass default-low --value=10 --global-default
kubectl create priorityclass other-default --value=20 --global-default
kubectl create priorityclass too-high --value=2000000000
kubectl create priorityclass system-mine --value=5
kubectl get pc
kubectl run vip --image=nginx --overrides='{"spec":{"priorityClassName":"high"}}'
kubectl run plain --image=nginx
kubectl get pod vip plain -o custom-columns=NAME:.metadata.name,CLASS:.spec.priorityClassName,PRIORITY:.spec.priority
kubectl run ghost --image=nginx --overrides='{"spec":{"priorityClassName":"nope"}}'
kubectl create quota compute --hard=cpu=1,memory=1G,pods=2,services=3 --scopes=BestEffort --dry-run=client -o yaml
kubectl create quota compute --hard=pods=10
kubectl get quota
kubectl create quota q --hard=foo
kubectl create quota q --hard=cpu=abc
kubectl create pdb web-pdb --selector="app=web,tier in (front,edge)" --min-available=1 --dry-run=client -o yaml
kubectl create pdb web-pdb --selector=app=web --max-unavailable=50%
kubectl get pdb
kubectl create pdb x --selector=app=web,env!=prod --min-available=1
kubectl create pdb x --selector=app=web --min-available=1Gb
kubectl create ingress simple --rule=foo.com/bar=svc1:8080,tls=my-cert --dry-run=client -o yaml
kubectl create ingress multi --class=nginx --rule=foo.com/=web:80 --rule=foo.com/admin*=admin:http --rule=bar.com/*=web:80,tls --default-backend=web:80
kubectl get ingress
kubectl create ingress x --rule=bad
kubectl create ingress x
kubectl describe role pod-reader
kubectl describe rolebinding read-pods
kubectl describe clusterrolebinding root
kubectl describe pc high
kubectl describe sa builder
kubectl create deployment quota-web --image=nginx --replicas=2
kubectl set resources deployment quota-web --requests=cpu=250m,memory=128Mi --limits=memory=256Mi
kubectl create quota compute2 --hard=requests.cpu=2,requests.memory=2Gi,limits.memory=4Gi,count/deployments.apps=3,services.nodeports=2
sleep 30
kubectl get quota
kubectl describe quota compute2
kubectl describe namespace default
