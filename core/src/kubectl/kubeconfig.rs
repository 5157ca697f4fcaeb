//! The client's kubeconfig: kind's `kind-kind` context, and the namespace a context sets with
//! `kubectl config set-context --current --namespace=x`, which later commands use when they
//! have no `-n`. It belongs to the terminal (the client), not to the cluster.

use std::collections::BTreeMap;

/// Where kind writes the kubeconfig, as kubectl names it in its messages.
pub const PATH: &str = "/root/.kube/config";

/// The API server as the host reaches it: kind publishes port 6443 of the control-plane
/// container on a random host port of 127.0.0.1 (this one, for every Kubeplay cluster).
pub const SERVER: &str = "https://127.0.0.1:39143";

/// One context of the kubeconfig.
#[derive(Clone, Debug, PartialEq)]
pub struct Context {
    pub cluster: String,
    pub user: String,
    pub namespace: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Kubeconfig {
    pub current: String,
    pub contexts: BTreeMap<String, Context>,
    pub clusters: Vec<String>,
    pub users: Vec<String>,
}

impl Default for Kubeconfig {
    /// What `kind create cluster` writes.
    fn default() -> Self {
        let mut contexts = BTreeMap::new();
        contexts.insert(
            "kind-kind".to_string(),
            Context {
                cluster: "kind-kind".into(),
                user: "kind-kind".into(),
                namespace: None,
            },
        );
        Kubeconfig {
            current: "kind-kind".into(),
            contexts,
            clusters: vec!["kind-kind".into()],
            users: vec!["kind-kind".into()],
        }
    }
}

impl Kubeconfig {
    /// The namespace of a context (the current one unless `--context` names another), or
    /// `default`.
    pub fn namespace(&self, context: Option<&str>) -> String {
        self.contexts
            .get(context.unwrap_or(&self.current))
            .and_then(|c| c.namespace.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "default".to_string())
    }
}
