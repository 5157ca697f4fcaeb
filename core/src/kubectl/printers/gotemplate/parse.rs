//! The parser of Go's `text/template` for `-o go-template`: text and `{{actions}}` with trim
//! markers, comments, pipelines of commands with fields, variables, literals and
//! parenthesised pipelines, variable declarations, and `if`/`else if`/`else`, `range` (with
//! `$i, $v :=` and `else`), `with`, `break`, `continue`. `define`, `template` and `block` are
//! refused. Errors read as Go's (`template: output:1: unexpected EOF`).

/// A value an argument names.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    /// `.`
    Dot,
    /// `$name`, `$` itself as "".
    Var(String),
    /// A function's name.
    Func(String),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
    Pipe(Box<Pipe>),
}

/// One argument: a term and the fields read off it (`.a.b`, `$x.a`, `(pipe).a`).
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub term: Term,
    pub fields: Vec<String>,
    /// Where it starts in the template, and its text, for errors (`at <.a.b>`).
    pub pos: usize,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub args: Vec<Arg>,
    pub pos: usize,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pipe {
    /// Variables declared (`:=`) or assigned (`=`).
    pub decl: Vec<String>,
    pub assign: bool,
    pub cmds: Vec<Command>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Text(String),
    Action(Pipe),
    If(Pipe, Vec<Node>, Vec<Node>),
    Range(Pipe, Vec<Node>, Vec<Node>),
    With(Pipe, Vec<Node>, Vec<Node>),
    Break,
    Continue,
}

/// What Go's template package has as functions, and the two kubectl adds.
pub const FUNCS: &[&str] = &[
    "and",
    "or",
    "not",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "println",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "html",
    "js",
    "urlquery",
    "call",
    "base64decode",
    "exists",
];

fn err(src: &str, pos: usize, msg: &str) -> String {
    let line = 1 + src[..pos.min(src.len())].matches('\n').count();
    format!("template: output:{line}: {msg}")
}

/// An action's raw text and where it starts.
enum Item {
    Text(String),
    Action(String, usize),
}

/// Splits the template into text and actions, applying `{{-` and `-}}`.
fn items(src: &str) -> Result<Vec<Item>, String> {
    let mut out = Vec::new();
    let mut rest = 0;
    let mut trim_next = false;
    while let Some(open) = src[rest..].find("{{").map(|i| i + rest) {
        let mut text = &src[rest..open];
        if trim_next {
            text = text.trim_start();
        }
        let mut start = open + 2;
        let trim_before =
            src[start..].starts_with("- ") || src[start..].starts_with("-\t") || src[start..].starts_with("-\n");
        if trim_before {
            text = text.trim_end();
            start += 1;
        }
        if !text.is_empty() {
            out.push(Item::Text(text.to_string()));
        }
        // The action ends at the first `}}` outside a quoted string or comment.
        let end = close(src, start).ok_or_else(|| err(src, open, "unclosed action"))?;
        let mut inner_end = end;
        trim_next = false;
        let inner = &src[start..end];
        if inner.ends_with(" -") || inner.ends_with("\t-") || inner.ends_with("\n-") {
            inner_end = end - 1;
            trim_next = true;
        }
        out.push(Item::Action(src[start..inner_end].to_string(), start));
        rest = end + 2;
    }
    let mut text = &src[rest..];
    if trim_next {
        text = text.trim_start();
    }
    if !text.is_empty() {
        out.push(Item::Text(text.to_string()));
    }
    Ok(out)
}

fn close(src: &str, from: usize) -> Option<usize> {
    let b = src.as_bytes();
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'`' => {
                i += 1;
                while i < b.len() && b[i] != b'`' {
                    i += 1;
                }
            }
            b'/' if src[i..].starts_with("/*") => {
                i = src[i..].find("*/").map(|j| i + j + 1)?;
            }
            b'}' if src[i..].starts_with("}}") => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Dot,
    Field(String),
    Var(String),
    Ident(String),
    Str(String),
    Num(String),
    Open,
    Close,
    Bar,
    Declare,
    Assign,
    Comma,
}

/// Tokens of an action, each with its offset in the template.
/// Tokens with where each starts, and where each ends.
type Lexed = (Vec<(Tok, usize)>, Vec<usize>);

