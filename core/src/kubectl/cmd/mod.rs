//! The kubectl subcommands Kubeplay implements.

pub mod apply;
pub mod autoscale;
pub mod create;
pub mod create_data;
pub mod delete;
pub mod describe;
pub mod drain;
pub mod expose;
pub mod get;
pub mod kustomize;
pub mod label;
pub mod logs;
mod merge;
pub mod patch;
pub mod rollout;
pub mod run;
pub mod scale;
pub mod set;
pub mod set_env;
pub mod set_resources;
mod sources;
pub mod wait;

use super::{CmdError, Ctx};

pub fn version(_args: &[String], ctx: &mut Ctx<'_>) -> Result<i32, CmdError> {
    ctx.out
        .out("Client Version: v1.35.0\nKustomize Version: v5.7.1\nServer Version: v1.35.0\n");
    Ok(0)
}
