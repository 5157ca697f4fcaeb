//! `kubectl kustomize [DIR]` (staging/src/k8s.io/kubectl/pkg/cmd/kustomize): builds a
//! kustomization and prints the YAML stream; kustomize's warnings go to stderr.

use crate::kubectl::flags::{self, flag};
use crate::kubectl::kustomize;
use crate::kubectl::{CmdError, Ctx, flag_error, usage_error};

const FLAGS: &[flags::FlagSpec] = &[
    flag("reorder", None, true),
    flag("load-restrictor", None, true),
    flag("enable-helm", None, false),
    flag("enable-alpha-plugins", None, false),
    flag("output", Some('o'), true),
];

pub fn run(args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    let p = flags::parse(args, FLAGS).map_err(|e| flag_error("kustomize", e))?;
    let dir = match p.args.as_slice() {
        [] => ".".to_string(),
        [d] => d.clone(),
        more => {
            return Err(usage_error(
                "kustomize",
                &format!("specify one path to a kustomization directory, got {}", more.len()),
            ));
        }
    };
    if p.has("output") {
        return Err(CmdError::Msg(
            "kubectl kustomize -o writes files, which Kubeplay's terminal cannot: redirect with > instead".into(),
        ));
    }
    let keep_order = match p.get("reorder") {
        None | Some("legacy") => false,
        Some("none") => true,
        Some(other) => {
            return Err(CmdError::Msg(format!(
                "illegal flag value --reorder {other}; legal values: [legacy none]"
            )));
        }
    };
    let build = if keep_order {
        kustomize::build_fifo(&dir, ctx.files)
    } else {
        kustomize::build(&dir, ctx.files)
    }
    .map_err(CmdError::Msg)?;
    for w in &build.warnings {
        ctx.out.err(format!("{w}\n"));
    }
    ctx.out.out(build.to_yaml());
    Ok(0)
}
