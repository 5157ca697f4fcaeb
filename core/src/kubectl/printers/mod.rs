//! Output formats: tables, YAML, JSON, names, JSONPath templates and custom columns.

pub mod columns;
pub mod duration;
pub mod generic;
pub mod gotemplate;
pub mod json;
pub mod jsonpath;
pub mod table;
pub mod tabwriter;
pub mod yaml;
