//! JSONPath templates as kubectl evaluates them (k8s.io/client-go/util/jsonpath: parser.go,
//! jsonpath.go): text with `{...}` actions holding paths (`.a.b`, `..name`, `['key.with.dots']`,
//! `[0]`, `[-1]`, `[1:3]`, `[*]`, `[0,2]`, `[?(@.type=="Ready")]`), quoted literals
//! (`{"\n"}`), and `{range PATH}...{end}`. kubectl allows missing keys: a path that leads nowhere
//! prints nothing. A result that is a map or a list prints as compact JSON, a string as itself,
//! several results of one action are joined by spaces.

use serde_json::Value;

mod parse;

use parse::Parser;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Step {
    Field(String),
    /// `.*` or `[*]`: every value of a map or list.
    Wildcard,
    /// `..`: the value and everything under it.
    Recursive,
    /// `[a:b:c]` with Go's slice defaults; a single index is `Slice(i, i+1)`-like.
    Index(Vec<Subscript>),
    /// `['a','b']`: fields by quoted name.
    Names(Vec<String>),
    Filter(Box<Filter>),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Subscript {
    One(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Operand {
    Path(Vec<Step>),
    Literal(Value),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Filter {
    pub(super) left: Operand,
    /// None: the left path must lead somewhere.
    pub(super) op: Option<(String, Operand)>,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Node {
    Text(String),
    /// `{end}` outside a range.
    StrayEnd,
    Path(Vec<Step>),
    Range(Vec<Step>, Vec<Node>),
}

/// A parsed template.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonPath {
    nodes: Vec<Node>,
}

impl JsonPath {
    /// Parses a template; the error is the parser's text, as kubectl wraps it in
    /// `error parsing jsonpath <template>, <error>`.
    pub fn parse(template: &str) -> Result<JsonPath, String> {
        let mut p = Parser {
            s: template.as_bytes(),
            text: template,
            i: 0,
            in_filter: false,
        };
        let (nodes, _) = p.nodes(0, false)?;
        Ok(JsonPath { nodes })
    }

    /// The values each action found, in order: what custom columns and `--sort-by` read.
    pub fn find(&self, root: &Value) -> Result<Vec<Value>, String> {
        let mut out = Vec::new();
        for n in &self.nodes {
            match n {
                Node::Path(p) => out.extend(walk(p, root)?.into_iter().cloned()),
                Node::StrayEnd => return Err("not in range, nothing to end".into()),
                _ => {}
            }
        }
        Ok(out)
    }

    /// The template's output for one object (`-o jsonpath`), or the execution error.
    pub fn render(&self, root: &Value) -> Result<String, String> {
        let mut out = String::new();
        render_nodes(&self.nodes, root, &mut out)?;
        Ok(out)
    }
}

fn render_nodes(nodes: &[Node], cur: &Value, out: &mut String) -> Result<(), String> {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::StrayEnd => return Err("not in range, nothing to end".into()),
            Node::Path(p) => {
                let results = walk(p, cur)?;
                for (i, v) in results.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(&text_of(v));
                }
            }
            Node::Range(p, body) => {
                for v in walk(p, cur)? {
                    render_nodes(body, v, out)?;
                }
            }
        }
    }
    Ok(())
}

/// How one result prints: maps and lists as compact JSON, `null` for nothing, the rest bare.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Object(_) | Value::Array(_) => serde_json::to_string(v).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// The Go type of a decoded JSON value, as the engine's errors name it.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Null => "interface {}",
    }
}

fn walk<'v>(steps: &[Step], root: &'v Value) -> Result<Vec<&'v Value>, String> {
    let mut cur: Vec<&'v Value> = vec![root];
    for step in steps {
        let mut next = Vec::new();
        for v in cur {
            // `template.Indirect`: a null is skipped by every step.
            if !v.is_null() {
                apply(step, v, &mut next)?;
            }
        }
        cur = next;
    }
    Ok(cur)
}

