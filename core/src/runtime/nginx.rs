//! The nginx image: serves `/usr/share/nginx/html` on port 80, logs each request in the
//! `combined`-plus format of the official image, and shuts down cleanly on SIGQUIT (its
//! STOPSIGNAL) or SIGTERM.

use k8s_openapi::jiff::Timestamp;

use super::http::{Request, Response};
use super::{ProcCx, Process, Signal, Status};
use crate::sim::clock::{EPOCH_SECONDS, SECOND};

pub const DOC_ROOT: &str = "/usr/share/nginx/html";

pub const INDEX_HTML: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

const NOT_FOUND: &str = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.29.4</center>\r\n</body>\r\n</html>\r\n";
const FORBIDDEN: &str = "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx/1.29.4</center>\r\n</body>\r\n</html>\r\n";

/// The files the image ships with, for a new container's filesystem.
pub fn image_files(fs: &mut super::fs::Fs) {
    let _ = fs.write(&format!("{DOC_ROOT}/index.html"), INDEX_HTML);
    let _ = fs.write(&format!("{DOC_ROOT}/50x.html"), "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n");
    let _ = fs.write("/etc/nginx/nginx.conf", "user  nginx;\nworker_processes  auto;\n");
    let _ = fs.write("/etc/nginx/conf.d/default.conf", "server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n");
}

#[derive(Default)]
pub struct Nginx;

fn log_time(now: u64, fmt: &str) -> String {
    let ts = Timestamp::from_second(EPOCH_SECONDS.saturating_add(crate::num::i64_of(now / SECOND)))
        .unwrap_or(Timestamp::UNIX_EPOCH);
    k8s_openapi::jiff::fmt::strtime::format(fmt, ts).unwrap_or_default()
}

impl Process for Nginx {
    fn start(&mut self, cx: &mut ProcCx<'_>) -> Status {
        for line in [
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
            "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
            "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
        ] {
            cx.out(line);
        }
        let t = log_time(cx.now, "%Y/%m/%d %H:%M:%S");
        for notice in [
            "using the \"epoll\" event method",
            "nginx/1.29.4",
            "start worker processes",
        ] {
            cx.err(format!("{t} [notice] 1#1: {notice}"));
        }
        Status::Running(None)
    }

    fn wake(&mut self, _cx: &mut ProcCx<'_>) -> Status {
        Status::Running(None)
    }

    fn signal(&mut self, sig: Signal, cx: &mut ProcCx<'_>) -> Status {
        let t = log_time(cx.now, "%Y/%m/%d %H:%M:%S");
        let (name, what) = match sig {
            Signal::Quit => ("SIGQUIT", "gracefully shutting down"),
            Signal::Term => ("SIGTERM", "exiting"),
            Signal::Int => ("SIGINT", "exiting"),
            Signal::Kill => return Status::Exited(137),
        };
        cx.err(format!("{t} [notice] 1#1: signal 3 ({name}) received, {what}"));
        cx.err(format!("{t} [notice] 1#1: exit"));
        Status::Exited(0)
    }

    fn listening(&self) -> Vec<u16> {
        vec![80]
    }

    fn http(&mut self, port: u16, req: &Request, cx: &mut ProcCx<'_>) -> Option<Response> {
        if port != 80 {
            return None;
        }
        let path = req.path.split('?').next().unwrap_or("/");
        let file = format!("{DOC_ROOT}{path}");
        let resp = if cx.fs.is_dir(&file) {
            match cx.fs.read(&format!("{}/index.html", file.trim_end_matches('/'))) {
                Some(body) => Response::new(200, body),
                None => Response::new(403, FORBIDDEN),
            }
        } else {
            match cx.fs.read(&file) {
                Some(body) => Response::new(200, body),
                None => Response::new(404, NOT_FOUND),
            }
        };
        let t = log_time(cx.now, "%d/%b/%Y:%H:%M:%S +0000");
        cx.out(format!(
            "{} - - [{t}] \"{} {} HTTP/1.1\" {} {} \"-\" \"{}\" \"-\"",
            req.client_ip,
            req.method,
            req.path,
            resp.status,
            resp.body.len(),
            req.user_agent
        ));
        if resp.status == 404 {
            let t = log_time(cx.now, "%Y/%m/%d %H:%M:%S");
            cx.err(format!(
                "{t} [error] 29#29: *1 open() \"{file}\" failed (2: No such file or directory), client: {}, server: localhost, request: \"{} {} HTTP/1.1\", host: \"{}\"",
                req.client_ip, req.method, req.path, req.host
            ));
        }
        Some(resp)
    }
}
