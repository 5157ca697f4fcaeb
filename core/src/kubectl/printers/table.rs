//! Tables as `kubectl get` lays them out: the server's columns, wide columns only with
//! `-o wide`, a NAMESPACE column first with `-A`, LABELS last with `--show-labels`, and the
//! `kind/name` form when several kinds are listed together.

use std::collections::BTreeMap;

use super::tabwriter::TabWriter;

pub struct Column {
    pub name: &'static str,
    pub wide: bool,
}

pub const fn col(name: &'static str) -> Column {
    Column { name, wide: false }
}

pub const fn wide(name: &'static str) -> Column {
    Column { name, wide: true }
}

pub struct Row {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// Cells after NAME.
    pub cells: Vec<String>,
}

pub struct Table {
    /// The header of the first column: `NAME`, or `LAST SEEN` for events.
    pub name_header: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Clone, Copy, Default)]
pub struct TableOptions<'a> {
    pub wide: bool,
    pub with_namespace: bool,
    pub show_labels: bool,
    /// `pod`, `deployment.apps`: prefix names as `kind/name`.
    pub kind_prefix: Option<&'a str>,
    pub no_headers: bool,
    /// `-L key`: a column per label, headed by the key's last path segment in capitals.
    pub label_columns: &'a [String],
}

/// `labels.FormatLabels`: sorted `k=v` pairs, or `<none>`.
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".into();
    }
    let mut pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.sort();
    pairs.join(",")
}

/// A cell as cli-runtime prints it: cut at the first line break, with `...` appended.
fn cell(s: &str) -> String {
    match s.find(['\n', '\r', '\u{c}']) {
        Some(i) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

impl Table {
    pub fn render(&self, o: TableOptions<'_>) -> String {
        if self.rows.is_empty() {
            return String::new();
        }
        TabWriter::GET.format(&self.cells_text(o))
    }

    /// The table as lines of tab-separated cells, before the tab writer aligns them.
    pub fn cells_text(&self, o: TableOptions<'_>) -> String {
        let mut text = String::new();
        let visible: Vec<usize> = (0..self.columns.len())
            .filter(|i| o.wide || !self.columns[*i].wide)
            .collect();
        let mut line = |cells: Vec<String>| {
            text.push_str(&cells.join("\t"));
            text.push('\n');
        };
        if !o.no_headers {
            let mut h = Vec::new();
            if o.with_namespace {
                h.push("NAMESPACE".to_string());
            }
            h.push(self.name_header.to_string());
            h.extend(visible.iter().map(|i| self.columns[*i].name.to_string()));
            h.extend(
                o.label_columns
                    .iter()
                    .map(|l| l.rsplit('/').next().unwrap_or(l).to_uppercase()),
            );
            if o.show_labels {
                h.push("LABELS".into());
            }
            line(h);
        }
        for r in &self.rows {
            let mut cells = Vec::new();
            if o.with_namespace {
                cells.push(r.namespace.clone());
            }
            cells.push(match o.kind_prefix {
                Some(k) => format!("{k}/{}", r.name),
                None => r.name.clone(),
            });
            cells.extend(
                visible
                    .iter()
                    .map(|i| cell(r.cells.get(*i).map(String::as_str).unwrap_or(""))),
            );
            cells.extend(
                o.label_columns
                    .iter()
                    .map(|l| r.labels.get(l).cloned().unwrap_or_default()),
            );
            if o.show_labels {
                cells.push(format_labels(&r.labels));
            }
            line(cells);
        }
        text
    }
}
