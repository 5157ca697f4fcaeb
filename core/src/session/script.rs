//! The learner's command language, read the way bash reads an interactive line or a script:
//! comments, `\` continuations, quotes, `|`, `&&`, `||`, `;`, and here-documents
//! (`cat <<EOF | kubectl apply -f -`), whose bodies follow the command line.

use crate::runtime::shell::lexer::{Tok, lex, literal};

/// One complete command as typed: its first line (what a transcript echoes) and the whole
/// text with its here-document bodies.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub first_line: String,
    pub line_no: usize,
    pub text: String,
    pub heredocs: Vec<String>,
    /// The delimiter of a here-document that the input ended before.
    pub unterminated: Option<String>,
}

/// Words and operators of a command line.
#[derive(Clone, Debug, PartialEq)]
pub enum Token {
    Word(String),
    Op(&'static str),
    /// `<<WORD`: the index of its body in [`Command::heredocs`].
    HereDoc(usize),
    /// `< file`.
    ReadFrom(String),
}

/// A here-document opened on a line: its delimiter and whether leading tabs are stripped.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    delimiter: String,
    strip_tabs: bool,
}

/// Collects input lines into complete commands.
#[derive(Default)]
pub struct Reader {
    line_no: usize,
    current: Option<Command>,
    pending: Vec<Pending>,
    body: String,
    continued: bool,
}

impl Reader {
    /// Whether a command is still being read (a continuation or a here-document body).
    pub fn in_progress(&self) -> bool {
        self.current.is_some()
    }

    /// Feeds one line (without its newline). Returns a command when one is complete.
    pub fn feed(&mut self, line: &str) -> Option<Command> {
        self.line_no += 1;
        if let Some(p) = self.pending.first().cloned() {
            let check = if p.strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line
            };
            let cur = self.current.as_mut()?;
            if check == p.delimiter {
                cur.heredocs.push(std::mem::take(&mut self.body));
                self.pending.remove(0);
                if self.pending.is_empty() {
                    return self.current.take();
                }
            } else {
                self.body.push_str(check);
                self.body.push('\n');
            }
            return None;
        }
        if self.continued {
            self.continued = false;
            let cur = self.current.as_mut()?;
            cur.text.push('\n');
            cur.text.push_str(line);
        } else {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                return None;
            }
            self.current = Some(Command {
                first_line: line.trim_end().to_string(),
                line_no: self.line_no,
                text: line.to_string(),
                heredocs: Vec::new(),
                unterminated: None,
            });
        }
        if line.ends_with('\\') && !line.ends_with("\\\\") {
            self.continued = true;
            return None;
        }
        let text = self.current.as_ref().map(|c| c.text.clone()).unwrap_or_default();
        self.pending = heredoc_markers(&text);
        if self.pending.is_empty() {
            self.current.take()
        } else {
            None
        }
    }

    /// Ends the input: a command still open is returned as it is (bash warns about a
    /// here-document ended by end of file and runs it).
    /// Drops a half-read command (Ctrl-C at a `> ` prompt).
    pub fn cancel(&mut self) {
        self.current = None;
        self.pending.clear();
        self.body.clear();
        self.continued = false;
    }

    pub fn finish(&mut self) -> Option<Command> {
        // A trailing `\` continues nothing once the input has ended.
        self.continued = false;
        let mut cur = self.current.take()?;
        if let Some(p) = self.pending.first() {
            cur.unterminated = Some(p.delimiter.clone());
            cur.heredocs.push(std::mem::take(&mut self.body));
            self.pending.clear();
        }
        Some(cur)
    }
}

fn heredoc_markers(text: &str) -> Vec<Pending> {
    let mut out = Vec::new();
    if let Ok(toks) = lex(text) {
        for (i, t) in toks.iter().enumerate() {
            if let Tok::Op(op @ ("<<" | "<<-")) = t
                && let Some(Tok::Word(w, _)) = toks.get(i + 1)
            {
                out.push(Pending {
                    delimiter: literal(w),
                    strip_tabs: *op == "<<-",
                });
            }
        }
    }
    out
}