fn apply<'v>(step: &Step, v: &'v Value, out: &mut Vec<&'v Value>) -> Result<(), String> {
    match step {
        Step::Field(name) => {
            if let Some(x) = v.as_object().and_then(|m| m.get(name)) {
                out.push(x);
            }
        }
        Step::Names(names) => {
            for name in names {
                // A quoted key is read as the path `.key`: its dots separate fields.
                let steps: Vec<Step> = split_unescaped(name).into_iter().map(Step::Field).collect();
                out.extend(walk(&steps, v)?);
            }
        }
        Step::Wildcard => match v {
            Value::Object(m) => out.extend(m.values()),
            Value::Array(a) => out.extend(a.iter()),
            _ => {}
        },
        Step::Recursive => descend(v, out),
        Step::Index(subs) => {
            let Some(a) = v.as_array() else {
                return Err(format!("{} is not array or slice", go_type(v)));
            };
            let len = i64::try_from(a.len()).unwrap_or(i64::MAX);
            for sub in subs {
                // evalArray: a single index is the slice [i, i+1).
                let (start, end, step) = match *sub {
                    Subscript::One(i) => {
                        let i = if i < 0 { i.saturating_add(len) } else { i };
                        (i, i.saturating_add(1), None)
                    }
                    Subscript::Slice(s, e, st) => {
                        let s = s.map_or(0, |s| if s < 0 { s.saturating_add(len) } else { s });
                        let e = e.map_or(len, |e| if e < 0 { e.saturating_add(len) } else { e });
                        (s, e, st)
                    }
                };
                if start == end {
                    continue;
                }
                if start >= len || start < 0 {
                    return Err(format!("array index out of bounds: index {start}, length {len}"));
                }
                if end > len || end < 0 {
                    return Err(format!(
                        "array index out of bounds: index {}, length {len}",
                        end.saturating_sub(1)
                    ));
                }
                if start > end {
                    return Err(format!("starting index {start} is greater than ending index {end}"));
                }
                let step = match step {
                    Some(st) if st <= 0 => return Err("step must be > 0".into()),
                    Some(st) => st,
                    None => 1,
                };
                let mut i = start;
                while i < end {
                    if let Some(x) = usize::try_from(i).ok().and_then(|i| a.get(i)) {
                        out.push(x);
                    }
                    i = i.saturating_add(step);
                }
            }
        }
        Step::Filter(f) => {
            let Some(items) = v.as_array() else {
                return Err(format!("{} is not array or slice and cannot be filtered", go_value(v)));
            };
            for item in items {
                if holds(f, item)? {
                    out.push(item);
                }
            }
        }
    }
    Ok(())
}

/// A quoted key's fields: split at dots that are not escaped, backslashes dropped.
fn split_unescaped(key: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = key.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(n), Some(last)) = (chars.next(), fields.last_mut()) {
                    last.push(n);
                }
            }
            '.' => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields.retain(|f| !f.is_empty());
    fields
}

/// `evalRecursive`: every map and list under the value, itself first.
fn descend<'v>(v: &'v Value, out: &mut Vec<&'v Value>) {
    let children: Vec<&'v Value> = match v {
        Value::Object(m) => m.values().collect(),
        Value::Array(a) => a.iter().collect(),
        _ => Vec::new(),
    };
    if children.is_empty() {
        return;
    }
    out.push(v);
    for c in children {
        if !c.is_null() {
            descend(c, out);
        }
    }
}

fn operand_values(o: &Operand, item: &Value) -> Result<Vec<Value>, String> {
    Ok(match o {
        Operand::Literal(v) => vec![v.clone()],
        Operand::Path(p) => walk(p, item)?.into_iter().cloned().collect(),
    })
}

fn holds(f: &Filter, item: &Value) -> Result<bool, String> {
    let left = operand_values(&f.left, item)?;
    let Some((op, right)) = &f.op else {
        return Ok(left.iter().any(|v| !v.is_null()));
    };
    let right = operand_values(right, item)?;
    let (Some(l), Some(r)) = (left.first(), right.first()) else {
        return Ok(false);
    };
    let ord = match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.as_f64().zip(b.as_f64()).and_then(|(a, b)| a.partial_cmp(&b)),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    };
    let Some(ord) = ord else {
        return Ok(op == "!=");
    };
    Ok(match op.as_str() {
        "==" => ord.is_eq(),
        "!=" => ord.is_ne(),
        "<" => ord.is_lt(),
        ">" => ord.is_gt(),
        "<=" => ord.is_le(),
        ">=" => ord.is_ge(),
        _ => false,
    })
}

