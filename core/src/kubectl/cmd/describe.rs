//! `kubectl describe`: each selected object through its describer, separated by blank lines.
//! A name that matches nothing exactly describes every object whose name starts with it
//! (kubectl/pkg/cmd/describe/describe.go `DescribeMatchingResources`).

use crate::kubectl::describe::describe;
use crate::kubectl::flags::{self, flag, multi};
use crate::kubectl::resources::{Selection, parse_args};
use crate::kubectl::{CmdError, Ctx, flag_error};
use crate::store::Object;

const FLAGS: &[flags::FlagSpec] = &[
    flag("all-namespaces", Some('A'), false),
    flag("selector", Some('l'), true),
    flag("show-events", None, true),
    multi("filename", Some('f')),
    flag("kustomize", Some('k'), true),
];

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("describe", e))?;
    let ns = ctx.namespace(&p);
    // A name with no exact match falls back to a prefix match.
    let mut objects: Vec<Object> = Vec::new();
    let mut errors = Vec::new();
    if let Ok(Selection::Names(names)) = parse_args(&p.args)
        && p.get("selector").is_none()
    {
        for (kind, name) in names {
            let scope = if kind.info().namespaced {
                Some(ns.as_str())
            } else {
                None
            };
            let exact = ctx.world.api().list(kind, scope).find(|o| o.name() == name).cloned();
            match exact {
                Some(o) => objects.push(o),
                None => {
                    let prefixed: Vec<Object> = ctx
                        .world
                        .api()
                        .list(kind, scope)
                        .filter(|o| o.name().starts_with(&name))
                        .cloned()
                        .collect();
                    if prefixed.is_empty() {
                        errors.push(CmdError::Api(crate::api::ApiError::not_found(
                            &kind.info().resource_group(),
                            &name,
                        )));
                    }
                    objects.extend(prefixed);
                }
            }
        }
    } else {
        let found = super::get::select(&p, "describe", ctx)?;
        errors.extend(found.errors);
        objects.extend(found.groups.into_iter().flat_map(|(_, o)| o));
        if objects.is_empty() && errors.is_empty() {
            if p.on("all-namespaces") {
                ctx.out.err("No resources found\n");
            } else {
                ctx.out.err(format!("No resources found in {ns} namespace.\n"));
            }
            return Ok(0);
        }
    }
    let texts: Vec<String> = objects.iter().map(|o| describe(ctx.world, o)).collect();
    ctx.out.out(texts.join("\n\n"));
    match errors.len() {
        0 => Ok(0),
        1 => Err(errors.remove(0)),
        _ => Err(CmdError::Multi(errors)),
    }
}