fn lex(src: &str, text: &str, base: usize) -> Result<Lexed, String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut ends = Vec::new();
    let mut i = 0;
    let ident = |i: usize| {
        let n = text[i..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(text.len() - i);
        (text[i..i + n].to_string(), i + n)
    };
    while i < b.len() {
        if ends.len() < out.len() {
            ends.push(base + i);
        }
        let c = b[i];
        let at = base + i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'(' => {
                out.push((Tok::Open, at));
                i += 1;
            }
            b')' => {
                out.push((Tok::Close, at));
                i += 1;
            }
            b'|' => {
                out.push((Tok::Bar, at));
                i += 1;
            }
            b',' => {
                out.push((Tok::Comma, at));
                i += 1;
            }
            b':' if text[i..].starts_with(":=") => {
                out.push((Tok::Declare, at));
                i += 2;
            }
            b'=' => {
                out.push((Tok::Assign, at));
                i += 1;
            }
            b'.' if b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') => {
                let (name, next) = ident(i + 1);
                out.push((Tok::Field(name), at));
                i = next;
            }
            b'.' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let n = text[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                    .unwrap_or(text.len() - i);
                out.push((Tok::Num(text[i..i + n].to_string()), at));
                i += n;
            }
            b'.' => {
                out.push((Tok::Dot, at));
                i += 1;
            }
            b'$' => {
                let (name, next) = ident(i + 1);
                out.push((Tok::Var(name), at));
                i = next;
            }
            b'"' => {
                let mut s = String::new();
                let mut j = i + 1;
                let mut chars = text[j..].char_indices();
                loop {
                    let Some((k, ch)) = chars.next() else {
                        return Err(err(src, at, "unterminated quoted string"));
                    };
                    match ch {
                        '"' => {
                            j += k + 1;
                            break;
                        }
                        '\\' => match chars.next().map(|(_, e)| e) {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some('r') => s.push('\r'),
                            Some('\\') => s.push('\\'),
                            Some('"') => s.push('"'),
                            Some('\'') => s.push('\''),
                            Some('0') => s.push('\0'),
                            _ => return Err(err(src, at, "invalid syntax")),
                        },
                        '\n' => return Err(err(src, at, "unterminated quoted string")),
                        ch => s.push(ch),
                    }
                }
                out.push((Tok::Str(s), at));
                i = j;
            }
            b'`' => {
                let end = text[i + 1..]
                    .find('`')
                    .ok_or_else(|| err(src, at, "unterminated raw quoted string"))?;
                out.push((Tok::Str(text[i + 1..i + 1 + end].to_string()), at));
                i += end + 2;
            }
            b'-' | b'+' | b'0'..=b'9' => {
                let n = text[i + 1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
                    .map_or(text.len(), |n| n + i + 1);
                out.push((Tok::Num(text[i..n].to_string()), at));
                i = n;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let (name, next) = ident(i);
                out.push((Tok::Ident(name), at));
                i = next;
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err(err(src, at, &format!("unexpected {ch:?} in command")));
            }
        }
    }
    if ends.len() < out.len() {
        ends.push(base + text.len());
    }
    Ok((out, ends))
}

struct Tokens<'a> {
    src: &'a str,
    toks: Vec<(Tok, usize)>,
    ends: Vec<usize>,
    i: usize,
    end: usize,
}