/// Go's `%#v` of a decoded JSON value, as kubectl dumps the object after a failed template.
pub fn go_sharp_v(v: &Value) -> String {
    match v {
        Value::Null => "interface {}(nil)".into(),
        Value::String(s) => crate::api::errors::go_quote(s),
        Value::Array(a) => format!(
            "[]interface {{}}{{{}}}",
            a.iter().map(go_sharp_v).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "map[string]interface {{}}{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}:{}", crate::api::errors::go_quote(k), go_sharp_v(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// `JSONPathPrinter.PrintObj`'s error when a template fails on an object.
pub fn execution_error(template: &str, err: &str, object: &Value) -> String {
    format!(
        "error: error executing jsonpath {}: Error executing template: {err}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
        crate::api::errors::go_quote(template),
        go_sharp_v(object)
    )
}

/// `RelaxedJSONPathExpression`: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all mean `{.a.b}`.
pub fn relaxed(expr: &str) -> Result<String, String> {
    if expr.is_empty() {
        return Ok(String::new());
    }
    let inner = match expr.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
        Some(i) => i,
        None => expr,
    };
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    if inner.is_empty() || inner.contains(['{', '}']) {
        return Err(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
                .into(),
        );
    }
    Ok(format!("{{.{inner}}}"))
}

/// Go's `%v` of a decoded JSON value, as custom columns print a cell: `map[a:b]`, `[x y]`.
pub fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => format!(
            "map[{}]",
            m.iter()
                .map(|(k, v)| format!("{k}:{}", go_value(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pods() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "web"}},
             "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
                        "containerStatuses": [{"restartCount": 2}]}},
            {"metadata": {"name": "b"}, "status": {"phase": "Pending",
             "conditions": [{"type": "Ready", "status": "False"}]}}
        ]})
    }

    fn run(t: &str) -> String {
        match JsonPath::parse(t) {
            Ok(p) => p.render(&pods()).unwrap_or_else(|e| format!("EXEC {e}")),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn paths_ranges_and_literals() {
        assert_eq!(run("{.items[*].metadata.name}"), "a b");
        assert_eq!(run("{.items[0].status.phase}"), "Running");
        assert_eq!(run("{.items[-1].metadata.name}"), "b");
        assert_eq!(run("{.items[0:1].metadata.name}"), "a");
        assert_eq!(
            run("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}"),
            "a\tRunning\nb\tPending\n"
        );
        assert_eq!(run("{..restartCount}"), "2");
        // A quoted key is a path: its dots split it, as client-go reads it.
        assert_eq!(run("{.items[0].metadata.labels['app.kubernetes.io/name']}"), "");
        assert_eq!(run("{.items[0].metadata['name','nothing']}"), "a");
        assert_eq!(run("{.items[0].metadata.labels.app\\.kubernetes\\.io/name}"), "web");
        assert_eq!(
            run("{.items[0].status.conditions}"),
            r#"[{"status":"True","type":"Ready"}]"#
        );
        assert_eq!(run("{.nothing.here}"), "");
        assert_eq!(run("name: {.items[1].metadata.name}"), "name: b");
    }

    #[test]
    fn filters() {
        assert_eq!(run("{.items[?(@.status.phase==\"Running\")].metadata.name}"), "a");
        assert_eq!(
            run("{.items[*].status.conditions[?(@.type=='Ready')].status}"),
            "True False"
        );
        assert_eq!(run("{.items[?(@.status.containerStatuses)].metadata.name}"), "a");
        assert_eq!(
            run("{.items[?(@.status.containerStatuses[0].restartCount > 1)].metadata.name}"),
            "a"
        );
    }

    #[test]
    fn errors_are_the_parser_s() {
        assert_eq!(run("{.items"), "ERR unclosed action");
        assert_eq!(run("{.items[0}"), "ERR unterminated array");
        assert_eq!(run("{range .items[*]}{.metadata.name}"), "ab");
        assert_eq!(run("{end}"), "EXEC not in range, nothing to end");
        assert_eq!(run("{.items[5]}"), "EXEC array index out of bounds: index 5, length 2");
        assert_eq!(
            run("{.items[0:5]}"),
            "EXEC array index out of bounds: index 4, length 2"
        );
        assert_eq!(run("{.kind[0]}"), "EXEC string is not array or slice");
        assert_eq!(run("{.items[ 'a' ]}"), "ERR invalid array index  'a' ");
        assert_eq!(run("{.items[x]}"), "ERR invalid array index x");
        assert_eq!(run("{.kind!}"), "");
        assert_eq!(run("{\"abc}"), "ERR unterminated quoted string");
    }

    #[test]
    fn go_dumps() {
        assert_eq!(
            go_sharp_v(&json!({"b": [1, "x", null], "a": true})),
            r#"map[string]interface {}{"a":true, "b":[]interface {}{1, "x", interface {}(nil)}}"#
        );
        assert_eq!(go_value(&json!({"b": "v", "a": [1, 2]})), "map[a:[1 2] b:v]");
    }

    #[test]
    fn relaxed_expressions() {
        assert_eq!(relaxed(".metadata.name").as_deref(), Ok("{.metadata.name}"));
        assert_eq!(relaxed("metadata.name").as_deref(), Ok("{.metadata.name}"));
        assert_eq!(relaxed("{.metadata.name}").as_deref(), Ok("{.metadata.name}"));
        assert!(relaxed("{a}{b}").is_err());
    }
}
