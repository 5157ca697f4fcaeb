//! The text utilities a terminal tutorial pipes kubectl into: `grep`, `head`, `tail`, `wc`.
//! Patterns are matched as plain text (with `-i`, `-v`, `-c`); regular expressions are not.

use super::io::{Files, Output};

fn input(args: &[String], stdin: Option<String>, files: &dyn Files, name: &str, out: &mut Output) -> Option<String> {
    match args.first() {
        Some(f) if f != "-" => match files.read(f) {
            Ok(t) => Some(t),
            Err(_) => {
                out.err(format!("{name}: {f}: No such file or directory\n"));
                None
            }
        },
        _ => Some(stdin.unwrap_or_default()),
    }
}

/// Splits leading `-x` options from operands; `-n N` and `-N` give a count.
fn options(args: &[String]) -> (Vec<char>, Option<usize>, Vec<String>) {
    let mut flags = Vec::new();
    let mut count = None;
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-n" {
            count = args.get(i + 1).and_then(|n| n.parse().ok());
            i += 2;
            continue;
        }
        if let Some(n) = a.strip_prefix('-').and_then(|n| n.parse().ok()) {
            count = Some(n);
        } else if a.len() > 1 && a.starts_with('-') && rest.is_empty() {
            flags.extend(a[1..].chars());
        } else {
            rest.push(a.clone());
        }
        i += 1;
    }
    (flags, count, rest)
}

/// Takes grep's context options (`-A N`, `-B N`, `-C N`, also `-AN`) out of `args`:
/// (after, before).
fn context(args: &mut Vec<String>) -> (usize, usize) {
    let (mut after, mut before) = (0, 0);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].clone();
        let which = ["-A", "-B", "-C"].into_iter().find(|p| a.starts_with(p));
        let Some(p) = which else {
            i += 1;
            continue;
        };
        let inline = &a[2..];
        let (n, used) = if inline.is_empty() {
            (args.get(i + 1).and_then(|n| n.parse().ok()), 2)
        } else {
            (inline.parse().ok(), 1)
        };
        let Some(n) = n else {
            i += 1;
            continue;
        };
        match p {
            "-A" => after = n,
            "-B" => before = n,
            _ => (after, before) = (n, n),
        }
        args.drain(i..(i + used).min(args.len()));
    }
    (after, before)
}

pub fn run(name: &str, args: &[String], stdin: Option<String>, files: &dyn Files, out: &mut Output) -> Option<i32> {
    if name == "base64" {
        return Some(base64(args, stdin, files, out));
    }
    let mut args = args.to_vec();
    let (after, before) = if name == "grep" { context(&mut args) } else { (0, 0) };
    // `-e PATTERN`, possibly repeated: any of them matches.
    let mut patterns: Vec<String> = Vec::new();
    if name == "grep" {
        while let Some(i) = args.iter().position(|a| a == "-e") {
            if i + 1 < args.len() {
                patterns.push(args.remove(i + 1));
            }
            args.remove(i);
        }
    }
    let (flags, count, rest) = options(&args);
    match name {
        "grep" => {
            let operands = if patterns.is_empty() {
                let Some(pattern) = rest.first().cloned() else {
                    out.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
                    return Some(2);
                };
                patterns.push(pattern);
                &rest[1..]
            } else {
                &rest[..]
            };
            // GNU grep exits 2 on a file it cannot read.
            let Some(text) = input(operands, stdin, files, "grep", out) else {
                return Some(2);
            };
            let ignore_case = flags.contains(&'i');
            let invert = flags.contains(&'v');
            let lines: Vec<&str> = text.lines().collect();
            let matched: Vec<bool> = lines
                .iter()
                .map(|l| {
                    let m = patterns.iter().any(|pattern| {
                        if ignore_case {
                            l.to_lowercase().contains(&pattern.to_lowercase())
                        } else {
                            l.contains(pattern.as_str())
                        }
                    });
                    m != invert
                })
                .collect();
            let hits: Vec<&str> = lines
                .iter()
                .zip(&matched)
                .filter(|(_, m)| **m)
                .map(|(l, _)| *l)
                .collect();
            if flags.contains(&'c') {
                out.out(format!("{}\n", hits.len()));
            } else if !flags.contains(&'q') {
                // Matching lines with their context; GNU grep puts `--` between groups that
                // do not touch.
                let mut last: Option<usize> = None;
                for (i, _) in matched.iter().enumerate().filter(|(_, m)| **m) {
                    let from = i.saturating_sub(before);
                    let to = (i + after).min(lines.len().saturating_sub(1));
                    let start = match last {
                        Some(l) if from <= l + 1 => l + 1,
                        Some(_) if before + after > 0 => {
                            out.out("--\n");
                            from
                        }
                        _ => from,
                    };
                    for line in lines.iter().take(to + 1).skip(start) {
                        out.out(format!("{line}\n"));
                    }
                    last = Some(to.max(last.unwrap_or(0)));
                }
            }
            Some(if hits.is_empty() { 1 } else { 0 })
        }
        "head" | "tail" => {
            let Some(text) = input(&rest, stdin, files, name, out) else {
                return Some(1);
            };
            let n = count.unwrap_or(10);
            let lines: Vec<&str> = text.lines().collect();
            let picked = if name == "head" {
                &lines[..n.min(lines.len())]
            } else {
                &lines[lines.len().saturating_sub(n)..]
            };
            for l in picked {
                out.out(format!("{l}\n"));
            }
            Some(0)
        }
        "wc" => {
            let Some(text) = input(&rest, stdin, files, "wc", out) else {
                return Some(1);
            };
            let lines = text.lines().count();
            let (words, bytes) = (text.split_whitespace().count(), text.len());
            let picked: Vec<String> = [('l', lines), ('w', words), ('c', bytes)]
                .iter()
                .filter(|(f, _)| flags.contains(f))
                .map(|(_, n)| n.to_string())
                .collect();
            if !picked.is_empty() {
                out.out(format!("{}\n", picked.join(" ")));
            } else {
                out.out(format!("{lines} {} {}\n", text.split_whitespace().count(), text.len()));
            }
            Some(0)
        }
        _ => None,
    }
}

/// coreutils `base64`: encodes (lines of 76 characters), or decodes with `-d`/`--decode`,
/// as tutorials read a Secret's values (`... -o jsonpath='{.data.password}' | base64 -d`).
fn base64(args: &[String], stdin: Option<String>, files: &dyn Files, out: &mut Output) -> i32 {
    use base64::Engine as _;
    let decode = args.iter().any(|a| a == "-d" || a == "--decode");
    let operands: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).cloned().collect();
    let Some(text) = input(&operands, stdin, files, "base64", out) else {
        return 1;
    };
    let engine = base64::engine::general_purpose::STANDARD;
    if decode {
        let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        match engine.decode(clean.as_bytes()) {
            Ok(bytes) => {
                out.out(String::from_utf8_lossy(&bytes).into_owned());
                0
            }
            Err(_) => {
                out.err("base64: invalid input\n");
                1
            }
        }
    } else {
        let encoded = engine.encode(text.as_bytes());
        let mut rest = encoded.as_str();
        while !rest.is_empty() {
            let (line, tail) = rest.split_at(rest.len().min(76));
            out.out(format!("{line}\n"));
            rest = tail;
        }
        0
    }
}
