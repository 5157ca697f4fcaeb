//! `kubeplay run FILE [--seed N]` prints a scenario's transcript; `kubeplay` alone is a REPL
//! on a fresh cluster.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use kubeplay::{DEFAULT_SEED, DiskFiles, run_script_file};
use kubeplay_core::{Session, World};

const USAGE: &str = "Kubeplay: a Kubernetes cluster in virtual time.

Usage:
  kubeplay                       start a shell on a fresh cluster (kubectl, sleep, echo, cat)
  kubeplay run FILE [--seed N]   run a scenario script and print its transcript
";

fn parse_seed(args: &[String]) -> Result<(Vec<String>, u64), String> {
    let mut rest = Vec::new();
    let mut seed = DEFAULT_SEED;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let value = if a == "--seed" {
            i += 1;
            Some(args.get(i).cloned().ok_or("--seed needs a number")?)
        } else {
            a.strip_prefix("--seed=").map(str::to_string)
        };
        match value {
            Some(v) => {
                seed = v
                    .parse()
                    .map_err(|_| format!("invalid seed {v:?}: expected a whole number"))?
            }
            None => rest.push(a.clone()),
        }
        i += 1;
    }
    Ok((rest, seed))
}

fn repl(seed: u64) -> ExitCode {
    let mut session = Session::new(World::new(seed), Box::new(DiskFiles::new(".")));
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    let prompt = |out: &mut std::io::Stdout, cont: bool| {
        let _ = write!(out, "{}", if cont { "> " } else { "$ " });
        let _ = out.flush();
    };
    prompt(&mut out, false);
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if let Some(r) = session.feed_line(&line) {
            let text = r.output.text();
            let _ = write!(out, "{text}");
            if !text.is_empty() && !text.ends_with('\n') {
                let _ = writeln!(out);
            }
            let exiting = line.trim() == "exit" || line.trim().starts_with("exit ");
            // After an internal error the cluster may be half updated: stop, non-zero.
            if exiting || session.failed().is_some() {
                return exit_code(r.status);
            }
        }
        prompt(&mut out, session.continuing());
    }
    let _ = writeln!(out);
    ExitCode::SUCCESS
}

fn exit_code(status: i32) -> ExitCode {
    ExitCode::from(u8::try_from(status.clamp(0, 255)).unwrap_or(1))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (args, seed) = match parse_seed(&args) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("kubeplay: {e}");
            return ExitCode::from(2);
        }
    };
    match args.first().map(String::as_str) {
        None => repl(seed),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("run") => {
            let Some(file) = args.get(1) else {
                eprint!("kubeplay: run needs a script file\n\n{USAGE}");
                return ExitCode::from(2);
            };
            match run_script_file(Path::new(file), seed) {
                Ok(r) => {
                    print!("{}", r.transcript);
                    exit_code(r.status)
                }
                Err(e) => {
                    eprintln!("kubeplay: {file}: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Some(other) => {
            eprint!("kubeplay: unknown command {other:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
