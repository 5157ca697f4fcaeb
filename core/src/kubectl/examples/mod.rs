//! The kubernetes.io example manifests tutorials apply by URL
//! (`kubectl apply -f https://k8s.io/examples/application/deployment.yaml`). Fetching is the
//! host's business: the page fetches a URL when the browser is online and hands the text in as
//! a file named by the URL. Offline, and in the CLI and tests, this catalogue answers for the
//! examples the tutorials use, with manifests the project wrote itself: the same names, images
//! and behaviour. Any other URL fails as kubectl fails without a network.

/// The example's path under `content/en/examples/` of kubernetes/website, from any of the
/// addresses the docs use for it.
fn example_path(url: &str) -> Option<&str> {
    const PREFIXES: &[&str] = &[
        "https://k8s.io/examples/",
        "https://kubernetes.io/examples/",
        "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/",
        "https://raw.githubusercontent.com/kubernetes/website/master/content/en/examples/",
    ];
    PREFIXES.iter().find_map(|p| url.strip_prefix(p))
}

const CATALOGUE: &[(&str, &str)] = &[
    (
        "application/deployment-scale.yaml",
        include_str!("application/deployment-scale.yaml"),
    ),
    (
        "application/deployment-update.yaml",
        include_str!("application/deployment-update.yaml"),
    ),
    (
        "application/deployment.yaml",
        include_str!("application/deployment.yaml"),
    ),
    ("application/nginx-app.yaml", include_str!("application/nginx-app.yaml")),
    (
        "controllers/nginx-deployment.yaml",
        include_str!("controllers/nginx-deployment.yaml"),
    ),
    ("pods/pod-nginx.yaml", include_str!("pods/pod-nginx.yaml")),
    ("pods/simple-pod.yaml", include_str!("pods/simple-pod.yaml")),
    ("pods/storage/pv-claim.yaml", include_str!("pods/storage/pv-claim.yaml")),
    ("pods/storage/pv-pod.yaml", include_str!("pods/storage/pv-pod.yaml")),
    (
        "pods/storage/pv-volume.yaml",
        include_str!("pods/storage/pv-volume.yaml"),
    ),
    (
        "service/networking/nginx-svc.yaml",
        include_str!("service/networking/nginx-svc.yaml"),
    ),
    (
        "service/networking/run-my-nginx.yaml",
        include_str!("service/networking/run-my-nginx.yaml"),
    ),
];

/// The manifest behind an example URL.
pub fn lookup(url: &str) -> Option<&'static str> {
    let path = example_path(url)?;
    CATALOGUE.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}

/// Whether `-f` names a URL (cli-runtime's builder: a scheme and a host).
pub fn is_url(path: &str) -> bool {
    path.split_once("://")
        .is_some_and(|(scheme, rest)| ["http", "https"].contains(&scheme) && !rest.is_empty())
}

/// What `http.Get` fails with when the host cannot be resolved, as kubectl prints it.
pub fn unreachable(url: &str) -> String {
    let host = url
        .split_once("://")
        .map(|(_, r)| r.split(['/', '?', '#']).next().unwrap_or(r))
        .unwrap_or(url);
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    format!("Get {url:?}: dial tcp: lookup {host}: no such host")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_of_an_example_finds_it() {
        for url in [
            "https://k8s.io/examples/application/deployment.yaml",
            "https://kubernetes.io/examples/application/deployment.yaml",
            "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/application/deployment.yaml",
        ] {
            assert!(lookup(url).is_some_and(|t| t.contains("nginx-deployment")), "{url}");
        }
        assert!(lookup("https://k8s.io/examples/nosuch.yaml").is_none());
        assert_eq!(
            unreachable("https://example.com:8443/x.yaml"),
            "Get \"https://example.com:8443/x.yaml\": dial tcp: lookup example.com: no such host"
        );
    }

    /// Each example decodes into the objects the docs name.
    #[test]
    fn the_examples_decode() {
        for (path, text) in CATALOGUE {
            let docs = crate::api::manifest::parse_stream(text);
            assert!(docs.is_ok_and(|d| !d.is_empty()), "{path}");
        }
    }
}
