//! `-o go-template=...` and `-o go-template-file=` (cli-runtime printers/template.go): Go's
//! `text/template` run over the object as `json.Unmarshal` gives it to the engine, so every
//! number is a float64 (printed `3`, or `1e+06` from a million on), a missing key prints
//! `<no value>` (kubectl allows missing keys by default), maps print as `map[k:v]` in key
//! order, and kubectl's `base64decode` and `exists` join Go's own functions.

mod parse;

use std::fmt::Write as _;

use base64::Engine as _;
use serde_json::{Map, Value};

use parse::{Arg, Command, Node, Pipe, Term};

/// A parsed template.
pub struct GoTemplate {
    source: String,
    nodes: Vec<Node>,
}

/// A value in the engine, with Go's distinctions that JSON lacks.
#[derive(Clone, Debug, PartialEq)]
enum V {
    /// An invalid reflect.Value: a missing key, a JSON null.
    NoValue,
    Bool(bool),
    /// A literal in the template.
    Int(i64),
    /// Every JSON number.
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(Map<String, Value>),
}

impl V {
    fn of(v: &Value) -> V {
        match v {
            Value::Null => V::NoValue,
            Value::Bool(b) => V::Bool(*b),
            // apimachinery's json.Unmarshal makes whole numbers int64, the rest float64.
            Value::Number(n) => match n.as_i64() {
                Some(i) => V::Int(i),
                None => V::Float(n.as_f64().unwrap_or(0.0)),
            },
            Value::String(s) => V::Str(s.clone()),
            Value::Array(a) => V::List(a.clone()),
            Value::Object(m) => V::Map(m.clone()),
        }
    }

    /// Go's name of the type, for errors.
    fn type_name(&self) -> &'static str {
        match self {
            V::NoValue => "<nil>",
            V::Bool(_) => "bool",
            V::Int(_) => "int",
            V::Float(_) => "float64",
            V::Str(_) => "string",
            V::List(_) => "[]interface {}",
            V::Map(_) => "map[string]interface {}",
        }
    }

    fn truth(&self) -> bool {
        match self {
            V::NoValue => false,
            V::Bool(b) => *b,
            V::Int(i) => *i != 0,
            V::Float(f) => *f != 0.0,
            V::Str(s) => !s.is_empty(),
            V::List(l) => !l.is_empty(),
            V::Map(m) => !m.is_empty(),
        }
    }

    /// `fmt.Print` of the value, as the template writes it.
    fn print(&self) -> String {
        match self {
            V::NoValue => "<no value>".into(),
            other => fmt_value(&other.to_json(), other),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            V::NoValue => Value::Null,
            V::Bool(b) => Value::Bool(*b),
            V::Int(i) => Value::from(*i),
            V::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            V::Str(s) => Value::String(s.clone()),
            V::List(l) => Value::Array(l.clone()),
            V::Map(m) => Value::Object(m.clone()),
        }
    }
}

/// `%+v` of the data the engine was given.
pub fn go_print(v: &Value) -> String {
    fmt_json(v)
}

/// `%v` of a value inside a collection (nil is `<nil>` there).
fn fmt_json(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => go_float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(fmt_json).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys.iter().map(|k| format!("{k}:{}", fmt_json(&m[*k]))).collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

fn fmt_value(json: &Value, v: &V) -> String {
    match v {
        V::Int(i) => i.to_string(),
        _ => fmt_json(json),
    }
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): the shortest digits that
/// read back the same, with an exponent when the decimal exponent is below -4 or from 6 up
/// (`1e+06`, `1.234567e+06`, but `123456`).
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Shortest round-trip digits and decimal exponent, from Rust's `{:e}`.
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let sign = if neg { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        // d.ddde±XX, at least two exponent digits.
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let (es, ev) = if exp < 0 { ('-', -exp) } else { ('+', exp) };
        return format!("{sign}{first}{frac}e{es}{ev:02}");
    }
    if exp < 0 {
        let zeros = "0".repeat(usize::try_from(-exp - 1).unwrap_or(0));
        return format!("{sign}0.{zeros}{digits}");
    }
    let point = usize::try_from(exp + 1).unwrap_or(0);
    if digits.len() <= point {
        format!("{sign}{digits}{}", "0".repeat(point - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..point], &digits[point..])
    }
}

fn int(n: usize) -> V {
    V::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

enum Flow {
    Normal,
    Break,
    Continue,
}

struct Exec<'a> {
    source: &'a str,
    root: V,
    vars: Vec<(String, V)>,
    out: String,
}

