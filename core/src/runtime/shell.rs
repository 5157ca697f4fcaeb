//! The busybox `sh` of the busybox and alpine images, as a resumable interpreter: a script can
//! stop at `sleep` or `tail -f` and continue when virtual time allows, which a
//! run-to-completion shell cannot. It covers what container commands in manifests use: simple
//! commands, `;` `&&` `||` `|`, `while`/`until`/`if`, `$VAR` and `$(...)`, `>`/`>>`, and the
//! common applets. A per-wake step budget keeps `while true; do :; done` from freezing the page.
//!
//! The parser is deliberately small; the full shell (brush-parser's AST, functions, globbing)
//! is a later piece of work.

use std::rc::Rc;

use k8s_openapi::jiff::Timestamp;

use super::{ExecResult, ProcCx, Process, Signal, Status};
use crate::sim::clock::{EPOCH_SECONDS, Millis, SECOND};

// ---------------------------------------------------------------- syntax

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Lit(String),
    Var(String),
    Subst(String),
}

type Word = Vec<Part>;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(Word, bool),
    Op(&'static str),
}

#[derive(Debug)]
enum Node {
    List(Vec<Rc<Node>>),
    /// `a && b || c`: the operators between items.
    AndOr(Vec<Rc<Node>>, Vec<&'static str>),
    Pipeline(Vec<Rc<Node>>),
    Simple {
        words: Vec<Word>,
        redirects: Vec<(&'static str, Word)>,
    },
    Loop {
        until: bool,
        cond: Rc<Node>,
        body: Rc<Node>,
    },
    If {
        branches: Vec<(Rc<Node>, Rc<Node>)>,
        otherwise: Option<Rc<Node>>,
    },
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut word: Word = Vec::new();
    let mut lit = String::new();
    let mut in_word = false;
    let mut quoted = false;
    macro_rules! flush_lit {
        () => {
            if !lit.is_empty() {
                word.push(Part::Lit(std::mem::take(&mut lit)));
            }
        };
    }
    macro_rules! end_word {
        () => {
            flush_lit!();
            if in_word {
                toks.push(Tok::Word(std::mem::take(&mut word), quoted));
                in_word = false;
                quoted = false;
            }
        };
    }
    fn read_dollar(
        chars: &[char],
        i: &mut usize,
        parts: &mut Word,
        lit: &mut String,
    ) -> Result<(), String> {
        // at chars[*i] == '$'
        let next = chars.get(*i + 1).copied();
        match next {
            Some('(') => {
                let mut depth = 0;
                let start = *i + 2;
                let mut j = *i + 1;
                while j < chars.len() {
                    match chars[j] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return Err("syntax error: unterminated $(...)".into());
                }
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(lit)));
                }
                parts.push(Part::Subst(chars[start..j].iter().collect()));
                *i = j + 1;
            }
            Some('{') => {
                let end = chars[*i..]
                    .iter()
                    .position(|c| *c == '}')
                    .ok_or("syntax error: bad substitution")?;
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(lit)));
                }
                parts.push(Part::Var(chars[*i + 2..*i + end].iter().collect()));
                *i += end + 1;
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let mut j = *i + 1;
                while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(lit)));
                }
                parts.push(Part::Var(chars[*i + 1..j].iter().collect()));
                *i = j;
            }
            Some(c) if c == '?' || c == '$' || c == '#' || c.is_ascii_digit() => {
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(lit)));
                }
                parts.push(Part::Var(c.to_string()));
                *i += 2;
            }
            _ => {
                lit.push('$');
                *i += 1;
            }
        }
        Ok(())
    }
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                end_word!();
                i += 1;
            }
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\n' | ';' | '|' | '&' | '>' | '<' => {
                end_word!();
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let op = match two.as_str() {
                    "&&" => "&&",
                    "||" => "||",
                    ">>" => ">>",
                    ";;" => ";;",
                    _ => match c {
                        '\n' => "\n",
                        ';' => ";",
                        '|' => "|",
                        '&' => "&",
                        '>' => ">",
                        _ => "<",
                    },
                };
                // `2>` and `2>&1`: stderr redirections attach to the previous word position.
                toks.push(Tok::Op(op));
                i += op.len();
            }
            '\'' => {
                in_word = true;
                quoted = true;
                let end = chars[i + 1..]
                    .iter()
                    .position(|c| *c == '\'')
                    .ok_or("syntax error: unterminated quoted string")?;
                lit.extend(&chars[i + 1..i + 1 + end]);
                i += end + 2;
            }
            '"' => {
                in_word = true;
                quoted = true;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("syntax error: unterminated quoted string".into()),
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some('\\') if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            lit.push(chars[i + 1]);
                            i += 2;
                        }
                        Some('$') => read_dollar(&chars, &mut i, &mut word, &mut lit)?,
                        Some(c) => {
                            lit.push(*c);
                            i += 1;
                        }
                    }
                }
            }
            '$' => {
                in_word = true;
                read_dollar(&chars, &mut i, &mut word, &mut lit)?;
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.get(i + 1) {
                    lit.push(*n);
                }
                i += 2;
            }
            c => {
                in_word = true;
                lit.push(c);
                i += 1;
            }
        }
    }
    flush_lit!();
    if in_word {
        toks.push(Tok::Word(word, quoted));
    }
    Ok(toks)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