/// The tokens of a command, here-documents numbered in order. Words keep `$` expansions as
/// written: the terminal has no shell variables.
pub fn tokens(cmd: &Command) -> Result<Vec<Token>, String> {
    let toks = lex(&cmd.text).map_err(|e| e.bash())?;
    let mut out = Vec::new();
    let mut here = 0;
    let mut iter = toks.iter();
    while let Some(t) = iter.next() {
        match t {
            // `2>file`, `2>>file` and `2>&1` (the lexer gives the word "2" then `>`), and `&>`.
            Tok::Word(w, _) if literal(w) == "2" && matches!(iter.clone().next(), Some(Tok::Op(">" | ">>"))) => {
                let op = match iter.next() {
                    Some(Tok::Op(">>")) => "2>>",
                    _ => "2>",
                };
                let mut ahead = iter.clone();
                if let (Some(Tok::Op("&")), Some(Tok::Word(one, _))) = (ahead.next(), ahead.next())
                    && literal(one) == "1"
                {
                    iter.next();
                    iter.next();
                    out.push(Token::Op("2>&1"));
                } else {
                    out.push(Token::Op(op));
                }
            }
            Tok::Op("&") if matches!(iter.clone().next(), Some(Tok::Op(">" | ">>"))) => {
                iter.next();
                out.push(Token::Op("&>"));
            }
            Tok::Word(w, _) => out.push(Token::Word(literal(w))),
            Tok::Op("<<" | "<<-") => {
                iter.next(); // the delimiter
                out.push(Token::HereDoc(here));
                here += 1;
            }
            Tok::Op("<") => match iter.next() {
                Some(Tok::Word(w, _)) => out.push(Token::ReadFrom(literal(w))),
                _ => return Err("syntax error near unexpected token `newline'".into()),
            },
            // A newline inside a command (a continuation) separates like `;`.
            Tok::Op("\n") => out.push(Token::Op(";")),
            Tok::Op(op) => out.push(Token::Op(op)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Vec<Command> {
        let mut r = Reader::default();
        let mut out: Vec<Command> = text.lines().filter_map(|l| r.feed(l)).collect();
        out.extend(r.finish());
        out
    }

    #[test]
    fn heredoc_bodies_follow_their_line() {
        let cmds =
            read_all("# comment\n\ncat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Pod\nEOF\nkubectl get pods\n");
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[0].first_line, "cat <<EOF | kubectl apply -f -");
        assert_eq!(cmds[0].heredocs, ["apiVersion: v1\nkind: Pod\n"]);
        assert_eq!(cmds[1].line_no, 7);
        let toks = tokens(&cmds[0]).unwrap();
        assert_eq!(
            toks,
            [
                Token::Word("cat".into()),
                Token::HereDoc(0),
                Token::Op("|"),
                Token::Word("kubectl".into()),
                Token::Word("apply".into()),
                Token::Word("-f".into()),
                Token::Word("-".into())
            ]
        );
    }

    /// Found by the property harness: input that ended on a `\` left the reader continuing,
    /// and the next line typed was dropped.
    #[test]
    fn a_continuation_at_the_end_of_input_does_not_eat_the_next_line() {
        let mut r = Reader::default();
        assert_eq!(r.feed("kubectl get \\"), None);
        assert!(r.finish().is_some());
        let next = r.feed("kubectl get nodes").expect("a command");
        assert_eq!(next.first_line, "kubectl get nodes");
    }

    #[test]
    fn continuations_and_quotes() {
        let cmds = read_all("kubectl get pods \\\n  -o wide\necho 'a b' \"c\\\"d\" # trailing comment\n");
        assert_eq!(cmds[0].first_line, "kubectl get pods \\");
        let words: Vec<Token> = tokens(&cmds[0]).unwrap();
        assert_eq!(words.len(), 5);
        assert_eq!(
            tokens(&cmds[1]).unwrap(),
            [
                Token::Word("echo".into()),
                Token::Word("a b".into()),
                Token::Word("c\"d".into())
            ]
        );
    }

    #[test]
    fn quoted_delimiter_and_tab_stripping() {
        let cmds = read_all("cat <<-'END'\n\tx\n\tEND\n");
        assert_eq!(cmds[0].heredocs, ["x\n"]);
    }
}