impl Tokens<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|(t, _)| t)
    }

    fn pos(&self) -> usize {
        self.toks.get(self.i).map_or(self.end, |(_, p)| *p)
    }

    /// Where token `i` ends: its text is what the lexer read from its start.
    fn end_of(&self, i: usize) -> usize {
        self.ends.get(i).copied().unwrap_or(self.end)
    }

    fn error(&self, msg: &str) -> String {
        err(self.src, self.pos(), msg)
    }

    /// `[$a[, $b] :=|=] cmd | cmd ...` up to `)` or the end.
    fn pipe(&mut self, control: bool) -> Result<Pipe, String> {
        let mut decl = Vec::new();
        let mut assign = false;
        if let Some(Tok::Var(_)) = self.peek() {
            let save = self.i;
            let mut names = Vec::new();
            while let Some(Tok::Var(v)) = self.peek().cloned() {
                names.push(v);
                self.i += 1;
                if self.peek() == Some(&Tok::Comma) && control {
                    self.i += 1;
                    continue;
                }
                break;
            }
            match self.peek() {
                Some(Tok::Declare) => {
                    self.i += 1;
                    decl = names;
                }
                Some(Tok::Assign) => {
                    self.i += 1;
                    decl = names;
                    assign = true;
                }
                _ => self.i = save,
            }
        }
        let mut cmds = Vec::new();
        loop {
            let start = self.pos();
            let mut args = Vec::new();
            while let Some(t) = self.peek() {
                if matches!(t, Tok::Bar | Tok::Close) {
                    break;
                }
                args.push(self.operand()?);
            }
            if args.is_empty() {
                return Err(self.error("missing value for command"));
            }
            let last = args.last().map_or(start, |a: &Arg| a.pos + a.text.len());
            let text = self.src.get(start..last).unwrap_or("").to_string();
            cmds.push(Command { args, pos: start, text });
            if self.peek() == Some(&Tok::Bar) {
                self.i += 1;
                continue;
            }
            break;
        }
        Ok(Pipe { decl, assign, cmds })
    }

    fn operand(&mut self) -> Result<Arg, String> {
        let pos = self.pos();
        let Some(tok) = self.peek().cloned() else {
            return Err(self.error("missing value for command"));
        };
        self.i += 1;
        let mut fields = Vec::new();
        let term = match tok {
            Tok::Dot => Term::Dot,
            Tok::Field(f) => {
                fields.push(f);
                Term::Dot
            }
            Tok::Var(v) => Term::Var(v),
            Tok::Str(s) => Term::Str(s),
            Tok::Num(n) => number(&n).ok_or_else(|| err(self.src, pos, &format!("bad number syntax: {n:?}")))?,
            Tok::Ident(name) => match name.as_str() {
                "true" => Term::Bool(true),
                "false" => Term::Bool(false),
                "nil" => Term::Nil,
                _ if FUNCS.contains(&name.as_str()) => Term::Func(name),
                _ => return Err(err(self.src, pos, &format!("function {name:?} not defined"))),
            },
            Tok::Open => {
                let p = self.pipe(false)?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(self.error("unclosed left paren"));
                }
                self.i += 1;
                Term::Pipe(Box::new(p))
            }
            Tok::Close => return Err(err(self.src, pos, "unexpected right paren")),
            Tok::Declare | Tok::Assign | Tok::Comma | Tok::Bar => {
                return Err(err(self.src, pos, "unexpected token in operand"));
            }
        };
        // Fields chain onto what they touch: `$x.a`, `(pipe).a`, `.a.b`; `eq .a` is two args.
        while !matches!(term, Term::Func(_))
            && let Some(Tok::Field(f)) = self.peek().cloned()
            && self.pos() == self.end_of(self.i - 1)
        {
            fields.push(f);
            self.i += 1;
        }
        let end = self.toks.get(self.i).map_or(self.end, |(_, p)| *p);
        let text = self.src.get(pos..end).unwrap_or("").trim_end().to_string();
        Ok(Arg {
            term,
            fields,
            pos,
            text,
        })
    }
}

fn number(n: &str) -> Option<Term> {
    if let Ok(i) = n.parse::<i64>() {
        return Some(Term::Int(i));
    }
    if let Some(hex) = n.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Term::Int);
    }
    n.parse::<f64>().ok().map(Term::Float)
}

/// Parses a template.
pub fn parse(src: &str) -> Result<Vec<Node>, String> {
    let items = items(src)?;
    let mut p = Parser { src, items, i: 0 };
    let (nodes, end) = p.list()?;
    match end {
        End::Eof => Ok(nodes),
        End::Close(pos) => Err(err(src, pos, "unexpected {{end}}")),
        End::Else(pos, _) => Err(err(src, pos, "unexpected {{else}}")),
    }
}

enum End {
    Eof,
    Close(usize),
    /// `{{else}}` or `{{else if|with pipe}}` (the rest of the action).
    Else(usize, String),
}

struct Parser<'a> {
    src: &'a str,
    items: Vec<Item>,
    i: usize,
}