fn plain(word: &Word) -> Option<&str> {
    match word.as_slice() {
        [Part::Lit(s)] => Some(s),
        _ => None,
    }
}

impl Parser {
    fn peek_keyword(&self) -> Option<&str> {
        match self.toks.get(self.pos) {
            Some(Tok::Word(w, false)) => plain(w),
            _ => None,
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.toks.get(self.pos), Some(Tok::Op("\n"))) {
            self.pos += 1;
        }
    }

    fn expect_keyword(&mut self, kw: &str) -> Result<(), String> {
        self.skip_newlines();
        if self.peek_keyword() == Some(kw) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("syntax error: unexpected {}", self.describe()))
        }
    }

    fn describe(&self) -> String {
        match self.toks.get(self.pos) {
            None => "end of file".into(),
            Some(Tok::Op("\n")) => "newline".into(),
            Some(Tok::Op(o)) => format!("\"{o}\""),
            Some(Tok::Word(w, _)) => format!("\"{}\"", plain(w).unwrap_or("word")),
        }
    }

    /// A list, up to one of the `stops` keywords (not consumed) or the end.
    fn list(&mut self, stops: &[&str]) -> Result<Rc<Node>, String> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            while matches!(self.toks.get(self.pos), Some(Tok::Op(";"))) {
                self.pos += 1;
                self.skip_newlines();
            }
            match self.peek_keyword() {
                Some(k) if stops.contains(&k) => break,
                _ => {}
            }
            if self.pos >= self.toks.len() {
                break;
            }
            items.push(self.and_or()?);
            match self.toks.get(self.pos) {
                Some(Tok::Op(";" | "\n" | "&")) => self.pos += 1,
                None => break,
                Some(Tok::Word(..)) => {
                    if let Some(k) = self.peek_keyword()
                        && stops.contains(&k)
                    {
                        continue;
                    }
                    return Err(format!("syntax error: unexpected {}", self.describe()));
                }
                Some(_) => return Err(format!("syntax error: unexpected {}", self.describe())),
            }
        }
        Ok(Rc::new(Node::List(items)))
    }

    fn and_or(&mut self) -> Result<Rc<Node>, String> {
        let mut items = vec![self.pipeline()?];
        let mut ops = Vec::new();
        while let Some(Tok::Op(op @ ("&&" | "||"))) = self.toks.get(self.pos) {
            ops.push(*op);
            self.pos += 1;
            self.skip_newlines();
            items.push(self.pipeline()?);
        }
        Ok(Rc::new(Node::AndOr(items, ops)))
    }

    fn pipeline(&mut self) -> Result<Rc<Node>, String> {
        let mut items = vec![self.command()?];
        while let Some(Tok::Op("|")) = self.toks.get(self.pos) {
            self.pos += 1;
            self.skip_newlines();
            items.push(self.command()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Rc::new(Node::Pipeline(items))
        })
    }

    fn command(&mut self) -> Result<Rc<Node>, String> {
        match self.peek_keyword() {
            Some(kw @ ("while" | "until")) => {
                let until = kw == "until";
                self.pos += 1;
                let cond = self.list(&["do"])?;
                self.expect_keyword("do")?;
                let body = self.list(&["done"])?;
                self.expect_keyword("done")?;
                Ok(Rc::new(Node::Loop { until, cond, body }))
            }
            Some("if") => {
                self.pos += 1;
                let mut branches = Vec::new();
                let mut otherwise = None;
                let cond = self.list(&["then"])?;
                self.expect_keyword("then")?;
                let body = self.list(&["elif", "else", "fi"])?;
                branches.push((cond, body));
                loop {
                    match self.peek_keyword() {
                        Some("elif") => {
                            self.pos += 1;
                            let c = self.list(&["then"])?;
                            self.expect_keyword("then")?;
                            let b = self.list(&["elif", "else", "fi"])?;
                            branches.push((c, b));
                        }
                        Some("else") => {
                            self.pos += 1;
                            otherwise = Some(self.list(&["fi"])?);
                        }
                        _ => break,
                    }
                }
                self.expect_keyword("fi")?;
                Ok(Rc::new(Node::If {
                    branches,
                    otherwise,
                }))
            }
            Some("{") => {
                self.pos += 1;
                let body = self.list(&["}"])?;
                self.expect_keyword("}")?;
                Ok(body)
            }
            _ => self.simple(),
        }
    }

    fn simple(&mut self) -> Result<Rc<Node>, String> {
        let mut words = Vec::new();
        let mut redirects = Vec::new();
        loop {
            match self.toks.get(self.pos).cloned() {
                Some(Tok::Word(w, _)) => {
                    // `2>file` and `2>&1` arrive as a word "2" followed by ">".
                    if plain(&w).is_some_and(|s| s == "2" || s == "1")
                        && matches!(self.toks.get(self.pos + 1), Some(Tok::Op(">" | ">>")))
                    {
                        let fd = plain(&w).unwrap_or("1").to_string();
                        self.pos += 1;
                        let Some(Tok::Op(op)) = self.toks.get(self.pos).cloned() else {
                            break;
                        };
                        self.pos += 1;
                        if matches!(self.toks.get(self.pos), Some(Tok::Op("&"))) {
                            self.pos += 2; // 2>&1: both streams end up in the log
                            continue;
                        }
                        let Some(Tok::Word(target, _)) = self.toks.get(self.pos).cloned() else {
                            return Err(format!("syntax error: unexpected {}", self.describe()));
                        };
                        self.pos += 1;
                        let op = if fd == "2" {
                            if op == ">>" { "2>>" } else { "2>" }
                        } else {
                            op
                        };
                        redirects.push((op, target));
                        continue;
                    }
                    words.push(w);
                    self.pos += 1;
                }
                Some(Tok::Op(op @ (">" | ">>" | "<"))) => {
                    self.pos += 1;
                    let Some(Tok::Word(target, _)) = self.toks.get(self.pos).cloned() else {
                        return Err(format!("syntax error: unexpected {}", self.describe()));
                    };
                    self.pos += 1;
                    redirects.push((op, target));
                }
                _ => break,
            }
        }
        if words.is_empty() && redirects.is_empty() {
            return Err(format!("syntax error: unexpected {}", self.describe()));
        }
        Ok(Rc::new(Node::Simple { words, redirects }))
    }
}

