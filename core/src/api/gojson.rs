//! The syntax errors of Go's encoding/json scanner (`encoding/json/scanner.go`), which the API
//! server returns verbatim when a request body is not JSON:
//! `invalid character 'b' looking for beginning of object key string`.

/// Go's `quoteChar`: `'x'`, `'\''`, `'"'`, `'\n'`.
fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        '\n' => "'\\n'".into(),
        '\t' => "'\\t'".into(),
        '\r' => "'\\r'".into(),
        c if (c as u32) < 0x20 => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    }
}

struct Scanner<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
}

type Res = Result<(), String>;

fn invalid(c: char, context: &str) -> String {
    format!("invalid character {} {context}", quote_char(c))
}

const EOF: &str = "unexpected end of JSON input";

impl Scanner<'_> {
    fn skip_space(&mut self) {
        while matches!(self.chars.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.chars.next();
        }
    }

    fn next(&mut self) -> Result<char, String> {
        self.chars.next().ok_or_else(|| EOF.to_string())
    }

    fn value(&mut self, depth: usize) -> Res {
        if depth > 10_000 {
            return Err("exceeded max depth".into());
        }
        self.skip_space();
        match self.next()? {
            '{' => self.object(depth),
            '[' => self.array(depth),
            '"' => self.string(),
            '-' => match self.next()? {
                c @ '0'..='9' => self.number(c),
                c => Err(invalid(c, "in numeric literal")),
            },
            c @ '0'..='9' => self.number(c),
            't' => self.literal("true"),
            'f' => self.literal("false"),
            'n' => self.literal("null"),
            c => Err(invalid(c, "looking for beginning of value")),
        }
    }

    fn object(&mut self, depth: usize) -> Res {
        self.skip_space();
        if self.chars.peek() == Some(&'}') {
            self.chars.next();
            return Ok(());
        }
        loop {
            self.skip_space();
            match self.next()? {
                '"' => self.string()?,
                c => return Err(invalid(c, "looking for beginning of object key string")),
            }
            self.skip_space();
            match self.next()? {
                ':' => {}
                c => return Err(invalid(c, "after object key")),
            }
            self.value(depth + 1)?;
            self.skip_space();
            match self.next()? {
                ',' => {}
                '}' => return Ok(()),
                c => return Err(invalid(c, "after object key:value pair")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Res {
        self.skip_space();
        if self.chars.peek() == Some(&']') {
            self.chars.next();
            return Ok(());
        }
        loop {
            self.value(depth + 1)?;
            self.skip_space();
            match self.next()? {
                ',' => {}
                ']' => return Ok(()),
                c => return Err(invalid(c, "after array element")),
            }
        }
    }

    fn string(&mut self) -> Res {
        loop {
            match self.next()? {
                '"' => return Ok(()),
                '\\' => match self.next()? {
                    'b' | 'f' | 'n' | 'r' | 't' | '\\' | '/' | '"' => {}
                    'u' => {
                        for _ in 0..4 {
                            let c = self.next()?;
                            if !c.is_ascii_hexdigit() {
                                return Err(invalid(c, "in \\u hexadecimal character escape"));
                            }
                        }
                    }
                    c => return Err(invalid(c, "in string escape code")),
                },
                c if (c as u32) < 0x20 => return Err(invalid(c, "in string literal")),
                _ => {}
            }
        }
    }

    fn number(&mut self, first: char) -> Res {
        if first != '0' {
            while matches!(self.chars.peek(), Some('0'..='9')) {
                self.chars.next();
            }
        }
        if self.chars.peek() == Some(&'.') {
            self.chars.next();
            match self.next()? {
                '0'..='9' => {}
                c => return Err(invalid(c, "after decimal point in numeric literal")),
            }
            while matches!(self.chars.peek(), Some('0'..='9')) {
                self.chars.next();
            }
        }
        if matches!(self.chars.peek(), Some('e' | 'E')) {
            self.chars.next();
            if matches!(self.chars.peek(), Some('+' | '-')) {
                self.chars.next();
            }
            match self.next()? {
                '0'..='9' => {}
                c => return Err(invalid(c, "in exponent of numeric literal")),
            }
            while matches!(self.chars.peek(), Some('0'..='9')) {
                self.chars.next();
            }
        }
        Ok(())
    }

    fn literal(&mut self, word: &str) -> Res {
        for expected in word.chars().skip(1) {
            let c = self.next()?;
            if c != expected {
                return Err(invalid(c, &format!("in literal {word} (expecting '{expected}')")));
            }
        }
        Ok(())
    }
}

/// The error `json.Unmarshal` gives for text that is not one JSON value, or None.
pub fn syntax_error(text: &str) -> Option<String> {
    let mut s = Scanner {
        chars: text.chars().peekable(),
    };
    if let Err(e) = s.value(0) {
        return Some(e);
    }
    s.skip_space();
    s.chars.next().map(|c| invalid(c, "after top-level value"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts recorded from kubectl 1.32 and the API server.
    #[test]
    fn go_texts() {
        let e = |t| syntax_error(t).unwrap_or_default();
        assert_eq!(
            e("{bad"),
            "invalid character 'b' looking for beginning of object key string"
        );
        assert_eq!(e("{\"a\":}"), "invalid character '}' looking for beginning of value");
        assert_eq!(e("{\"a\":1"), "unexpected end of JSON input");
        assert_eq!(e("{\"a\" 1}"), "invalid character '1' after object key");
        assert_eq!(e("[1 2]"), "invalid character '2' after array element");
        assert_eq!(e("{} x"), "invalid character 'x' after top-level value");
        assert_eq!(e("tru"), "unexpected end of JSON input");
        assert_eq!(e("trux"), "invalid character 'x' in literal true (expecting 'e')");
        assert_eq!(syntax_error(" {\"a\": [1, -2.5e3, \"\\u00e9\"]} "), None);
    }
}
