//! The images a simulated registry serves: their repository, compressed size (what the kubelet
//! reports in `Pulled` events), default entrypoint and command, and stop signal. Anything else
//! fails to pull the way containerd fails.

use super::Signal;

#[derive(Debug)]
pub struct ImageInfo {
    /// Docker Hub library name or full repository.
    pub repo: &'static str,
    /// Compressed size in bytes (containerd's image `Size`).
    pub size: u64,
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    pub stop_signal: Signal,
    /// Whether the image carries a shell and the busybox-style utilities.
    pub has_shell: bool,
}

pub static CATALOG: &[ImageInfo] = &[
    ImageInfo {
        repo: "docker.io/library/nginx",
        size: 63_422_407,
        entrypoint: &["/docker-entrypoint.sh"],
        cmd: &["nginx", "-g", "daemon off;"],
        stop_signal: Signal::Quit,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/busybox",
        size: 2_223_685,
        entrypoint: &[],
        cmd: &["sh"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/alpine",
        size: 3_655_264,
        entrypoint: &[],
        cmd: &["/bin/sh"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/ubuntu",
        size: 29_754_290,
        entrypoint: &[],
        cmd: &["/bin/bash"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/debian",
        size: 48_480_738,
        entrypoint: &[],
        cmd: &["bash"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    // Alpine with bash 5, as kubernetes.io's Job examples use (`docker.io/library/bash:5`).
    ImageInfo {
        repo: "docker.io/library/bash",
        size: 6_470_000,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["bash"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/httpd",
        size: 58_163_455,
        entrypoint: &[],
        cmd: &["httpd-foreground"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/redis",
        size: 45_082_197,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/mysql",
        size: 236_518_751,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mysqld"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/postgres",
        size: 158_366_582,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["postgres"],
        stop_signal: Signal::Int,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/tomcat",
        size: 181_393_914,
        entrypoint: &[],
        cmd: &["catalina.sh", "run"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/python",
        size: 384_862_143,
        entrypoint: &[],
        cmd: &["python3"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "docker.io/library/node",
        size: 392_524_317,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["node"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "registry.k8s.io/etcd",
        size: 23645329,
        entrypoint: &[],
        cmd: &["etcd"],
        stop_signal: Signal::Term,
        has_shell: false,
    },
    ImageInfo {
        repo: "registry.k8s.io/kube-apiserver",
        size: 27383040,
        entrypoint: &[],
        cmd: &["kube-apiserver"],
        stop_signal: Signal::Term,
        has_shell: false,
    },
    ImageInfo {
        repo: "registry.k8s.io/kube-controller-manager",
        size: 24982437,
        entrypoint: &[],
        cmd: &["kube-controller-manager"],
        stop_signal: Signal::Term,
        has_shell: false,
    },
    ImageInfo {
        repo: "registry.k8s.io/kube-scheduler",
        size: 19114722,
        entrypoint: &[],
        cmd: &["kube-scheduler"],
        stop_signal: Signal::Term,
        has_shell: false,
    },
    ImageInfo {
        repo: "registry.k8s.io/kube-proxy",
        size: 25964073,
        entrypoint: &[],
        cmd: &["/usr/local/bin/kube-proxy"],
        stop_signal: Signal::Term,
        has_shell: false,
    },
    ImageInfo {
        repo: "registry.k8s.io/coredns/coredns",
        size: 21922613,
        entrypoint: &["/coredns"],
        cmd: &[],
        stop_signal: Signal::Term,
        has_shell: false,
    },
    ImageInfo {
        repo: "docker.io/kindest/kindnetd",
        size: 40650162,
        entrypoint: &[],
        cmd: &["/bin/kindnetd"],
        stop_signal: Signal::Term,
        has_shell: false,
    },
    ImageInfo {
        repo: "docker.io/kindest/local-path-provisioner",
        size: 22541737,
        entrypoint: &[],
        cmd: &["local-path-provisioner"],
        stop_signal: Signal::Term,
        has_shell: false,
    },
    ImageInfo {
        repo: "docker.io/kindest/local-path-helper",
        size: 3084671,
        entrypoint: &[],
        cmd: &["sh"],
        stop_signal: Signal::Term,
        has_shell: true,
    },
    ImageInfo {
        repo: "registry.k8s.io/pause",
        size: 320_368,
        entrypoint: &["/pause"],
        cmd: &[],
        stop_signal: Signal::Term,
        has_shell: false,
    },
];

/// A parsed image reference, normalised as containerd names it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// `docker.io/library/nginx`, `192.168.100.3:5000/nginx`.
    pub repo: String,
    pub tag: String,
    pub digest: Option<String>,
}

impl Reference {
    /// `docker.io/library/nginx:latest`.
    pub fn full(&self) -> String {
        match &self.digest {
            Some(d) => format!("{}@{d}", self.repo),
            None => format!("{}:{}", self.repo, self.tag),
        }
    }

    pub fn registry(&self) -> &str {
        self.repo.split('/').next().unwrap_or("")
    }
}

/// Parses an image reference as the container runtime normalises it.
pub fn parse(image: &str) -> Result<Reference, String> {
    let invalid = || format!("couldn't parse image name {image:?}: invalid reference format");
    if image.is_empty() || image.chars().any(|c| c.is_whitespace() || c.is_ascii_uppercase()) {
        return Err(invalid());
    }
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d.to_string())),
        None => (image, None),
    };
    let (path, tag) = match name.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p, t.to_string()),
        _ => (name, "latest".to_string()),
    };
    if path.is_empty() || path.starts_with('/') || path.ends_with('/') || path.contains("//") {
        return Err(invalid());
    }
    let first = path.split('/').next().unwrap_or("");
    let has_registry = path.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let repo = if has_registry {
        path.to_string()
    } else if path.contains('/') {
        format!("docker.io/{path}")
    } else {
        format!("docker.io/library/{path}")
    };
    Ok(Reference { repo, tag, digest })
}

/// Tags the simulated registry knows for a catalogued image: `latest`, named channels, and
/// version numbers.
fn tag_exists(tag: &str) -> bool {
    const NAMED: &[&str] = &[
        "latest", "stable", "mainline", "alpine", "slim", "bookworm", "bullseye", "trixie", "jammy", "noble", "focal",
        "musl", "glibc", "uclibc", "jdk", "jre", "lts", "perl",
    ];
    let base = tag.split('-').next().unwrap_or(tag);
    // `v1.35.0`, `v20251212`: a version with a leading `v`.
    let version = base.strip_prefix('v').unwrap_or(base);
    NAMED.contains(&base)
        || (version.chars().next().is_some_and(|c| c.is_ascii_digit())
            && version.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Looks an image up in the registry. The error is the CRI error text the kubelet reports.
pub fn resolve(image: &str) -> Result<(&'static ImageInfo, Reference), String> {
    let r = parse(image).map_err(|e| format!("rpc error: code = Unknown desc = {e}"))?;
    let full = r.full();
    let registry = r.registry().to_string();
    if !["docker.io", "registry.k8s.io"].contains(&registry.as_str()) {
        // A private registry the cluster cannot reach.
        let path = r.repo.split_once('/').map(|(_, p)| p).unwrap_or("");
        return Err(format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image {full:?}: failed to resolve reference {full:?}: failed to do request: Head \"https://{registry}/v2/{path}/manifests/{}\": dial tcp {registry}: i/o timeout",
            r.tag
        ));
    }
    let Some(info) = CATALOG.iter().find(|i| i.repo == r.repo) else {
        return Err(format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image {full:?}: failed to resolve reference {full:?}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        ));
    };
    if r.digest.is_none() && !tag_exists(&r.tag) {
        return Err(format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image {full:?}: failed to resolve reference {full:?}: {full}: not found"
        ));
    }
    Ok((info, r))
}

/// What a kind node image carries before anything is pulled (kind's `kindest/node` build
/// preloads the control plane, the addons and the pause image).
pub const PRELOADED: &[&str] = &[
    "registry.k8s.io/etcd:3.6.6-0",
    "registry.k8s.io/kube-apiserver:v1.35.0",
    "registry.k8s.io/kube-controller-manager:v1.35.0",
    "registry.k8s.io/kube-scheduler:v1.35.0",
    "registry.k8s.io/kube-proxy:v1.35.0",
    "registry.k8s.io/coredns/coredns:v1.13.1",
    "registry.k8s.io/pause:3.10.1",
    "docker.io/kindest/kindnetd:v20251212-v0.29.0-alpha-105-g20ccfc88",
    "docker.io/kindest/local-path-provisioner:v20251212-v0.29.0-alpha-105-g20ccfc88",
    "docker.io/kindest/local-path-helper:v20251211-v0.29.0-alpha-100-g82a92c5d",
];

/// Whether a container of this image finds `program` (a name on its PATH, or a path) to
/// start. Images without a shell have only their own binaries; busybox and alpine images have
/// `sh` but no `bash`.
pub fn has_executable(info: &ImageInfo, image: &Reference, program: &str) -> bool {
    let name = program.rsplit('/').next().unwrap_or(program);
    if !info.has_shell || !super::shell::EXECUTABLES.contains(&name) {
        return false;
    }
    let busybox_based = [
        "docker.io/library/busybox",
        "docker.io/library/alpine",
        "docker.io/kindest/local-path-helper",
    ]
    .contains(&info.repo)
        || image.tag.contains("alpine");
    name != "bash" || !busybox_based
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalise_like_containerd() {
        assert_eq!(parse("nginx").unwrap().full(), "docker.io/library/nginx:latest");
        assert_eq!(parse("busybox:1.28").unwrap().full(), "docker.io/library/busybox:1.28");
        assert_eq!(parse("bitnami/redis").unwrap().full(), "docker.io/bitnami/redis:latest");
        assert_eq!(
            parse("192.168.100.3:5000/nginx:latest").unwrap().repo,
            "192.168.100.3:5000/nginx"
        );
        assert!(parse("Nginx").is_err());
    }

    #[test]
    fn pull_errors() {
        assert!(resolve("nginx:1.27.3").is_ok());
        assert!(resolve("nginx:nosuchtag").unwrap_err().contains("code = NotFound"));
        assert!(resolve("nginxx").unwrap_err().contains("pull access denied"));
        assert!(
            resolve("192.168.100.3:5000/nginx:latest")
                .unwrap_err()
                .contains("i/o timeout")
        );
    }
}
