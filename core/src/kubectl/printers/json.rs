//! JSON as kubectl prints it: `json.MarshalIndent` with four spaces, keys sorted, and Go's HTML
//! escaping of `<`, `>` and `&`.

use serde::Serialize;
use serde_json::Value;

pub fn to_json(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if v.serialize(&mut ser).is_err() {
        return "{}\n".into();
    }
    let mut out = go_escape(&String::from_utf8(buf).unwrap_or_default());
    out.push('\n');
    out
}

/// Go's `encoding/json` escapes `<`, `>` and `&` (HTML safety) and U+2028/U+2029 in strings,
/// which serde_json writes as they are; outside strings none of them can occur.
pub fn go_escape(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_space_indent() {
        let v = serde_json::json!({"b": [1], "a": {}, "c": "<x>"});
        assert_eq!(
            to_json(&v),
            "{\n    \"a\": {},\n    \"b\": [\n        1\n    ],\n    \"c\": \"\\u003cx\\u003e\"\n}\n"
        );
    }
}
