//! The printers that take the objects as one document: `-o jsonpath=...`, `-o jsonpath-file=`,
//! `-o custom-columns=...`, `-o custom-columns-file=`. `kubectl get` uses them for lists, and
//! every command that prints the object it changed (`patch`, `create`, `label`) for one object.

use serde_json::Value;

use super::gotemplate::GoTemplate;
use super::jsonpath::{self, JsonPath};
use crate::kubectl::{CmdError, Ctx};

/// The printers that take the objects as one document: `-o jsonpath=...`, `-o jsonpath-file=`,
/// `-o custom-columns=...`, `-o custom-columns-file=` (cli-runtime `JSONPathPrinter`,
/// kubectl `CustomColumnsPrinter`).
pub enum Generic {
    JsonPath(String, JsonPath),
    Columns(Vec<(String, JsonPath)>),
    Template(GoTemplate),
}

/// The formats whose argument `--template` can give.
const TEMPLATE_FORMATS: &[&str] = &[
    "go-template",
    "go-template-file",
    "template",
    "templatefile",
    "jsonpath",
    "jsonpath-file",
    "jsonpath-as-json",
];

impl Generic {
    pub fn from_output(output: &str, ctx: &Ctx<'_>) -> Result<Option<Generic>, CmdError> {
        Self::from_flags(output, None, ctx)
    }

    /// The printer of `-o` and `--template` (cli-runtime genericclioptions/print_flags.go): a
    /// `--template` without `-o` means `-o go-template`, and gives the template of any
    /// template format.
    pub fn from_flags(output: &str, template: Option<&str>, ctx: &Ctx<'_>) -> Result<Option<Generic>, CmdError> {
        let template = template.filter(|t| !t.is_empty());
        let output = match (output, template) {
            ("", Some(_)) => "go-template",
            _ => output,
        };
        let joined;
        let output = match template {
            Some(t) if TEMPLATE_FORMATS.contains(&output) => {
                joined = format!("{output}={t}");
                joined.as_str()
            }
            _ => output,
        };
        let Some((family, arg)) = output.split_once('=') else {
            return match output {
                "jsonpath" | "jsonpath-file" | "jsonpath-as-json" | "go-template" | "go-template-file" | "template"
                | "templatefile" => Err(CmdError::Msg("template format specified but no template given".into())),
                "custom-columns" | "custom-columns-file" => Err(CmdError::Msg(
                    "custom-columns format specified but no custom columns given".into(),
                )),
                "kyaml" => Err(CmdError::Msg(format!(
                    "output format {output:?} is not available in Kubeplay yet"
                ))),
                _ => Ok(None),
            };
        };
        let read = |path: &str| {
            ctx.files.read(path).map_err(|_| {
                CmdError::Msg(format!(
                    "error reading template {path}, open {path}: no such file or directory\n"
                ))
            })
        };
        match family {
            "jsonpath" | "jsonpath-file" => {
                let template = if family == "jsonpath" {
                    arg.to_string()
                } else {
                    read(arg)?
                };
                JsonPath::parse(&template)
                    .map(|j| Some(Generic::JsonPath(template.clone(), j)))
                    .map_err(|e| CmdError::Msg(format!("error parsing jsonpath {template}, {e}")))
            }
            "custom-columns" => Self::columns(arg.split(',').map(str::to_string).collect()),
            "custom-columns-file" => {
                let text = read(arg)?;
                let mut lines = text.lines().filter(|l| !l.trim().is_empty());
                let headers: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
                let specs: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
                if headers.len() != specs.len() {
                    return Err(CmdError::Msg(format!(
                        "number of headers ({}) and field specifications ({}) don't match",
                        headers.len(),
                        specs.len()
                    )));
                }
                Self::columns(headers.iter().zip(&specs).map(|(h, s)| format!("{h}:{s}")).collect())
            }
            "go-template" | "template" | "go-template-file" | "templatefile" => {
                let text = if family.ends_with("file") {
                    ctx.files.read(arg).map_err(|_| {
                        CmdError::Msg(format!(
                            "error reading --template {arg}, open {arg}: no such file or directory\n"
                        ))
                    })?
                } else {
                    arg.to_string()
                };
                GoTemplate::parse(&text)
                    .map(|t| Some(Generic::Template(t)))
                    .map_err(|e| CmdError::Msg(format!("error parsing template {text}, {e}\n")))
            }
            "jsonpath-as-json" => Err(CmdError::Msg(format!(
                "output format {family:?} is not available in Kubeplay yet"
            ))),
            _ => Ok(None),
        }
    }

