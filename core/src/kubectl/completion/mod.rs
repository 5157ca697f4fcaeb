//! `kubectl completion SHELL` (kubectl pkg/cmd/completion): cobra's completion script for the
//! shell, recorded from a real kubectl client. The scripts ask `kubectl __complete` for
//! candidates; the page's own terminal completes without them.

use crate::kubectl::{CmdError, usage_error};

/// The script for a shell.
fn script(shell: &str) -> Option<&'static str> {
    Some(match shell {
        "bash" => include_str!("bash.txt"),
        "zsh" => include_str!("zsh.txt"),
        "fish" => include_str!("fish.txt"),
        "powershell" => include_str!("powershell.txt"),
        _ => return None,
    })
}

pub fn run(args: &[String], ctx: &mut crate::kubectl::Ctx<'_>) -> Result<i32, CmdError> {
    let p = crate::kubectl::flags::parse(args, &[]).map_err(|e| crate::kubectl::flag_error("completion", e))?;
    match p.args.as_slice() {
        [] => Err(usage_error("completion", "Shell not specified.")),
        [shell] => match script(shell) {
            Some(s) => {
                ctx.out.out(s);
                Ok(0)
            }
            None => Err(usage_error("completion", &format!("Unsupported shell type {shell:?}."))),
        },
        _ => Err(usage_error(
            "completion",
            "Too many arguments. Expected only the shell type.",
        )),
    }
}