fn parse(src: &str) -> Result<Rc<Node>, String> {
    let mut p = Parser {
        toks: lex(src)?,
        pos: 0,
    };
    let list = p.list(&[])?;
    if p.pos < p.toks.len() {
        return Err(format!("syntax error: unexpected {}", p.describe()));
    }
    Ok(list)
}

// ---------------------------------------------------------------- execution

enum Frame {
    List {
        node: Rc<Node>,
        next: usize,
    },
    AndOr {
        node: Rc<Node>,
        next: usize,
    },
    Loop {
        node: Rc<Node>,
        in_body: bool,
    },
    If {
        node: Rc<Node>,
        branch: usize,
        in_body: bool,
    },
    /// A `sleep` that ends at this instant.
    Sleep(Millis),
    /// A command that never returns by itself (`tail -f`).
    Block,
}

/// What a simple command asks of the interpreter.
enum Outcome {
    Done(i32),
    Sleep(Millis),
    Block,
    Exit(i32),
}

/// A shell process: the script, the interpreter stack and the shell variables.
pub struct Shell {
    stack: Vec<Frame>,
    status: i32,
    vars: Vec<(String, String)>,
    /// Parse error found at start, reported when the process runs.
    error: Option<String>,
    /// Captured stdout when running `$(...)` or an exec.
    capture: Option<String>,
    stdin: Option<String>,
}

/// Steps per wake-up before the shell yields for a millisecond of virtual CPU time.
const STEP_BUDGET: usize = 5_000;

impl Shell {
    /// `sh -c SCRIPT`.
    pub fn script(src: &str) -> Self {
        let (stack, error) = match parse(src) {
            Ok(node) => (vec![Frame::List { node, next: 0 }], None),
            Err(e) => (Vec::new(), Some(e)),
        };
        Shell {
            stack,
            status: 0,
            vars: Vec::new(),
            error,
            capture: None,
            stdin: None,
        }
    }

