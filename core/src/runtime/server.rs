//! Long-running servers of the catalogue that Kubeplay does not model in depth yet (httpd,
//! redis, mysql, postgres, tomcat): they start, log their readiness line, listen on their
//! port and stop on their stop signal. mysql refuses to start without a root password option,
//! as its entrypoint does.

use super::http::{Request, Response};
use super::{ProcCx, Process, Signal, Status};

pub struct Server {
    port: u16,
    stop_signal: Signal,
    kind: &'static str,
}

impl Server {
    /// The server for an image repository and its default port, if it is one.
    pub fn for_repo(repo: &str, stop_signal: Signal) -> Option<Self> {
        let (kind, port) = match repo.rsplit('/').next().unwrap_or(repo) {
            "httpd" => ("httpd", 80),
            "redis" => ("redis", 6379),
            "mysql" => ("mysql", 3306),
            "postgres" => ("postgres", 5432),
            "tomcat" => ("tomcat", 8080),
            "pause" => ("pause", 0),
            _ => return None,
        };
        Some(Server {
            port,
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
        if self.port == 0 { Vec::new() } else { vec![self.port] }
    }

    fn http(&mut self, port: u16, req: &Request, _cx: &mut ProcCx<'_>) -> Option<Response> {
        if port != self.port {
            return None;
        }
        match self.kind {
            "httpd" => Some(Response::new(200, "<html><body><h1>It works!</h1></body></html>\n")),
            "tomcat" => Some(Response::new(404, format!("HTTP Status 404 – Not Found: {}", req.path))),
            // Not an HTTP server: the connection is accepted, then dropped.
            _ => Some(Response::new(0, "")),
        }
    }
}
