//! Long-running servers of the catalogue that Kubeplay does not model in depth yet (httpd,
//! redis, mysql, postgres, tomcat): they start, log their readiness line, listen on their
//! port and stop on their stop signal. mysql refuses to start without a root password option,
//! as its entrypoint does.

use super::http::{Request, Response};
use super::{ProcCx, Process, Signal, Status};

pub struct Server {
    ports: &'static [u16],
    stop_signal: Signal,
    kind: &'static str,
}

impl Server {
    /// The server for an image repository and its default port, if it is one.
    pub fn for_repo(repo: &str, stop_signal: Signal) -> Option<Self> {
        let (kind, ports): (&str, &'static [u16]) = match repo.rsplit('/').next().unwrap_or(repo) {
            "httpd" => ("httpd", &[80]),
            "redis" => ("redis", &[6379]),
            "mysql" => ("mysql", &[3306]),
            "postgres" => ("postgres", &[5432]),
            "tomcat" => ("tomcat", &[8080]),
            "pause" => ("pause", &[]),
            _ => return Self::system(repo, stop_signal),
        };
        Some(Server {
            ports,
            stop_signal,
            kind,
        })
    }

    /// A component of the cluster itself (the control plane, CoreDNS, kube-proxy, kindnet,
    /// the local-path provisioner), whatever its command line: it stays up and answers its
    /// health endpoints. What these components do is simulated by the cluster, not here.
    pub fn system(repo: &str, stop_signal: Signal) -> Option<Self> {
        let (kind, ports): (&'static str, &'static [u16]) = match repo.rsplit('/').next().unwrap_or(repo) {
            "etcd" => ("etcd", &[2379, 2380, 2381]),
            "kube-apiserver" => ("kube-apiserver", &[6443]),
            "kube-controller-manager" => ("kube-controller-manager", &[10257]),
            "kube-scheduler" => ("kube-scheduler", &[10259]),
            "kube-proxy" => ("kube-proxy", &[10249, 10256]),
            "coredns" => ("coredns", &[53, 8080, 8181, 9153]),
            "kindnetd" => ("kindnetd", &[]),
            "local-path-provisioner" => ("local-path-provisioner", &[]),
            _ => return None,
        };
        Some(Server {
            ports,
            stop_signal,
            kind,
        })
    }
}

impl Process for Server {
    fn start(&mut self, cx: &mut ProcCx<'_>) -> Status {
        match self.kind {
            "mysql" => {
                let has_password = [
                    "MYSQL_ROOT_PASSWORD",
                    "MYSQL_ALLOW_EMPTY_PASSWORD",
                    "MYSQL_RANDOM_ROOT_PASSWORD",
                ]
                .iter()
                .any(|k| cx.getenv(k).is_some());
                cx.out("[Note] [Entrypoint]: Entrypoint script for MySQL Server started.");
                if !has_password {
                    cx.err("[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified");
                    cx.err("    You need to specify one of the following as an environment variable:");
                    cx.err("    - MYSQL_ROOT_PASSWORD");
                    cx.err("    - MYSQL_ALLOW_EMPTY_PASSWORD");
                    cx.err("    - MYSQL_RANDOM_ROOT_PASSWORD");
                    return Status::Exited(1);
                }
                cx.err("[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.");
            }
            "postgres" => {
                if cx.getenv("POSTGRES_PASSWORD").is_none() && cx.getenv("POSTGRES_HOST_AUTH_METHOD").is_none() {
                    cx.err("Error: Database is uninitialized and superuser password is not specified.");
                    return Status::Exited(1);
                }
                cx.err("LOG:  database system is ready to accept connections");
            }
            "redis" => cx.out("1:M * Ready to accept connections tcp"),
            "httpd" => cx.err("AH00094: Command line: 'httpd -D FOREGROUND'"),
            "tomcat" => cx.out("INFO [main] org.apache.catalina.startup.Catalina.start Server startup"),
            "coredns" => {
                cx.out(".:53");
                cx.out("[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b");
                cx.out("CoreDNS-1.13.1");
                cx.out("linux/amd64, go1.25.2, 1db4568");
            }
            _ => {}
        }
        Status::Running(None)
    }

    fn wake(&mut self, _cx: &mut ProcCx<'_>) -> Status {
        Status::Running(None)
    }

    fn signal(&mut self, sig: Signal, _cx: &mut ProcCx<'_>) -> Status {
        if sig == Signal::Kill {
            Status::Exited(137)
        } else if sig == self.stop_signal || sig == Signal::Term || sig == Signal::Int {
            Status::Exited(0)
        } else {
            Status::Running(None)
        }
    }

    fn listening(&self) -> Vec<u16> {
        self.ports.to_vec()
    }

    fn http(&mut self, port: u16, req: &Request, _cx: &mut ProcCx<'_>) -> Option<Response> {
        if !self.ports.contains(&port) {
            return None;
        }
        match self.kind {
            // Health endpoints: CoreDNS's `health` and `ready` plugins, the components' /healthz.
            "coredns" if port == 8080 || port == 8181 => Some(Response::new(200, "OK")),
            "etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "kube-proxy" => {
                Some(Response::new(200, "ok"))
            }
            "httpd" => Some(Response::new(200, "<html><body><h1>It works!</h1></body></html>\n")),
            "tomcat" => Some(Response::new(404, format!("HTTP Status 404 – Not Found: {}", req.path))),
            // Not an HTTP server: the connection is accepted, then dropped.
            _ => Some(Response::new(0, "")),
        }
    }
}
