//! The template grammar of client-go's `util/jsonpath/parser.go`: text, `{...}` actions with
//! paths, literals and filters, and `{range}...{end}`.

use serde_json::Value;

use super::{Filter, Node, Operand, Step, Subscript};

/// Deepest nesting of filters and ranges a template may have.
const MAX_DEPTH: usize = 32;

pub(super) struct Parser<'a> {
    pub(super) s: &'a [u8],
    pub(super) text: &'a str,
    pub(super) i: usize,
    pub(super) in_filter: bool,
}

/// `isTerminator`: what ends a field name. Anything else belongs to it (`{.kind!}` looks up
/// `kind!`); inside a filter the comparison operators and parentheses end it too.
fn ends_field(c: u8, in_filter: bool) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b'\r' | b'.' | b',' | b'[' | b']' | b'$' | b'@' | b'{' | b'}'
    ) || (in_filter && matches!(c, b'=' | b'!' | b'<' | b'>' | b'(' | b')'))
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.i..).unwrap_or("")
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|c| c == b' ' || c == b'\t') {
            self.i += 1;
        }
    }

    /// The template: text and actions, until `{end}` when inside a range.
    pub(super) fn nodes(&mut self, depth: usize, in_range: bool) -> Result<(Vec<Node>, bool), String> {
        if depth > MAX_DEPTH {
            return Err("template nested too deeply".into());
        }
        let mut nodes = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            if c != b'{' {
                let start = self.i;
                while self.peek().is_some_and(|c| c != b'{') {
                    self.i += 1;
                }
                text.push_str(self.text.get(start..self.i).unwrap_or(""));
                continue;
            }
            if !text.is_empty() {
                nodes.push(Node::Text(std::mem::take(&mut text)));
            }
            self.i += 1;
            self.skip_spaces();
            if self.rest().starts_with("end") && self.after_word("end") {
                self.i += 3;
                self.close_action()?;
                if !in_range {
                    // Found only when the template runs (an execution error).
                    nodes.push(Node::StrayEnd);
                    continue;
                }
                return Ok((nodes, true));
            }
            if self.rest().starts_with("range") && self.after_word("range") {
                self.i += 5;
                self.skip_spaces();
                let path = self.path(depth)?;
                self.close_action()?;
                // A range without `{end}` runs to the end of the template.
                let (body, _) = self.nodes(depth + 1, true)?;
                nodes.push(Node::Range(path, body));
                continue;
            }
            // An action: literals and paths until `}`.
            loop {
                self.skip_spaces();
                match self.peek() {
                    None => return Err("unclosed action".into()),
                    Some(b'}') => {
                        self.i += 1;
                        break;
                    }
                    Some(q @ (b'"' | b'\'')) => nodes.push(Node::Text(self.quoted(q)?)),
                    Some(_) => {
                        let path = self.path(depth)?;
                        if path.is_empty() {
                            let c = self.rest().chars().next().unwrap_or(' ');
                            return Err(format!(
                                "unrecognized character in action: U+{:04X} {c:?}",
                                u32::from(c)
                            ));
                        }
                        nodes.push(Node::Path(path));
                    }
                }
            }
        }
        if !text.is_empty() {
            nodes.push(Node::Text(text));
        }
        Ok((nodes, false))
    }

    fn after_word(&self, word: &str) -> bool {
        !self
            .s
            .get(self.i + word.len())
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    }

    fn close_action(&mut self) -> Result<(), String> {
        self.skip_spaces();
        if self.peek() == Some(b'}') {
            self.i += 1;
            Ok(())
        } else {
            Err("unclosed action".into())
        }
    }

    /// A quoted literal, unescaped as Go's `strconv.Unquote` does for the common escapes.
    fn quoted(&mut self, q: u8) -> Result<String, String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.rest().chars().next() else {
                return Err("unterminated quoted string".into());
            };
            self.i += c.len_utf8();
            if c == char::from(q) {
                return Ok(out);
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(e) = self.rest().chars().next() else {
                return Err("unterminated quoted string".into());
            };
            self.i += e.len_utf8();
            out.push(match e {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '0' => '\0',
                other => other,
            });
        }
    }

    /// `.a`, `..a`, `[...]`, `@`, `$` steps, until something else.
    fn path(&mut self, depth: usize) -> Result<Vec<Step>, String> {
        let mut steps = Vec::new();
        loop {
            match self.peek() {
                Some(b'@' | b'$') => self.i += 1,
                Some(b'.') => {
                    self.i += 1;
                    if self.peek() == Some(b'.') {
                        self.i += 1;
                        steps.push(Step::Recursive);
                    }
                    let name = self.field_name();
                    match name.as_str() {
                        "" => {}
                        "*" => steps.push(Step::Wildcard),
                        _ => steps.push(Step::Field(name)),
                    }
                }
                Some(b'[') => steps.push(self.subscript(depth)?),
                Some(c)
                    if steps.is_empty()
                        && !ends_field(c, self.in_filter)
                        && !matches!(c, b'"' | b'\'' | b'(' | b')' | b'=' | b'!' | b'<' | b'>')
                        && !c.is_ascii_digit()
                        && c != b'-' =>
                {
                    // A bare first field (`{metadata.name}` reads as `{.metadata.name}`).
                    let name = self.field_name();
                    if name == "*" {
                        steps.push(Step::Wildcard);
                    } else {
                        steps.push(Step::Field(name));
                    }
                }
                _ => return Ok(steps),
            }
        }
    }

    /// A field name; `\.` keeps a dot in it.
    fn field_name(&mut self) -> String {
        let mut name = String::new();
        loop {
            match self.peek() {
                Some(b'\\') => {
                    self.i += 1;
                    if let Some(c) = self.rest().chars().next() {
                        name.push(c);
                        self.i += c.len_utf8();
                    }
                }
                Some(c) if !ends_field(c, self.in_filter) => {
                    let ch = self.rest().chars().next().unwrap_or(' ');
                    name.push(ch);
                    self.i += ch.len_utf8();
                }
                _ => return name,
            }
        }
    }

    fn subscript(&mut self, depth: usize) -> Result<Step, String> {
        self.i += 1;
        if self.rest().starts_with("?(") {
            self.i += 2;
            let f = self.filter(depth + 1)?;
            self.skip_spaces();
            if !self.rest().starts_with(")]") {
                return Err("unterminated filter".into());
            }
            self.i += 2;
            return Ok(Step::Filter(Box::new(f)));
        }
        let start = self.i;
        while self.peek().is_some_and(|c| c != b']') {
            self.i += 1;
        }
        if self.peek().is_none() {
            return Err("unterminated array".into());
        }
        let inner = self.text.get(start..self.i).unwrap_or("").to_string();
        self.i += 1;
        if inner == "*" {
            return Ok(Step::Wildcard);
        }
        // `['a','b']`: a union; `['a.b']`: the path `.a.b` (a quoted key is not one field).
        let parts: Vec<&str> = inner.split(',').collect();
        let quoted = |p: &str| {
            p.strip_prefix('\'')
                .and_then(|p| p.strip_suffix('\''))
                .filter(|k| !k.contains('\''))
                .map(str::to_string)
        };
        if parts.iter().any(|p| quoted(p.trim()).is_some()) {
            let mut names = Vec::new();
            for part in &parts {
                let text = if parts.len() > 1 { part.trim() } else { part };
                match quoted(text) {
                    Some(k) => names.push(k),
                    None => return Err(format!("invalid array index {text}")),
                }
            }
            return Ok(Step::Names(names));
        }
        let mut subs = Vec::new();
        for part in parts {
            let part = if inner.contains(',') { part.trim() } else { part };
            let num = |s: &str| -> Result<Option<i64>, String> {
                if s.is_empty() {
                    return Ok(None);
                }
                s.parse::<i64>()
                    .map(Some)
                    .map_err(|_| format!("invalid array index {part}"))
            };
            let pieces: Vec<&str> = part.split(':').collect();
            match pieces.as_slice() {
                [one] => match num(one)? {
                    Some(n) => subs.push(Subscript::One(n)),
                    None => return Err(format!("invalid array index {part}")),
                },
                [a, b] => subs.push(Subscript::Slice(num(a)?, num(b)?, None)),
                [a, b, c] => subs.push(Subscript::Slice(num(a)?, num(b)?, num(c)?)),
                _ => return Err(format!("invalid array index {part}")),
            }
        }
        Ok(Step::Index(subs))
    }

    fn operand(&mut self, depth: usize) -> Result<Operand, String> {
        self.skip_spaces();
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => Ok(Operand::Literal(Value::String(self.quoted(q)?))),
            Some(c) if c.is_ascii_digit() || c == b'-' => {
                let start = self.i;
                self.i += 1;
                while self.peek().is_some_and(|c| c.is_ascii_digit() || c == b'.') {
                    self.i += 1;
                }
                let s = self.text.get(start..self.i).unwrap_or("");
                match s.parse::<i64>() {
                    Ok(n) => Ok(Operand::Literal(Value::from(n))),
                    Err(_) => s
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map(|n| Operand::Literal(Value::Number(n)))
                        .ok_or_else(|| format!("cannot parse number {s}")),
                }
            }
            _ if self.rest().starts_with("true") => {
                self.i += 4;
                Ok(Operand::Literal(Value::Bool(true)))
            }
            _ if self.rest().starts_with("false") => {
                self.i += 5;
                Ok(Operand::Literal(Value::Bool(false)))
            }
            _ => {
                let p = self.path(depth)?;
                if p.is_empty() && self.peek() != Some(b'@') {
                    return Err(format!("unrecognized filter operand at {:?}", self.rest()));
                }
                Ok(Operand::Path(p))
            }
        }
    }

    fn filter(&mut self, depth: usize) -> Result<Filter, String> {
        if depth > MAX_DEPTH {
            return Err("filter nested too deeply".into());
        }
        let outer = std::mem::replace(&mut self.in_filter, true);
        let f = self.filter_inner(depth);
        self.in_filter = outer;
        f
    }

    fn filter_inner(&mut self, depth: usize) -> Result<Filter, String> {
        let left = self.operand(depth)?;
        self.skip_spaces();
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.rest().starts_with(op) {
                self.i += op.len();
                let right = self.operand(depth)?;
                return Ok(Filter {
                    left,
                    op: Some((op.to_string(), right)),
                });
            }
        }
        Ok(Filter { left, op: None })
    }
}
