//! `kubectl wait --for=condition=Ready|--for=delete`: lets virtual time run until each object
//! meets the condition (printing `pod/web condition met`) or the timeout passes
//! (`error: timed out waiting for the condition on pods/web`), as kubectl/pkg/cmd/wait does.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use serde_json::Value;

use super::get::select;
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::sim::clock::{Millis, SECOND};
use crate::store::{Object, ObjectKey};

const FLAGS: &[flags::FlagSpec] = &[
    flag("for", None, true),
    flag("timeout", None, true),
    flag("selector", Some('l'), true),
    flag("all", None, false),
    flag("all-namespaces", Some('A'), false),
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
];

/// Go's `time.ParseDuration` for the forms people type: `30s`, `5m`, `1h30m`, `500ms`, `0`.
pub fn parse_duration(s: &str) -> Result<Millis, String> {
    let bad = || format!("time: invalid duration {s:?}");
    if s == "0" {
        return Ok(0);
    }
    let mut total: f64 = 0.0;
    let mut rest = s;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("time: missing unit in duration {s:?}"))?;
        if num_len == 0 {
            return Err(bad());
        }
        let n: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let mult = match &rest[..unit_len] {
            "ms" => 1.0,
            "s" => 1_000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "us" | "µs" => 0.001,
            "ns" => 0.000_001,
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            u => return Err(format!("time: unknown unit {u:?} in duration {s:?}")),
        };
        total += n * mult;
        rest = &rest[unit_len..];
    }
    Ok(crate::num::u64_of_f64(total))
}

enum Cond {
    Delete,
    Condition(String, String),
    Create,
    /// `--for=jsonpath='{.status.phase}'=Running`, or without `=value` for existence.
    JsonPath(crate::kubectl::printers::jsonpath::JsonPath, Option<String>),
}

/// `processJSONPathInput`: the expression (relaxed) and the value after `=`, if any; an `=`
/// inside the braces belongs to the expression.
fn parse_jsonpath_for(input: &str) -> Result<Cond, CmdError> {
    use crate::kubectl::printers::jsonpath::{self, JsonPath};
    let end = if input.starts_with('{') {
        let mut depth = 0usize;
        let mut end = input.len();
        for (i, c) in input.char_indices() {
            match c {
                '{' => depth = depth.saturating_add(1),
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i.saturating_add(1);
                        break;
                    }
                }
                _ => {}
            }
        }
        end
    } else {
        input.find('=').unwrap_or(input.len())
    };
    let (expr, rest) = input.split_at(end);
    let value = match rest.strip_prefix('=') {
        None if rest.is_empty() => None,
        None => return Err(CmdError::Msg(format!("unrecognized condition: \"jsonpath={input}\""))),
        Some("") => return Err(CmdError::Msg("jsonpath wait value cannot be empty".into())),
        Some(v) => Some(v.to_string()),
    };
    let relaxed = jsonpath::relaxed(expr).map_err(CmdError::Msg)?;
    let path =
        JsonPath::parse(&relaxed).map_err(|e| CmdError::Msg(format!("error parsing jsonpath {relaxed}, {e}")))?;
    Ok(Cond::JsonPath(path, value))
}

fn parse_for(s: &str) -> Result<Cond, CmdError> {
    if s == "delete" {
        return Ok(Cond::Delete);
    }
    if s == "create" {
        return Ok(Cond::Create);
    }
    if let Some(c) = s.strip_prefix("condition=") {
        let (name, value) = match c.split_once('=') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (c.to_string(), "true".to_string()),
        };
        return Ok(Cond::Condition(name, value));
    }
    if let Some(j) = s.strip_prefix("jsonpath=") {
        return parse_jsonpath_for(j);
    }
    Err(CmdError::Msg(format!("unrecognized condition: {s:?}")))
}

fn condition_met(obj: &Object, name: &str, value: &str) -> bool {
    let v = obj.to_value();
    let generation = v.pointer("/metadata/generation").and_then(Value::as_i64);
    let observed = v.pointer("/status/observedGeneration").and_then(Value::as_i64);
    let conds = v
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    conds.iter().any(|c| {
        let ty = c.get("type").and_then(Value::as_str).unwrap_or("");
        let st = c.get("status").and_then(Value::as_str).unwrap_or("");
        let cond_gen = c.get("observedGeneration").and_then(Value::as_i64).or(observed);
        ty.eq_ignore_ascii_case(name)
            && st.eq_ignore_ascii_case(value)
            && !matches!((cond_gen, generation), (Some(o), Some(g)) if o < g)
    })
}

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("wait", e))?;
    let cond = parse_for(p.get("for").unwrap_or(""))?;
    let timeout = match p.get("timeout") {
        Some(t) => parse_duration(t)
            .map_err(|e| CmdError::Msg(format!("invalid argument {t:?} for \"--timeout\" flag: {e}")))?,
        None => 30 * SECOND,
    };
    if p.args.len() == 1 && !p.args[0].contains('/') && !p.on("all") && p.get("selector").is_none() {
        return Err(CmdError::Msg(
            "resource(s) were provided, but no name was specified".into(),
        ));
    }
    let deadline = ctx.world.now().saturating_add(timeout);
    let mut found = select(&p, "wait", ctx)?;
    let mut errors = Vec::new();
    let mut not_found = std::mem::take(&mut found.errors);
    if matches!(cond, Cond::Delete) {
        // Objects already gone have nothing to wait for.
        not_found.retain(|e| !matches!(e, CmdError::Api(a) if a.reason == crate::api::Reason::NotFound));
    }
    errors.extend(not_found);
    let keys: Vec<(ObjectKey, Option<String>)> = found
        .groups
        .iter()
        .flat_map(|(_, objs)| objs.iter().map(|o| (ObjectKey::of(o), o.meta().uid.clone())))
        .collect();
    if keys.is_empty() && errors.is_empty() && !matches!(cond, Cond::Delete) {
        return Err(CmdError::Msg("no matching resources found".into()));
    }
    for (key, uid) in keys {
        let plural = key.kind.info().plural;
        let met = |world: &crate::cluster::World| -> bool {
            let obj = world.api().store().get(&key);
            match &cond {
                // `IsDeleted`: an object of the same name with another UID is a new one.
                Cond::Delete => !super::delete::still_there(world, &key, uid.as_ref()),
                Cond::Create => obj.is_some(),
                Cond::Condition(n, v) => obj.is_some_and(|o| condition_met(o, n, v)),
                Cond::JsonPath(path, value) => obj.is_some_and(|o| {
                    let found = path.find(&super::get::output_value(o)).unwrap_or_default();
                    match value {
                        None => found.iter().any(|v| !v.is_null()),
                        Some(want) => {
                            found.len() == 1
                                && found
                                    .first()
                                    .is_some_and(|v| crate::kubectl::printers::jsonpath::text_of(v) == *want)
                        }
                    }
                }),
            }
        };
        let ok = if timeout == 0 {
            ctx.world.settle();
            met(ctx.world)
        } else {
            ctx.world.wait_until(deadline, crate::cluster::Idle::PassTime, met)
        };
        if ok {
            ctx.out
                .out(format!("{}/{} condition met\n", key.kind.info().kind_group(), key.name));
        } else if timeout == 0 {
            errors.push(CmdError::Msg(format!("condition not met for {plural}/{}", key.name)));
        } else {
            errors.push(CmdError::Msg(format!(
                "timed out waiting for the condition on {plural}/{}",
                key.name
            )));
        }
    }
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(30_000));
        assert_eq!(parse_duration("1m30s"), Ok(90_000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert!(parse_duration("30").is_err());
    }
}
