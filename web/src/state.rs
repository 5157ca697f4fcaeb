//! The page's state as a Yew reducer: a session over the simulated cluster, the terminal's
//! scrollback, the editor text and the clock speed. All cluster logic stays in the core; this
//! only routes user actions to the session and takes a snapshot for drawing.

use std::cell::RefCell;
use std::rc::Rc;

use crate::recovery;
use kubeplay_core::labs;
use kubeplay_core::session::io::{FileError, Files, MemFiles, Output, Stream};
use kubeplay_core::snapshot::{Snapshot, snapshot};
use kubeplay_core::{Session, World};
use yew::Reducible;

/// The file the editor's text is applied as.
pub const EDITOR_FILE: &str = "editor.yaml";

/// Files shared between the page (which writes the editor buffer) and the session (which
/// reads it for `kubectl apply -f editor.yaml`).
#[derive(Clone, Default)]
pub struct SharedFiles(pub Rc<RefCell<MemFiles>>);

impl Files for SharedFiles {
    fn read(&self, path: &str) -> Result<String, FileError> {
        self.0.borrow().read(path)
    }
    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        self.0.borrow().list_dir(path)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum LineKind {
    Prompt,
    Out,
    Err,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TermLine {
    pub kind: LineKind,
    pub text: String,
}

pub struct AppState {
    pub session: Rc<RefCell<Session>>,
    pub files: SharedFiles,
    pub lines: Vec<TermLine>,
    /// Virtual seconds per real second: 0 is paused.
    pub speed: u32,
    pub editor: String,
    pub snapshot: Snapshot,
    /// A watch holds the terminal (`kubectl get -w`) until Ctrl-C.
    pub watching: bool,
    /// What the terminal shows before the input: `$ `, `> `, a container shell's prompt.
    pub prompt: String,
}

pub enum Action {
    /// A line typed in the terminal.
    Run(String),
    /// The editor's text, applied.
    Apply,
    Edit(String),
    /// Real milliseconds that passed (the page's timer).
    Tick(u64),
    /// Run the next event, whenever it is.
    Step,
    /// Ctrl-C in the terminal.
    Interrupt,
    Speed(u32),
}

/// Most lines the terminal keeps.
const SCROLLBACK: usize = 2_000;

impl AppState {
    pub fn new(seed: u64) -> Self {
        match recovery::take_crash() {
            Some(crash) => Self::rebuilt(crash),
            None => Self::fresh(seed, labs::PROBE_POD.text.to_string()),
        }
    }

    fn fresh(seed: u64, editor: String) -> Self {
        recovery::start(seed);
        let files = SharedFiles::default();
        for lab in labs::ALL {
            files.0.borrow_mut().insert(lab.path, lab.text);
        }
        files.0.borrow_mut().insert(EDITOR_FILE, &editor);
        let mut session = Session::new(World::new(seed), Box::new(files.clone()));
        session.set_live(true);
        let snapshot = snapshot(session.world());
        let welcome = "Kubeplay: a three-node cluster in your browser. Type kubectl commands below, or edit the manifest and press Apply.";
        AppState {
            session: Rc::new(RefCell::new(session)),
            files,
            lines: vec![TermLine {
                kind: LineKind::Out,
                text: welcome.into(),
            }],
            speed: 1,
            editor,
            snapshot,
            watching: false,
            prompt: "$ ".into(),
        }
    }

    /// The page after a panic: the same cluster, rebuilt by replaying what was done before
    /// the input that failed (see `recovery`), with a word about what happened.
    fn rebuilt(crash: recovery::Crash) -> Self {
        let mut state = Self::fresh(crash.seed, crash.editor.clone());
        recovery::set_replaying(true);
        let mut lines = std::mem::take(&mut state.lines);
        for input in &crash.done {
            state.apply_input(input, &mut lines);
        }
        let failed = crash.failed.as_ref();
        if let Some(recovery::Input::Line(line)) = failed {
            lines.push(TermLine {
                kind: LineKind::Prompt,
                text: format!("$ {line}"),
            });
        }
        let what = match failed {
            Some(recovery::Input::Line(_)) => "that command was not run",
            Some(_) => "time is paused where it stopped",
            None => "nothing was lost",
        };
        lines.push(TermLine {
            kind: LineKind::Err,
            text: format!(
                "kubeplay: internal error: {}. The page reloaded and rebuilt your cluster from what you did before it; {what}.",
                crash.message
            ),
        });
        recovery::set_replaying(false);
        // Replaying journalled everything again: the journal now matches the rebuilt cluster.
        let speed = match failed {
            Some(recovery::Input::Line(_)) => crash.speed,
            _ => 0,
        };
        state.files.0.borrow_mut().insert(EDITOR_FILE, &crash.editor);
        state.with(lines, speed, crash.editor)
    }

    /// Gives the cluster one journalled input.
    fn apply_input(&self, input: &recovery::Input, lines: &mut Vec<TermLine>) {
        match input {
            recovery::Input::Editor(text) => {
                self.files.0.borrow_mut().insert(EDITOR_FILE, text);
                recovery::editor(text, self.speed);
            }
            recovery::Input::Line(line) => self.run_line(line, lines),
            recovery::Input::Advance(ms) => {
                let ms = *ms;
                let out = recovery::record(input.clone(), || self.session.borrow_mut().advance(ms));
                push_output(out, lines);
            }
            recovery::Input::Step => {
                let out = recovery::record(input.clone(), || self.session.borrow_mut().step());
                push_output(out, lines);
            }
            recovery::Input::Interrupt => {
                // The terminal echoes ^C; a watch holding it stops, bash shows a new prompt.
                recovery::record(input.clone(), || self.session.borrow_mut().interrupt());
                lines.push(TermLine {
                    kind: LineKind::Out,
                    text: "^C".into(),
                });
            }
        }
    }

    fn with(&self, lines: Vec<TermLine>, speed: u32, editor: String) -> Self {
        let session = self.session.borrow();
        let mut lines = lines;
        if lines.len() > SCROLLBACK {
            lines.drain(..lines.len() - SCROLLBACK);
        }
        AppState {
            session: self.session.clone(),
            files: self.files.clone(),
            lines,
            speed,
            editor,
            snapshot: snapshot(session.world()),
            watching: session.watching(),
            prompt: session.prompt(),
        }
    }

    fn run_line(&self, line: &str, lines: &mut Vec<TermLine>) {
        let prompt = self.session.borrow().prompt();
        lines.push(TermLine {
            kind: LineKind::Prompt,
            text: format!("{prompt}{line}"),
        });
        let input = recovery::Input::Line(line.to_string());
        let result = recovery::record(input, || self.session.borrow_mut().feed_line(line));
        if let Some(r) = result {
            push_output(r.output, lines);
        }
    }
}

/// A command's output as terminal lines.
fn push_output(output: Output, lines: &mut Vec<TermLine>) {
    for (stream, text) in output.chunks {
        let kind = if stream == Stream::Stderr {
            LineKind::Err
        } else {
            LineKind::Out
        };
        for l in text.trim_end_matches('\n').split('\n') {
            lines.push(TermLine {
                kind: kind.clone(),
                text: l.to_string(),
            });
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut lines = self.lines.clone();
        let mut speed = self.speed;
        let mut editor = self.editor.clone();
        match action {
            Action::Run(line) => {
                recovery::editor(&editor, speed);
                self.run_line(&line, &mut lines);
            }
            Action::Apply => {
                self.files.0.borrow_mut().insert(EDITOR_FILE, &editor);
                recovery::editor(&editor, speed);
                self.run_line(&format!("kubectl apply -f {EDITOR_FILE}"), &mut lines);
            }
            Action::Edit(text) => {
                self.files.0.borrow_mut().insert(EDITOR_FILE, &text);
                editor = text;
            }
            Action::Tick(real_ms) => {
                if speed == 0 {
                    return self;
                }
                let ms = real_ms.saturating_mul(u64::from(speed));
                self.apply_input(&recovery::Input::Advance(ms), &mut lines);
            }
            Action::Step => {
                speed = 0;
                self.apply_input(&recovery::Input::Step, &mut lines);
            }
            Action::Interrupt => self.apply_input(&recovery::Input::Interrupt, &mut lines),
            Action::Speed(s) => speed = s,
        }
        Rc::new(self.with(lines, speed, editor))
    }
}

/// `T+00:05:12`: virtual time since the cluster epoch.
pub fn clock_text(ms: u64) -> String {
    let s = ms / 1000;
    format!("T+{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}
