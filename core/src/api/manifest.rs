//! Manifest files: a YAML (or JSON) stream split into documents and converted to JSON, the way
//! kubectl reads `-f` input before it talks to the API server.
//!
//! Splitting follows k8s.io/apimachinery/pkg/util/yaml `YAMLReader` (a `---` line ends a
//! document; only a comment may follow it). Conversion follows sigs.k8s.io/yaml `YAMLToJSON`:
//! empty documents are skipped and a syntax error names its line as go-yaml v2 does
//! (`yaml: line 5: mapping values are not allowed in this context`).

use serde_json::{Map, Number, Value};
use serde_yaml::Value as Yaml;

/// One non-empty document of a stream, as JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub value: Value,
}

/// Why a stream could not be read. `Display` gives the text after `error parsing <file>: `.
#[derive(Clone, Debug, PartialEq)]
pub struct ManifestError(pub String);

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Splits a stream at `---` separator lines.
fn split_documents(text: &str) -> Result<Vec<String>, ManifestError> {
    let mut docs = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(ManifestError(format!("invalid Yaml document separator: {trimmed}")));
            }
            docs.push(std::mem::take(&mut current));
            continue;
        }
        current.push_str(line);
    }
    docs.push(current);
    Ok(docs)
}

/// Parses a manifest stream into its documents, stopping at the first one that cannot be
/// read. The documents before it are returned with the error: kubectl's stream visitor hands
/// them on before it fails, so they are still applied.
pub fn parse_stream_partial(text: &str) -> (Vec<Document>, Option<ManifestError>) {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // JSON input: kubectl decodes a stream of JSON values.
        return match parse_json_stream(text) {
            Ok(docs) => (docs, None),
            Err(e) => (Vec::new(), Some(e)),
        };
    }
    let mut out = Vec::new();
    let docs = match split_documents(text) {
        Ok(d) => d,
        Err(e) => return (out, Some(e)),
    };
    for doc in docs {
        let yaml: Yaml = match serde_yaml::from_str(&doc) {
            Ok(v) => v,
            Err(e) => {
                return (
                    out,
                    Some(ManifestError(format!(
                        "error converting YAML to JSON: {}",
                        yaml_v2_message(&e)
                    ))),
                );
            }
        };
        match yaml_to_json(yaml) {
            Ok(Value::Null) => {}
            Ok(json) => out.push(Document { value: json }),
            Err(e) => {
                return (out, Some(ManifestError(format!("error converting YAML to JSON: {e}"))));
            }
        }
    }
    (out, None)
}

/// Parses a whole manifest stream, failing on the first bad document.
pub fn parse_stream(text: &str) -> Result<Vec<Document>, ManifestError> {
    match parse_stream_partial(text) {
        (docs, None) => Ok(docs),
        (_, Some(e)) => Err(e),
    }
}

fn parse_json_stream(text: &str) -> Result<Vec<Document>, ManifestError> {
    let mut out = Vec::new();
    for v in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        match v {
            Ok(Value::Null) => {}
            Ok(value) => out.push(Document { value }),
            Err(e) => return Err(ManifestError(json_error(&e))),
        }
    }
    Ok(out)
}

fn json_error(e: &serde_json::Error) -> String {
    // encoding/json's SyntaxError has no line; kubectl's decoder adds the offending line.
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    format!("json: line {}: {msg}", e.line())
}

/// Rewords a libyaml error as go-yaml v2 does: `yaml: line N: <problem>`. go-yaml reports a
/// scanner error's own line but a parser error's line index (one less), a quirk users see.
fn yaml_v2_message(e: &serde_yaml::Error) -> String {
    let display = e.to_string();
    let debug = format!("{e:?}");
    let problem = display.split(" at line ").next().unwrap_or(&display).to_string();
    let problem = problem.split(", ").next().unwrap_or(&problem).to_string();
    let Some(loc) = e.location() else {
        return format!("yaml: {problem}");
    };
    let line = if debug.contains("kind: SCANNER") {
        loc.line()
    } else {
        loc.line().saturating_sub(1)
    };
    if line == 0 {
        format!("yaml: {problem}")
    } else {
        format!("yaml: line {line}: {problem}")
    }
}

/// One YAML (or JSON) document to JSON, as `yaml.ToJSON` converts a `-p` patch; the error
/// is go-yaml's text (`yaml: line 1: did not find expected node content`).
pub fn to_json(text: &str) -> Result<Value, String> {
    let y: Yaml = serde_yaml::from_str(text).map_err(|e| yaml_v2_message(&e))?;
    yaml_to_json(y)
}

/// YAML values to JSON, as `YAMLToJSON` converts them: non-string keys become their text.
fn yaml_to_json(y: Yaml) -> Result<Value, String> {
    Ok(match y {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                if f.fract() == 0.0 && f.abs() < 9.0e15 {
                    Value::Number(crate::num::i64_of_f64(f).into())
                } else {
                    Number::from_f64(f)
                        .map(Value::Number)
                        .ok_or_else(|| format!("invalid number {f}"))?
                }
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(seq) => Value::Array(seq.into_iter().map(yaml_to_json).collect::<Result<_, _>>()?),
        Yaml::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Null => "null".to_string(),
                    other => return Err(format!("unsupported map key {other:?}")),
                };
                out.insert(key, yaml_to_json(v)?);
            }
            Value::Object(out)
        }
        Yaml::Tagged(t) => yaml_to_json(t.value)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_skips_empty_documents() {
        let docs = parse_stream("---\na: 1\n---\n# only a comment\n---\nb: 2\n---\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].value["b"], 2);
    }

    #[test]
    fn syntax_error_names_the_line() {
        let err = parse_stream("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: a: b\n").unwrap_err();
        assert_eq!(
            err.0,
            "error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn separator_with_text_is_rejected() {
        let err = parse_stream("a: 1\n--- b\n").unwrap_err();
        assert_eq!(err.0, "invalid Yaml document separator: b");
    }

    #[test]
    fn json_input() {
        let docs = parse_stream(r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}"#).unwrap();
        assert_eq!(docs[0].value["kind"], "Namespace");
    }
}