impl Parser<'_> {
    fn tokens(&self, text: &str, base: usize) -> Result<Tokens<'_>, String> {
        let (toks, ends) = lex(self.src, text, base)?;
        Ok(Tokens {
            src: self.src,
            toks,
            ends,
            i: 0,
            end: base + text.len(),
        })
    }

    fn pipe_of(&self, text: &str, base: usize, control: bool) -> Result<Pipe, String> {
        let mut t = self.tokens(text, base)?;
        let p = t.pipe(control)?;
        if t.i < t.toks.len() {
            return Err(t.error("unexpected token in command"));
        }
        Ok(p)
    }

    fn list(&mut self) -> Result<(Vec<Node>, End), String> {
        let mut nodes = Vec::new();
        while self.i < self.items.len() {
            let item = &self.items[self.i];
            self.i += 1;
            let (text, pos) = match item {
                Item::Text(t) => {
                    nodes.push(Node::Text(t.clone()));
                    continue;
                }
                Item::Action(a, p) => (a.clone(), *p),
            };
            let trimmed = text.trim();
            if trimmed.starts_with("/*") {
                if !trimmed.ends_with("*/") {
                    return Err(err(self.src, pos, "unclosed comment"));
                }
                continue;
            }
            let lead = text.len() - text.trim_start().len();
            let word_end = trimmed
                .find(|c: char| c.is_whitespace() || c == '(')
                .unwrap_or(trimmed.len());
            let (word, rest) = trimmed.split_at(word_end);
            let rest_pos = pos + lead + word_end;
            match word {
                "end" => return Ok((nodes, End::Close(pos))),
                "else" => return Ok((nodes, End::Else(rest_pos, rest.to_string()))),
                "if" | "range" | "with" => {
                    let pipe = self.pipe_of(rest, rest_pos, word == "range")?;
                    nodes.push(self.control(word, pipe, pos)?);
                }
                "break" | "continue" => nodes.push(if word == "break" { Node::Break } else { Node::Continue }),
                "define" | "template" | "block" => {
                    return Err(err(
                        self.src,
                        pos,
                        &format!("{{{{{word}}}}} is not available in Kubeplay's templates"),
                    ));
                }
                _ => nodes.push(Node::Action(self.pipe_of(&text, pos, false)?)),
            }
        }
        Ok((nodes, End::Eof))
    }

    /// The body of `if|range|with`, its `else` branch, and the `end`.
    fn control(&mut self, word: &str, pipe: Pipe, pos: usize) -> Result<Node, String> {
        let (body, end) = self.list()?;
        let els = match end {
            End::Eof => return Err(err(self.src, self.src.len(), "unexpected EOF")),
            End::Close(_) => Vec::new(),
            End::Else(rest_pos, rest) => {
                let r = rest.trim_start();
                let lead = rest.len() - r.len();
                if let Some(chain) = ["if", "with"].into_iter().find(|k| {
                    r.strip_prefix(k)
                        .is_some_and(|x| x.starts_with(|c: char| c.is_whitespace() || c == '('))
                }) {
                    // `{{else if p}}`: an `if` nested in the else branch, sharing the `end`.
                    let p = self.pipe_of(&r[chain.len()..], rest_pos + lead + chain.len(), false)?;
                    vec![self.control(chain, p, rest_pos)?]
                } else if !r.is_empty() {
                    return Err(err(self.src, rest_pos, "unexpected token in else"));
                } else {
                    let (els, end) = self.list()?;
                    match end {
                        End::Close(_) => els,
                        End::Eof => return Err(err(self.src, self.src.len(), "unexpected EOF")),
                        End::Else(p, _) => return Err(err(self.src, p, "expected end; found {{else}}")),
                    }
                }
            }
        };
        let _ = pos;
        Ok(match word {
            "if" => Node::If(pipe, body, els),
            "range" => Node::Range(pipe, body, els),
            _ => Node::With(pipe, body, els),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_control_structures() {
        let n = parse("a {{- .x -}} b{{if .y}}y{{else if .z}}z{{else}}n{{end}}").unwrap_or_default();
        assert_eq!(n.len(), 4);
        assert_eq!(n[0], Node::Text("a".into()));
        assert_eq!(n[2], Node::Text("b".into()));
        assert!(matches!(&n[3], Node::If(_, _, els) if matches!(els[0], Node::If(..))));
    }

    #[test]
    fn go_parse_errors() {
        assert_eq!(parse("{{.a"), Err("template: output:1: unclosed action".into()));
        assert_eq!(parse("{{range .a}}x"), Err("template: output:1: unexpected EOF".into()));
        assert_eq!(parse("{{end}}"), Err("template: output:1: unexpected {{end}}".into()));
        assert_eq!(
            parse("{{foo .a}}"),
            Err("template: output:1: function \"foo\" not defined".into())
        );
    }
}