    /// A plain command line (`sleep 3600`, `cat /tmp/healthy`), run as one simple command.
    pub fn argv(argv: &[String]) -> Self {
        let words = argv.iter().map(|a| vec![Part::Lit(a.clone())]).collect();
        let node = Rc::new(Node::List(vec![Rc::new(Node::Simple {
            words,
            redirects: Vec::new(),
        })]));
        Shell {
            stack: vec![Frame::List { node, next: 0 }],
            status: 0,
            vars: Vec::new(),
            error: None,
            capture: None,
            stdin: None,
        }
    }

    fn var(&self, name: &str, cx: &ProcCx<'_>) -> String {
        match name {
            "?" => return self.status.to_string(),
            "$" => return "1".into(),
            "#" => return "0".into(),
            "HOSTNAME" if cx.getenv("HOSTNAME").is_none() => return cx.hostname.to_string(),
            _ => {}
        }
        if let Some((_, v)) = self.vars.iter().rev().find(|(k, _)| k == name) {
            return v.clone();
        }
        cx.getenv(name).unwrap_or("").to_string()
    }

    fn expand(&mut self, word: &Word, cx: &mut ProcCx<'_>) -> String {
        let mut out = String::new();
        for part in word {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Var(v) => out.push_str(&self.var(v, cx)),
                Part::Subst(src) => {
                    let r = run_to_completion(Shell::script(src), cx, None);
                    out.push_str(r.stdout.trim_end_matches('\n'));
                }
            }
        }
        out
    }

    fn write_out(&mut self, text: &str, cx: &mut ProcCx<'_>) {
        match &mut self.capture {
            Some(buf) => buf.push_str(text),
            None => {
                for line in text.lines() {
                    cx.out(line.to_string());
                }
            }
        }
    }

    fn run(&mut self, cx: &mut ProcCx<'_>) -> Status {
        if let Some(e) = self.error.take() {
            cx.err(format!("sh: {e}"));
            return Status::Exited(2);
        }
        let mut budget = STEP_BUDGET;
        loop {
            if budget == 0 {
                return Status::Running(Some(cx.now + 1));
            }
            budget -= 1;
            let Some(frame) = self.stack.pop() else {
                return Status::Exited(self.status);
            };
            match frame {
                Frame::Sleep(until) => {
                    if cx.now < until {
                        self.stack.push(Frame::Sleep(until));
                        return Status::Running(Some(until));
                    }
                    self.status = 0;
                }
                Frame::Block => {
                    self.stack.push(Frame::Block);
                    return Status::Running(None);
                }
                Frame::List { node, next } => {
                    let Node::List(items) = &*node else { continue };
                    if let Some(item) = items.get(next).cloned() {
                        self.stack.push(Frame::List {
                            node: node.clone(),
                            next: next + 1,
                        });
                        if let Some(status) = self.enter(item, cx) {
                            return status;
                        }
                    }
                }
                Frame::AndOr { node, next } => {
                    let Node::AndOr(items, ops) = &*node else {
                        continue;
                    };
                    // After item `next - 1` finished with self.status, decide whether to run `next`.
                    let mut i = next;
                    while i < items.len() {
                        let op = ops[i - 1];
                        let run = (op == "&&") == (self.status == 0);
                        if run {
                            break;
                        }
                        i += 1;
                    }
                    if let Some(item) = items.get(i).cloned() {
                        self.stack.push(Frame::AndOr {
                            node: node.clone(),
                            next: i + 1,
                        });
                        if let Some(status) = self.enter(item, cx) {
                            return status;
                        }
                    }
                }
                Frame::Loop { node, in_body } => {
                    let Node::Loop { until, cond, body } = &*node else {
                        continue;
                    };
                    if in_body {
                        self.stack.push(Frame::Loop {
                            node: node.clone(),
                            in_body: false,
                        });
                        let cond = cond.clone();
                        if let Some(status) = self.enter(cond, cx) {
                            return status;
                        }
                    } else {
                        // The condition just ran.
                        let go = (self.status == 0) != *until;
                        if go {
                            self.stack.push(Frame::Loop {
                                node: node.clone(),
                                in_body: true,
                            });
                            let body = body.clone();
                            if let Some(status) = self.enter(body, cx) {
                                return status;
                            }
                        } else {
                            self.status = 0;
                        }
                    }
                }
                Frame::If {
                    node,
                    branch,
                    in_body,
                } => {
                    let Node::If {
                        branches,
                        otherwise,
                    } = &*node
                    else {
                        continue;
                    };
                    if in_body {
                        continue;
                    }
                    if self.status == 0 {
                        let body = branches[branch].1.clone();
                        self.stack.push(Frame::If {
                            node: node.clone(),
                            branch,
                            in_body: true,
                        });
                        if let Some(status) = self.enter(body, cx) {
                            return status;
                        }
                    } else if let Some((cond, _)) = branches.get(branch + 1).cloned() {
                        self.stack.push(Frame::If {
                            node: node.clone(),
                            branch: branch + 1,
                            in_body: false,
                        });
                        if let Some(status) = self.enter(cond, cx) {
                            return status;
                        }
                    } else if let Some(body) = otherwise.clone() {
                        if let Some(status) = self.enter(body, cx) {
                            return status;
                        }
                    } else {
                        self.status = 0;
                    }
                }
            }
        }
    }

    /// Starts a node: compound nodes push a frame, simple commands run now. Returns a status
    /// when the process must stop here (exit).
    fn enter(&mut self, node: Rc<Node>, cx: &mut ProcCx<'_>) -> Option<Status> {
        match &*node {
            Node::List(_) => self.stack.push(Frame::List { node, next: 0 }),
            Node::AndOr(..) => {
                // Run the first item; the frame decides about the rest.
                let first = match &*node {
                    Node::AndOr(items, _) => items[0].clone(),
                    _ => unreachable!(),
                };
                self.stack.push(Frame::AndOr {
                    node: node.clone(),
                    next: 1,
                });
                return self.enter(first, cx);
            }
            Node::Loop { cond, .. } => {
                let cond = cond.clone();
                self.stack.push(Frame::Loop {
                    node: node.clone(),
                    in_body: false,
                });
                return self.enter(cond, cx);
            }
            Node::If { branches, .. } => {
                let cond = branches[0].0.clone();
                self.stack.push(Frame::If {
                    node: node.clone(),
                    branch: 0,
                    in_body: false,
                });
                return self.enter(cond, cx);
            }
            Node::Pipeline(items) => {
                // Each stage runs to completion with the previous stage's output as input.
                let mut input: Option<String> = None;
                let last = items.len() - 1;
                for (i, item) in items.iter().enumerate() {
                    let mut stage = Shell {
                        stack: vec![Frame::List {
                            node: Rc::new(Node::List(vec![item.clone()])),
                            next: 0,
                        }],
                        status: 0,
                        vars: self.vars.clone(),
                        error: None,
                        capture: None,
                        stdin: input.take(),
                    };
                    if i == last {
                        stage.capture = self.capture.take();
                        let r = run_to_completion_keep(&mut stage, cx);
                        self.capture = stage.capture.take();
                        self.status = r;
                    } else {
                        let r = run_to_completion(stage, cx, None);
                        input = Some(r.stdout);
                    }
                }
            }
            Node::Simple { words, redirects } => match self.simple(words, redirects, cx) {
                Outcome::Done(s) => self.status = s,
                Outcome::Sleep(until) => self.stack.push(Frame::Sleep(until)),
                Outcome::Block => self.stack.push(Frame::Block),
                Outcome::Exit(code) => {
                    self.stack.clear();
                    self.status = code;
                    return Some(Status::Exited(code));
                }
            },
        }
        None
    }

    fn simple(
        &mut self,
        words: &[Word],
        redirects: &[(&'static str, Word)],
        cx: &mut ProcCx<'_>,
    ) -> Outcome {
        let mut argv: Vec<String> = words.iter().map(|w| self.expand(w, cx)).collect();
        // Leading NAME=value words are assignments.
        let mut assigned = Vec::new();
        while let Some(first) = argv.first() {
            match first.split_once('=') {
                Some((k, v))
                    if !k.is_empty()
                        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    assigned.push((k.to_string(), v.to_string()));
                    argv.remove(0);
                }
                _ => break,
            }
        }
        if argv.is_empty() {
            self.vars.extend(assigned);
            return Outcome::Done(0);
        }
        let mut out_file: Option<(String, bool)> = None;
        for (op, target) in redirects {
            let path = self.expand(target, cx);
            match *op {
                ">" | ">>" => out_file = Some((path, *op == ">>")),
                "<" => self.stdin = cx.fs.read(&path).map(str::to_string),
                _ => {}
            }
        }
        if let Some((path, append)) = &out_file {
            if !*append {
                cx.fs.write(path, "");
            }
            let saved = self.capture.replace(String::new());
            let outcome = self.applet(&argv, cx);
            let text = std::mem::replace(&mut self.capture, saved).unwrap_or_default();
            cx.fs.append(path, &text);
            return outcome;
        }
        self.applet(&argv, cx)
    }

    fn applet(&mut self, argv: &[String], cx: &mut ProcCx<'_>) -> Outcome {
        let name = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
        let args = &argv[1..];
        let done = Outcome::Done;
        match name.as_str() {
            ":" | "true" => done(0),
            "false" => done(1),
            "exit" => Outcome::Exit(
                args.first()
                    .and_then(|a| a.parse().ok())
                    .unwrap_or(self.status),
            ),
            "echo" => {
                let (newline, rest) = match args.first().map(String::as_str) {
                    Some("-n") => (false, &args[1..]),
                    _ => (true, args),
                };
                let mut s = rest.join(" ");
                if newline {
                    s.push('\n');
                }
                self.write_out(&s, cx);
                done(0)
            }
            "printf" => {
                let fmt = args.first().cloned().unwrap_or_default();
                let mut rest = args.iter().skip(1);
                let mut s = String::new();
                let mut chars = fmt.chars().peekable();
                while let Some(c) = chars.next() {
                    match (c, chars.peek()) {
                        ('\\', Some('n')) => {
                            chars.next();
                            s.push('\n');
                        }
                        ('%', Some('s' | 'd')) => {
                            chars.next();
                            s.push_str(rest.next().map(String::as_str).unwrap_or(""));
                        }
                        _ => s.push(c),
                    }
                }
                self.write_out(&s, cx);
                done(0)
            }
            "sleep" => match args.first().and_then(|a| parse_sleep(a)) {
                Some(ms) => Outcome::Sleep(cx.now + ms),
                None => {
                    cx.err(format!(
                        "sleep: invalid number '{}'",
                        args.first().map(String::as_str).unwrap_or("")
                    ));
                    done(1)
                }
            },
            "cat" => {
                if args.is_empty() {
                    let input = self.stdin.take().unwrap_or_default();
                    self.write_out(&input, cx);
                    return done(0);
                }
                let mut status = 0;
                for f in args {
                    match cx.fs.read(f).map(str::to_string) {
                        Some(text) => self.write_out(&text, cx),
                        None => {
                            cx.err(format!("cat: can't open '{f}': No such file or directory"));
                            status = 1;
                        }
                    }
                }
                done(status)
            }
            "touch" => {
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    if !cx.fs.exists(f) {
                        cx.fs.write(f, "");
                    }
                }
                done(0)
            }
            "rm" => {
                let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
                let mut status = 0;
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    if !cx.fs.remove(f) && !force {
                        cx.err(format!("rm: can't remove '{f}': No such file or directory"));
                        status = 1;
                    }
                }
                done(status)
            }
            "mkdir" => {
                for d in args.iter().filter(|a| !a.starts_with('-')) {
                    cx.fs.mkdir(d);
                }
                done(0)
            }
            "ls" => {
                let dir = args
                    .iter()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_else(|| "/".into());
                if !cx.fs.exists(&dir) {
                    cx.err(format!("ls: {dir}: No such file or directory"));
                    return done(1);
                }
                let listing = if cx.fs.is_dir(&dir) {
                    cx.fs.list(&dir).join("\n")
                } else {
                    dir.clone()
                };
                if !listing.is_empty() {
                    self.write_out(&format!("{listing}\n"), cx);
                }
                done(0)
            }
            "stat" | "test" | "[" => {
                let args: Vec<&str> = args
                    .iter()
                    .map(String::as_str)
                    .filter(|a| *a != "]")
                    .collect();
                if name == "stat" {
                    let Some(f) = args.first() else {
                        return done(1);
                    };
                    if cx.fs.exists(f) {
                        self.write_out(&format!("  File: {f}\n"), cx);
                        return done(0);
                    }
                    cx.err(format!("stat: can't stat '{f}': No such file or directory"));
                    return done(1);
                }
                done(if test(&args, cx) { 0 } else { 1 })
            }
            "date" => {
                let ts = Timestamp::from_second(EPOCH_SECONDS + (cx.now / SECOND) as i64)
                    .unwrap_or(Timestamp::UNIX_EPOCH);
                let s = k8s_openapi::jiff::fmt::strtime::format("%a %b %e %H:%M:%S UTC %Y", ts)
                    .unwrap_or_default();
                self.write_out(&format!("{s}\n"), cx);
                done(0)
            }
            "hostname" => {
                let h = cx.hostname.to_string();
                self.write_out(&format!("{h}\n"), cx);
                done(0)
            }
            "env" | "printenv" => {
                let mut lines: Vec<String> =
                    cx.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
                if name == "printenv"
                    && let Some(k) = args.first()
                {
                    let v = cx.getenv(k).map(str::to_string);
                    return match v {
                        Some(v) => {
                            self.write_out(&format!("{v}\n"), cx);
                            done(0)
                        }
                        None => done(1),
                    };
                }
                lines.push(format!("HOSTNAME={}", cx.hostname));
                self.write_out(&(lines.join("\n") + "\n"), cx);
                done(0)
            }
            "tail" => {
                let follow = args.iter().any(|a| a == "-f" || a == "-F");
                let files: Vec<&String> = args
                    .iter()
                    .filter(|a| !a.starts_with('-') && a.parse::<u64>().is_err())
                    .collect();
                let mut status = 0;
                for f in &files {
                    match cx.fs.read(f).map(str::to_string) {
                        Some(text) => {
                            let last: Vec<&str> = text.lines().rev().take(10).collect();
                            let body: String =
                                last.into_iter().rev().map(|l| format!("{l}\n")).collect();
                            self.write_out(&body, cx);
                        }
                        None => {
                            cx.err(format!("tail: can't open '{f}': No such file or directory"));
                            status = 1;
                        }
                    }
                }
                if follow {
                    if files.is_empty() || status == 0 || files.len() > 1 {
                        return Outcome::Block;
                    }
                    cx.err("tail: no files");
                }
                done(status)
            }
            "sh" | "ash" | "bash" => {
                if args.first().map(String::as_str) == Some("-c") {
                    let script = args.get(1).cloned().unwrap_or_default();
                    let mut sub = Shell::script(&script);
                    sub.vars = self.vars.clone();
                    // A nested shell that sleeps would need its own frame; run it inline.
                    let mut frames = std::mem::take(&mut sub.stack);
                    frames.reverse();
                    for f in frames.into_iter().rev() {
                        self.stack.push(f);
                    }
                    if let Some(e) = sub.error {
                        cx.err(format!("sh: {e}"));
                        return done(2);
                    }
                    return done(self.status);
                }
                // An interactive shell with no terminal reads EOF and exits.
                done(0)
            }
            "export" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        self.vars.push((k.to_string(), v.to_string()));
                    }
                }
                done(0)
            }
            "pwd" => {
                self.write_out("/\n", cx);
                done(0)
            }
            "whoami" => {
                self.write_out("root\n", cx);
                done(0)
            }
            "grep" => {
                let pattern = args
                    .iter()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_default();
                let input = match args.iter().filter(|a| !a.starts_with('-')).nth(1) {
                    Some(f) => cx.fs.read(f).unwrap_or("").to_string(),
                    None => self.stdin.take().unwrap_or_default(),
                };
                let hits: String = input
                    .lines()
                    .filter(|l| l.contains(&pattern))
                    .map(|l| format!("{l}\n"))
                    .collect();
                let found = !hits.is_empty();
                if !args.iter().any(|a| a == "-q") {
                    self.write_out(&hits, cx);
                }
                done(if found { 0 } else { 1 })
            }
            "wc" => {
                let input = self.stdin.take().unwrap_or_default();
                self.write_out(&format!("{}\n", input.lines().count()), cx);
                done(0)
            }
            _ => {
                cx.err(format!("sh: {name}: not found"));
                done(127)
            }
        }
    }
}