impl GoTemplate {
    pub fn parse(source: &str) -> Result<GoTemplate, String> {
        Ok(GoTemplate {
            source: source.to_string(),
            nodes: parse::parse(source)?,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Runs the template over `data`. The error is Go's, as kubectl wraps it
    /// (`error executing template "T": template: output:1:2: executing "output" at <.a>: ...`).
    pub fn execute(&self, data: &Value) -> Result<String, String> {
        let root = V::of(data);
        let mut e = Exec {
            source: &self.source,
            root: root.clone(),
            vars: vec![(String::new(), root.clone())],
            out: String::new(),
        };
        match e.walk(&root, &self.nodes) {
            Ok(_) => Ok(e.out),
            Err(msg) => Err(msg),
        }
    }
}

impl Exec<'_> {
    fn error(&self, pos: usize, at: &str, msg: &str) -> String {
        let before = &self.source[..pos.min(self.source.len())];
        let line = 1 + before.matches('\n').count();
        let col = before.rfind('\n').map_or(pos, |n| pos - n - 1);
        format!("template: output:{line}:{col}: executing \"output\" at <{at}>: {msg}")
    }

    fn walk(&mut self, dot: &V, nodes: &[Node]) -> Result<Flow, String> {
        for n in nodes {
            match n {
                Node::Text(t) => self.out.push_str(t),
                Node::Action(p) => {
                    let v = self.pipe(dot, p)?;
                    if p.decl.is_empty() {
                        self.out.push_str(&v.print());
                    }
                }
                Node::If(p, body, els) | Node::With(p, body, els) => {
                    let mark = self.vars.len();
                    let v = self.pipe(dot, p)?;
                    let flow = if v.truth() {
                        let inner = if matches!(n, Node::With(..)) { v } else { dot.clone() };
                        self.walk(&inner, body)?
                    } else {
                        self.walk(dot, els)?
                    };
                    self.vars.truncate(mark);
                    if !matches!(flow, Flow::Normal) {
                        return Ok(flow);
                    }
                }
                Node::Range(p, body, els) => {
                    let mark = self.vars.len();
                    let cmds = Pipe {
                        decl: Vec::new(),
                        assign: false,
                        cmds: p.cmds.clone(),
                    };
                    let v = self.pipe(dot, &cmds)?;
                    let items: Vec<(V, V)> = match &v {
                        V::List(l) => l.iter().enumerate().map(|(i, x)| (int(i), V::of(x))).collect(),
                        V::Map(m) => {
                            let mut keys: Vec<&String> = m.keys().collect();
                            keys.sort();
                            keys.into_iter().map(|k| (V::Str(k.clone()), V::of(&m[k]))).collect()
                        }
                        V::Int(n) => (0..*n).map(|i| (V::Int(i), V::Int(i))).collect(),
                        V::NoValue => Vec::new(),
                        other => {
                            let at = p.cmds.first().map_or("", |c| c.text.as_str());
                            let pos = p.cmds.first().map_or(0, |c| c.pos);
                            return Err(self.error(pos, at, &format!("range can't iterate over {}", other.print())));
                        }
                    };
                    if items.is_empty() {
                        self.walk(dot, els)?;
                    }
                    for (k, item) in items {
                        let inner = self.vars.len();
                        match p.decl.as_slice() {
                            [one] => self.vars.push((one.clone(), item.clone())),
                            [a, b, ..] => {
                                self.vars.push((a.clone(), k));
                                self.vars.push((b.clone(), item.clone()));
                            }
                            [] => {}
                        }
                        let flow = self.walk(&item, body)?;
                        self.vars.truncate(inner);
                        if matches!(flow, Flow::Break) {
                            break;
                        }
                    }
                    self.vars.truncate(mark);
                }
                Node::Break => return Ok(Flow::Break),
                Node::Continue => return Ok(Flow::Continue),
            }
        }
        Ok(Flow::Normal)
    }

    fn pipe(&mut self, dot: &V, p: &Pipe) -> Result<V, String> {
        let mut v: Option<V> = None;
        for c in &p.cmds {
            v = Some(self.command(dot, c, v)?);
        }
        let v = v.unwrap_or(V::NoValue);
        for name in &p.decl {
            if p.assign {
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = v.clone(),
                    None => return Err(format!("template: output:1: undefined variable: ${name}")),
                }
            } else {
                self.vars.push((name.clone(), v.clone()));
            }
        }
        Ok(v)
    }

    fn command(&mut self, dot: &V, c: &Command, piped: Option<V>) -> Result<V, String> {
        let first = &c.args[0];
        if let Term::Func(name) = &first.term {
            let mut args = Vec::new();
            for a in &c.args[1..] {
                args.push(self.arg(dot, a)?);
            }
            if let Some(p) = piped {
                args.push(p);
            }
            return self
                .call(name, args)
                .map_err(|m| self.error(first.pos, &c.text, &format!("error calling {name}: {m}")));
        }
        if c.args.len() > 1 || piped.is_some() {
            return Err(self.error(
                first.pos,
                &c.text,
                &format!("can't give argument to non-function {}", first.text),
            ));
        }
        self.arg(dot, first)
    }

    fn arg(&mut self, dot: &V, a: &Arg) -> Result<V, String> {
        let mut v = match &a.term {
            Term::Dot => dot.clone(),
            Term::Var(name) => match self.vars.iter().rev().find(|(n, _)| n == name) {
                Some((_, v)) => v.clone(),
                None if name.is_empty() => self.root.clone(),
                None => return Err(format!("template: output:1: undefined variable: ${name}")),
            },
            Term::Str(s) => V::Str(s.clone()),
            Term::Int(i) => V::Int(*i),
            Term::Float(f) => V::Float(*f),
            Term::Bool(b) => V::Bool(*b),
            Term::Nil => return Err(self.error(a.pos, &a.text, "nil is not a command")),
            Term::Func(name) => self
                .call(name, Vec::new())
                .map_err(|m| self.error(a.pos, &a.text, &m))?,
            Term::Pipe(p) => self.pipe(dot, p)?,
        };
        for f in &a.fields {
            v = match v {
                V::Map(m) => m.get(f).map_or(V::NoValue, V::of),
                V::NoValue => V::NoValue,
                // The values come out of a map of `interface {}`; Go reports the chain at
                // its last field.
                _ => {
                    let last = a.pos + a.text.rfind('.').unwrap_or(0);
                    return Err(self.error(
                        last,
                        &a.text,
                        &format!("can't evaluate field {f} in type interface {{}}"),
                    ));
                }
            };
        }
        Ok(v)
    }

    fn call(&mut self, name: &str, args: Vec<V>) -> Result<V, String> {
        let want = |n: usize| -> Result<(), String> {
            if args.len() == n {
                Ok(())
            } else {
                Err(format!("wrong number of args for {name}: want {n} got {}", args.len()))
            }
        };
        match name {
            "not" => {
                want(1)?;
                Ok(V::Bool(!args[0].truth()))
            }
            "and" | "or" => {
                if args.is_empty() {
                    return Err(format!("wrong number of args for {name}: want at least 1 got 0"));
                }
                let stop = |v: &V| if name == "and" { !v.truth() } else { v.truth() };
                let last = args.len() - 1;
                for (i, v) in args.iter().enumerate() {
                    if stop(v) || i == last {
                        return Ok(v.clone());
                    }
                }
                Ok(V::NoValue)
            }
            "len" => {
                want(1)?;
                match &args[0] {
                    V::Str(s) => Ok(int(s.len())),
                    V::List(l) => Ok(int(l.len())),
                    V::Map(m) => Ok(int(m.len())),
                    V::NoValue => Err("len of nil pointer".into()),
                    other => Err(format!("len of type {}", other.type_name())),
                }
            }
            "index" => {
                let Some((item, keys)) = args.split_first() else {
                    return Err("wrong number of args for index: want at least 1 got 0".into());
                };
                let mut v = item.clone();
                for k in keys {
                    v = match (&v, k) {
                        (V::Map(m), V::Str(s)) => m.get(s).map_or(V::NoValue, V::of),
                        (V::Map(_), other) => {
                            return Err(format!("value has type {}; should be string", other.type_name()));
                        }
                        (V::List(l), V::Int(i)) => {
                            let idx = usize::try_from(*i).ok().filter(|i| *i < l.len());
                            match idx {
                                Some(i) => V::of(&l[i]),
                                None => return Err(format!("index out of range: {i}")),
                            }
                        }
                        (V::List(_), other) => {
                            return Err(format!("cannot index slice/array with type {}", other.type_name()));
                        }
                        (V::NoValue, _) => return Err("index of untyped nil".into()),
                        (other, _) => return Err(format!("can't index item of type {}", other.type_name())),
                    };
                }
                Ok(v)
            }
            "exists" => {
                let Some((item, keys)) = args.split_first() else {
                    return Ok(V::Bool(false));
                };
                let mut v = item.clone();
                for k in keys {
                    v = match (&v, k) {
                        (V::Map(m), V::Str(s)) => match m.get(s) {
                            Some(x) => V::of(x),
                            None => return Ok(V::Bool(false)),
                        },
                        (V::List(l), V::Int(i)) => match usize::try_from(*i).ok().and_then(|i| l.get(i)) {
                            Some(x) => V::of(x),
                            None => return Ok(V::Bool(false)),
                        },
                        _ => return Ok(V::Bool(false)),
                    };
                }
                Ok(V::Bool(true))
            }
            "base64decode" => {
                want(1)?;
                let V::Str(s) = &args[0] else {
                    return Err(format!(
                        "wrong type for value; expected string; got {}",
                        args[0].type_name()
                    ));
                };
                match base64::engine::general_purpose::STANDARD.decode(s) {
                    Ok(bytes) => Ok(V::Str(String::from_utf8_lossy(&bytes).into_owned())),
                    Err(e) => Err(format!("base64 decode failed: {}", go_base64_error(&e, s))),
                }
            }
            "print" | "println" => {
                let mut s = String::new();
                for (i, a) in args.iter().enumerate() {
                    // Print puts spaces between operands when neither is a string; Println
                    // always does.
                    let strings = matches!(a, V::Str(_)) || i > 0 && matches!(args[i - 1], V::Str(_));
                    if i > 0 && (name == "println" || !strings) {
                        s.push(' ');
                    }
                    s.push_str(&arg_text(a));
                }
                if name == "println" {
                    s.push('\n');
                }
                Ok(V::Str(s))
            }
            "printf" => {
                let Some((V::Str(f), rest)) = args.split_first() else {
                    return Err("wrong type for value; expected string".into());
                };
                Ok(V::Str(sprintf(f, rest)))
            }
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
                if args.len() < 2 {
                    return Err("missing argument for comparison".into());
                }
                if name == "eq" {
                    for b in &args[1..] {
                        if compare(&args[0], b)?.is_some_and(std::cmp::Ordering::is_eq) {
                            return Ok(V::Bool(true));
                        }
                    }
                    return Ok(V::Bool(false));
                }
                want(2)?;
                let ord = compare(&args[0], &args[1])?;
                let ord = match (name, ord) {
                    ("ne", None) => return Ok(V::Bool(true)),
                    (_, None) => return Err("invalid type for comparison".into()),
                    (_, Some(o)) => o,
                };
                Ok(V::Bool(match name {
                    "ne" => ord.is_ne(),
                    "lt" => ord.is_lt(),
                    "le" => ord.is_le(),
                    "gt" => ord.is_gt(),
                    _ => ord.is_ge(),
                }))
            }
            other => Err(format!("{other} is not available in Kubeplay's templates")),
        }
    }
}

