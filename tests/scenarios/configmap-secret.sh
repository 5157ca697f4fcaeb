# exit: 1
# ConfigMaps and Secrets from the command line, as the study notes make them: every file of a
# directory, a file under a key of your choosing, an env file, literals; a generic Secret read
# back through jsonpath and base64; and kubectl's refusals.
kubectl create configmap testconfigmap --from-file=./manifests/configMap/
kubectl get configmap testconfigmap -o yaml
kubectl create configmap testconfigmap1 --from-file=mykey=./manifests/configMap/test.properties --from-file=./manifests/configMap/test2.properties
kubectl get cm testconfigmap1 -o jsonpath='{.data.mykey}'
kubectl create configmap testconfigmap2 --from-env-file=./manifests/configMap/test.properties
kubectl get cm testconfigmap2 -o yaml | grep -A4 data:
kubectl create configmap special --from-literal=special.how=very --from-literal=special.type=charm --dry-run=client -o yaml
kubectl get configmaps
kubectl create secret generic mysql --from-literal=username=djm --from-literal=password=12345
kubectl get secrets mysql -o jsonpath='{.data.username}' | base64 --decode
echo
kubectl get secrets mysql -o jsonpath='{.data.password}' | base64 -d
echo
kubectl get secret mysql
kubectl describe secret mysql
kubectl describe configmap testconfigmap1
echo -n admin | base64
kubectl create configmap testconfigmap --from-literal=a=b
kubectl create configmap broken --from-file=./manifests/configMap/nope
kubectl create configmap broken --from-literal=novalue
kubectl create configmap broken --from-literal=b@d=1
kubectl create configmap broken --from-literal=a=1 --from-literal=a=2
kubectl create configmap broken --from-file=k=./manifests/configMap/
kubectl create configmap broken --from-env-file=./manifests/configMap/test.properties --from-literal=a=1
kubectl create secret generic broken --from-literal=a=1 --from-literal=a=2
kubectl create secret generic mysql --from-literal=a=1
kubectl create configmap
kubectl get cm broken
