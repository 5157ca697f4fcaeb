//! Output formats: tables, YAML, JSON and names.

pub mod columns;
pub mod duration;
pub mod json;
pub mod table;
pub mod tabwriter;
pub mod yaml;
