//! The shell's syntax: words with their quoting and expansions, and the command tree of lists,
//! and-or lists, pipelines, loops and conditionals.

// Positions in a string held in memory: `+ 1` cannot overflow a usize, and overflow checks
// catch a mistake. The interpreter around this (mod.rs) denies unchecked arithmetic.
#![allow(clippy::arithmetic_side_effects)]

use std::rc::Rc;

use super::lexer::{LexError, Part, Tok, Word, lex};

#[derive(Debug)]
pub(super) enum Node {
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

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// Compound commands open around the current position.
    depth: usize,
}

/// Compound commands (`{ }`, loops, `if`) nested deeper than this are refused with an error
/// rather than overflowing the parser's native stack (small in wasm). Scripts in manifests
/// nest a handful of levels.
pub(super) const MAX_NESTING: usize = 200;

pub(super) fn plain(word: &Word) -> Option<&str> {
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
        if self.depth >= MAX_NESTING {
            return Err("syntax error: commands nested too deep".into());
        }
        self.depth = self.depth.saturating_add(1);
        let list = self.list_items(stops);
        self.depth = self.depth.saturating_sub(1);
        list
    }

    fn list_items(&mut self, stops: &[&str]) -> Result<Rc<Node>, String> {
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
                Ok(Rc::new(Node::If { branches, otherwise }))
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

pub(super) fn parse(src: &str) -> Result<Rc<Node>, String> {
    let mut p = Parser {
        toks: lex(src).map_err(LexError::busybox)?,
        pos: 0,
        depth: 0,
    };
    let list = p.list(&[])?;
    if p.pos < p.toks.len() {
        return Err(format!("syntax error: unexpected {}", p.describe()));
    }
    Ok(list)
}
