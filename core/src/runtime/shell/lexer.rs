//! Shell words and operators, shared by the container shell and the learner's terminal:
//! quoting (`'...'`, `"..."`, `\\`), expansions kept as parts (`$VAR`, `${VAR}`, `$(...)`), comments,
//! and the operators `; & | && || > >> < << <<-`.

// Positions in a string held in memory: `+ 1` cannot overflow a usize, and overflow checks
// catch a mistake. The interpreter around this (mod.rs) denies unchecked arithmetic.
#![allow(clippy::arithmetic_side_effects)]

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    Var(String),
    Subst(String),
}

pub type Word = Vec<Part>;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A word and whether any of it was quoted.
    Word(Word, bool),
    Op(&'static str),
}

/// Why a line cannot be split into words.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LexError {
    UnterminatedQuote(char),
    UnterminatedSubst,
    BadSubstitution,
}

impl LexError {
    /// As busybox `sh` words it.
    pub fn busybox(self) -> String {
        match self {
            LexError::UnterminatedQuote(_) => "syntax error: unterminated quoted string".into(),
            LexError::UnterminatedSubst => "syntax error: unterminated $(...)".into(),
            LexError::BadSubstitution => "syntax error: bad substitution".into(),
        }
    }

    /// As bash words it.
    pub fn bash(self) -> String {
        match self {
            LexError::UnterminatedQuote(q) => format!("unexpected EOF while looking for matching `{q}'"),
            LexError::UnterminatedSubst => "unexpected EOF while looking for matching `)'".into(),
            LexError::BadSubstitution => "bad substitution".into(),
        }
    }
}

/// The text of a word with its expansions left as written (for the terminal, which keeps no
/// variables).
pub fn literal(word: &Word) -> String {
    word.iter()
        .map(|p| match p {
            Part::Lit(s) => s.clone(),
            Part::Var(v) => format!("${v}"),
            Part::Subst(s) => format!("$({s})"),
        })
        .collect()
}

pub fn lex(src: &str) -> Result<Vec<Tok>, LexError> {
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
    fn read_dollar(chars: &[char], i: &mut usize, parts: &mut Word, lit: &mut String) -> Result<(), LexError> {
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
                    return Err(LexError::UnterminatedSubst);
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
                    .ok_or(LexError::BadSubstitution)?;
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
                let three: String = chars[i..(i + 3).min(chars.len())].iter().collect();
                let op = match (three.as_str(), two.as_str()) {
                    ("<<-", _) => "<<-",
                    (_, "<<") => "<<",
                    (_, "&&") => "&&",
                    (_, "||") => "||",
                    (_, ">>") => ">>",
                    (_, ";;") => ";;",
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
                    .ok_or(LexError::UnterminatedQuote('\''))?;
                lit.extend(&chars[i + 1..i + 1 + end]);
                i += end + 2;
            }
            '"' => {
                in_word = true;
                quoted = true;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(LexError::UnterminatedQuote('"')),
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
