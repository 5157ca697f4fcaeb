//! The shell's syntax: words with their quoting and expansions, and the command tree of lists,
//! and-or lists, pipelines, loops and conditionals.

use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Part {
    Lit(String),
    Var(String),
    Subst(String),
}

pub(super) type Word = Vec<Part>;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(Word, bool),
    Op(&'static str),
}

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
    fn read_dollar(chars: &[char], i: &mut usize, parts: &mut Word, lit: &mut String) -> Result<(), String> {
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
        toks: lex(src)?,
        pos: 0,
    };
    let list = p.list(&[])?;
    if p.pos < p.toks.len() {
        return Err(format!("syntax error: unexpected {}", p.describe()));
    }
    Ok(list)
}
