//! `kubectl CMD --help`, `-h` and `kubectl help CMD`: cobra's help for each command and
//! subcommand. The texts in help.txt were recorded from a real kubectl client (1.33, the
//! oracle at hand; they read the same in 1.35 but for a few flags), so a learner sees the
//! examples and options kubectl shows.

const TEXTS: &str = include_str!("help.txt");

/// The help of a command path (`get`, `create secret generic`, `` for kubectl itself).
pub fn text(path: &str) -> Option<&'static str> {
    let marker = format!("=== {path}\n");
    let start = if TEXTS.starts_with(&marker) {
        marker.len()
    } else {
        TEXTS.find(&format!("\n{marker}"))? + marker.len() + 1
    };
    let rest = &TEXTS[start..];
    let end = rest.find("\n=== ").map_or(rest.len(), |i| i + 1);
    Some(&rest[..end])
}

/// The longest command path a command line names: the subcommand and the words after it
/// that name its subcommands (`create secret generic web` → `create secret generic`).
pub fn path_of(sub: &str, words: &[String]) -> String {
    let mut path = sub.to_string();
    for w in words.iter().filter(|w| !w.starts_with('-')) {
        let longer = format!("{path} {w}");
        if text(&longer).is_some() {
            path = longer;
        } else {
            break;
        }
    }
    path
}

/// Whether the arguments ask for help (`-h`, `--help`, before any `--`).
pub fn asked(args: &[String]) -> bool {
    args.iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "-h" || a == "--help" || a == "--help=true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_its_help() {
        assert!(text("").is_some_and(|t| t.starts_with("kubectl controls the Kubernetes cluster manager.")));
        let get = text("get").unwrap_or_default();
        assert!(get.starts_with("Display one or many resources."));
        assert!(get.ends_with("(applies to all commands).\n"));
        assert!(!get.contains("=== "));
        assert_eq!(
            path_of("create", &["secret".into(), "generic".into(), "x".into()]),
            "create secret generic"
        );
        assert_eq!(path_of("get", &["pods".into()]), "get");
        for c in super::super::COMMANDS {
            assert!(text(c).is_some(), "{c}");
        }
    }
}