/// Go's comparison: like kinds only (ints with ints, floats with floats, strings, bools);
/// `None` for values that are equal-comparable but unordered.
fn compare(a: &V, b: &V) -> Result<Option<std::cmp::Ordering>, String> {
    match (a, b) {
        (V::Int(x), V::Int(y)) => Ok(Some(x.cmp(y))),
        (V::Float(x), V::Float(y)) => Ok(x.partial_cmp(y)),
        (V::Str(x), V::Str(y)) => Ok(Some(x.cmp(y))),
        (V::Bool(x), V::Bool(y)) => Ok((x == y).then_some(std::cmp::Ordering::Equal)),
        (V::NoValue, _) | (_, V::NoValue) => Err("invalid type for comparison".into()),
        _ => Err("incompatible types for comparison".into()),
    }
}

/// An operand as `fmt.Sprint` writes it.
fn arg_text(v: &V) -> String {
    match v {
        V::NoValue => "<nil>".into(),
        other => other.print(),
    }
}

/// `fmt.Sprintf` for the verbs templates use: %s %v %d %q %f %t %x %%, with width and `-`.
fn sprintf(f: &str, args: &[V]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut left = false;
        let mut zero = false;
        while let Some(&fl) = chars.peek() {
            match fl {
                '-' => left = true,
                '0' => zero = true,
                '+' | ' ' | '#' => {}
                _ => break,
            }
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut prec: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            prec = Some(p.parse().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(a) = args.next() else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        let text = match (verb, a) {
            ('d', V::Int(i)) => i.to_string(),
            ('d', V::Float(x)) => format!("%!d(float64={})", go_float(*x)),
            ('f' | 'F', V::Float(x)) => format!("{:.*}", prec.unwrap_or(6), x),
            ('f' | 'F', V::Int(i)) => format!("%!f(int={i})"),
            ('q', V::Str(s)) => serde_json::to_string(s).unwrap_or_default(),
            ('x', V::Int(i)) => format!("{i:x}"),
            ('x', V::Str(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
            ('t', V::Bool(b)) => b.to_string(),
            ('s' | 'v', other) => {
                let t = arg_text(other);
                match prec {
                    Some(p) if verb == 's' => t.chars().take(p).collect(),
                    _ => t,
                }
            }
            (verb, other) => format!("%!{verb}({}={})", other.type_name(), arg_text(other)),
        };
        let w: usize = width.parse().unwrap_or(0);
        let n = text.chars().count();
        if n < w {
            let pad = w - n;
            if left {
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', pad));
            } else {
                out.extend(std::iter::repeat_n(if zero { '0' } else { ' ' }, pad));
                out.push_str(&text);
            }
        } else {
            out.push_str(&text);
        }
    }
    let extra: Vec<String> = args.map(|a| format!("{}={}", a.type_name(), arg_text(a))).collect();
    if !extra.is_empty() {
        let _ = write!(out, "%!(EXTRA {})", extra.join(", "));
    }
    out
}

/// `base64.CorruptInputError`'s text: the offset of the first bad byte, or of the quantum
/// the input ended in.
fn go_base64_error(e: &base64::DecodeError, input: &str) -> String {
    let at = match e {
        base64::DecodeError::InvalidByte(i, _) | base64::DecodeError::InvalidLastSymbol(i, _) => *i,
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => {
            input.trim_end_matches('=').len() / 4 * 4
        }
    };
    format!("illegal base64 data at input byte {at}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(t: &str, data: &Value) -> String {
        match GoTemplate::parse(t).and_then(|g| g.execute(data)) {
            Ok(s) => s,
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn the_forms_the_docs_use() {
        let list = json!({"kind": "List", "items": [
            {"metadata": {"name": "a"}, "spec": {"ports": [{"nodePort": 30080}]}},
            {"metadata": {"name": "b"}}
        ]});
        assert_eq!(
            run("{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}", &list),
            "a\nb\n"
        );
        assert_eq!(
            run("{{(index (index .items 0).spec.ports 0).nodePort}}", &list),
            "30080"
        );
        assert_eq!(run("{{len .items}}", &list), "2");
        let secret = json!({"data": {"password": "MWYyZDFlMmU2N2Rm"}});
        assert_eq!(
            run("{{index .data \"password\" | base64decode}}", &secret),
            "1f2d1e2e67df"
        );
        assert_eq!(run("{{.data.password | base64decode}}", &secret), "1f2d1e2e67df");
        assert_eq!(
            run("{{range $k, $v := .data}}{{$k}}={{$v}}{{end}}", &secret),
            "password=MWYyZDFlMmU2N2Rm"
        );
    }

    #[test]
    fn go_printing() {
        let d = json!({"n": 1000000, "m": 123456, "f": 0.5, "o": {"b": 1, "a": [1, null]}, "z": null});
        assert_eq!(run("{{.n}} {{.m}} {{.f}}", &d), "1000000 123456 0.5");
        assert_eq!(run("{{.o}}", &d), "map[a:[1 <nil>] b:1]");
        assert_eq!(
            run("{{.missing}} {{.z}} {{.missing.deeper}}", &d),
            "<no value> <no value> <no value>"
        );
        assert_eq!(run("{{printf \"%-4s|%d\" \"ab\" 7}}", &d), "ab  |7");
        assert_eq!(run("{{if eq .m 123456}}x{{end}}", &d), "x");
        assert_eq!(
            run("{{if eq .f 3}}x{{end}}", &d),
            "ERR template: output:1:5: executing \"output\" at <eq .f 3>: error calling eq: incompatible types for comparison"
        );
        assert_eq!(
            run("{{.f.foo}}", &d),
            "ERR template: output:1:4: executing \"output\" at <.f.foo>: can't evaluate field foo in type interface {}"
        );
        assert_eq!(run("{{if gt (len .o.a) 1}}many{{else}}few{{end}}", &d), "many");
    }

    #[test]
    fn go_floats() {
        for (f, s) in [
            (3.0, "3"),
            (1e6, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5, "1.5"),
            (-2.0, "-2"),
            (100000.0, "100000"),
            (1e21, "1e+21"),
        ] {
            assert_eq!(go_float(f), s, "{f}");
        }
    }
}