    fn columns(specs: Vec<String>) -> Result<Option<Generic>, CmdError> {
        let mut cols = Vec::new();
        for spec in specs.iter().filter(|s| !s.is_empty()) {
            let Some((header, expr)) = spec.split_once(':') else {
                return Err(CmdError::Msg(format!(
                    "unexpected custom-columns spec: {spec}, expected <header>:<json-path-expr>"
                )));
            };
            let relaxed = jsonpath::relaxed(expr).map_err(CmdError::Msg)?;
            let path = JsonPath::parse(&relaxed)
                .map_err(|e| CmdError::Msg(format!("error parsing jsonpath {relaxed}, {e}")))?;
            cols.push((header.to_string(), path));
        }
        if cols.is_empty() {
            return Err(CmdError::Msg(
                "custom-columns format specified but no custom columns given".into(),
            ));
        }
        Ok(Some(Generic::Columns(cols)))
    }

    pub fn print(&self, doc: &Value, no_headers: bool) -> Result<String, CmdError> {
        match self {
            Generic::JsonPath(template, j) => j
                .render(doc)
                .map_err(|e| CmdError::Raw(jsonpath::execution_error(template, &e, doc))),
            // kubectl prints what it gave the engine before the error (on stdout; here with
            // the error).
            Generic::Template(t) => t.execute(doc).map_err(|e| {
                let raw = super::json::go_escape(&serde_json::to_string(doc).unwrap_or_default());
                CmdError::Raw(format!(
                    "Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{}\n\traw data was:\n\t\t{raw}\n\tobject given to template engine was:\n\t\t{}\n\nerror: error executing template {:?}: {e}\n",
                    t.source(),
                    super::gotemplate::go_print(doc),
                    t.source()
                ))
            }),
            Generic::Columns(_) => Ok(crate::kubectl::printers::tabwriter::TabWriter::GET
                .format(&self.columns_text(doc, no_headers)?)),
        }
    }

    /// Custom columns as lines of tab-separated cells, before the tab writer aligns them.
    pub fn columns_text(&self, doc: &Value, no_headers: bool) -> Result<String, CmdError> {
        match self {
            Generic::JsonPath(..) | Generic::Template(_) => Ok(String::new()),
            Generic::Columns(cols) => {
                let items: Vec<&Value> = match doc.get("items").and_then(Value::as_array) {
                    Some(items) if doc.get("kind").and_then(Value::as_str) == Some("List") => items.iter().collect(),
                    _ => vec![doc],
                };
                let mut text = String::new();
                if !no_headers {
                    let headers: Vec<&str> = cols.iter().map(|(h, _)| h.as_str()).collect();
                    text.push_str(&headers.join("\t"));
                    text.push('\n');
                }
                for item in items {
                    let mut cells = Vec::new();
                    for (_, path) in cols {
                        let found = path.find(item).map_err(CmdError::Msg)?;
                        cells.push(if found.is_empty() {
                            "<none>".to_string()
                        } else {
                            found.iter().map(jsonpath::go_value).collect::<Vec<_>>().join(",")
                        });
                    }
                    text.push_str(&cells.join("\t"));
                    text.push('\n');
                }
                Ok(text)
            }
        }
    }
}
