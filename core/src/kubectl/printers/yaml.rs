//! YAML as kubectl prints it: JSON converted by sigs.k8s.io/yaml through go-yaml v2, so keys are
//! sorted, sequences in mappings are not indented, strings that would read as another type are
//! double-quoted, strings with YAML indicators single-quoted, multi-line strings written as
//! literal blocks, and long scalars folded at go-yaml's 80-column width.

use serde_json::Value;

const BEST_WIDTH: usize = 80;

pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0, 0));
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, m: &serde_json::Map<String, Value>, indent: usize) {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    for (i, k) in keys.into_iter().enumerate() {
        if i > 0 || !out.ends_with("- ") {
            pad(out, indent);
        }
        let key = string_scalar(k, indent, indent);
        out.push_str(&key);
        out.push(':');
        write_value(out, &m[k], indent, indent + key.chars().count() + 2);
    }
}

fn write_seq(out: &mut String, a: &[Value], indent: usize) {
    for item in a {
        pad(out, indent);
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, m, indent + 2),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, indent + 2);
            }
            other => {
                out.push_str(&scalar(other, indent + 2, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// The value after `key:`; `column` is where it would start on the key's line.
fn write_value(out: &mut String, v: &Value, indent: usize, column: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(out, a, indent);
        }
        Value::String(s) if s.contains('\n') => {
            out.push(' ');
            literal(out, s, indent + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2, column));
            out.push('\n');
        }
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn literal(out: &mut String, s: &str, indent: usize) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    out.push('|');
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    if s.starts_with(' ') {
        out.push('2');
    }
    out.push('\n');
    let body = if trailing == 0 { s } else { &s[..s.len() - 1] };
    for line in body.split('\n') {
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn scalar(v: &Value, indent: usize, column: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_scalar(s, indent, column),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// Whether a plain scalar would be read back as something other than this string.
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y", "Y", "yes", "Yes",
        "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "-.inf",
        "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let is_int = !t.is_empty()
        && (t.chars().all(|c| c.is_ascii_digit() || c == '_')
            || t.strip_prefix("0x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || t.strip_prefix("0b")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c == '0' || c == '1')));
    let is_float = {
        let mut parts = t.splitn(2, ['e', 'E']);
        let mant = parts.next().unwrap_or("");
        let exp = parts.next();
        let mant_ok = !mant.is_empty()
            && mant.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '_')
            && mant.chars().filter(|c| *c == '.').count() <= 1
            && mant.chars().any(|c| c.is_ascii_digit());
        let exp_ok = exp.is_none_or(|e| {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
        });
        mant_ok && exp_ok
    };
    if is_timestamp(s) {
        return true;
    }
    // Sexagesimal numbers (`1:20`) are numbers to YAML 1.1.
    let base60 = t.contains(':')
        && t.split(':')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '.'));
    is_int || is_float || base60
}

/// go-yaml v2 reads `2006-1-2`, `2006-1-2T15:04:05Z` and the like as timestamps, which is
/// why kubectl prints `creationTimestamp: "2026-01-01T00:05:00Z"` quoted.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let date_end = s.find(['T', 't', ' ']).unwrap_or(s.len());
    let date = &s[5..date_end];
    let mut parts = date.split('-');
    let ok_num =
        |p: Option<&str>| p.is_some_and(|p| (1..=2).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit()));
    if !(ok_num(parts.next()) && ok_num(parts.next()) && parts.next().is_none()) {
        return false;
    }
    let time = &s[date_end..];
    time.is_empty() || time[1..].bytes().next().is_some_and(|c| c.is_ascii_digit())
}

/// Whether libyaml allows this string as a plain (unquoted) scalar in block context.
fn plain_allowed(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        let next = s.chars().nth(1);
        let ok_indicator = matches!(first, '-' | '?' | ':') && next.is_some_and(|c| c != ' ');
        if !ok_indicator {
            return false;
        }
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    s.chars().all(|c| !c.is_control() && c != '\u{feff}')
}

fn string_scalar(s: &str, indent: usize, column: usize) -> String {
    if resolves_to_non_string(s) {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        return fold(s, indent, column);
    }
    if s.chars().all(|c| !c.is_control()) {
        return fold(&format!("'{}'", s.replace('\'', "''")), indent, column);
    }
    double_quoted(s)
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Breaks a long scalar at single spaces once the line passes 80 columns, continuing on the
/// next line at `indent`, as libyaml's writer does for plain and single-quoted scalars.
fn fold(s: &str, indent: usize, column: usize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut col = column;
    let chars: Vec<char> = s.chars().collect();
    let mut prev_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_space = chars.get(i + 1) == Some(&' ');
            if !prev_space && col > BEST_WIDTH && !next_space && i + 1 < chars.len() {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', indent));
                col = indent;
            } else {
                out.push(c);
                col += 1;
            }
            prev_space = true;
        } else {
            out.push(c);
            col += 1;
            prev_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_shapes() {
        let v = json!({
            "apiVersion": "v1",
            "metadata": {"name": "web", "resourceVersion": "123", "labels": {"app": "web"}, "annotations": {}},
            "spec": {"containers": [{"name": "c", "image": "nginx", "args": ["a: b", "true"]}], "volumes": []},
            "status": {"phase": "Pending", "x": null}
        });
        assert_eq!(
            to_yaml(&v),
            "apiVersion: v1\nmetadata:\n  annotations: {}\n  labels:\n    app: web\n  name: web\n  resourceVersion: \"123\"\nspec:\n  containers:\n  - args:\n    - 'a: b'\n    - \"true\"\n    image: nginx\n    name: c\n  volumes: []\nstatus:\n  phase: Pending\n  x: null\n"
        );
    }

    #[test]
    fn timestamps_are_quoted() {
        assert_eq!(
            to_yaml(&json!({"t": "2026-01-01T00:05:00Z", "d": "2026-1-2", "x": "2026-01-0x"})),
            "d: \"2026-1-2\"\nt: \"2026-01-01T00:05:00Z\"\nx: 2026-01-0x\n"
        );
    }

    #[test]
    fn literal_blocks_and_folding() {
        let v = json!({"a": "x\ny\n", "m": "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."});
        let y = to_yaml(&v);
        assert!(y.starts_with("a: |\n  x\n  y\n"), "{y}");
        // libyaml breaks at the first space once past column 80.
        assert!(
            y.contains("m: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available:\n  3 No"),
            "{y}"
        );
    }
}