fn test(args: &[&str], cx: &ProcCx<'_>) -> bool {
    match args {
        ["!", rest @ ..] => !test(rest, cx),
        ["-f", f] => cx.fs.read(f).is_some(),
        ["-e", f] => cx.fs.exists(f),
        ["-d", f] => cx.fs.is_dir(f),
        ["-s", f] => cx.fs.read(f).is_some_and(|s| !s.is_empty()),
        ["-z", s] => s.is_empty(),
        ["-n", s] => !s.is_empty(),
        [a, "=", b] | [a, "==", b] => a == b,
        [a, "!=", b] => a != b,
        [a, op, b] => {
            let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) else {
                return false;
            };
            match *op {
                "-eq" => x == y,
                "-ne" => x != y,
                "-lt" => x < y,
                "-le" => x <= y,
                "-gt" => x > y,
                "-ge" => x >= y,
                _ => false,
            }
        }
        [s] => !s.is_empty(),
        _ => false,
    }
}

/// `sleep` arguments: seconds, with busybox's optional s/m/h/d suffix and fractions.
fn parse_sleep(a: &str) -> Option<Millis> {
    let (num, mult) = match a.chars().last()? {
        's' => (&a[..a.len() - 1], 1.0),
        'm' => (&a[..a.len() - 1], 60.0),
        'h' => (&a[..a.len() - 1], 3600.0),
        'd' => (&a[..a.len() - 1], 86400.0),
        _ => (a, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    Some((v * mult * 1000.0).round() as Millis)
}

/// Runs a shell until it exits or would wait, capturing its output (exec probes, `$(...)`).
/// Waiting counts as the command's end: an exec has no time to sleep in.
pub fn run_to_completion(mut sh: Shell, cx: &mut ProcCx<'_>, stdin: Option<String>) -> ExecResult {
    sh.capture = Some(String::new());
    if stdin.is_some() {
        sh.stdin = stdin;
    }
    let before = cx.logs.len();
    let code = run_to_completion_keep(&mut sh, cx);
    // stderr goes to the exec's stderr, not the container log.
    let stderr: String = cx
        .logs
        .drain(before..)
        .map(|l| format!("{}\n", l.text))
        .collect();
    ExecResult {
        exit_code: code,
        stdout: sh.capture.unwrap_or_default(),
        stderr,
    }
}

fn run_to_completion_keep(sh: &mut Shell, cx: &mut ProcCx<'_>) -> i32 {
    match sh.run(cx) {
        Status::Exited(c) => c,
        Status::Running(_) => {
            // Drop whatever it was waiting on and report how far it got.
            sh.stack.clear();
            sh.status
        }
    }
}

impl Process for Shell {
    fn start(&mut self, cx: &mut ProcCx<'_>) -> Status {
        self.run(cx)
    }

    fn wake(&mut self, cx: &mut ProcCx<'_>) -> Status {
        self.run(cx)
    }

    /// A shell running as PID 1 installs no handlers: TERM, INT and QUIT are dropped by the
    /// kernel, so the kubelet waits out the grace period and kills it.
    fn signal(&mut self, sig: Signal, _cx: &mut ProcCx<'_>) -> Status {
        match sig {
            Signal::Kill => Status::Exited(137),
            _ => Status::Running(match self.stack.last() {
                Some(Frame::Sleep(t)) => Some(*t),
                _ => None,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::fs::Fs;

    fn run(script: &str) -> (Status, Vec<String>, Fs) {
        let mut fs = Fs::default();
        let mut logs = Vec::new();
        let env = vec![("GREETING".to_string(), "hi".to_string())];
        let mut cx = ProcCx {
            now: 0,
            fs: &mut fs,
            logs: &mut logs,
            env: &env,
            hostname: "pod-a",
        };
        let mut sh = Shell::script(script);
        let st = sh.start(&mut cx);
        let lines = logs.iter().map(|l| l.text.clone()).collect();
        (st, lines, fs)
    }

    #[test]
    fn sequences_and_conditionals() {
        let (st, out, _) =
            run("echo $GREETING; false && echo no || echo yes; echo \"$(hostname)!\"");
        assert_eq!(st, Status::Exited(0));
        assert_eq!(out, ["hi", "yes", "pod-a!"]);
    }

    #[test]
    fn sleep_suspends_and_resumes() {
        let mut fs = Fs::default();
        let mut logs = Vec::new();
        let env = vec![];
        let mut sh = Shell::script("echo a; sleep 2; echo b");
        let mut cx = ProcCx {
            now: 0,
            fs: &mut fs,
            logs: &mut logs,
            env: &env,
            hostname: "h",
        };
        assert_eq!(sh.start(&mut cx), Status::Running(Some(2000)));
        cx.now = 2000;
        assert_eq!(sh.wake(&mut cx), Status::Exited(0));
        assert_eq!(logs.len(), 2);
    }

    #[test]
    fn loops_and_files() {
        let (st, _, fs) = run(
            "touch /tmp/healthy; i=0; while [ -f /tmp/healthy ]; do echo x >> /tmp/log; rm /tmp/healthy; done; cat /tmp/log",
        );
        assert_eq!(st, Status::Exited(0));
        assert_eq!(fs.read("/tmp/log"), Some("x\n"));
    }

    #[test]
    fn busy_loop_yields() {
        let (st, _, _) = run("while true; do :; done");
        assert_eq!(st, Status::Running(Some(1)));
    }

    #[test]
    fn syntax_errors_exit_2() {
        let (st, out, _) = run("while true; do echo");
        assert_eq!(st, Status::Exited(2));
        assert!(out[0].starts_with("sh: syntax error"), "{out:?}");
    }

    #[test]
    fn unknown_command_is_127() {
        let (st, out, _) = run("nosuch");
        assert_eq!(st, Status::Exited(127));
        assert_eq!(out, ["sh: nosuch: not found"]);
    }

    #[test]
    fn sleep_suffixes() {
        assert_eq!(parse_sleep("10"), Some(10_000));
        assert_eq!(parse_sleep("1m"), Some(60_000));
        assert_eq!(parse_sleep("0.5"), Some(500));
        assert_eq!(parse_sleep("x"), None);
    }
}
