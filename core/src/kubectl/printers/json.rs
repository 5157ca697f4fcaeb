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
    let s = String::from_utf8(buf).unwrap_or_default();
    let mut out = s
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    out.push('\n');
    out
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
