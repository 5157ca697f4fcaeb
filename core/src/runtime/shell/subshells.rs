//! Shells inside a shell: `$(...)`, pipeline stages and `sh -c` run as children on the parent's
//! stack of frames, so they can sleep and be resumed, and take their steps from the parent's
//! CPU slice.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::rc::Rc;

use super::lexer::Part;
use super::syntax::Node;
use super::{Expansion, Frame, MAX_CHILD_DEPTH, Shell};
use crate::runtime::{ProcCx, Status};

impl Shell {
    /// A shell run inside this one, with a copy of its variables.
    pub(super) fn child(&self, mut sh: Shell, stdin: Option<String>, capture: bool) -> Box<Shell> {
        sh.vars = self.vars.clone();
        sh.stdin = stdin;
        sh.capture = capture.then(String::new);
        sh.depth = self.depth.saturating_add(1);
        if sh.depth > MAX_CHILD_DEPTH {
            sh.stack.clear();
            sh.error = Some("can't fork: shells nested too deep".into());
        }
        Box::new(sh)
    }

    /// Expands words until a `$(...)` needs a child, then runs the command.
    pub(super) fn expand_step(&mut self, mut e: Box<Expansion>, cx: &mut ProcCx<'_>) -> Option<Status> {
        let node = e.node.clone();
        let Node::Simple { words, redirects } = &*node else {
            return None;
        };
        if let Some(out) = self.child_output.take() {
            e.current.push_str(out.trim_end_matches('\n'));
            e.part = e.part.saturating_add(1);
        }
        loop {
            let word = match e.index.checked_sub(words.len()) {
                None => words.get(e.index),
                Some(r) => redirects.get(r).map(|(_, w)| w),
            };
            let Some(word) = word else { break };
            match word.get(e.part) {
                None => {
                    e.values.push(std::mem::take(&mut e.current));
                    e.index = e.index.saturating_add(1);
                    e.part = 0;
                }
                Some(Part::Lit(s)) => {
                    e.current.push_str(s);
                    e.part = e.part.saturating_add(1);
                }
                Some(Part::Var(v)) => {
                    let value = self.var(v, cx);
                    e.current.push_str(&value);
                    e.part = e.part.saturating_add(1);
                }
                Some(Part::Subst(src)) => {
                    let child = self.child(Shell::script(src), None, true);
                    self.stack.push(Frame::Expand(e));
                    self.stack.push(Frame::Child { child, forward: false });
                    return None;
                }
            }
        }
        let targets = e.values.split_off(words.len().min(e.values.len()));
        let outcome = self.simple(e.values, redirects, targets, cx);
        self.finish(outcome)
    }

    /// Stage `stage` of a pipeline finished (its output is in `child_output`): start the next.
    pub(super) fn pipe_step(&mut self, node: Rc<Node>, stage: usize) -> Option<Status> {
        let Node::Pipeline(items) = &*node else { return None };
        let next = stage.saturating_add(1);
        if next >= items.len() {
            // The last stage's exit status is the pipeline's.
            self.child_output = None;
            return None;
        }
        let input = self.child_output.take();
        self.stack.push(Frame::Pipe {
            node: node.clone(),
            stage: next,
        });
        self.pipe_step_start(next, input)
    }

    /// Pushes the child for stage `stage` of the pipeline on top of the stack. Stages run one
    /// after another, each with the previous one's output as input.
    pub(super) fn pipe_step_start(&mut self, stage: usize, input: Option<String>) -> Option<Status> {
        let Some(Frame::Pipe { node, .. }) = self.stack.last() else {
            return None;
        };
        let Node::Pipeline(items) = &**node else { return None };
        let item = items.get(stage)?.clone();
        let last = stage.saturating_add(1) == items.len();
        let sh = Shell::with_stack(
            vec![Frame::List {
                node: Rc::new(Node::List(vec![item])),
                next: 0,
            }],
            None,
        );
        // The last stage writes where this shell writes; the others are captured for the next.
        let child = self.child(sh, input, !last || self.capture.is_some());
        self.stack.push(Frame::Child { child, forward: last });
        None
    }
}
