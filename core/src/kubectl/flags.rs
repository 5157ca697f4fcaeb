//! Command-line flags as pflag parses them for kubectl: `--name=value`, `--name value`,
//! `-n value`, `-nvalue`, bundled boolean shorthands, and pflag's error wording.

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug)]
pub struct FlagSpec {
    pub long: &'static str,
    pub short: Option<char>,
    /// Takes a value (as opposed to a boolean switch).
    pub value: bool,
    /// May be given several times (`-f a -f b`).
    pub repeat: bool,
    /// A repeated value is split on commas (StringSlice); StringArray flags keep commas.
    pub split: bool,
}

pub const fn flag(long: &'static str, short: Option<char>, value: bool) -> FlagSpec {
    FlagSpec {
        long,
        short,
        value,
        repeat: false,
        split: false,
    }
}

pub const fn multi(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        value: true,
        repeat: true,
        split: true,
    }
}

/// A repeatable flag whose values keep their commas (pflag's StringArray, `-e A=1,2`).
pub const fn array(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        value: true,
        repeat: true,
        split: false,
    }
}

/// Flags every kubectl command accepts.
pub const GLOBAL: &[FlagSpec] = &[
    flag("namespace", Some('n'), true),
    flag("context", None, true),
    flag("kubeconfig", None, true),
    flag("request-timeout", None, true),
    // The log level: kubectl's own logs go nowhere in Kubeplay, so any level prints nothing.
    flag("v", Some('v'), true),
];

#[derive(Debug, Default)]
pub struct Parsed {
    pub values: BTreeMap<&'static str, Vec<String>>,
    pub args: Vec<String>,
    /// How many arguments came before `--` (cobra's `ArgsLenAtDash`), if there was one.
    pub dash: Option<usize>,
}

impl Parsed {
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values.get(long).and_then(|v| v.last()).map(String::as_str)
    }

    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }

    /// A boolean flag: set, `--x=true`, or not.
    pub fn on(&self, long: &str) -> bool {
        matches!(self.get(long), Some("true"))
    }

    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }
}

/// Parses `args` (after the subcommand). Errors are pflag's messages, without kubectl's
/// `error: ` prefix and usage hint.
pub fn parse(args: &[String], specs: &[FlagSpec]) -> Result<Parsed, String> {
    let all: Vec<FlagSpec> = specs.iter().chain(GLOBAL.iter()).copied().collect();
    let mut p = Parsed::default();
    let mut i = 0;
    let set = |p: &mut Parsed, spec: &FlagSpec, v: String| {
        let e = p.values.entry(spec.long).or_default();
        if spec.repeat && spec.split {
            // `-f a,b` is two files, as StringSlice flags split on commas.
            e.extend(v.split(',').map(str::to_string));
        } else {
            // StringArray flags keep commas; a single-valued flag given twice keeps both and
            // `get` reads the last, as pflag's last one wins.
            e.push(v);
        }
    };
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            p.dash = Some(p.args.len());
            p.args.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(spec) = all.iter().find(|s| s.long == name) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let v = match (spec.value, inline) {
                (_, Some(v)) => v,
                (true, None) => {
                    let Some(v) = args.get(i) else {
                        return Err(format!("flag needs an argument: --{name}"));
                    };
                    i += 1;
                    v.clone()
                }
                (false, None) => "true".into(),
            };
            set(&mut p, spec, v);
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let Some(spec) = all.iter().find(|s| s.short == Some(c)) else {
                    return Err(format!("unknown shorthand flag: '{c}' in {a}"));
                };
                if spec.value {
                    let rest: String = chars[j + 1..].iter().collect();
                    let v = if let Some(r) = rest.strip_prefix('=') {
                        r.to_string()
                    } else if !rest.is_empty() {
                        rest
                    } else {
                        let Some(v) = args.get(i) else {
                            return Err(format!("flag needs an argument: '{c}' in {a}"));
                        };
                        i += 1;
                        v.clone()
                    };
                    set(&mut p, spec, v);
                    break;
                }
                set(&mut p, spec, "true".into());
                j += 1;
            }
        } else {
            p.args.push(a.clone());
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn forms() {
        let specs = [
            flag("output", Some('o'), true),
            flag("all-namespaces", Some('A'), false),
            multi("filename", Some('f')),
        ];
        let p = parse(
            &args("pods -n kube-system -owide -A -f a.yaml --filename=b.yaml x"),
            &specs,
        )
        .unwrap();
        assert_eq!(p.get("namespace"), Some("kube-system"));
        assert_eq!(p.get("output"), Some("wide"));
        assert!(p.on("all-namespaces"));
        assert_eq!(p.all("filename"), ["a.yaml", "b.yaml"]);
        assert_eq!(p.args, ["pods", "x"]);
        assert_eq!(parse(&args("--foo"), &specs).unwrap_err(), "unknown flag: --foo");
        assert_eq!(
            parse(&args("-z"), &specs).unwrap_err(),
            "unknown shorthand flag: 'z' in -z"
        );
        assert_eq!(
            parse(&args("-n"), &specs).unwrap_err(),
            "flag needs an argument: 'n' in -n"
        );
    }
}
